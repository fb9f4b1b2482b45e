"""Benchmark of Felt's offline sync engine (docs/sync.md), against a real server as production runs it.

    .venv/bin/python bench/sync.py [--quick]

It makes its own PostgreSQL schema in database `test`, migrates and seeds it through the CLI, opens
log-in sessions directly in the database, starts `python -m backend serve --workers 2` on a free
port of 127.0.0.1, measures, and drops the schema and stops the server at the end (also on error).

The machine has 2 cores shared by the server, PostgreSQL and this load generator, so absolute times
are noise: each figure that has a goal is a ratio against a baseline measured in the same run, or a
latency under a stated load. Every line printed is `name: value`; the headline figures come first,
then diagnostics (CPU per request of the server, PostgreSQL and this process) that say where the
time goes when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script, Python puts bench/ first on sys.path, where this very file would shadow the
# repository's `sync` package that the backend imports. Put the repository root there instead.
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:] = [str(REPO), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

import asyncpg  # noqa: E402
import httpx  # noqa: E402

PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"
HOST = "127.0.0.1"  # the only address this benchmark ever sends traffic to
SCHEMA_HEADER = {"x-felt-schema": "1"}
DEMO_EMPLOYEE = "1001"  # Anna Jensen, employee at Nordskolen
DEMO_LEADER = "1003"  # Camilla Hansen, leads Nordskolen: she sees Anna's notes
MAX_BATCH = 500  # sync.protocol.MAX_BATCH: the most mutations one push may carry


@dataclass(frozen=True)
class Plan:
    """How much of each measurement to do; --quick shrinks it, the printed names stay the same."""

    singles: int = 1000  # records sent one push (one HTTP request) each
    batch: int = 200  # records per push when batched
    pull_records: int = 10_000  # what the fresh device's first pull fetches
    fill_batch: int = 500  # the protocol's largest batch, to create the pull's records quickly
    pings: int = 200  # sequential empty pulls, and as many health checks
    devices: int = 500
    users: int = 100  # the devices' owners: 10 schools of 1 leader and 9 employees
    cycle_s: float = 10.0  # the PWA syncs every 30 s; compressed 3x to see several cycles quickly
    cycles: int = 3
    write_chance: float = 0.5  # per cycle, a device has 1-3 new notes to push; else it only pulls
    connections: int = 100  # the load generator's connection limit
    budget_s: float = 600  # a hard stop, far above the expected run time


FULL = Plan()
QUICK = Plan(singles=200, pull_records=3_000, pings=60, cycles=2, budget_s=240)


# ---------------------------------------------------------------- measuring helpers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


_TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process, from /proc (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _descendants(pid: int) -> list[int]:
    """The process and all its children (uvicorn's supervisor and its worker processes)."""
    found: list[int] = []
    todo = [pid]
    while todo and len(found) < 1000:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in task.read_text().split())
    return found


def _postgres_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL process (one per connection, plus its background workers)."""
    cpu = {}
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().strip() == "postgres":
                cpu[int(comm.parent.name)] = _proc_cpu_s(int(comm.parent.name))
    return cpu


def _machine_busy_idle() -> tuple[int, int]:
    """Busy and idle jiffies of all cores together, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values[:8]) - idle, idle


@dataclass
class CpuMeter:
    """Where the CPU went during a phase: the server's processes, PostgreSQL's, this process's."""

    server_pid: int
    start: dict[str, float] = field(default_factory=dict)
    used: dict[str, float] = field(default_factory=dict)
    _postgres_start: dict[int, float] = field(default_factory=dict)

    def _read(self) -> dict[str, float]:
        busy, idle = _machine_busy_idle()
        return {
            "server": sum(_proc_cpu_s(p) for p in _descendants(self.server_pid)),
            "client": time.process_time(),
            "wall": time.perf_counter(),
            "busy": busy,
            "idle": idle,
        }

    def __enter__(self) -> CpuMeter:
        self._postgres_start = _postgres_cpu()
        self.start = self._read()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self._read()
        self.used = {k: end[k] - self.start[k] for k in end}
        # Per process, so that a connection closed meanwhile is not counted as negative CPU.
        self.used["postgres"] = sum(
            cpu - self._postgres_start.get(pid, 0.0) for pid, cpu in _postgres_cpu().items()
        )

    def report(self, prefix: str, requests: int) -> None:
        """CPU milliseconds per request of each side, how busy both cores were (1.0 = fully), and how
        many cores other programs on this machine took meanwhile (they make every figure noisier)."""
        for who in ("server", "postgres", "client"):
            emit(f"{prefix}_{who}_cpu_ms_per_req", 1000 * self.used[who] / max(requests, 1))
        busy, idle = self.used["busy"], self.used["idle"]
        emit(f"{prefix}_machine_busy", busy / max(busy + idle, 1))
        ours = self.used["server"] + self.used["postgres"] + self.used["client"]
        emit(f"{prefix}_other_cores", max(0.0, busy / _TICK - ours) / self.used["wall"])


