"""The shift (vagt) as a sync record type: placed on its subject (a planner's shift for Anna is Anna's),
in its unit; Anna sees it on her phone, offline too (Mine vagter), the unit's planners and leaders in
the week view.

`clock` and `rules` are the server's: the real instants and paid minutes, and what the working-time
checks found at the last change (with the leader's override and reason when one was given).
"""

from __future__ import annotations

from typing import Any

from backend.auth.roles import Role
from sync import fields
from sync.registry import Placement, RecordType, Transition

PLAN_SHIFTS = "plan_shifts"
"""Planners and leaders lay and change the plan of the units they cover."""
OVERRIDE_RULES = "override_work_rules"
"""Only a leader may let a shift stand that breaks a working-time rule, giving a reason that is kept."""
APPROVE_SWAPS = "approve_shift_swaps"
"""The leader approves a swap the unit does not approve by itself."""
SET_UNIT_RULES = "set_unit_work_rules"
"""The leader sets the unit's rest profile (an agreement's exceptions) and its normperiode and flex band."""
APPROVE_WEEKS = "approve_shift_weeks"
"""The unit's leader approves its weeks of shift changes (approval.py), which sends their hours to payroll."""
CAPABILITIES = {
    PLAN_SHIFTS: frozenset({Role.PLANNER, Role.LEADER}),
    OVERRIDE_RULES: frozenset({Role.LEADER}),
    SET_UNIT_RULES: frozenset({Role.LEADER}),
    APPROVE_SWAPS: frozenset({Role.LEADER}),
    APPROVE_WEEKS: frozenset({Role.LEADER}),
}

ID_MAX = 2**31 - 1
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"

SHIFT_FIELDS = {
    "date": fields.day("Dato", "Date", past_days=400, future_days=400),
    "start": fields.text("Start", "Start", max_length=5, pattern=HHMM, default=None),
    "end": fields.text("Slut", "End", max_length=5, pattern=HHMM, default=None),
    "break_minutes": fields.integer("Pause (min)", "Break (min)", min=0, max=240, default=0),
    "employee": fields.integer("Medarbejder", "Employee", min=1, max=ID_MAX),
    "unit": fields.integer("Enhed", "Unit", min=1, max=ID_MAX),
    "shift_type": fields.text("Vagttype", "Shift type", max_length=100),
    "competences": fields.texts("Kompetencer", "Competences", max_items=10, max_length=60),
    # Written by the server only:
    "clock": fields.server_data("Tidspunkt", "Time"),
    "rules": fields.server_data("Regler", "Rules"),
    "pay": fields.server_data("Løn", "Pay"),
    "payroll": fields.server_data("Lønkørsel", "Payroll"),
}
"""A shift: `date` and wall-clock `start`/`end` ("HH:MM", Copenhagen; an end at or before the start is
the next day), unpaid `break_minutes`, the `employee` (user id) it is for and the `unit` (org unit id)
it is in, the `shift_type`'s name and required `competences`. Server-owned: `clock` {start, end (ISO,
UTC), minutes (real), paid_minutes}; `rules` {findings: [{rule, da, en}], override: {reason, by, at}
| None}."""

STATE_NAMES = {"published": ("udgivet", "published"), "approved": ("godkendt", "approved")}
"""`approved`: its week was approved by the leader (approval.py); its `pay` snapshot (pay.py) is paid
through the payroll feed, in the month `payroll` {"month"} says. A change puts it back to published."""

OPEN_SHIFT_FIELDS = {
    name: SHIFT_FIELDS[name]
    for name in ("date", "start", "end", "break_minutes", "unit", "shift_type", "competences", "clock")
} | {"taken": fields.server_data("Taget", "Taken")}
"""An open shift (ledig vagt): a shift with nobody on it yet, offered to the people of the unit who can
take it without breaking a rule (its parties, part "offered"). `taken` {by, by_name, at, shift} is
written when the first valid taker gets it; the shift itself is then a `shift` record of theirs."""

OPEN_STATE_NAMES = {"open": ("ledig", "open"), "taken": ("taget", "taken")}


def _with_the_week(_: dict[str, Any]) -> tuple[str, str]:
    return (
        "En vagt godkendes med sin uge (ugegodkendelsen).",
        "A shift is approved with its week (the weekly approval).",
    )


WEEK_APPROVED = Transition(
    "week_approved",
    frozenset({"published"}),
    "approved",
    by=APPROVE_WEEKS,
    guard=_with_the_week,
    four_eyes=False,
    waits=False,
)
"""Made by the server only, when the leader approves the shift's week (approval.py): never by a push."""

SHIFT = RecordType(
    name="shift",
    fields=SHIFT_FIELDS,
    transitions=(WEEK_APPROVED,),
    initial_state="published",
    editable_states=frozenset({"published", "approved"}),
    deletable_states=frozenset({"published", "approved"}),
    placement=Placement(subject="employee", unit="unit", by=PLAN_SHIFTS),
    edit_by=PLAN_SHIFTS,
    view=PLAN_SHIFTS,
    state_names=STATE_NAMES,
)

OPEN_SHIFT = RecordType(
    name="open_shift",
    fields=OPEN_SHIFT_FIELDS,
    initial_state="open",
    editable_states=frozenset(),
    deletable_states=frozenset({"open"}),
    edit_by=PLAN_SHIFTS,
    view=PLAN_SHIFTS,
    state_names=OPEN_STATE_NAMES,
)
"""Made and taken through HTTP (`/api/shifts/open`, `/api/shifts/open/take`): each step is checked by
the rules at that moment, so it is not edited through sync; planners may withdraw one still open."""

SWAP_FIELDS = {
    "shift": fields.text("Vagt", "Shift", max_length=36),
    "summary": fields.server_data("Vagten", "The shift"),
    "taker": fields.server_data("Overtaget af", "Taken over by"),
    "findings": fields.server_data("Regler", "Rules", default=[]),
}
"""A swap (vagtbytte): the subject offers their `shift` (its id) to a named colleague or to the team:
those who can take it without breaking a rule are its parties ("offered"). Server-owned: `summary`
{date, start, end, shift_type} to show, `taker` {id, name, at} once one accepts, `findings` the rules
found when the leader's approval came too late (the shift is then left where it was)."""

SWAP_STATE_NAMES = {
    "offered": ("tilbudt", "offered"),
    "accepted": ("accepteret, venter på lederen", "accepted, waiting for the manager"),
    "approved": ("godkendt", "approved"),
    "rejected": ("afvist", "rejected"),
    "withdrawn": ("trukket tilbage", "withdrawn"),
}

SWAP = RecordType(
    name="swap",
    fields=SWAP_FIELDS,
    initial_state="offered",
    transitions=(
        Transition("withdraw", frozenset({"offered", "accepted"}), "withdrawn"),
        Transition("approve", frozenset({"accepted"}), "approved", by=APPROVE_SWAPS),
        Transition("reject", frozenset({"accepted"}), "rejected", by=APPROVE_SWAPS, note_required=True),
    ),
    editable_states=frozenset(),
    deletable_states=frozenset(),
    view=APPROVE_SWAPS,
    state_names=SWAP_STATE_NAMES,
)
"""Offered and accepted through HTTP (`/api/shifts/swaps`, checked by the rules at that moment); the
leader approves or rejects in the inbox; the offerer may withdraw until it is decided."""
