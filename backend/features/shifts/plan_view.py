"""The unit's 12-week view for its planners and leaders (tablet and desktop): who is on each day, who
is absent, the days where a shift type lacks people or a competence (worktime.coverage, against the
base plan's staffing and the open shifts not yet taken), and each person's balance against the norm
so far and projected to the end of the normperiode (service.balances)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.clock import today
from backend.db.sync_tables import SYNC
from backend.errors import Forbidden
from backend.features.org.service import get_unit
from backend.features.shifts import absences, competences, service
from backend.features.shifts import settings as unit_settings
from backend.features.shifts.base_plan import slots_of, types_of
from backend.features.shifts.record_type import PLAN_SHIFTS
from backend.features.shifts.roster_models import BasePlan
from backend.features.worktime import base_plan as plan_rules
from backend.features.worktime.coverage import gaps
from backend.features.worktime.holidays_dk import public_holidays
from sync import engine

WEEKS = 12


async def twelve_weeks(db: AsyncSession, principal: Principal, unit_id: int, around: date) -> dict[str, Any]:
    """Twelve weeks from the Monday of the week holding `around`: {unit, first, last, people [{id, name,
    weekly_minutes, competences}], days [{date, holiday ([Danish, English] name or null), on [{employee,
    shift_type, start, end, findings}], absent [{employee, kind, kind_da, kind_en}], gaps [{shift_type, needed, on, open,
    lacking}]}], balances (person id → service.balances' entry, for the normperiode holding `around`)}. Raises Forbidden for a non-planner,
    NotFound for another municipality's unit."""
    unit = await get_unit(db, principal, unit_id)
    if not principal.can(PLAN_SHIFTS, unit.path):
        raise Forbidden(*service.NO_PLANNING)
    first = around - timedelta(days=around.weekday())
    last = first + timedelta(days=7 * WEEKS - 1)
    people = await service.staff(db, unit)
    ids = [p.id for p in people]
    terms = await competences.terms(db, ids)
    away = await absences.of_people(db, ids, first, last)
    types = await types_of(db, unit.id)
    plan = await db.get(BasePlan, unit.id)
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(
            r.municipality_id == principal.municipality_id,
            r.type.in_(("shift", "open_shift")),
            r.deleted.is_(False),
            r.unit_path.startswith(unit.path),
        )
    )
    in_range = [
        s
        for s in (engine.load_row(row) for row in rows)
        if first.isoformat() <= str(s.fields.get("date") or "") <= last.isoformat()
    ]
    holidays = {**public_holidays(first.year), **public_holidays(last.year)}
    days = []
    for n in range(7 * WEEKS):
        day = first + timedelta(days=n)
        text = day.isoformat()
        todays = sorted(
            (s for s in in_range if s.fields.get("date") == text),
            key=lambda s: (str(s.fields.get("start") or ""), str(s.fields.get("shift_type") or "")),
        )
        on = [s for s in todays if s.type == "shift" and s.owner_id is not None]
        held: dict[str, list[list[str]]] = {}
        for s in on:
            assert s.owner_id is not None
            held.setdefault(str(s.fields.get("shift_type") or ""), []).append(
                terms.get(s.owner_id, (0, []))[1]
            )
        open_count: dict[str, int] = {}
        for s in todays:
            if s.type == "open_shift" and s.state == "open":
                name = str(s.fields.get("shift_type") or "")
                open_count[name] = open_count.get(name, 0) + 1
        needed = plan_rules.needed(plan.anchor, plan.weeks, slots_of(plan), day) if plan else {}
        required = {name: list(t.competences) for name, t in types.items()}
        days.append(
            {
                "date": text,
                "holiday": list(holidays[day]) if day in holidays else None,
                "on": [
                    {
                        "employee": s.owner_id,
                        "shift_type": s.fields.get("shift_type") or "",
                        "start": s.fields.get("start"),
                        "end": s.fields.get("end"),
                        "findings": len((s.fields.get("rules") or {}).get("findings") or []),
                    }
                    for s in on
                ],
                "absent": [
                    {"employee": p, **{k: v for k, v in absences.out(a).items() if k.startswith("kind")}}
                    for p, rows_of in away.items()
                    for a in rows_of
                    if a.first <= day <= a.last
                ],
                "gaps": [g.out() for g in gaps(needed, held, required, open_count)],
            }
        )
    rules = await unit_settings.for_unit(db, unit.path)
    return {
        "unit": {"id": unit.id, "name": unit.name},
        "first": first.isoformat(),
        "last": last.isoformat(),
        "today": today().isoformat(),
        "people": [
            {"id": p.id, "name": p.name, "weekly_minutes": terms[p.id][0], "competences": terms[p.id][1]}
            for p in people
        ],
        "days": days,
        "balances": await service.balances(db, ids, rules, around),
    }
