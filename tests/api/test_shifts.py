"""Shift planning over HTTP (SQLite and PostgreSQL): the planner's shift is the employee's, the rest rules
refuse in words, a leader overrides with a kept reason, bad input is answered in words, pushes are checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import today
from backend.settings import Settings
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio

MONDAY = today() - dt.timedelta(days=today().weekday()) + dt.timedelta(days=7)


def day(n: int) -> str:
    return (MONDAY + dt.timedelta(days=n)).isoformat()


def shift(world: World, n: int, start: str, end: str, **changes: Any) -> dict[str, Any]:
    body = {
        "id": new_id(),
        "employee": world.in_a1.id,
        "unit": world.units["A1"].id,
        "date": day(n),
        "start": start,
        "end": end,
        "break_minutes": 30,
        "shift_type": "Dag",
    }
    return body | changes


async def as_role(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World, role: Role
) -> None:
    await sign_in(client, db, world.by_role[role], settings)


async def test_a_planners_shift_is_the_employees_and_reaches_her_phone(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    body = shift(world, 0, "07:00", "15:00")
    saved = await client.post("/api/shifts", json=body)
    assert saved.status_code == 200, saved.text
    fields = saved.json()["fields"]
    assert fields["clock"]["minutes"] == 480 and fields["clock"]["paid_minutes"] == 450
    assert fields["rules"] == {"findings": [], "override": None}
    again = await client.post("/api/shifts", json=body)  # pressed twice: nothing new
    assert again.json()["version"] == saved.json()["version"]

    await sign_in(client, db, world.in_a1, settings)
    mine = await Device(client, "shift").pull()
    assert mine[body["id"]]["owner_id"] == world.in_a1.id
    assert mine[body["id"]]["fields"]["start"] == "07:00"
    await sign_in(client, db, world.in_b, settings)
    assert body["id"] not in await Device(client, "shift").pull()


async def test_eleven_hour_rule_refuses_in_words_and_a_leader_overrides_with_a_kept_reason(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=shift(world, 0, "15:00", "23:00"))).status_code == 200
    morning = shift(world, 1, "07:00", "15:00")
    refused = await client.post("/api/shifts", json=morning)
    assert refused.status_code == 409
    assert "11-timers-reglen: kun 8 t hvile fra man. 23:00 til tir. 07:00" in refused.json()["detail"]
    english = await client.post("/api/shifts", json=morning, headers={"accept-language": "en"})
    assert "The 11-hour rule: only 8 h rest from Mon 23:00 to Tue 07:00" in english.json()["detail"]
    # A planner cannot override; a leader can, and the reason is kept on the shift.
    with_reason = morning | {"override_reason": "Sygdom, ingen anden kan dække"}
    assert (await client.post("/api/shifts", json=with_reason)).status_code == 403
    await as_role(client, db, settings, world, Role.LEADER)
    assert (await client.post("/api/shifts", json=morning)).status_code == 409  # no reason: still refused
    saved = await client.post("/api/shifts", json=with_reason)
    assert saved.status_code == 200, saved.text
    rules = saved.json()["fields"]["rules"]
    assert rules["findings"][0]["rule"] == "daily_rest"
    assert rules["override"]["reason"] == "Sygdom, ingen anden kan dække"
    assert rules["override"]["by"] == world.by_role[Role.LEADER].id
    again = await client.post("/api/shifts", json=morning)  # resent without the reason: the override stands
    assert again.status_code == 200 and again.json()["version"] == saved.json()["version"]


async def test_bad_shifts_are_answered_in_words(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.LEADER)
    zero = await client.post("/api/shifts", json=shift(world, 0, "07:00", "07:00"))
    assert zero.status_code == 400 and "mere end 0 minutter" in zero.json()["detail"]
    long = await client.post("/api/shifts", json=shift(world, 0, "06:00", "23:00"))
    assert long.status_code == 400 and "højst vare 16 t" in long.json()["detail"]
    clock = await client.post("/api/shifts", json=shift(world, 0, "7", "15:00"))
    assert clock.status_code == 400 and "Start har ikke den rigtige form" in clock.json()["detail"]
    assert (await client.post("/api/shifts", json=shift(world, 2, "07:00", "15:00"))).status_code == 200
    overlap = shift(world, 2, "12:00", "20:00", override_reason="kan ikke tilsidesættes")
    answer = await client.post("/api/shifts", json=overlap)
    assert answer.status_code == 409 and "Overlapper en anden vagt" in answer.json()["detail"]
    unknown = await client.post(
        "/api/shifts", json=shift(world, 3, "07:00", "15:00", employee=world.other_employee.id)
    )
    assert unknown.status_code == 400


async def test_planning_is_fenced_to_the_planners_units(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    other = await client.post("/api/shifts", json=shift(world, 0, "07:00", "15:00", unit=world.units["B"].id))
    assert other.status_code == 403
    foreign = await client.post(
        "/api/shifts", json=shift(world, 0, "07:00", "15:00", unit=world.other_unit.id)
    )
    assert foreign.status_code == 404
    await as_role(client, db, settings, world, Role.EMPLOYEE)
    assert (await client.post("/api/shifts", json=shift(world, 0, "07:00", "15:00"))).status_code == 403


async def test_week_view_and_shift_types(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    unit = world.units["A"].id
    added = await client.post(
        f"/api/shifts/units/{unit}/types",
        json={"name": "Nat", "start": "23:00", "end": "07:00", "competences": ["medicin-kursus", " "]},
    )
    assert added.status_code == 201, added.text
    assert added.json()["competences"] == ["medicin-kursus"]
    bad = await client.post(
        f"/api/shifts/units/{unit}/types", json={"name": "X", "start": "07:00", "end": "07:00"}
    )
    assert bad.status_code == 400
    assert [t["name"] for t in (await client.get(f"/api/shifts/units/{unit}/types")).json()] == ["Nat"]
    await client.post("/api/shifts", json=shift(world, 1, "23:00", "07:00", break_minutes=0))
    iso = MONDAY.isocalendar()
    week = (
        await client.get(f"/api/shifts/units/{unit}/week", params={"week": f"{iso.year}-W{iso.week:02d}"})
    ).json()
    assert week["first"] == MONDAY.isoformat()
    assert world.in_a1.id in [p["id"] for p in week["people"]]
    assert [(s["date"], s["start"], s["owner_id"]) for s in week["shifts"]] == [
        (day(1), "23:00", world.in_a1.id)
    ]
    assert (await client.get(f"/api/shifts/units/{unit}/week", params={"week": "uge 50"})).status_code == 400


async def test_a_pushed_shift_is_checked_by_the_same_rules(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    tablet = Device(client, "shift")
    fields = {k: v for k, v in shift(world, 0, "07:00", "11:00").items() if k != "id"}
    later = fields | {"start": "17:00", "end": "21:00"}  # a split duty of 14 hours
    ids = [new_id(), new_id()]
    results = (await tablet.push(tablet.put(ids[0], fields), tablet.put(ids[1], later)))["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    pulled = await tablet.pull()
    findings = pulled[ids[1]]["fields"]["rules"]["findings"]
    assert findings and findings[0]["rule"] == "daily_rest"
    assert "kun 6 t hvile" in findings[0]["da"]
    assert pulled[ids[1]]["fields"]["clock"]["minutes"] == 240


async def test_an_open_shift_is_offered_only_to_those_who_may_take_it_and_the_first_gets_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=shift(world, 0, "15:00", "23:00"))).status_code == 200
    body = {"id": new_id(), "unit": world.units["A"].id, "date": day(1), "start": "07:00", "end": "15:00"}
    offered = await client.post("/api/shifts/open", json=body)
    assert offered.status_code == 200, offered.text
    people = offered.json()["offered"]
    # Anna in A1 ends at 23:00 the evening before: 8 hours' rest, so she is not offered it.
    assert world.in_a1.id not in people
    assert world.by_role[Role.EMPLOYEE].id in people and world.by_role[Role.SUBSTITUTE].id in people
    assert world.in_b.id not in people  # another unit
    assert (await client.post("/api/shifts/open", json=body)).json()["version"] == offered.json()["version"]

    await sign_in(client, db, world.in_a1, settings)
    assert (await client.post("/api/shifts/open/take", json={"id": body["id"]})).status_code == 404
    await as_role(client, db, settings, world, Role.EMPLOYEE)
    phone = Device(client, "open_shift")
    assert body["id"] in await phone.pull()  # offered: it reaches her phone
    taken = await client.post("/api/shifts/open/take", json={"id": body["id"]})
    assert taken.status_code == 200, taken.text
    assert taken.json()["state"] == "taken"
    assert taken.json()["fields"]["taken"]["by"] == world.by_role[Role.EMPLOYEE].id
    assert (await client.post("/api/shifts/open/take", json={"id": body["id"]})).status_code == 200  # twice
    mine = [r for r in (await phone.pull()).values() if r["type"] == "shift"]
    assert [(r["owner_id"], r["fields"]["start"], r["fields"]["clock"]["minutes"]) for r in mine] == [
        (world.by_role[Role.EMPLOYEE].id, "07:00", 480)
    ]
    await as_role(client, db, settings, world, Role.SUBSTITUTE)
    late = await client.post("/api/shifts/open/take", json={"id": body["id"]})
    assert late.status_code == 409 and "allerede taget" in late.json()["detail"]


async def test_a_units_rules_are_data_the_leader_sets_and_the_week_shows_norm_balances(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    unit = world.units["A"].id
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.put(f"/api/shifts/units/{unit}/rules", json={"norm_weeks": 4})).status_code == 403
    await as_role(client, db, settings, world, Role.LEADER)
    bad = await client.put(f"/api/shifts/units/{unit}/rules", json={"reduced_rest_minutes": 300})
    assert bad.status_code == 400 and "nedsat hvile 8–11 t" in bad.json()["detail"]
    daycare = {
        "reduced_rest_minutes": 480,
        "reduced_per_week": 1,
        "norm_weeks": 4,
        "norm_anchor": MONDAY.isoformat(),
    }
    assert (await client.put(f"/api/shifts/units/{unit}/rules", json=daycare)).status_code == 200
    # A1 inherits A's profile: one 8-hour rest a week is allowed, the second is refused.
    assert (await client.post("/api/shifts", json=shift(world, 0, "15:00", "23:00"))).status_code == 200
    assert (await client.post("/api/shifts", json=shift(world, 1, "07:00", "14:00"))).status_code == 200
    assert (await client.post("/api/shifts", json=shift(world, 2, "15:00", "23:00"))).status_code == 200
    second = await client.post("/api/shifts", json=shift(world, 3, "07:00", "14:00"))
    assert second.status_code == 409 and "11-timers-reglen" in second.json()["detail"]
    iso = MONDAY.isocalendar()
    week = (
        await client.get(f"/api/shifts/units/{unit}/week", params={"week": f"{iso.year}-W{iso.week:02d}"})
    ).json()
    assert list(week["balances"]) == [str(world.in_a1.id)]  # colleagues with no shift get no balance
    anna = week["balances"][str(world.in_a1.id)]
    assert anna["first"] == MONDAY.isoformat() and anna["norm"] % 444 == 0
    assert anna["planned"] == 3 * 450 - 60 and anna["worked"] == 0  # 7.5 + 6.5 + 7.5 paid hours ahead
    assert anna["projected"] == anna["planned"] - anna["norm"] and anna["band"] == 1200


async def test_a_swap_is_offered_only_to_colleagues_who_may_take_it_and_waits_for_the_leader_or_not(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    anna, employee, substitute = world.in_a1, world.by_role[Role.EMPLOYEE], world.by_role[Role.SUBSTITUTE]
    await as_role(client, db, settings, world, Role.PLANNER)
    mine = shift(world, 1, "07:00", "15:00", unit=world.units["A"].id)
    assert (await client.post("/api/shifts", json=mine)).status_code == 200
    # The substitute ends an evening at 23:00 the day before: 8 hours' rest, so she is not offered it.
    late = shift(world, 0, "15:00", "23:00", employee=substitute.id, unit=world.units["A"].id)
    assert (await client.post("/api/shifts", json=late)).status_code == 200

    await sign_in(client, db, anna, settings)
    named = await client.post(
        "/api/shifts/swaps", json={"id": new_id(), "shift": mine["id"], "to": substitute.id}
    )
    assert named.status_code == 409 and "11-timers-reglen" in named.json()["detail"]
    swap = {"id": new_id(), "shift": mine["id"]}
    offered = await client.post("/api/shifts/swaps", json=swap)
    assert offered.status_code == 200, offered.text
    assert employee.id in offered.json()["offered"] and substitute.id not in offered.json()["offered"]
    assert anna.id not in offered.json()["offered"]
    assert (
        await client.post("/api/shifts/swaps", json={"id": new_id(), "shift": new_id()})
    ).status_code == 404

    await sign_in(client, db, substitute, settings)
    assert (await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})).status_code == 404
    await sign_in(client, db, employee, settings)
    accepted = await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"  # waits for the leader

    await as_role(client, db, settings, world, Role.LEADER)
    inbox = (await client.get("/api/inbox")).json()
    assert swap["id"] in str(inbox)
    approved = await client.post("/api/inbox/swap/approve", json={"ids": [swap["id"]]})
    assert approved.status_code == 200, approved.text
    leader = Device(client, "shift")
    moved = (await leader.pull())[mine["id"]]
    assert moved["owner_id"] == employee.id and moved["fields"]["employee"] == employee.id


async def test_a_swap_approves_itself_when_the_unit_allows_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.LEADER)
    unit = world.units["A"].id
    assert (
        await client.put(f"/api/shifts/units/{unit}/rules", json={"swaps_approve_themselves": True})
    ).status_code == 200
    mine = shift(world, 2, "07:00", "15:00")
    assert (await client.post("/api/shifts", json=mine)).status_code == 200
    await sign_in(client, db, world.in_a1, settings)
    swap = {"id": new_id(), "shift": mine["id"], "to": world.by_role[Role.EMPLOYEE].id}
    assert (await client.post("/api/shifts/swaps", json=swap)).status_code == 200
    await as_role(client, db, settings, world, Role.EMPLOYEE)
    accepted = await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})
    assert accepted.json()["state"] == "approved"
    assert (
        await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})
    ).status_code == 200  # twice
    shifts = {r["id"]: r for r in (await Device(client, "shift").pull()).values()}
    assert shifts[mine["id"]]["owner_id"] == world.by_role[Role.EMPLOYEE].id
    await sign_in(client, db, world.in_a1, settings)
    assert mine["id"] not in await Device(client, "shift").pull()  # no longer hers


async def test_a_planner_deletes_a_shift_through_sync_and_the_employee_loses_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    body = shift(world, 0, "07:00", "15:00")
    assert (await client.post("/api/shifts", json=body)).status_code == 200
    tablet = Device(client, "shift")
    assert body["id"] in await tablet.pull()
    [result] = (await tablet.push(tablet.delete(body["id"])))["results"]
    assert result["status"] == "applied", result
    await sign_in(client, db, world.in_a1, settings)
    phone = Device(client, "shift")
    pulled = await phone.pull()
    assert body["id"] not in pulled or pulled[body["id"]]["deleted"]


async def test_my_norm_balance_counts_my_paid_shifts_in_the_period(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=shift(world, 0, "07:00", "15:00"))).status_code == 200
    await sign_in(client, db, world.in_a1, settings)
    mine = (await client.get("/api/shifts/balance")).json()
    if mine is None:  # the shift (next Monday) fell in the next normperiode: none in this one
        assert day(0) > today().isoformat()
        return
    assert mine["first"] <= today().isoformat() <= mine["last"]
    assert mine["band"] == 20 * 60 and mine["norm"] % 444 == 0
    planned_here = 450 if mine["first"] <= day(0) <= mine["last"] else 0  # next Monday may be a new period
    assert mine["worked"] + mine["planned"] == planned_here
    assert mine["projected"] == mine["worked"] + mine["planned"] - mine["norm"]


async def test_two_planners_offline_the_same_shift_is_a_conflict_different_shifts_merge(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Issue 13, bad input: a plan edited offline by two planners. Both tablets saw the same two shifts; the
    planner moves shift A's start, the leader moves shift A's start too and shift B's end. The first to sync
    wins shift A; the second is told it is a conflict on "start" with the server's record (nothing lost: its
    value stays on the tablet to resolve) and its change to shift B is merged."""
    world = await build_world(db)
    await as_role(client, db, settings, world, Role.PLANNER)
    planner = Device(client, "shift")
    a, b = new_id(), new_id()
    fields_a = {k: v for k, v in shift(world, 1, "07:00", "15:00").items() if k != "id"}
    fields_b = {k: v for k, v in shift(world, 3, "07:00", "15:00").items() if k != "id"}
    first = await planner.push(planner.put(a, fields_a), planner.put(b, fields_b))
    assert [r["status"] for r in first["results"]] == ["applied", "applied"]

    moved = await planner.push(planner.put(a, {"start": "08:00"}, {"start": "07:00"}))
    assert moved["results"][0]["status"] == "applied"

    await as_role(client, db, settings, world, Role.LEADER)
    leader = Device(client, "shift")
    result = await leader.push(
        leader.put(a, {"start": "09:00"}, {"start": "07:00"}),
        leader.put(b, {"end": "14:00"}, {"end": "15:00"}),
    )
    clash, merged = result["results"]
    assert clash["status"] == "conflict" and clash["fields"] == ["start"]
    assert clash["record"]["fields"]["start"] == "08:00"  # the server's, for the leader to choose from
    assert merged["status"] == "applied" and merged["record"]["fields"]["end"] == "14:00"
    assert merged["record"]["fields"]["start"] == "07:00"
    resolved = await leader.push(leader.put(a, {"start": "09:00"}, {"start": "08:00"}))
    assert resolved["results"][0]["status"] == "applied"
    assert resolved["results"][0]["record"]["fields"]["start"] == "09:00"
