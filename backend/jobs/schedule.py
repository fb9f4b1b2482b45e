"""Recurring jobs (retention, review draws, reminders): each runs once a Danish calendar day.

Every worker calls `enqueue_due` when its day changes. A due job is enqueued with the dedupe key
"<kind>:<date>", so however many workers ask at once, each day's job exists once, and the queue
runs it like any other job: leased, retried, recorded. A day is counted in Copenhagen, not UTC, so
"the 1st of the month" starts at Danish midnight. A workflow declares one as `Job(kind, handler, daily=True)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.jobs.queue import enqueue


async def enqueue_due(db: AsyncSession, kinds: Iterable[str], day: date) -> None:
    """Add the day's run of each daily job kind, once however often it is asked (in the caller's
    transaction); each receives {"day": "YYYY-MM-DD"}."""
    for kind in sorted(kinds):
        await enqueue(db, kind, {"day": day.isoformat()}, dedupe_key=f"{kind}:{day.isoformat()}")
