"""The leader's inbox (issue 16): one sorted list with amounts, badges and the payroll deadline; "Godkend
alle" leaves blocked items; queued decisions on changed items are not applied; stand-ins decide on the
leader's behalf; approvals are reopened only with a reason, audited; nothing is approved by time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import today
from backend.db.models import AuditEvent, RoleAssignment
from backend.features.inbox.deciders import Decider, who_decides
from backend.features.mileage.models import MileageLimits
from backend.features.payroll.models import WageLine
from backend.jobs.schedule import enqueue_due
from backend.platform import Platform
from backend.settings import Settings
from tests.api.test_mileage import as_leader, log_trips, trip
from tests.api.test_receipts import _upload
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.images import jpeg
from tests.world import World, build_world

pytestmark = pytest.mark.anyio


async def _inbox(client: AsyncTestClient, ids: list[str]) -> list[dict[str, Any]]:
    return [i for i in (await client.get("/api/inbox")).json() if i["record"]["id"] in ids]


async def _leader_above(db: AsyncSession, world: World) -> None:
    """The admin person also leads the root: the leader's leader."""
    root = next(u for u in world.units.values() if u.parent_id is None)
    admin = world.by_role[Role.ADMIN]
    db.add(
        RoleAssignment(
            municipality_id=world.municipality.id, user_id=admin.id, role="leader", unit_id=root.id
        )
    )
    await db.commit()


async def test_the_inbox_lists_each_item_with_amount_badges_and_deadline_and_counts_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    db.add(MileageLimits(municipality_id=world.municipality.id, max_km_per_trip=Decimal("100")))
    await db.commit()
    _, ids = await log_trips(
        client, db, settings, world.in_a1, trip(), trip(date="2025-03-11"), trip(date="2025-03-12", km="150")
    )
    await as_leader(client, db, settings, world)
    items = await _inbox(client, ids)
    assert [i["record"]["id"] for i in items] == ids  # one deadline, sent at once: by the trip's date
    first = items[0]
    assert first["title"] == "10.03.2025 · Møde med forældre" and first["amount"] == "111.50"
    assert first["owner_name"] == "Employee in A1" and first["blocked"] is False
    assert first["deadline"] >= today().isoformat()
    over = items[2]
    assert over["blocked"] is True and over["badges"][0]["blocking"] is True and over["badges"][0]["da"]
    count = (await client.get("/api/inbox/count")).json()
    assert count["waiting"] == 3 and count["blocked"] >= 1 and count["deadline"] == first["deadline"]


