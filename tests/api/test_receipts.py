"""Receipts on the sync engine: the photo arrives, the OCR job fills the form, the employee decides."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from backend import workflows
from backend.db.engine import make_engine
from backend.db.models import Job
from backend.jobs import worker
from backend.settings import Settings
from ocr.synth import generate_one
from tests import images
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio
SCHEMA = {"x-felt-schema": "1"}


async def _push(client: AsyncTestClient, device: str, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.post(
        "/api/sync/push", json={"device_id": device, "mutations": list(mutations)}, headers=SCHEMA
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def _upload(client: AsyncTestClient, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    response = await client.put(f"/api/sync/blobs/{sha}", content=data, headers={"x-blob-type": "image/jpeg"})
    assert response.json()["complete"] is True
    return sha


async def _run_jobs(settings: Settings) -> int:
    engine = make_engine(settings.database_url, settings.database_schema)
    ran = 0
    try:
        while await worker.run_one(engine, workflows.platform()):
            ran += 1
    finally:
        await engine.dispose()
    return ran


async def _pull(client: AsyncTestClient, device: str) -> dict[str, dict[str, Any]]:
    body = (await client.get("/api/sync/pull", params={"device_id": device}, headers=SCHEMA)).json()
    return {r["id"]: r for r in body["records"]}


async def test_ocr_fills_only_empty_fields_once_the_photo_has_arrived(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await db.execute(Job.__table__.delete())
    await db.commit()
    await sign_in(client, db, world.in_a1, settings)
    photo, truth = generate_one(seed=5, index=0, today=dt.date.today())
    sha = hashlib.sha256(photo).hexdigest()
    device, rid = str(uuid.uuid4()), str(uuid.uuid4())
    put = {
        "n": 1,
        "kind": "put",
        "type": "receipt",
        "id": rid,
        "fields": {"photos": [sha], "merchant": "Min butik"},
    }
    assert (await _push(client, device, put))[0]["status"] == "applied"
    assert await _run_jobs(settings) == 0  # the photo is still on the phone: nothing to read yet
    await _upload(client, photo)
    assert await _run_jobs(settings) == 1
    receipt = (await _pull(client, device))[rid]
    fields = receipt["fields"]
    # Pushed (1), marked queued by the upload (2), reading (3), read (4): each step a device can show.
    assert fields["ocr"]["status"] == "done" and receipt["version"] == 4
    assert (
        fields["merchant"] == "Min butik" and "merchant" not in fields["machine_read"]
    )  # typed by the employee
    filled = [name for name in ("date", "total", "vat", "cvr") if fields[name]]
    assert filled, f"nothing read from a clean synthetic receipt: {fields['ocr']}"
    for name in filled:
        assert fields[name] == truth[name] and name in fields["machine_read"]
    for name in {"date", "total", "vat", "cvr"} - set(filled):
        assert name in fields["ocr"]["reasons"]


async def _upload_in_chunks(client: AsyncTestClient, data: bytes, chunk: int = 64 * 1024) -> str:
    """As the phone sends a photo: in chunks with Content-Range, the last one completing it."""
    sha = hashlib.sha256(data).hexdigest()
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        response = await client.put(
            f"/api/sync/blobs/{sha}",
            content=part,
            headers={"content-range": f"bytes {start}-{start + len(part) - 1}/{len(data)}"},
        )
        assert response.status_code == 200, response.text
    assert response.json()["complete"] is True
    return sha


def _new_receipt(n: int, rid: str, **fields: Any) -> dict[str, Any]:
    """The phone's first change of a new receipt: every field it writes, as the server defaults them."""
    base = {"photos": [], "merchant": None, "date": None, "total": None, "vat": None, "cvr": None}
    base |= {"currency": "DKK", "account": None, "purpose": "", "project": None, "machine_read": []}
    return {"n": n, "kind": "put", "type": "receipt", "id": rid, "fields": base | fields}


