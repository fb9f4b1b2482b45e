"""Signed-in followers of a facility report: its reporter (signed in) and whoever chose "Allerede meldt —
følg den i stedet". They are told of each status change (planned, in progress, done, rejected with
the reason) as a notification in the category "follows"; the internal note is never in it. Reporters
who are not logged in follow by their private link instead (controller.py, the receipt).
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.sync_tables import SYNC
from backend.features.facility.models import Follower
from backend.features.facility.record_type import STATE_NAMES
from backend.features.notify.emit import Text, message, to_people
from backend.features.workflow import Effect
from sync.apply import Record

TOLD = frozenset({"planned", "in_progress", "done", "rejected"})
"""The states a follower hears of (issue 15: planned, in progress, done with a photo, rejected)."""


async def add(db: AsyncSession, record_id: UUID, user_id: int, *, reporter: bool = False) -> None:
    """`user_id` follows the report (again: no change). Flushed in a savepoint, so a resend at the same
    moment is no error."""
    if await db.get(Follower, (record_id, user_id)) is not None:
        return
    try:
        async with db.begin_nested():
            db.add(
                Follower(
                    record_id=record_id, user_id=user_id, reporter=reporter, created_at=datetime.now(UTC)
                )
            )
    except IntegrityError:
        pass


async def of(db: AsyncSession, record_id: UUID) -> list[int]:
    """The user ids following the report."""
    rows = await db.scalars(select(Follower.user_id).where(Follower.record_id == record_id))
    return sorted(rows.all())


async def move(db: AsyncSession, from_id: UUID, to_id: UUID) -> int:
    """The followers of a merged report follow the kept one too (merge.py); returns how many were added."""
    added = 0
    for user_id in await of(db, from_id):
        if await db.get(Follower, (to_id, user_id)) is None:
            await add(db, to_id, user_id)
            added += 1
    return added


def status_text(state: str, note: str) -> tuple[Text, Text]:
    """The title and body a follower gets for a report now in `state`; a rejection carries its reason
    (the step's note), nothing else does."""
    da, en = STATE_NAMES.get(state, (state, state))
    title = Text(f"Din fejlmelding er {da}", f"Your report is {en}")
    bodies = {
        "planned": Text("En tekniker har fået opgaven.", "A technician has been given the task."),
        "in_progress": Text("Teknikeren er i gang.", "The technician has started."),
        "done": Text(
            "Fejlen er udbedret. Se billedet af det udbedrede.",
            "The fault is fixed. See the photo of the fix.",
        ),
        "rejected": Text("Meldingen er afvist.", "The report was rejected."),
    }
    body = bodies.get(state, Text("", ""))
    if state == "rejected" and note:
        body = Text(f"{body.da} Begrundelse: {note}", f"{body.en} Reason: {note}")
    return title, body


async def _stored_steps(db: AsyncSession, ids: list[UUID]) -> dict[UUID, int]:
    r = SYNC.record.c
    rows = await db.execute(select(r.id, r.history).where(r.id.in_(ids)))
    return {row.id: len(row.history or []) for row in rows}


async def tell(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """The push hook: each status step made in this batch is sent to the report's followers, except to
    the person who made it; once per step however often the batch is retried (its key)."""
    effects: list[Effect] = []
    before = await _stored_steps(db, [r.id for r in records])
    for record in records:
        done = before.get(record.id, 0)
        if len(record.history) <= done or record.deleted:
            continue
        people = await of(db, record.id)
        if not people:
            continue
        for n, step in enumerate(record.history[done:], start=done + 1):
            state = str(step.get("state") or "")
            if state not in TOLD:
                continue
            title, body = status_text(state, str(step.get("note") or "") if state == "rejected" else "")
            to = [p for p in people if p != step.get("by")]
            msg = message("follows", title, body, f"/#/kvittering/{record.id}", topic=f"facility-{record.id}")
            if to:
                effects.append(
                    to_people(
                        to, msg, key=f"facility:{record.id}:{n}", municipality_id=record.municipality_id
                    )
                )
    return effects