RESULTS: dict[str, float] = {}


def emit(name: str, value: float) -> None:
    RESULTS[name] = value
    text = f"{value:.3f}" if isinstance(value, float) and abs(value) < 100 else f"{value:.1f}"
    print(f"{name}: {value if isinstance(value, int) else text}", flush=True)


GOALS = (  # figure, comparison, goal
    ("batch_vs_single_ratio", ">=", 10.0),
    ("empty_pull_vs_health", "<=", 2.0),
    ("devices_p99_ms", "<", 200.0),
)


def summarise_goals() -> None:
    """The goals again at the end, as comments, so the verdict is not lost among the diagnostics."""
    for name, comparison, goal in GOALS:
        if name in RESULTS:
            value = RESULTS[name]
            met = {">=": value >= goal, "<=": value <= goal, "<": value < goal}[comparison]
            print(f"# {name} = {value:.4g}, goal {comparison} {goal:g}: {'met' if met else 'MISSED'}")


# ---------------------------------------------------------------- the world: database, people, server


@dataclass(frozen=True)
class World:
    port: int
    server_pid: int
    csrf: str
    employee_token: str  # Anna
    leader_token: str  # Camilla
    device_tokens: list[str]  # one log-in per simulated device


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


async def pg(sql: str) -> None:
    connection = await asyncpg.connect(PG_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def server_env(schema: str, data_dir: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "FELT_DATABASE_URL": PG_DSN,
        "FELT_DATABASE_SCHEMA": schema,
        "FELT_DATA_DIR": str(data_dir),
        "FELT_COOKIE_SECURE": "0",  # plain http on 127.0.0.1
        "FELT_EXTRA_WORKFLOWS": "tests.sync_types:BENCH_NOTES",  # the "note" record type, announced
        "FELT_DEMO_LOGIN": "0",
        "HOST": HOST,
        "PORT": str(port),
    }


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "backend", *args], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL
    )


