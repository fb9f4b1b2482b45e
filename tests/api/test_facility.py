"""Facility reports over HTTP (SQLite and PostgreSQL): a room's code, the door for reporters who are not
logged in (what it can and cannot see and do), the private link, the property office's triage and the
technician's work, the repeated-fault tag and rotated codes (issue 15)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.auth.sessions import SESSION_COOKIE
from backend.features.facility.models import Building, Room
from backend.features.facility.rules.codes import new_code
from backend.settings import Settings
from tests import images
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio
REPORT = "facility_report"


async def building(db: AsyncSession, world: World, unit: str, *, open_reporting: bool = True) -> list[Room]:
    """A building on `unit` with two rooms; returns the rooms."""
    b = Building(
        municipality_id=world.municipality.id,
        unit_id=world.units[unit].id,
        name=f"Skolen {unit}",
        open_reporting=open_reporting,
    )
    db.add(b)
    await db.flush()
    rooms = [
        Room(municipality_id=b.municipality_id, building_id=b.id, name=n, code=new_code())
        for n in ("3.A", "Sal")
    ]
    db.add_all(rooms)
    await db.commit()
    return rooms


async def report(client: AsyncTestClient, code: str, **fields: Any) -> tuple[str, str, dict[str, Any]]:
    """Report through the door and follow it by a new private link: (report id, secret, door answer)."""
    rid, secret = new_id(), secrets.token_urlsafe(18)
    body = {"code": code, "category": "electricity", "text": "Lyset blinker", **fields}
    made = (await client.post(f"/api/doors/{REPORT}/{code}", json={"id": rid, "fields": body})).json()
    if made["status"] == "applied":
        followed = await client.post(
            f"/api/facility/public/rooms/{code}/follow", json={"report_id": rid, "secret": secret}
        )
        assert followed.status_code == 200, followed.text
    return rid, secret, made


async def receipt(client: AsyncTestClient, rid: str, secret: str) -> Any:
    return await client.post(f"/api/facility/public/receipts/{rid}", json={"secret": secret})


def sign_out(client: AsyncTestClient) -> None:
    client.cookies.delete(SESSION_COOKIE, domain="testserver.local")


async def test_a_report_goes_from_the_room_to_done_and_the_private_link_shows_each_status(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, other_room = await building(db, world, "A1")
    scanned = await client.get(f"/api/facility/public/rooms/{room.code}")
    assert scanned.status_code == 200 and scanned.json()["room"] == "3.A" and scanned.json()["open"] == []
    assert {c["key"] for c in scanned.json()["categories"]} >= {"electricity", "plumbing"}

    rid, secret, made = await report(client, room.code, urgency="urgent", text="Lysstofrøret blinker")
    assert made["status"] == "applied", made
    seen = (await receipt(client, rid, secret)).json()
    assert (seen["state"], seen["room"], seen["building"]) == ("received", "3.A", "Skolen A1")

    # Someone else scans the same room: the open report is shown, and following it creates nothing new.
    hint = (await client.get(f"/api/facility/public/rooms/{room.code}")).json()["open"]
    assert [(h["id"], h["category"], h["text"]) for h in hint] == [
        (rid, "electricity", "Lysstofrøret blinker")
    ]
    assert (await client.get(f"/api/facility/public/rooms/{other_room.code}")).json()["open"] == []
    follower = secrets.token_urlsafe(18)
    ok = await client.post(
        f"/api/facility/public/rooms/{room.code}/follow", json={"report_id": rid, "secret": follower}
    )
    assert ok.status_code == 200
    again = await client.post(
        f"/api/facility/public/rooms/{room.code}/follow", json={"report_id": rid, "secret": follower}
    )
    assert again.status_code == 200  # safe to press twice
    # Not from another room's code.
    wrong_room = await client.post(
        f"/api/facility/public/rooms/{other_room.code}/follow",
        json={"report_id": rid, "secret": secrets.token_urlsafe(18)},
    )
    assert wrong_room.status_code == 404

    # The property office assigns it with a due date and an internal note.
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    ida = Device(client, REPORT)
    pulled = (await ida.pull())[rid]
    assert pulled["fields"]["place"]["room"] == "3.A" and pulled["owner_id"] is None
    # It waits on the triage board, not in the approval inbox (planning needs a technician and a date).
    assert [i for i in (await client.get("/api/inbox")).json() if i["record"]["type"] == REPORT] == []
    tech = world.by_role[Role.TECHNICIAN]
    early = (await ida.push(ida.move(rid, "plan")))["results"][0]
    assert early["status"] == "rejected" and "tekniker og frist" in early["reason"]
    fields = {
        "assignee": tech.id,
        "due": "2026-12-10",
        "priority": "high",
        "internal_note": "Nøgle hos pedellen",
    }
    results = (await ida.push(ida.put(rid, fields), ida.move(rid, "plan")))["results"]
    assert [r["status"] for r in results] == ["applied", "applied"], results
    planned = await receipt(client, rid, follower)
    assert (
        planned.json()["state"] == "planned"
        and "pedellen" not in planned.text
        and "assignee" not in planned.text
    )

    # The technician starts it and closes it with a photo of the fix.
    await sign_in(client, db, tech, settings)
    jens = Device(client, REPORT)
    assert rid in await jens.pull()
    photo = images.jpeg(tag="fixed")
    sha = hashlib.sha256(photo).hexdigest()
    assert (await client.put(f"/api/sync/blobs/{sha}", content=photo)).json()["complete"] is True
    no_photo = (await jens.push(jens.move(rid, "start"), jens.move(rid, "finish")))["results"]
    assert no_photo[0]["status"] == "applied" and "billede" in no_photo[1]["reason"]
    done = (await jens.push(jens.put(rid, {"fix_photos": [sha]}), jens.move(rid, "finish")))["results"]
    assert [r["status"] for r in done] == ["applied", "applied"], done
    stored = (await client.get(f"/api/sync/blobs/{sha}")).content  # as kept: metadata stripped

    sign_out(client)
    final = (await receipt(client, rid, secret)).json()
    assert final["state"] == "done" and final["fix_photos"] == 1
    shown = await client.post(
        f"/api/facility/public/receipts/{rid}/fix-photo", json={"secret": secret, "n": 0}
    )
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert shown.content == stored
    for bad in ({"secret": follower, "n": 1}, {"secret": secrets.token_urlsafe(18), "n": 0}):
        assert (
            await client.post(f"/api/facility/public/receipts/{rid}/fix-photo", json=bad)
        ).status_code == 404
    assert [s["state"] for s in final["steps"]] == ["received", "planned", "in_progress", "done"]
    # A closed report is no longer offered as "already reported".
    assert (await client.get(f"/api/facility/public/rooms/{room.code}")).json()["open"] == []


async def test_the_door_shows_nothing_but_its_room_and_its_own_report(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, other_room = await building(db, world, "A1")
    (closed_room, _) = await building(db, world, "B", open_reporting=False)
    rid, secret, _ = await report(client, room.code)
    other_rid, other_secret, _ = await report(client, other_room.code)
    # The private link opens its own report only; guesses and other ids answer 404.
    assert (await receipt(client, rid, secret)).status_code == 200
    assert (await receipt(client, rid, other_secret)).status_code == 404
    assert (await receipt(client, other_rid, secret)).status_code == 404
    assert (await receipt(client, rid, secrets.token_urlsafe(18))).status_code == 404
    assert (await receipt(client, rid, "short")).status_code == 404
    # An unknown code: nothing there; a building not open to reports without log-in asks to log in
    # (tests/api/test_facility_photos.py), and shows nothing of the room.
    for code in (new_code(), "../etc"):
        assert (await client.get(f"/api/facility/public/rooms/{code}")).status_code == 404
    closed = await client.get(f"/api/facility/public/rooms/{closed_room.code}")
    assert closed.status_code == 401 and "room" not in closed.json()
    made = await client.post(f"/api/doors/{REPORT}/{closed_room.code}", json={"id": new_id(), "fields": {}})
    assert made.status_code == 404
    # A report whose code names a room of another building than its door's is refused.
    forged = await client.post(
        f"/api/doors/{REPORT}/{room.code}", json={"id": new_id(), "fields": {"code": closed_room.code}}
    )
    assert forged.json()["status"] == "rejected"
    # Everything else is closed to the reporter.
    for path in ("/api/facility/buildings", "/api/facility/technicians", "/api/inbox"):
        assert (await client.get(path)).status_code == 401
    assert (await client.get("/api/sync/pull", params={"device_id": new_id()})).status_code == 401
    # Too long a text is refused with the field named, and nothing is made.
    long = await client.post(
        f"/api/doors/{REPORT}/{room.code}",
        json={"id": new_id(), "fields": {"code": room.code, "text": "x" * 2001}},
    )
    assert long.json()["status"] == "rejected" and long.json()["fields"] == ["text"]
    # Staff of another municipality do not see the report.
    await sign_in(client, db, world.other_admin, settings)
    assert rid not in await Device(client, REPORT).pull()


async def test_a_rotated_code_answers_replaced_and_the_new_one_works(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    old = room.code
    assert len(old) >= 22  # ≥ 128 random bits in base64url
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    assert (
        await client.post("/api/facility/buildings/rotate", json={"id": room.building_id})
    ).status_code == 403
    listed = (await client.get("/api/facility/buildings")).json()
    assert next(r["code"] for b in listed for r in b["rooms"]) == old
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    rotated = (await client.post("/api/facility/buildings/rotate", json={"id": room.building_id})).json()
    new = rotated["rooms"][0]["code"]
    assert new != old and len(new) >= 22
    sign_out(client)
    gone = await client.get(f"/api/facility/public/rooms/{old}", headers={"accept-language": "en"})
    assert gone.status_code == 410 and "replaced" in gone.json()["detail_en"]
    assert "udskiftet" in gone.json()["detail"]
    assert (await client.post(f"/api/doors/{REPORT}/{old}", json={"id": new_id()})).status_code == 404
    assert (await client.get(f"/api/facility/public/rooms/{new}")).status_code == 200
    # The per-building setting closes the door; another municipality's admin cannot reach the building.
    await sign_in(client, db, world.other_admin, settings)
    body = {"id": room.building_id, "open_reporting": False}
    assert (await client.put("/api/facility/buildings", json=body)).status_code == 404
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    assert (await client.put("/api/facility/buildings", json=body)).json()["open_reporting"] is False
    sign_out(client)
    assert (await client.get(f"/api/facility/public/rooms/{new}")).json()["login_required"] is True


async def test_a_report_soon_after_a_fix_in_the_same_room_and_category_is_a_repeated_fault(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    first, _, _ = await report(client, room.code)
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    photo = images.jpeg(tag="fix")
    sha = hashlib.sha256(photo).hexdigest()
    await client.put(f"/api/sync/blobs/{sha}", content=photo)
    ida = Device(client, REPORT)
    fields = {"assignee": world.by_role[Role.TECHNICIAN].id, "due": "2026-12-10", "fix_photos": [sha]}
    results = (await ida.push(ida.put(first, fields), ida.move(first, "plan"), ida.move(first, "finish")))[
        "results"
    ]
    assert [r["status"] for r in results] == ["applied"] * 3, results
    sign_out(client)
    again, _, _ = await report(client, room.code)
    other_kind, _, _ = await report(client, room.code, category="plumbing")
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    records = await Device(client, REPORT).pull()
    assert records[again]["fields"]["repeat_of"]["id"] == first
    assert records[other_kind]["fields"]["repeat_of"] == {}


async def test_the_public_lookups_are_rate_limited_per_address(
    client: AsyncTestClient, db: AsyncSession
) -> None:
    world = await build_world(db)
    room, _ = await building(db, world, "A1")
    codes = [(await client.get(f"/api/facility/public/rooms/{room.code}")).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    limited = await client.get(f"/api/facility/public/rooms/{room.code}")
    assert limited.status_code == 429 and "retry-after" in limited.headers


async def test_a_printed_label_scans_back_to_its_room(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """The label sheet is rendered and each QR code decoded from the page, not taken from the URL."""
    world = await build_world(db)
    rooms = await building(db, world, "A1")
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    sheet = await client.get("/api/facility/labels.pdf", params={"building": rooms[0].building_id})
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "application/pdf"
    page = np.array(pdfium.PdfDocument(sheet.content)[0].render(scale=2).to_pil().convert("L"))
    height, width = page.shape
    decoded = []
    for i in range(len(rooms)):  # labels: 2 columns × 4 rows on A4
        x, y = (i % 2) * width // 2, (i // 2) * height // 4
        # the ArUco-based detector: the classic one misses about 1 label in 50 that phones read (measured)
        text, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(page[y : y + height // 4, x : x + width // 2])
        decoded.append(text)
    sign_out(client)
    names = []
    for url in decoded:
        assert "/#/meld/" in url, decoded
        names.append(
            (await client.get(f"/api/facility/public/rooms/{url.split('/#/meld/')[1]}")).json()["room"]
        )
    assert names == sorted(r.name for r in rooms)
    await sign_in(client, db, world.other_admin, settings)
    other = await client.get("/api/facility/labels.pdf", params={"building": rooms[0].building_id})
    assert other.status_code == 404


async def test_each_role_sees_and_moves_a_report_exactly_as_declared(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Every role × a report on its own unit (A1, below A) / another unit (B) / another municipality:
    the property office (on the root) sees and plans all of its municipality's; a technician (on A) sees
    and works on A's; nobody else sees one."""
    world = await build_world(db)
    own, _ = await building(db, world, "A1")
    other, _ = await building(db, world, "B")
    foreign = Building(
        municipality_id=world.other.id, unit_id=world.other_unit.id, name="Nabo", open_reporting=True
    )
    db.add(foreign)
    await db.flush()
    far = Room(municipality_id=world.other.id, building_id=foreign.id, name="Rum", code=new_code())
    db.add(far)
    await db.commit()
    reports = {
        t: (await report(client, room.code))[0]
        for t, room in (("own", own), ("other", other), ("foreign", far))
    }
    sees = {Role.PROPERTY_OFFICE: {"own", "other"}, Role.TECHNICIAN: {"own"}}
    plans = {Role.PROPERTY_OFFICE: {"own", "other"}}
    wrong = []
    for role in Role:
        await sign_in(client, db, world.by_role[role], settings)
        device = Device(client, REPORT)
        seen = await device.pull()
        for target, rid in reports.items():
            if (rid in seen) != (target in sees.get(role, set())):
                wrong.append(f"{role.value} {target}: sees {rid in seen}")
            note = {"internal_note": f"{role.value}"}
            edit = (await device.push(device.put(rid, note)))["results"][0]["status"] == "applied"
            if edit != (target in sees.get(role, set())):
                wrong.append(f"{role.value} {target}: edits {edit}")
        for target, rid in reports.items():
            if target == "foreign":
                continue
            # A reject (with a reason) is the property office's; it must stay undone for the next role.
            move = device.move(rid, "reject")
            move["fields"] = {"note": "Ikke vores"}
            result = (await device.push(move))["results"][0]
            if (result["status"] == "applied") != (target in plans.get(role, set())):
                wrong.append(f"{role.value} {target}: rejects {result['status']}")
            if result["status"] == "applied":
                reports[target] = await _fresh(client, db, world, target, own, other, settings, role)
    assert not wrong, "\n".join(wrong)


