"""Web push end to end: a device subscribes from the profile, a workflow's step becomes a job, the job
sends through pywebpush to a local push service that verifies the VAPID JWT and decrypts the payload
(tests/push/service.py). Dead subscriptions go, busy services are retried later, one failure never
stops the others, and each person's choices are kept."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import create_app
from backend.auth.roles import Role
from backend.db.base import utcnow
from backend.db.engine import make_engine
from backend.db.models import Job as JobRow
from backend.db.models import User
from backend.features.notify import jobs, morning
from backend.features.notify.emit import Text, message, to_people
from backend.features.notify.models import PendingMessage, PushSubscription
from backend.features.notify.rules.delivery import TTL_S
from backend.features.notify.rules.subject import BadSubject
from backend.jobs import worker
from backend.jobs.queue import enqueue
from backend.platform import Platform
from backend.settings import Settings
from tests.api.test_mileage import log_trips, trip
from tests.conftest import sign_in
from tests.push.service import PushService
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def run_notify_jobs(settings: Settings, platform: Platform) -> None:
    """Run the queued notification jobs that are due, as a worker would; fail on a failed job."""
    only_notify = dataclasses.replace(
        platform, jobs=MappingProxyType({k: j for k, j in platform.jobs.items() if k.startswith("notify.")})
    )
    engine = make_engine(settings.database_url, settings.database_schema)
    try:
        while await worker.run_one(engine, only_notify):
            pass
        async with AsyncSession(engine) as db:
            failed = (
                await db.scalars(
                    select(JobRow).where(JobRow.kind.like("notify.%"), JobRow.status == "failed")
                )
            ).all()
            assert not failed, [(j.kind, j.last_error) for j in failed]
    finally:
        await engine.dispose()


@pytest.fixture
async def quiet_queue(db: AsyncSession) -> None:
    """Earlier tests' notification jobs (the same database) are not this test's business."""
    await db.execute(delete(JobRow).where(JobRow.kind.like("notify.%")))
    await db.commit()


async def subscribe(client: AsyncTestClient, sub: dict[str, Any], lang: str = "da") -> None:
    response = await client.post("/api/push/subscriptions", json=sub | {"lang": lang})
    assert response.status_code == 200, response.text


async def test_an_approved_trip_reaches_the_employees_phone_decrypted_and_signed(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    leader = world.by_role[Role.LEADER]
    await sign_in(client, db, leader, settings)
    leader_phone = push_service.subscribe()
    await subscribe(client, leader_phone, "en")
    assert (await client.get("/api/push")).json()["devices"] == 1

    await sign_in(client, db, world.in_a1, settings)
    phone = push_service.subscribe()
    await subscribe(client, phone)
    about = (await client.get("/api/push")).json()
    assert (
        about["enabled"]
        and len(about["public_key"]) == 87
        and about["choices"] == {"off": [], "digest": False}
    )
    _, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await run_notify_jobs(settings, platform)  # submitting: whoever decides for A1 hears of it
    [waiting] = push_service.for_endpoint(leader_phone["endpoint"])
    assert waiting.payload == {
        "title": "1 item waits for your decision",
        "body": "Open the inbox to see them.",
        "url": "/#/inbox",
        "tag": "waiting",
    }
    assert waiting.topic == "waiting" and waiting.ttl == TTL_S

    await sign_in(client, db, leader, settings)
    results = (await client.post("/api/inbox/trip/approve", json={"ids": [tid]})).json()
    assert results[0]["status"] == "applied"
    assert push_service.for_endpoint(phone["endpoint"]) == []  # never sent in the request
    await run_notify_jobs(settings, platform)
    [got] = push_service.for_endpoint(phone["endpoint"])
    assert got.payload == {
        "title": "Din kørsel er godkendt",
        "body": "Den kommer med lønnen.",
        "url": f"/#/koersel/{tid}",
        "tag": None,
    }
    assert got.claims["aud"] == push_service.origin and got.claims["sub"] == "mailto:it-drift@felt-kommune.dk"
    assert got.claims["exp"] <= utcnow().timestamp() + 24 * 3600
    assert push_service.refused == []
    # The same step is announced once, however often the job is enqueued again.
    await run_notify_jobs(settings, platform)
    assert len(push_service.for_endpoint(phone["endpoint"])) == 1


async def test_a_rejection_tells_its_reason(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    phone = push_service.subscribe()
    await subscribe(client, phone)
    _, [tid] = await log_trips(client, db, settings, world.in_a1, trip())
    await sign_in(client, db, world.by_role[Role.LEADER], settings)
    results = (
        await client.post("/api/inbox/trip/reject", json={"ids": [tid], "note": "Forkert dato"})
    ).json()
    assert results[0]["status"] == "applied", results
    await run_notify_jobs(settings, platform)
    [got] = push_service.for_endpoint(phone["endpoint"])
    assert got.payload["title"] == "Din kørsel er afvist"
    assert got.payload["body"].endswith("Begrundelse: Forkert dato")


async def _devices(db: AsyncSession, user: User) -> list[str]:
    return list(
        (await db.scalars(select(PushSubscription.endpoint).where(PushSubscription.user_id == user.id))).all()
    )


async def test_gone_devices_are_removed_busy_ones_retried_and_the_rest_still_get_it(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    person = world.in_a1
    await sign_in(client, db, person, settings)
    gone, moved, busy, failing, too_big, fine = (
        push_service.subscribe(410),
        push_service.subscribe(404),
        push_service.subscribe((429, "120"), 201),
        push_service.subscribe(503, 503, 503, 503),
        push_service.subscribe(413),
        push_service.subscribe(),
    )
    for sub in (gone, moved, busy, failing, too_big, fine):
        await subscribe(client, sub)
    msg = message("follows", Text("Nyt", "News"), Text("Se det.", "See it."), "/", topic="t1")
    effect = to_people([person.id], msg, key=f"test-{person.id}")
    await enqueue(db, effect.kind, effect.payload, dedupe_key=effect.dedupe_key)
    await db.commit()
    before = utcnow()
    await run_notify_jobs(settings, platform)

    assert [r.status for r in push_service.for_endpoint(fine["endpoint"])] == [201]
    # 413: kept (the device is fine, the message was not), and not tried again.
    assert [r.status for r in push_service.for_endpoint(too_big["endpoint"])] == [413]
    assert sorted(await _devices(db, person)) == sorted(s["endpoint"] for s in (busy, failing, too_big, fine))
    retries = (
        await db.scalars(select(JobRow).where(JobRow.kind == jobs.RETRY, JobRow.status == "queued"))
    ).all()
    by_endpoint = {r.payload["subscription_id"]: r for r in retries}
    assert len(by_endpoint) == 2
    subs = {
        s.endpoint: s.id
        for s in await db.scalars(select(PushSubscription).where(PushSubscription.user_id == person.id))
    }
    busy_retry, failing_retry = by_endpoint[subs[busy["endpoint"]]], by_endpoint[subs[failing["endpoint"]]]
    assert busy_retry.run_after >= before + timedelta(seconds=120)  # the service's Retry-After
    assert before + timedelta(seconds=30) <= failing_retry.run_after < before + timedelta(seconds=120)

    # Later: the busy service takes it; the failing one is tried until the attempts are spent.
    for _ in range(4):
        await db.execute(
            JobRow.__table__.update()
            .where(JobRow.kind == jobs.RETRY, JobRow.status == "queued")
            .values(run_after=utcnow())
        )
        await db.commit()
        await run_notify_jobs(settings, platform)
    [_, delivered] = push_service.for_endpoint(busy["endpoint"])
    assert delivered.payload["title"] == "Nyt" and delivered.topic == "t1" and 0 < delivered.ttl <= TTL_S
    assert [r.status for r in push_service.for_endpoint(failing["endpoint"])] == [503] * 4
    assert len(push_service.for_endpoint(too_big["endpoint"])) == 1
    assert (
        await db.scalars(select(JobRow).where(JobRow.kind == jobs.RETRY, JobRow.status == "queued"))
    ).all() == []


async def test_choices_switch_a_kind_off_or_keep_it_for_the_morning_digest(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    person = world.in_a1
    await sign_in(client, db, person, settings)
    phone = push_service.subscribe()
    await subscribe(client, phone)
    bad = await client.put("/api/push/choices", json={"off": ["everything"], "digest": False})
    assert bad.status_code == 400 and "Ukendt" in bad.json()["detail"]
    ok = await client.put("/api/push/choices", json={"off": ["follows"], "digest": True})
    assert ok.json() == {"off": ["follows"], "digest": True}
    assert (
        await client.put("/api/push/choices", json={"off": ["follows"], "digest": True})
    ).status_code == 200

    for n, category in enumerate(("follows", "decisions", "decisions")):
        msg = message(category, Text(f"Besked {n}", f"Message {n}"), Text("…", "…"), "/")
        effect = to_people([person.id], msg)
        await enqueue(db, effect.kind, effect.payload)
    await db.commit()
    await run_notify_jobs(settings, platform)
    assert push_service.for_endpoint(phone["endpoint"]) == []  # switched off, or kept for the digest
    kept = (await db.scalars(select(PendingMessage).where(PendingMessage.user_id == person.id))).all()
    assert [m.message["title"][0] for m in kept] == ["Besked 1", "Besked 2"]

    await enqueue(db, morning.MORNING, {"day": "2026-06-02"})
    await db.commit()
    await run_notify_jobs(settings, platform)
    [digest] = push_service.for_endpoint(phone["endpoint"])
    assert digest.payload["title"] == "Felt: dit overblik" and digest.payload["body"] == "Besked 1\nBesked 2"
    assert digest.topic == "digest"
    assert (await db.scalars(select(PendingMessage).where(PendingMessage.user_id == person.id))).all() == []


async def test_employees_with_unsent_trips_are_reminded_two_working_days_before_the_cutoff(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    phone = push_service.subscribe()
    await subscribe(client, phone)
    await log_trips(client, db, settings, world.in_a1, trip(), submit=False)
    # Cut-off on the 18th: Friday 18 December 2026 → the reminder on Wednesday the 16th.
    for day in ("2026-12-15", "2026-12-16"):
        await enqueue(
            db, morning.MORNING, {"day": day}, dedupe_key=f"{morning.MORNING}:{day}:{world.municipality.id}"
        )
    await db.commit()
    await run_notify_jobs(settings, platform)
    [got] = push_service.for_endpoint(phone["endpoint"])
    assert got.payload["title"] == "Du har 1 ting, der ikke er sendt"
    assert "18. december" in got.payload["body"]


async def test_the_municipalitys_own_reminder_day_and_the_leaders_reminder(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    await log_trips(client, db, settings, world.in_a1, trip())
    leader = world.by_role[Role.LEADER]
    await sign_in(client, db, leader, settings)
    assert (await client.put("/api/push/reminder-days", json={"employees_day": 40})).status_code == 403
    phone = push_service.subscribe()
    await subscribe(client, phone)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    bad = await client.put("/api/push/reminder-days", json={"employees_day": 40})
    assert bad.status_code == 400
    ok = await client.put("/api/push/reminder-days", json={"employees_day": 28, "leaders_day": 7})
    assert ok.json() == {"employees_day": 28, "leaders_day": 7}
    await run_notify_jobs(settings, platform)
    before = len(push_service.for_endpoint(phone["endpoint"]))
    # Monday 7 December 2026, the leaders' own day (the 18th's cut-off is this month).
    await enqueue(
        db, morning.MORNING, {"day": "2026-12-07"}, dedupe_key=f"m:2026-12-07:{world.municipality.id}"
    )
    await db.commit()
    await run_notify_jobs(settings, platform)
    [*_, got] = push_service.for_endpoint(phone["endpoint"])
    assert len(push_service.for_endpoint(phone["endpoint"])) == before + 1
    assert got.payload["title"] == "1 ting venter på din beslutning" and "18. december" in got.payload["body"]


async def test_a_subscription_must_come_from_a_known_push_service_with_real_keys(
    push_service: PushService, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    sub = push_service.subscribe()
    inside = sub | {"endpoint": "https://intranet.kommune.local/admin"}
    response = await client.post("/api/push/subscriptions", json=inside)
    assert response.status_code == 400 and "push-tjeneste" in response.json()["detail"]
    broken = sub | {"keys": {"p256dh": "AAAA", "auth": sub["keys"]["auth"]}}
    assert (await client.post("/api/push/subscriptions", json=broken)).status_code == 400
    fcm = sub | {"endpoint": "https://fcm.googleapis.com/fcm/send/abc"}
    await subscribe(client, fcm)
    await subscribe(client, fcm)  # twice: still one device
    assert (
        await client.post("/api/push/subscriptions/check", json={"endpoint": fcm["endpoint"]})
    ).json() == {"known": True}
    await client.post("/api/push/subscriptions/remove", json={"endpoint": fcm["endpoint"]})
    await client.post("/api/push/subscriptions/remove", json={"endpoint": fcm["endpoint"]})
    assert (
        await client.post("/api/push/subscriptions/check", json={"endpoint": fcm["endpoint"]})
    ).json() == {"known": False}


@pytest.mark.parametrize("subject", ["mailto:drift@localhost", "drift@kommune.dk", "https://localhost:8443"])
def test_start_up_refuses_a_vapid_subject_that_is_not_real(
    subject: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FELT_VAPID_SUBJECT", subject)
    with pytest.raises(BadSubject, match="FELT_VAPID_SUBJECT"):
        create_app(settings)


def test_the_key_is_made_once_and_kept(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from backend.features.notify import vapid

    monkeypatch.delenv("FELT_VAPID_PRIVATE_KEY", raising=False)
    first = vapid.identity(settings).public_key
    vapid._identity.cache_clear()
    assert vapid.identity(settings).public_key == first
    assert (settings.data_dir / vapid.KEY_FILE).stat().st_mode & 0o077 == 0


def test_an_operators_key_is_used_as_pem_or_raw_and_a_broken_one_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid, b64urlencode

    from backend.features.notify import vapid

    key = Vapid()
    key.generate_keys()
    point = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    raw = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    for configured in (key.private_pem().decode(), b64urlencode(raw)):
        monkeypatch.setenv("FELT_VAPID_PRIVATE_KEY", configured)
        assert vapid.identity(settings).public_key == b64urlencode(point)
    monkeypatch.setenv("FELT_VAPID_PRIVATE_KEY", "not a key")
    with pytest.raises(BadSubject, match="FELT_VAPID_PRIVATE_KEY"):
        create_app(settings)


async def test_drawn_receipts_reach_the_leader_and_the_review_reaches_the_employee(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    from backend.db.models import Municipality
    from backend.features.receipts.review import draw_month
    from tests.api.test_receipt_review import _paid_receipts, _this_month

    world = await build_world(db)
    leader = world.by_role[Role.LEADER]
    await sign_in(client, db, leader, settings)
    tablet = push_service.subscribe()
    await subscribe(client, tablet)
    await sign_in(client, db, world.in_a1, settings)
    phone = push_service.subscribe()
    await subscribe(client, phone)
    ok, wrong = await _paid_receipts(client, db, settings, world.in_a1, ["120.00", "80.50"])
    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    await draw_month(db, platform, municipality, _this_month())
    await db.commit()
    await run_notify_jobs(settings, platform)
    [told] = push_service.for_endpoint(tablet["endpoint"])
    assert told.payload["title"] == "2 ting venter på din beslutning"

    await sign_in(client, db, leader, settings)
    assert (await client.post("/api/inbox/receipt/sign_off", json={"ids": [ok]})).json()[0][
        "status"
    ] == "applied"
    rejected = await client.post("/api/inbox/receipt/reject", json={"ids": [wrong], "note": "Privat køb"})
    assert rejected.json()[0]["status"] == "applied"
    await run_notify_jobs(settings, platform)
    got = {r.payload["url"]: r.payload for r in push_service.for_endpoint(phone["endpoint"])}
    assert got[f"/#/udlaeg/{ok}"]["title"] == "Dit udlæg er godkendt"
    assert got[f"/#/udlaeg/{wrong}"]["body"] == "Se hvorfor i Felt. Begrundelse: Privat køb"


async def test_who_decides_is_the_nearest_holder_of_the_deciding_roles_above_the_unit(
    db: AsyncSession,
) -> None:
    from backend.db.models import RoleAssignment
    from backend.features.inbox.deciders import Decider, who_decides

    world = await build_world(db)
    leader, day, mid = world.by_role[Role.LEADER], date(2026, 12, 1), world.municipality.id
    a, a1, b = (world.units[k].path for k in ("A", "A1", "B"))
    assert await who_decides(db, mid, a1, day) == [Decider(leader.id)]  # A's leader decides for A1 below it
    assert await who_decides(db, mid, b, day) == []  # nobody leads B
    db.add(
        RoleAssignment(
            municipality_id=mid, user_id=world.in_b.id, role="leader", unit_id=world.units["A1"].id
        )
    )
    await db.commit()
    assert await who_decides(db, mid, a1, day) == [
        Decider(world.in_b.id)
    ]  # A1's own leader, not the one above
    assert await who_decides(db, mid, a, day) == [Decider(leader.id)]
    finance = world.by_role[Role.FINANCE]
    on_root = await who_decides(db, mid, b, day, roles={Role.LEADER, Role.FINANCE})
    assert on_root == [Decider(finance.id)]


async def test_a_control_character_in_an_endpoint_is_refused_not_a_server_error(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    for path in ("/api/push/subscriptions/check", "/api/push/subscriptions/remove"):
        assert (
            await client.post(path, json={"endpoint": "https://fcm.googleapis.com/a\x00b"})
        ).status_code == 400


async def test_a_substitutes_rejected_entry_reaches_her_phone_with_the_reason(
    push_service: PushService,
    quiet_queue: None,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    from tests.api.test_substitutes import ENTRY, as_substitute, entry, register, with_rate

    world = await build_world(db)
    await with_rate(db, world)
    device = await as_substitute(client, db, settings, world)
    phone = push_service.subscribe()
    await subscribe(client, phone)
    [eid], _ = await register(device, entry(world))
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    results = (
        await client.post(f"/api/inbox/{ENTRY}/reject", json={"ids": [eid], "note": "Forkert dato"})
    ).json()
    assert results[0]["status"] == "applied", results
    await run_notify_jobs(settings, platform)
    [got] = push_service.for_endpoint(phone["endpoint"])
    assert (got.payload["title"], got.payload["url"]) == ("Dine timer er afvist", f"/#/vikar/{eid}")
    assert got.payload["body"].endswith("Begrundelse: Forkert dato")
