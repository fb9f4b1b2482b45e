"""The trip and the saved place as sync record types: logged on the phone (offline too), synced later.

A trip's `calc` (what it pays and why, and what blocks it) is written by the server (calculation.py)
and reaches the phone on the next pull; what the employee sends in it is overwritten.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import msgspec

from backend.auth.roles import Capability
from backend.clock import today
from backend.features.mileage.rules import Trip, Vehicle, check_trip
from backend.features.payroll import service as payroll
from sync.registry import REGISTRY, RecordType, Transition

OPEN_STATES = frozenset({"draft", "submitted", "rejected"})
"""States whose calculation still follows the rules; from approval on, what was approved stands."""


class TripFields(msgspec.Struct, forbid_unknown_fields=True):
    date: str | None = None
    """YYYY-MM-DD."""
    purpose: str = ""
    from_place: str = ""
    stops: list[str] = msgspec.field(default_factory=list)
    to_place: str = ""
    km: str | None = None
    """The whole trip's distance as a decimal string ("12.5"); a round trip is already doubled."""
    round_trip: bool = False
    vehicle: Literal["car", "bicycle"] = "car"
    own_vehicle: bool = False
    """The employee confirms the vehicle is their own (tax-free only in one's own vehicle)."""
    starts_at_home: bool = False
    ends_at_home: bool = False
    workplace: str | None = None
    """The workplace a trip from or to home is for: the 60-day rule counts per workplace."""
    calc: dict[str, Any] = msgspec.field(default_factory=dict)
    """Written by the server: amount, rate, tier, explanation, notes for the leader, problems."""
    payroll: dict[str, Any] = msgspec.field(default_factory=dict)
    """Written by the server at approval: the payroll month that pays it ({"month": "2026-11"})."""


class PlaceFields(msgspec.Struct, forbid_unknown_fields=True):
    name: str = ""
    address: str = ""
    kind: Literal["home", "work", "other"] = "other"
    km_to_work: str | None = None
    """For home: the distance home ↔ usual workplace, deducted from trips that start or end at home."""


def parse_km(value: Any) -> Decimal | None:
    try:
        km = Decimal(str(value))
    except InvalidOperation:
        return None
    return km if km.is_finite() else None


def parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def as_trip(record_id: str, fields: dict[str, Any]) -> Trip | None:
    """The rules' view of a trip, or None while its date or km is not a valid value."""
    day, km = parse_day(fields.get("date")), parse_km(fields.get("km"))
    if day is None or km is None:
        return None
    return Trip(
        id=record_id,
        day=day,
        km=km,
        vehicle=Vehicle(fields.get("vehicle") or "car"),
        purpose=fields.get("purpose") or "",
        from_place=fields.get("from_place") or "",
        to_place=fields.get("to_place") or "",
        stops=tuple(fields.get("stops") or ()),
        starts_at_home=bool(fields.get("starts_at_home")),
        ends_at_home=bool(fields.get("ends_at_home")),
        workplace_id=fields.get("workplace") or None,
        own_vehicle=bool(fields.get("own_vehicle")),
    )


def _shape(fields: dict[str, Any]) -> str | None:
    if fields.get("date") is not None and parse_day(fields["date"]) is None:
        return "Datoen skal skrives ÅÅÅÅ-MM-DD."
    if fields.get("km") is not None and parse_km(fields["km"]) is None:
        return "Antal km skal være et tal."
    return None


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

TRIP = REGISTRY.register(
    RecordType(
        name="trip",
        fields=TripFields,
        transitions=(
            Transition("submit", frozenset({"draft", "rejected"}), "submitted", guard=_ready_to_submit),
            Transition("withdraw", frozenset({"submitted"}), "draft"),
            Transition(
                "approve",
                frozenset({"submitted"}),
                "approved",
                by=Capability.APPROVE_MILEAGE,
                guard=_ready_to_approve,
            ),
            Transition(
                "reject",
                frozenset({"submitted"}),
                "rejected",
                by=Capability.APPROVE_MILEAGE,
                note_required=True,
            ),
            # Made by the payroll export (backend.features.payroll), not by a person's choice.
            _payroll_step(payroll.EXPORTED, "approved", "sent_to_payroll"),
            _payroll_step(payroll.PAID, "sent_to_payroll", "paid"),
        ),
        editable_states=frozenset({"draft", "rejected"}),
        deletable_states=frozenset({"draft", "rejected"}),
        view=Capability.APPROVE_MILEAGE,
        check=_shape,
        state_names=STATE_NAMES,
    )
)

PLACE = REGISTRY.register(RecordType(name="place", fields=PlaceFields, editable_states=frozenset({"draft"})))
