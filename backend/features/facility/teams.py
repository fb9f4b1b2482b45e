"""Technician teams (e.g. "Flyverholdet – daginstitutioner"): the property office names a team and its
members; a report assigned to a team (`team` field) is on every member's list on the phone.

Who sees a team's task is the sync's one rule (sync.apply.visible_to, rules.reach): a technician sees and
works on the reports of the units their technician role covers. A team adds no rights of its own, so a team's task
must lie where every member's role reaches, or a member would never get it on the phone: assigning a
report to a team that does not reach its building (`check_reach`, the push hook), and putting someone on
a team whose open tasks lie outside their reach (`save`), are refused in words naming who and where.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.db.sync_tables import SYNC
from backend.features.facility.planning_models import Team, TeamMember
from backend.features.facility.record_type import CAPABILITIES, OPEN_STATES, REPORT, WORK
from backend.features.facility.rules.reach import out_of_reach
from backend.features.workflow import Effect, Refuse
from sync.apply import Record


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


class OutOfReach(ValueError):
    """Some members' technician role does not cover a building of the team's tasks: `da`, `en` say who
    and where."""

    def __init__(self, da: str, en: str) -> None:
        super().__init__(en)
        self.da, self.en = da, en


def _out_of_reach(names: list[str], building: str) -> OutOfReach:
    who = ", ".join(names)
    return OutOfReach(
        f"{who} kan ikke se opgaver i {building}: teknikerrollen dækker ikke bygningen. "
        "Vælg et andet hold eller en tekniker, eller bed administratoren om at give rollen.",
        f"{who} cannot see tasks in {building}: their technician role does not cover the building. "
        "Choose another team or a technician, or ask the administrator for the role.",
    )


async def reach(db: AsyncSession, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each person's unit paths under which they may work on reports (their grants of a role with the
    WORK capability; a unit's path covers every unit below it)."""
    ids = sorted(set(user_ids))
    paths: dict[int, list[str]] = {i: [] for i in ids}
    rows = await db.execute(
        select(RoleAssignment.user_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .where(
            RoleAssignment.user_id.in_(ids), RoleAssignment.role.in_([r.value for r in CAPABILITIES[WORK]])
        )
    )
    for user_id, path in rows:
        paths[user_id].append(path)
    return paths


async def _beyond(db: AsyncSession, members: list[int], unit_path: str) -> list[str]:
    """The names of the members whose reach does not cover `unit_path`, by name."""
    out = out_of_reach(await reach(db, members), unit_path)
    if not out:
        return []
    return sorted((await db.scalars(select(User.name).where(User.id.in_(out)))).all())


async def _members(db: AsyncSession, team_id: int) -> list[int]:
    return sorted((await db.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team_id))).all())


async def require_reach(
    db: AsyncSession, team_id: int | None, assignee: int | None, unit_path: str, building: str
) -> None:
    """Raises OutOfReach when the technician `assignee`, or a member of the team `team_id`, may not work
    on reports at `unit_path` (the building's unit), so would never get the task on the phone."""
    people = ([assignee] if assignee is not None else []) + (await _members(db, team_id) if team_id else [])
    if names := await _beyond(db, sorted(set(people)), unit_path):
        raise _out_of_reach(names, building)


STAFF_FIELDS = ("assignee", "team", "due", "internal_note", "fix_photos")
"""What the property office and technicians write on a report, never its reporter."""
FROM_A_ROOM = (
    "En melding fra rummets kode kan ikke vælge tekniker, hold, frist eller noter.",
    "A report from a room's code cannot choose a technician, team, due date or notes.",
)


async def check_reach(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """The push hook: a report newly given to a technician or a team (its `assignee` or `team` changed)
    is refused in words when their technician role does not cover the report's building (OutOfReach).
    Recurring tasks' reports are their schedule's, checked when it is saved; a report kept by the same
    people is never refused. A new report from a room's code (not yet placed: the door) carrying what
    only staff write is refused (FROM_A_ROOM), before anyone's name could be told to its sender."""
    effects: list[Effect] = []
    for record in records:
        if not record.fields.get("place") and (
            any(record.fields.get(k) for k in STAFF_FIELDS)
            or record.fields.get("priority", "normal") != "normal"
        ):
            effects.append(Refuse(record, *FROM_A_ROOM))
    records = [x for x in records if x.fields.get("place")]
    r = SYNC.record.c
    ids = [x.id for x in records if x.fields.get("team") is not None or x.fields.get("assignee") is not None]
    stored = {
        row.id: row.fields or {} for row in await db.execute(select(r.id, r.fields).where(r.id.in_(ids)))
    }
    for record in records:
        before = stored.get(record.id, {})
        team, assignee = record.fields.get("team"), record.fields.get("assignee")
        new_team = team if team is not None and before.get("team") != team else None
        new_assignee = assignee if assignee is not None and before.get("assignee") != assignee else None
        if (new_team is None and new_assignee is None) or record.fields.get("recurring"):
            continue
        if new_team is not None:
            found = await db.get(Team, int(new_team))
            if found is None or found.municipality_id != record.municipality_id or not found.active:
                effects.append(Refuse(record, "Holdet findes ikke.", "The team does not exist."))
                continue
        building = str((record.fields.get("place") or {}).get("building") or "")
        try:
            await require_reach(db, new_team, new_assignee, record.unit_path, building)
        except OutOfReach as wrong:
            effects.append(Refuse(record, wrong.da, wrong.en))
    return effects


async def open_tasks(db: AsyncSession, municipality_id: int, team_id: int) -> list[Any]:
    """The team's open reports (rows: unit_path, fields)."""
    r = SYNC.record.c
    rows = await db.execute(
        select(r.unit_path, r.fields).where(
            r.type == REPORT,
            r.municipality_id == municipality_id,
            r.state.in_(OPEN_STATES),
            r.deleted.is_(False),
        )
    )
    return [row for row in rows if (row.fields or {}).get("team") == team_id]


async def save(
    db: AsyncSession, municipality_id: int, team_id: int | None, name: str, active: bool, members: list[int]
) -> TeamView | None:
    """Create a team (matched by name when no id: sending it twice makes one) or change one: its name,
    whether it is active, and exactly these members. None: no such team in the municipality. Raises
    NotTechnicians when a member is not one of the municipality's technicians, OutOfReach when a member's
    role does not cover the building of one of the team's open tasks."""
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
    else:
        for task in await open_tasks(db, municipality_id, team.id):
            if names := await _beyond(db, sorted(set(members)), task.unit_path):
                raise _out_of_reach(names, str((task.fields.get("place") or {}).get("building") or ""))
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
