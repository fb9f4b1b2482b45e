"""The facility report (driftsmelding) as a sync record type: made from a room's QR code (through the
door when not logged in), triaged by the property office (ejendomskontoret), fixed by a technician.

States: received → planned (assigned, with a due date) → in_progress → done (with a photo of the fix);
or rejected with a reason from any open state. The reporter follows it by a private link
(controller.py); what they see is rules.status, never the internal note.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.auth.roles import Role
from sync import fields
from sync.registry import RecordType, Transition

TRIAGE = "facility_triage"
"""The property office: assigns reports to technicians, sets priority and due dates, rejects."""
WORK = "facility_work"
"""Technicians (and the property office): see the reports of the units they cover, work on them."""
CAPABILITIES = {
    TRIAGE: frozenset({Role.PROPERTY_OFFICE}),
    WORK: frozenset({Role.PROPERTY_OFFICE, Role.TECHNICIAN}),
}

_CATEGORIES = json.loads((Path(__file__).parent / "rules" / "categories.json").read_text(encoding="utf-8"))
CATEGORIES: dict[str, tuple[str, str]] = {c["key"]: (c["da"], c["en"]) for c in _CATEGORIES["categories"]}
"""The municipality's list of categories (key → Danish, English): the shipped default list."""

URGENCIES = ("low", "normal", "urgent")
PRIORITIES = ("low", "normal", "high")
MAX_PHOTOS = 4

REPORT = "facility_report"

REPORT_FIELDS = {
    "code": fields.text("Rummets kode", "Room code", max_length=64, pattern=r"^[A-Za-z0-9_-]{22,64}$"),
    # The municipality's own list (categories.py); a key, checked against the list when a report is made.
    "category": fields.text(
        "Kategori", "Category", max_length=40, pattern=r"^[a-z0-9_]{1,40}$", default="other", nullable=False
    ),
    "text": fields.text("Hvad er galt", "What is wrong", max_length=2000),
    "urgency": fields.choice("Hast", "Urgency", URGENCIES, default="normal", nullable=False),
    "photos": fields.blobs("Billeder", "Photos", max_items=MAX_PHOTOS),
    # Written by the property office and the technician:
    "assignee": fields.integer("Tekniker", "Technician", min=1, max=2_147_483_647, default=None),
    "due": fields.day("Frist", "Due date", past_days=3 * 366, future_days=3 * 366, default=None),
    "priority": fields.choice("Prioritet", "Priority", PRIORITIES, default="normal", nullable=False),
    "internal_note": fields.text("Intern note", "Internal note", max_length=2000),
    "fix_photos": fields.blobs("Billede af det udbedrede", "Photo of the fix", max_items=MAX_PHOTOS),
    # Written by the server only:
    "place": fields.server_data("Sted", "Place"),
    "repeat_of": fields.server_data("Gentagen fejl", "Repeated fault"),
    # Teams and recurring tasks (teams.py, recurring.py):
    "team": fields.integer("Hold", "Team", min=1, max=2_147_483_647, default=None),
    "recurring": fields.server_data("Fast opgave", "Recurring task"),
    "carried_from": fields.server_data("Overført fra", "Carried over from"),
}
"""`code` the room's QR code as scanned (the server resolves it to `place`: {building_id, building,
room_id, room}); `assignee` a technician's user id; `due` the deadline (a date); `internal_note` never
reaches the reporter; `repeat_of` {id, closed_at} when the same room and category was closed within 30
days (rules.repeat); `team` a technician team's id (teams.py: on every member's list); `recurring`
{schedule_id, due} for an occurrence of a recurring task; `carried_from` the year (int) an unfinished task
was carried over from (rules.schedule)."""


def _ready_to_plan(f: dict[str, Any]) -> tuple[str, str] | None:
    if (f.get("assignee") is None and f.get("team") is None) or not f.get("due"):
        return (
            "Vælg hold eller tekniker og frist først.",
            "Choose a team or a technician and a due date first.",
        )
    return None


def _fixed(f: dict[str, Any]) -> tuple[str, str] | None:
    if not f.get("fix_photos"):
        return "Tag et billede af det udbedrede først.", "Take a photo of the fix first."
    return None


STATE_NAMES = {
    "received": ("modtaget", "received"),
    "planned": ("planlagt", "planned"),
    "in_progress": ("i gang", "in progress"),
    "done": ("udført", "done"),
    "rejected": ("afvist", "rejected"),
}
OPEN_STATES = frozenset({"received", "planned", "in_progress"})


def _step(name: str, source: set[str], target: str, by: str, **kw: Any) -> Transition:
    # Reports made through the door have no subject; four-eyes has nobody to protect against here.
    return Transition(name, frozenset(source), target, by=by, four_eyes=False, **kw)


REPORT_TYPE = RecordType(
    name=REPORT,
    fields=REPORT_FIELDS,
    transitions=(
        # The property office's triage board (#/ejendom) is where reports wait, not the approval inbox:
        # planning needs a technician and a deadline, which the inbox's one button cannot give.
        _step("plan", {"received", "planned"}, "planned", TRIAGE, guard=_ready_to_plan, waits=False),
        # The technician's own list shows these (not everyone's inbox):
        _step("start", {"planned"}, "in_progress", WORK, waits=False),
        _step("finish", {"planned", "in_progress"}, "done", WORK, guard=_fixed, waits=False),
        _step("reject", set(OPEN_STATES), "rejected", TRIAGE, note_required=True, waits=False),
    ),
    initial_state="received",
    editable_states=OPEN_STATES,
    deletable_states=frozenset(),
    view=WORK,
    edit_by=WORK,
    door=True,
    state_names=STATE_NAMES,
)
