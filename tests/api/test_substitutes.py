"""Substitutes' hours on the shared mechanisms: an entry placed on the unit she worked at gets its pay
basis from the rules, overlaps are refused in words, the secretary approves rule-clean entries in one
go or rejects with a reason, and approved entries feed payroll with their wage types."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import segno
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import today
from backend.features.payroll.models import WageLine
from backend.features.substitutes.controller import checkin_link
from backend.features.substitutes.models import SubstituteRate
from backend.features.worktime.holidays_dk import is_public_holiday, is_working_day
from backend.settings import Settings
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio

ENTRY = "substitute_entry"


def _recent_weekday() -> dt.date:
    """A recent ordinary weekday (Tuesday–Thursday, not a holiday): no weekend supplement, never too old."""
    day = today() - dt.timedelta(days=2)
    while day.weekday() not in (1, 2, 3) or is_public_holiday(day):
        day -= dt.timedelta(days=1)
    return day


DAY = _recent_weekday()
TUESDAY = DAY.isoformat()
NEXT_DAY = (DAY + dt.timedelta(days=1)).isoformat()
LATER_DAY = (DAY + dt.timedelta(days=2)).isoformat()
SHOWN = f"{DAY.day}/{DAY.month}"


def entry(world: World, **changes: Any) -> dict[str, Any]:
    fields = {
        "date": TUESDAY,
        "start": "08:00",
        "end": "12:00",
        "cover": "4.A dansk",
        "unit": world.units["A1"].id,
    }
    return fields | changes


async def with_rate(db: AsyncSession, world: World, hourly: str = "200.00") -> None:
    db.add(
        SubstituteRate(
            municipality_id=world.municipality.id,
            profile="teacher_kl",
            effective_from=dt.date(2026, 1, 1),
            hourly_kr=Decimal(hourly),
        )
    )
    await db.commit()


async def as_substitute(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World
) -> Device:
    await sign_in(client, db, world.by_role[Role.SUBSTITUTE], settings)
    return Device(client, ENTRY)


async def register(device: Device, *entries: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    ids = [new_id() for _ in entries]
    mutations = [device.put(i, e) for i, e in zip(ids, entries, strict=True)]
    mutations += [device.move(i, "submit") for i in ids]
    return ids, (await device.push(*mutations))["results"]


async def test_an_entry_shows_hours_minimum_time_top_up_supplements_rate_and_amount(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    short = entry(world, start="10:00", end="11:00")
    evening = entry(world, start="16:00", end="19:30", break_minutes=30)
    (short_id, evening_id), results = await register(device, short, evening)
    assert {r["status"] for r in results} == {"applied"}, results
    records = await device.pull()
    calc = records[short_id]["fields"]["calc"]
    assert records[short_id]["unit_id"] == world.units["A1"].id  # placed on the unit she worked at
    assert records[short_id]["owner_id"] == world.by_role[Role.SUBSTITUTE].id  # about her
    assert (calc["hours"], calc["top_up_hours"], calc["paid_hours"]) == ("1.00", "1.00", "2.00")
    assert calc["top_up_rule"]["da"].startswith("Hævet til mindst 2.00 timer pr. tilkald")
    assert (calc["hourly_kr"], calc["amount"], calc["problems"]) == ("200.00", "400.00", [])
    calc = records[evening_id]["fields"]["calc"]
    # 16:00–19:30 less 30 min break: 3 h worked; the break comes off the 1 ordinary hour first.
    assert (calc["hours"], calc["top_up_hours"]) == ("3.00", "0.00")
    [evening_part] = calc["supplements"]
    assert (evening_part["kind"], evening_part["hours"], evening_part["rate"]) == ("evening", "2.50", "36")
    assert evening_part["amount"] == "180.00"  # 2.5 h × 200 kr × 36 %
    assert calc["amount"] == "780.00"
    assert records[evening_id]["state"] == "registered"


async def test_check_in_then_check_out_registers_the_entry(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    eid = new_id()
    checked_in = {k: v for k, v in entry(world).items() if k not in ("end", "cover")}
    [result] = (await device.push(device.put(eid, checked_in)))["results"]
    assert result["status"] == "applied" and result["record"]["state"] == "draft"
    assert result["record"]["fields"]["calc"] == {}  # no end yet: nothing to pay
    [again] = (await device.push(device.put(new_id(), entry(world, start="09:00", end="10:00"))))["results"]
    assert again["status"] == "rejected"
    assert again["reason"] == f"Overlapper med din registrering på Unit A1 {SHOWN} fra 08:00."
    results = (
        await device.push(device.put(eid, {"end": "12:00", "cover": "4.A"}), device.move(eid, "submit"))
    )["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[-1]["record"]["fields"]["calc"]["amount"] == "800.00"


async def test_overlapping_entries_are_refused_in_words(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    _, results = await register(device, entry(world))
    assert {r["status"] for r in results} == {"applied"}
    [overlapping] = (await device.push(device.put(new_id(), entry(world, start="11:30", end="13:00"))))[
        "results"
    ]
    assert overlapping["status"] == "rejected"
    assert overlapping["reason"] == f"Overlapper med din registrering på Unit A1 {SHOWN} 08:00–12:00."
    assert overlapping["reason_en"] == f"Overlaps your entry at Unit A1 on {SHOWN} 08:00–12:00."
    [touching] = (await device.push(device.put(new_id(), entry(world, start="12:00", end="13:00"))))[
        "results"
    ]
    assert touching["status"] == "applied"  # ending at 12:00 and starting at 12:00 do not overlap


async def test_an_entry_on_a_unit_she_is_not_booked_at_is_refused(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device = await as_substitute(client, db, settings, world)
    for unit in (world.units["B"].id, world.other_unit.id):
        [result] = (await device.push(device.put(new_id(), entry(world, unit=unit))))["results"]
        assert result["status"] == "rejected", result


async def test_a_missing_rate_is_said_never_paid_as_zero_and_blocks_approval(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device = await as_substitute(client, db, settings, world)
    [eid], _ = await register(device, entry(world))
    calc = (await device.pull())[eid]["fields"]["calc"]
    assert calc["amount"] is None and calc["hours"] == "4.00"
    assert [p["code"] for p in calc["problems"]] == ["rate_missing"]
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    [refused] = (await client.post(f"/api/inbox/{ENTRY}/approve", json={"ids": [eid]})).json()
    assert refused["status"] == "rejected" and "ingen timeløn" in refused["reason"]


async def test_the_secretary_approves_in_one_go_rejects_with_a_reason_and_payroll_gets_wage_types(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    ids, _ = await register(
        device,
        entry(world, start="10:00", end="11:00"),
        entry(world, start="17:00", end="19:00"),
        entry(world, date=NEXT_DAY, start="08:00", end="12:00"),
    )
    await sign_in(client, db, world.by_role[Role.LEADER], settings)
    assert not [i for i in (await client.get("/api/inbox")).json() if i["record"]["id"] in ids]
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    queue = [i for i in (await client.get("/api/inbox")).json() if i["record"]["id"] in ids]
    assert len(queue) == 3 and all(i["actions"] == ["approve", "reject"] for i in queue)
    assert all(i["record"]["fields"]["calc"]["amount"] for i in queue)  # she sees the pay, not only hours
    no_reason = (await client.post(f"/api/inbox/{ENTRY}/reject", json={"ids": [ids[2]]})).json()[0]
    assert no_reason["status"] == "rejected"
    rejected = await client.post(f"/api/inbox/{ENTRY}/reject", json={"ids": [ids[2]], "note": "Forkert dato"})
    assert rejected.json()[0]["status"] == "applied"
    approved = (await client.post(f"/api/inbox/{ENTRY}/approve", json={"ids": ids[:2]})).json()
    assert [r["status"] for r in approved] == ["applied", "applied"]
    twice = (await client.post(f"/api/inbox/{ENTRY}/approve", json={"ids": ids[:2]})).json()
    assert {r["status"] for r in twice} != {"applied"} or all(r.get("duplicate") for r in twice)

    lines = (await db.scalars(select(WageLine).where(WageLine.source_id.in_(ids)))).all()
    got = sorted(
        (line.source_id == ids[0], line.wage_key, line.quantity, line.rate, line.amount) for line in lines
    )
    assert got == sorted(
        [
            (True, "substitute_hours", Decimal("1.00"), Decimal("200.0000"), Decimal("200.00")),
            (True, "substitute_top_up", Decimal("1.00"), Decimal("200.0000"), Decimal("200.00")),
            (False, "substitute_hours", Decimal("2.00"), Decimal("200.0000"), Decimal("400.00")),
            (False, "substitute_evening", Decimal("2.00"), Decimal("72.0000"), Decimal("144.00")),
        ]
    )

    await sign_in(client, db, world.by_role[Role.SUBSTITUTE], settings)
    records = await device.pull()
    assert records[ids[0]]["state"] == "approved" and records[ids[0]]["fields"]["payroll"]["month"]
    assert records[ids[2]]["state"] == "rejected" and records[ids[2]]["history"][-1]["note"] == "Forkert dato"
    [locked] = (await device.push(device.put(ids[0], {"end": "12:00"})))["results"]
    assert locked["status"] == "rejected"  # approved entries are locked
    fixed = (await device.push(device.put(ids[2], {"date": LATER_DAY}), device.move(ids[2], "submit")))[
        "results"
    ]
    assert [r["status"] for r in fixed] == ["applied", "applied"]
    assert records[ids[2]]["history"]  # the history stays


async def test_the_deadline_is_shown_and_an_entry_too_far_back_is_refused_with_the_reason(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    [eid], _ = await register(device, entry(world))
    shown = (await device.pull())[eid]["fields"]["calc"]["deadline"]
    assert shown["da"].startswith(("Frist: 5. ", "Registreret efter fristen 5. "))
    month_back = (today().replace(day=1) - dt.timedelta(days=100)).replace(day=15)
    [old] = (await device.push(device.put(new_id(), entry(world, date=month_back.isoformat()))))["results"]
    assert old["status"] == "rejected" and old["reason"].startswith("For gammel: timer for ")


async def test_one_unbroken_month_flags_the_right_to_monthly_pay_on_her_entries(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    days, day = [], today() - dt.timedelta(days=40)
    while day < today():
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    ids = [new_id() for _ in days]
    results = (
        await device.push(
            *[device.put(i, entry(world, date=d.isoformat())) for i, d in zip(ids, days, strict=True)]
        )
    )["results"]
    assert {r["status"] for r in results} == {"applied"}
    calc = (await device.pull())[ids[-1]]["fields"]["calc"]
    assert "monthly_pay" in calc, calc
    flag = calc["monthly_pay"]
    assert flag["status"] == "right" and flag["da"].startswith("Ret til månedsløn fra ")


async def test_the_secretary_prints_her_units_check_in_code(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    unit = world.units["A1"]
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    answer = await client.get(f"/api/substitutes/units/{unit.id}/checkin.svg")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    base = str(client.base_url).rstrip("/")
    link = checkin_link(base, unit.id)
    assert link == f"{base}/?vikar_enhed={unit.id}#/vikar"
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="svg", scale=8, border=4, title=unit.name)
    assert answer.content == expected.getvalue()  # the code carries exactly the check-in link
    await sign_in(client, db, world.by_role[Role.SUBSTITUTE], settings)
    refused = await client.get(f"/api/substitutes/units/{unit.id}/checkin.svg")
    assert refused.status_code == 403 and "sekretær" in refused.json()["detail"]


async def test_an_admin_enters_the_hourly_wage_and_open_entries_are_recalculated(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    device = await as_substitute(client, db, settings, world)
    [eid], _ = await register(device, entry(world))
    assert (await device.pull())[eid]["fields"]["calc"]["amount"] is None  # no wage yet: said, not 0
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    figures = {
        "rates": [{"profile": "teacher_kl", "effective_from": "2026-01-01", "hourly_kr": "210.50"}],
        "deadline_day": 5,
        "deadline_clock": "16:00",
        "max_months_back": 2,
    }
    for _ in range(2):  # the same figures twice change nothing
        saved = await client.put("/api/substitutes/settings", json=figures)
        assert saved.status_code == 200, saved.text
        assert saved.json()["rates"][0]["hourly_kr"] in ("210.50", 210.5)
    wrong = await client.put(
        "/api/substitutes/settings", json=figures | {"rates": [{**figures["rates"][0], "profile": "x"}]}
    )
    assert wrong.status_code == 400 and wrong.json()["detail"] == "Ukendt overenskomst: x."
    late = await client.put("/api/substitutes/settings", json=figures | {"deadline_clock": "25:00"})
    assert late.status_code == 400
    await sign_in(client, db, world.by_role[Role.SUBSTITUTE], settings)
    assert (await device.pull())[eid]["fields"]["calc"]["amount"] == "842.00"  # 4 h × 210.50
