"""The leaders' review afterwards, retention and the daily jobs behind them, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import workflows
from backend.auth.roles import Role
from backend.clock import today
from backend.db.models import AuditEvent, Job, Municipality, User
from backend.db.sync_tables import SYNC
from backend.features.receipts.retention import delete_expired
from backend.features.receipts.review import draw_month, previous_month
from backend.features.receipts.review_sample import PaidReceipt, SampleSettings, draw
from backend.features.sync import pipeline
from backend.features.workflow import Change
from backend.jobs.schedule import enqueue_due
from backend.platform import Platform
from backend.settings import Settings
from sync import engine
from tests import images
from tests.api.test_sync_api import Device
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio


async def _receipt(client: AsyncTestClient, fields: dict[str, Any]) -> str:
    """A receipt pushed by the signed-in employee, as their phone would."""
    device, rid = Device(client, "receipt"), str(uuid.uuid4())
    result = (await device.push(device.put(rid, fields)))["results"][0]
    assert result["status"] == "applied", result
    return rid


async def _pay(db: AsyncSession, rid: str, *, dated: str | None = None, state: str = "paid") -> None:
    """Mark a receipt paid as the payroll export does (a server change with its step); `dated` moves
    its date back, as if years had gone by."""
    record = await engine.load(db, SYNC, uuid.UUID(rid))
    assert record is not None
    fields = {**record.fields, **({"date": dated} if dated else {})}
    step = "send_to_payroll" if state == "paid" else None
    assert await pipeline.save(db, workflows.platform(), [Change(record, fields, state=state, step=step)])
    await db.commit()


async def _paid_receipts(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, who: User, totals: list[str]
) -> list[str]:
    await sign_in(client, db, who, settings)
    ids = []
    for total in totals:
        rid = await _receipt(client, {"date": "2026-11-02", "total": total, "purpose": "Kaffe"})
        await _pay(db, rid)
        ids.append(rid)
    return ids


def _this_month() -> str:
    return today().isoformat()[:7]


async def _state(db: AsyncSession, rid: str) -> str:
    record = await engine.load(db, SYNC, uuid.UUID(rid))
    assert record is not None
    return "deleted" if record.deleted else record.state


async def test_a_unit_under_the_threshold_has_every_paid_receipt_drawn_once(
    platform: Platform, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    ids = await _paid_receipts(client, db, settings, world.in_a1, ["120.00", "80.50", "15.00"])
    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    draws = await draw_month(db, platform, municipality, _this_month())
    await db.commit()
    assert [d.unit_id for d in draws] == [world.units["A1"].id]
    assert sorted(d["receipt_id"] for d in draws[0].drawn) == sorted(ids)
    assert {d["rule"] for d in draws[0].drawn} == {"all_below_threshold"}
    for rid in ids:
        assert await _state(db, rid) == "in_review"
        record = await engine.load(db, SYNC, uuid.UUID(rid))
        assert record is not None and record.fields["review"]["rule"] == "all_below_threshold"
        assert record.history[-1]["transition"] == "draw"
    assert await draw_month(db, platform, municipality, _this_month()) == []  # a unit is drawn once a month


async def test_the_random_share_is_reproducible_from_the_recorded_seed(
    platform: Platform, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    municipality.receipt_review_all_below = 2
    municipality.receipt_review_share = Decimal("0.25")
    await db.commit()
    ids = await _paid_receipts(client, db, settings, world.in_a1, ["10.00"] * 6)
    (made,) = await draw_month(db, platform, municipality, _this_month())
    await db.commit()
    assert len(made.drawn) == 2  # 25% of 6, rounded up
    again = draw(
        [PaidReceipt(i, Decimal("10.00")) for i in sorted(ids)],
        made.seed,
        SampleSettings(share=Decimal("0.25"), all_below=2),
    )
    assert [d.receipt_id for d in again] == sorted(d["receipt_id"] for d in made.drawn)
    untouched = set(ids) - {d["receipt_id"] for d in made.drawn}
    assert {await _state(db, rid) for rid in untouched} == {"paid"}


async def test_leaders_see_the_draws_of_their_units_and_auditors_get_the_outcomes(
    platform: Platform, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    ids = await _paid_receipts(client, db, settings, world.in_a1, ["99.00"])
    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    await draw_month(db, platform, municipality, _this_month())
    await db.commit()

    await sign_in(client, db, world.by_role[Role.LEADER], settings)
    draws = (await client.get("/api/receipts/review/draws", params={"month": _this_month()})).json()
    assert [(d["unit_name"], d["population"], len(d["drawn"])) for d in draws] == [("Unit A1", 1, 1)]
    year = today().year
    response = await client.get("/api/receipts/review/audit.csv", params={"year": year})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text), delimiter=";"))
    assert [(r["udlaeg"], r["enhed"], r["status"], r["medarbejder"]) for r in rows] == [
        (ids[0], "A1", "in_review", "Employee in A1")
    ]

    await sign_in(client, db, world.in_a1, settings)
    refused = await client.get("/api/receipts/review/draws")
    assert refused.status_code == 403 and "ledere" in refused.json()["detail"]
    assert (await client.get("/api/receipts/review/draws", params={"month": "nov"})).status_code == 400
    await sign_in(client, db, world.other_admin, settings)
    assert (await client.get("/api/receipts/review/draws")).status_code == 403


async def test_each_daily_job_is_queued_once_a_day_however_many_workers_ask(
    platform: Platform, db: AsyncSession
) -> None:
    await db.execute(Job.__table__.delete())
    day = date(2026, 12, 1)
    for _ in range(3):
        await enqueue_due(db, platform.daily, day)
    await db.commit()
    jobs = (await db.scalars(select(Job.kind).where(Job.kind.in_(platform.daily)))).all()
    assert sorted(jobs) == platform.daily and {"receipt-review-draw", "receipt-retention"} <= set(
        platform.daily
    )
    assert previous_month(day) == "2026-11" and previous_month(date(2026, 1, 31)) == "2025-12"


async def _retention_world(world: World, db: AsyncSession, **settings: Any) -> Municipality:
    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    for key, value in settings.items():
        setattr(municipality, key, value)
    await db.commit()
    return municipality


async def test_retention_is_off_until_years_and_the_archives_authorisation_are_set(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    without = await client.put("/api/municipality/settings", json={"receipt_retention_years": 5})
    assert without.status_code == 400 and "Rigsarkivet" in without.json()["detail"]
    too_short = await client.put(
        "/api/municipality/settings",
        json={"receipt_retention_years": 3, "retention_authorisation": "RA 2026-123"},
    )
    assert too_short.status_code == 400 and "mindst 5 år" in too_short.json()["detail"]
    ok = await client.put(
        "/api/municipality/settings",
        json={"receipt_retention_years": 5, "retention_authorisation": "RA 2026-123"},
    )
    assert ok.status_code == 200 and ok.json()["receipt_retention_years"] == 5
    off = await client.put("/api/municipality/settings", json={"receipt_retention_years": 0})
    assert off.json()["receipt_retention_years"] is None


async def test_retention_deletes_only_handled_receipts_past_their_years_and_logs_it(
    platform: Platform, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    photo = images.jpeg(tag="an old receipt photo")
    sha = hashlib.sha256(photo).hexdigest()
    uploaded = await client.put(
        f"/api/sync/blobs/{sha}", content=photo, headers={"x-blob-type": "image/jpeg"}
    )
    assert uploaded.json()["complete"] is True
    stored = settings.data_dir / "blobs" / sha[:2] / sha
    assert stored.exists()
    old_paid = await _receipt(client, {"date": "2024-06-01", "total": "10.00", "photos": [sha]})
    await _pay(db, old_paid, dated="2020-06-01")  # years go by
    old_draft = await _receipt(client, {"date": "2024-06-01", "total": "20.00"})
    await _pay(db, old_draft, dated="2020-06-01", state="draft")
    recent = await _receipt(client, {"date": "2024-06-01", "total": "30.00"})
    await _pay(db, recent, dated="2021-12-31")
    municipality = await _retention_world(world, db, receipt_retention_years=5)
    assert await delete_expired(db, platform, municipality, date(2026, 11, 30)) == []  # no authorisation: off

    municipality = await _retention_world(world, db, retention_authorisation="RA 2026-123")
    assert await delete_expired(db, platform, municipality, date(2026, 11, 30)) == [old_paid]
    assert [await _state(db, r) for r in (old_paid, old_draft, recent)] == ["deleted", "draft", "paid"]
    gone = await engine.load(db, SYNC, uuid.UUID(old_paid))
    assert gone is not None and gone.fields == {}  # the personal data is gone, the tombstone syncs
    assert not stored.exists()  # and so is the photo no other receipt uses
    event = (
        await db.scalars(
            select(AuditEvent).where(
                AuditEvent.municipality_id == municipality.id, AuditEvent.action == "retention_delete"
            )
        )
    ).one()
    assert event.changes["receipt_ids"] == [old_paid] and event.changes["authorisation"] == "RA 2026-123"
    assert await delete_expired(db, platform, municipality, date(2027, 1, 1)) == [recent]