async def _fresh(
    client: AsyncTestClient,
    db: AsyncSession,
    world: World,
    target: str,
    own: Room,
    other: Room,
    settings: Settings,
    role: Role,
) -> str:
    """A new open report for `target` (the last one was rejected), made through the door; signs `role` in again."""
    sign_out(client)
    rid = (await report(client, (own if target == "own" else other).code))[0]
    await sign_in(client, db, world.by_role[role], settings)
    return rid


async def test_buildings_and_rooms_are_imported_from_csv_once_and_a_bad_file_changes_nothing(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.PROPERTY_OFFICE], settings)
    csv = "building;address;unit_code;room\n" + (
        "Nordskolen;Skolevej 1;A1;Klasse 3.A\nNordskolen;Skolevej 1;A1;Gymnastiksal\nSolsikken;Vej 2;B;Stue 1\n"
    )

    def post(text: str) -> Any:
        return client.post(
            "/api/facility/import", content=text.encode(), headers={"content-type": "text/csv"}
        )

    first = (await post(csv)).json()
    assert (first["buildings"], first["rooms"], first["errors"]) == (2, 3, [])
    again = (await post(csv)).json()
    assert (again["buildings"], again["rooms"]) == (0, 0)
    listed = (await client.get("/api/facility/buildings")).json()
    assert [(b["name"], [r["name"] for r in b["rooms"]]) for b in listed] == [
        ("Nordskolen", ["Gymnastiksal", "Klasse 3.A"]),
        ("Solsikken", ["Stue 1"]),
    ]
    bad = (await post("building;address;unit_code;room\nNyt hus;;A1;Rum 1\nNyt hus;;NOPE;Rum 2\n")).json()
    assert bad["buildings"] == 0 and [e["line"] for e in bad["errors"]] == [3]
    assert "NOPE" in bad["errors"][0]["message"]
    assert len((await client.get("/api/facility/buildings")).json()) == 2  # nothing of the bad file
    assert (await post("name;room\nx;y\n")).status_code == 400
