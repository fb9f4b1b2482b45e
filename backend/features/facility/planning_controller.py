"""HTTP for the property office's planning (issue 15): technician teams, the municipality's categories,
recurring tasks' schedules, and editing buildings and rooms after an import.

Who may: teams and schedules are the property office's (TRIAGE); a technician asks which teams they are
on (WORK); categories are read by anyone signed in (to name a report) and edited by the property office
or an admin; buildings and rooms are edited by the property office or an admin. Every change is safe to
send twice (matched by id, or by name/key).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get, put
from litestar.params import JSONBody
from sqlalchemy import select

from backend.auth.roles import Capability, Principal
from backend.clock import today
from backend.db.models import OrgUnit
from backend.deps import DbSession, SignedIn
from backend.errors import Forbidden, Invalid, NotFound
from backend.features.facility import categories, recurring, teams
from backend.features.facility.models import Building, Room
from backend.features.facility.planning_models import Schedule, Team
from backend.features.facility.record_type import TRIAGE, WORK
from backend.features.facility.rules.codes import new_code
from backend.features.facility.rules.schedule import MAX_EVERY, UNITS
from backend.web.params import BodyId

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Key = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,40}$")]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]

START_WITHIN_DAYS = 3 * 366
"""A schedule's first due date lies within three years of today (as the report's due date field)."""
ONLY_OFFICE = ("Kun ejendomskontoret.", "Only the property office.")
ONLY_MANAGERS = ("Kun ejendomskontoret og administratorer.", "Only the property office and admins.")


def _office(principal: Principal) -> None:
    if not principal.can_anywhere(TRIAGE):
        raise Forbidden(*ONLY_OFFICE)


def _manager(principal: Principal) -> None:
    if not (principal.can_anywhere(TRIAGE) or principal.can_anywhere(Capability.EDIT_SETTINGS)):
        raise Forbidden(*ONLY_MANAGERS)


class TeamOut(msgspec.Struct):
    id: int
    name: str
    active: bool
    members: list[int]
    """The members' user ids."""


class TeamIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    members: list[BodyId]
    id: BodyId | None = None
    """None: a new team (matched by name, so sending it twice makes one)."""
    active: bool = True


class CategoryOut(msgspec.Struct):
    key: str
    da: str
    en: str
    retired: bool


class CategoryIn(msgspec.Struct, forbid_unknown_fields=True):
    key: Key
    da: Label
    en: Label
    retired: bool = False


class ScheduleOut(msgspec.Struct):
    id: int
    building_id: int
    room_id: int | None
    title: str
    category: str
    every: int
    unit: str
    start: date
    team_id: int | None
    assignee: int | None
    active: bool


class ScheduleBody(msgspec.Struct, forbid_unknown_fields=True):
    """Every `every` `unit`s (days, weeks, months, years) from `start`, in a building or one of its rooms."""

    building_id: BodyId
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    category: Key
    every: Annotated[int, msgspec.Meta(ge=1, le=MAX_EVERY)]
    unit: str
    start: date
    id: BodyId | None = None
    room_id: BodyId | None = None
    team_id: BodyId | None = None
    assignee: BodyId | None = None
    active: bool = True


class BuildingEdit(msgspec.Struct, forbid_unknown_fields=True):
    id: BodyId
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""


class RoomEdit(msgspec.Struct, forbid_unknown_fields=True):
    """A room renamed (`id`), or a new room in a building (no `id`: matched by name)."""

    building_id: BodyId
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    id: BodyId | None = None


class RoomOut(msgspec.Struct):
    id: int
    building_id: int
    name: str
    code: str


def _team(t: teams.TeamView) -> TeamOut:
    return TeamOut(t.id, t.name, t.active, t.members)


def _schedule(s: Schedule) -> ScheduleOut:
    return ScheduleOut(
        s.id,
        s.building_id,
        s.room_id,
        s.title,
        s.category,
        s.every,
        s.unit,
        s.start,
        s.team_id,
        s.assignee,
        s.active,
    )


async def _own_building(db: DbSession, principal: Principal, building_id: int) -> Building:
    building = await db.get(Building, building_id)
    if building is None or building.municipality_id != principal.municipality_id:
        raise NotFound("Bygningen findes ikke.", "The building does not exist.")
    return building


