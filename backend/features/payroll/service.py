"""Payroll export, shared by every workflow that pays something (mileage now; substitutes' hours and
supplements later): workflows feed wage lines in; payroll staff export what is approved and not yet
exported for a payroll month. An export is recorded with its file, so it can be downloaded again exactly
as it was, and a line is in at most one export.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar, cast
from uuid import UUID

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Capability, Principal
from backend.clock import today
from backend.db.base import utcnow
from backend.db.models import Municipality
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.org.service import root_unit
from backend.features.payroll import wage_types
from backend.features.payroll.cutoff import latest_exportable
from backend.features.payroll.models import PayrollExport, WageLine
from backend.features.payroll.writers import WRITERS, OutLine
from backend.features.sync import pipeline
from backend.platform import Platform
from sync.protocol import MAX_BATCH

EXPORTED = "send_to_payroll"
"""A record type with a transition of this name moves along when its wage lines are exported."""
PAID = "mark_paid"
"""… and with one of this name when payroll confirms the salary run that paid them."""
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
T = TypeVar("T")


async def require_payroll(db: AsyncSession, principal: Principal) -> None:
    root = await root_unit(db, principal.municipality_id)
    if not principal.can(Capability.EXPORT_PAYROLL, root.path):
        raise Forbidden(
            "Kun lønkontoret har adgang til løneksporten.", "Only payroll staff can use the payroll export."
        )


def check_period(period: str) -> str:
    if not PERIOD.match(period):
        raise Invalid("Lønmåneden skrives ÅÅÅÅ-MM.", "Write the payroll month as YYYY-MM.")
    return period


@dataclass(frozen=True)
class Made:
    """An export and whether this request made it (False: the month had been exported already)."""

    export: PayrollExport
    created: bool


async def _lock_municipality(db: AsyncSession, municipality_id: int) -> None:
    """Serialise payroll's runs per municipality until commit: a write to the municipality's row.

    On PostgreSQL the row lock makes a second export wait for the first to commit, then see it; on
    SQLite the write takes the database's single writer lock before anything is read. The row is
    left as it was (updated_at is set to itself, so its own on-update does not fire).
    """
    table = cast(Table, Municipality.__table__)
    await db.execute(update(table).where(table.c.id == municipality_id).values(updated_at=table.c.updated_at))


async def export(
    db: AsyncSession, principal: Principal, platform: Platform, period: str, fmt: str = "csv"
) -> Made:
    """Export every approved line not yet exported that is paid in `period` (or earlier and missed).

    Idempotent per payroll month: while or after one request exports `period`, another gets that
    same export back (`created` False) and nothing new is made, so no line can be paid twice.
    """
    await require_payroll(db, principal)
    check_period(period)
    writer = WRITERS.get(fmt)
    if writer is None:
        raise Invalid(f"Ukendt format: {fmt}.", f"Unknown format: {fmt}.")
    await _lock_municipality(db, principal.municipality_id)
    municipality = await db.get(Municipality, principal.municipality_id)
    assert municipality is not None
    latest = latest_exportable(
        today(), municipality.payroll_cutoff_day, await exported_periods(db, principal.municipality_id)
    )
    if period > str(latest):
        raise Invalid(
            f"Lønmåneden {period} kan ikke eksporteres endnu: den seneste, der kan, er {latest}.",
            f"The payroll month {period} cannot be exported yet: the latest that can is {latest}.",
        )
    done = await db.scalar(
        select(PayrollExport)
        .where(PayrollExport.municipality_id == principal.municipality_id, PayrollExport.period == period)
        .order_by(PayrollExport.id)
        .limit(1)
    )
    if done is not None:
        return Made(done, created=False)
    lines = list(
        await db.scalars(
            select(WageLine)
            .where(
                WageLine.municipality_id == principal.municipality_id,
                WageLine.export_id.is_(None),
                WageLine.period <= period,
            )
            .order_by(WageLine.employee_number, WageLine.approved_at, WageLine.id)
            .with_for_update()  # a withdrawal taking a line back waits for the export, then finds it sent
        )
    )
    if not lines:
        raise Conflict(
            f"Der er intet at eksportere for {period}: intet godkendt venter på denne lønkørsel.",
            f"There is nothing to export for {period}: nothing approved waits for this salary run.",
        )
    codes = await wage_types.codes(db, platform, principal.municipality_id)
    out = [
        OutLine(
            line.employee_number,
            codes.get(line.wage_key, line.wage_key),
            line.quantity,
            line.rate,
            line.amount,
            line.period,
            f"{line.source_type}:{line.source_id}",
            line.flag or "",
        )
        for line in lines
    ]
    record = PayrollExport(
        municipality_id=principal.municipality_id,
        period=period,
        format=writer.name,
        media_type=writer.media_type,
        content=writer.write(out),
        line_count=len(lines),
        total=sum((line.amount for line in lines), Decimal(0)),
        created_by=principal.user_id,
        filename="",
    )
    db.add(record)
    await db.flush()
    record.filename = f"loen-{period}-{record.id}.{writer.extension}"
    for chunk in _chunks([line.id for line in lines]):  # a bounded number of parameters per statement
        await db.execute(update(WageLine).where(WageLine.id.in_(chunk)).values(export_id=record.id))
    await _move_sources(db, principal, platform, lines, EXPORTED)
    return Made(record, created=True)


def _chunks(items: Sequence[T], size: int = MAX_BATCH) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


async def mark_paid(
    db: AsyncSession, principal: Principal, platform: Platform, export_id: int
) -> PayrollExport:
    """Payroll confirms that the salary run with this export has been paid."""
    found = await get_export(db, principal, export_id)
    await _lock_municipality(db, principal.municipality_id)  # a second click waits, then sees it paid
    await db.refresh(found)
    if found.paid_at is not None:
        raise Conflict(
            "Eksporten er allerede markeret som udbetalt.", "The export is already marked as paid."
        )
    found.paid_at = utcnow()
    lines = list(await db.scalars(select(WageLine).where(WageLine.export_id == found.id)))
    await _move_sources(db, principal, platform, lines, PAID)
    return found


async def _move_sources(
    db: AsyncSession, principal: Principal, platform: Platform, lines: list[WageLine], transition: str
) -> None:
    """Sources that are sync records move along ("sent to payroll", "paid") through their own state
    machine, in the export's own transaction (the caller commits)."""
    by_type: dict[str, list[str]] = {}
    for line in lines:
        by_type.setdefault(line.source_type, []).append(line.source_id)
    for source_type, ids in by_type.items():
        record_type = platform.registry.get(source_type)
        if record_type is None or record_type.transition(transition) is None:
            continue
        unique = sorted({UUID(i) for i in ids})
        for chunk in _chunks(unique):  # a bounded number of records in memory and parameters at a time
            await pipeline.transition(db, platform, principal, source_type, chunk, transition, commit=False)


