"""The leaders' review afterwards (økonomisk ledelsestilsyn): drawing each unit's receipts for a month.

On the first days of a month a daily job draws, per unit, from the receipts paid in the month
before (`review_sample.draw` decides which; this module finds the pool, records the draw and
moves the drawn receipts to "in review", where they wait in their leader's inbox). A unit is drawn
once per month: the unique (unit, month) row makes a repeated or concurrent run a no-op.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import DANISH_TIME
from backend.db.models import Municipality, OrgUnit, ReceiptReviewDraw, User
from backend.db.sync_tables import SYNC
from backend.features.notify.emit import waiting
from backend.features.receipts.record_type import REVIEW_RECEIPTS
from backend.features.receipts.review_sample import PaidReceipt, SampleSettings, draw, month_seed
from backend.features.sync import pipeline
from backend.features.workflow import Change
from backend.jobs.queue import enqueue
from backend.platform import Platform
from backend.settings import load_settings
from backend.web import csv_cells
from sync import engine
from sync.apply import Record

KIND = "receipt-review-draw"
PAY_STEP = "send_to_payroll"
"""The receipt's transition that records its payment: the payroll export that pays it back."""
AFTER_PAYMENT = ("paid", "in_review", "approved", "rejected")


def previous_month(day: date) -> str:
    first = day.replace(day=1)
    last_month = date.fromordinal(first.toordinal() - 1)
    return f"{last_month.year:04d}-{last_month.month:02d}"


def paid_month(record: Record) -> str | None:
    """The Danish calendar month in which the receipt was paid, from its history."""
    for step in reversed(record.history):
        if step.get("transition") == PAY_STEP:
            at = datetime.fromisoformat(step["at"]).astimezone(DANISH_TIME)
            return f"{at.year:04d}-{at.month:02d}"
    return None


def _total(record: Record) -> Decimal:
    try:
        return Decimal(record.fields.get("total") or "0")
    except InvalidOperation:
        return Decimal(0)


def sample_settings(municipality: Municipality) -> SampleSettings:
    return SampleSettings(
        share=municipality.receipt_review_share,
        all_below=municipality.receipt_review_all_below,
        amount_limit=municipality.receipt_review_amount_limit,
    )


async def _paid_in(db: AsyncSession, municipality_id: int, month: str) -> dict[int, list[Record]]:
    """The municipality's receipts paid in `month`, per unit."""
    r = SYNC.record.c
    year, month_no = (int(part) for part in month.split("-"))
    month_start = datetime(year, month_no, 1, tzinfo=DANISH_TIME)
    rows = await db.execute(
        select(SYNC.record).where(
            r.municipality_id == municipality_id,
            r.type == "receipt",
            r.deleted.is_(False),
            r.state.in_(AFTER_PAYMENT),
            r.updated_at >= month_start,  # paid in the month means changed in it or later
        )
    )
    per_unit: dict[int, list[Record]] = defaultdict(list)
    for row in rows:
        record = engine.load_row(row)
        if record.unit_id is not None and paid_month(record) == month:
            per_unit[record.unit_id].append(record)
    return per_unit


