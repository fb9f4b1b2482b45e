"""Buildings, rooms and reports in the database: the door's code lookup, the report hook (place and
repeated fault), the duplicate hint, private links, and rotating a building's codes."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import OrgUnit
from backend.db.sync_tables import SYNC
from backend.features.facility.models import Building, FollowLink, ReplacedCode, Room
from backend.features.facility.record_type import OPEN_STATES, REPORT
from backend.features.facility.rules import codes
from backend.features.facility.rules.repeat import Closed, repeated_fault
from backend.features.facility.rules.status import status_change
from backend.features.workflow import Change, Effect, Refuse
from sync.apply import Place, Record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scanned:
    """What a room's code opens: the room and its building (`replaced` when an admin rotated it)."""

    room: Room | None
    building: Building | None
    replaced: bool = False


async def scan(db: AsyncSession, code: str) -> Scanned:
    """The room a code belongs to, or that the code was replaced; nothing when it is unknown."""
    if not codes.looks_like_code(code):
        return Scanned(None, None)
    room = (await db.scalars(select(Room).where(Room.code == code))).one_or_none()
    if room is None:
        replaced = await db.get(ReplacedCode, code)
        return Scanned(None, None, replaced=replaced is not None)
    return Scanned(room, await db.get(Building, room.building_id))


SIGNED_IN_REPORTER: ContextVar[int | None] = ContextVar("facility_signed_in_reporter", default=None)
"""The municipality of a signed-in reporter whose report goes through the door now (controller.py's
signed-in report): a closed building's code opens the door for them, and for nobody else."""


_DOOR_KEY: ContextVar[str | None] = ContextVar("facility_door_key", default=None)
"""The code a report came through the door with, in this request: its `code` field must be the same."""


def may_report(building: Building, signed_in_municipality: int | None) -> bool:
    """Whether a report may be made from this building's codes: by anyone when it is open to reports
    without log-in (a setting per building), else only by someone signed in to its municipality."""
    return building.open_reporting or signed_in_municipality == building.municipality_id


async def open_door(db: AsyncSession, key: str) -> Place | None:
    """The door (backend.features.sync.door): a code of a building open to reports without log-in
    places the report on the building's unit (a closed building's only for a signed-in reporter of its
    municipality, SIGNED_IN_REPORTER); any other key is unknown (404)."""
    found = await scan(db, key)
    if found.building is None or not may_report(found.building, SIGNED_IN_REPORTER.get()):
        return None
    _DOOR_KEY.set(key)
    unit = await db.get(OrgUnit, found.building.unit_id)
    return Place(unit.municipality_id, unit.id, unit.path) if unit else None


def _place(room: Room, building: Building) -> dict[str, Any]:
    return {"building_id": building.id, "building": building.name, "room_id": room.id, "room": room.name}


async def _closed(db: AsyncSession, municipality_id: int, room_id: int, category: str) -> list[Closed]:
    r = SYNC.record.c
    rows = await db.execute(
        select(r.id, r.fields, r.history).where(
            r.type == REPORT, r.municipality_id == municipality_id, r.state == "done", r.deleted.is_(False)
        )
    )
    out = []
    for record_id, f, history in rows:
        if (f.get("place") or {}).get("room_id") == room_id and f.get("category") == category:
            done = [h["at"] for h in history if h.get("state") == "done"]
            if done:
                out.append(Closed(str(record_id), datetime.fromisoformat(done[-1])))
    return out


FORGED = (
    "Meldingens kode passer ikke til rummet, den blev sendt fra. Scan koden i rummet igen.",
    "The report's code does not match the room it was sent from. Scan the code in the room again.",
)
PER_ROOM_HOUR = 20
"""At most 20 new reports an hour from one room's code (whoever sends them): a label copied and
abused cannot flood the board; the per-address limits are the door's and the public look-ups'."""
TOO_MANY = (
    "Der er kommet mange meldinger fra dette rum den seneste time. Prøv igen senere, "
    "eller ring til ejendomskontoret.",
    "Many reports came from this room in the last hour. Try again later, or call the property office.",
)


async def _recent(db: AsyncSession, municipality_id: int, room_id: int, since: datetime) -> int:
    r = SYNC.record.c
    rows = await db.execute(
        select(r.fields).where(r.type == REPORT, r.municipality_id == municipality_id, r.created_at >= since)
    )
    return sum(1 for (f,) in rows if (f.get("place") or {}).get("room_id") == room_id)


