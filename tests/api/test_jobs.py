"""The durable job queue: exactly one worker per job, leases that outlive dead workers, bounded retries."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import utcnow
from backend.db.engine import make_engine
from backend.db.models import Job as JobRow
from backend.features.workflow import Job, Workflow
from backend.jobs import worker
from backend.jobs.queue import claim, enqueue, finish
from backend.platform import Platform, build
from backend.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
async def engine(settings: Settings) -> Any:
    engine = make_engine(settings.database_url, settings.database_schema)
    async with AsyncSession(engine) as db:
        await db.execute(JobRow.__table__.delete())
        await db.commit()
    yield engine
    await engine.dispose()


async def test_the_same_work_enqueued_twice_is_one_job(engine: Any) -> None:
    async with AsyncSession(engine) as db:
        for _ in range(2):
            await enqueue(db, "ocr", {"record": "r1"}, dedupe_key="ocr:r1")
        await db.commit()
        assert len((await db.scalars(select(JobRow))).all()) == 1


async def test_concurrent_workers_never_take_the_same_job(engine: Any) -> None:
    async with AsyncSession(engine) as db:
        for i in range(30):
            await enqueue(db, "ocr", {"i": i})
        await db.commit()
    taken: list[int] = []

    async def worker_loop() -> None:
        while True:
            async with AsyncSession(engine, expire_on_commit=False) as db:
                job = await claim(db)
                await db.commit()
            if job is None:
                return
            taken.append(job.id)
            await asyncio.sleep(0.001)

    await asyncio.gather(*(worker_loop() for _ in range(4)))
    assert len(taken) == 30 and len(set(taken)) == 30


async def test_a_dead_workers_job_is_taken_again_when_its_lease_runs_out(engine: Any) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as db:
        await enqueue(db, "ocr", {})
        first = await claim(db)
        await db.commit()
        assert first is not None and await claim(db) is None  # leased: nobody else takes it
        again = await claim(db, now=utcnow() + timedelta(minutes=6))
        await db.commit()
        assert again is not None and again.id == first.id and again.attempts == 2


async def test_failures_are_retried_then_the_job_fails_with_its_error(engine: Any) -> None:
    calls = []

    async def broken(db: AsyncSession, platform: Platform, payload: dict[str, Any]) -> None:
        calls.append(payload)
        raise RuntimeError("tesseract crashed")

    jobs = build([Workflow("failing", jobs=(Job("always-fails", broken),))])
    async with AsyncSession(engine) as db:
        await enqueue(db, "always-fails", {"x": 1}, max_attempts=2)
        await db.commit()
    assert await worker.run_one(engine, jobs)
    async with AsyncSession(engine) as db:
        job = (await db.scalars(select(JobRow))).one()
        assert (job.status, job.attempts) == ("queued", 1) and job.run_after > utcnow()
        job.run_after = utcnow()  # skip the backoff
        await db.commit()
    assert await worker.run_one(engine, jobs)
    assert not await worker.run_one(engine, jobs)
    async with AsyncSession(engine) as db:
        job = (await db.scalars(select(JobRow))).one()
        assert (job.status, job.attempts, job.last_error) == (
            "failed",
            2,
            "RuntimeError: tesseract crashed",
        )
    assert len(calls) == 2


async def test_a_queued_job_survives_a_restart(settings: Settings, engine: Any) -> None:
    done = []

    async def remember(db: AsyncSession, platform: Platform, payload: dict[str, Any]) -> None:
        done.append(payload["v"])

    jobs = build([Workflow("remembering", jobs=(Job("remember", remember),))])
    async with AsyncSession(engine) as db:
        await enqueue(db, "remember", {"v": 42})
        await db.commit()
    await engine.dispose()  # the server stops
    restarted = make_engine(settings.database_url, settings.database_schema)
    assert await worker.run_one(restarted, jobs) and done == [42]
    async with AsyncSession(restarted) as db:
        assert (await db.scalars(select(JobRow.status))).one() == "done"
        assert await finish(db, (await db.scalars(select(JobRow.id))).one()) == "done"
    await restarted.dispose()
