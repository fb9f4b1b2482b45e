"""The shared mechanisms every workflow builds on: typed fields, server-owned fields, one push pipeline,
records placed on their subject, the door for people who are not logged in (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import CSRF_COOKIE, CSRF_HEADER, create_app
from backend.auth.roles import Role
from backend.features.workflow import Effect, Payable, Workflow
from backend.settings import Settings
from sync import engine
from sync.apply import Record
from tests import images
from tests.api.test_sync_api import Device, new_id
from tests.conftest import BASE_URL, TEST_WORKFLOWS, sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


def receipt(**fields: Any) -> dict[str, Any]:
    return {"date": "2026-11-02", "total": "187.50", "account": "1-2.9", "purpose": "Kaffe", **fields}


@pytest.mark.parametrize(
    "field,value",
    [
        ("total", "187,50"),
        ("total", "1e3"),
        ("total", "NaN"),
        ("total", "Infinity"),
        ("total", "-187.50"),
        ("total", " 187.50 "),
        ("total", "0"),
        ("total", 187.5),
        ("date", "i går"),
        ("date", "26/11/2026"),
        ("date", "2026-02-30"),
        ("date", "2099-12-31"),
        ("vat", "150.00"),  # more than 20 % of 187.50
    ],
)
async def test_a_receipt_value_in_any_other_form_is_refused_and_the_queue_moves_on(
    field: str, value: Any, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device = Device(client, "receipt")
    bad, good = new_id(), new_id()
    answer = await device.push(
        device.put(bad, receipt(**{field: value})), device.move(bad, "submit"), device.put(good, receipt())
    )
    first, submit, after = answer["results"]
    assert first["status"] == "rejected" and first["reason"] and first["reason_en"], first
    assert submit["status"] == "rejected"  # nothing was stored, so nothing is sent to payroll
    assert after["status"] == "applied" and answer["last_n"] == 3  # the queue is not stuck
    assert (await device.push(device.move(good, "submit")))["results"][0]["status"] == "applied"


async def test_money_is_stored_in_one_canonical_form(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device, rid = Device(client, "receipt"), new_id()
    result = (await device.push(device.put(rid, receipt(total="187.5", vat="37.5"))))["results"][0]
    assert (result["record"]["fields"]["total"], result["record"]["fields"]["vat"]) == ("187.50", "37.50")


async def test_fields_the_server_owns_are_ignored_from_a_push(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Pre-setting the payroll month must not stop the payment; clearing duplicate_of must not hide a duplicate."""
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device = Device(client, "receipt")
    first, second = new_id(), new_id()
    await device.push(device.put(first, receipt(cvr="13748136")))
    sneaky = receipt(cvr="13748136", payroll={"month": "2020-01"}, duplicate_of=[], ocr={"status": "done"})
    answer = await device.push(device.put(second, sneaky), device.move(second, "submit"))
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    stored = answer["results"][1]["record"]["fields"]
    assert stored["payroll"]["month"] != "2020-01" and stored["ocr"] == {}
    pending = await client.get("/api/payroll/exports")  # the employee may not look: payroll may
    assert pending.status_code == 403


async def test_a_planners_task_for_anna_is_visible_to_anna_and_not_to_annas_colleagues(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    planner, anna, colleague = world.by_role[Role.PLANNER], world.in_a1, world.by_role[Role.EMPLOYEE]
    await sign_in(client, db, planner, settings)
    device, tid = Device(client, "task"), new_id()
    fields = {
        "title": "Aftenvagt",
        "employee": anna.id,
        "unit": world.units["A1"].id,
        "counterpart": world.in_b.id,
    }
    result = (await device.push(device.put(tid, fields)))["results"][0]
    assert result["status"] == "applied", result
    record = result["record"]
    assert (record["owner_id"], record["author_id"], record["unit_id"]) == (
        anna.id,
        planner.id,
        world.units["A1"].id,
    )
    assert record["parties"] == [{"user_id": world.in_b.id, "part": "counterpart"}]
    for person, sees in ((anna, True), (world.in_b, True), (colleague, False)):
        await sign_in(client, db, person, settings)
        assert (tid in await Device(client, "task").pull()) is sees, person.name
    await sign_in(client, db, anna, settings)  # the subject sees it but may not edit the planner's task
    edit = (await Device(client, "task").push(Device(client, "task").put(tid, {"title": "Fri"})))["results"][
        0
    ]
    assert edit["status"] == "rejected"


async def test_placing_a_record_on_someone_else_needs_the_capability_over_their_unit(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.EMPLOYEE], settings)
    device = Device(client, "task")
    answer = await device.push(device.put(new_id(), {"title": "x", "employee": world.in_a1.id}))
    assert answer["results"][0]["status"] == "rejected"
    await sign_in(client, db, world.by_role[Role.PLANNER], settings)
    device = Device(client, "task")
    abroad = await device.push(device.put(new_id(), {"title": "x", "employee": world.other_employee.id}))
    assert abroad["results"][0]["reason"] == "Personen findes ikke."  # another municipality's: as if missing
    own = await device.push(device.put(new_id(), {"title": "x", "employee": world.in_a1.id}))
    assert own["results"][0]["status"] == "applied"


