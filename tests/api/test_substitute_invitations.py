"""Invited outsiders (issue 14, "Log-in for substitutes outside the directory"): the secretary invites a
person by e-mail to a unit; she signs in with a one-time code that a real SMTP server (tests/mail)
receives; she sees only her own hours on the units she is invited to. The codes' rules (short-lived,
single use, wrong tries lock, per-address limit) and the invitation routes' access (other unit, other
municipality), and every route of the authorisation matrix for the invited outsider."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import one_time_code as otc
from backend.auth.roles import Role
from backend.db.engine import make_engine
from backend.db.models import AuditEvent
from backend.features.substitutes.models import SignInCode, SignInCodeRequest
from backend.jobs import worker
from backend.settings import Settings
from tests.api.test_authorization_matrix import ENDPOINTS, _call, _path
from tests.api.test_substitutes import ENTRY, entry, with_rate
from tests.api.test_sync_api import Device, new_id
from tests.conftest import TEST_WORKFLOWS, sign_in
from tests.mail.fixture import Inbox
from tests.world import World, build_world

pytestmark = pytest.mark.anyio


def anna(world: World) -> str:
    """Her address as the secretary types it: one per test's municipality, as the database is shared."""
    return f"Anna.Aflaser.{world.municipality.slug}@Example.org"


def stored(world: World) -> str:
    return anna(world).lower()


async def run_jobs(settings: Settings) -> int:
    """Run every waiting background job (the mail goes out here, never in a request)."""
    from backend.platform import build

    engine = make_engine(settings.database_url, settings.database_schema)
    ran = 0
    try:
        while await worker.run_one(engine, build(TEST_WORKFLOWS)):
            ran += 1
    finally:
        await engine.dispose()
    return ran


