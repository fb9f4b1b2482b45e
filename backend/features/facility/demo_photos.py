"""The demo's photo of a fix, drawn with Pillow (never copied from research data), and stored as a
technician's upload: the same store and blob row a phone's upload makes (backend.features.sync), so
the demo report shows it on the reporter's private link, the board and the technician's list."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import utcnow
from backend.db.sync_tables import SYNC
from backend.features.sync import photos as pipeline_photos
from sync.blobs import BlobStore


def cistern_fixed() -> bytes:
    """A JPEG (800×600) of a tiled toilet wall with a new cistern and a green tick: the demo's photo of a
    fix. The same bytes on every run (so its SHA-256, the demo's blob key, is stable)."""
    image = Image.new("RGB", (800, 600), (226, 231, 236))
    draw = ImageDraw.Draw(image)
    for x in range(0, 800, 80):  # the tiles' joints
        draw.line([(x, 0), (x, 600)], fill=(196, 203, 210), width=3)
    for y in range(0, 600, 80):
        draw.line([(0, y), (800, y)], fill=(196, 203, 210), width=3)
    draw.rounded_rectangle(
        [250, 120, 550, 300], radius=18, fill=(250, 250, 250), outline=(150, 156, 162), width=4
    )
    draw.rounded_rectangle([370, 90, 430, 125], radius=8, fill=(190, 196, 202))  # the flush button
    draw.rectangle([385, 300, 415, 420], fill=(170, 176, 182))  # the pipe down to the bowl
    draw.ellipse([260, 410, 540, 560], fill=(250, 250, 250), outline=(150, 156, 162), width=4)
    draw.ellipse([600, 40, 760, 200], fill=(30, 130, 76))
    draw.line([(635, 120), (672, 158), (728, 82)], fill=(255, 255, 255), width=16, joint="curve")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


async def store_upload(
    db: AsyncSession, data_dir: Path, municipality_id: int, user_id: int, data: bytes
) -> str:
    """Keep `data` as if `user_id` had uploaded it from a phone (blob store + blob row, metadata stripped
    by the receipts' pipeline); its SHA-256, what a record's photo field names. Idempotent."""
    sha = hashlib.sha256(data).hexdigest()
    b = SYNC.blob.c
    if await db.scalar(select(exists().where(b.sha256 == sha, b.uploaded_by == user_id))):
        return sha
    store = BlobStore(data_dir / "blobs")
    if not store.has(sha):
        store.append(sha, f"demo-{user_id}", 0, data, len(data))
        pipeline_photos.prepare(store.path(sha))
    await db.execute(
        insert(SYNC.blob).values(
            sha256=sha,
            uploaded_by=user_id,
            municipality_id=municipality_id,
            size=len(data),
            content_type="image/jpeg",
            created_at=utcnow(),
        )
    )
    return sha
