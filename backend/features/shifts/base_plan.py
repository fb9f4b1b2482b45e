"""A unit's base plan (grundplan) of N weeks, kept and rolled out to the published plan over a date
range (worktime.base_plan: the weeks and the wall clock).

Rolling out is safe to repeat: each occurrence's shift has a fixed id (unit, person, date, shift type),
so a shift already there — or deleted by a planner since — is left alone, and rolling out twice makes
nothing new. Each new shift is checked as a planner's save is (service.evaluate and
service.with_person: overlaps, rest, competences, absences) against the person's shifts, those made
earlier in the same roll-out included; a shift that breaks a rule is not made and is listed with the
rule in words, the rest are made.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.clock import today
from backend.db.models import OrgUnit
from backend.db.sync_tables import SYNC
from backend.errors import Invalid
from backend.features.shifts import service
from backend.features.shifts import settings as unit_settings
from backend.features.shifts.models import ShiftType
from backend.features.shifts.record_type import SHIFT_FIELDS
from backend.features.shifts.roster_models import BasePlan
from backend.features.workflow import Change
from backend.features.worktime import base_plan as rules
from sync import engine
from sync.apply import Record
from sync.fields import FieldError, clean_changes

NAMESPACE = uuid.UUID("5f0f6a52-93c4-4d1e-9a43-0d2b7e6c1a77")


def shift_id(unit_id: int, employee: int, day: date, shift_type: str) -> uuid.UUID:
    """The fixed id of a rolled-out shift: the same occurrence always gets the same shift."""
    return uuid.uuid5(NAMESPACE, f"{unit_id}/{employee}/{day.isoformat()}/{shift_type}")


def slots_of(plan: BasePlan | None) -> list[rules.Slot]:
    return [
        rules.Slot(int(s["week"]), int(s["weekday"]), int(s["employee"]), str(s["shift_type"]))
        for s in (plan.slots if plan else [])
    ]


async def types_of(db: AsyncSession, unit_id: int) -> dict[str, ShiftType]:
    """The unit's shift types by name."""
    return {t.name: t for t in await db.scalars(select(ShiftType).where(ShiftType.unit_id == unit_id))}


async def keep(
    db: AsyncSession, unit: OrgUnit, weeks: int, anchor: date, slots: list[rules.Slot]
) -> BasePlan:
    """Keep the unit's base plan (replacing the one it had). Raises Invalid (in words) for a plan that
    does not begin on a Monday, has 0 or more than 26 weeks, a slot outside its weeks, a shift type the
    unit does not have, or a person who is not among the unit's staff."""
    problem = rules.problems(anchor, weeks, slots)
    if problem:
        raise Invalid(*problem)
    types = await types_of(db, unit.id)
    unknown = sorted({s.shift_type for s in slots} - set(types))
    if unknown:
        raise Invalid(
            f"Enheden har ingen vagttype {unknown[0]!r}.", f"The unit has no shift type {unknown[0]!r}."
        )
    people = {u.id for u in await service.staff(db, unit)}
    strangers = sorted({s.employee for s in slots} - people)
    if strangers:
        raise Invalid(
            f"Medarbejder {strangers[0]} hører ikke til enheden.",
            f"Employee {strangers[0]} does not belong to the unit.",
        )
    plan = await db.get(BasePlan, unit.id) or BasePlan(unit_id=unit.id, municipality_id=unit.municipality_id)
    plan.weeks, plan.anchor = weeks, anchor
    plan.slots = [
        {"week": s.week, "weekday": s.weekday, "employee": s.employee, "shift_type": s.shift_type}
        for s in sorted(slots, key=lambda s: (s.week, s.weekday, s.shift_type, s.employee))
    ]
    db.add(plan)
    return plan


@dataclass
class Rollout:
    """What a roll-out did: the `changes` making new shifts, how many were `existing` already, and the
    `refused` occurrences with the rules they would break in words."""

    changes: list[Change] = field(default_factory=list)
    existing: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)

    def out(self) -> dict[str, Any]:
        return {"created": len(self.changes), "existing": self.existing, "refused": self.refused}


