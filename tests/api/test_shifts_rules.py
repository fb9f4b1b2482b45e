"""The shift rules that reach money and offers, over HTTP (SQLite and PostgreSQL): the special supplement
days in the approved pay and the payroll feed, a week reopened after export paid only the difference,
the flex band for swaps and open shifts, and offers checked again when they are taken."""

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
from backend.features.payroll.models import WageLine
from backend.features.worktime.norm import norm_minutes
from backend.features.worktime.rest import hours_text
from backend.settings import Settings
from tests.api.test_shifts import MONDAY, as_role, day, shift
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio


def week_of(when: dt.date) -> str:
    iso = when.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


async def approve_week(client: AsyncTestClient, world: World, when: dt.date, unit: str = "A1") -> Any:
    url = f"/api/shifts/units/{world.units[unit].id}/approval"
    listed = await client.get(url, params={"week": week_of(when)})
    assert listed.status_code == 200, listed.text
    body = {
        "week": week_of(when),
        "version": listed.json()["version"],
        "changes": listed.json()["count"]["changes"],
    }
    done = await client.post(url, json=body)
    assert done.status_code == 200, done.text
    return done.json()


async def wage_lines(db: AsyncSession, shift_id: str) -> list[tuple[str, str, int, bool]]:
    """(wage type, hours, correction round, exported) of the shift's lines."""
    rows = await db.scalars(
        select(WageLine)
        .where(WageLine.source_type == "shift", WageLine.source_id == shift_id)
        .execution_options(populate_existing=True)
    )
    return sorted((w.wage_key, f"{w.quantity:.2f}", w.correction, w.export_id is not None) for w in rows)


async def test_an_approved_new_years_eve_afternoon_shift_pays_the_holiday_supplement_from_12(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    eve = dt.date(today().year, 12, 31)
    await as_role(client, db, settings, world, Role.PLANNER)
    body = shift(world, 0, "11:00", "19:00", date=eve.isoformat())  # 30 minutes' break
    assert (await client.post("/api/shifts", json=body)).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    done = await approve_week(client, world, eve)
    assert done["approved"]["missing"] == []
    # 11–12 ordinary (the break is taken from it), 12–19 the holiday supplement (50 % beats the evening's).
    assert await wage_lines(db, body["id"]) == [
        ("shift_hours", "7.50", 0, False),
        ("shift_sunday_holiday", "7.00", 0, False),
    ]
    listed = await client.get(
        f"/api/shifts/units/{world.units['A1'].id}/approval", params={"week": week_of(eve)}
    )
    [paid] = [s["pay"] for s in listed.json()["shifts"] if s["id"] == body["id"]]
    [holiday] = paid["supplements"]
    assert holiday["rate"] == "50" and holiday["unverified"]
    assert holiday["days"] == [
        {"key": "12-31", "da": "Nytårsaftensdag fra kl. 12", "en": "New Year's Eve from 12:00"}
    ]


async def test_a_week_reopened_after_export_pays_only_the_difference_and_a_removal_reverses_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Payroll that cannot pay twice: the exported line stays; the re-approval pays the difference in the
    next run; while the week waits again nothing more is owed; a removed shift's paid hours are reversed."""
    world = await build_world(db)
    worked = today() - dt.timedelta(days=today().weekday() + 7)  # last week's Monday: worked and ended
    await as_role(client, db, settings, world, Role.PLANNER)
    body = shift(world, 0, "07:00", "15:00", date=worked.isoformat())
    assert (await client.post("/api/shifts", json=body)).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    await approve_week(client, world, worked)
    hours = [line for line in await wage_lines(db, body["id"]) if line[0] == "shift_hours"]
    assert hours == [("shift_hours", "7.50", 0, False)]

    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    period = (await client.get("/api/payroll/exports")).json()["pending"][0]["period"]
    assert (await client.post("/api/payroll/exports", json={"period": period})).status_code == 201

    # She stayed an hour longer: the planner changes the shift; the week waits for the leader again.
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=body | {"end": "16:00"})).status_code == 200
    assert [line for line in await wage_lines(db, body["id"]) if line[0] == "shift_hours"] == [
        ("shift_hours", "7.50", 0, True)  # sent stands; nothing more until approved
    ]
    await as_role(client, db, settings, world, Role.LEADER)
    await approve_week(client, world, worked)
    assert [line for line in await wage_lines(db, body["id"]) if line[0] == "shift_hours"] == [
        ("shift_hours", "1.00", 1, False),  # only the difference, in the next run
        ("shift_hours", "7.50", 0, True),
    ]
    correction = await db.scalar(
        select(WageLine).where(WageLine.source_id == body["id"], WageLine.correction == 1)
    )
    assert correction is not None and correction.period > period

    # Removed after all (she never came): what was sent is reversed, the waiting correction replaced.
    await as_role(client, db, settings, world, Role.PLANNER)
    tablet = Device(client, "shift")
    await tablet.pull()
    [result] = (await tablet.push(tablet.delete(body["id"])))["results"]
    assert result["status"] == "applied", result
    hours = [line for line in await wage_lines(db, body["id"]) if line[0] == "shift_hours"]
    assert hours == [("shift_hours", "-7.50", 1, False), ("shift_hours", "7.50", 0, True)]
    rows = await db.scalars(
        select(WageLine).where(WageLine.source_id == body["id"]).execution_options(populate_existing=True)
    )
    assert sum((w.quantity for w in rows), Decimal(0)) == 0  # nothing paid for a shift not worked


