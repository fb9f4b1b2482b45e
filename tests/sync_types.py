"""A workflow of the tests' own (a "note"), until the workflows bring their own: built into the test
app beside the real ones (tests/conftest.py), so the sync engine is tested on a type nobody ships."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import OrgUnit
from backend.features.notify.emit import Text, announce
from backend.features.workflow import Workflow
from sync import fields
from sync.apply import Place
from sync.registry import Placement, RecordType, Transition

NOTE_FIELDS = {
    "title": fields.text("Titel", "Title", max_length=200),
    "body": fields.text("Tekst", "Text", max_length=2000),
    "done": fields.flag("Færdig", "Done"),
    "photo": fields.blobs("Billede", "Photo", many=False),
}


def _check(values: dict[str, Any]) -> tuple[str, str] | None:
    return (
        ("Titlen må ikke være 'forbudt'.", "The title cannot be 'forbidden'.")
        if values.get("title") == "forbudt"
        else None
    )


NOTE = RecordType(
    name="note",
    fields=NOTE_FIELDS,
    transitions=(
        Transition("submit", frozenset({"draft"}), "submitted"),
        Transition("approve", frozenset({"submitted"}), "approved", by="view_staff"),
        Transition("reject", frozenset({"submitted"}), "draft", by="view_staff"),
    ),
    view="view_staff",
    check=_check,
    state_names={
        "draft": ("en kladde", "a draft"),
        "submitted": ("indsendt", "submitted"),
        "approved": ("godkendt", "approved"),
    },
)

PLAN_SHIFTS = "plan_test_shifts"
TASK = RecordType(
    name="task",
    fields={
        "title": fields.text("Titel", "Title", max_length=200),
        "employee": fields.integer("Medarbejder", "Employee", min=1, max=2**31 - 1),
        "unit": fields.integer("Enhed", "Unit", min=1, max=2**31 - 1),
        "counterpart": fields.integer("Kollega", "Colleague", min=1, max=2**31 - 1),
        "followers": fields.Field("list", ("Følgere", "Followers"), default=[], nullable=False, max_items=10),
    },
    transitions=(Transition("done", frozenset({"draft"}), "done"),),
    placement=Placement(
        subject="employee", unit="unit", parties=(("counterpart", "counterpart"),), by=PLAN_SHIFTS
    ),
    edit_by=PLAN_SHIFTS,
    view=PLAN_SHIFTS,
)
"""A record placed on someone else: a planner writes it for an employee (like a shift), naming a colleague."""

REPORT = RecordType(
    name="report",
    fields={"what": fields.text("Hvad er der galt", "What is wrong", max_length=500)},
    transitions=(Transition("close", frozenset({"draft"}), "closed", by="view_staff", four_eyes=False),),
    view="view_staff",
    door=True,
)
"""A report anyone may make through a door (like a room's QR code), placed on the door's unit."""


async def unit_door(db: AsyncSession, key: str) -> Place | None:
    """The key "unit-<id>" places a report on that unit (a real door's key is an unguessable code)."""
    unit = await db.get(OrgUnit, int(key[5:])) if key.startswith("unit-") and key[5:].isdigit() else None
    return Place(unit.municipality_id, unit.id, unit.path) if unit else None


NOTES = Workflow(
    name="notes",
    record_types=(NOTE, TASK, REPORT),
    capabilities={PLAN_SHIFTS: frozenset({Role.PLANNER})},
    doors={"report": unit_door},
)

BENCH_NOTES = dataclasses.replace(
    NOTES,
    name="bench_notes",
    hooks={
        "note": (
            announce(
                NOTE,
                "notes",
                {"approve": (Text("Noten er godkendt", "The note was approved"), Text("Se den.", "See it."))},
            ),
        )
    },
)
"""The notes as bench/sync.py serves them: announced like a real workflow's records (trips, receipts),
so the benchmark pays what the notification hook costs on every push."""
