"""Shared fixtures: every API test runs on SQLite and on PostgreSQL, each run in its own database/schema."""

from __future__ import annotations

import asyncio
import gc
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import CSRF_COOKIE, CSRF_HEADER, create_app
from backend.auth.sessions import SESSION_COOKIE, open_session
from backend.db import migrate
from backend.db.engine import make_engine
from backend.db.models import User
from backend.platform import Platform, build
from backend.settings import Settings, load_settings
from backend.workflows import WORKFLOWS
from tests.sync_types import NOTES

pytest_plugins = ["tests.oidc.fixture", "tests.push.fixture", "tests.mail.fixture"]

PG_URL = os.environ.get("FELT_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
BASE_URL = "https://testserver.local"  # https, so the Secure session cookie is sent back


@dataclass(frozen=True)
class Database:
    url: str
    schema: str | None


async def _pg(sql: str) -> None:
    connection = await asyncpg.connect(PG_URL.replace("+asyncpg", ""))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A freshly migrated database for this test run (and xdist worker): nothing is shared with others."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "felt.sqlite3"
        db = Database(f"sqlite+aiosqlite:///{path}", None)
        migrate.upgrade(db.url)
        yield db
        return
    schema = f"felt_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg(f'CREATE SCHEMA "{schema}"'))
    try:
        db = Database(PG_URL, schema)
        migrate.upgrade(db.url, db.schema)
        yield db
    finally:
        asyncio.run(_pg(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("FELT_DATA_DIR", str(tmp_path))
    return replace(
        load_settings(),
        database_url=database.url,
        database_schema=database.schema,
        demo_login=False,
        oidc_http_loopback=True,  # the test OpenID provider serves http on 127.0.0.1
        inline_worker=False,  # tests run jobs themselves (tests/api/test_jobs.py), so none runs behind their back
    )


TEST_WORKFLOWS = (*WORKFLOWS, NOTES)
"""The app's workflows and the tests' own note type."""


@pytest.fixture(scope="session")
def platform() -> Platform:
    return build(TEST_WORKFLOWS)


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session of the test's own, for arranging data and checking what the API wrote."""
    engine = make_engine(settings.database_url, settings.database_schema)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    await engine.dispose()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    app = create_app(settings, TEST_WORKFLOWS)
    async with AsyncTestClient(app, base_url=BASE_URL) as test_client:
        await test_client.get("/api/health")  # collects the CSRF cookie, as the PWA does on load
        test_client.headers[CSRF_HEADER] = test_client.cookies[CSRF_COOKIE]
        yield test_client


async def sign_in(client: AsyncTestClient, db: AsyncSession, user: User, settings: Settings) -> None:
    """Give `client` a session for `user`, as a completed log-in would."""
    token = await open_session(db, user, settings)
    await db.commit()
    client.cookies.set(SESSION_COOKIE, token, domain="testserver.local")


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    """Collect after every test, so an unclosed connection fails the test that leaked it, not a later one."""
    yield
    gc.collect()
