"""Demo plans beyond the two-week rota in shifts.demo: people's hours and competences, a few absences,
and base plans for Plejecenter Egebo (care home, day/evening/night) and Børnehuset Solsikken (daycare,
opening/middle/closing) rolled out over 12 weeks, so the 12-week view shows people on, absences, gaps
and balances at once. Idempotent: terms are set, absences have fixed ids, and a roll-out makes only
the shifts not there yet (base_plan.rollout)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.errors import Conflict
from backend.features.shifts import base_plan, competences, service
from backend.features.shifts.models import ShiftType, UnitRules
from backend.features.shifts.roster_models import BasePlan, ShiftAbsence
from backend.features.sync import pipeline
from backend.features.worktime.base_plan import Slot
from backend.platform import Platform
from backend.seed.people import principal_of
from sync import engine

NAMESPACE = uuid.UUID("2c1d7e0a-6b7f-4a55-b1f3-8e9d0c4a2b61")
ANCHOR = date(2026, 1, 5)
"""Week 1 of both base plans (a Monday; fixed so that every run rolls out the same plan)."""

TERMS = {
    # employee number → (weekly hours, competences)
    "1005": (37, ["medicin-kursus", "kørekort"]),
    "1006": (30, ["medicin-kursus"]),
    "1014": (30, []),
    "1015": (32, ["medicin-kursus"]),
    "1016": (25, ["kørekort"]),
    "1013": (37, ["førstehjælp"]),
    "1017": (37, ["førstehjælp", "kørekort"]),
    "1018": (30, ["førstehjælp"]),  # so the daycare's open closing shift and Maja's swap reach her
}
DAYCARE_TYPES = [
    ("Åbne", "06:30", "14:00", 30, ["førstehjælp"]),
    ("Mellem", "08:00", "15:30", 30, []),
    ("Lukke", "09:30", "17:00", 30, ["førstehjælp"]),
]
PLANS = {
    # Egebo's new people are on Thursday to Sunday evenings and nights and Tuesday to Thursday evenings,
    # so the demo's open evening and Fatima's swap (shifts.demo) still reach Erik only.
    # unit code → (planner's employee number, weeks, {employee number: [(week, weekday, type)]})
    "PLEJE": (
        "1005",
        2,
        {
            "1014": [(w, d, "Aften") for w in range(2) for d in (3, 4, 5, 6)],
            "1015": [(w, d, "Nat") for w in range(2) for d in (3, 4, 5, 6)],
            "1016": [(w, d, "Aften") for w in range(2) for d in (1, 2, 3)],
        },
    ),
    "DAG": (
        "1017",
        2,
        {
            "1013": [(0, d, "Åbne") for d in range(5)] + [(1, d, "Lukke") for d in range(5)],
            "1017": [(0, d, "Lukke") for d in range(5)] + [(1, d, "Åbne") for d in range(5)],
            "1018": [(w, d, "Mellem") for w in range(2) for d in range(4)],
        },
    ),
}
ROLL_OUT_WEEKS = 12


async def _people(db: AsyncSession, municipality_id: int) -> dict[str, User]:
    rows = await db.scalars(
        select(User).where(User.municipality_id == municipality_id, User.employee_number.in_(TERMS))
    )
    return {str(u.employee_number): u for u in rows}


async def seed_people(db: AsyncSession, municipality_id: int) -> None:
    """People's weekly hours and competences, and a few absences (before any shift is checked)."""
    people = await _people(db, municipality_id)
    for number, (hours, held) in TERMS.items():
        if number in people:
            await competences.set_terms(db, municipality_id, people[number].id, hours * 60, held)
    monday = today() - timedelta(days=today().weekday())
    away = [
        ("1006", "ferie", monday + timedelta(days=21), monday + timedelta(days=27)),
        ("1014", "omsorgsdag", monday + timedelta(days=17), monday + timedelta(days=17)),
        ("1013", "kursus", monday + timedelta(days=9), monday + timedelta(days=9)),
    ]
    for number, kind, first, last in away:
        user = people.get(number)
        if user is None or user.unit_id is None:
            continue
        absence_id = str(uuid.uuid5(NAMESPACE, f"absence/{number}/{kind}"))
        if await db.get(ShiftAbsence, absence_id) is None:
            db.add(
                ShiftAbsence(
                    id=absence_id,
                    municipality_id=municipality_id,
                    user_id=user.id,
                    unit_id=user.unit_id,
                    kind=kind,
                    first=first,
                    last=last,
                )
            )
    await db.flush()


