"""Who payroll will pay but a leader has not approved yet: to chase before the cut-off.

Derived from the registry like the inbox: a record type that payroll exports (it has the export's
transition) counts; its records waiting for a leader, and its drafts, are listed per person.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db.models import OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.features.payroll.service import EXPORTED, require_payroll
from sync.registry import OWNER, Registry


class Count(msgspec.Struct):
    record_type: str
    """The kind of item ("trip", "receipt"): the screen names it ("3 ture, 1 udlæg")."""
    waiting: int
    """Sent in, waiting for a leader's approval."""
    drafts: int
    """Logged, not yet sent in."""


class Unapproved(msgspec.Struct):
    """One person, once, with their unapproved items counted per kind."""

    user_id: int
    name: str
    employee_number: str | None
    unit: str | None
    waiting: int
    """All kinds together: sent in, waiting for a leader's approval."""
    drafts: int
    """All kinds together: logged, not yet sent in."""
    counts: list[Count]


async def not_approved(db: AsyncSession, principal: Principal, registry: Registry) -> list[Unapproved]:
    """Who has items that payroll will pay but a leader has not approved yet (to chase before the cut-off)."""
    await require_payroll(db, principal)
    r = SYNC.record.c
    people: dict[int, Unapproved] = {}
    for name in registry.names():
        record_type = registry.get(name)
        assert record_type is not None
        exported = record_type.transition(EXPORTED)
        if exported is None:
            continue
        # Only approvals that lead to the export count (not a review after payment, as receipts have).
        approvals = [
            t for t in record_type.transitions if t.by != OWNER and t.waits and t.target in exported.source
        ]
        waiting = set().union(*(t.source for t in approvals))
        states = waiting | {record_type.initial_state}
        rows = await db.execute(
            select(r.owner_id, User.name, User.employee_number, OrgUnit.name, r.state, func.count())
            .join(User, User.id == r.owner_id)
            .outerjoin(OrgUnit, OrgUnit.id == User.unit_id)
            .where(
                r.municipality_id == principal.municipality_id,
                r.type == name,
                r.deleted.is_(False),
                r.state.in_(states),
            )
            .group_by(r.owner_id, User.name, User.employee_number, OrgUnit.name, r.state)
        )
        for owner_id, person, number, unit, state, count in rows:
            item = people.setdefault(owner_id, Unapproved(owner_id, person, number, unit, 0, 0, []))
            counted = next((c for c in item.counts if c.record_type == name), None)
            if counted is None:
                counted = Count(name, 0, 0)
                item.counts.append(counted)
            if state in waiting:
                counted.waiting += count
                item.waiting += count
            else:
                counted.drafts += count
                item.drafts += count
    return sorted(people.values(), key=lambda u: (-u.waiting, u.name, u.user_id))
