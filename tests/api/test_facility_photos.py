"""Facility reports, part two (SQLite and PostgreSQL): the reporter's photos through the narrow door
(what it takes and what it never gives back), buildings closed to reporting without log-in, merging
duplicates, followers told of status changes, forged door reports refused in words (issue 15)."""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import AuditEvent, Job
from backend.features.facility import service
from backend.features.facility.models import Follower
from backend.settings import Settings
from tests import images
from tests.api.test_facility import REPORT, building, receipt, report, sign_out
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio
GPS_IFD = 0x8825


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def heic(tag: str) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(images.jpeg((80, 60), tag=tag))).save(out, "HEIF")
    return out.getvalue()


async def upload(
    client: AsyncTestClient, rid: str, secret: str, data: bytes, *, chunk: int | None = None
) -> Any:
    """Send a photo of a door report with its private link, in chunks of `chunk` bytes; the last answer."""
    url = f"/api/facility/public/reports/{rid}/photos/{sha(data)}"
    step = chunk or len(data)
    answer = None
    for start in range(0, len(data), step):
        part = data[start : start + step]
        answer = await client.put(
            url,
            content=part,
            headers={
                "x-follow-secret": secret,
                "content-range": f"bytes {start}-{start + len(part) - 1}/{len(data)}",
            },
        )
        if answer.status_code != 200:
            return answer
    return answer


async def mine(client: AsyncTestClient, rid: str, secret: str, n: int) -> Any:
    return await client.post(f"/api/facility/public/reports/{rid}/my-photos", json={"secret": secret, "n": n})


