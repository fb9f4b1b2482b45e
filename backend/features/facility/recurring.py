"""Recurring facility tasks: the property office's schedules (every N days/weeks/months/years in a
building or room) and the daily job that makes each occurrence a task once and carries unfinished tasks
into the next year (the rules: rules/schedule.py).

An occurrence's task is a facility report with a fixed id (uuid5 of the schedule and the due date), so
however often the job runs — twice on a day, two workers at once — each occurrence exists once. It is
planned for the schedule's team or technician with the occurrence as its due date, or waits on the board
when the schedule names nobody.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import OrgUnit
from backend.db.sync_tables import SYNC
from backend.features.facility.models import Building, Room
from backend.features.facility.planning_models import Schedule
from backend.features.facility.record_type import OPEN_STATES, REPORT
from backend.features.facility.rules.schedule import Every, carried_from, due_to_make
from backend.features.sync import pipeline
from backend.features.workflow import Change
from sync import engine
from sync.apply import Record

if TYPE_CHECKING:
    from backend.platform import Platform

KIND = "facility-recurring"
NAMESPACE = uuid.UUID("5f0c2a55-7f5e-4d6b-9a43-2c1e9b8d7a10")


def occurrence_id(schedule_id: int, due: date) -> uuid.UUID:
    """The fixed id of a schedule's occurrence due on `due` (the job's dedupe key)."""
    return uuid.uuid5(NAMESPACE, f"{schedule_id}/{due.isoformat()}")


def every(schedule: Schedule) -> Every:
    """A schedule's rhythm as the rule sees it. Raises ValueError for an impossible one."""
    return Every(schedule.every, schedule.unit, schedule.start)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Made:
    """What one run did: occurrences made, tasks carried over."""

    made: int
    carried: int


async def _occurrence(db: AsyncSession, schedule: Schedule, due: date) -> Change | None:
    rid = occurrence_id(schedule.id, due)
    if await engine.load(db, SYNC, rid) is not None:
        return None
    building = await db.get(Building, schedule.building_id)
    unit = await db.get(OrgUnit, building.unit_id) if building else None
    if building is None or unit is None:
        return None
    room = await db.get(Room, schedule.room_id) if schedule.room_id else None
    record = Record(
        id=rid,
        type=REPORT,
        municipality_id=schedule.municipality_id,
        owner_id=None,
        unit_id=unit.id,
        unit_path=unit.path,
        state="received",
        fields={},
        version=0,
        deleted=False,
        updated_at=datetime.now(UTC),
    )
    fields: dict[str, Any] = {
        "code": "",
        "category": schedule.category,
        "text": schedule.title,
        "urgency": "normal",
        "photos": [],
        "assignee": schedule.assignee,
        "team": schedule.team_id,
        "due": due.isoformat(),
        "priority": "normal",
        "internal_note": "",
        "fix_photos": [],
        "place": {
            "building_id": building.id,
            "building": building.name,
            "room_id": room.id if room else None,
            "room": room.name if room else "",
        },
        "repeat_of": {},
        "recurring": {"schedule_id": schedule.id, "due": due.isoformat()},
        "carried_from": None,
    }
    assigned = schedule.assignee is not None or schedule.team_id is not None
    return Change(record, fields, state="planned" if assigned else None, step="plan" if assigned else None)


async def _carry_overs(db: AsyncSession, day: date) -> list[Change]:
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(r.type == REPORT, r.state.in_(OPEN_STATES), r.deleted.is_(False))
    )
    changes = []
    for row in rows:
        record = engine.load_row(row)
        if record.fields.get("carried_from"):
            continue
        due = record.fields.get("due")
        year = carried_from(date.fromisoformat(due) if due else None, True, day)
        if year is not None:
            changes.append(Change(record, {**record.fields, "carried_from": year}))
    return changes


async def run(db: AsyncSession, platform: Platform, day: date) -> Made:
    """Make the occurrences due by `day` (rules.schedule.due_to_make) that do not exist yet, and carry
    the open tasks of earlier years over; written through the sync pipeline (the caller commits)."""
    changes: list[Change] = []
    for schedule in (await db.scalars(select(Schedule).where(Schedule.active.is_(True)))).all():
        for due in due_to_make(every(schedule), day, schedule.since):
            if (change := await _occurrence(db, schedule, due)) is not None:
                changes.append(change)
    made = len(changes)
    carried = await _carry_overs(db, day)
    if changes or carried:
        await pipeline.save(db, platform, [*changes, *carried])
    return Made(made, len(carried))


async def daily_job(db: AsyncSession, platform: Platform, payload: dict[str, Any]) -> None:
    """The daily job (Job(KIND, daily=True)): payload {"day": "YYYY-MM-DD"}, the Danish day."""
    await run(db, platform, date.fromisoformat(payload["day"]))


@dataclass(frozen=True)
class ScheduleIn:
    """A schedule as the property office sends it (`id` None: a new one, matched by building, room and
    title so that sending it twice makes one)."""

    id: int | None
    building_id: int
    room_id: int | None
    title: str
    category: str
    every: int
    unit: str
    start: date
    team_id: int | None
    assignee: int | None
    active: bool


async def save_schedule(
    db: AsyncSession, municipality_id: int, data: ScheduleIn, today: date
) -> Schedule | None:
    """Create or change a schedule; None when the id names no schedule of the municipality. The caller
    has checked the building, room, category, team and technician. A changed rhythm makes occurrences
    from `today` on (`since`); an unchanged one keeps its history."""
    if data.id is not None:
        found = await db.get(Schedule, data.id)
        if found is None or found.municipality_id != municipality_id:
            return None
        schedule = found
    else:
        schedule = (
            await db.scalars(
                select(Schedule).where(
                    Schedule.municipality_id == municipality_id,
                    Schedule.building_id == data.building_id,
                    Schedule.room_id.is_(None) if data.room_id is None else Schedule.room_id == data.room_id,
                    Schedule.title == data.title,
                )
            )
        ).first() or Schedule(municipality_id=municipality_id, since=today)
        db.add(schedule)
    rhythm = (data.every, data.unit, data.start)
    if schedule.id is not None and (schedule.every, schedule.unit, schedule.start) != rhythm:
        schedule.since = today
    schedule.building_id, schedule.room_id, schedule.title = data.building_id, data.room_id, data.title
    schedule.category, schedule.every, schedule.unit, schedule.start = data.category, *rhythm
    schedule.team_id, schedule.assignee, schedule.active = data.team_id, data.assignee, data.active
    await db.flush()
    return schedule