async def seed_plans(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    """The daycare's shift types, both units' base plans, an open closing shift and a pending swap at the
    daycare, and the
    base plans rolled out over 12 weeks from this Monday (what the rules refuse is left out); each unit's
    normperiode begins this Monday on the first run (UnitRules.norm_anchor), so balances start with the plan."""
    units = {
        u.code: u
        for u in await db.scalars(
            select(OrgUnit).where(OrgUnit.municipality_id == municipality_id, OrgUnit.code.in_(PLANS))
        )
    }
    daycare = units.get("DAG")
    if daycare is not None:
        for name, start, end, pause, needs in DAYCARE_TYPES:
            found = await db.scalar(
                select(ShiftType.id).where(ShiftType.unit_id == daycare.id, ShiftType.name == name)
            )
            if found is None:
                db.add(
                    ShiftType(
                        municipality_id=municipality_id,
                        unit_id=daycare.id,
                        name=name,
                        start=start,
                        end=end,
                        break_minutes=pause,
                        competences=needs,
                    )
                )
        await db.flush()
    people = await _people(db, municipality_id)
    monday = today() - timedelta(days=today().weekday())
    for code, (planner_number, weeks, slots) in PLANS.items():
        unit = units.get(code)
        if unit is None or planner_number not in people:
            continue
        if await db.get(UnitRules, unit.id) is None:
            # The demo has no history before this week: a normperiode begun months ago would show everyone
            # hundreds of hours short. The period starts with the rolled-out plan instead (kept on re-runs).
            db.add(UnitRules(unit_id=unit.id, municipality_id=municipality_id, norm_anchor=monday))
        if await db.get(BasePlan, unit.id) is None:
            plan = [
                Slot(week, weekday, people[number].id, kind)
                for number, entries in slots.items()
                if number in people
                for week, weekday, kind in entries
            ]
            await base_plan.keep(db, unit, weeks, ANCHOR, plan)
            await db.flush()
        planner = await principal_of(db, platform, municipality_id, planner_number)
        done = await base_plan.rollout(
            db, planner, unit, monday, monday + timedelta(days=7 * ROLL_OUT_WEEKS - 1)
        )
        if done.changes:
            await pipeline.save(db, platform, done.changes)
        if code == "DAG":  # a closing shift next Friday offered to the daycare's staff who can take it
            friday = monday + timedelta(days=11)
            offer = service.ShiftIn(
                uuid.uuid5(NAMESPACE, "open/DAG/1"), 0, unit.id, friday, "09:30", "17:00", 30, "Lukke", ()
            )
            await pipeline.save(db, platform, [await service.prepare_open(db, planner, offer)])
            await _daycare_swap(db, platform, municipality_id, unit, people, friday)
    await db.commit()


async def _daycare_swap(
    db: AsyncSession,
    platform: Platform,
    municipality_id: int,
    unit: OrgUnit,
    people: dict[str, User],
    day: date,
) -> None:
    """Maja offers her shift on `day` (next Friday) to the team, as her phone does: those who can take it
    then are offered it (Rikke, free on Fridays and a first-aider; Peter is on the other Friday shift);
    it stays pending."""
    maja = people.get("1013")
    if maja is None:
        return
    shifts = [
        await engine.load(db, SYNC, base_plan.shift_id(unit.id, maja.id, day, k)) for k in ("Åbne", "Lukke")
    ]
    mine = next((s for s in shifts if s is not None and not s.deleted), None)
    if mine is None:
        return
    principal = await principal_of(db, platform, municipality_id, "1013")
    try:
        offer = await service.prepare_swap(db, principal, uuid.uuid5(NAMESPACE, "swap/DAG/1"), mine.id, None)
    except Conflict:
        return  # nobody can take it now (the plan was changed by hand): no demo swap, nothing broken
    await pipeline.save(db, platform, [offer])
