"""The trip and the saved place as sync record types: logged on the phone (offline too), synced later.

A trip's `calc` (what it pays and why, and what blocks it) is written by the server (calculation.py)
and reaches the phone on the next pull; what the employee sends in it is overwritten.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec

from backend.auth.roles import Capability, Role
from backend.clock import today
from backend.features.mileage.rules import Trip, Vehicle, WorkplaceDay, check_trip
from backend.features.mileage.rules.trip_shape import home_ends, visited_workplace
from backend.features.mileage.rules.validate import ABSURD_TRIP_KM
from backend.features.payroll import service as payroll
from sync import fields
from sync.registry import RecordType, Transition

APPROVE_MILEAGE = "approve_mileage"
"""The leader approves the trips of their units; their approval is the employer's visible approval."""
CAPABILITIES = {APPROVE_MILEAGE: frozenset({Role.LEADER})}

OPEN_STATES = frozenset({"draft", "submitted", "rejected"})
"""States whose calculation still follows the rules; from approval on, what was approved stands."""


CLOCK = r"([01]\d|2[0-3]):[0-5]\d"
"""A time of day as the form's time input gives it: "07:30", "23:05"."""

TRIP_FIELDS = {
    "date": fields.day("Dato", "Date", past_days=3 * 366, future_days=0),
    "purpose": fields.text("Formål", "Purpose", max_length=500),
    "from_place": fields.text("Fra", "From", max_length=200),
    "stops": fields.texts("Undervejs", "Stops", max_items=20, max_length=200),
    "to_place": fields.text("Til", "To", max_length=200),
    "km": fields.decimal("Antal km", "Distance (km)", min="0.1", max=str(ABSURD_TRIP_KM), places=1),
    "round_trip": fields.flag("Tur/retur", "Round trip"),
    "vehicle": fields.choice("Køretøj", "Vehicle", ("car", "bicycle"), default="car", nullable=False),
    "own_vehicle": fields.flag("Eget køretøj", "Own vehicle"),
    "starts_at_home": fields.flag("Starter hjemme", "Starts at home"),
    "ends_at_home": fields.flag("Slutter hjemme", "Ends at home"),
    "workplace": fields.text("Arbejdssted", "Workplace", max_length=200, default=None),
    "start_time": fields.text("Kørte kl.", "Set off at", max_length=5, pattern=CLOCK, default=None),
    "end_time": fields.text("Fremme kl.", "Arrived at", max_length=5, pattern=CLOCK, default=None),
    # Written by the server only:
    "calc": fields.server_data("Beregning", "Calculation"),
    "payroll": fields.server_data("Lønudbetaling", "Payroll"),
}
"""A trip (kørsel) in the employee's own vehicle, paid tax-free at the rates (kørselsgodtgørelse).

`km` is the whole trip's distance in km (a round trip already doubled); `own_vehicle` is the employee's
confirmation that the vehicle is their own (tax-free only then); `workplace` is the workplace a trip
from or to home is for (the 60-day rule counts per workplace); `calc` the server's calculation
(amount, rate, tier, explanation, notes for the leader, problems); `payroll` {"month": "YYYY-MM"}, the
salary that pays it, written at approval; `start_time`/`end_time` ("HH:MM", optional) when it set off and
arrived: an arrival before the departure is the next day, and the km are split at midnight (rules.midnight)."""

PLACE_FIELDS = {
    "name": fields.text("Navn", "Name", max_length=100),
    "address": fields.text("Adresse", "Address", max_length=200),
    "kind": fields.choice("Slags", "Kind", ("home", "work", "other"), default="other", nullable=False),
    "km_to_work": fields.decimal("Km til arbejde", "Km to work", min="0", max="500", places=1),
}
"""A saved place; for "home", `km_to_work` is the distance home ↔ usual workplace (km), deducted from
trips that start or end at home."""


def parse_km(value: Any) -> Decimal | None:
    try:
        km = Decimal(str(value))
    except InvalidOperation:
        return None
    return km if km.is_finite() else None


def parse_clock(value: Any) -> time | None:
    try:
        return time.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def as_trip(record_id: str, fields: dict[str, Any]) -> Trip | None:
    """The rules' view of a trip, or None while its date or km is not a valid value.

    A round trip from home has both ends at home, and a trip from or to home counts for the workplace
    it visits even when none was named (rules.trip_shape)."""
    day, km = parse_day(fields.get("date")), parse_km(fields.get("km"))
    if day is None or km is None:
        return None
    round_trip = bool(fields.get("round_trip"))
    starts, ends = bool(fields.get("starts_at_home")), bool(fields.get("ends_at_home"))
    stops = tuple(fields.get("stops") or ())
    at_start, at_end = home_ends(starts, ends, round_trip)
    from_place, to_place = fields.get("from_place") or "", fields.get("to_place") or ""
    return Trip(
        id=record_id,
        day=day,
        km=km,
        vehicle=Vehicle(fields.get("vehicle") or "car"),
        purpose=fields.get("purpose") or "",
        from_place=from_place,
        to_place=to_place,
        stops=stops,
        starts_at_home=at_start,
        ends_at_home=at_end,
        workplace_id=visited_workplace(
            fields.get("workplace"), from_place, to_place, stops, starts, ends, round_trip
        ),
        own_vehicle=bool(fields.get("own_vehicle")),
        start_time=parse_clock(fields.get("start_time")),
        end_time=parse_clock(fields.get("end_time")),
    )


