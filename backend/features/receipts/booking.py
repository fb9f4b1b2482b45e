"""Finance's booking file: the receipts each payroll export paid back, with what the finance system needs.

The payroll export is the one record of what was paid and when (backend.features.payroll), so a
booking file is read from it rather than kept as a second export: a receipt is booked in exactly
one file because it is paid in exactly one export, and a paid receipt no longer changes.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db.models import Account, OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.errors import Forbidden, NotFound
from backend.features.org.service import root_unit
from backend.features.payroll.models import PayrollExport, WageLine
from backend.features.receipts.record_type import BOOK_RECEIPTS
from backend.web import csv_cells
from sync import engine

COLUMNS = [
    "udlaeg_id", "dato", "forretning", "cvr", "konto", "kontonavn", "formaal", "projekt", "beloeb", "moms",
    "valuta", "medarbejdernr", "medarbejder", "enhed", "loenperiode", "bilag",
]  # fmt: skip


class BookingOut(msgspec.Struct):
    export_id: int
    period: str
    created_at: datetime
    receipts: int
    total: Decimal


async def _require_finance(db: AsyncSession, principal: Principal) -> None:
    root = await root_unit(db, principal.municipality_id)
    if not principal.can(BOOK_RECEIPTS, root.path):
        raise Forbidden("Kun økonomi har adgang til bogføringen.", "Only finance can see the bookings.")


async def list_bookings(db: AsyncSession, principal: Principal) -> list[BookingOut]:
    """The payroll exports that paid back receipts, newest first."""
    await _require_finance(db, principal)
    rows = await db.execute(
        select(
            PayrollExport.id,
            PayrollExport.period,
            PayrollExport.created_at,
            func.count(),
            func.sum(WageLine.amount),
        )
        .join(WageLine, WageLine.export_id == PayrollExport.id)
        .where(PayrollExport.municipality_id == principal.municipality_id, WageLine.source_type == "receipt")
        .group_by(PayrollExport.id, PayrollExport.period, PayrollExport.created_at)
        .order_by(PayrollExport.id.desc())
    )
    return [BookingOut(i, period, at, n, Decimal(total or 0)) for i, period, at, n, total in rows]


async def booking_csv(
    db: AsyncSession, principal: Principal, export_id: int, base_url: str
) -> tuple[str, str]:
    """(file name, CSV) of the receipts paid back by payroll export `export_id`."""
    await _require_finance(db, principal)
    export = await db.get(PayrollExport, export_id)
    if export is None or export.municipality_id != principal.municipality_id:
        raise NotFound("Eksporten findes ikke.", "The export does not exist.")
    lines = (
        await db.execute(
            select(WageLine.source_id, WageLine.employee_number, WageLine.period)
            .where(WageLine.export_id == export_id, WageLine.source_type == "receipt")
            .order_by(WageLine.employee_number, WageLine.id)
        )
    ).all()
    ids = [UUID(line.source_id) for line in lines]
    rows = (await db.execute(select(SYNC.record).where(SYNC.record.c.id.in_(ids)))).all() if ids else []
    records = {str(row.id): engine.load_row(row) for row in rows}
    mid = principal.municipality_id
    accounts = dict(
        (await db.execute(select(Account.code, Account.name).where(Account.municipality_id == mid)))
        .tuples()
        .all()
    )
    people = dict(
        (await db.execute(select(User.id, User.name).where(User.municipality_id == mid))).tuples().all()
    )
    units = dict(
        (await db.execute(select(OrgUnit.id, OrgUnit.code).where(OrgUnit.municipality_id == mid)))
        .tuples()
        .all()
    )
    out = io.StringIO()
    writer = csv_cells.writer(out)
    writer.writerow(COLUMNS)
    for line in lines:
        r = records.get(line.source_id)
        f = r.fields if r is not None else {}
        photos = " ".join(f"{base_url}/api/sync/blobs/{sha}" for sha in f.get("photos") or [])
        writer.writerow(
            [
                line.source_id, f.get("date", ""), f.get("merchant") or "", f.get("cvr") or "",
                f.get("account") or "", accounts.get(f.get("account") or "", ""), f.get("purpose", ""),
                f.get("project") or "", f.get("total", ""), f.get("vat") or "", f.get("currency", "DKK"),
                line.employee_number, people.get(r.owner_id or 0, "") if r else "",
                units.get(r.unit_id, "") if r and r.unit_id else "", line.period, photos,
            ]
        )  # fmt: skip
    return f"udlaeg-bogfoering-{export.period}-{export.id}.csv", out.getvalue()