async def _band_week(client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World) -> None:
    """Unit A: a one-week normperiode from MONDAY with a band of 0; the employee on Mon–Fri 07–15."""
    await as_role(client, db, settings, world, Role.LEADER)
    rules = {"norm_weeks": 1, "norm_anchor": MONDAY.isoformat(), "flex_band_minutes": 0}
    assert (await client.put(f"/api/shifts/units/{world.units['A'].id}/rules", json=rules)).status_code == 200
    await as_role(client, db, settings, world, Role.PLANNER)
    employee = world.by_role[Role.EMPLOYEE]
    for n in range(5):
        body = shift(world, n, "07:00", "15:00", employee=employee.id, unit=world.units["A"].id)
        assert (await client.post("/api/shifts", json=body)).status_code == 200, n


def _band_words() -> str:
    after = 5 * 450 + 450 - norm_minutes(MONDAY, MONDAY + dt.timedelta(days=6))
    return f"Normbånd: med vagten +{hours_text(after)} over normen i normperioden"


async def test_a_swap_is_not_offered_to_a_colleague_it_would_put_outside_the_norm_band(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    employee, substitute = world.by_role[Role.EMPLOYEE], world.by_role[Role.SUBSTITUTE]
    await _band_week(client, db, settings, world)
    saturday = shift(world, 5, "07:00", "15:00", unit=world.units["A"].id)  # Anna's
    assert (await client.post("/api/shifts", json=saturday)).status_code == 200

    await sign_in(client, db, world.in_a1, settings)
    named = await client.post(
        "/api/shifts/swaps", json={"id": new_id(), "shift": saturday["id"], "to": employee.id}
    )
    assert named.status_code == 409
    assert _band_words() in named.json()["detail"] and "højst +0 t" in named.json()["detail"]
    team = await client.post("/api/shifts/swaps", json={"id": new_id(), "shift": saturday["id"]})
    assert team.status_code == 200, team.text
    assert employee.id not in team.json()["offered"] and substitute.id in team.json()["offered"]

    # The open shift the same day: offered to those within the band only.
    await as_role(client, db, settings, world, Role.PLANNER)
    body = {"id": new_id(), "unit": world.units["A"].id, "date": day(5), "start": "15:30", "end": "22:00"}
    offered = await client.post("/api/shifts/open", json=body)
    assert offered.status_code == 200 and employee.id not in offered.json()["offered"]


async def test_a_swap_accepted_later_is_checked_again_and_refused_in_words_when_the_band_is_broken_now(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    employee = world.by_role[Role.EMPLOYEE]
    await as_role(client, db, settings, world, Role.LEADER)
    rules = {"norm_weeks": 1, "norm_anchor": MONDAY.isoformat(), "flex_band_minutes": 0}
    assert (await client.put(f"/api/shifts/units/{world.units['A'].id}/rules", json=rules)).status_code == 200
    await as_role(client, db, settings, world, Role.PLANNER)
    saturday = shift(world, 5, "07:00", "15:00", unit=world.units["A"].id)
    assert (await client.post("/api/shifts", json=saturday)).status_code == 200
    await sign_in(client, db, world.in_a1, settings)
    swap = {"id": new_id(), "shift": saturday["id"], "to": employee.id}
    assert (await client.post("/api/shifts/swaps", json=swap)).status_code == 200  # she had room then

    # Her plan fills up after the offer was made.
    await as_role(client, db, settings, world, Role.PLANNER)
    for n in range(5):
        body = shift(world, n, "07:00", "15:00", employee=employee.id, unit=world.units["A"].id)
        assert (await client.post("/api/shifts", json=body)).status_code == 200
    await sign_in(client, db, employee, settings)
    late = await client.post("/api/shifts/swaps/accept", json={"id": swap["id"]})
    assert late.status_code == 409
    assert (
        late.json()["detail"].startswith("Du kan ikke tage vagten:")
        and _band_words() in late.json()["detail"]
    )


async def test_an_open_shift_taken_later_is_checked_again_against_the_takers_plan_now(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    employee = world.by_role[Role.EMPLOYEE]
    await as_role(client, db, settings, world, Role.PLANNER)
    body = {"id": new_id(), "unit": world.units["A"].id, "date": day(1), "start": "07:00", "end": "15:00"}
    offered = await client.post("/api/shifts/open", json=body)
    assert offered.status_code == 200 and employee.id in offered.json()["offered"]
    # Afterwards she is put on the evening before, until 23:00: 8 hours' rest before 07:00.
    evening = shift(world, 0, "15:00", "23:00", employee=employee.id, unit=world.units["A"].id)
    assert (await client.post("/api/shifts", json=evening)).status_code == 200
    await sign_in(client, db, employee, settings)
    late = await client.post("/api/shifts/open/take", json={"id": body["id"]})
    assert late.status_code == 409
    assert (
        late.json()["detail"].startswith("Du kan ikke tage vagten:")
        and "11-timers-reglen" in late.json()["detail"]
    )
    await as_role(client, db, settings, world, Role.SUBSTITUTE)  # still open for the others
    taken = await client.post("/api/shifts/open/take", json={"id": body["id"]})
    assert taken.status_code == 200 and taken.json()["state"] == "taken"


async def test_a_shift_moved_to_someone_else_after_export_is_reversed_for_the_first_and_paid_to_the_second(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    anna, colleague = world.in_a1, world.by_role[Role.EMPLOYEE]
    worked = today() - dt.timedelta(days=today().weekday() + 7)
    await as_role(client, db, settings, world, Role.PLANNER)
    body = shift(world, 0, "07:00", "15:00", date=worked.isoformat(), unit=world.units["A"].id)
    assert (await client.post("/api/shifts", json=body)).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    await approve_week(client, world, worked, unit="A")
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    period = (await client.get("/api/payroll/exports")).json()["pending"][0]["period"]
    assert (await client.post("/api/payroll/exports", json={"period": period})).status_code == 201

    # It was the colleague who worked it: the planner corrects the plan, the leader approves again.
    await as_role(client, db, settings, world, Role.PLANNER)
    assert (await client.post("/api/shifts", json=body | {"employee": colleague.id})).status_code == 200
    await as_role(client, db, settings, world, Role.LEADER)
    await approve_week(client, world, worked, unit="A")
    rows = await db.scalars(
        select(WageLine)
        .where(WageLine.source_id == body["id"], WageLine.wage_key == "shift_hours")
        .execution_options(populate_existing=True)
    )
    paid = sorted((w.user_id, f"{w.quantity:.2f}", w.correction, w.export_id is not None) for w in rows)
    assert paid == sorted(
        [(anna.id, "7.50", 0, True), (anna.id, "-7.50", 1, False), (colleague.id, "7.50", 1, False)]
    )
