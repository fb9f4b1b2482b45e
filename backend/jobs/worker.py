"""Running jobs: inside the app on the embedded default, or as `python -m backend worker` processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend.clock import today
from backend.jobs.queue import claim, finish
from backend.jobs.schedule import DAILY, enqueue_due

log = logging.getLogger("felt.jobs")

Handler = Callable[[AsyncSession, dict[str, Any]], Awaitable[None]]
HANDLERS: dict[str, Handler] = {}
"""Job kind → handler; each workflow registers its own (e.g. "ocr" by receipts)."""


def handles(kind: str, *, daily: bool = False) -> Callable[[Handler], Handler]:
    """Register `handler` for jobs of `kind`; `daily` also enqueues one every day (see schedule.py)."""

    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        if daily:
            DAILY.add(kind)
        return handler

    return register


async def run_one(engine: AsyncEngine) -> bool:
    """Claim and run one job; False when there was nothing to do."""
    async with AsyncSession(engine, expire_on_commit=False) as db:
        job = await claim(db, kinds=sorted(HANDLERS))
        await db.commit()  # the lease is visible to every other worker from here
    if job is None:
        return False
    error = None
    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            await HANDLERS[job.kind](db, job.payload)
            await db.commit()
    except Exception as exc:  # a job's failure is recorded on the job, never crashes the worker
        log.exception("job %s (%s) failed", job.id, job.kind)
        error = f"{type(exc).__name__}: {exc}"
    async with AsyncSession(engine) as db:
        status = await finish(db, job.id, error)
        await db.commit()
    log.info("job %s (%s): %s", job.id, job.kind, status)
    return True


async def _schedule_today(engine: AsyncEngine, scheduled: date | None) -> date:
    """Enqueue the daily jobs once per day per worker; the dedupe key makes it once per day in all."""
    day = today()
    if day != scheduled:
        async with AsyncSession(engine) as db:
            await enqueue_due(db, day)
            await db.commit()
    return day


async def run_forever(engine: AsyncEngine, stop: asyncio.Event, idle_seconds: float = 1.0) -> None:
    scheduled: date | None = None
    while not stop.is_set():
        try:
            scheduled = await _schedule_today(engine, scheduled)
            worked = await run_one(engine)
        except Exception:
            log.exception("job worker hiccup; retrying")
            worked = False
        if not worked:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), idle_seconds)


class InlineWorker:
    """The worker that runs inside each app process (the embedded default; on PostgreSQL the app
    processes and any `python -m backend worker` processes share the queue safely)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(run_forever(self.engine, self.stop))

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await self.task
