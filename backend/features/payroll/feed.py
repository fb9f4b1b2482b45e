"""The shared payroll feed: every paying workflow's records become wage lines here, and only here.

A workflow declares, per record type, a `Payable` (backend.features.workflow): the states in which a
record is owed, the lines it yields (quantity × rate = amount, per wage type) and when the decision
was made. The push pipeline calls `sync` with every record a batch changed, before they are written:

- a payable record's lines are (re)placed in the payroll month that its decision date and the
  municipality's cut-off give — or, if that month's payroll has already been exported, the first
  month not yet exported (an approval after an export goes to the next salary run);
- a record that is no longer payable (a withdrawn receipt) has its unexported lines taken back;
- exported lines are never changed: the record has moved on ("sent to payroll", "paid") — or, for a
  type whose `Payable.corrects` (a shift, which may change after its week's export), a change approved
  again is paid as the difference in the next run not yet exported, numbered as a correction round; a
  removed record's sent lines are reversed there (payroll.corrections). While such a record waits to be
  approved again, what was sent stands and nothing more is owed.

The record shows the month that pays it (`{"month": "YYYY-MM"}` in its `Payable.month_field`),
written in the same batch, so it reaches the phone with the change that caused it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import DANISH_TIME
from backend.db.models import Municipality, User
from backend.features.payroll import corrections
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
        line.correction,
        line.wage_key,
        line.quantity,
        line.rate,
        line.amount,
        line.period,
        line.employee_number,
        line.flag,
    )


def _owed(
    owner: int, yielded: Sequence[corrections.Line], sent: Sequence[WageLine]
) -> list[tuple[int, Sequence[corrections.Line]]]:
    """Per person, the lines to pay now: the owner's `yielded` lines when nothing was sent; else each
    person's difference (payroll.corrections) — the owner's against what they were sent, and anyone
    else who was sent lines for the record (it moved to another person after export) reversed."""
    if not sent:
        return [(owner, yielded)]
    people = sorted({owner, *(line.user_id for line in sent)})
    return [
        (
            person,
            corrections.difference(
                yielded if person == owner else [], [line for line in sent if line.user_id == person]
            ),
        )
        for person in people
    ]


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
                select(User.id, User.employee_number).where(
                    User.id.in_(
                        {r.owner_id for r in records} | {w.user_id for ws in lines.values() for w in ws}
                    )
                )
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
        sent = [line for line in mine if line.export_id is not None]
        pending = [line for line in mine if line.export_id is None]
        if sent and not payable.corrects:
            continue  # sent to payroll: what was sent stands
        payable_now = record.state in payable.states and not record.deleted
        month: dict[str, str] | None = None if sent else {}  # None: the month shown stays as it is
        owed: list[WageLine] = []
        if payable_now or (sent and record.deleted):
            try:
                decided = payable.decided_at(record) if payable_now else datetime.now(UTC)
                yielded: Sequence[corrections.Line] = payable.lines(record) if payable_now else []
            except Exception:  # a workflow's bug must not stop everyone's push: refuse this record's change
                log.exception("%s %s: what it pays could not be worked out", record.type, record.id)
                failed.add(record.id)
                continue
            day: date = decided.astimezone(DANISH_TIME).date()
            period = str(paid_in(day, cutoff[record.municipality_id], exported[record.municipality_id]))
            rounds = len({s.export_id for s in sent})  # the exports its lines have been in
            owed = [
                WageLine(
                    municipality_id=record.municipality_id,
                    user_id=user,
                    employee_number=numbers.get(user) or str(user),
                    source_type=record.type,
                    source_id=str(record.id),
                    wage_key=line.wage_key,
                    quantity=line.quantity,
                    rate=line.rate,
                    amount=line.amount,
                    period=period,
                    approved_at=decided,
                    flag=line.flag,
                    correction=rounds,
                )
                for user, due in _owed(record.owner_id, yielded, sent)
                for line in due
            ]
            month = {"month": period} if owed or not sent else None
        if sorted(map(_key, owed)) != sorted(map(_key, pending)):
            if pending:
                await db.execute(delete(WageLine).where(WageLine.id.in_([line.id for line in pending])))
            db.add_all(owed)
        if month is not None and (record.fields.get(payable.month_field) or {}) != month:
            batch.change(record, {**record.fields, payable.month_field: month})
    await db.flush()
    return failed