def bench_csvs(users: int) -> tuple[bytes, bytes]:
    """A municipality of its own for the simulated devices: schools of one leader and nine employees."""
    schools = max(1, users // 10)
    units = ["code;name;parent_code;kind"] + [f"S{s:02};Skole {s};;school" for s in range(schools)]
    staff = ["employee_number;name;email;unit_code;roles"]
    for i in range(schools * 10):
        roles = "leader,employee" if i % 10 == 0 else "employee"
        staff.append(f"{5000 + i};Ansat {i};a{i}@bench.felt.dk;S{i // 10:02};{roles}")
    return "\n".join(units).encode(), "\n".join(staff).encode()


async def open_sessions(plan: Plan) -> tuple[str, str, list[str]]:
    """Log-in sessions made as a completed log-in would (tests/conftest.py's sign_in), and the bench users."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    from backend.auth.sessions import open_session
    from backend.db import audit
    from backend.db.engine import make_engine
    from backend.db.models import User
    from backend.features.municipality.service import create_municipality
    from backend.features.org.hr_import import import_staff, import_units
    from backend.settings import load_settings

    settings = load_settings()
    engine = make_engine(settings.database_url, settings.database_schema)
    audit.actor.set(None)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            municipality = await create_municipality(db, "bench", "Bench Kommune")
            units_csv, staff_csv = bench_csvs(plan.users)
            for result in (
                await import_units(db, municipality.id, units_csv),
                await import_staff(db, municipality.id, staff_csv),
            ):
                if result.errors:
                    raise RuntimeError(f"bench users are invalid: {result.errors}")
            await db.flush()

            async def user(employee_number: str, municipality_id: int | None = None) -> User:
                query = select(User).where(User.employee_number == employee_number)
                if municipality_id is not None:
                    query = query.where(User.municipality_id == municipality_id)
                return (await db.scalars(query)).one()

            anna = await open_session(db, await user(DEMO_EMPLOYEE), settings)
            camilla = await open_session(db, await user(DEMO_LEADER), settings)
            people = [await user(str(5000 + i), municipality.id) for i in range(plan.users)]
            # Each device logs in on its own, as each phone would.
            tokens = [await open_session(db, people[d % len(people)], settings) for d in range(plan.devices)]
            await db.commit()
    finally:
        await engine.dispose()
    return anna, camilla, tokens


def start_server(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        # Its own process group, so that stopping it reaches uvicorn's workers too.
        return subprocess.Popen(
            [sys.executable, "-m", "backend", "serve", "--workers", "2"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop uvicorn and its workers: the process group started above, and only it."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


async def wait_healthy(port: int, server: subprocess.Popen[bytes], log: Path) -> str:
    """Wait for /api/health (at most 60 s) and return the CSRF token it hands out, as the PWA gets it."""
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=5) as client:
        for _ in range(600):
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{tail(log)}")
            try:
                response = await client.get("/api/health")
                if response.status_code == 200:
                    return response.cookies["csrftoken"]
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the server did not answer /api/health within 60 s:\n{tail(log)}")


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def client(world: World, token: str, **options: Any) -> httpx.AsyncClient:
    """A keep-alive HTTP client signed in with `token`, sending the schema and CSRF headers."""
    return httpx.AsyncClient(
        base_url=f"http://{HOST}:{world.port}",
        headers={
            **SCHEMA_HEADER,
            "x-csrftoken": world.csrf,
            "cookie": f"felt_session={token}; csrftoken={world.csrf}",
        },
        timeout=options.pop("timeout", 30),
        **options,
    )


# ---------------------------------------------------------------- the protocol, as a device speaks it


@dataclass
class Device:
    """A simulated phone: numbers its mutations like the PWA, keeps them in an outbox until the server
    says they are processed (so a timed-out push is resent, never skipped), and keeps its pull cursor."""

    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    n: int = 0
    cursor: str | None = None
    outbox: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # per-device log-in, on a shared client

    def write(self, count: int) -> None:
        """The user creates `count` notes: each one a new mutation in the outbox."""
        for _ in range(count):
            self.n += 1
            self.outbox.append(
                {
                    "n": self.n,
                    "kind": "put",
                    "type": "note",
                    "id": str(uuid.uuid4()),
                    "fields": {"title": f"Note {self.n}", "body": "Kørsel til kursus, 42 km"},
                    "base": {},
                }
            )


class SyncFailed(Exception):
    pass


async def push(http: httpx.AsyncClient, device: Device) -> None:
    """Send the outbox in one push; drop what the server processed."""
    sent = device.outbox[:MAX_BATCH]
    response = await http.post(
        "/api/sync/push", json={"device_id": device.id, "mutations": sent}, headers=device.headers
    )
    if response.status_code != 200:
        raise SyncFailed(f"push {response.status_code}: {response.text[:200]}")
    body = response.json()
    device.outbox = [m for m in device.outbox if m["n"] > body["last_n"]]
    if body["last_n"] < sent[-1]["n"] or any(r["status"] != "applied" for r in body["results"]):
        raise SyncFailed(f"push not applied: {str(body)[:200]}")


async def pull_page(http: httpx.AsyncClient, device: Device, limit: int | None = None) -> dict[str, Any]:
    """One pull request; moves the device's cursor on."""
    params: dict[str, str | int] = {"device_id": device.id}
    if device.cursor:
        params["cursor"] = device.cursor
    if limit:
        params["limit"] = limit
    response = await http.get("/api/sync/pull", params=params, headers=device.headers)
    if response.status_code != 200:
        raise SyncFailed(f"pull {response.status_code}: {response.text[:200]}")
    body: dict[str, Any] = response.json()
    device.cursor = body["cursor"]
    return body


async def pull_all(http: httpx.AsyncClient, device: Device, max_pages: int = 1000) -> tuple[int, int]:
    """Pull until has_more is false, with the default limit: (records, pages)."""
    records = 0
    for page in range(1, max_pages + 1):
        body = await pull_page(http, device)
        records += len(body["records"])
        if not body["has_more"]:
            return records, page
    raise SyncFailed(f"still has_more after {max_pages} pages")


async def push_in_batches(http: httpx.AsyncClient, device: Device, count: int, batch: int) -> None:
    while count > 0:
        size = min(batch, count)
        device.write(size)
        await push(http, device)
        count -= size


# ---------------------------------------------------------------- the measurements


async def batch_vs_single(world: World, plan: Plan) -> int:
    """Time to send N records one request each ÷ in batches; returns how many notes Anna now owns."""
    async with client(world, world.employee_token) as http:
        # Warm the worker this keep-alive connection landed on: first requests compile SQL, fill caches.
        warm = Device()
        await push_in_batches(http, warm, 20, 1)
        await push_in_batches(http, warm, plan.batch, plan.batch)

        single = Device()
        with CpuMeter(world.server_pid) as single_cpu:
            started = time.perf_counter()
            await push_in_batches(http, single, plan.singles, 1)
            single_s = time.perf_counter() - started

        batched = Device()
        with CpuMeter(world.server_pid) as batch_cpu:
            started = time.perf_counter()
            await push_in_batches(http, batched, plan.singles, plan.batch)
            batch_s = time.perf_counter() - started

    emit("batch_vs_single_ratio", single_s / batch_s)
    emit("single_push_ms", 1000 * single_s / plan.singles)
    emit("batched_push_ms_per_record", 1000 * batch_s / plan.singles)
    single_cpu.report("single_push", plan.singles)
    batch_cpu.report("batched_push_per_record", plan.singles)
    return 20 + plan.batch + 2 * plan.singles


async def first_pull(world: World, plan: Plan, already: int) -> Device:
    """A leader's fresh device pulls every note of her school; returns it, its cursor now up to date."""
    async with client(world, world.leader_token) as http:
        demo, _pages = await pull_all(http, Device())  # the demo's own trips and receipts she sees too
    async with client(world, world.employee_token) as http:
        # Fill Anna's notes up to the target with the largest batches (quick, and not what is measured).
        await push_in_batches(http, Device(), max(0, plan.pull_records - already), plan.fill_batch)
    expected = max(plan.pull_records, already) + demo - already

    async with client(world, world.leader_token) as http:
        await pull_page(http, Device(), limit=1)  # warm this connection's worker, as above
        device = Device()
        with CpuMeter(world.server_pid) as cpu:
            started = time.perf_counter()
            records, pages = await pull_all(http, device)
            elapsed = time.perf_counter() - started
    if records != expected:
        raise SyncFailed(f"the first pull brought {records} records, not {expected}")
    emit("pull_10k_s", elapsed)
    emit("pull_records", records)
    emit("pull_pages", pages)
    cpu.report("pull_10k", records)  # per record here
    return device


async def empty_pull_vs_health(world: World, plan: Plan, device: Device) -> None:
    """Nothing-new pulls against the cheapest database round trip the app has, interleaved (same drift)."""
    pulls, healths = [], []
    async with client(world, world.leader_token) as http:
        for _ in range(10):  # warm-up
            await pull_page(http, device)
            await http.get("/api/health")
        for _ in range(plan.pings):
            started = time.perf_counter()
            body = await pull_page(http, device)
            pulls.append(time.perf_counter() - started)
            if body["records"] or body["has_more"]:
                raise SyncFailed("an empty pull brought records")
            started = time.perf_counter()
            response = await http.get("/api/health")
            healths.append(time.perf_counter() - started)
            response.raise_for_status()
        # Then each alone, briefly, to see the CPU each costs (interleaved, they cannot be told apart).
        with CpuMeter(world.server_pid) as pull_cpu:
            for _ in range(plan.pings // 2):
                await pull_page(http, device)
        with CpuMeter(world.server_pid) as health_cpu:
            for _ in range(plan.pings // 2):
                await http.get("/api/health")
    pull_ms, health_ms = 1000 * statistics.median(pulls), 1000 * statistics.median(healths)
    emit("empty_pull_ms", pull_ms)
    emit("health_ms", health_ms)
    emit("empty_pull_vs_health", pull_ms / health_ms)
    pull_cpu.report("empty_pull", plan.pings // 2)
    health_cpu.report("health", plan.pings // 2)


@dataclass
class Tally:
    """What the simulated devices saw, and the gate that keeps them within the connection limit."""

    gate: asyncio.Semaphore
    latencies_s: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=lambda: {"push": [], "pull": []})
    errors: Counter[str] = field(default_factory=Counter)
    skipped_cycles: int = 0


REQUEST_DEADLINE_S = 10.0  # a device gives up on a request after this long (counted as an error)


async def timed(tally: Tally, kind: str, call: Any) -> Any:
    """Run one request, recording its latency (or its error: a failed request still counts).

    The time waiting at the gate counts: a real phone would be waiting for the server just the same.
    The gate, not httpx's pool, holds the queue because httpx's pool gets slow (CPU per request grows
    with the number of waiting requests) and would make the load generator the bottleneck."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(REQUEST_DEADLINE_S), tally.gate:
            return await call
    except (httpx.HTTPError, SyncFailed, TimeoutError) as exc:
        tally.errors[f"{kind}: {type(exc).__name__}: {str(exc)[:80]}"] += 1
        return None
    finally:
        call.close()  # no-op once it ran; stops a "never awaited" warning if the deadline hit at the gate
        elapsed = time.perf_counter() - started
        tally.latencies_s.append(elapsed)
        tally.by_kind[kind].append(elapsed)


async def device_life(
    http: httpx.AsyncClient, device: Device, first_at: float, plan: Plan, tally: Tally, rng: random.Random
) -> None:
    """Every cycle, as the PWA does every 30 s: push the outbox if it holds anything (the user wrote
    1-3 notes since last time, or a push failed), then pull what is new.

    A device that falls a whole cycle behind (an overloaded server) skips its remaining cycles, so an
    overload shows as skipped cycles and long latencies instead of an endless run."""
    loop = asyncio.get_running_loop()
    for cycle in range(plan.cycles):
        due = first_at + cycle * plan.cycle_s
        if loop.time() > due + plan.cycle_s:
            tally.skipped_cycles += plan.cycles - cycle
            return
        await asyncio.sleep(max(0.0, due - loop.time()))
        if rng.random() < plan.write_chance:
            device.write(rng.randint(1, 3))
        if device.outbox:
            await timed(tally, "push", push(http, device))
        for _ in range(20):  # bounded: has_more is rare here (leaders' first pulls at most)
            body = await timed(tally, "pull", pull_page(http, device))
            if body is None or not body["has_more"]:
                break


async def loop_lag(stop: asyncio.Event, lags: list[float]) -> None:
    """How late this process's event loop wakes up: if high, the load generator itself is the bottleneck."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        due = loop.time() + 0.01
        await asyncio.sleep(0.01)
        lags.append(loop.time() - due)


COUNTER_WAITERS = """
    WITH ours AS (
        SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
    ), waiters AS (
        SELECT pid FROM ours WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE sync_counter%'
    )
    SELECT (SELECT count(*) FROM waiters),
           (SELECT count(*) FROM ours WHERE state = 'active'),
           -- what the transaction holding the counter lock is doing: ClientRead means it waits for the
           -- app server to send its next statement (Python work, event-loop turns), WAL* is the commit
           (SELECT string_agg(DISTINCT coalesce(o.wait_event, 'running'), ',') FROM ours o
            WHERE o.pid IN (SELECT unnest(pg_blocking_pids(w.pid)) FROM waiters w)
              AND o.wait_event_type IS DISTINCT FROM 'Lock')
"""


@dataclass
class DbSample:
    counter_waiters: int
    active_queries: int
    holder_doing: str | None  # None when nobody waits for the counter lock


async def database_waits(stop: asyncio.Event, samples: list[DbSample]) -> None:
    """Every 50 ms: how many pushes wait for the change counter's row lock, what its holder is doing,
    and how many queries run at all. Every push takes that lock; the next push waits until commit."""
    connection = await asyncpg.connect(PG_DSN)
    try:
        while not stop.is_set():
            row = await connection.fetchrow(COUNTER_WAITERS)
            samples.append(DbSample(int(row[0]), int(row[1]), row[2]))
            await asyncio.sleep(0.05)
    finally:
        await connection.close()


def report_database_waits(samples: list[DbSample]) -> None:
    if not samples:
        return
    emit("devices_counter_lock_waiters_avg", statistics.fmean(s.counter_waiters for s in samples))
    emit("devices_counter_lock_waiters_max", max(s.counter_waiters for s in samples))
    emit("devices_db_active_queries_avg", statistics.fmean(s.active_queries for s in samples))
    held = [s.holder_doing for s in samples if s.counter_waiters and s.holder_doing]
    emit("devices_counter_contended_share", len(held) / len(samples))
    if held:
        emit("devices_counter_holder_waits_for_app_share", sum("ClientRead" in h for h in held) / len(held))


async def devices(world: World, plan: Plan) -> None:
    """Many devices syncing at once, with random start offsets; latency of every push and pull."""
    rng = random.Random(7)
    fleet = [
        Device(headers={"cookie": f"felt_session={t}; csrftoken={world.csrf}"}) for t in world.device_tokens
    ]
    # Idle connections are dropped after 4 s, before uvicorn's 5 s keep-alive timeout closes them
    # under a request in flight (a ReadError that is the client's fault, not the server's).
    limits = httpx.Limits(
        max_connections=plan.connections, max_keepalive_connections=plan.connections, keepalive_expiry=4
    )
    tally, stop = Tally(asyncio.Semaphore(plan.connections)), asyncio.Event()
    lags: list[float] = []
    waits: list[DbSample] = []
    # One client for the whole fleet (each request carries its device's own session cookie): 500
    # clients would mean 500 pools and more CPU in this process, which shares the cores with the server.
    async with client(world, world.employee_token, limits=limits, timeout=10) as http:
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.5  # let every task be created before the first one is due
        watchers = [
            asyncio.create_task(loop_lag(stop, lags)),
            asyncio.create_task(database_waits(stop, waits)),
        ]
        try:
            with CpuMeter(world.server_pid) as cpu:
                await asyncio.gather(
                    *(
                        device_life(http, d, start + rng.uniform(0, plan.cycle_s), plan, tally, rng)
                        for d in fleet
                    )
                )
        finally:
            stop.set()
            await asyncio.gather(*watchers)
    ms = [1000 * s for s in tally.latencies_s]
    emit("devices_p50_ms", percentile(ms, 50))
    emit("devices_p99_ms", percentile(ms, 99))
    emit("devices_requests", len(ms))
    emit("devices_errors", sum(tally.errors.values()))
    emit("devices_skipped_cycles", tally.skipped_cycles)
    for kind, values in tally.by_kind.items():
        if values:
            emit(f"devices_{kind}_p50_ms", 1000 * percentile(values, 50))
            emit(f"devices_{kind}_p99_ms", 1000 * percentile(values, 99))
    emit("devices_max_ms", max(ms))
    emit("devices_rate_rps", len(ms) / cpu.used["wall"])
    emit("devices_wall_s", cpu.used["wall"])
    emit("devices_loop_lag_p99_ms", 1000 * percentile(lags, 99) if lags else 0.0)
    report_database_waits(waits)
    cpu.report("devices", len(ms))
    for error, count in tally.errors.most_common(5):
        print(f"# {count} x {error}", flush=True)


# ---------------------------------------------------------------- the run


async def measure(world: World, plan: Plan) -> None:
    already = await batch_vs_single(world, plan)
    leader_device = await first_pull(world, plan, already)
    await empty_pull_vs_health(world, plan, leader_device)
    await devices(world, plan)


async def main(plan: Plan) -> None:
    schema = f"felt_bench_{uuid.uuid4().hex[:12]}"
    data_dir = Path(tempfile.mkdtemp(prefix="felt_bench_"))
    port = free_port()
    env = server_env(schema, data_dir, port)
    server: subprocess.Popen[bytes] | None = None
    started = time.perf_counter()
    # A SIGTERM (a CI timeout, say) cancels the run like Ctrl-C does, so the cleanup below still runs.
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    await pg(f'CREATE SCHEMA "{schema}"')
    try:
        # The server imports its app (seconds per worker) while the schema is migrated and seeded: it
        # touches no table before its first request, and the first request waits for all of this.
        server = start_server(env, data_dir / "server.log")
        cli(env, "migrate")
        cli(env, "seed")
        os.environ.update({k: env[k] for k in ("FELT_DATABASE_URL", "FELT_DATABASE_SCHEMA", "FELT_DATA_DIR")})
        employee, leader, tokens = await open_sessions(plan)
        csrf = await wait_healthy(port, server, data_dir / "server.log")
        emit("setup_s", time.perf_counter() - started)
        world = World(port, server.pid, csrf, employee, leader, tokens)
        async with asyncio.timeout(plan.budget_s):
            await measure(world, plan)
        emit("total_s", time.perf_counter() - started)
        summarise_goals()
    finally:
        if server is not None:
            stop_server(server)
        await pg(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller numbers, under a minute")
    parser.add_argument("--devices", type=int, help="simulated devices (default 500)")
    parser.add_argument("--cycle-s", type=float, help="seconds between a device's syncs (default 10)")
    parser.add_argument("--cycles", type=int, help="syncs per device")
    parser.add_argument("--connections", type=int, help="the load generator's connection limit")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    overrides = {k: v for k in ("devices", "cycle_s", "cycles", "connections") if (v := getattr(args, k))}
    plan = dataclasses.replace(plan, **overrides)
    import uvloop  # uvicorn's event loop, here too: the load generator shares the 2 cores with the server

    try:
        uvloop.run(main(plan))
    except (KeyboardInterrupt, asyncio.CancelledError):
        sys.exit("interrupted (the schema was dropped and the server stopped)")
