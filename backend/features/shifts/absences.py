"""Absences on the rota (ferie, sygdom, omsorgsdag, kursus): kept per person and date range, read for
the norm (worktime.absences: the effect per kind, cited there) and checked against shifts: a shift
on a day its person is absent is refused in words ("Anna har fravær (ferie) 22.12.2026–2.1.2027")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import User
from backend.db.sync_tables import SYNC
from backend.features.shifts.checks import Finding
from backend.features.shifts.roster_models import ShiftAbsence
from backend.features.worktime import absences as rules
from sync import engine
from sync.apply import Record


def of_row(row: ShiftAbsence) -> rules.Absence:
    return rules.Absence(row.kind, row.first, row.last)


def out(row: ShiftAbsence) -> dict[str, Any]:
    """An absence as the screens get it: {id, employee, unit, kind, kind_da, kind_en, first, last, note}."""
    kind = rules.kinds().get(row.kind)
    return {
        "id": str(row.id),
        "employee": row.user_id,
        "unit": row.unit_id,
        "kind": row.kind,
        "kind_da": kind.da if kind else row.kind,
        "kind_en": kind.en if kind else row.kind,
        "first": row.first.isoformat(),
        "last": row.last.isoformat(),
        "note": row.note,
    }


async def of_people(
    db: AsyncSession, people: list[int], first: date, last: date
) -> dict[int, list[ShiftAbsence]]:
    """Each person's absences overlapping [first, last], by start date."""
    found: dict[int, list[ShiftAbsence]] = {p: [] for p in people}
    if not people:
        return found
    rows = await db.scalars(
        select(ShiftAbsence)
        .where(ShiftAbsence.user_id.in_(people), ShiftAbsence.first <= last, ShiftAbsence.last >= first)
        .order_by(ShiftAbsence.first)
    )
    for row in rows:
        found[row.user_id].append(row)
    return found


async def overlap(db: AsyncSession, new: rules.Absence, person: int, record_id: str) -> rules.Absence | None:
    """Another recorded absence of `person` (in any unit) sharing a day with `new`, or None; the record
    `record_id` itself (changed, or sent again) does not count (worktime.absences.overlapping)."""
    recorded = (await of_people(db, [person], new.first, new.last))[person]
    return rules.overlapping(new, [of_row(r) for r in recorded if r.id != record_id])


async def findings(db: AsyncSession, person: int, fields: Mapping[str, Any]) -> list[Finding]:
    """An "absence" finding when `person` is absent on the shift's date, else none."""
    try:
        day = date.fromisoformat(str(fields.get("date")))
    except ValueError:
        return []
    clash = rules.on_day([of_row(r) for r in (await of_people(db, [person], day, day))[person]], day)
    if clash is None:
        return []
    user = await db.get(User, person)
    da, en = rules.clash_words(clash, user.name if user else str(person))
    return [Finding("absence", da, en)]


async def shifts_between(db: AsyncSession, person: int, first: date, last: date) -> list[Record]:
    """The person's live shifts dated `first` to `last` (inclusive), by date."""
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(r.owner_id == person, r.type == "shift", r.deleted.is_(False))
    )
    found = [engine.load_row(row) for row in rows]
    return sorted(
        (s for s in found if first.isoformat() <= str(s.fields.get("date") or "") <= last.isoformat()),
        key=lambda s: str(s.fields.get("date")),
    )
