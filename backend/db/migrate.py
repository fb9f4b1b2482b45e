"""Run Alembic from code: `python -m backend migrate`, the tests and the container all come through here."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config(url: str | None = None, schema: str | None = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if url is not None:
        config.attributes["url"] = url
        config.attributes["schema"] = schema
    return config


def upgrade(url: str | None = None, schema: str | None = None) -> None:
    command.upgrade(alembic_config(url, schema), "head")


def check(url: str | None = None, schema: str | None = None) -> None:
    """Raise if the models have drifted from what the migrations build."""
    command.check(alembic_config(url, schema))


APPEND_ONLY = ("audit_event",)
"""Tables the app may read and add to, never change: the audit log."""


async def grant_app_role(url: str, schema: str | None, role: str) -> None:
    """Give the application's own PostgreSQL role exactly what it needs, run as the tables' owner after
    the migrations (`python -m backend migrate` with FELT_APP_ROLE set).

    The app role owns nothing, so it cannot TRUNCATE, ALTER (disable a trigger) or DROP anything; it may
    read and write the tables, but only read and add to the audit log, and only read the migration
    history. Create the role first yourself (`CREATE ROLE felt_app LOGIN PASSWORD '…'`).
    """
    from sqlalchemy import text

    from backend.db.engine import make_engine

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(f"not a plain role name: {role!r}")
    space = f'"{schema}"' if schema else "public"

    engine = make_engine(url, schema)
    try:
        async with engine.begin() as connection:
            for statement in (
                f"GRANT USAGE ON SCHEMA {space} TO {role}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {space} TO {role}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {space} TO {role}",
                f"REVOKE INSERT, UPDATE, DELETE ON {space}.alembic_version FROM {role}",
                *(f"REVOKE UPDATE, DELETE, TRUNCATE ON {space}.{t} FROM {role}" for t in APPEND_ONLY),
            ):
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
