"""A receipt's way after submission: paid back through payroll, booked by finance, reviewed by a sample."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import today
from backend.db.models import Municipality
from backend.db.sync_tables import SYNC
from backend.features.payroll.models import WageLine
from backend.features.receipts.review import draw_month
from backend.platform import Platform
from backend.settings import Settings
from sync import engine
from tests.api.test_sync_api import Device
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio
FIELDS = {
    "date": "2026-11-02",
    "merchant": "Netto",
    "cvr": "13748136",
    "total": "149.95",
    "vat": "29.99",
    "account": "1-2.2",
    "purpose": "Frugt til skovturen",
}


async def _send(device: Device, mutation: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await device.push(mutation))["results"][0]
    return result


async def _lines(db: AsyncSession, rid: str) -> list[WageLine]:
    query = select(WageLine).where(WageLine.source_id == rid).execution_options(populate_existing=True)
    return list(await db.scalars(query))


async def test_a_receipt_is_paid_back_through_payroll_booked_by_finance_and_reviewed(
    platform: Platform, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    phone, rid = Device(client, "receipt"), str(uuid.uuid4())
    assert (await _send(phone, phone.put(rid, FIELDS)))["status"] == "applied"
    assert await _lines(db, rid) == []  # a draft is not paid
    submitted = await _send(phone, phone.move(rid, "submit"))
    assert submitted["status"] == "applied"
    (line,) = await _lines(db, rid)
    assert (line.amount, line.wage_key, line.export_id) == (Decimal("149.95"), "receipt_outlay", None)
    record = await engine.load(db, SYNC, uuid.UUID(rid))
    assert record is not None and record.fields["payroll"] == {"month": line.period}

    assert (await _send(phone, phone.move(rid, "withdraw")))["status"] == "applied"
    assert await _lines(db, rid) == []  # taken back before payroll saw it
    assert (await _send(phone, phone.move(rid, "submit")))["status"] == "applied"
    (line,) = await _lines(db, rid)

    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    export = await client.post("/api/payroll/exports", json={"period": line.period})
    assert export.status_code == 201, export.text
    paid = await engine.load(db, SYNC, uuid.UUID(rid))
    assert paid is not None and paid.state == "paid"
    assert paid.history[-1]["transition"] == "send_to_payroll"
    payroll_file = (await client.get(f"/api/payroll/exports/{export.json()['id']}/file")).text
    assert "149.95" in payroll_file and "9100" in payroll_file  # the outlay's default wage type code

    await sign_in(client, db, world.by_role[Role.FINANCE], settings)
    (booking,) = (await client.get("/api/receipts/bookings")).json()
    assert (booking["export_id"], booking["receipts"], booking["total"]) == (export.json()["id"], 1, "149.95")
    file = await client.get(f"/api/receipts/bookings/{booking['export_id']}/file")
    (row,) = list(csv.DictReader(io.StringIO(file.text), delimiter=";"))
    assert (row["konto"], row["kontonavn"], row["moms"], row["cvr"], row["medarbejder"]) == (
        "1-2.2",
        "Food",
        "29.99",
        "13748136",
        "Employee in A1",
    )
    assert row["enhed"] == "A1" and row["loenperiode"] == line.period
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    assert (await client.get("/api/receipts/bookings")).status_code == 403

    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    await draw_month(db, platform, municipality, today().isoformat()[:7])
    await db.commit()
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    chase = (await client.get("/api/payroll/unapproved")).json()["people"]
    waiting = [p for p in chase if p["record_type"] == "receipt" and p["waiting"]]
    assert waiting == []  # receipts are reviewed after payment: nothing to chase before the cut-off
    await sign_in(client, db, world.by_role[Role.LEADER], settings)
    (item,) = [i for i in (await client.get("/api/inbox")).json() if i["record"]["type"] == "receipt"]
    assert item["record"]["id"] == rid and sorted(item["actions"]) == ["reject", "sign_off"]
    assert item["record"]["fields"]["review"]["rule"] == "all_below_threshold"
    no_reason = (await client.post("/api/inbox/receipt/reject", json={"ids": [rid]})).json()
    assert no_reason[0]["status"] == "rejected" and "begrundelse" in no_reason[0]["reason"]
    signed = (await client.post("/api/inbox/receipt/sign_off", json={"ids": [rid]})).json()
    assert signed[0]["status"] == "applied"
    assert [i for i in (await client.get("/api/inbox")).json() if i["record"]["type"] == "receipt"] == []
    audit = await client.get("/api/receipts/review/audit.csv", params={"year": today().year})
    (decided,) = list(csv.DictReader(io.StringIO(audit.text), delimiter=";"))
    assert (decided["status"], decided["afgjort_af"]) == ("approved", "leader person")


async def test_the_employee_cannot_pay_or_review_their_own_receipt(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    leader = world.by_role[Role.LEADER]
    await sign_in(client, db, leader, settings)
    phone, rid = Device(client, "receipt"), str(uuid.uuid4())
    await _send(phone, phone.put(rid, FIELDS))
    await _send(phone, phone.move(rid, "submit"))
    refused = await _send(phone, phone.move(rid, "send_to_payroll"))
    assert refused["status"] == "rejected"
    assert (await client.get("/api/receipts/bookings")).status_code == 403
