"""A warning the OCR gave about a receipt field (a date over a year old) goes once the employee changes
that field; the reading's other reasons stay (issue 16 follow-up; backend/features/receipts/ocr_reasons.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Job
from backend.settings import Settings
from ocr.synth import generate_one
from tests.api.test_receipts import _pull, _push, _run_jobs, _upload
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def test_an_old_date_warning_goes_once_the_employee_changes_the_date(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await db.execute(Job.__table__.delete())
    await db.commit()
    await sign_in(client, db, world.in_a1, settings)
    photo, _ = generate_one(seed=5, index=0, today=dt.date.today() - dt.timedelta(days=500))
    device, rid = str(uuid.uuid4()), str(uuid.uuid4())
    sha = await _upload(client, photo)
    put = {"n": 1, "kind": "put", "type": "receipt", "id": rid, "fields": {"photos": [sha]}}
    assert (await _push(client, device, put))[0]["status"] == "applied"
    assert await _run_jobs(settings) == 1
    read = (await _pull(client, device))[rid]["fields"]
    assert read["ocr"]["reasons"]["date"]["code"] == "date_old", read["ocr"]
    others = {k: v for k, v in read["ocr"]["reasons"].items() if k != "date"}

    same = {"n": 2, "kind": "put", "type": "receipt", "id": rid, "fields": {"purpose": "Kursusmateriale"}}
    assert (await _push(client, device, same))[0]["status"] == "applied"
    assert "date" in (await _pull(client, device))[rid]["fields"]["ocr"]["reasons"]  # another field: it stays

    fixed = dt.date.today().isoformat()
    change = {"n": 3, "kind": "put", "type": "receipt", "id": rid, "fields": {"date": fixed}}
    [result] = await _push(client, device, change)
    assert result["status"] == "applied"
    assert "date" not in result["record"]["fields"]["ocr"]["reasons"]  # the answer already says so
    after = (await _pull(client, device))[rid]["fields"]
    assert after["date"] == fixed and "date" not in after["ocr"]["reasons"]
    assert after["ocr"]["reasons"] == others
    assert (await _push(client, device, change))[0]["duplicate"] is True  # sent twice: once
