"""Paying receipts back through payroll, the shared export every workflow that pays uses.

A submitted receipt becomes one wage line ("udlæg", the total) in the salary month that its
submission date and the municipality's cut-off decide; withdrawing it before the export takes the
line out again. The payroll export then moves the receipt to "paid" by its `send_to_payroll`
transition, and a sample is reviewed by the leaders afterwards (review.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import User
from backend.db.sync_tables import SYNC
from backend.features.payroll import service as payroll
from backend.features.payroll.models import WageLine
from backend.features.payroll.wage_types import WageType, register
from backend.features.sync.hooks import after_change
from sync import engine
from sync.apply import Record
from sync.registry import REGISTRY

OUTLAY = register(WageType("receipt_outlay", "Udlæg (refusion)", "Outlay (refund)", "9100"))


def _submitted_at(record: Record) -> datetime:
    step = next(s for s in reversed(record.history) if s.get("transition") == "submit")
    return datetime.fromisoformat(step["at"])


async def _feed(db: AsyncSession, record: Record) -> None:
    user = await db.get(User, record.owner_id)
    submitted = _submitted_at(record)
    period = await payroll.pay_period(db, record.municipality_id, submitted)
    total = Decimal(record.fields["total"])
    line = payroll.LineIn(
        user_id=record.owner_id,
        employee_number=(user.employee_number if user else None) or str(record.owner_id),
        source_type="receipt",
        source_id=str(record.id),
        wage_key=OUTLAY.key,
        quantity=Decimal(1),
        rate=total,
        amount=total,
        period=period,
        approved_at=submitted,
    )
    await payroll.add_lines(db, record.municipality_id, [line])
    await engine.save_server_change(
        db, SYNC, REGISTRY, record, {**record.fields, "payroll": {"month": period}}
    )


async def _take_back(db: AsyncSession, record: Record) -> None:
    await db.execute(
        delete(WageLine).where(
            WageLine.source_type == "receipt",
            WageLine.source_id == str(record.id),
            WageLine.export_id.is_(None),
        )
    )
    if record.fields.get("payroll"):
        await engine.save_server_change(db, SYNC, REGISTRY, record, {**record.fields, "payroll": {}})


@after_change("receipt")
async def _on_receipt_change(db: AsyncSession, changed: Record) -> None:
    record = await engine.load(db, SYNC, changed.id)  # as written, with the version devices will see
    if record is None or record.deleted:
        return
    if record.state == "submitted" and not record.fields.get("payroll"):
        await _feed(db, record)
    elif record.state == "draft" and record.fields.get("payroll"):
        await _take_back(db, record)
