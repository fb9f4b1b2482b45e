"""The sync protocol over HTTP (docs/sync.md): exactly once, conflicts never silent, nothing leaks."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import RoleAssignment, User
from backend.settings import Settings
from tests import images
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio
SCHEMA = {"x-felt-schema": "1"}


class Device:
    """A test device: numbers its mutations like the PWA does."""

    def __init__(self, client: AsyncTestClient, record_type: str = "note") -> None:
        self.client, self.id, self.n, self.cursor = client, str(uuid.uuid4()), 0, None
        self.type = record_type

    def put(
        self, record_id: str, fields: dict[str, Any], base: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        self.n += 1
        return {
            "n": self.n,
            "kind": "put",
            "type": self.type,
            "id": record_id,
            "fields": fields,
            "base": base or {},
        }

    def move(self, record_id: str, transition: str) -> dict[str, Any]:
        self.n += 1
        return {
            "n": self.n,
            "kind": "transition",
            "type": self.type,
            "id": record_id,
            "transition": transition,
        }

    def delete(self, record_id: str) -> dict[str, Any]:
        self.n += 1
        return {"n": self.n, "kind": "delete", "type": self.type, "id": record_id}

    async def push(self, *mutations: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(
            "/api/sync/push", json={"device_id": self.id, "mutations": list(mutations)}, headers=SCHEMA
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def pull(self, limit: int = 1000) -> dict[str, dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        while True:
            params = {
                "device_id": self.id,
                "limit": limit,
                **({"cursor": self.cursor} if self.cursor else {}),
            }
            response = await self.client.get("/api/sync/pull", params=params, headers=SCHEMA)
            assert response.status_code == 200, response.text
            body = response.json()
            self.cursor = body["cursor"]
            for record in body["records"]:
                assert record["id"] not in seen, "a record came twice in one pull"
                seen[record["id"]] = record
            if not body["has_more"]:
                return seen


def new_id() -> str:
    return str(uuid.uuid4())


async def _as(client: AsyncTestClient, db: AsyncSession, settings: Settings, user: User) -> Device:
    await sign_in(client, db, user, settings)
    return Device(client)


async def test_offline_batch_is_applied_once_and_reaches_other_devices_and_the_leader(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    ids = [new_id() for _ in range(3)]
    batch = [phone.put(i, {"title": f"note {k}"}) for k, i in enumerate(ids)]
    first = await phone.push(*batch)
    assert first["last_n"] == 3 and [r["status"] for r in first["results"]] == ["applied"] * 3
    again = await phone.push(*batch)  # the response was lost; the phone sends the same batch again
    assert all(r["status"] == "applied" and r["duplicate"] for r in again["results"])
    tablet = Device(client)
    records = await tablet.pull()
    assert set(records) == set(ids) and all(r["version"] == 1 for r in records.values())
    leader = await _as(client, db, settings, world.by_role[Role.LEADER])  # leads A, above A1
    assert set(await leader.pull()) == set(ids)
    other_unit = await _as(client, db, settings, world.in_b)
    assert await other_unit.pull() == {}
    abroad = await _as(client, db, settings, world.other_admin)
    assert await abroad.pull() == {}


async def test_a_gap_is_answered_out_of_order_and_nothing_after_it_is_applied(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    one, _lost, three = (
        phone.put(new_id(), {"title": "1"}),
        phone.put(new_id(), {"title": "2"}),
        phone.put(new_id(), {"title": "3"}),
    )
    result = await phone.push(one, three)
    assert [r["status"] for r in result["results"]] == ["applied", "out_of_order"] and result["last_n"] == 1


async def test_different_fields_merge_and_the_same_field_is_a_conflict(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    laptop = Device(client)
    rid = new_id()
    await phone.push(phone.put(rid, {"title": "Taxi", "body": "to the meeting"}))
    base = {"title": "Taxi", "body": "to the meeting"}
    await phone.push(phone.put(rid, {"title": "Taxi home"}, base))
    merged = await laptop.push(laptop.put(rid, {"body": "from the meeting"}, base))
    assert merged["results"][0]["status"] == "applied"
    assert merged["results"][0]["record"]["fields"] | {} == {
        "title": "Taxi home",
        "body": "from the meeting",
        "done": False,
        "photo": None,
    }
    clash = await laptop.push(laptop.put(rid, {"title": "Bus", "done": True}, base))
    result = clash["results"][0]
    assert result["status"] == "conflict" and result["fields"] == ["title"]
    assert result["record"]["fields"]["title"] == "Taxi home" and result["record"]["fields"]["done"] is True
    resolved = await laptop.push(laptop.put(rid, {"title": "Bus"}, {"title": "Taxi home"}))
    assert resolved["results"][0]["record"]["fields"]["title"] == "Bus"


async def test_the_state_machine_wins_and_says_why(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    rid = new_id()
    result = await phone.push(
        phone.put(rid, {"title": "Trip"}), phone.move(rid, "submit"), phone.move(rid, "approve")
    )
    assert [r["status"] for r in result["results"]] == [
        "applied",
        "applied",
        "rejected",
    ]  # no approving one's own
    leader = await _as(client, db, settings, world.by_role[Role.LEADER])
    approved = await leader.push(leader.move(rid, "approve"))
    assert approved["results"][0]["record"]["state"] == "approved"
    history = approved["results"][0]["record"]["history"]
    assert [(h["transition"], h["by"]) for h in history] == [
        ("submit", world.in_a1.id),
        ("approve", world.by_role[Role.LEADER].id),
    ]
    phone = await _as(client, db, settings, world.in_a1)
    late = await phone.push(phone.put(rid, {"title": "Trip, longer"}, {"title": "Trip"}))
    assert late["results"][0]["status"] == "rejected"
    assert late["results"][0]["reason"] == "Posten er godkendt og kan ikke længere ændres."
    assert late["results"][0]["record"]["fields"]["title"] == "Trip"


async def test_forbidden_and_invalid_mutations_are_processed_and_do_not_block_the_queue(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    owner = await _as(client, db, settings, world.in_b)
    theirs = new_id()
    await owner.push(owner.put(theirs, {"title": "mine"}))
    phone = await _as(client, db, settings, world.in_a1)
    result = await phone.push(
        phone.put(theirs, {"title": "hijacked"}),
        phone.put(new_id(), {"title": "x" * 201}),
        phone.put(new_id(), {"title": 42, "colour": "red"}),
        phone.put(new_id(), {"title": "fine"}),
    )
    statuses = [r["status"] for r in result["results"]]
    assert statuses == ["rejected", "rejected", "rejected", "applied"] and result["last_n"] == 4
    assert "record" not in result["results"][0]  # nothing about another unit's record is revealed
    assert "200 tegn" in result["results"][1]["reason"]
    owner = await _as(client, db, settings, world.in_b)
    assert (await owner.pull())[theirs]["fields"]["title"] == "mine"


async def test_deletes_travel_as_tombstones(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    tablet = Device(client)
    rid = new_id()
    await phone.push(phone.put(rid, {"title": "oops"}))
    assert not (await tablet.pull())[rid]["deleted"]
    await phone.push(phone.delete(rid))
    assert (await tablet.pull())[rid]["deleted"] is True


async def test_pages_never_split_or_repeat_a_batch(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    ids = {new_id() for _ in range(25)}
    await phone.push(
        *[phone.put(i, {"title": "x"}) for i in sorted(ids)]
    )  # one transaction, one change number
    tablet = Device(client)
    assert set(await tablet.pull(limit=4)) == ids
    assert await tablet.pull() == {}  # nothing new: the cheap answer


async def test_a_change_of_roles_resets_what_the_device_holds(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    await phone.push(phone.put(new_id(), {"title": "x"}))
    leader = await _as(client, db, settings, world.by_role[Role.LEADER])
    assert len(await leader.pull()) == 1
    await db.execute(
        update(RoleAssignment)
        .where(RoleAssignment.user_id == world.by_role[Role.LEADER].id)
        .values(role="employee")
    )
    await db.commit()
    response = await client.get(
        "/api/sync/pull", params={"device_id": leader.id, "cursor": leader.cursor}, headers=SCHEMA
    )
    assert response.json()["reset"] is True and response.json()["records"] == []


async def test_devices_and_old_apps_are_checked(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    await phone.push(phone.put(new_id(), {"title": "x"}))
    old = await client.post("/api/sync/push", json={"device_id": phone.id, "mutations": []})
    assert old.status_code == 426 and "Opdater appen" in old.json()["detail"]
    assert (
        await client.get("/api/sync/pull", params={"device_id": phone.id}, headers={"x-felt-schema": "0"})
    ).status_code == 426
    await sign_in(client, db, world.in_b, settings)
    stolen = await client.post(
        "/api/sync/push", json={"device_id": phone.id, "mutations": []}, headers=SCHEMA
    )
    assert stolen.status_code == 403
    bad = await client.post(
        "/api/sync/push", json={"device_id": "not-a-uuid", "mutations": [{"n": "one"}]}, headers=SCHEMA
    )
    assert bad.status_code == 400


async def test_blobs_upload_resumably_and_only_reach_those_who_may_see_them(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world: World = await build_world(db)
    photo = images.jpeg((400, 400), noise=True)
    assert len(photo) > 100_000
    sha = hashlib.sha256(photo).hexdigest()
    phone = await _as(client, db, settings, world.in_a1)
    url = f"/api/sync/blobs/{sha}"
    assert (await client.head(url)).headers["upload-offset"] == "0"
    half = len(photo) // 2
    first = await client.put(
        url,
        content=photo[:half],
        headers={"content-range": f"bytes 0-{half - 1}/{len(photo)}", "x-blob-type": "image/jpeg"},
    )
    assert first.json() == {"complete": False, "offset": half}
    assert (await client.head(url)).headers["upload-offset"] == str(
        half
    )  # the connection dropped: resume here
    wrong_place = await client.put(
        url, content=photo[:10], headers={"content-range": f"bytes 0-9/{len(photo)}"}
    )
    assert wrong_place.status_code == 400 and str(half) in wrong_place.json()["detail"]
    rest = await client.put(
        url,
        content=photo[half:],
        headers={"content-range": f"bytes {half}-{len(photo) - 1}/{len(photo)}", "x-blob-type": "image/jpeg"},
    )
    assert rest.json()["complete"] is True and (await client.head(url)).headers["upload-complete"] == "1"
    assert (await client.put(url, content=photo)).json()["complete"] is True  # sending it again is a no-op
    await phone.push(phone.put(new_id(), {"title": "receipt", "photo": sha}))
    got = await client.get(url)
    assert got.content == photo and got.headers["content-type"].startswith("image/jpeg")  # nothing to strip
    await sign_in(client, db, world.by_role[Role.LEADER], settings)
    assert (await client.get(url)).content == photo  # the leader sees the record, so the photo
    await sign_in(client, db, world.in_b, settings)
    assert (await client.get(url)).status_code == 404
    damaged = hashlib.sha256(b"other").hexdigest()
    broken = await client.put(f"/api/sync/blobs/{damaged}", content=b"not other")
    assert broken.status_code == 400 and "Send den igen" in broken.json()["detail"]
    assert (await client.head("/api/sync/blobs/not-a-hash")).status_code == 400


async def test_a_refusal_whose_answer_was_lost_is_told_again(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    phone = await _as(client, db, settings, world.in_a1)
    rid = new_id()
    await phone.push(phone.put(rid, {"title": "Taxi"}))
    laptop = Device(client)
    await laptop.push(laptop.put(rid, {"title": "Bus"}, {"title": "Taxi"}))
    clash = phone.put(rid, {"title": "Train"}, {"title": "Taxi"})
    first = await phone.push(clash)
    again = await phone.push(clash)  # the first answer never reached the phone
    assert first["results"][0]["status"] == again["results"][0]["status"] == "conflict"
    assert again["results"][0]["duplicate"] is True and again["results"][0]["fields"] == ["title"]
    assert again["results"][0]["record"]["fields"]["title"] == "Bus"