async def draw_month(
    db: AsyncSession, platform: Platform, municipality: Municipality, month: str
) -> list[ReceiptReviewDraw]:
    """Draw every unit of the municipality that had receipts paid in `month` and is not drawn yet."""
    done = set(
        await db.scalars(
            select(ReceiptReviewDraw.unit_id).where(
                ReceiptReviewDraw.municipality_id == municipality.id, ReceiptReviewDraw.month == month
            )
        )
    )
    settings = sample_settings(municipality)
    secret = load_settings().secret_key
    year, month_no = (int(part) for part in month.split("-"))
    made = []
    for unit_id, records in sorted((await _paid_in(db, municipality.id, month)).items()):
        if unit_id in done:
            continue
        seed = month_seed(secret, municipality.id, unit_id, year, month_no)
        pool = [PaidReceipt(str(r.id), _total(r), bool(r.fields.get("duplicate_of"))) for r in records]
        drawn = draw(pool, seed, settings)
        row = ReceiptReviewDraw(
            municipality_id=municipality.id,
            unit_id=unit_id,
            month=month,
            seed=seed,
            rules={
                "share": str(settings.share),
                "all_below": settings.all_below,
                "amount_limit": None if settings.amount_limit is None else str(settings.amount_limit),
            },
            population=sorted(p.id for p in pool),
            drawn=[
                {"receipt_id": d.receipt_id, "rule": d.rule, "reason": d.reason, "reason_en": d.reason_en}
                for d in drawn
            ],
        )
        db.add(row)
        await db.flush()
        by_id = {str(r.id): r for r in records}
        changes = [
            Change(
                by_id[d.receipt_id],
                {
                    **by_id[d.receipt_id].fields,
                    "review": {
                        "draw_id": row.id,
                        "rule": d.rule,
                        "reason": d.reason,
                        "reason_en": d.reason_en,
                    },
                },
                state="in_review",
                step="draw",
            )
            for d in drawn
            if by_id[d.receipt_id].state == "paid"
        ]
        await pipeline.save(db, platform, changes)
        if changes:  # whoever decides for the unit hears that receipts wait for their review
            tell = waiting(changes[0].record, REVIEW_RECEIPTS, key=f"receipt-draw:{row.id}")
            await enqueue(
                db, tell.kind, tell.payload, dedupe_key=tell.dedupe_key, municipality_id=tell.municipality_id
            )
        made.append(row)
    return made


async def draw_last_month(db: AsyncSession, platform: Platform, payload: dict[str, str]) -> None:
    """The daily job: on the first days of a month, draw last month's receipts (once per unit)."""
    month = previous_month(date.fromisoformat(payload["day"]))
    for municipality in await db.scalars(select(Municipality).order_by(Municipality.id)):
        await draw_month(db, platform, municipality, month)


AUDIT_COLUMNS = [
    "maaned", "enhed", "udlaeg", "medarbejder", "beloeb", "regel", "begrundelse", "udtrukket", "froe",
    "antal_i_puljen", "status", "afgjort_af", "afgjort", "note",
]  # fmt: skip


def _decision(record: Record | None) -> dict[str, Any]:
    """The leader's sign-off or rejection in the record's history (the latest), if any."""
    steps = record.history if record is not None else []
    return next((s for s in reversed(steps) if s.get("transition") in {"sign_off", "reject"}), {})


async def auditor_csv(db: AsyncSession, municipality_id: int, year: int, unit_paths: list[str]) -> str:
    """Every draw of the year in the given units, each drawn receipt with who signed it off or rejected it."""
    query = (
        select(ReceiptReviewDraw, OrgUnit)
        .join(OrgUnit, OrgUnit.id == ReceiptReviewDraw.unit_id)
        .where(
            ReceiptReviewDraw.municipality_id == municipality_id,
            ReceiptReviewDraw.month.startswith(f"{year:04d}-"),
        )
        .order_by(ReceiptReviewDraw.month, OrgUnit.code)
    )
    draws = [(d, u) for d, u in (await db.execute(query)).tuples() if u.path.startswith(tuple(unit_paths))]
    ids = [UUID(item["receipt_id"]) for d, _ in draws for item in d.drawn]
    rows = (await db.execute(select(SYNC.record).where(SYNC.record.c.id.in_(ids)))).all() if ids else []
    records = {str(row.id): engine.load_row(row) for row in rows}
    people = select(User.id, User.name).where(User.municipality_id == municipality_id)
    names: dict[int, str] = {user_id: name for user_id, name in (await db.execute(people)).tuples()}
    out = io.StringIO()
    writer = csv_cells.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for draw_row, unit in draws:
        for item in draw_row.drawn:
            record = records.get(item["receipt_id"])
            decided = _decision(record)
            writer.writerow(
                [
                    draw_row.month,
                    unit.code,
                    item["receipt_id"],
                    names.get(record.owner_id or 0, "") if record else "",
                    record.fields.get("total", "") if record else "",
                    item["rule"],
                    item["reason"],
                    draw_row.drawn_at.isoformat(timespec="seconds"),
                    draw_row.seed,
                    len(draw_row.population),
                    record.state if record and not record.deleted else "slettet",
                    names.get(decided.get("by", 0), ""),
                    decided.get("at", ""),
                    decided.get("note", ""),
                ]
            )
    return out.getvalue()