async def reports_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """The push hook: a new report's code becomes its place (the room must be in the building the
    report was placed on, else the report is refused in words: FORGED; more than PER_ROOM_HOUR new
    reports of a room in an hour: TOO_MANY), and a repeated fault is tagged; a status change is
    announced (one place: `announce`)."""
    effects: list[Effect] = []
    for record in records:
        announce(record)
        if record.fields.get("place"):
            continue
        code = str(record.fields.get("code") or "")
        found = await scan(db, code)
        door = _DOOR_KEY.get() if record.author_id is None else None
        if (
            found.room is None
            or found.building is None
            or found.building.unit_id != record.unit_id
            or (door is not None and door != code)
        ):
            effects.append(Refuse(record, *FORGED))
            continue
        since = record.updated_at - timedelta(hours=1)
        if await _recent(db, record.municipality_id, found.room.id, since) >= PER_ROOM_HOUR:
            effects.append(Refuse(record, *TOO_MANY))
            continue
        category = str(record.fields.get("category") or "")
        hit = repeated_fault(
            record.updated_at, await _closed(db, record.municipality_id, found.room.id, category)
        )
        repeat = {"id": hit.id, "closed_at": hit.closed_at.isoformat()} if hit else {}
        effects.append(
            Change(
                record,
                fields={**record.fields, "place": _place(found.room, found.building), "repeat_of": repeat},
            )
        )
    return effects


def announce(record: Record) -> None:
    """The one place a report's status change is recognised: its followers are to be told here (the
    push notifications' mechanism hooks in with one line)."""
    if not record.history or record.history[-1].get("at") != record.updated_at.isoformat():
        return
    before = record.history[-2]["state"] if len(record.history) > 1 else "received"
    if change := status_change(before, str(record.history[-1].get("state"))):
        log.info("facility report %s: %s → %s", record.id, *change)


async def open_reports(db: AsyncSession, room: Room) -> list[dict[str, Any]]:
    """The open reports of a room (the duplicate hint), oldest first: id, category, state, when, and the
    beginning of the text; nothing about who reported or who works on it."""
    r = SYNC.record.c
    rows = await db.execute(
        select(r.id, r.state, r.fields, r.created_at)
        .where(
            r.type == REPORT,
            r.municipality_id == room.municipality_id,
            r.state.in_(OPEN_STATES),
            r.deleted.is_(False),
        )
        .order_by(r.created_at)
    )
    return [
        {
            "id": str(record_id),
            "category": f.get("category") or "",
            "state": state,
            "reported_at": created.isoformat(),
            "text": str(f.get("text") or "")[:140],
        }
        for record_id, state, f, created in rows
        if (f.get("place") or {}).get("room_id") == room.id
    ]


async def follow(db: AsyncSession, room: Room, record_id: UUID, secret: str) -> bool:
    """Register a private link to a report of this room (the reporter's own, or "already reported —
    follow it instead"); True when registered (again: no change). False: no such report of this room."""
    r = SYNC.record.c
    row = (
        await db.execute(select(r.fields, r.state).where(r.id == record_id, r.type == REPORT))
    ).one_or_none()
    if row is None or (row.fields.get("place") or {}).get("room_id") != room.id:
        return False
    digest = codes.secret_hash(secret)
    existing = await db.get(FollowLink, digest)
    if existing is not None:
        return existing.record_id == record_id
    if row.state not in OPEN_STATES:
        return False
    try:
        async with db.begin_nested():
            db.add(FollowLink(secret_hash=digest, record_id=record_id, created_at=datetime.now(UTC)))
    except IntegrityError:  # the same link registered at the same moment by a resend
        pass
    return True


async def followed(db: AsyncSession, record_id: UUID, secret: str) -> Any | None:
    """The report a private link opens (its row), or None when the secret is not this report's."""
    if not codes.looks_like_code(secret):
        return None
    link = await db.get(FollowLink, codes.secret_hash(secret))
    if link is None or link.record_id != record_id:
        return None
    r = SYNC.record.c
    return (
        await db.execute(
            select(r.id, r.state, r.fields, r.history, r.created_at).where(
                r.id == record_id, r.deleted.is_(False)
            )
        )
    ).one_or_none()


async def status_row(db: AsyncSession, row: Any) -> Any:
    """The report whose status a private link shows: the report itself, or, when the property office
    merged it into another (merge.py), the kept one (followed at most 3 merges deep)."""
    r = SYNC.record.c
    for _ in range(3):
        into = (row.fields.get("merged_into") or {}).get("id") if row.state == "merged" else None
        if not into:
            break
        kept = (
            await db.execute(
                select(r.id, r.state, r.fields, r.history, r.created_at).where(
                    r.id == UUID(str(into)), r.deleted.is_(False)
                )
            )
        ).one_or_none()
        if kept is None:
            break
        row = kept
    return row


async def rotate(db: AsyncSession, building: Building) -> int:
    """Give every room of the building a new code; the old ones answer "replaced". Returns how many."""
    rooms = (await db.scalars(select(Room).where(Room.building_id == building.id))).all()
    now = datetime.now(UTC)
    for room in rooms:
        db.add(ReplacedCode(code=room.code, room_id=room.id, replaced_at=now))
        room.code = codes.new_code()
    await db.flush()
    return len(rooms)