async def test_a_receipt_made_offline_is_read_photos_first_with_its_progress_on_the_record(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Offline the phone keeps the photos and the changes; online it sends the photos, then the record."""
    world = await build_world(db)
    await db.execute(Job.__table__.delete())
    await db.commit()
    await sign_in(client, db, world.in_a1, settings)
    photo, truth = generate_one(seed=7, index=2, today=dt.date.today())
    sha = await _upload_in_chunks(client, photo)
    assert await _run_jobs(settings) == 0  # a photo of no receipt yet
    device, rid = str(uuid.uuid4()), str(uuid.uuid4())
    results = await _push(
        client,
        device,
        _new_receipt(1, rid, photos=[sha]),
        {"n": 2, "kind": "put", "type": "receipt", "id": rid, "fields": {"purpose": "Frugt til 3.b"}},
        {"n": 3, "kind": "put", "type": "receipt", "id": rid, "fields": {"account": "1-2.9"}},
    )
    assert [r["status"] for r in results] == ["applied"] * 3
    assert (await _pull(client, device))[rid]["fields"]["ocr"]["status"] == "queued"
    assert await _run_jobs(settings) == 1
    fields = (await _pull(client, device))[rid]["fields"]
    assert fields["ocr"]["status"] == "done" and fields["ocr"]["photos_read"] == [sha]
    assert fields["total"] == truth["total"] and "total" in fields["machine_read"]
    # A later change of another field reads nothing again.
    await _push(
        client, device, {"n": 4, "kind": "put", "type": "receipt", "id": rid, "fields": {"project": "P1"}}
    )
    assert await _run_jobs(settings) == 0


async def test_a_receipt_sent_before_its_photo_arrived_is_read_and_only_suggests(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Made and sent offline, the record first and the photo after: read once the photo is there; the
    employee's own values stay, what the machine found is offered beside them."""
    world = await build_world(db)
    await db.execute(Job.__table__.delete())
    await db.commit()
    await sign_in(client, db, world.in_a1, settings)
    photo, truth = generate_one(seed=8, index=3, today=dt.date.today())
    sha = hashlib.sha256(photo).hexdigest()
    device, rid = str(uuid.uuid4()), str(uuid.uuid4())
    typed = {"photos": [sha], "date": dt.date.today().isoformat(), "total": "99.00"}
    typed |= {"account": "1-2.9", "purpose": "Kaffe til mødet"}
    results = await _push(
        client,
        device,
        _new_receipt(1, rid, **typed),
        {"n": 2, "kind": "transition", "type": "receipt", "id": rid, "transition": "submit"},
    )
    assert results[1]["record"]["state"] == "submitted"
    assert not results[1]["record"]["fields"]["ocr"]  # the photo is still on its way
    assert await _run_jobs(settings) == 0
    await _upload_in_chunks(client, photo)
    assert (await _pull(client, device))[rid]["fields"]["ocr"]["status"] == "queued"
    assert await _run_jobs(settings) == 1
    receipt = (await _pull(client, device))[rid]
    fields = receipt["fields"]
    assert receipt["state"] == "submitted" and fields["ocr"]["status"] == "done"
    assert fields["total"] == "99.00" and fields["machine_read"] == []
    found = fields["ocr"]["suggestions"]
    assert found.get("cvr") == truth["cvr"] or found.get("merchant"), fields["ocr"]


async def test_a_pdf_e_receipt_and_an_iphone_heic_photo_are_read_and_a_text_file_is_refused_plainly(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Browsers that cannot draw HEIC, and PDFs, send the original: the server reads both."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    world = await build_world(db)
    await db.execute(Job.__table__.delete())
    await db.commit()
    await sign_in(client, db, world.in_a1, settings)
    device = str(uuid.uuid4())
    for n, (seed, fmt) in enumerate(((9, "PDF"), (10, "HEIF")), start=1):
        jpeg, truth = generate_one(seed=seed, index=n, today=dt.date.today())
        out = io.BytesIO()
        Image.open(io.BytesIO(jpeg)).convert("RGB").save(
            out, fmt, **({"resolution": 200} if fmt == "PDF" else {})
        )
        sha = await _upload_in_chunks(client, out.getvalue())
        rid = str(uuid.uuid4())
        await _push(client, device, _new_receipt(n, rid, photos=[sha]))
        assert await _run_jobs(settings) == 1
        fields = (await _pull(client, device))[rid]["fields"]
        assert fields["ocr"]["status"] == "done", (fmt, fields["ocr"])
        assert fields["total"] == truth["total"], (fmt, fields["ocr"])
    text = b"Kvittering: 120,00 kr\n"
    response = await client.put(f"/api/sync/blobs/{hashlib.sha256(text).hexdigest()}", content=text)
    assert response.status_code == 415
    assert "hverken et billede" in response.json()["detail"]


async def test_the_same_photo_twice_is_flagged_as_a_duplicate(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await db.execute(Job.__table__.delete())
    await db.commit()
    await sign_in(client, db, world.in_a1, settings)
    photo, _ = generate_one(seed=6, index=1, today=dt.date.today())
    sha = await _upload(client, photo)
    device, first, second = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    await _push(
        client, device, {"n": 1, "kind": "put", "type": "receipt", "id": first, "fields": {"photos": [sha]}}
    )
    await _run_jobs(settings)
    await _push(
        client, device, {"n": 2, "kind": "put", "type": "receipt", "id": second, "fields": {"photos": [sha]}}
    )
    await _run_jobs(settings)
    assert (await _pull(client, device))[second]["fields"]["duplicate_of"] == [first]


async def test_a_receipt_is_submitted_only_when_complete(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device, rid = str(uuid.uuid4()), str(uuid.uuid4())
    results = await _push(
        client,
        device,
        {
            "n": 1,
            "kind": "put",
            "type": "receipt",
            "id": rid,
            "fields": {"total": "120.00", "date": "2026-11-02"},
        },
        {"n": 2, "kind": "transition", "type": "receipt", "id": rid, "transition": "submit"},
        {
            "n": 3,
            "kind": "put",
            "type": "receipt",
            "id": rid,
            "fields": {"account": "1-2.9", "purpose": "Frugt til 3.b"},
        },
        {"n": 4, "kind": "transition", "type": "receipt", "id": rid, "transition": "submit"},
    )
    assert (
        results[1]["status"] == "rejected"
        and results[1]["reason"] == "Udfyld før indsendelse: konto, formål."
    )
    assert results[3]["record"]["state"] == "submitted"


async def test_photos_are_stored_without_their_position_and_keep_their_orientation(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    sha = await _upload(client, images.jpeg(gps=True, orientation=6))
    stored = Image.open(io.BytesIO((await client.get(f"/api/sync/blobs/{sha}")).content)).getexif()
    assert dict(stored) == {images.ORIENTATION: 6}  # no position, no camera: only which way is up
