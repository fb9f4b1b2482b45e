"""Who decides for a unit on a date: the one place every notification to a leader (and the leader's
inbox) asks, so that a stand-in (stedfortræder: someone who decides in the leader's place for a date
range) can be applied here once, for everything.

Today's rule: the people whose grant of a deciding role covers the unit and is the nearest one above
it (a school's own leader, not the area leader above them; the area leader when the school has none).
`day` is taken now so the stand-in rule can use it; no rule uses it yet.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import OrgUnit, RoleAssignment, User

LEADERS: frozenset[Role] = frozenset({Role.LEADER})


async def who_decides(
    db: AsyncSession, unit_id: int, day: date, roles: Collection[Role] = LEADERS
) -> list[int]:
    """The user ids (sorted) who decide for unit `unit_id` on `day`: active people with one of `roles`
    granted on the nearest unit at or above it that has such a grant; [] when nobody above it has one
    (or the unit does not exist)."""
    unit = await db.get(OrgUnit, unit_id)
    if unit is None:
        return []
    rows = (
        await db.execute(
            select(RoleAssignment.user_id, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
            .join(User, User.id == RoleAssignment.user_id)
            .where(
                RoleAssignment.municipality_id == unit.municipality_id,
                RoleAssignment.role.in_([str(r) for r in roles]),
                User.active.is_(True),
            )
        )
    ).all()
    covering = [(uid, path) for uid, path in rows if unit.path.startswith(path)]
    if not covering:
        return []
    nearest = max(len(path) for _, path in covering)
    return sorted({uid for uid, path in covering if len(path) == nearest})