def _refused(
    occ: rules.Occurrence, names: dict[int, str], shift_type: str, findings: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "date": occ.day.isoformat(),
        "employee": occ.employee,
        "name": names[occ.employee],
        "shift_type": shift_type,
        "findings": findings,
    }


async def _shifts_of(db: AsyncSession, person: int) -> dict[uuid.UUID, Record]:
    """All the person's shift records, deleted ones too (a planner's deletion is not undone by a roll-out)."""
    r = SYNC.record.c
    rows = await db.execute(select(SYNC.record).where(r.owner_id == person, r.type == "shift"))
    return {row.id: engine.load_row(row) for row in rows}


async def rollout(db: AsyncSession, principal: Principal, unit: OrgUnit, first: date, last: date) -> Rollout:
    """The shifts the unit's base plan gives from `first` to `last` (inclusive), checked one by one.
    Raises Invalid when the unit has no base plan or the range is reversed or over 26 weeks."""
    plan = await db.get(BasePlan, unit.id)
    if plan is None or not plan.slots:
        raise Invalid("Enheden har ingen grundplan endnu.", "The unit has no base plan yet.")
    try:
        found = rules.occurrences(plan.anchor, plan.weeks, slots_of(plan), first, last)
    except ValueError:
        raise Invalid(
            f"En udrulning dækker 1–{rules.MAX_DAYS} dage, fra en dato til en senere.",
            f"A roll-out covers 1–{rules.MAX_DAYS} days, from a date to a later one.",
        ) from None
    types = await types_of(db, unit.id)
    profile = (await unit_settings.for_unit(db, unit.path)).profile
    names = {u.id: u.name for u in await service.staff(db, unit)}
    done = Rollout()
    mine: dict[int, dict[uuid.UUID, Record]] = {}
    for occ in found:
        kind = types.get(occ.shift_type)
        if kind is None or occ.employee not in names:
            continue  # the type or the person has gone since the plan was kept
        if occ.employee not in mine:
            mine[occ.employee] = await _shifts_of(db, occ.employee)
        theirs = mine[occ.employee]
        record_id = shift_id(unit.id, occ.employee, occ.day, occ.shift_type)
        # Theirs already, or given to someone else since (a swap moves the record): nothing new either way.
        if record_id in theirs or await engine.load(db, SYNC, record_id) is not None:
            done.existing += 1
            continue
        fields: dict[str, Any] = {
            "date": occ.day.isoformat(),
            "start": kind.start,
            "end": kind.end,
            "break_minutes": kind.break_minutes,
            "employee": occ.employee,
            "unit": unit.id,
            "shift_type": kind.name,
            "competences": list(kind.competences),
        }
        try:  # the same typed fields as a planner's save: the date's window above all
            fields = clean_changes(SHIFT_FIELDS, fields, today()).fields
        except FieldError as bad:
            done.refused.append(
                _refused(occ, names, kind.name, [{"rule": "field", "da": bad.da, "en": bad.en}])
            )
            continue
        window = (
            (occ.day - timedelta(days=service.NEIGHBOURHOOD_DAYS)).isoformat(),
            (occ.day + timedelta(days=service.NEIGHBOURHOOD_DAYS)).isoformat(),
        )
        around = [
            s
            for s in theirs.values()
            if not s.deleted and window[0] <= str(s.fields.get("date") or "") <= window[1]
        ]
        outcome = service.evaluate(record_id, fields, around, profile)
        outcome = await service.with_person(db, occ.employee, unit.id, fields, outcome)
        if outcome.findings:
            done.refused.append(_refused(occ, names, kind.name, [f.out() for f in outcome.findings]))
            continue
        record = Record(
            id=record_id,
            type="shift",
            municipality_id=unit.municipality_id,
            owner_id=occ.employee,
            unit_id=unit.id,
            unit_path=unit.path,
            state="published",
            fields={},
            version=0,
            deleted=False,
            updated_at=datetime.now(UTC),
            author_id=principal.user_id,
        )
        fields.update(clock=outcome.clock, rules={"findings": [], "override": None})
        theirs[record_id] = dataclasses.replace(record, fields=fields)
        done.changes.append(Change(record, fields))
    return done
