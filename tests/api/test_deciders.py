"""Who decides for a unit (inbox.deciders.who_decides) reads only the grants on the unit and the units
above it (a path-prefix query), with the same answers as filtering every grant of the municipality."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.features.inbox.deciders import Decider, ancestor_paths, who_decides
from tests.world import build_world

pytestmark = pytest.mark.anyio
DAY = date(2026, 12, 1)


def test_a_units_ancestor_paths_are_its_own_and_those_above() -> None:
    assert ancestor_paths("1/4/9/") == ["1/", "1/4/", "1/4/9/"]
    assert ancestor_paths("12/") == ["12/"]
    assert "1/41/" not in ancestor_paths("1/4/")  # a sibling whose id starts alike is not above


async def _by_every_grant(db: AsyncSession, municipality_id: int, unit_path: str) -> list[Decider]:
    """The answer as the municipality's every leader grant, filtered in Python, gives it."""
    rows = await db.execute(
        select(RoleAssignment.user_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .join(User, User.id == RoleAssignment.user_id)
        .where(
            RoleAssignment.municipality_id == municipality_id,
            RoleAssignment.role == Role.LEADER.value,
            User.active.is_(True),
        )
    )
    levels: dict[str, set[int]] = {}
    for user_id, path in rows:
        if unit_path.startswith(path):
            levels.setdefault(path, set()).add(user_id)
    nearest = max(levels, key=len, default=None)
    return [Decider(u) for u in sorted(levels[nearest])] if nearest is not None else []


async def test_who_decides_reads_the_grants_above_the_unit_with_the_same_answers_as_reading_all(
    db: AsyncSession,
) -> None:
    world = await build_world(db)
    mid = world.municipality.id
    gone = world.by_role[Role.FINANCE]
    gone.active = False
    for user, unit in (
        (world.in_b, world.units["A1"]),  # A1's own leader, below A's
        (world.in_a1, world.units["B"]),
        (world.by_role[Role.SECRETARY], world.units["A1"]),  # two leaders on one level
        (gone, world.units["B"]),  # inactive: never decides
        (world.other_admin, world.other_unit),  # another municipality's
    ):
        db.add(
            RoleAssignment(
                municipality_id=unit.municipality_id, user_id=user.id, role="leader", unit_id=unit.id
            )
        )
    await db.commit()
    for unit in world.units.values():
        got = await who_decides(db, mid, unit.path, DAY)
        assert got == await _by_every_grant(db, mid, unit.path), unit.code
    a1 = world.units["A1"].path
    assert await who_decides(db, mid, a1, DAY) == sorted(
        [Decider(world.in_b.id), Decider(world.by_role[Role.SECRETARY].id)], key=lambda d: d.user_id
    )
    assert await who_decides(db, mid, world.units["B"].path, DAY) == [Decider(world.in_a1.id)]
    assert await who_decides(db, mid, world.other_unit.path, DAY) == []  # not this municipality's