class _Text(msgspec.Struct):
    da: str
    en: str


def _texts(messages: list[Any]) -> tuple[str, str]:
    texts = [msgspec.convert(m, _Text) if isinstance(m, dict) else m for m in messages]
    return " ".join(t.da for t in texts), " ".join(t.en for t in texts)


STALE_PROBLEMS = frozenset({"date_closed_month"})
"""Problems earlier versions wrote into a trip's calc that no longer block: no payroll month is closed
to a trip any more (an approval after the month's export is paid with the next salary run)."""


def _blocking(calc: dict[str, Any]) -> list[Any]:
    """What the server found that only it can know: a missing rate."""
    problems = [p for p in calc.get("problems") or [] if p.get("code") not in STALE_PROBLEMS]
    return [*problems, *([calc["error"]] if calc.get("error") else [])]


def _ready_to_submit(fields: dict[str, Any]) -> tuple[str, str] | None:
    trip = as_trip("", fields)
    if trip is None:
        return "Udfyld dato og antal km før indsendelse.", "Fill in the date and km before submitting."
    problems = [*check_trip(trip, today=today()), *_blocking(fields.get("calc") or {})]
    return _texts(problems) if problems else None


def _ready_to_approve(fields: dict[str, Any]) -> tuple[str, str] | None:
    calc = fields.get("calc") or {}
    if blocking := _blocking(calc):
        return _texts(blocking)
    if calc.get("amount") is None:
        return (
            "Turen er ikke beregnet endnu. Prøv igen om lidt.",
            "The trip has not been calculated yet. Try again shortly.",
        )
    return None


def _payroll_step(name: str, source: str, target: str) -> Transition:
    return Transition(
        name, frozenset({source}), target, by=Capability.EXPORT_PAYROLL, four_eyes=False, waits=False
    )


STATE_NAMES = {
    "draft": ("en kladde", "a draft"),
    "submitted": ("indsendt", "submitted"),
    "approved": ("godkendt", "approved"),
    "rejected": ("afvist", "rejected"),
    "sent_to_payroll": ("sendt til løn", "sent to payroll"),
    "paid": ("udbetalt", "paid"),
}

TRIP = RecordType(
    name="trip",
    fields=TRIP_FIELDS,
    transitions=(
        Transition("submit", frozenset({"draft", "rejected"}), "submitted", guard=_ready_to_submit),
        Transition("withdraw", frozenset({"submitted"}), "draft"),
        Transition(
            "approve",
            frozenset({"submitted"}),
            "approved",
            by=APPROVE_MILEAGE,
            guard=_ready_to_approve,
        ),
        Transition(
            "reject",
            frozenset({"submitted"}),
            "rejected",
            by=APPROVE_MILEAGE,
            note_required=True,
        ),
        # Made by the payroll export (backend.features.payroll), not by a person's choice.
        _payroll_step(payroll.EXPORTED, "approved", "sent_to_payroll"),
        _payroll_step(payroll.PAID, "sent_to_payroll", "paid"),
    ),
    editable_states=frozenset({"draft", "rejected"}),
    deletable_states=frozenset({"draft", "rejected"}),
    view=APPROVE_MILEAGE,
    state_names=STATE_NAMES,
)

PLACE = RecordType(name="place", fields=PLACE_FIELDS, editable_states=frozenset({"draft"}))

NO_CAR_DAY_FIELDS = {
    "date": fields.day("Dato", "Date", past_days=3 * 366, future_days=0),
    "workplace": fields.text("Arbejdssted", "Workplace", max_length=200),
}
"""A day the employee worked at a workplace, reached without the car (by bus, bike or on foot).

skat.dk, 60-dages-reglen: "Alle arbejdsdage bliver talt med i de 60 dage uanset om medarbejderen bruger
egen bil eller andet transportmiddel" — such days count towards the workplace's 60 days though nothing is
paid for them. Marked on the phone (offline too) from the trip list; the server counts them with the
trips (calculation.py)."""

NO_CAR_DAY = RecordType(name="no_car_day", fields=NO_CAR_DAY_FIELDS, editable_states=frozenset({"draft"}))


def as_workplace_day(fields: dict[str, Any]) -> WorkplaceDay | None:
    """The rules' view of a marked day, or None while its date or workplace is missing (then it counts
    for nothing; the form asks for both)."""
    day, workplace = parse_day(fields.get("date")), str(fields.get("workplace") or "").strip()
    return WorkplaceDay(day, workplace) if day is not None and workplace else None
