"""Payroll that cannot pay twice, and months that do not close by accident (issue 9, section 5).

Each test reproduces a defect found by trying the app as a new user: a double-clicked export made two
identical exports; more than 500 lines answered 500; exporting December on 30 November closed November
to approvals; the payroll screen offered a month and a cut-off that were not the next ones, and listed
a person once per kind of item.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from backend.auth.roles import Principal, Role
from backend.auth.sessions import load_principal, open_session
from backend.clock import today
from backend.db.engine import make_engine
from backend.db.models import Municipality, OrgUnit
from backend.db.sync_tables import SYNC
from backend.errors import Conflict
from backend.features.payroll import service
from backend.features.payroll.cutoff import Month, cutoff_date, payroll_month
from backend.features.payroll.models import PayrollExport, WageLine
from backend.platform import Platform, build
from backend.settings import Settings
from tests.api.test_mileage import as_leader, log_trips, trip
from tests.api.test_receipt_payment import FIELDS
from tests.api.test_sync_api import Device
from tests.conftest import TEST_WORKFLOWS, sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio


async def approved_trips(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World, n: int = 1
) -> tuple[Device, list[str]]:
    device, ids = await log_trips(
        client, db, settings, world.in_a1, *(trip(date=f"2025-03-{10 + i:02d}") for i in range(n))
    )
    await as_leader(client, db, settings, world)
    results = (await client.post("/api/inbox/trip/approve", json={"ids": ids})).json()
    assert [r["status"] for r in results] == ["applied"] * n
    return device, ids


async def exports_of(db: AsyncSession, world: World) -> list[PayrollExport]:
    query = select(PayrollExport).where(PayrollExport.municipality_id == world.municipality.id)
    return list(await db.scalars(query.execution_options(populate_existing=True)))


async def test_a_second_export_of_the_same_month_makes_nothing_new_and_says_so(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await approved_trips(client, db, settings, world, 2)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    period = (await client.get("/api/payroll/exports")).json()["pending"][0]["period"]
    first = await client.post("/api/payroll/exports", json={"period": period})
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True and first.json()["line_count"] == 2

    again = await client.post("/api/payroll/exports", json={"period": period})
    assert again.status_code == 200, again.text  # not an error: the month is done, and it says so
    body = again.json()
    assert body["created"] is False and body["id"] == first.json()["id"]
    assert "allerede eksporteret" in body["detail"] and "already" in body["detail_en"]
    assert len(await exports_of(db, world)) == 1
    listed = (await client.get("/api/payroll/exports")).json()["exports"]
    assert [x["id"] for x in listed] == [first.json()["id"]]


async def test_two_export_requests_for_the_same_month_at_once_make_one_export(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """A double click: both requests arrive before the first has committed."""
    world = await build_world(db)
    await approved_trips(client, db, settings, world, 3)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    period = (await client.get("/api/payroll/exports")).json()["pending"][0]["period"]
    both = await asyncio.gather(
        client.post("/api/payroll/exports", json={"period": period}),
        client.post("/api/payroll/exports", json={"period": period}),
    )
    assert sorted(r.status_code for r in both) == [200, 201], [r.text for r in both]
    assert both[0].json()["id"] == both[1].json()["id"]
    assert len(await exports_of(db, world)) == 1
    lines = await db.scalars(
        select(WageLine.export_id).where(WageLine.municipality_id == world.municipality.id)
    )
    assert set(lines) == {both[0].json()["id"]}


async def test_an_export_of_5000_lines_goes_through_and_moves_every_source(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Ten times the 500 records a batch of transitions takes: the sources are inserted directly (fast),
    the export moves them all through the receipt's own state machine."""
    world = await build_world(db)
    owner = world.in_a1
    unit = await db.get(OrgUnit, owner.unit_id)
    assert unit is not None
    period, now = "2026-10", datetime.now(UTC)
    ids = [uuid.uuid4() for _ in range(5000)]
    await db.execute(
        insert(SYNC.record),
        [
            {
                "id": i,
                "type": "receipt",
                "municipality_id": world.municipality.id,
                "owner_id": owner.id,
                "unit_id": unit.id,
                "unit_path": unit.path,
                "state": "submitted",
                "fields": {**FIELDS, "total": "1.00", "payroll": {"month": period}},
                "history": [
                    {"transition": "submit", "by": owner.id, "at": now.isoformat(), "state": "submitted"}
                ],
                "version": 2,
                "deleted": False,
                "change_seq": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in ids
        ],
    )
    await db.execute(
        insert(WageLine),
        [
            {
                "municipality_id": world.municipality.id,
                "user_id": owner.id,
                "employee_number": "M90",
                "source_type": "receipt",
                "source_id": str(i),
                "wage_key": "receipt_outlay",
                "quantity": Decimal(1),
                "rate": Decimal(1),
                "amount": Decimal(1),
                "period": period,
                "approved_at": now,
            }
            for i in ids
        ],
    )
    await db.commit()
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    made = await client.post("/api/payroll/exports", json={"period": period})
    assert made.status_code == 201, made.text
    assert made.json()["line_count"] == 5000 and made.json()["total"] == "5000.00"
    r = SYNC.record.c
    states = await db.execute(
        select(r.state, func.count()).where(r.id.in_(ids[:2500])).group_by(r.state)
    )  # half the ids per query: SQLite's and asyncpg's parameter limits
    assert dict(states.all()) == {"paid": 2500}
    states = await db.execute(select(r.state, func.count()).where(r.id.in_(ids[2500:])).group_by(r.state))
    assert dict(states.all()) == {"paid": 2500}
    file = await client.get(f"/api/payroll/exports/{made.json()['id']}/file")
    assert len(file.text.strip().split("\r\n")) == 5001


async def test_an_approval_after_the_months_export_goes_to_the_next_salary_run(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Exporting the month approvals go to today (on 30 November: December) closes nothing: a trip sent
    in on time is approved, paid with the next run, and says so; an old trip can still be sent in."""
    world = await build_world(db)
    device, [early, on_time] = await log_trips(
        client, db, settings, world.in_a1, trip(), trip(date="2025-03-11", km="20")
    )
    await as_leader(client, db, settings, world)
    assert (await client.post("/api/inbox/trip/approve", json={"ids": [early]})).json()[0][
        "status"
    ] == "applied"
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    period = (await client.get("/api/payroll/exports")).json()["pending"][0]["period"]
    assert period == str(payroll_month(today(), world.municipality.payroll_cutoff_day))
    assert (await client.post("/api/payroll/exports", json={"period": period})).status_code == 201
    following = str(Month.parse(period).following())

    await as_leader(client, db, settings, world)
    [approved] = (await client.post("/api/inbox/trip/approve", json={"ids": [on_time]})).json()
    assert approved["status"] == "applied", approved
    await sign_in(client, db, world.in_a1, settings)
    trips = await device.pull()
    assert trips[on_time]["fields"]["payroll"] == {
        "month": following
    }  # the record shows the run that pays it
    line = await db.scalar(select(WageLine).where(WageLine.source_id == on_time))
    assert line is not None and (line.period, line.export_id) == (following, None)

    # A trip of a long-exported month is still accepted: nothing offers a step that cannot succeed.
    late_device, [late] = await log_trips(client, db, settings, world.in_a1, trip(km="12"), submit=False)
    assert (await late_device.pull())[late]["fields"]["calc"]["problems"] == []
    assert (await late_device.push(late_device.move(late, "submit")))["results"][0]["status"] == "applied"

    # A receipt submitted now is paid with the next run too, not in the month already exported.
    phone, rid = Device(client, "receipt"), str(uuid.uuid4())
    await phone.push(phone.put(rid, FIELDS), phone.move(rid, "submit"))
    outlay = await db.scalar(select(WageLine).where(WageLine.source_id == rid))
    assert outlay is not None and outlay.period == following


async def test_the_payroll_screen_offers_the_next_run_and_the_next_cutoff(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    municipality.payroll_cutoff_day = 1  # today is always on or after it: this month's cut-off has passed
    await db.commit()
    await approved_trips(client, db, settings, world)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    coming = Month.of(today()).following()  # approved today, after this month's cut-off

    body = (await client.get("/api/payroll/exports")).json()
    assert body["next_period"] == str(coming)
    assert body["next_cutoff"] == cutoff_date(coming, 1).isoformat()
    assert body["pending"] == [
        {"period": str(coming), "lines": 1, "total": "111.50", "cutoff": cutoff_date(coming, 1).isoformat()}
    ]
    unapproved = (await client.get("/api/payroll/unapproved")).json()
    assert unapproved["cutoff"] == cutoff_date(coming, 1).isoformat()  # not this month's, already past

    assert (await client.post("/api/payroll/exports", json={"period": str(coming)})).status_code == 201
    after = (await client.get("/api/payroll/exports")).json()
    assert after["next_period"] == str(coming.following())  # the next one to run, not the one just run


async def test_each_person_waiting_for_approval_is_listed_once_with_counts_per_kind(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await log_trips(
        client, db, settings, world.in_a1, trip(), trip(date="2025-03-11"), trip(date="2025-03-12")
    )
    phone = Device(client, "receipt")
    await phone.push(phone.put(str(uuid.uuid4()), FIELDS))  # a receipt not yet sent in
    await log_trips(client, db, settings, world.in_b, trip(), submit=False)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    people = (await client.get("/api/payroll/unapproved")).json()["people"]
    assert [p["name"] for p in people] == ["Employee in A1", "Employee in B"]
    anna, bo = people
    assert (anna["waiting"], anna["drafts"]) == (3, 1)
    assert sorted((c["record_type"], c["waiting"], c["drafts"]) for c in anna["counts"]) == [
        ("receipt", 0, 1),
        ("trip", 3, 0),
    ]
    assert [(c["record_type"], c["waiting"], c["drafts"]) for c in bo["counts"]] == [("trip", 0, 1)]


async def test_an_export_waits_for_a_running_export_of_its_month_and_then_returns_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """The lock itself, with the interleaving forced: the first export has not committed yet when the
    second starts (on PostgreSQL a row lock, on SQLite the single writer lock)."""
    world = await build_world(db)
    await approved_trips(client, db, settings, world, 2)
    principal, registry, engine = await _payroll_principal(db, settings, world)
    period = next(iter(await service.pending_total(db, principal)))
    try:
        async with (
            AsyncSession(engine, expire_on_commit=False) as first,
            AsyncSession(engine, expire_on_commit=False) as second,
        ):
            made = await service.export(first, principal, registry, period)
            waiting = asyncio.create_task(service.export(second, principal, registry, period))
            await asyncio.sleep(0.5)
            assert not waiting.done()  # it waits for the first instead of reading what is not yet sent
            await first.commit()
            again = await asyncio.wait_for(waiting, 30)
            await second.commit()
            assert (again.created, again.export.id) == (False, made.export.id)
    finally:
        await engine.dispose()
    assert len(await exports_of(db, world)) == 1


async def test_marking_an_export_paid_while_it_is_being_marked_moves_each_item_once(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, _ = await approved_trips(client, db, settings, world, 2)
    principal, registry, engine = await _payroll_principal(db, settings, world)
    period = next(iter(await service.pending_total(db, principal)))
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            made = await service.export(session, principal, registry, period)
            await session.commit()
        async with (
            AsyncSession(engine, expire_on_commit=False) as first,
            AsyncSession(engine, expire_on_commit=False) as second,
        ):
            await service.mark_paid(first, principal, registry, made.export.id)
            waiting = asyncio.create_task(service.mark_paid(second, principal, registry, made.export.id))
            await asyncio.sleep(0.5)
            assert not waiting.done()
            await first.commit()
            with pytest.raises(Conflict, match="allerede markeret som udbetalt"):
                await asyncio.wait_for(waiting, 30)
            await second.rollback()
    finally:
        await engine.dispose()
    await sign_in(client, db, world.in_a1, settings)
    for record in (await device.pull()).values():
        assert record["state"] == "paid"
        assert [step["transition"] for step in record["history"]].count("mark_paid") == 1


async def _payroll_principal(
    db: AsyncSession, settings: Settings, world: World
) -> tuple[Principal, Platform, AsyncEngine]:
    token = await open_session(db, world.by_role[Role.PAYROLL], settings)
    await db.commit()
    principal = await load_principal(db, token, settings)
    assert principal is not None
    await db.commit()
    found = build(TEST_WORKFLOWS)
    return (
        found.principal(principal),
        found,
        make_engine(settings.database_url, settings.database_schema),
    )


async def test_a_month_with_nothing_approved_for_it_yet_cannot_be_exported(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """A typo in the year (9999-12) must not file the waiting lines under it: they stay waiting."""
    world = await build_world(db)
    await approved_trips(client, db, settings, world, 1)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    latest = str(payroll_month(today(), 18).following())
    for period in ("9999-12", latest):
        refused = await client.post("/api/payroll/exports", json={"period": period})
        assert refused.status_code == 400 and "kan ikke eksporteres endnu" in refused.json()["detail"], (
            refused.text
        )
    assert await exports_of(db, world) == []


async def test_after_an_early_export_the_chase_list_shows_the_next_runs_cutoff(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Export the month approvals go to now, before its cut-off: approvals go to the next run, and the
    cut-off payroll chases is that run's, as "Næste lønkørsel" says."""
    world = await build_world(db)
    await approved_trips(client, db, settings, world, 1)
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    now = payroll_month(today(), 18)
    assert (await client.post("/api/payroll/exports", json={"period": str(now)})).status_code == 201
    listed = (await client.get("/api/payroll/exports")).json()
    chase = (await client.get("/api/payroll/unapproved")).json()
    assert listed["next_period"] == str(now.following())
    assert chase["cutoff"] == cutoff_date(now.following(), 18).isoformat() == listed["next_cutoff"]
