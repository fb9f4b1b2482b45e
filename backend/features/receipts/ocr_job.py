"""Reading a receipt's photos on the server: queued when the record and all its photos have arrived.

The record and its photos arrive in either order (a receipt made offline: photos first, then the
record; a slow upload: the record first), so both the push hook and the blob hook ask whether the
receipt is ready. The job fills only fields the employee left empty, marks them as machine-read
until confirmed, and keeps the OCR's suggestions and reasons for the fields it would not fill. A
receipt sent before it was read (made and sent offline) is read too, but only suggests: the
employee has decided. Duplicates (the same photo, or the same CVR + date + total, among the same
person's receipts) are flagged on the record.

Progress is on the record, for every device to show: `ocr.status` is "queued" (the job waits),
"reading" (the job has started), "done" or "failed" (no photo could be read); `ocr.photos` are the
photos queued or being read, `ocr.photos_read` the ones last read.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from typing import Any
from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

import ocr
from backend.db.sync_tables import SYNC
from backend.features.receipts import ocr_reasons
from backend.features.receipts.record_type import OCR_FIELDS
from backend.features.sync import pipeline
from backend.features.workflow import Change, Effect, Enqueue
from backend.platform import Platform
from backend.settings import load_settings
from sync import engine
from sync.apply import Record
from sync.blobs import BlobStore

KIND = "receipt-ocr"
READ_IN = frozenset({"draft", "submitted"})
"""States a receipt is read in (a draft is filled in; a submitted one only gets suggestions)."""
IN_PROGRESS = frozenset({"queued", "reading"})
log = logging.getLogger("felt.ocr")
WARNINGS = {"date_old"}
"""Reasons kept beside a filled field: the employee and the leader are told (a date over a year old)."""


async def _all_photos_uploaded(db: AsyncSession, photos: list[str], uploader: int | None) -> bool:
    """Every photo has arrived from the receipt's own employee (only their own photos are ever read)."""
    b = SYNC.blob.c
    stored = await db.scalars(
        select(b.sha256).where(b.sha256.in_(photos), b.uploaded_by == uploader).distinct()
    )
    return set(stored) >= set(photos)


async def ocr_if_ready(db: AsyncSession, record: Record) -> list[Effect]:
    """A reading of the receipt's photos, once the receipt and all its photos have arrived (in any
    order): the job, and the record marked "queued". Nothing when they are read, queued already, or
    a photo is still on its way."""
    photos = record.fields.get("photos") or []
    ocr_now = record.fields.get("ocr") or {}
    if record.type != "receipt" or record.deleted or record.state not in READ_IN or not photos:
        return []
    if ocr_now.get("photos_read") == photos:
        return []
    if ocr_now.get("status") in IN_PROGRESS and ocr_now.get("photos") == photos:
        return []
    if not await _all_photos_uploaded(db, photos, record.owner_id):
        return []
    key = hashlib.sha256("|".join(photos).encode()).hexdigest()[:16]
    queued = {**ocr_now, "status": "queued", "photos": photos}
    return [
        Enqueue(
            KIND,
            {"record_id": str(record.id)},
            # The version: the same photos queued again later (removed and added back) are read again.
            dedupe_key=f"{KIND}:{record.id}:{record.version}:{key}",
            municipality_id=record.municipality_id,
        ),
        Change(record, {**record.fields, "ocr": queued}),
    ]


def _drop_changed_reasons(record: Record) -> Record | None:
    """The receipt without the reading's reasons about fields the employee has changed since
    (ocr_reasons.py), or None when every reason still holds."""
    ocr_now = record.fields.get("ocr") or {}
    kept = ocr_reasons.still_holding(ocr_now.get("reasons") or {}, record.fields)
    if kept is None:
        return None
    return dataclasses.replace(record, fields={**record.fields, "ocr": {**ocr_now, "reasons": kept}})


async def receipts_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: a warning about a field the employee changed goes; each changed receipt that is
    ready is read."""
    effects: list[Effect] = []
    for record in records:
        if (cleared := _drop_changed_reasons(record)) is not None:
            record = cleared
            effects.append(Change(record, record.fields))
        effects += await ocr_if_ready(db, record)
    return effects


async def photo_stored(db: AsyncSession, sha256: str) -> list[Effect]:
    """Blob hook: a photo finished uploading after its receipt arrived; the receipt may be ready now."""
    r, link = SYNC.record.c, SYNC.record_blob.c
    rows = await db.execute(
        select(SYNC.record).where(and_(link.sha256 == sha256, link.record_id == r.id, r.type == "receipt"))
    )
    return [effect for row in rows.all() for effect in await ocr_if_ready(db, engine.load_row(row))]


def _combine(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several photos of one long receipt: for each field, the reading with the highest confidence."""
    best: dict[str, Any] = {"fields": {}, "confidence": {}, "suggestions": {}, "reasons": {}}
    for result in results:
        for name in OCR_FIELDS:
            confidence = (result.get("confidence") or {}).get(name, 0)
            reason = (result.get("reasons") or {}).get(name)
            if result.get(name) and confidence >= best["confidence"].get(name, -1):
                best["fields"][name] = result[name]
                best["confidence"][name] = confidence
                if (reason or {}).get("code") in WARNINGS:  # filled, with a warning to show
                    best["reasons"][name] = reason
                else:
                    best["reasons"].pop(name, None)
            if name not in best["fields"]:
                if name in (result.get("suggestions") or {}):
                    best["suggestions"][name] = result["suggestions"][name]
                if name in (result.get("reasons") or {}):
                    best["reasons"][name] = result["reasons"][name]
    for name in best["fields"]:
        best["suggestions"].pop(name, None)
    return best


