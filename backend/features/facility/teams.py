"""Technician teams (e.g. "Flyverholdet – daginstitutioner"): the property office names a team and its
members; a report assigned to a team (`team` field) is on every member's list on the phone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import RoleAssignment, User
from backend.features.facility.planning_models import Team, TeamMember


@dataclass(frozen=True)
class TeamView:
    """A team with its members' user ids (sorted)."""

    id: int
    name: str
    active: bool
    members: list[int]


class NotTechnicians(ValueError):
    """Some of the members are not technicians of the municipality (their ids)."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(f"not technicians of the municipality: {ids}")
        self.ids = ids


async def technicians(db: AsyncSession, municipality_id: int) -> set[int]:
    """The ids of the municipality's active technicians."""
    rows = await db.scalars(
        select(User.id)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(
            RoleAssignment.role == Role.TECHNICIAN.value,
            User.municipality_id == municipality_id,
            User.active.is_(True),
        )
    )
    return set(rows.all())


async def teams(db: AsyncSession, municipality_id: int) -> list[TeamView]:
    """The municipality's teams by name, with their members."""
    rows = (
        await db.scalars(select(Team).where(Team.municipality_id == municipality_id).order_by(Team.name))
    ).all()
    members: dict[int, list[int]] = {t.id: [] for t in rows}
    for team_id, user_id in await db.execute(
        select(TeamMember.team_id, TeamMember.user_id).where(TeamMember.team_id.in_(members))
    ):
        members[team_id].append(user_id)
    return [TeamView(t.id, t.name, t.active, sorted(members[t.id])) for t in rows]


async def save(
    db: AsyncSession, municipality_id: int, team_id: int | None, name: str, active: bool, members: list[int]
) -> TeamView | None:
    """Create a team (matched by name when no id: sending it twice makes one) or change one: its name,
    whether it is active, and exactly these members. None: no such team in the municipality. Raises
    NotTechnicians when a member is not one of the municipality's technicians."""
    wrong = sorted(set(members) - await technicians(db, municipality_id))
    if wrong:
        raise NotTechnicians(wrong)
    if team_id is not None:
        team = await db.get(Team, team_id)
        if team is None or team.municipality_id != municipality_id:
            return None
    else:
        team = (
            await db.scalars(select(Team).where(Team.municipality_id == municipality_id, Team.name == name))
        ).one_or_none()
        if team is None:
            team = Team(municipality_id=municipality_id, name=name)
            db.add(team)
    team.name, team.active = name, active
    await db.flush()
    await db.execute(delete(TeamMember).where(TeamMember.team_id == team.id))
    db.add_all(TeamMember(team_id=team.id, user_id=u) for u in sorted(set(members)))
    await db.flush()
    return TeamView(team.id, team.name, team.active, sorted(set(members)))


async def mine(db: AsyncSession, user_id: int) -> list[int]:
    """The ids of the active teams a person is on (their list shows these teams' tasks)."""
    rows = await db.scalars(
        select(Team.id)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user_id, Team.active.is_(True))
        .order_by(Team.id)
    )
    return list(rows.all())
