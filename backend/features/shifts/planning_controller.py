"""HTTP for laying the plan: people's weekly hours and competences, absences, the base plan and its
roll-out, and the 12-week view. Planners and leaders of the unit (PLAN_SHIFTS); my own absences for
everyone. Every change is safe to send twice."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy import func, select

from backend import platform
from backend.clock import today
from backend.db import audit
from backend.db.models import OrgUnit
from backend.deps import DbSession, SignedIn
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.org.service import get_unit, list_units
from backend.features.shifts import absences, base_plan, competences, events, plan_view, service
from backend.features.shifts.models import ShiftType
from backend.features.shifts.record_type import PLAN_SHIFTS
from backend.features.shifts.roster_models import BasePlan, ShiftAbsence
from backend.features.sync import pipeline
from backend.features.workflow import Change
from backend.features.worktime import absences as absence_rules
from backend.features.worktime import base_plan as plan_rules
from backend.web.params import PathId


class PlanUnitOut(msgspec.Struct):
    """A unit the caller may plan: `types` is its number of shift types (0: no rota is laid there)."""

    id: int
    name: str
    types: int


class PersonIn(msgspec.Struct):
    """A person's terms on the rota: weekly hours in minutes (1800 = 30 h) and competences held."""

    employee: int
    weekly_minutes: int = 37 * 60
    competences: list[str] = msgspec.field(default_factory=list)


class PersonOut(PersonIn):
    name: str = ""


class AbsenceIn(msgspec.Struct):
    """An absence (`kind`: ferie, sygdom, omsorgsdag, kursus) from `first` to `last` inclusive."""

    id: UUID
    employee: int
    kind: str
    first: date
    last: date
    note: str = ""


class SlotIO(msgspec.Struct):
    """In base-plan week `week` (0-based) on `weekday` (0 Monday), `employee` is on `shift_type`."""

    week: int
    weekday: int
    employee: int
    shift_type: str


class BasePlanIO(msgspec.Struct):
    """A base plan of `weeks` weeks from the Monday `anchor`."""

    weeks: int
    anchor: date
    slots: list[SlotIO] = msgspec.field(default_factory=list)


class RolloutIn(msgspec.Struct):
    """Roll the base plan out from `first` to `last` (inclusive)."""

    first: date
    last: date


async def _plannable(db: DbSession, principal: SignedIn, unit_id: int) -> OrgUnit:
    unit = await get_unit(db, principal, unit_id)
    if not principal.can(PLAN_SHIFTS, unit.path):
        raise Forbidden(*service.NO_PLANNING)
    return unit


async def _member(db: DbSession, unit: OrgUnit, person: int) -> str:
    """The person's name; raises Invalid when they are not among the unit's staff."""
    found = next((u for u in await service.staff(db, unit) if u.id == person), None)
    if found is None:
        raise Invalid(
            f"Medarbejder {person} hører ikke til enheden.", f"Employee {person} does not belong to the unit."
        )
    return found.name


async def _recheck(request: Request, db: DbSession, spans: list[tuple[int, date, date]]) -> None:
    """Bring the rule findings of the shifts in these (person, first, last) spans up to date after an
    absence changed (the push hook's checks: a shift on an absence day is flagged, one no longer is)."""
    records = {
        s.id: s
        for person, first, last in spans
        for s in await absences.shifts_between(db, person, first, last)
    }
    effects = await service.shifts_changed(db, list(records.values()))
    if effects:
        await pipeline.save(db, platform.of(request), [e for e in effects if isinstance(e, Change)])


