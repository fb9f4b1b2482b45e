"""Property test of the sync engine under a faulty network (hypothesis).

Several devices of one user edit the same few records while requests and responses are dropped,
duplicated, delayed and reordered, and the server crashes in the middle of batches. Afterwards,
once the network is good again, every device holds exactly the server's records, every mutation
was processed exactly once, and none was lost. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend.auth.roles import Principal
from backend.auth.sessions import load_grants
from backend.db.engine import make_engine
from backend.db.models import OrgUnit
from backend.db.sync_tables import SYNC
from backend.settings import Settings
from sync import engine as sync_engine
from sync.protocol import Mutation
from sync.registry import Registry
from tests.sync_types import NOTE
from tests.world import build_world

REGISTRY = Registry([NOTE])

pytestmark = pytest.mark.anyio
FIELDS = ("title", "body")


class Crash(Exception):
    """The server process died before committing."""


class CrashingSession:
    """Passes statements through to a real session until the k-th, then dies like a killed server."""

    def __init__(self, session: AsyncSession, crash_at: int) -> None:
        self._session, self._left = session, crash_at

    def get_bind(self) -> Any:
        return self._session.get_bind()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        self._left -= 1
        if self._left < 0:
            raise Crash
        return await self._session.execute(*args, **kwargs)


@dataclass
class Device:
    id: uuid.UUID
    next_n: int = 1
    outbox: list[Mutation] = field(default_factory=list)
    server_copy: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    cursor: str | None = None

    def edit(self, record_id: uuid.UUID, name: str, value: str) -> None:
        copy = self.server_copy.get(record_id)
        base = {name: copy["fields"].get(name)} if copy else {}
        self.outbox.append(Mutation(self.next_n, "put", "note", record_id, {name: value}, base))
        self.next_n += 1

    def take(self, record: dict[str, Any]) -> None:
        """Keep the newest server version; a late, reordered response must not roll a record back."""
        known = self.server_copy.get(record["id"])
        if known is None or record["version"] >= known["version"]:
            self.server_copy[record["id"]] = record

    def acknowledge(self, last_n: int) -> None:
        self.outbox = [m for m in self.outbox if m.n > last_n]


@dataclass
class Server:
    engine: AsyncEngine
    viewer: Principal
    processed: dict[tuple[uuid.UUID, int], str] = field(default_factory=dict)

    async def push(self, device_id: uuid.UUID, batch: list[Mutation], crash_at: int | None) -> dict[str, Any]:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            db: Any = CrashingSession(session, crash_at) if crash_at is not None else session
            try:
                pushed = await sync_engine.push(db, SYNC, REGISTRY, self.viewer, device_id, batch)
            except Crash:
                await session.rollback()
                raise
            await session.commit()
        for result in pushed.response.results:
            if result.status in {"applied", "rejected", "conflict"} and not result.duplicate:
                key = (device_id, result.n)
                assert key not in self.processed, f"mutation {key} was processed twice"
                self.processed[key] = result.status
        return {
            "last_n": pushed.response.last_n,
            "records": [_plain(r.record) for r in pushed.response.results if r.record],
        }

    async def pull(self, device: Device) -> None:
        while True:
            async with AsyncSession(self.engine) as session:
                page = await sync_engine.pull(
                    session, SYNC, REGISTRY, self.viewer, device.id, device.cursor, 3, "fp"
                )
            for record in page.records:
                device.take(_plain(record))
            device.acknowledge(page.last_n)
            device.cursor = page.cursor
            if not page.has_more:
                return

    async def forget(self) -> None:
        """Start an example with no notes of this user, so pulls stay small and examples independent."""
        async with AsyncSession(self.engine) as session:
            await session.execute(SYNC.record.delete().where(SYNC.record.c.owner_id == self.viewer.user_id))
            await session.commit()

    async def records(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
        async with AsyncSession(self.engine) as session:
            rows = (await session.execute(select(SYNC.record).where(SYNC.record.c.id.in_(ids)))).all()
        return {r.id: {"fields": dict(r.fields), "version": r.version} for r in rows}


def _plain(record: Any) -> dict[str, Any]:
    return {"id": record.id, "version": record.version, "fields": dict(record.fields)}


step = st.one_of(
    st.tuples(
        st.just("edit"),
        st.integers(0, 2),
        st.integers(0, 3),
        st.sampled_from(FIELDS),
        st.text("abc", max_size=3),
    ),
    st.tuples(
        st.just("sync"),
        st.integers(0, 2),
        st.sampled_from(["ok", "drop_request", "drop_response", "duplicate", "crash", "delay"]),
        st.integers(0, 6),
    ),
    st.tuples(st.just("pull"), st.integers(0, 2)),
    st.tuples(st.just("deliver"), st.booleans()),
)


@pytest.fixture
async def server(db: AsyncSession, settings: Settings) -> Any:
    world = await build_world(db)
    user = world.in_a1
    unit = await db.get(OrgUnit, user.unit_id)
    viewer = Principal(
        user.id,
        user.municipality_id,
        user.name,
        user.unit_id,
        await load_grants(db, user.id),
        unit.path if unit else None,
    )
    engine = make_engine(settings.database_url, settings.database_schema)
    yield Server(engine, viewer)
    await engine.dispose()


@hsettings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=25), seed=st.integers(0, 2**16))
async def test_devices_converge_and_every_mutation_is_processed_once(
    server: Server, steps: list[tuple], seed: int
) -> None:
    server.processed.clear()
    await server.forget()
    devices = [Device(uuid.uuid4()) for _ in range(3)]
    record_ids = [uuid.uuid4() for _ in range(4)]
    delayed: list[tuple[Device, list[Mutation]]] = []
    shuffle = random.Random(seed)

    async def deliver(device: Device, batch: list[Mutation], fault: str, crash_at: int) -> None:
        if fault == "drop_request" or not batch:
            return
        if fault == "delay":
            delayed.append((device, batch))
            return
        try:
            answer = await server.push(device.id, batch, crash_at if fault == "crash" else None)
        except Crash:
            return
        if fault == "duplicate":
            answer = await server.push(device.id, batch, None)
        if fault != "drop_response":
            for record in answer["records"]:
                device.take(record)
            device.acknowledge(answer["last_n"])

    for action, *args in steps:
        if action == "edit":
            d, r, name, value = args
            devices[d].edit(record_ids[r], name, value)
        elif action == "sync":
            d, fault, crash_at = args
            await deliver(devices[d], list(devices[d].outbox), fault, crash_at)
        elif action == "pull":
            await server.pull(devices[args[0]])
        elif delayed:
            shuffle.shuffle(delayed)  # late requests arrive in any order
            device, batch = delayed.pop()
            await deliver(device, batch, "ok" if args[0] else "drop_response", 0)

    # The network is good again: everything still waiting is sent, then everyone pulls.
    for device in devices:
        while device.outbox:
            await deliver(device, list(device.outbox), "ok", 0)
    for device in devices:
        await server.pull(device)

    truth = await server.records(record_ids)
    for device in devices:
        assert device.outbox == []
        mine = {i: {"fields": c["fields"], "version": c["version"]} for i, c in device.server_copy.items()}
        assert mine == truth, "a device did not converge to the server's state"
        numbers = sorted(n for (d, n) in server.processed if d == device.id)
        assert numbers == list(range(1, device.next_n)), "a mutation was lost"


async def test_a_reader_never_skips_a_change_of_concurrent_writers(server: Server) -> None:
    """Writers commit slowly and out of step; a reader pulling all the while still sees every record once.

    With numbers handed out at insert time (a plain sequence) a transaction holding a low number can
    commit after the reader has moved past it, and its records would be skipped forever.
    """
    import asyncio

    await server.forget()
    written: list[uuid.UUID] = []
    done = asyncio.Event()
    jitter = random.Random(7)

    async def writer(k: int) -> None:
        device = uuid.uuid4()
        for n in range(1, 9):
            batch = [Mutation(n, "put", "note", uuid.uuid4(), {"title": f"w{k}-{n}"})]
            async with AsyncSession(server.engine) as session:
                await sync_engine.push(session, SYNC, REGISTRY, server.viewer, device, batch)
                await asyncio.sleep(jitter.random() / 50)  # a slow commit, while others try to go ahead
                await session.commit()
            written.extend(m.id for m in batch)

    reader = Device(uuid.uuid4())
    seen: list[uuid.UUID] = []

    async def read() -> None:
        while True:
            before = set(reader.server_copy)
            await server.pull(reader)
            seen.extend(set(reader.server_copy) - before)
            if done.is_set():
                return
            await asyncio.sleep(0.002)

    reading = asyncio.create_task(read())
    await asyncio.gather(*(writer(k) for k in range(4)))
    done.set()
    await reading
    await server.pull(reader)
    seen.extend(set(reader.server_copy) - set(seen))
    assert sorted(seen) == sorted(written) and len(seen) == len(set(seen)) == 32
