"""Deleting old receipts: a configured retention job, off by default, logged, never silent.

Receipts are kept at least 5 years from the end of the financial year (the calendar year for a
municipality). A municipality may not delete data from its IT systems without the National
Archives' (Rigsarkivet) authorisation (sa.dk … it-systemer-bevaring-kassation; domain-rules.md §2),
so deleting needs both a retention period and the authorisation's reference in the settings.

A deleted receipt becomes a tombstone: its fields are emptied (the personal data is gone), devices
drop it on their next pull, and photos that no other record uses are removed from disk. Each run
writes one audit event per municipality with what it deleted and under which authorisation.
"""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db import audit
from backend.db.models import Municipality
from backend.db.sync_tables import SYNC
from backend.features.sync import pipeline
from backend.features.workflow import Change
from backend.platform import Platform
from backend.settings import load_settings
from sync import engine
from sync.apply import Record
from sync.blobs import BlobStore

KIND = "receipt-retention"
KEEP_WHILE = frozenset({"draft", "submitted", "in_review"})
"""Receipts still being handled are never deleted, however old."""


def expired(record: Record, years: int, today: date) -> bool:
    """Kept `years` full years after the end of its financial year: a 2020 receipt with 5 years goes in 2026."""
    if record.state in KEEP_WHILE:
        return False
    day = record.fields.get("date") or record.updated_at.date().isoformat()
    return int(day[:4]) + years < today.year


async def _unused_photos(db: AsyncSession, hashes: set[str]) -> list[str]:
    link = SYNC.record_blob.c
    used = select(link.sha256).where(link.sha256.in_(hashes))
    return sorted(hashes - set(await db.scalars(used)))


async def delete_expired(
    db: AsyncSession, platform: Platform, municipality: Municipality, today: date
) -> list[str]:
    """Tombstone the municipality's expired receipts and remove their unused photos; returns their ids."""
    years = municipality.receipt_retention_years
    if years is None or not municipality.retention_authorisation:
        return []
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(
            and_(r.municipality_id == municipality.id, r.type == "receipt", r.deleted.is_(False))
        )
    )
    expiring = [r for r in (engine.load_row(row) for row in rows) if expired(r, years, today)]
    await pipeline.save(db, platform, [Change(r, {}, deleted=True) for r in expiring])
    deleted = [str(r.id) for r in expiring]
    photos = {sha for r in expiring for sha in r.fields.get("photos") or []}
    unused = await _unused_photos(db, photos) if photos else []
    if unused:
        await db.execute(delete(SYNC.blob).where(SYNC.blob.c.sha256.in_(unused)))
    if deleted:
        audit.record(
            db,
            "retention_delete",
            municipality_id=municipality.id,
            entity="receipt",
            changes={
                "count": len(deleted),
                "receipt_ids": deleted,
                "photos_removed": len(unused),
                "retention_years": years,
                "authorisation": municipality.retention_authorisation,
            },
        )
    await db.commit()  # the files go only once the rows that name them are gone for good
    if unused:
        store = BlobStore(load_settings().data_dir / "blobs")
        for sha in unused:
            await asyncio.to_thread(store.path(sha).unlink, missing_ok=True)
    return deleted


async def apply_retention(db: AsyncSession, platform: Platform, payload: dict[str, str]) -> None:
    """The daily job: every municipality that has switched retention on."""
    today = date.fromisoformat(payload["day"])
    query = select(Municipality).where(Municipality.receipt_retention_years.is_not(None))
    for municipality in await db.scalars(query):
        await delete_expired(db, platform, municipality, today)
