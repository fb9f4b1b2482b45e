"""Alembic environment: async engine from Felt's settings, batch mode on SQLite (it cannot ALTER much)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import backend.db.models
import backend.db.sync_tables
import backend.features.inbox.models
import backend.features.payroll.models  # noqa: F401
from backend.db.base import Base
from backend.db.engine import make_engine
from backend.settings import load_settings
from backend.workflows import WORKFLOWS

# Each workflow's own models join the one migration history (importing them registers their tables).
assert all(model.__table__ is not None for w in WORKFLOWS for model in w.models)  # type: ignore[attr-defined]

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run() -> None:
    url = config.attributes.get("url")
    schema = config.attributes.get("schema")
    if url is None:
        settings = load_settings()
        url, schema = settings.database_url, settings.database_schema
    engine = make_engine(url, schema)
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Felt runs migrations online only: python -m backend migrate")
asyncio.run(_run())
