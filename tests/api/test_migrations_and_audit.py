"""The schema comes only from migrations, and the audit log cannot be rewritten."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db import audit, migrate
from backend.db.models import AuditEvent, OrgUnit
from tests.conftest import Database
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
