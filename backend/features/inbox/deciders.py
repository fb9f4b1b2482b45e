"""Who decides for a unit on a date: its leader, the leader's stand-in (stedfortræder), or the leader's
own leader — the one place that answers it, for the inbox and for notifications.

A leader's role covers their unit and every unit below it; the nearest leader above a unit decides for
it. While a stand-in period (models.StandIn) covers the date, the stand-in decides instead, on behalf
of the leader. Nobody decides about their own items: a stand-in's own items, and a leader's own, go to
the leader's leader (the nearest leader above).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Grant, Principal, Role
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.features.inbox.models import StandIn


@dataclass(frozen=True)
class Decider:
    """A person who decides; `on_behalf_of` is the leader's user id when they are that leader's stand-in."""

    user_id: int
    on_behalf_of: int | None = None


LEADERS: frozenset[Role] = frozenset({Role.LEADER})


def ancestor_paths(unit_path: str) -> list[str]:
    """The paths of the unit at `unit_path` and of every unit above it: "1/4/9/" → ["1/", "1/4/", "1/4/9/"]
    (a materialised path is its ancestors' ids, each ended by "/"). A grant on any of them covers it."""
    ends = [i + 1 for i, c in enumerate(unit_path) if c == "/"]
    return [unit_path[:end] for end in ends] + ([unit_path] if not unit_path.endswith("/") else [])


async def _leaders_above(
    db: AsyncSession, municipality_id: int, unit_path: str, roles: Collection[Role] = LEADERS
) -> list[list[tuple[int, str]]]:
    """The holders of `roles` covering `unit_path`, nearest level first: [[(user id, grant unit path), …], …].
    Only the grants on the unit and the units above it are read (the paths' index answers)."""
    rows = await db.execute(
        select(RoleAssignment.user_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .join(User, User.id == RoleAssignment.user_id)
        .where(
            RoleAssignment.municipality_id == municipality_id,
            RoleAssignment.role.in_([r.value for r in roles]),
            OrgUnit.path.in_(["", *ancestor_paths(unit_path)]),  # "": as Principal.can, covers all
            User.active.is_(True),
        )
        .distinct()
    )
    levels: dict[str, list[tuple[int, str]]] = {}
    for user_id, path in rows:
        levels.setdefault(path, []).append((user_id, path))
    return [sorted(levels[p]) for p in sorted(levels, key=len, reverse=True)]


async def _stand_ins(db: AsyncSession, leaders: list[int], on: date) -> dict[int, list[tuple[int, str]]]:
    """Leader id → [(stand-in id, covered unit path)] for the periods covering `on`."""
    if not leaders:
        return {}
    rows = await db.execute(
        select(StandIn.leader_id, StandIn.stand_in_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == StandIn.unit_id)
        .join(User, User.id == StandIn.stand_in_id)
        .where(
            StandIn.leader_id.in_(leaders),
            StandIn.starts <= on,
            StandIn.ends >= on,
            User.active.is_(True),
        )
        .order_by(StandIn.id)
    )
    found: dict[int, list[tuple[int, str]]] = {}
    for leader, stand_in, path in rows:
        found.setdefault(leader, []).append((stand_in, path))
    return found


async def who_decides(
    db: AsyncSession,
    municipality_id: int,
    unit_path: str,
    on: date,
    *,
    subject_id: int | None = None,
    roles: Collection[Role] = LEADERS,
) -> list[Decider]:
    """Who decides the items of the unit at `unit_path` (a materialised path, "1/4/9/") on `on`.

    `roles`: the roles that decide this kind of item (leaders by default; a workflow's capability may
    give it to others, e.g. the school secretary for substitutes' hours): the nearest holders above
    the unit decide, a school's own before the area's above it.
    `subject_id`: whom the item is about; they never decide it themselves, nor does a stand-in decide
    their own or their leader's items — those go to the next leader up. An empty list: nobody in the
    org tree (the items wait for whoever holds the capability, e.g. an admin fixing the tree).
    """
    levels = await _leaders_above(db, municipality_id, unit_path, roles)
    covering = await _stand_ins(db, [u for level in levels for u, _ in level], on)
    for level in levels:
        deciders: list[Decider] = []
        for leader, _path in level:
            if leader == subject_id:
                continue
            stand_in = next((s for s, p in covering.get(leader, []) if unit_path.startswith(p)), None)
            if stand_in is None:
                deciders.append(Decider(leader))
            elif stand_in != subject_id:
                deciders.append(Decider(stand_in, on_behalf_of=leader))
        if deciders:
            return list(dict.fromkeys(deciders))
    return []


async def with_stand_ins(db: AsyncSession, principal: Principal, on: date) -> Principal:
    """`principal` with the leader grants they borrow as a stand-in on `on` (each marked with the
    leader it is borrowed from, so decisions are recorded on that leader's behalf)."""
    rows = await db.execute(
        select(StandIn.leader_id, StandIn.unit_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == StandIn.unit_id)
        .where(
            StandIn.municipality_id == principal.municipality_id,
            StandIn.stand_in_id == principal.user_id,
            StandIn.starts <= on,
            StandIn.ends >= on,
        )
        .order_by(StandIn.id)
    )
    borrowed = tuple(Grant(Role.LEADER, unit_id, path, on_behalf_of=leader) for leader, unit_id, path in rows)
    return replace(principal, grants=principal.grants + borrowed) if borrowed else principal
