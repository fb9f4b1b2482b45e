"""Weekly approval of shift changes over HTTP (SQLite and PostgreSQL): every change since the last
approval in one list, approved in one action (twice is safe; a change after loading is refused in
words), the approved hours and supplements in the payroll feed, and the notification jobs each event
enqueues (once)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import AuditEvent, Job
from backend.features.payroll.models import WageLine
from backend.settings import Settings
from tests.api.test_shifts import MONDAY, as_role, shift
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio

ISO = MONDAY.isocalendar()
WEEK = f"{ISO.year}-W{ISO.week:02d}"


def approval_url(world: World, unit: str = "A1") -> str:
    return f"/api/shifts/units/{world.units[unit].id}/approval"


async def load(client: AsyncTestClient, world: World) -> dict[str, Any]:
    answer = await client.get(approval_url(world), params={"week": WEEK})
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def approve(client: AsyncTestClient, world: World, listed: dict[str, Any]) -> Any:
    body = {"week": WEEK, "version": listed["version"], "changes": listed["count"]["changes"]}
    return await client.post(approval_url(world), json=body)


async def jobs(db: AsyncSession, kind: str, world: World) -> list[Job]:
    return list(
        await db.scalars(
            select(Job)
            .where(Job.kind == kind, Job.municipality_id == world.municipality.id)
            .order_by(Job.id)
            .execution_options(populate_existing=True)
        )
    )


async def lines(db: AsyncSession, shift_id: str) -> list[tuple[str, str]]:
    rows = await db.scalars(
        select(WageLine)
        .where(WageLine.source_type == "shift", WageLine.source_id == shift_id)
        .execution_options(populate_existing=True)
    )
    return sorted((w.wage_key, f"{w.quantity:.2f}") for w in rows)


async def test_the_week_lists_every_change_and_the_leader_approves_it_in_one_action_twice_safely(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    evening = shift(world, 0, "15:00", "23:00")
    assert (await client.post("/api/shifts", json=evening)).status_code == 200
    day = shift(world, 2, "07:00", "15:00")
    assert (await client.post("/api/shifts", json=day)).status_code == 200
    assert (await client.post("/api/shifts", json=day | {"start": "08:00"})).status_code == 200  # moved
    await as_role(client, db, settings, world, Role.LEADER)
    early = shift(world, 1, "07:00", "15:00", override_reason="Sygdom, ingen anden kan dække")
    assert (await client.post("/api/shifts", json=early)).status_code == 200

    listed = await load(client, world)
    assert listed["state"] == "waiting" and listed["count"] == {"changes": 4, "overrides": 1}
    kinds = [(c["kind"], c["by_name"]) for c in listed["changes"]]
    assert kinds == [
        ("created", "leader person"),
        ("changed", "planner person"),
        ("created", "planner person"),
        ("created", "planner person"),
    ]
    assert listed["changes"][0]["override"]["reason"] == "Sygdom, ingen anden kan dække"
    assert listed["changes"][0]["findings"][0]["rule"] == "daily_rest"
    assert (
        listed["changes"][1]["was"]["start"] == "07:00" and listed["changes"][1]["when"]["start"] == "08:00"
    )

    inbox = (await client.get("/api/inbox")).json()
    item = next(i for i in inbox if i["record"]["type"] == "shift_week")
    assert item["title"] == f"Ugegodkendelse, uge {ISO.week}, Unit A1: 4 ændringer, 1 tilsidesat regel"
    assert item["title_en"] == f"Weekly approval, week {ISO.week}, Unit A1: 4 changes, 1 rule overridden"
    assert item["actions"] == ["approve"] and not item["blocked"]
    linked = await client.get(f"/api/shifts/approval/{item['record']['id']}")  # the item's link
    assert linked.status_code == 200 and linked.json()["version"] == listed["version"]

    approved = await approve(client, world, listed)
    assert approved.status_code == 200, approved.text
    done = approved.json()
    assert done["state"] == "approved" and done["approved"]["shifts"] == 3
    assert done["approved"]["by_name"] == "leader person" and done["approved"]["missing"] == []
    again = await approve(client, world, listed)  # pressed twice on the same list: nothing new
    assert again.status_code == 200 and again.json()["version"] == done["version"]
    assert all(i["record"]["type"] != "shift_week" for i in (await client.get("/api/inbox")).json())

    # The evening shift pays its hours and its evening supplement, per started half hour.
    assert await lines(db, evening["id"]) == [("shift_evening", "6.00"), ("shift_hours", "7.50")]
    assert await lines(db, day["id"]) == [("shift_hours", "6.50")]  # as changed: 08:00–15:00
    logged = await db.scalars(
        select(AuditEvent).where(AuditEvent.entity == "shift_week", AuditEvent.entity_id == done["id"])
    )
    assert sorted(e.action for e in logged) == [
        "approve",
        "approve_shift_week",
    ]  # the step, and who approved what


async def test_a_change_after_the_list_was_loaded_is_not_approved_silently(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.LEADER)
    first = shift(world, 0, "07:00", "15:00")
    assert (await client.post("/api/shifts", json=first)).status_code == 200
    listed = await load(client, world)
    await as_role(client, db, settings, world, Role.PLANNER)
    later = shift(world, 3, "07:00", "15:00")
    assert (await client.post("/api/shifts", json=later)).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    stale = await approve(client, world, listed)
    assert stale.status_code == 409
    assert "Der er kommet 1 ændring(er) til, siden du hentede listen" in stale.json()["detail"]
    assert await lines(db, first["id"]) == []  # nothing approved

    fresh = await load(client, world)
    assert (await approve(client, world, fresh)).status_code == 200
    assert await lines(db, later["id"]) == [("shift_hours", "7.50")]

    # A change after the approval puts the week back in the inbox and takes the unexported lines back.
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=later | {"end": "14:00"})).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    reopened = await load(client, world)
    assert reopened["state"] == "waiting" and reopened["count"]["changes"] == 1
    assert await lines(db, later["id"]) == []
    assert await lines(db, first["id"]) == [("shift_hours", "7.50")]  # unchanged shifts stay approved


async def test_a_pushed_change_and_a_swap_reach_the_list_and_only_the_units_leader_approves(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    tablet = Device(client, "shift")
    fields = {k: v for k, v in shift(world, 1, "07:00", "15:00").items() if k != "id"}
    pushed = new_id()
    assert (await tablet.push(tablet.put(pushed, fields)))["results"][0]["status"] == "applied"
    planner = await client.get(approval_url(world), params={"week": WEEK})
    assert planner.status_code == 403 and "Kun enhedens leder" in planner.json()["detail"]
    bad = await client.get(approval_url(world), params={"week": "2026-49"})
    assert bad.status_code == 400

    await sign_in(client, db, world.in_a1, settings)
    swap = {"id": new_id(), "shift": pushed, "to": world.by_role[Role.EMPLOYEE].id}
    assert (await client.post("/api/shifts/swaps", json=swap)).status_code == 200
    await as_role(client, db, settings, world, Role.EMPLOYEE)
    assert (await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    assert (await client.post("/api/inbox/swap/approve", json={"ids": [swap["id"]]})).status_code == 200
    listed = await load(client, world)
    assert [(c["kind"], c["employee_name"]) for c in listed["changes"]] == [
        ("swap", "employee person"),
        ("created", "Employee in A1"),
    ]
    assert listed["changes"][0]["from_name"] == "Employee in A1"

    await sign_in(client, db, world.other_admin, settings)
    foreign = await client.get(approval_url(world), params={"week": WEEK})
    assert foreign.status_code == 404


async def test_each_event_enqueues_its_notification_once(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    employee = world.by_role[Role.EMPLOYEE]
    await as_role(client, db, settings, world, Role.PLANNER)
    body = {
        "id": new_id(),
        "unit": world.units["A"].id,
        "date": MONDAY.isoformat(),
        "start": "07:00",
        "end": "15:00",
    }
    offered = (await client.post("/api/shifts/open", json=body)).json()["offered"]
    assert (await client.post("/api/shifts/open", json=body)).status_code == 200  # twice: told once
    sent = await jobs(db, "notify.send", world)
    assert [(j.payload["to"], j.payload["message"]["title"][0]) for j in sent] == [
        (sorted(offered), "Ledig vagt")
    ]
    await sign_in(client, db, employee, settings)
    assert (await client.post("/api/shifts/open/take", json={"id": body["id"]})).status_code == 200
    assert (await client.post("/api/shifts/open/take", json={"id": body["id"]})).status_code == 200
    sent = await jobs(db, "notify.send", world)
    told = {j.payload["message"]["title"][0]: j.payload["to"] for j in sent[1:]}
    assert told == {"Vagten er din": [employee.id], "Vagten er taget": sorted(set(offered) - {employee.id})}
    waiting = await jobs(db, "notify.waiting", world)
    assert [j.payload["capability"] for j in waiting] == ["approve_shift_weeks"]  # the week, once

    mine = shift(world, 2, "07:00", "15:00")
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=mine)).status_code == 200
    await sign_in(client, db, world.in_a1, settings)
    swap = {"id": new_id(), "shift": mine["id"], "to": employee.id}
    assert (await client.post("/api/shifts/swaps", json=swap)).status_code == 200
    await sign_in(client, db, employee, settings)
    assert (await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    refused = await client.post(
        "/api/inbox/swap/reject", json={"ids": [swap["id"]], "note": "Mangler kørekort"}
    )
    assert refused.status_code == 200, refused.text
    sent = await jobs(db, "notify.send", world)
    swaps = [
        (j.payload["message"]["title"][0], j.payload["to"]) for j in sent if "swap" in (j.dedupe_key or "")
    ]
    both = sorted([world.in_a1.id, employee.id])
    assert swaps == [
        ("Vagtbytte tilbudt", [employee.id]),
        ("Vagtbytte accepteret", both),
        ("Vagtbytte afvist", both),
    ]
    assert "Begrundelse: Mangler kørekort" in sent[-1].payload["message"]["body"][0]
    # The open shift's unit A's week, Anna's unit A1's week (each once), and the swap waiting for the leader.
    assert [j.payload["capability"] for j in await jobs(db, "notify.waiting", world)] == [
        "approve_shift_weeks",
        "approve_shift_weeks",
        "approve_shift_swaps",
    ]
