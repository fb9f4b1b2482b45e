"""Running jobs: inside the app on the embedded default, or as `python -m backend worker` processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend.clock import today
from backend.jobs.queue import claim, finish
from backend.jobs.schedule import enqueue_due
from backend.platform import Platform

log = logging.getLogger("felt.jobs")


async def run_one(engine: AsyncEngine, platform: Platform) -> bool:
    """Claim and run one job of a kind the platform's workflows handle; False when there was nothing to do."""
    async with AsyncSession(engine, expire_on_commit=False) as db:
        job = await claim(db, kinds=sorted(platform.jobs))
        await db.commit()  # the lease is visible to every other worker from here
    if job is None:
        return False
    error = None
    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            await platform.jobs[job.kind].handler(db, platform, job.payload)
            await db.commit()
    except Exception as exc:  # a job's failure is recorded on the job, never crashes the worker
        log.exception("job %s (%s) failed", job.id, job.kind)
        error = f"{type(exc).__name__}: {exc}"
    async with AsyncSession(engine) as db:
        status = await finish(db, job.id, error)
        await db.commit()
    log.info("job %s (%s): %s", job.id, job.kind, status)
    return True


async def _schedule_today(engine: AsyncEngine, platform: Platform, scheduled: date | None) -> date:
    """Enqueue the daily jobs once per day per worker; the dedupe key makes it once per day in all."""
    day = today()
    if day != scheduled:
        async with AsyncSession(engine) as db:
            await enqueue_due(db, platform.daily, day)
            await db.commit()
    return day


async def run_forever(
    engine: AsyncEngine, platform: Platform, stop: asyncio.Event, idle_seconds: float = 1.0
) -> None:
    scheduled: date | None = None
    for workflow in platform.workflows:  # models and the like, loaded once per worker process
        for prepare in workflow.warm_up:
            try:
                await asyncio.to_thread(prepare)
            except Exception:
                log.exception("warming up %s failed; its jobs will load what they need", workflow.name)
    while not stop.is_set():
        try:
            scheduled = await _schedule_today(engine, platform, scheduled)
            worked = await run_one(engine, platform)
        except Exception:
            log.exception("job worker hiccup; retrying")
            worked = False
        if not worked:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), idle_seconds)


class InlineWorker:
    """The worker that runs inside each app process (the embedded default; on PostgreSQL the app
    processes and any `python -m backend worker` processes share the queue safely)."""

    def __init__(self, engine: AsyncEngine, platform: Platform) -> None:
        self.engine = engine
        self.platform = platform
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(run_forever(self.engine, self.platform, self.stop))

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await self.task