async def test_a_report_through_the_door_needs_no_log_in_and_shows_nothing_else(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    rid, door = new_id(), f"/api/doors/report/unit-{world.units['A1'].id}"
    made = await client.post(door, json={"id": rid, "fields": {"what": "Radiatoren drypper"}})
    assert made.status_code == 200 and made.json()["status"] == "applied", made.text
    again = await client.post(door, json={"id": rid, "fields": {"what": "Noget andet"}})
    assert again.json() == {"n": 1, "status": "applied", "duplicate": True}  # safe to send twice
    assert (await client.post("/api/doors/report/unit-999999", json={"id": new_id()})).status_code == 404
    assert (await client.post("/api/doors/note/x", json={"id": new_id()})).status_code == 404
    too_long = await client.post(door, json={"id": new_id(), "fields": {"what": "x" * 501}})
    assert too_long.json()["status"] == "rejected"
    assert (await client.get("/api/sync/pull", params={"device_id": new_id()})).status_code == 401
    await sign_in(client, db, world.by_role[Role.LEADER], settings)  # view_staff over A covers A1
    seen = (await Device(client, "report").pull())[rid]
    assert (
        seen["owner_id"] is None
        and seen["author_id"] is None
        and seen["fields"]["what"] == "Radiatoren drypper"
    )


async def test_the_door_is_rate_limited_per_address(client: AsyncTestClient, db: AsyncSession) -> None:
    world = await build_world(db)
    door = f"/api/doors/report/unit-{world.units['B'].id}"
    codes = [
        (await client.post(door, json={"id": new_id(), "fields": {"what": "x"}})).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429


async def _boom(db: AsyncSession, records: list[Record]) -> list[Effect]:
    if any(r.fields.get("title") == "boom" for r in records):
        raise RuntimeError("a bug in a workflow's hook")
    return []


@pytest.fixture
async def fragile_client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    """An app whose note workflow has a hook that fails on the title "boom"."""
    fragile = Workflow("fragile", hooks={"note": (_boom,)})
    async with AsyncTestClient(create_app(settings, (*TEST_WORKFLOWS, fragile)), base_url=BASE_URL) as c:
        await c.get("/api/health")
        c.headers[CSRF_HEADER] = c.cookies[CSRF_COOKIE]
        yield c


async def test_a_failing_hook_rejects_only_its_mutation_and_the_queue_moves_on(
    fragile_client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(fragile_client, db, world.in_a1, settings)
    device = Device(fragile_client)
    ok, boom, later = new_id(), new_id(), new_id()
    answer = await device.push(
        device.put(ok, {"title": "fine"}),
        device.put(boom, {"title": "boom"}),
        device.put(later, {"title": "also"}),
    )
    assert [r["status"] for r in answer["results"]] == ["applied", "rejected", "applied"]
    assert "Serveren kunne ikke gemme" in answer["results"][1]["reason"] and answer["last_n"] == 3
    pulled = await device.pull()
    assert ok in pulled and later in pulled and boom not in pulled


async def test_a_submitted_receipt_is_written_once(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Apply, hooks and the payroll feed change it in memory; the record table sees one write."""
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device, rid = Device(client, "receipt"), new_id()
    await device.push(device.put(rid, receipt()))
    writes: list[str] = []
    original = engine.write

    async def counting(db_: AsyncSession, t: Any, registry: Any, batch: engine.Batch) -> None:
        writes.extend(str(r.id) for r in batch.changed())
        await original(db_, t, registry, batch)

    monkeypatch.setattr(engine, "write", counting)
    answer = await device.push(device.move(rid, "submit"))
    assert writes == [rid]
    record = answer["results"][0]["record"]
    assert record["state"] == "submitted" and record["fields"]["payroll"]["month"]  # one version, all in it
    assert record["version"] == 2


@pytest.mark.parametrize("value", [True, 2**40, -1, "7"])
async def test_a_person_or_unit_that_cannot_be_an_id_is_refused_not_looked_up(
    value: Any, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Found by the property test: a bool or a number beyond the id column's range reached the database."""
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.PLANNER], settings)
    device = Device(client, "task")
    answer = await device.push(device.put(new_id(), {"title": "x", "employee": value, "unit": value}))
    assert answer["results"][0]["status"] == "rejected"


async def test_a_photos_hash_is_no_key_to_it(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Knowing another person's photo hash (from a booking file, a leader's pull) gives no access to it."""
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    photo = images.jpeg(tag="Anna's receipt")
    sha = hashlib.sha256(photo).hexdigest()
    assert (await client.put(f"/api/sync/blobs/{sha}", content=photo)).json()["complete"] is True
    anna = Device(client, "receipt")
    assert (await anna.push(anna.put(new_id(), receipt(photos=[sha]))))["results"][0]["status"] == "applied"
    for stranger in (world.in_b, world.other_employee):
        await sign_in(client, db, stranger, settings)
        device = Device(client, "receipt")
        linked = (await device.push(device.put(new_id(), receipt(photos=[sha]))))["results"][0]
        assert linked["status"] == "rejected" and "Billedet findes ikke" in linked["reason"]
        assert (await client.get(f"/api/sync/blobs/{sha}")).status_code == 404
    await sign_in(client, db, world.by_role[Role.LEADER], settings)  # Anna's leader sees her receipt
    assert (await client.get(f"/api/sync/blobs/{sha}")).content == photo


async def test_a_photo_not_yet_uploaded_may_be_named_first_and_arrive_later(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """Offline: the receipt reaches the server before its photo does."""
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    photo = images.jpeg(tag="taken in a basement")
    sha = hashlib.sha256(photo).hexdigest()
    device, rid = Device(client, "receipt"), new_id()
    assert (await device.push(device.put(rid, receipt(photos=[sha]))))["results"][0]["status"] == "applied"
    assert (await client.put(f"/api/sync/blobs/{sha}", content=photo)).json()["complete"] is True
    assert (await client.get(f"/api/sync/blobs/{sha}")).content == photo


@pytest.mark.parametrize(
    "content,status",
    [
        (b"<html><script>alert(1)</script></html>", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415),
        (b"\xff\xd8\xff\xe0 not really a jpeg", 422),
    ],
)
async def test_only_files_felt_reads_are_stored_whatever_their_header_says(
    content: bytes, status: int, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    sha = hashlib.sha256(content).hexdigest()
    refused = await client.put(
        f"/api/sync/blobs/{sha}", content=content, headers={"x-blob-type": "image/jpeg"}
    )
    assert refused.status_code == status and refused.json()["detail"], refused.text
    assert not (settings.data_dir / "blobs" / sha[:2] / sha).exists()  # nothing left behind
    assert (await client.head(f"/api/sync/blobs/{sha}")).headers["upload-complete"] == "0"


async def test_a_stored_file_is_served_with_its_own_type_and_no_way_to_run_script(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    for content, media_type, disposition in (
        (images.png(), "image/png", "inline"),
        (pdf, "application/pdf", "attachment"),
    ):
        sha = hashlib.sha256(content).hexdigest()
        assert (
            await client.put(f"/api/sync/blobs/{sha}", content=content, headers={"x-blob-type": "text/html"})
        ).status_code == 200
        got = await client.get(f"/api/sync/blobs/{sha}")
        assert got.headers["content-type"].startswith(media_type)
        assert got.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in got.headers["content-security-policy"]
        assert got.headers["content-disposition"].startswith(disposition)


async def test_a_decompression_bomb_is_refused_with_a_clear_413_and_leaves_nothing(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """A small file that claims 50,000 × 50,000 pixels: the header is read, no pixel is decoded."""
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    bomb = bytearray(images.png((1, 1)))
    bomb[16:24] = (50_000).to_bytes(4, "big") + (50_000).to_bytes(4, "big")  # IHDR width and height
    sha = hashlib.sha256(bytes(bomb)).hexdigest()
    refused = await client.put(f"/api/sync/blobs/{sha}", content=bytes(bomb))
    assert (
        refused.status_code in (413, 422) and "pixel" in refused.json()["detail"]
    ) or refused.status_code == 422
    assert not (settings.data_dir / "blobs" / sha[:2] / sha).exists()


async def test_a_workflow_that_cannot_say_what_a_record_pays_rejects_only_that_change(
    db: AsyncSession, settings: Settings
) -> None:
    """The payroll feed runs every paying workflow's rule: one that raises must not stop the device."""
    broken = Payable(frozenset({"submitted"}), lines=lambda r: 1 / 0, decided_at=lambda r: r.updated_at)  # type: ignore[arg-type,return-value]
    note_pays = Workflow("paying-notes", payables={"note": broken})
    async with AsyncTestClient(create_app(settings, (*TEST_WORKFLOWS, note_pays)), base_url=BASE_URL) as c:
        await c.get("/api/health")
        c.headers[CSRF_HEADER] = c.cookies[CSRF_COOKIE]
        world = await build_world(db)
        await sign_in(c, db, world.in_a1, settings)
        device, nid, other = Device(c), new_id(), new_id()
        answer = await device.push(
            device.put(nid, {"title": "x"}), device.move(nid, "submit"), device.put(other, {"title": "y"})
        )
        assert [r["status"] for r in answer["results"]] == ["rejected", "rejected", "applied"]