async def invite(client: AsyncTestClient, world: World, unit: str = "A1") -> dict:
    response = await client.post(
        "/api/substitutes/invitations",
        json={"unit": world.units[unit].id, "name": "Anna Aflaser", "email": anna(world)},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def code_by_mail(
    client: AsyncTestClient, settings: Settings, smtp: Inbox, world: World, count: int
) -> str:
    asked = await client.post("/auth/code", json={"email": anna(world).upper()})
    assert asked.status_code == 202, asked.text
    assert asked.json()["detail"].startswith(f"Hvis {stored(world)} er inviteret")
    await run_jobs(settings)
    assert len(smtp.wait_for(stored(world), count)) == count
    return smtp.code_for(stored(world))


async def signed_in_outsider(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp: Inbox
) -> tuple[World, dict]:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    invitation = await invite(client, world)
    await run_jobs(settings)
    client.cookies.delete("felt_session", domain="testserver.local")
    code = await code_by_mail(client, settings, smtp, world, 2)
    signed = await client.post("/auth/code/sign-in", json={"email": anna(world), "code": code})
    assert signed.status_code == 204, signed.text
    return world, invitation


async def test_the_secretary_invites_the_mail_arrives_and_the_code_signs_her_in(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp_server: Inbox
) -> None:
    world = await build_world(db)
    await with_rate(db, world)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    first = await invite(client, world)
    again = await invite(client, world)  # sent twice: the same invitation
    assert first["created"] and not again["created"] and again["id"] == first["id"]
    assert first["email"] == stored(world) and first["unit_name"] == "Unit A1"
    assert smtp_server.messages == []  # nothing is sent in the request
    await run_jobs(settings)
    [invitation] = smtp_server.wait_for(stored(world))
    assert "Unit A1" in invitation["Subject"] and invitation["From"] == "felt@felt-kommune.dk"
    assert "/#/kode" in invitation.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    client.cookies.delete("felt_session", domain="testserver.local")
    code = await code_by_mail(client, settings, smtp_server, world, 2)
    row = (await db.scalars(select(SignInCode).where(SignInCode.email == stored(world)))).one()
    assert code not in (row.code_hash, row.sealed) and row.sealed == ""  # hashed; the sealed copy is gone
    wrong = await client.post(
        "/auth/code/sign-in", json={"email": anna(world), "code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 403 and wrong.json()["detail"].startswith("Koden passer ikke")
    signed = await client.post(
        "/auth/code/sign-in", json={"email": anna(world), "code": f"{code[:3]} {code[3:]}"}
    )
    assert signed.status_code == 204, signed.text

    me = (await client.get("/api/me")).json()
    assert me["invited"] is True and me["name"] == "Anna Aflaser" and me["unit"] is None
    assert [(g["role"], g["unit_id"]) for g in me["roles"]] == [("substitute", world.units["A1"].id)]
    assert set(me["areas"]) == {"profile", "substitutes"}
    device = Device(client, ENTRY)
    eid = new_id()
    results = (await device.push(device.put(eid, entry(world)), device.move(eid, "submit")))["results"]
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert results[-1]["record"]["fields"]["calc"]["amount"] == "800.00"
    [elsewhere] = (
        await device.push(
            device.put(new_id(), entry(world, unit=world.units["B"].id, start="13:00", end="14:00"))
        )
    )["results"]
    assert elsewhere["status"] == "rejected"  # only the units she is invited to
    assert set(await device.pull()) == {eid}
    trips = Device(client, "trip")
    other_workflow = await client.post(
        "/api/sync/push",
        json={"device_id": device.id, "mutations": [trips.put(new_id(), {"date": "2026-11-30"})]},
        headers={"x-felt-schema": "1"},
    )
    assert other_workflow.status_code == 403  # nothing of the workflows that are not hers

    # The secretary sees the entry in her queue like any substitute's.
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    assert eid in {i["record"]["id"] for i in (await client.get("/api/inbox")).json()}
    actions = {
        a
        for (a,) in await db.execute(
            select(AuditEvent.action).where(AuditEvent.municipality_id == world.municipality.id)
        )
    }
    assert {"invite_substitute", "sign_in_code_sent", "sign_in_code_wrong", "login"} <= actions


async def test_a_code_is_single_use_short_lived_and_locked_after_wrong_tries(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp_server: Inbox
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    await invite(client, world)
    client.cookies.delete("felt_session", domain="testserver.local")

    used = await code_by_mail(client, settings, smtp_server, world, 2)  # the invitation, then the code
    assert (
        await client.post("/auth/code/sign-in", json={"email": anna(world), "code": used})
    ).status_code == 204
    client.cookies.delete("felt_session", domain="testserver.local")
    assert (
        await client.post("/auth/code/sign-in", json={"email": anna(world), "code": used})
    ).status_code == 403

    expired = await code_by_mail(client, settings, smtp_server, world, 3)
    for row in await db.scalars(select(SignInCode).where(SignInCode.email == stored(world))):
        row.created_at -= otc.TTL + timedelta(seconds=1)  # ten minutes and a second later
    await db.commit()
    assert (
        await client.post("/auth/code/sign-in", json={"email": anna(world), "code": expired})
    ).status_code == 403

    locked = await code_by_mail(client, settings, smtp_server, world, 4)
    wrong = "000000" if locked != "000000" else "111111"
    answers = [
        (await client.post("/auth/code/sign-in", json={"email": anna(world), "code": wrong})).json()["detail"]
        for _ in range(otc.MAX_WRONG)
    ]
    assert answers[-1].startswith("For mange forkerte forsøg")
    refused = await client.post("/auth/code/sign-in", json={"email": anna(world), "code": locked})
    assert refused.status_code == 403  # the right code no longer helps: she asks for a new one


async def test_codes_to_one_address_are_limited_in_danish_and_strangers_get_no_mail(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp_server: Inbox
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    await invite(client, world)
    await run_jobs(settings)
    client.cookies.delete("felt_session", domain="testserver.local")
    for _ in range(otc.MAX_PER_ADDRESS):
        assert (await client.post("/auth/code", json={"email": anna(world)})).status_code == 202
    limited = await client.post("/auth/code", json={"email": anna(world)})
    assert limited.status_code == 429 and limited.json()["detail"].startswith("Der er sendt 3 koder")
    # An address nobody invited, and a person in the directory (she uses the identity provider):
    # the same answer, and no code is made or sent.
    for stranger in ("nobody@example.org", "employee@M.test"):
        answer = await client.post("/auth/code", json={"email": stranger})
        assert answer.status_code == 202
    await run_jobs(settings)
    assert {m["To"] for m in smtp_server.messages} == {stored(world)}
    made = select(SignInCode).where(SignInCode.email.in_(["nobody@example.org", "employee@m.test"]))
    assert not (await db.scalars(made)).all()
    bad = await client.post("/auth/code", json={"email": "not an address"})
    assert bad.status_code == 400 and bad.json()["detail"] == "Skriv din e-mailadresse."


async def test_the_per_address_limit_answers_an_invited_address_and_a_stranger_alike(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp_server: Inbox
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    await invite(client, world)
    client.cookies.delete("felt_session", domain="testserver.local")
    stranger = f"stranger.{world.municipality.slug}@example.org"  # nobody invited it, anywhere
    answers = {}
    for address in (stored(world), stranger):
        seen = []
        for _ in range(otc.MAX_PER_ADDRESS + 1):
            answer = await client.post("/auth/code", json={"email": address})
            seen.append(
                (
                    answer.status_code,
                    answer.headers["content-type"],
                    answer.text.replace(address, "<address>"),
                )
            )
        answers[address] = seen
    # Status, words and body alike: the limit counts requests to any address, so a 429 does not tell
    # who is invited (before, only invited addresses were ever refused).
    assert answers[stranger] == answers[stored(world)]
    assert [status for status, _, _ in answers[stranger]] == [202] * otc.MAX_PER_ADDRESS + [429]
    assert "Der er sendt 3 koder til den adresse" in answers[stranger][-1][2]
    # The stranger's requests are counted under a keyed hash, never her address as written.
    counted = await db.scalars(
        select(SignInCodeRequest.address_key).where(
            SignInCodeRequest.address_key == otc.address_key(settings.secret_key, stranger)
        )
    )
    assert len(counted.all()) == otc.MAX_PER_ADDRESS
    assert not (await db.scalars(select(SignInCode).where(SignInCode.email == stranger))).all()
    await run_jobs(settings)
    assert {m["To"] for m in smtp_server.messages} == {stored(world)}  # the invitation's and her codes


async def test_a_person_in_the_directory_is_not_invited(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    response = await client.post(
        "/api/substitutes/invitations",
        json={"unit": world.units["A1"].id, "name": "Employee", "email": "Employee@M.test"},
    )
    assert response.status_code == 409 and "medarbejderkatalog" in response.json()["detail"]
    bad = await client.post(
        "/api/substitutes/invitations", json={"unit": world.units["A1"].id, "name": " ", "email": "x@y.dk"}
    )
    assert bad.status_code == 400 and bad.json()["detail"].startswith("Skriv personens navn")


async def test_invitations_on_another_unit_or_municipality_are_refused(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    mine = await invite(client, world)
    elsewhere = {"name": "Anna", "email": anna(world)}
    other_unit = await client.post(
        "/api/substitutes/invitations", json={**elsewhere, "unit": world.units["B"].id}
    )
    assert other_unit.status_code == 403
    foreign = await client.post(
        "/api/substitutes/invitations", json={**elsewhere, "unit": world.other_unit.id}
    )
    assert foreign.status_code == 404
    for role in (Role.EMPLOYEE, Role.LEADER, Role.SUBSTITUTE, Role.ADMIN):
        await sign_in(client, db, world.by_role[role], settings)
        assert (await client.post(f"/api/substitutes/invitations/{mine['id']}/withdraw")).status_code == 403
        assert (await client.get("/api/substitutes/invitations")).status_code == 403
    await sign_in(client, db, world.other_admin, settings)
    assert (await client.post(f"/api/substitutes/invitations/{mine['id']}/withdraw")).status_code == 404


async def test_a_withdrawn_invitation_ends_her_access(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp_server: Inbox
) -> None:
    world, invitation = await signed_in_outsider(client, db, settings, smtp_server)
    outsider_cookie = client.cookies.get("felt_session")
    assert (await client.get("/api/me")).status_code == 200
    await sign_in(client, db, world.by_role[Role.SECRETARY], settings)
    listed = (await client.get("/api/substitutes/invitations")).json()
    assert [i["id"] for i in listed] == [invitation["id"]] and listed[0]["withdrawn_at"] is None
    for _ in range(2):  # safe to send twice
        withdrawn = await client.post(f"/api/substitutes/invitations/{invitation['id']}/withdraw")
        assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    client.cookies.set("felt_session", outsider_cookie or "", domain="testserver.local")
    assert (await client.get("/api/me")).status_code == 401
    client.cookies.delete("felt_session", domain="testserver.local")
    await client.post("/auth/code", json={"email": anna(world)})
    assert (await run_jobs(settings)) == 0  # no code for a withdrawn invitation
    actions = [a for (a,) in await db.execute(select(AuditEvent.action))]
    assert "withdraw_invitation" in actions


INVITED_MAY = {
    ("GET", "/api/me"): 200,
    ("GET", "/api/push"): 200,
    ("PUT", "/api/push/choices"): 200,
    ("POST", "/api/push/subscriptions"): 200,
    ("POST", "/api/push/subscriptions/check"): 200,
    ("POST", "/api/push/subscriptions/remove"): 200,
    ("GET", "/api/push/reminder-days"): 403,
    ("PUT", "/api/push/reminder-days"): 403,
}
"""What an invited outsider reaches of the matrix's routes: who she is and her own devices. Every other
route (the directory, settings, other workflows, the inbox) answers 403 (sync: test above)."""


async def test_the_authorisation_matrix_for_an_invited_outsider(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, smtp_server: Inbox
) -> None:
    world, _ = await signed_in_outsider(client, db, settings, smtp_server)
    wrong = []
    for endpoint in ENDPOINTS:
        for target in ("own", "other", "foreign") if endpoint.targeted else ("own",):
            got = await _call(client, endpoint, world, _path(endpoint, world, target))
            want = INVITED_MAY.get((endpoint.method, endpoint.path), 403)
            if got != want:
                wrong.append(f"{endpoint.method} {endpoint.path} {target}: got {got}, want {want}")
    assert not wrong, "\n".join(wrong)
