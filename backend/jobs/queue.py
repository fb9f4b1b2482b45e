"""A job queue in Felt's own database, so the embedded default needs nothing else running.

Why not a queue library: procrastinate and friends are PostgreSQL-only, and Felt must run on
SQLite out of the box. The database gives what is needed: a job row is claimed with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so many worker processes share the queue without taking
the same job twice (SQLite has one writer at a time, so its claim is atomic anyway). A claim is a
lease: a worker that dies leaves a `running` job whose lease runs out, and another worker takes it.
Failures are retried with backoff up to `max_attempts`, then the job is `failed` with its error.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import utcnow
from backend.db.models import Job

LEASE = timedelta(minutes=5)


async def enqueue(
    db: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    dedupe_key: str | None = None,
    municipality_id: int | None = None,
    max_attempts: int = 3,
    run_after: datetime | None = None,
) -> None:
    """Add a job in the caller's transaction: it exists exactly when the change that needs it commits.
    `run_after`: not before then (a retry a push service asked for; the morning's reminders)."""
    values = {
        "kind": kind,
        "payload": payload,
        "dedupe_key": dedupe_key,
        "municipality_id": municipality_id,
        "max_attempts": max_attempts,
        "status": "queued",
        "attempts": 0,
        "run_after": run_after or utcnow(),
        "created_at": utcnow(),
    }
    dialect = db.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await db.execute(insert(Job).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"]))


async def claim(
    db: AsyncSession, *, now: datetime | None = None, kinds: list[str] | None = None
) -> Job | None:
    """Take the oldest ready job (or one whose worker's lease ran out) and lease it to this worker."""
    now = now or utcnow()
    ready = or_(
        (Job.status == "queued") & (Job.run_after <= now),
        (Job.status == "running") & (Job.locked_until < now),
    )
    query = select(Job.id).where(ready).order_by(Job.id).limit(1).with_for_update(skip_locked=True)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    job_id = (await db.execute(query)).scalar_one_or_none()
    if job_id is None:
        return None
    job = (
        await db.execute(
            update(Job)
            .where(Job.id == job_id, ready)
            .values(status="running", attempts=Job.attempts + 1, locked_until=now + LEASE)
            .returning(Job)
        )
    ).scalar_one_or_none()
    return job


async def finish(
    db: AsyncSession, job_id: int, error: str | None = None, *, now: datetime | None = None
) -> str:
    """Record a job's end: done, or queued again after a backoff, or failed after its last attempt."""
    now = now or utcnow()
    job = await db.get(Job, job_id, with_for_update=True)
    assert job is not None
    if error is None:
        job.status, job.finished_at, job.locked_until = "done", now, None
    elif job.attempts >= job.max_attempts:
        job.status, job.finished_at, job.last_error, job.locked_until = "failed", now, error[:2000], None
    else:
        job.status, job.last_error, job.locked_until = "queued", error[:2000], None
        job.run_after = now + timedelta(seconds=10 * 2 ** (job.attempts - 1))
    return job.status
