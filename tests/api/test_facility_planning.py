"""The property office's planning over HTTP (SQLite and PostgreSQL): technician teams and a report
assigned to a team, the municipality's own categories (a retired one stays valid on old reports),
recurring tasks made once by the daily job however often it runs, and the carry-over into the next
year (issue 15)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import today
from backend.db.sync_tables import SYNC
from backend.features.facility import recurring
from backend.features.facility.rules.schedule import add_months
from backend.platform import Platform
from backend.settings import Settings
from tests.api.test_facility import REPORT, building, report, sign_out
from tests.api.test_sync_api import Device
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def test_a_report_assigned_to_a_team_is_on_its_members_lists(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    rid = (await report(client, room.code))[0]
    tech, office = world.by_role[Role.TECHNICIAN], world.by_role[Role.PROPERTY_OFFICE]

    await sign_in(client, db, office, settings)
    body = {"name": "Flyverholdet – daginstitutioner", "members": [tech.id]}
    made = await client.put("/api/facility/teams", json=body)
    assert made.status_code == 200, made.text
    again = await client.put("/api/facility/teams", json=body)  # sent twice: one team
    assert again.json()["id"] == made.json()["id"]
    team = made.json()
    assert [t["name"] for t in (await client.get("/api/facility/teams")).json()] == [team["name"]]
    not_a_tech = await client.put("/api/facility/teams", json={"name": "Forkert", "members": [office.id]})
    assert not_a_tech.status_code == 400 and "teknikere" in not_a_tech.json()["detail"]
    missing = await client.put("/api/facility/teams", json={"id": 987654, "name": "X", "members": []})
    assert missing.status_code == 404

    ida = Device(client, REPORT)
    await ida.pull()
    results = (
        await ida.push(ida.put(rid, {"team": team["id"], "due": "2026-12-10"}), ida.move(rid, "plan"))
    )["results"]
    assert [r["status"] for r in results] == ["applied", "applied"], results

    await sign_in(client, db, tech, settings)
    assert [t["id"] for t in (await client.get("/api/facility/teams/mine")).json()] == [team["id"]]
    pulled = (await Device(client, REPORT).pull())[rid]
    assert (pulled["state"], pulled["fields"]["team"], pulled["fields"]["assignee"]) == (
        "planned",
        team["id"],
        None,
    )

    # Taken off the team: no longer theirs.
    await sign_in(client, db, office, settings)
    await client.put("/api/facility/teams", json={"id": team["id"], "name": team["name"], "members": []})
    await sign_in(client, db, tech, settings)
    assert (await client.get("/api/facility/teams/mine")).json() == []


async def test_a_retired_category_is_no_longer_offered_but_old_reports_keep_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    old = (await report(client, room.code, category="electricity"))[0]

    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    added = await client.put(
        "/api/facility/categories", json={"key": "indoor", "da": "Indeklima", "en": "Indoor climate"}
    )
    assert added.status_code == 200 and added.json()[-1] == {
        "key": "indoor",
        "da": "Indeklima",
        "en": "Indoor climate",
        "retired": False,
    }
    retire = {"key": "electricity", "da": "El og lys", "en": "Electricity and lighting", "retired": True}
    assert (await client.put("/api/facility/categories", json=retire)).status_code == 200
    assert (await client.put("/api/facility/categories", json=retire)).status_code == 200  # twice: the same
    listed = (await client.get("/api/facility/categories")).json()
    assert [c["key"] for c in listed].count("electricity") == 1 and any(
        c["key"] == "electricity" and c["retired"] for c in listed
    )
    bad = await client.put("/api/facility/categories", json={"key": "Æ x", "da": "", "en": ""})
    assert bad.status_code == 400

    sign_out(client)
    offered = {
        c["key"] for c in (await client.get(f"/api/facility/public/rooms/{room.code}")).json()["categories"]
    }
    assert "indoor" in offered and "electricity" not in offered
    refused = (await report(client, room.code, category="electricity"))[2]
    assert refused["status"] == "rejected" and "Kategorien findes ikke" in refused["reason"], refused
    assert (await report(client, room.code, category="indoor"))[2]["status"] == "applied"

    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    ida = Device(client, REPORT)
    kept = (await ida.pull())[old]
    assert kept["fields"]["category"] == "electricity" and kept["state"] == "received"
    # The old report can still be planned with its retired category.
    tech = world.by_role[Role.TECHNICIAN]
    moved = await ida.push(ida.put(old, {"assignee": tech.id, "due": "2026-12-10"}), ida.move(old, "plan"))
    assert [r["status"] for r in moved["results"]] == ["applied", "applied"], moved


async def _tasks(db: AsyncSession, municipality_id: int) -> list[tuple[str, dict[str, Any]]]:
    """The recurring tasks' occurrences of one municipality: (state, fields), oldest first."""
    r = SYNC.record.c
    await db.commit()
    rows = await db.execute(
        select(r.state, r.fields)
        .where(r.type == REPORT, r.municipality_id == municipality_id)
        .order_by(r.created_at)
    )
    return [(s, f) for s, f in rows if f.get("recurring")]


