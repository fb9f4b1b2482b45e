"""The shared payroll feed: every paying workflow's records become wage lines here, and only here.

A workflow declares, per record type, a `Payable` (backend.features.workflow): the states in which a
record is owed, the lines it yields (quantity × rate = amount, per wage type) and when the decision
was made. The push pipeline calls `sync` with every record a batch changed, before they are written:

- a payable record's lines are (re)placed in the payroll month that its decision date and the
  municipality's cut-off give — or, if that month's payroll has already been exported, the first
  month not yet exported (an approval after an export goes to the next salary run);
- a record that is no longer payable (a withdrawn receipt) has its unexported lines taken back;
- exported lines are never changed: the record has moved on ("sent to payroll", "paid").

The record shows the month that pays it (`{"month": "YYYY-MM"}` in its `Payable.month_field`),
written in the same batch, so it reaches the phone with the change that caused it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import DANISH_TIME
from backend.db.models import Municipality, User
from backend.features.payroll.cutoff import paid_in
from backend.features.payroll.models import PayrollExport, WageLine
from sync import engine

if TYPE_CHECKING:
    from backend.platform import Platform

log = logging.getLogger("felt.payroll")


async def _exported(db: AsyncSession, municipality_ids: set[int]) -> dict[int, set[str]]:
    """Per municipality, the payroll months whose salary run has been exported."""
    rows = await db.execute(
        select(PayrollExport.municipality_id, PayrollExport.period)
        .where(PayrollExport.municipality_id.in_(municipality_ids))
        .distinct()
    )
    found: dict[int, set[str]] = {m: set() for m in municipality_ids}
    for municipality_id, period in rows:
        found[municipality_id].add(period)
    return found


def _key(line: WageLine) -> tuple[object, ...]:
    return (
        line.wage_key,
        line.quantity,
        line.rate,
        line.amount,
        line.period,
        line.employee_number,
        line.flag,
    )


async def sync(db: AsyncSession, platform: Platform, batch: engine.Batch) -> set[UUID]:
    """Bring the wage lines of the batch's changed payable records in line with their state; returns the
    records whose workflow could not say what they pay (logged; the caller refuses their changes)."""
    records = [r for r in batch.changed() if r.type in platform.payables and r.owner_id is not None]
    if not records:
        return set()
    keys = [(r.type, str(r.id)) for r in records]
    lines: defaultdict[tuple[str, str], list[WageLine]] = defaultdict(list)
    for line in await db.scalars(
        select(WageLine).where(tuple_(WageLine.source_type, WageLine.source_id).in_(keys))
    ):
        lines[(line.source_type, line.source_id)].append(line)
    municipalities = {r.municipality_id for r in records}
    cutoff = dict(
        (
            await db.execute(
                select(Municipality.id, Municipality.payroll_cutoff_day).where(
                    Municipality.id.in_(municipalities)
                )
            )
        )
        .tuples()
        .all()
    )
    exported = await _exported(db, municipalities)
    numbers = dict(
        (
            await db.execute(
                select(User.id, User.employee_number).where(User.id.in_({r.owner_id for r in records}))
            )
        )
        .tuples()
        .all()
    )
    failed: set[UUID] = set()
    for record in records:
        assert record.owner_id is not None  # a record nobody is the subject of pays nobody (filtered above)
        payable = platform.payables[record.type]
        mine = lines[(record.type, str(record.id))]
        if any(line.export_id is not None for line in mine):
            continue  # sent to payroll: what was sent stands
        month: dict[str, str] = {}
        owed: list[WageLine] = []
        if record.state in payable.states and not record.deleted:
            try:
                decided = payable.decided_at(record)
                yielded = payable.lines(record)
            except Exception:  # a workflow's bug must not stop everyone's push: refuse this record's change
                log.exception("%s %s: what it pays could not be worked out", record.type, record.id)
                failed.add(record.id)
                continue
            day: date = decided.astimezone(DANISH_TIME).date()
            period = str(paid_in(day, cutoff[record.municipality_id], exported[record.municipality_id]))
            number = numbers.get(record.owner_id) or str(record.owner_id)
            owed = [
                WageLine(
                    municipality_id=record.municipality_id,
                    user_id=record.owner_id,
                    employee_number=number,
                    source_type=record.type,
                    source_id=str(record.id),
                    wage_key=line.wage_key,
                    quantity=line.quantity,
                    rate=line.rate,
                    amount=line.amount,
                    period=period,
                    approved_at=decided,
                    flag=line.flag,
                )
                for line in yielded
            ]
            month = {"month": period}
        if sorted(map(_key, owed)) != sorted(map(_key, mine)):
            if mine:
                await db.execute(delete(WageLine).where(WageLine.id.in_([line.id for line in mine])))
            db.add_all(owed)
        if (record.fields.get(payable.month_field) or {}) != month:
            batch.change(record, {**record.fields, payable.month_field: month})
    await db.flush()
    return failed
