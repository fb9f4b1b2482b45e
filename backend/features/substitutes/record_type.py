"""The substitute's entry (vikartime) as a sync record type: registered on the phone (offline too).

An entry is placed on the unit she worked at (`unit`, defaulting to her own) and is about her, even
though she is not employed there: placing it on another unit needs `register_substitute_hours` there,
which the substitute role holds on the units she is booked at. Checking in makes a draft with a start
and no end; checking out fills the end and submits it. The server writes `calc` (the pay basis) on
every push (calculation.py) and refuses an entry that overlaps another of hers, in words.
"""

from __future__ import annotations

from typing import Any

from backend.auth.roles import Capability, Role
from backend.features.payroll import service as payroll
from backend.features.worktime.wallclock import parse_clock
from sync import fields
from sync.registry import Placement, RecordType, Transition

ENTRY_TYPE = "substitute_entry"
REGISTER = "register_substitute_hours"
"""The substitute registers hours on a unit she is booked at (her role's grant on that unit)."""
APPROVE = "approve_substitute_hours"
"""The unit's secretary approves or rejects the entries placed on her units, seeing their pay basis."""
CAPABILITIES = {REGISTER: frozenset({Role.SUBSTITUTE}), APPROVE: frozenset({Role.SECRETARY})}

OPEN_STATES = frozenset({"draft", "registered", "rejected"})
"""States whose pay basis still follows the rules; from approval on, what was approved stands."""

CLOCK = r"([01]\d|2[0-3]):[0-5]\d"

ENTRY_FIELDS = {
    "date": fields.day("Dato", "Date", past_days=3 * 366, future_days=0),
    "start": fields.text("Fra", "From", max_length=5, pattern=CLOCK, default=None),
    "end": fields.text("Til", "To", max_length=5, pattern=CLOCK, default=None),
    "break_minutes": fields.integer("Pause (minutter)", "Break (minutes)", min=0, max=600, default=0),
    "unit": fields.integer("Enhed", "Unit", min=1, max=2_147_483_647, default=None),
    "cover": fields.text("Vikar for", "Cover for", max_length=300),
    # Written by the server only:
    "calc": fields.server_data("Lønberegning", "Pay basis"),
    "payroll": fields.server_data("Lønudbetaling", "Payroll"),
}
"""A substitute's hours at one unit on one day.

`date` the day it began (YYYY-MM-DD); `start`/`end` Copenhagen wall-clock times "HH:MM" (an end not
after the start is the next day: a night); `end` empty while checked in; `break_minutes` the unpaid
break; `unit` the unit's id (its account codes the wage lines); `cover` what the cover was for
("5.A dansk for Anna"); `calc` the pay basis (rules/pay.py); `payroll` {"month": "YYYY-MM"}."""


def _check(values: dict[str, Any]) -> tuple[str, str] | None:
    """A break shorter than the time; the end only with a start."""
    if values.get("end") and not values.get("start"):
        return "Udfyld hvornår du startede.", "Fill in when you started."
    if values.get("start") and values.get("end"):
        start, end = parse_clock(values["start"]), parse_clock(values["end"])
        if start == end:
            return "Til skal være et andet klokkeslæt end fra.", "To must be another time than from."
        span = (end - start) % 1440
        if (values.get("break_minutes") or 0) >= span:
            return "Pausen skal være kortere end tiden.", "The break must be shorter than the time."
    return None


def _ready_to_submit(values: dict[str, Any]) -> tuple[str, str] | None:
    if not (values.get("date") and values.get("start") and values.get("end")):
        return "Udfyld dato, fra og til før du sender.", "Fill in the date, from and to before sending."
    if not str(values.get("cover") or "").strip():
        return "Skriv hvad du var vikar for.", "Say what the cover was for."
    return None


def _ready_to_approve(values: dict[str, Any]) -> tuple[str, str] | None:
    """Only rule-clean entries: calculated, with an amount, and nothing the rules flagged."""
    calc = values.get("calc") or {}
    if problems := calc.get("problems"):
        return " ".join(p["da"] for p in problems), " ".join(p["en"] for p in problems)
    if calc.get("amount") is None:
        return "Registreringen er ikke beregnet endnu.", "The entry has not been calculated yet."
    return None


def _payroll_step(name: str, source: str, target: str) -> Transition:
    return Transition(
        name, frozenset({source}), target, by=Capability.EXPORT_PAYROLL, four_eyes=False, waits=False
    )


STATE_NAMES = {
    "draft": ("ikke sendt", "not sent"),
    "registered": ("registreret", "registered"),
    "approved": ("godkendt", "approved"),
    "rejected": ("afvist", "rejected"),
    "sent_to_payroll": ("sendt til løn", "sent to payroll"),
    "paid": ("udbetalt", "paid"),
}

ENTRY = RecordType(
    name=ENTRY_TYPE,
    fields=ENTRY_FIELDS,
    transitions=(
        Transition("submit", frozenset({"draft", "rejected"}), "registered", guard=_ready_to_submit),
        Transition("withdraw", frozenset({"registered"}), "draft"),
        Transition("approve", frozenset({"registered"}), "approved", by=APPROVE, guard=_ready_to_approve),
        Transition("reject", frozenset({"registered"}), "rejected", by=APPROVE, note_required=True),
        # Made by the payroll export (backend.features.payroll), not by a person's choice.
        _payroll_step(payroll.EXPORTED, "approved", "sent_to_payroll"),
        _payroll_step(payroll.PAID, "sent_to_payroll", "paid"),
    ),
    editable_states=frozenset({"draft", "rejected"}),
    deletable_states=frozenset({"draft", "rejected"}),
    view=APPROVE,
    placement=Placement(unit="unit", by=REGISTER),
    check=_check,
    state_names=STATE_NAMES,
)
