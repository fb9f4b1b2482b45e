"""The right to monthly pay goes with the substitute's approved hours into the shared payroll feed and the
export file (issue 14, "carry the flag in the payroll feed"; rules/monthly_pay.py, docs/payroll-export.md)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import today
from backend.features.payroll.models import WageLine
from backend.features.worktime.holidays_dk import is_working_day
from backend.settings import Settings
from tests.api.test_substitutes import ENTRY, as_substitute, entry, register, with_rate
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def test_an_unbroken_month_above_the_threshold_flags_every_wage_line_and_the_export(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    start = today() - timedelta(days=36)
    start -= timedelta(days=start.weekday())  # a Monday five to six weeks ago
    days = [
        start + timedelta(days=i)
        for i in range((today() - start).days)
        if is_working_day(start + timedelta(days=i))
    ]
    device = await as_substitute(client, db, settings, world)
    ids: list[str] = []
    for chunk in range(0, len(days), 10):
        made, results = await register(
            device, *(entry(world, date=d.isoformat()) for d in days[chunk : chunk + 10])
        )
        assert {r["status"] for r in results} == {"applied"}, results
        ids += made
    records = await device.pull()
    last = records[ids[-1]]["fields"]["calc"]["monthly_pay"]
    assert last["status"] == "right"  # 4 h every working day: 20 h a week, far above 8 h
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    for chunk in range(0, len(ids), 20):
        approved = (
            await client.post(f"/api/inbox/{ENTRY}/approve", json={"ids": ids[chunk : chunk + 20]})
        ).json()
        assert {a["status"] for a in approved} == {"applied"}, approved

    lines = list(await db.scalars(select(WageLine).where(WageLine.source_id.in_(ids))))
    flags = {line.source_id: line.flag for line in lines}
    assert flags[ids[-1]] == f"monthly_pay_right:{last['since']}"
    assert flags[ids[0]] is None or flags[ids[0]].startswith(
        "monthly_pay_"
    )  # the run's own days carry it too
    assert flags[ids[0]] == (
        f"monthly_pay_right:{last['since']}" if records[ids[0]]["fields"]["calc"]["monthly_pay"] else None
    )

    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    period = max(line.period for line in lines)
    export = (await client.post("/api/payroll/exports", json={"period": period})).json()
    text = (await client.get(f"/api/payroll/exports/{export['id']}/file")).text
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    mine = [r for r in rows if r["reference"] == f"{ENTRY}:{ids[-1]}"]
    assert mine and {r["flag"] for r in mine} == {f"monthly_pay_right:{last['since']}"}


async def test_hours_without_an_unbroken_month_carry_no_flag(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    day = today() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    [eid], _ = await register(device, entry(world, date=day.isoformat()))
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    assert (await client.post(f"/api/inbox/{ENTRY}/approve", json={"ids": [eid]})).json()[0][
        "status"
    ] == "applied"
    lines = list(await db.scalars(select(WageLine).where(WageLine.source_id == eid)))
    assert lines and {line.flag for line in lines} == {None}
