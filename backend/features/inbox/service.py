"""The one inbox: every record that waits for a person, derived from the record types in the registry.

A record waits for a person when a transition out of its current state is made `by` a capability that
person holds over the record's unit (and, for four-eyes steps, the record is not their own). A new
workflow's records appear here by registering their transitions; nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db.models import User
from backend.db.sync_tables import SYNC
from backend.errors import Invalid, NotFound
from backend.features.sync import pipeline
from backend.platform import Platform
from sync import engine
from sync.protocol import MAX_BATCH, MutationResult, RecordOut
from sync.registry import OWNER, Registry, Transition

MAX_ITEMS = 2000


class InboxItem(msgspec.Struct):
    record: RecordOut
    owner_name: str
    employee_number: str | None
    actions: list[str]
    """The transitions this person may make on it now."""


def _waiting_steps(registry: Registry) -> list[tuple[str, Transition]]:
    steps = []
    for name in registry.names():
        record_type = registry.get(name)
        assert record_type is not None
        steps += [(name, t) for t in record_type.transitions if t.by != OWNER and t.waits]
    return steps


def _may(principal: Principal, step: Transition, row: Any) -> bool:
    return (
        row.state in step.source
        and principal.can(step.by, row.unit_path)
        and not (step.four_eyes and row.owner_id == principal.user_id)
    )


async def inbox(db: AsyncSession, principal: Principal, registry: Registry) -> list[InboxItem]:
    r = SYNC.record.c
    steps = _waiting_steps(registry)
    clauses = []
    for type_name, step in steps:
        for path in principal.scopes(step.by):
            clause = and_(
                r.type == type_name, r.state.in_(step.source), r.unit_path.startswith(path, autoescape=True)
            )
            not_mine = or_(r.owner_id.is_(None), r.owner_id != principal.user_id)
            clauses.append(and_(clause, not_mine) if step.four_eyes else clause)
    rows = (
        await db.execute(
            select(SYNC.record, User.name.label("owner_name"), User.employee_number)
            .outerjoin(User, User.id == r.owner_id)
            .where(
                r.municipality_id == principal.municipality_id, r.deleted.is_(False), or_(false(), *clauses)
            )
            .order_by(User.name, r.created_at)
            .limit(MAX_ITEMS)
        )
    ).all()
    return [
        InboxItem(
            record=engine.load_row(row).out(),
            owner_name=row.owner_name or "",
            employee_number=row.employee_number,
            actions=[step.name for name, step in steps if name == row.type and _may(principal, step, row)],
        )
        for row in rows
    ]


async def act(
    db: AsyncSession,
    principal: Principal,
    platform: Platform,
    record_type: str,
    transition: str,
    ids: Sequence[UUID],
    note: str | None,
) -> list[MutationResult]:
    """One transition on many records (approve a month): each decided by the record's own state machine."""
    found = platform.registry.get(record_type)
    if found is None or found.transition(transition) is None:
        raise NotFound("Handlingen findes ikke.", "The action does not exist.")
    if not ids:
        raise Invalid("Vælg mindst én post.", "Choose at least one record.")
    if len(ids) > MAX_BATCH:
        raise Invalid(f"Højst {MAX_BATCH} ad gangen.", f"At most {MAX_BATCH} at a time.")
    return await pipeline.transition(db, platform, principal, record_type, ids, transition, note)