async def test_a_reporter_not_logged_in_sends_photos_the_office_sees_and_her_page_shows_only_hers(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, other_room = await building(db, world, "A1")
    first, second = images.jpeg((120, 90), gps=True, tag="door-1"), heic("door-2")
    rid, secret, made = await report(client, room.code, photos=[sha(first), sha(second)])
    assert made["status"] == "applied", made

    # Resumable: the first photo in two chunks, the server says how far it got; a resend changes nothing.
    half = await upload(client, rid, secret, first[: len(first) // 2 + 1])
    assert half.status_code == 404  # a part's hash is no photo of the report
    url = f"/api/facility/public/reports/{rid}/photos/{sha(first)}"
    chunk = first[:1000]
    partial = await client.put(
        url,
        content=chunk,
        headers={"x-follow-secret": secret, "content-range": f"bytes 0-999/{len(first)}"},
    )
    assert partial.json() == {"complete": False, "offset": 1000}
    status = await client.head(url, headers={"x-follow-secret": secret})
    assert status.headers["upload-offset"] == "1000"
    rest = await client.put(
        url,
        content=first[1000:],
        headers={
            "x-follow-secret": secret,
            "content-range": f"bytes 1000-{len(first) - 1}/{len(first)}",
        },
    )
    assert rest.json()["complete"] is True
    assert (await upload(client, rid, secret, first)).json()["complete"] is True
    assert (await upload(client, rid, secret, second)).json()["complete"] is True  # HEIC read

    # The door takes nothing else: another hash, a wrong or another report's link, too large, not an image.
    other_rid, other_secret, _ = await report(client, other_room.code, photos=[sha(b"plain text")])
    stray = images.jpeg(tag="not named")
    assert (await upload(client, rid, secret, stray)).status_code == 404
    assert (await upload(client, rid, secrets.token_urlsafe(18), first)).status_code == 404
    assert (await upload(client, rid, other_secret, first)).status_code == 404
    assert (await upload(client, other_rid, other_secret, b"plain text")).status_code == 415
    huge = await client.put(
        f"/api/facility/public/reports/{other_rid}/photos/{sha(b'plain text')}",
        content=b"x",
        headers={"x-follow-secret": other_secret, "content-range": "bytes 0-0/20000000"},
    )
    assert huge.status_code == 413 and "for stort" in huge.json()["detail"]
    five = [sha(images.jpeg(tag=f"p{i}")) for i in range(5)]
    too_many = (await report(client, room.code, photos=five))[2]
    assert too_many["status"] == "rejected" and too_many["fields"] == ["photos"]
    too_long = (await report(client, room.code, text="x" * 2001))[2]
    assert too_long["status"] == "rejected" and too_long["fields"] == ["text"]

    # Her page: her own photos, resized, without the position; another link to the same report: none.
    seen = (await receipt(client, rid, secret)).json()
    assert seen["photos"] == 2
    shown = await mine(client, rid, secret, 0)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert GPS_IFD not in Image.open(io.BytesIO(shown.content)).getexif()
    assert (await mine(client, rid, secret, 1)).status_code == 200
    assert (await mine(client, rid, secret, 2)).status_code == 404
    follower = secrets.token_urlsafe(18)
    await client.post(
        f"/api/facility/public/rooms/{room.code}/follow", json={"report_id": rid, "secret": follower}
    )
    assert (await receipt(client, rid, follower)).json()["photos"] == 0
    assert (await mine(client, rid, follower, 0)).status_code == 404
    assert (await mine(client, other_rid, secret, 0)).status_code == 404
    # Not logged in, no other blob opens: not the shared blob store, not the office's view.
    assert (await client.get(f"/api/sync/blobs/{sha(first)}")).status_code == 401
    assert (await client.get(f"/api/facility/reports/{rid}/photos")).status_code == 401

    # Someone's receipt photo named in a door report gives its reporter nothing, and the office neither.
    await sign_in(client, db, world.in_a1, settings)
    private = images.jpeg(tag="a receipt")
    assert (await client.put(f"/api/sync/blobs/{sha(private)}", content=private)).json()["complete"]
    sign_out(client)
    named_rid, named_secret, _ = await report(client, room.code, photos=[sha(private)])
    assert (await mine(client, named_rid, named_secret, 0)).status_code == 404

    # The property office and the unit's technician see the photos (resized); others 404.
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    listed = (await client.get(f"/api/facility/reports/{rid}/photos")).json()
    assert [p["sha256"] for p in listed] == [sha(first), sha(second)]
    office = await client.get(f"/api/facility/reports/{rid}/photo?sha256={sha(second)}")
    assert office.status_code == 200 and max(Image.open(io.BytesIO(office.content)).size) <= 1280
    assert (await client.get(f"/api/facility/reports/{named_rid}/photos")).json() == []
    assert (
        await client.get(f"/api/facility/reports/{named_rid}/photo?sha256={sha(private)}")
    ).status_code == 404
    assert (await client.get(f"/api/facility/reports/{rid}/photo?sha256={sha(private)}")).status_code == 404
    # The report changes hands and its list is edited: the photos stay the report's.
    ida = Device(client, REPORT)
    await ida.pull()
    assert (await ida.push(ida.put(rid, {"photos": []})))["results"][0]["status"] == "applied"
    still = (await client.get(f"/api/facility/reports/{rid}/photos")).json()
    assert sorted(p["sha256"] for p in still) == sorted([sha(first), sha(second)])
    await sign_in(client, db, world.by_role[Role.TECHNICIAN], settings)
    assert len((await client.get(f"/api/facility/reports/{rid}/photos")).json()) == 2
    for outsider in (world.in_b, world.other_admin):
        await sign_in(client, db, outsider, settings)
        assert (await client.get(f"/api/facility/reports/{rid}/photos")).status_code == 404
        assert (await client.get(f"/api/facility/reports/{rid}/photo?sha256={sha(first)}")).status_code == 404


async def test_a_closed_building_asks_to_log_in_and_the_signed_in_reporter_reports_as_herself(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1", open_reporting=False)
    asked = await client.get(f"/api/facility/public/rooms/{room.code}")
    assert asked.status_code == 401 and asked.json()["login_required"] is True
    assert "Log ind" in asked.json()["detail"]
    door = await client.post(
        f"/api/doors/{REPORT}/{room.code}", json={"id": new_id(), "fields": {"code": room.code}}
    )
    assert door.status_code == 404 and door.json()["detail"] == "Koden findes ikke."
    follow = await client.post(
        f"/api/facility/public/rooms/{room.code}/follow",
        json={"report_id": new_id(), "secret": secrets.token_urlsafe(18)},
    )
    assert follow.status_code == 404
    for path in (f"/api/facility/rooms/{room.code}", f"/api/facility/rooms/{room.code}/report"):
        assert (
            await (client.get(path) if path.endswith(room.code) else client.post(path, json={"id": new_id()}))
        ).status_code == 401

    await sign_in(client, db, world.in_b, settings)  # an employee of the municipality, any unit
    assert (await client.get(f"/api/facility/rooms/{room.code}")).json()["room"] == "3.A"
    rid, secret = new_id(), secrets.token_urlsafe(18)
    photo = images.jpeg(tag="closed")
    body = {
        "id": rid,
        "fields": {
            "code": room.code,
            "category": "plumbing",
            "text": "Vasken løber over",
            "photos": [sha(photo)],
        },
    }
    made = (await client.post(f"/api/facility/rooms/{room.code}/report", json=body)).json()
    assert made["status"] == "applied", made
    again = (await client.post(f"/api/facility/rooms/{room.code}/report", json=body)).json()
    assert again["status"] == "applied" and again["duplicate"] is True
    link = {"report_id": rid, "secret": secret}
    assert (await client.post(f"/api/facility/rooms/{room.code}/follow", json=link)).status_code == 200
    assert (await upload(client, rid, secret, photo)).json()["complete"] is True
    rows = (await db.scalars(select(Follower).where(Follower.record_id == uuid.UUID(rid)))).all()
    assert [(f.user_id, f.reporter) for f in rows] == [(world.in_b.id, True)]
    assert (await receipt(client, rid, secret)).json()["photos"] == 1
    # Another municipality's staff: the code is unknown to them.
    await sign_in(client, db, world.other_admin, settings)
    assert (await client.get(f"/api/facility/rooms/{room.code}")).status_code == 404
    assert (
        await client.post(
            f"/api/facility/rooms/{room.code}/report", json={"id": new_id(), "fields": body["fields"]}
        )
    ).status_code == 404


async def _jobs(db: AsyncSession, rid: str) -> list[dict[str, Any]]:
    """The notifications queued about report `rid` (the job table is shared by the session's tests)."""
    await db.commit()
    jobs = (await db.scalars(select(Job).where(Job.kind == "notify.send"))).all()
    return [j.payload for j in jobs if j.payload["message"]["url"].endswith(rid)]


async def test_merging_a_duplicate_keeps_its_followers_and_photos_and_its_link_shows_the_kept_report(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    keep, _, _ = await report(client, room.code, text="Radiatoren er kold")
    photo = images.jpeg(tag="dup")
    dup, dup_secret, _ = await report(client, room.code, text="Koldt i klassen", photos=[sha(photo)])
    assert (await upload(client, dup, dup_secret, photo)).json()["complete"] is True
    await sign_in(client, db, world.in_a1, settings)  # a signed-in follower of the duplicate
    link = {"report_id": dup, "secret": secrets.token_urlsafe(18)}
    assert (await client.post(f"/api/facility/rooms/{room.code}/follow", json=link)).status_code == 200

    await sign_in(client, db, world.by_role[Role.TECHNICIAN], settings)
    merge = {"keep": keep, "merge": dup}
    assert (await client.post("/api/facility/reports/merge", json=merge)).status_code == 403
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    assert (
        await client.post("/api/facility/reports/merge", json={"keep": keep, "merge": keep})
    ).status_code == 400
    merged = await client.post("/api/facility/reports/merge", json=merge)
    assert merged.status_code == 200 and merged.json()["followers_added"] == 1
    assert (await client.post("/api/facility/reports/merge", json=merge)).status_code == 200  # twice: same
    backwards = await client.post("/api/facility/reports/merge", json={"keep": dup, "merge": keep})
    assert backwards.status_code == 400
    audit = (await db.scalars(select(AuditEvent).where(AuditEvent.action == "merge"))).all()
    assert [(a.entity_id, a.changes["merged_into"][1]) for a in audit] == [(dup, keep)]
    listed = (await client.get(f"/api/facility/reports/{keep}/photos")).json()
    assert [(p["sha256"], p["report_id"]) for p in listed] == [(sha(photo), dup)]
    ida = Device(client, REPORT)
    pulled = await ida.pull()
    assert pulled[dup]["state"] == "merged" and pulled[dup]["fields"]["merged_into"]["id"] == keep
    assert pulled[dup]["fields"]["photos"] == [sha(photo)]  # nothing lost

    # The kept report is planned: the duplicate's follower hears of it, without the internal note.
    fields = {
        "assignee": world.by_role[Role.TECHNICIAN].id,
        "due": "2026-12-10",
        "internal_note": "Nøgle hos pedel",
    }
    results = (await ida.push(ida.put(keep, fields), ida.move(keep, "plan")))["results"]
    assert [r["status"] for r in results] == ["applied", "applied"], results
    told = await _jobs(db, keep)
    assert [(j["to"], j["message"]["category"]) for j in told] == [([world.in_a1.id], "follows")]
    assert "planlagt" in told[0]["message"]["title"][0] and "pedel" not in str(told[0])

    sign_out(client)
    seen = (await receipt(client, dup, dup_secret)).json()
    assert seen["merged"] is True and seen["state"] == "planned" and seen["photos"] == 1
    assert seen["text"] == "Koldt i klassen"  # her own report's words, the kept one's status
    assert (await mine(client, dup, dup_secret, 0)).status_code == 200


async def test_followers_hear_each_status_change_and_a_rejection_with_its_reason(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    rid, _, _ = await report(client, room.code)
    await sign_in(client, db, world.in_a1, settings)
    link = {"report_id": rid, "secret": secrets.token_urlsafe(18)}
    assert (await client.post(f"/api/facility/rooms/{room.code}/follow", json=link)).status_code == 200
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    ida = Device(client, REPORT)
    await ida.pull()
    move = ida.move(rid, "reject")
    move["fields"] = {"note": "Det er lejers ansvar"}
    await ida.push(ida.put(rid, {"internal_note": "hemmeligt"}), move)
    await ida.push(move)  # resent: told once
    told = await _jobs(db, rid)
    assert len(told) == 1 and told[0]["to"] == [world.in_a1.id]
    assert "lejers ansvar" in told[0]["message"]["body"][0] and "hemmeligt" not in str(told[0])


async def test_a_forged_door_report_is_refused_in_words_and_nothing_is_logged_as_an_error(
    client: AsyncTestClient, db: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    world = await build_world(db)
    room, same_building = await building(db, world, "A1")
    other, _ = await building(db, world, "B")
    caplog.set_level(logging.INFO)
    for code in (other.code, same_building.code, "A" * 24):
        fields = {"code": code, "category": "other", "text": "x"}
        made = (
            await client.post(f"/api/doors/{REPORT}/{room.code}", json={"id": new_id(), "fields": fields})
        ).json()
        assert made["status"] == "rejected" and "passer ikke" in made["reason"], made
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_room_code_takes_a_bounded_number_of_reports_an_hour_with_a_danish_message(
    client: AsyncTestClient, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(db)
    room, other_room = await building(db, world, "A1")
    monkeypatch.setattr(service, "PER_ROOM_HOUR", 2)
    answers = [(await report(client, room.code))[2] for _ in range(3)]
    assert [a["status"] for a in answers] == ["applied", "applied", "rejected"]
    assert "mange meldinger fra dette rum" in answers[2]["reason"]
    assert (await report(client, other_room.code))[2]["status"] == "applied"  # per code
    limited = [(await report(client, room.code))[2] for _ in range(6)]  # the address: 10 a minute
    late = await client.post(f"/api/doors/{REPORT}/{room.code}", json={"id": new_id(), "fields": {}})
    assert late.status_code == 429 and "For mange forsøg" in late.json()["detail"]
    assert all(a["status"] == "rejected" for a in limited)