async def _duplicates(db: AsyncSession, record: Record, fields: dict[str, Any]) -> list[str]:
    r = SYNC.record.c
    rows = await db.execute(
        select(r.id, r.fields).where(
            r.owner_id == record.owner_id, r.type == "receipt", r.id != record.id, r.deleted.is_(False)
        )
    )
    same_photo = set(fields.get("photos") or [])
    key = (fields.get("cvr"), fields.get("date"), fields.get("total"))
    found = []
    for other_id, other in rows:
        if same_photo & set(other.get("photos") or []) or (
            all(key) and key == (other.get("cvr"), other.get("date"), other.get("total"))
        ):
            found.append(str(other_id))
    return sorted(found)


UNREADABLE = {
    "da": "Billedet kunne ikke læses. Udfyld felterne selv.",
    "en": "The photo could not be read. Please fill in the fields yourself.",
}


async def _read_photos(photos: list[str]) -> list[dict[str, Any]]:
    from datetime import date

    store = BlobStore(load_settings().data_dir / "blobs")
    results = []
    for sha in photos:
        path = store.path(sha)
        try:
            data = await asyncio.to_thread(path.read_bytes)
            # Dates are judged against the upload day (an old date is filled with a warning).
            uploaded = date.fromtimestamp(path.stat().st_mtime)
            # The OCR keeps its models loaded in this process between jobs (ocr.warm_up).
            results.append(await asyncio.to_thread(ocr.extract_bytes, data, today=uploaded))
        except ocr.OcrInputError as exc:
            results.append({"error": exc.message})
        except Exception:  # a reader's crash must not leave the receipt "reading" for ever
            log.exception("reading photo %s failed", sha)
            results.append({"error": UNREADABLE})
    return results


async def _mark(db: AsyncSession, platform: Platform, record: Record, ocr_status: dict[str, Any]) -> bool:
    """Write the reading's progress on the record (committed, so devices see it); False if it changed."""
    try:
        await pipeline.save(db, platform, [Change(record, {**record.fields, "ocr": ocr_status})], commit=True)
        return True
    except engine.Stale:
        await db.rollback()
        return False


async def read_receipt(db: AsyncSession, platform: Platform, payload: dict[str, Any]) -> None:
    """The OCR job: mark the receipt "reading", read the photos (no transaction held meanwhile), then
    merge onto the latest version: a draft's empty fields are filled, a submitted one gets suggestions."""
    record_id = UUID(payload["record_id"])
    record = await engine.load(db, SYNC, record_id)
    if record is None or record.state not in READ_IN or record.deleted:
        return  # paid or deleted meanwhile: nothing to read for
    photos = list(record.fields.get("photos") or [])
    if (record.fields.get("ocr") or {}).get("photos_read") == photos:
        return  # read already (a job run twice)
    reading = {**(record.fields.get("ocr") or {}), "status": "reading", "photos": photos}
    if not await _mark(db, platform, record, reading):
        record = await engine.load(db, SYNC, record_id)  # edited meanwhile: mark that version
        if record is None or record.fields.get("photos") != photos:
            return
        await _mark(db, platform, record, {**(record.fields.get("ocr") or {}), **reading})
    results = await _read_photos(photos)  # slow; no transaction is held open meanwhile
    for _attempt in range(3):
        record = await engine.load(db, SYNC, record_id)
        if record is None or record.state not in READ_IN or record.fields.get("photos") != photos:
            return  # the photos changed: a new job reads the new ones
        fields = dict(record.fields)
        found = _combine([r for r in results if "error" not in r])
        fill = record.state == "draft"  # a submitted receipt is the employee's decision: suggest only
        machine = set(fields.get("machine_read") or [])
        suggestions = dict(found["suggestions"])
        for name, value in found["fields"].items():
            if fill and not fields.get(name):  # never overwrite what the employee typed
                fields[name] = value
                machine.add(name)
            elif not fields.get(name):
                suggestions[name] = value
        errors = [r["error"] for r in results if "error" in r]
        fields["machine_read"] = sorted(machine)
        fields["ocr"] = {
            "status": "failed" if errors and len(errors) == len(results) else "done",
            "photos": photos,
            "photos_read": photos,
            "confidence": found["confidence"],
            "suggestions": suggestions,
            "reasons": ocr_reasons.with_values(found["reasons"], fields),
            "errors": errors,
        }
        fields["duplicate_of"] = await _duplicates(db, record, fields)
        try:
            await pipeline.save(db, platform, [Change(record, fields)])
            return
        except engine.Stale:
            await db.rollback()  # the employee edited it meanwhile: merge again onto their version