async def list_exports(db: AsyncSession, principal: Principal) -> list[PayrollExport]:
    await require_payroll(db, principal)
    return list(
        await db.scalars(
            select(PayrollExport)
            .where(PayrollExport.municipality_id == principal.municipality_id)
            .order_by(PayrollExport.id.desc())
            .limit(200)
        )
    )


async def get_export(db: AsyncSession, principal: Principal, export_id: int) -> PayrollExport:
    await require_payroll(db, principal)
    found = await db.get(PayrollExport, export_id)
    if found is None or found.municipality_id != principal.municipality_id:
        raise NotFound("Eksporten findes ikke.", "The export does not exist.")
    return found


async def pending_total(db: AsyncSession, principal: Principal) -> dict[str, tuple[int, Decimal]]:
    """Approved, not yet exported: per payroll month, the number of lines and their sum."""
    await require_payroll(db, principal)
    rows = await db.execute(
        select(WageLine.period, func.count(), func.sum(WageLine.amount))
        .where(WageLine.municipality_id == principal.municipality_id, WageLine.export_id.is_(None))
        .group_by(WageLine.period)
        .order_by(WageLine.period)
    )
    return {period: (int(n), Decimal(total or 0)) for period, n, total in rows}


async def exported_periods(db: AsyncSession, municipality_id: int) -> set[str]:
    """The payroll months whose salary run has been exported: nothing is added to them any more."""
    return set(
        await db.scalars(
            select(PayrollExport.period).where(PayrollExport.municipality_id == municipality_id).distinct()
        )
    )