async def test_the_daily_job_run_twice_makes_each_occurrence_of_a_recurring_task_once(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, platform: Platform
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    building_id = (await client.get("/api/facility/buildings")).json()[0]["id"]
    # Due in four days (the job makes it two weeks ahead); the new year after it carries it over.
    now = today()
    start = now + timedelta(days=4)
    new_year = date(start.year + 1, 1, 2)
    tech = world.by_role[Role.TECHNICIAN]
    team = (
        await client.put("/api/facility/teams", json={"name": "Legepladser", "members": [tech.id]})
    ).json()
    body = {
        "building_id": building_id,
        "room_id": room.id,
        "title": "Eftersyn af legepladsens redskaber",
        "category": "outdoor",
        "every": 3,
        "unit": "months",
        "start": start.isoformat(),
        "team_id": team["id"],
    }
    made = await client.put("/api/facility/recurring", json=body)
    assert made.status_code == 200, made.text
    assert (await client.put("/api/facility/recurring", json=body)).json()["id"] == made.json()["id"]
    assert len((await client.get("/api/facility/recurring")).json()) == 1
    for wrong in (
        {"unit": "fortnights"},
        {"every": 0},
        {"category": "nope"},
        {"team_id": 987654},
        {"start": "2001-01-01"},
    ):
        answer = await client.put("/api/facility/recurring", json={**body, **wrong})
        assert answer.status_code == 400, (wrong, answer.text)

    first = await recurring.run(db, platform, now)
    await db.commit()
    second = await recurring.run(db, platform, now)
    await db.commit()
    assert (first.made, second.made) == (1, 0)
    tasks = await _tasks(db, world.municipality.id)
    assert [(s, f["due"], f["team"], f["place"]["room"]) for s, f in tasks] == [
        ("planned", start.isoformat(), team["id"], "3.A")
    ]

    # The team's technician sees it on their list.
    await sign_in(client, db, tech, settings)
    pulled = [r for r in (await Device(client, REPORT).pull()).values() if r["fields"].get("recurring")]
    assert [r["fields"]["text"] for r in pulled] == ["Eftersyn af legepladsens redskaber"]

    # Unfinished at the new year: carried over, its due date kept, once; and the next quarter's made.
    jan = await recurring.run(db, platform, new_year)
    await db.commit()
    again = await recurring.run(db, platform, new_year)
    await db.commit()
    assert jan.carried >= 1 and again.carried == 0  # (the database may hold other tests' reports)
    tasks = await _tasks(db, world.municipality.id)
    assert [(f["due"], f["carried_from"]) for _, f in tasks] == [(start.isoformat(), start.year)]
    later = await recurring.run(db, platform, add_months(start, 3) - timedelta(days=10))
    await db.commit()
    assert later.made == 1
    assert [f["due"] for _, f in await _tasks(db, world.municipality.id)] == [
        start.isoformat(),
        add_months(start, 3).isoformat(),
    ]


async def test_buildings_and_rooms_are_editable_after_an_import(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await building(db, world, "A1")
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    found = (await client.get("/api/facility/buildings")).json()[0]
    edited = await client.put(
        "/api/facility/buildings/details",
        json={"id": found["id"], "name": "Nordskolen", "address": "Skolevej 1"},
    )
    assert edited.status_code == 200, edited.text
    room = found["rooms"][0]
    renamed = await client.put(
        "/api/facility/rooms", json={"id": room["id"], "building_id": found["id"], "name": "Klasse 3.A"}
    )
    assert renamed.json()["code"] == room["code"]  # the printed label still works
    added = {"building_id": found["id"], "name": "Musiklokalet"}
    first = (await client.put("/api/facility/rooms", json=added)).json()
    assert (await client.put("/api/facility/rooms", json=added)).json()["id"] == first["id"]
    clash = await client.put(
        "/api/facility/rooms", json={"id": room["id"], "building_id": found["id"], "name": "Sal"}
    )
    assert clash.status_code == 400
    after = (await client.get("/api/facility/buildings")).json()[0]
    assert (after["name"], after["address"]) == ("Nordskolen", "Skolevej 1")
    assert sorted(r["name"] for r in after["rooms"]) == ["Klasse 3.A", "Musiklokalet", "Sal"]
