"""Recurring jobs (retention, review draws, reminders): each runs once a Danish calendar day.

Every worker calls `enqueue_due` when its day changes. A due job is enqueued with the dedupe key
"<kind>:<date>", so however many workers ask at once, each day's job exists once, and the queue
runs it like any other job: leased, retried, recorded. A day is counted in Copenhagen, not UTC, so
"the 1st of the month" starts at Danish midnight. Register one with `handles(kind, daily=True)`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.jobs.queue import enqueue

DAILY: set[str] = set()
"""Kinds of job that run once a day; each receives {"day": "YYYY-MM-DD"}."""


async def enqueue_due(db: AsyncSession, day: date) -> None:
    """Add the day's run of every daily job, once however often it is asked (in the caller's transaction)."""
    for kind in sorted(DAILY):
        await enqueue(db, kind, {"day": day.isoformat()}, dedupe_key=f"{kind}:{day.isoformat()}")