class FacilityPlanningController(Controller):
    path = "/api/facility"
    tags = ["facility"]  # noqa: RUF012

    @get("/teams", operation_id="facilityTeams", cache=False)
    async def list_teams(self, db_session: DbSession, principal: SignedIn) -> list[TeamOut]:
        """The municipality's technician teams with their members (the property office)."""
        _office(principal)
        return [_team(t) for t in await teams.teams(db_session, principal.municipality_id)]

    @put("/teams", operation_id="facilitySaveTeam")
    async def save_team(self, db_session: DbSession, principal: SignedIn, data: JSONBody[TeamIn]) -> TeamOut:
        """Create a team or change its name, members or whether it is active (the property office)."""
        _office(principal)
        try:
            saved = await teams.save(
                db_session,
                principal.municipality_id,
                data.id,
                data.name.strip(),
                data.active,
                list(data.members),
            )
        except teams.NotTechnicians as wrong:
            raise Invalid(
                "Kun kommunens teknikere kan være på et hold.",
                "Only the municipality's technicians can be on a team.",
            ) from wrong
        except teams.OutOfReach as wrong:
            raise Invalid(wrong.da, wrong.en) from wrong
        if saved is None:
            raise NotFound("Holdet findes ikke.", "The team does not exist.")
        return _team(saved)

    @get("/teams/mine", operation_id="facilityMyTeams", cache=False)
    async def my_teams(self, db_session: DbSession, principal: SignedIn) -> list[TeamOut]:
        """The active teams the signed-in technician is on (their list shows these teams' tasks)."""
        if not principal.can_anywhere(WORK):
            raise Forbidden("Kun teknikere og ejendomskontoret.", "Only technicians and the property office.")
        ids = set(await teams.mine(db_session, principal.user_id))
        return [_team(t) for t in await teams.teams(db_session, principal.municipality_id) if t.id in ids]

    @get("/categories", operation_id="facilityCategories", cache=False)
    async def list_categories(self, db_session: DbSession, principal: SignedIn) -> list[CategoryOut]:
        """The municipality's categories, retired ones included (they still name old reports)."""
        return [
            CategoryOut(c.key, c.da, c.en, c.retired)
            for c in await categories.listed(db_session, principal.municipality_id)
        ]

    @put("/categories", operation_id="facilitySaveCategory")
    async def save_category(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[CategoryIn]
    ) -> list[CategoryOut]:
        """Add a category, rename one, or retire it (never delete: old reports keep it). The whole list back."""
        _manager(principal)
        saved = await categories.save(
            db_session,
            principal.municipality_id,
            categories.Listed(data.key, data.da.strip(), data.en.strip(), data.retired),
        )
        return [CategoryOut(c.key, c.da, c.en, c.retired) for c in saved]

    @get("/recurring", operation_id="facilitySchedules", cache=False)
    async def list_schedules(self, db_session: DbSession, principal: SignedIn) -> list[ScheduleOut]:
        """The municipality's recurring tasks (the property office)."""
        _office(principal)
        rows = await db_session.scalars(
            select(Schedule)
            .where(Schedule.municipality_id == principal.municipality_id)
            .order_by(Schedule.id)
        )
        return [_schedule(s) for s in rows.all()]

    @put("/recurring", operation_id="facilitySaveSchedule")
    async def save_schedule(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[ScheduleBody]
    ) -> ScheduleOut:
        """Create or change a recurring task; the daily job makes its occurrences (recurring.py)."""
        _office(principal)
        mid = principal.municipality_id
        building = await _own_building(db_session, principal, data.building_id)
        if data.unit not in UNITS:
            raise Invalid("Vælg dage, uger, måneder eller år.", "Choose days, weeks, months or years.")
        if abs((data.start - today()).days) > START_WITHIN_DAYS:
            raise Invalid(
                "Første frist skal ligge højst tre år fra i dag.",
                "The first due date must be within three years of today.",
            )
        if data.room_id is not None:
            room = await db_session.get(Room, data.room_id)
            if room is None or room.building_id != data.building_id:
                raise Invalid("Rummet er ikke i bygningen.", "The room is not in the building.")
        if data.category not in {c.key for c in await categories.offered(db_session, mid)}:
            raise Invalid(*categories.RETIRED_OR_UNKNOWN)
        if data.team_id is not None:
            team = await db_session.get(Team, data.team_id)
            if team is None or team.municipality_id != mid:
                raise Invalid("Holdet findes ikke.", "The team does not exist.")
        if data.assignee is not None and data.assignee not in await teams.technicians(db_session, mid):
            raise Invalid("Vælg en af kommunens teknikere.", "Choose one of the municipality's technicians.")
        unit = await db_session.get(OrgUnit, building.unit_id)
        try:
            await teams.require_reach(
                db_session, data.team_id, data.assignee, unit.path if unit else "", building.name
            )
        except teams.OutOfReach as wrong:
            raise Invalid(wrong.da, wrong.en) from wrong
        saved = await recurring.save_schedule(
            db_session,
            mid,
            recurring.ScheduleIn(
                data.id,
                data.building_id,
                data.room_id,
                data.title.strip(),
                data.category,
                data.every,
                data.unit,
                data.start,
                data.team_id,
                data.assignee,
                data.active,
            ),
            today(),
        )
        if saved is None:
            raise NotFound("Den faste opgave findes ikke.", "The recurring task does not exist.")
        return _schedule(saved)

    @put("/buildings/details", operation_id="facilityEditBuilding")
    async def edit_building(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[BuildingEdit]
    ) -> dict[str, int]:
        """Rename a building or change its address (after an import)."""
        _manager(principal)
        building = await _own_building(db_session, principal, data.id)
        clash = await db_session.scalar(
            select(Building.id).where(
                Building.municipality_id == principal.municipality_id,
                Building.name == data.name.strip(),
                Building.id != building.id,
            )
        )
        if clash is not None:
            raise Invalid(
                "Der er allerede en bygning med det navn.", "A building with that name exists already."
            )
        building.name, building.address = data.name.strip(), data.address.strip()
        await db_session.flush()
        return {"id": building.id}

    @put("/rooms", operation_id="facilityEditRoom")
    async def edit_room(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[RoomEdit]
    ) -> RoomOut:
        """Rename a room, or add one to a building (it gets a new code; the same name again adds nothing)."""
        _manager(principal)
        building = await _own_building(db_session, principal, data.building_id)
        name = data.name.strip()
        same = (
            await db_session.scalars(select(Room).where(Room.building_id == building.id, Room.name == name))
        ).first()
        if data.id is None:
            room = same or Room(
                municipality_id=building.municipality_id, building_id=building.id, name=name, code=new_code()
            )
            db_session.add(room)
        else:
            found = await db_session.get(Room, data.id)
            if found is None or found.building_id != building.id:
                raise NotFound("Rummet findes ikke.", "The room does not exist.")
            if same is not None and same.id != found.id:
                raise Invalid("Der er allerede et rum med det navn.", "A room with that name exists already.")
            room, room.name = found, name
        await db_session.flush()
        return RoomOut(room.id, room.building_id, room.name, room.code)