class PlanningController(Controller):
    path = "/api/shifts"
    tags = ["shifts"]  # noqa: RUF012

    @get("/units", operation_id="listPlanUnits")
    async def plan_units(self, db_session: DbSession, principal: SignedIn) -> list[PlanUnitOut]:
        """The units where I may plan shifts, in tree order: a leader of an area gets the units under it
        too (e.g. the care home under "Omsorg og Sundhed"), each with its number of shift types, so the
        screens can open on a unit where a rota is laid. Empty for those who plan nothing."""
        units = [u for u in await list_units(db_session, principal) if principal.can(PLAN_SHIFTS, u.path)]
        rows = await db_session.execute(
            select(ShiftType.unit_id, func.count())
            .where(ShiftType.unit_id.in_([u.id for u in units]))
            .group_by(ShiftType.unit_id)
        )
        counts: dict[int, int] = {unit_id: n for unit_id, n in rows}
        return [PlanUnitOut(u.id, u.name, counts.get(u.id, 0)) for u in units]

    @get("/units/{unit_id:int}/people", operation_id="listShiftPeople")
    async def people(self, db_session: DbSession, principal: SignedIn, unit_id: PathId) -> list[PersonOut]:
        """The unit's people with their weekly hours (minutes) and competences."""
        unit = await _plannable(db_session, principal, unit_id)
        staff = await service.staff(db_session, unit)
        terms = await competences.terms(db_session, [u.id for u in staff])
        return [PersonOut(u.id, terms[u.id][0], terms[u.id][1], u.name) for u in staff]

    @put("/units/{unit_id:int}/people", operation_id="setShiftPerson")
    async def set_person(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId, data: JSONBody[PersonIn]
    ) -> PersonOut:
        """Set a person's weekly hours (part time gives a pro-rata norm) and competences. Raises 400 for
        weekly hours outside 1–48 h or a person outside the unit."""
        unit = await _plannable(db_session, principal, unit_id)
        name = await _member(db_session, unit, data.employee)
        try:
            weekly, held = await competences.set_terms(
                db_session, unit.municipality_id, data.employee, data.weekly_minutes, data.competences
            )
        except ValueError:
            raise Invalid(
                "Ugentlig arbejdstid skal være 1–48 timer.", "Weekly working hours must be 1–48 hours."
            ) from None
        await db_session.commit()
        return PersonOut(data.employee, weekly, held, name)

    @get("/units/{unit_id:int}/absences", operation_id="listAbsences")
    async def list_absences(
        self,
        db_session: DbSession,
        principal: SignedIn,
        unit_id: PathId,
        first: FromQuery[date | None] = None,
        last: FromQuery[date | None] = None,
    ) -> list[dict[str, object]]:
        """The absences of the unit's people overlapping [first, last] (default: 12 weeks from today)."""
        unit = await _plannable(db_session, principal, unit_id)
        first = first or today()
        last = last or first + timedelta(weeks=12)
        found = await absences.of_people(
            db_session, [u.id for u in await service.staff(db_session, unit)], first, last
        )
        return [absences.out(a) for rows in found.values() for a in rows]

    @post("/units/{unit_id:int}/absences", operation_id="saveAbsence", status_code=200)
    async def save_absence(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        unit_id: PathId,
        data: JSONBody[AbsenceIn],
    ) -> dict[str, object]:
        """Record (or change) an absence; safe to send twice (same id). The answer lists the person's
        shifts on those days (`clashes`, in words) for the planner to move. Raises 409 in words when
        another of the person's absences covers one of the days (of the same kind or not)."""
        unit = await _plannable(db_session, principal, unit_id)
        name = await _member(db_session, unit, data.employee)
        problem = absence_rules.check_range(data.kind, data.first, data.last)
        if problem:
            raise Invalid(*problem)
        row = await db_session.get(ShiftAbsence, str(data.id))
        if row is not None and (
            row.municipality_id != principal.municipality_id
            or row.user_id not in {u.id for u in await service.staff(db_session, unit)}
        ):  # another unit's absence (the same id sent to the wrong unit) is not this planner's to change
            raise NotFound("Fraværet findes ikke.", "The absence does not exist.")
        new = absence_rules.Absence(data.kind, data.first, data.last)
        recorded = await absences.overlap(db_session, new, data.employee, str(data.id))
        if recorded is not None:  # a duplicate or a mistake: one absence a day (worktime.absences)
            raise Conflict(*absence_rules.overlap_words(recorded, name))
        before = (row.user_id, row.first, row.last) if row is not None else None
        row = row or ShiftAbsence(id=str(data.id), municipality_id=unit.municipality_id)
        row.user_id, row.unit_id, row.kind = data.employee, unit.id, data.kind
        row.first, row.last, row.note = data.first, data.last, data.note.strip()[:200]
        db_session.add(row)
        await db_session.flush()
        clashes = [
            {"shift": str(s.id), "date": str(s.fields.get("date")), "da": da, "en": en}
            for s in await absences.shifts_between(db_session, data.employee, data.first, data.last)
            for da, en in [absence_rules.clash_words(absences.of_row(row), name)]
        ]
        await _recheck(
            request, db_session, [(data.employee, data.first, data.last), *([before] if before else [])]
        )
        await db_session.commit()
        return {**absences.out(row), "clashes": clashes}

    @delete("/units/{unit_id:int}/absences/{record_id:uuid}", operation_id="deleteAbsence", status_code=200)
    async def delete_absence(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        unit_id: PathId,
        record_id: FromPath[UUID],
    ) -> dict[str, bool]:
        """Remove an absence; removing it twice is fine (`deleted` false the second time)."""
        unit = await _plannable(db_session, principal, unit_id)
        row = await db_session.get(ShiftAbsence, str(record_id))
        if row is None:
            return {"deleted": False}
        staff = {u.id for u in await service.staff(db_session, unit)}
        if row.municipality_id != principal.municipality_id or row.user_id not in staff:
            raise NotFound("Fraværet findes ikke.", "The absence does not exist.")
        await db_session.delete(row)
        await db_session.flush()
        await _recheck(request, db_session, [(row.user_id, row.first, row.last)])
        await db_session.commit()
        return {"deleted": True}

    @get("/absences/mine", operation_id="listMyAbsences")
    async def my_absences(self, db_session: DbSession, principal: SignedIn) -> list[dict[str, object]]:
        """My absences from 60 days back to a year ahead."""
        found = await absences.of_people(
            db_session, [principal.user_id], today() - timedelta(days=60), today() + timedelta(days=366)
        )
        return [absences.out(a) for a in found[principal.user_id]]

    @get("/units/{unit_id:int}/base-plan", operation_id="getBasePlan")
    async def get_base_plan(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId
    ) -> BasePlanIO | None:
        """The unit's base plan (grundplan), or null when it has none."""
        unit = await _plannable(db_session, principal, unit_id)
        plan = await db_session.get(BasePlan, unit.id)
        if plan is None:
            return None
        return BasePlanIO(
            plan.weeks,
            plan.anchor,
            [SlotIO(s.week, s.weekday, s.employee, s.shift_type) for s in base_plan.slots_of(plan)],
        )

    @put("/units/{unit_id:int}/base-plan", operation_id="setBasePlan")
    async def set_base_plan(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId, data: JSONBody[BasePlanIO]
    ) -> BasePlanIO:
        """Keep the unit's base plan of N weeks (replacing the old one). 400 in words for a plan that does
        not begin on a Monday, 0 or over 26 weeks, an unknown shift type or a person outside the unit."""
        unit = await _plannable(db_session, principal, unit_id)
        slots = [plan_rules.Slot(s.week, s.weekday, s.employee, s.shift_type) for s in data.slots]
        await base_plan.keep(db_session, unit, data.weeks, data.anchor, slots)
        await db_session.commit()
        return data

    @post("/units/{unit_id:int}/base-plan/rollout", operation_id="rollOutBasePlan", status_code=200)
    async def roll_out(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        unit_id: PathId,
        data: JSONBody[RolloutIn],
    ) -> dict[str, object]:
        """Roll the base plan out from `first` to `last`: {created, existing, refused [{date, employee, name,
        shift_type, findings [{rule, da, en}]}]}. Each new shift is checked by the rules; those that break
        one are listed, the rest made. Rolling out twice makes nothing new."""
        unit = await _plannable(db_session, principal, unit_id)
        done = await base_plan.rollout(db_session, principal, unit, data.first, data.last)
        if done.changes:
            audit.record(
                db_session,
                "roll_out_base_plan",
                municipality_id=principal.municipality_id,
                entity="shift_base_plan",
                entity_id=unit.id,
                changes={"first": data.first.isoformat(), "last": data.last.isoformat(), **done.out()},
            )
            # Through the weekly approval's list and events (shifts.events.save), committed.
            await events.save(db_session, platform.of(request), principal, done.changes)
        return done.out()

    @get("/units/{unit_id:int}/plan", operation_id="getTwelveWeeks")
    async def twelve_weeks(
        self,
        db_session: DbSession,
        principal: SignedIn,
        unit_id: PathId,
        start: FromQuery[date | None] = None,
    ) -> dict[str, object]:
        """The unit's 12 weeks from the Monday of `start` (default: this week): who is on, who is absent,
        the gaps (people or competences lacking), each person's balance against the norm."""
        return await plan_view.twelve_weeks(db_session, principal, unit_id, start or today())
