"""Log-in through a real OpenID provider (oidc-provider, started by the suite), end to end through Felt."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import AuditEvent, Municipality, User
from backend.features.municipality.service import create_municipality
from backend.features.org.hr_import import import_staff, import_units
from tests.oidc.fixture import OidcProvider

pytestmark = [pytest.mark.anyio, pytest.mark.oidc]


async def _municipality(db: AsyncSession, provider: OidcProvider) -> Municipality:
    import uuid

    municipality = await create_municipality(
        db,
        f"idp-{uuid.uuid4().hex[:8]}",
        "IdP Kommune",
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=provider.client_secret,
    )
    units = "code;name;parent_code\nADM;Rådhuset;\nSKOLE;Skolen;\n"
    assert not (await import_units(db, municipality.id, units.encode())).errors
    await db.commit()
    return municipality


async def _log_in(client: AsyncTestClient, provider: OidcProvider, slug: str, who: str) -> tuple[int, str]:
    start = await client.get(f"/auth/login/{slug}", params={"return_to": "/#/home"}, follow_redirects=False)
    assert start.status_code == 302, start.text
    assert start.headers["location"].startswith(provider.issuer)
    assert "code_challenge_method=S256" in start.headers["location"]
    callback = urlsplit(provider.login(None, start.headers["location"], who))
    finish = await client.get(f"{callback.path}?{callback.query}", follow_redirects=False)
    return finish.status_code, finish.headers.get("location", finish.text)


async def test_first_log_in_creates_the_user_from_claims(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    municipality = await _municipality(db, oidc_provider)
    status, location = await _log_in(client, oidc_provider, municipality.slug, "lars")
    assert (status, location) == (302, "/#/home")
    me = (await client.get("/api/me")).json()
    assert me["name"] == "Lars Leder" and me["employee_number"] == "10002"
    assert me["unit"]["name"] == "Skolen"
    assert {(r["role"], r["unit_name"]) for r in me["roles"]} == {
        ("leader", "Skolen"),
        ("employee", "Skolen"),
    }
    assert "staff" in me["areas"]
    logins = await db.scalars(
        select(AuditEvent).where(AuditEvent.action == "login", AuditEvent.entity_id == str(me["id"]))
    )
    assert len(logins.all()) == 1


async def test_municipality_wide_roles_are_granted_on_the_root(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    municipality = await _municipality(db, oidc_provider)
    await _log_in(client, oidc_provider, municipality.slug, "admin1")
    me = (await client.get("/api/me")).json()
    assert [(r["role"], r["unit_name"]) for r in me["roles"]] == [("admin", "IdP Kommune")]
    assert "admin" in me["areas"]


async def test_a_person_imported_from_hr_is_the_same_user_at_first_log_in(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    municipality = await _municipality(db, oidc_provider)
    staff = "employee_number;name;unit_code\n10001;Anna fra HR;SKOLE\n"
    await import_staff(db, municipality.id, staff.encode())
    await db.commit()
    imported = (
        await db.scalars(
            select(User).where(User.employee_number == "10001", User.municipality_id == municipality.id)
        )
    ).one()
    await _log_in(client, oidc_provider, municipality.slug, "anna")
    me = (await client.get("/api/me")).json()
    assert me["id"] == imported.id and me["name"] == "Anna Ansatt"  # the IdP's name wins
    await _log_in(client, oidc_provider, municipality.slug, "anna")
    count = await db.scalars(
        select(User).where(User.municipality_id == municipality.id, User.employee_number == "10001")
    )
    assert len(count.all()) == 1


async def test_a_unit_role_with_an_unknown_unit_is_not_widened(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    municipality = await _municipality(db, oidc_provider)
    status, _ = await _log_in(client, oidc_provider, municipality.slug, "nina")
    assert status == 302
    me = (await client.get("/api/me")).json()
    assert me["roles"] == [] and me["areas"] == ["profile"]


async def test_a_leaver_cannot_log_in(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    municipality = await _municipality(db, oidc_provider)
    await _log_in(client, oidc_provider, municipality.slug, "anna")
    user = (
        await db.scalars(select(User).where(User.subject == "anna", User.municipality_id == municipality.id))
    ).one()
    user.active = False
    await db.commit()
    assert (await client.get("/api/me")).status_code == 401  # the open session ends with the account
    status, body = await _log_in(client, oidc_provider, municipality.slug, "anna")
    assert status == 403 and "lukket" in body


async def test_callback_needs_the_browser_that_started_and_is_single_use(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    municipality = await _municipality(db, oidc_provider)
    start = await client.get(f"/auth/login/{municipality.slug}", follow_redirects=False)
    callback = urlsplit(oidc_provider.login(None, start.headers["location"], "lars"))
    client.cookies.delete("felt_oidc_state")
    assert (await client.get(f"{callback.path}?{callback.query}", follow_redirects=False)).status_code == 403
    start = await client.get(f"/auth/login/{municipality.slug}", follow_redirects=False)
    callback = urlsplit(oidc_provider.login(None, start.headers["location"], "lars"))
    assert (await client.get(f"{callback.path}?{callback.query}", follow_redirects=False)).status_code == 302
    replay = await client.get(f"{callback.path}?{callback.query}", follow_redirects=False)
    assert replay.status_code in {403}  # state already used (and its cookie cleared)


async def test_provider_errors_and_unknown_municipalities_are_clear(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    assert (await client.get("/auth/login/no-such-place")).status_code == 404
    denied = await client.get("/auth/callback?error=access_denied&error_description=User+cancelled")
    assert denied.status_code == 403 and "User cancelled" in denied.json()["detail"]
    municipality = await create_municipality(db, "no-idp-" + oidc_provider.client_id, "Uden IdP")
    await db.commit()
    no_idp = await client.get(f"/auth/login/{municipality.slug}", follow_redirects=False)
    assert no_idp.status_code == 400 and "log-in" in no_idp.json()["detail"]
