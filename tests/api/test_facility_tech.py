"""The technician's side of facility reports over HTTP (SQLite and PostgreSQL, issue 15): who gets a team's
task (a member whose technician role covers the building sees and finishes it; a technician not on the
team and a reporter never see it; a team or technician out of reach of the building is refused in
words), and what the reporter's private link shows in each state (never an internal note)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import RoleAssignment, User
from backend.settings import Settings
from tests import images
from tests.api.test_facility import REPORT, building, receipt, report, sign_out
from tests.api.test_sync_api import Device
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio
SECRET_NOTE = "Nøglen ligger hos pedellen"


async def technician_on(db: AsyncSession, world: World, unit: str, name: str) -> User:
    """A technician whose role covers `unit` (and the units below it)."""
    user = User(municipality_id=world.municipality.id, name=name, unit_id=world.units[unit].id)
    db.add(user)
    await db.flush()
    db.add(
        RoleAssignment(
            municipality_id=world.municipality.id,
            user_id=user.id,
            role=Role.TECHNICIAN.value,
            unit_id=world.units[unit].id,
            source="import",
        )
    )
    await db.commit()
    return user


async def test_a_team_member_gets_the_teams_task_a_technician_off_the_team_and_a_reporter_never_do(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    daycare = (await building(db, world, "B"))[0]
    school = (await building(db, world, "A1"))[0]
    flying = await technician_on(db, world, "B", "Bo Flyver")  # covers the daycare B only
    off_team = world.by_role[Role.TECHNICIAN]  # covers A and A1, not B; not on the team
    rid, secret, _ = await report(client, daycare.code, text="Radiatoren er kold")
    school_rid = (await report(client, school.code))[0]
    # A signed-in employee of B reports too: she follows it, but sync never gives her the report.
    await sign_in(client, db, world.in_b, settings)
    mine = await client.post(
        f"/api/facility/rooms/{daycare.code}/report",
        json={
            "id": (own := "6f1d1f1e-2b1a-4c55-9c1e-0b1d2c3a4e5f"),
            "fields": {"code": daycare.code, "category": "heating", "text": "Koldt"},
        },
    )
    assert mine.status_code == 200 and mine.json()["status"] == "applied", mine.text

    office = world.by_role[Role.PROPERTY_OFFICE]
    await sign_in(client, db, office, settings)
    team = (
        await client.put("/api/facility/teams", json={"name": "Flyverholdet", "members": [flying.id]})
    ).json()
    ida = Device(client, REPORT)
    await ida.pull()
    planned = await ida.push(
        ida.put(rid, {"team": team["id"], "due": "2026-12-10", "internal_note": SECRET_NOTE}),
        ida.move(rid, "plan"),
    )
    assert [r["status"] for r in planned["results"]] == ["applied", "applied"], planned
    # The team does not reach the school (A1): refused in words naming who and where; nothing changes.
    far = (await ida.push(ida.put(school_rid, {"team": team["id"], "due": "2026-12-10"})))["results"][0]
    assert far["status"] == "rejected" and "Bo Flyver" in far["reason"] and "Skolen A1" in far["reason"], far
    assert "technician role" in far["reason_en"]
    # Nor is a technician put on the team whose role does not cover the team's open task in B.
    wider = await client.put(
        "/api/facility/teams",
        json={"id": team["id"], "name": "Flyverholdet", "members": [flying.id, off_team.id]},
    )
    assert wider.status_code == 400 and off_team.name in wider.json()["detail"], wider.text
    # A technician assigned alone out of reach is refused the same way.
    alone = (await ida.push(ida.put(school_rid, {"assignee": flying.id})))["results"][0]
    assert alone["status"] == "rejected" and "Bo Flyver" in alone["reason"], alone

    # The member: on the phone (sync pull), and works it to done with a photo of the fix.
    await sign_in(client, db, flying, settings)
    phone = Device(client, REPORT)
    pulled = await phone.pull()
    assert rid in pulled and pulled[rid]["fields"]["team"] == team["id"]
    assert [t["id"] for t in (await client.get("/api/facility/teams/mine")).json()] == [team["id"]]
    assert school_rid not in pulled  # the school is not his
    photo = images.jpeg(tag="radiator fixed")
    sha = hashlib.sha256(photo).hexdigest()
    assert (await client.put(f"/api/sync/blobs/{sha}", content=photo)).json()["complete"] is True
    worked = await phone.push(
        phone.move(rid, "start"), phone.put(rid, {"fix_photos": [sha]}), phone.move(rid, "finish")
    )
    assert [r["status"] for r in worked["results"]] == ["applied"] * 3, worked

    # A technician not on the team (and not covering B) never gets it, and cannot move it.
    await sign_in(client, db, off_team, settings)
    other = Device(client, REPORT)
    seen = await other.pull()
    assert rid not in seen and own not in seen and school_rid in seen
    assert (await other.push(other.move(rid, "start")))["results"][0]["status"] == "rejected"

    # The employee who reported signed in: nothing through sync; her link shows the status only.
    await sign_in(client, db, world.in_b, settings)
    assert not {rid, own} & set(await Device(client, REPORT).pull())

    # The reporter who is not logged in: the status and the fix, never the team, the technician or the note.
    sign_out(client)
    seen_by_reporter = await receipt(client, rid, secret)
    assert seen_by_reporter.json()["state"] == "done" and seen_by_reporter.json()["fix_photos"] == 1
    for hidden in (SECRET_NOTE, "Flyverholdet", "Bo Flyver", "team", "assignee"):
        assert hidden not in seen_by_reporter.text, hidden


async def test_a_report_from_a_rooms_code_cannot_choose_a_team_or_technician_and_is_told_no_names(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room = (await building(db, world, "B"))[0]
    flying = await technician_on(db, world, "B", "Bo Flyver")
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    team = (
        await client.put("/api/facility/teams", json={"name": "Flyverholdet", "members": [flying.id]})
    ).json()
    sign_out(client)
    for extra in (
        {"team": team["id"]},
        {"assignee": flying.id},
        {"internal_note": "x"},
        {"priority": "high"},
    ):
        made = (await report(client, room.code, **extra))[2]
        assert made["status"] == "rejected" and "kan ikke vælge tekniker" in made["reason"], (extra, made)
        assert "Bo Flyver" not in str(made) and "Flyverholdet" not in str(made)
    assert (await client.get(f"/api/facility/public/rooms/{room.code}")).json()["open"] == []


async def _drive(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World, rid: str, to: str
) -> None:
    """Take a report from received to `to` as the property office and the technician would, with an
    internal note on the way."""
    tech = world.by_role[Role.TECHNICIAN]
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    ida = Device(client, REPORT)
    await ida.pull()
    steps: list[dict[str, Any]] = [ida.put(rid, {"internal_note": SECRET_NOTE})]
    if to == "rejected":
        move = ida.move(rid, "reject")
        move["fields"] = {"note": "Det er udlejers ansvar"}
        steps.append(move)
    elif to != "received":
        steps += [ida.put(rid, {"assignee": tech.id, "due": "2026-12-10"}), ida.move(rid, "plan")]
    assert {r["status"] for r in (await ida.push(*steps))["results"]} == {"applied"}
    if to in ("in_progress", "done"):
        await sign_in(client, db, tech, settings)
        jens = Device(client, REPORT)
        await jens.pull()
        work = [jens.move(rid, "start")]
        if to == "done":
            photo = images.jpeg(tag=f"fixed {rid}")
            sha = hashlib.sha256(photo).hexdigest()
            assert (await client.put(f"/api/sync/blobs/{sha}", content=photo)).status_code == 200
            work += [jens.put(rid, {"fix_photos": [sha]}), jens.move(rid, "finish")]
        assert {r["status"] for r in (await jens.push(*work))["results"]} == {"applied"}
    sign_out(client)


@pytest.mark.parametrize(
    ("state", "steps"),
    [
        ("received", ["received"]),
        ("planned", ["received", "planned"]),
        ("in_progress", ["received", "planned", "in_progress"]),
        ("done", ["received", "planned", "in_progress", "done"]),
        ("rejected", ["received", "rejected"]),
    ],
)
async def test_the_private_link_shows_each_state_to_the_end_and_never_the_internal_note(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, state: str, steps: list[str]
) -> None:
    world = await build_world(db)
    room = (await building(db, world, "A1"))[0]
    rid, secret, _ = await report(client, room.code)
    await _drive(client, db, settings, world, rid, state)

    answer = await receipt(client, rid, secret)
    seen = answer.json()
    assert seen["state"] == state and [s["state"] for s in seen["steps"]] == steps
    assert (
        SECRET_NOTE not in answer.text
        and "internal_note" not in answer.text
        and "assignee" not in answer.text
    )
    reasons = [s["reason"] for s in seen["steps"] if s.get("reason")]
    assert reasons == (["Det er udlejers ansvar"] if state == "rejected" else [])
    assert seen["fix_photos"] == (1 if state == "done" else 0)
    fix = await client.post(f"/api/facility/public/receipts/{rid}/fix-photo", json={"secret": secret, "n": 0})
    assert fix.status_code == (200 if state == "done" else 404)
    if state == "done":
        assert fix.headers["content-type"] == "image/jpeg" and fix.content[:2] == b"\xff\xd8"
