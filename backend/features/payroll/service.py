"""Payroll export, shared by every workflow that pays something (mileage now; substitutes' hours and
supplements later): workflows feed wage lines in; payroll staff export what is approved and not yet
exported for a payroll month. An export is recorded with its file, so it can be downloaded again exactly
as it was, and a line is in at most one export.
"""

from __future__ import annotations

import re
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Capability, Principal
from backend.db.base import utcnow
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.org.service import root_unit
from backend.features.payroll import wage_types
from backend.features.payroll.models import PayrollExport, WageLine
from backend.features.payroll.writers import WRITERS, OutLine
from backend.features.sync import pipeline
from backend.platform import Platform

EXPORTED = "send_to_payroll"
"""A record type with a transition of this name moves along when its wage lines are exported."""
PAID = "mark_paid"
"""… and with one of this name when payroll confirms the salary run that paid them."""
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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


async def export(
    db: AsyncSession, principal: Principal, platform: Platform, period: str, fmt: str = "csv"
) -> PayrollExport:
    """Export every approved line not yet exported that is paid in `period` (or earlier and missed)."""
    await require_payroll(db, principal)
    check_period(period)
    writer = WRITERS.get(fmt)
    if writer is None:
        raise Invalid(f"Ukendt format: {fmt}.", f"Unknown format: {fmt}.")
    lines = list(
        await db.scalars(
            select(WageLine)
            .where(
                WageLine.municipality_id == principal.municipality_id,
                WageLine.export_id.is_(None),
                WageLine.period <= period,
            )
            .order_by(WageLine.employee_number, WageLine.approved_at, WageLine.id)
            .with_for_update()
        )
    )
    if not lines:
        raise Conflict(
            f"Der er intet nyt at eksportere for {period}: alt godkendt er allerede sendt.",
            f"There is nothing new to export for {period}: everything approved has been sent already.",
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
    await db.execute(
        update(WageLine).where(WageLine.id.in_([line.id for line in lines])).values(export_id=record.id)
    )
    await _move_sources(db, principal, platform, lines, EXPORTED)
    return record


async def mark_paid(
    db: AsyncSession, principal: Principal, platform: Platform, export_id: int
) -> PayrollExport:
    """Payroll confirms that the salary run with this export has been paid."""
    found = await get_export(db, principal, export_id)
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
        await pipeline.transition(db, platform, principal, source_type, unique, transition, commit=False)


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


async def latest_exported_period(db: AsyncSession, municipality_id: int) -> str | None:
    return await db.scalar(
        select(func.max(PayrollExport.period)).where(PayrollExport.municipality_id == municipality_id)
    )
