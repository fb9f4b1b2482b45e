"""People's terms on the rota (weekly hours, competences held) and the competence check every shift
meets: giving it (the planner's save, a roll-out), taking it (an open shift) and being offered it (a
swap). The rule itself is worktime.competences; this reads the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import User
from backend.features.shifts.checks import Finding
from backend.features.shifts.models import ShiftType
from backend.features.shifts.roster_models import ShiftPerson
from backend.features.worktime.competences import missing, normalised, refusal_words
from backend.features.worktime.norm import FULL_TIME_WEEK

MIN_WEEKLY, MAX_WEEKLY = 60, 48 * 60
"""Weekly hours a person may be set to, in minutes (1–48 h; the 48-hour average caps any more)."""


async def terms(db: AsyncSession, people: list[int]) -> dict[int, tuple[int, list[str]]]:
    """Each person's (weekly minutes, competences held); full time and none when nothing is set."""
    rows = (
        {p.user_id: p for p in await db.scalars(select(ShiftPerson).where(ShiftPerson.user_id.in_(people)))}
        if people
        else {}
    )
    return {
        p: (rows[p].weekly_minutes, list(rows[p].competences)) if p in rows else (FULL_TIME_WEEK, [])
        for p in people
    }


async def set_terms(
    db: AsyncSession, municipality_id: int, person: int, weekly_minutes: int, competences: list[str]
) -> tuple[int, list[str]]:
    """Keep a person's weekly minutes and competences (normalised); the caller checks who may. Returns
    what was kept. Raises ValueError for weekly minutes outside MIN_WEEKLY–MAX_WEEKLY."""
    if not MIN_WEEKLY <= weekly_minutes <= MAX_WEEKLY:
        raise ValueError("weekly minutes out of range")
    row = await db.get(ShiftPerson, person) or ShiftPerson(user_id=person, municipality_id=municipality_id)
    row.weekly_minutes, row.competences = weekly_minutes, normalised(competences)
    db.add(row)
    return row.weekly_minutes, list(row.competences)


async def required(db: AsyncSession, unit_id: int | None, fields: Mapping[str, Any]) -> list[str]:
    """The competences a shift requires: its own `competences` and those of its shift type in the unit."""
    own = list(fields.get("competences") or [])
    name = str(fields.get("shift_type") or "")
    if unit_id is not None and name:
        kind = await db.scalar(select(ShiftType).where(ShiftType.unit_id == unit_id, ShiftType.name == name))
        own += list(kind.competences) if kind is not None else []
    return normalised(own)


async def findings(
    db: AsyncSession, person: int, unit_id: int | None, fields: Mapping[str, Any]
) -> list[Finding]:
    """A "competence" finding when `person` lacks a competence the shift requires ("Vagten kræver
    medicin-kursus, som Anna ikke har."), else none."""
    needs = await required(db, unit_id, fields)
    if not needs:
        return []
    held = (await terms(db, [person]))[person][1]
    lacking = missing(needs, held)
    if not lacking:
        return []
    user = await db.get(User, person)
    da, en = refusal_words(lacking, user.name if user else str(person))
    return [Finding("competence", da, en)]
