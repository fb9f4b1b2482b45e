"""The schema comes only from migrations, and the audit log cannot be rewritten."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db import audit, migrate
from backend.db.engine import make_engine
from backend.db.migrate import grant_app_role
from backend.db.models import AuditEvent, OrgUnit
from tests.conftest import PG_URL, Database, _pg
from tests.world import build_world

pytestmark = pytest.mark.anyio


def test_migrations_from_empty_match_the_models(database: Database) -> None:
    """`alembic check`: a model change without its migration fails here."""
    migrate.check(database.url, database.schema)


async def test_audit_log_refuses_update_and_delete(db: AsyncSession) -> None:
    await build_world(db)
    for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            await db.execute(text(statement))
        await db.rollback()


async def test_every_change_of_an_audited_row_is_logged_with_its_actor(db: AsyncSession) -> None:
    world = await build_world(db)
    unit = world.units["B"]
    token = audit.actor.set(world.by_role[next(iter(world.by_role))].id)
    try:
        unit.name = "Unit B renamed"
        await db.commit()
    finally:
        audit.actor.reset(token)
    event = (
        await db.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == OrgUnit.__tablename__, AuditEvent.entity_id == str(unit.id))
            .order_by(AuditEvent.id.desc())
        )
    ).first()
    assert event is not None and event.action == "update"
    assert event.changes == {"name": ["Unit B", "Unit B renamed"]}
    assert event.actor_user_id == world.by_role[next(iter(world.by_role))].id
    assert event.municipality_id == world.municipality.id


async def test_the_apps_own_role_cannot_truncate_or_disable_the_audit_log(database: Database) -> None:
    """On PostgreSQL the app connects as a role that owns no tables: the audit log's immutability holds
    against the application's own database user, not only against its code."""
    if database.schema is None:  # SQLite has no roles: whoever can write the file can change it
        engine = make_engine(database.url)
        async with engine.connect() as connection:
            names = await connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            assert {"audit_event_no_update", "audit_event_no_delete"} <= set(names)  # what SQLite can hold
        await engine.dispose()
        return
    role = f"felt_app_{uuid.uuid4().hex[:10]}"
    await _pg(f"CREATE ROLE {role} LOGIN")
    try:
        await grant_app_role(database.url, database.schema, role)
        app = await asyncpg.connect(
            PG_URL.replace("+asyncpg", "").replace("postgres@", f"{role}@"),
            server_settings={"search_path": database.schema},
        )
        try:
            await app.execute(
                "INSERT INTO audit_event (action, entity, changes, at) VALUES ('test', 'test', '{}', now())"
            )
            assert await app.fetchval("SELECT count(*) FROM audit_event") >= 1
            for attack in (
                "UPDATE audit_event SET action = 'hidden'",
                "DELETE FROM audit_event",
                "TRUNCATE audit_event",
                "ALTER TABLE audit_event DISABLE TRIGGER ALL",
                "DROP TRIGGER audit_event_append_only ON audit_event",
                "DROP TABLE audit_event",
                "DELETE FROM alembic_version",
            ):
                with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
                    await app.execute(attack)
            await app.execute("SELECT id FROM app_user LIMIT 1")  # and the app works as it should
        finally:
            await app.close()
    finally:
        await _pg(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{database.schema}" FROM {role}')
        await _pg(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{database.schema}" FROM {role}')
        await _pg(f'REVOKE ALL ON SCHEMA "{database.schema}" FROM {role}')
        await _pg(f"DROP ROLE {role}")