async def test_approve_all_leaves_blocked_items_for_a_decision_with_a_reason(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    db.add(MileageLimits(municipality_id=world.municipality.id, max_km_per_trip=Decimal("100")))
    await db.commit()
    _, ids = await log_trips(
        client, db, settings, world.in_a1, trip(), trip(km="150", date="2025-03-11"), trip(date="2025-03-12")
    )
    await as_leader(client, db, settings, world)
    blocked = [i["record"]["id"] for i in await _inbox(client, ids) if i["blocked"]]
    assert blocked == [ids[1]]
    results = (await client.post("/api/inbox/trip/approve", json={"ids": ids})).json()
    assert [r["n"] for r in results] == [1, 2, 3]
    by_id = dict(zip(ids, results, strict=True))
    for tid in ids:
        want = "rejected" if tid in blocked else "applied"
        assert by_id[tid]["status"] == want, by_id[tid]
    assert "individuel beslutning" in by_id[blocked[0]]["reason"]
    assert [i["record"]["id"] for i in await _inbox(client, ids)] == blocked
    alone = (await client.post("/api/inbox/trip/approve", json={"ids": [blocked[0]]})).json()
    assert alone[0]["status"] == "rejected"  # on its own, but without a reason
    why = "Kørsel til kursus i Aarhus: aftalt."
    reasoned = (await client.post("/api/inbox/trip/approve", json={"ids": [blocked[0]], "note": why})).json()
    assert reasoned[0]["status"] == "applied"
    assert reasoned[0]["record"]["history"][-1]["note"] == why


async def test_a_queued_decision_on_a_changed_item_is_not_applied(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await as_leader(client, db, settings, world)
    [seen] = await _inbox(client, [tid])
    # Meanwhile the employee withdraws, corrects and submits again.
    await sign_in(client, db, world.in_a1, settings)
    pushed = await device.push(
        device.move(tid, "withdraw"), device.put(tid, {"km": "40"}), device.move(tid, "submit")
    )
    assert all(r["status"] == "applied" for r in pushed["results"])
    await as_leader(client, db, settings, world)
    queued = {"ids": [tid], "seen": {tid: seen["record"]["version"]}}
    [result] = (await client.post("/api/inbox/trip/approve", json=queued)).json()
    assert result["status"] == "conflict" and result["reason"].startswith("Ændret siden du så den")
    assert result["record"]["fields"]["km"] == "40"
    [now] = await _inbox(client, [tid])
    assert now["record"]["state"] == "submitted"
    queued["seen"] = {tid: now["record"]["version"]}
    assert (await client.post("/api/inbox/trip/approve", json=queued)).json()[0]["status"] == "applied"


async def test_a_stand_in_decides_on_the_leaders_behalf_but_not_their_own_items(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, platform: Platform
) -> None:
    world = await build_world(db)
    await _leader_above(db, world)
    leader, deputy, above = world.by_role[Role.LEADER], world.by_role[Role.PLANNER], world.by_role[Role.ADMIN]
    _, [theirs] = await log_trips(client, db, settings, world.in_a1, trip())
    _, [own] = await log_trips(client, db, settings, deputy, trip(purpose="Stedfortræderens egen tur"))
    a1 = world.units["A1"].path
    assert await who_decides(db, world.municipality.id, a1, today()) == [Decider(leader.id)]

    await as_leader(client, db, settings, world)
    day = today()
    made = await client.post(
        "/api/stand-ins",
        json={
            "stand_in_id": deputy.id,
            "starts": day.isoformat(),
            "ends": (day + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert made.status_code == 201, made.text
    period = made.json()
    assert period["active"] and period["leader_name"] == leader.name
    assert (
        await client.post(
            "/api/stand-ins",
            json={
                "stand_in_id": deputy.id,
                "starts": day.isoformat(),
                "ends": (day + dt.timedelta(days=14)).isoformat(),
            },
        )
    ).status_code == 201  # twice: one period
    assert len((await client.get("/api/stand-ins")).json()) == 1
    # Started: only the end date can change; it cannot be withdrawn.
    moved = await client.put(
        f"/api/stand-ins/{period['id']}",
        json={"starts": (day + dt.timedelta(days=1)).isoformat(), "ends": period["ends"]},
    )
    assert moved.status_code == 400 and "kun slutdatoen" in moved.json()["detail"]
    assert (
        await client.put(
            f"/api/stand-ins/{period['id']}", json={"ends": (day + dt.timedelta(days=7)).isoformat()}
        )
    ).status_code == 200
    assert (await client.delete(f"/api/stand-ins/{period['id']}")).status_code == 400

    assert await who_decides(db, world.municipality.id, a1, day) == [
        Decider(deputy.id, on_behalf_of=leader.id)
    ]
    assert await who_decides(db, world.municipality.id, deputy_path(world), day, subject_id=deputy.id) == [
        Decider(above.id)
    ]
    assert await who_decides(db, world.municipality.id, a1, day + dt.timedelta(days=8)) == [
        Decider(leader.id)
    ]

    [mine] = await _inbox(client, [theirs])  # the leader still sees it, marked as the stand-in's now
    assert mine["with_stand_in"] == deputy.name
    assert mine["actions"] == []  # read-only: the stand-in decides it in the period
    assert (await client.get("/api/inbox/count")).json()["waiting"] == len(
        [i for i in (await client.get("/api/inbox")).json() if i["actions"]]
    )
    [refused] = (await client.post("/api/inbox/trip/approve", json={"ids": [theirs]})).json()
    assert refused["status"] == "rejected" and refused["reason"].startswith(
        "Din stedfortræder afgør den i perioden"
    )
    assert refused["reason_en"].startswith("Your stand-in decides it during the period")
    [kept] = await _inbox(
        client, [own]
    )  # the stand-in's own trip is not theirs to decide: the leader keeps it
    assert kept["with_stand_in"] is None and "approve" in kept["actions"]

    await sign_in(client, db, deputy, settings)
    items = await _inbox(client, [theirs, own])
    assert [i["record"]["id"] for i in items] == [theirs] and items[0]["on_behalf_of"] == leader.name
    assert (await client.post("/api/inbox/trip/approve", json={"ids": [own]})).json()[0][
        "status"
    ] == "rejected"
    [done] = (await client.post("/api/inbox/trip/approve", json={"ids": [theirs]})).json()
    assert done["status"] == "applied"
    assert (
        done["record"]["history"][-1]["by"] == deputy.id
        and done["record"]["history"][-1]["on_behalf_of"] == leader.id
    )
    event = await db.scalar(
        select(AuditEvent).where(AuditEvent.action == "approve", AuditEvent.entity_id == theirs)
    )
    assert event is not None and event.actor_user_id == deputy.id
    assert event.changes["on_behalf_of"] == leader.id

    await sign_in(client, db, above, settings)  # the stand-in's own trip waits for the leader's leader
    assert [i["record"]["id"] for i in await _inbox(client, [own])] == [own]


def deputy_path(world: World) -> str:
    return world.units["A"].path


async def test_an_approval_is_reopened_only_with_a_reason_and_the_audit_log_keeps_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    leader_id = world.by_role[Role.LEADER].id
    _, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await as_leader(client, db, settings, world)
    assert (await client.post("/api/inbox/trip/approve", json={"ids": [tid]})).json()[0][
        "status"
    ] == "applied"
    assert await db.scalar(select(WageLine).where(WageLine.source_id == tid)) is not None
    decided = (await client.get("/api/inbox/decided")).json()
    assert [i["record"]["id"] for i in decided] == [tid] and decided[0]["actions"] == ["reopen"]
    url = f"/api/inbox/trip/{tid}/reopen"
    assert (await client.post(url, json={"reason": "  "})).status_code == 400
    reopened = await client.post(url, json={"reason": "Forkert antal km"})
    assert reopened.status_code == 200, reopened.text
    record = reopened.json()
    assert record["state"] == "submitted" and record["history"][-1]["note"] == "Forkert antal km"
    assert (await client.post(url, json={"reason": "Forkert antal km"})).json()["version"] == record[
        "version"
    ]
    assert (
        await db.scalar(select(WageLine).where(WageLine.source_id == tid)) is None
    )  # the line is taken back
    event = await db.scalar(
        select(AuditEvent).where(AuditEvent.action == "reopen", AuditEvent.entity_id == tid)
    )
    assert event is not None and event.actor_user_id == leader_id
    assert (
        event.changes["state"] == ["approved", "submitted"] and event.changes["reason"] == "Forkert antal km"
    )
    assert [i["record"]["id"] for i in await _inbox(client, [tid])] == [tid]
    await sign_in(client, db, world.in_a1, settings)  # nobody reopens their own approval, nor sees others'
    assert (await client.post(url, json={"reason": "x"})).status_code == 404


async def test_nothing_is_approved_because_time_passed(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, platform: Platform
) -> None:
    """Every daily job runs on a day after the cut-off: the waiting trip still waits for a person."""
    from backend.db.engine import make_engine
    from backend.jobs.worker import run_one

    world = await build_world(db)
    _, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    for days in (20, 40):
        await enqueue_due(db, platform.daily, today() + dt.timedelta(days=days))
        await db.commit()
    engine = make_engine(settings.database_url, settings.database_schema)
    try:
        while await run_one(engine, platform):
            pass
    finally:
        await engine.dispose()
    await as_leader(client, db, settings, world)
    [item] = await _inbox(client, [tid])
    assert item["record"]["state"] == "submitted" and item["actions"] == ["approve", "reject"]


async def test_the_audit_log_says_what_each_event_was_about_and_a_log_in_is_not_also_an_update(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Issue 12, item 17: the admin reads whose record, in words, not `approve: trip #…`."""
    world = await build_world(db)
    _, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await as_leader(client, db, settings, world)
    await client.post("/api/inbox/trip/approve", json={"ids": [tid]})
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    events = (await client.get("/api/audit?limit=500")).json()
    [approved] = [e for e in events if e["entity_id"] == tid and e["action"] == "approve"]
    assert approved["actor_name"] == "leader person" and approved["whose"] == "Employee in A1"
    assert approved["about"] == "10.03.2025 · Møde med forældre"
    logins = [e for e in events if e["entity"] == "app_user" and e["action"] == "update"]
    assert not [
        e for e in logins if "last_login_at" in e["changes"]
    ]  # signing in is not a change of the user


async def test_a_stand_in_sees_the_photos_of_the_receipts_they_review_only_in_the_period(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    deputy = world.by_role[Role.PLANNER]
    await sign_in(client, db, world.in_a1, settings)
    sha = await _upload(client, jpeg())
    device = Device(client, "receipt")
    fields = {
        "photos": [sha],
        "merchant": "Netto",
        "date": "2025-02-03",
        "total": "49.90",
        "purpose": "Frugt",
    }
    assert (await device.push(device.put(new_id(), fields)))["results"][0]["status"] == "applied"
    await sign_in(client, db, deputy, settings)
    assert (await client.get(f"/api/sync/blobs/{sha}")).status_code == 404
    await as_leader(client, db, settings, world)
    day = today().isoformat()
    assert (
        await client.post("/api/stand-ins", json={"stand_in_id": deputy.id, "starts": day, "ends": day})
    ).status_code == 201
    await sign_in(client, db, deputy, settings)
    assert (await client.get(f"/api/sync/blobs/{sha}")).status_code == 200
