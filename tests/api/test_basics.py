"""The API's common ground: health, OpenAPI, and clear JSON errors for bad input, never a 500."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.settings import Settings
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def test_health_answers_with_the_database_checked(client: AsyncTestClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_openapi_schema_lists_every_operation(client: AsyncTestClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"getMe", "listUnits", "listUnitStaff", "importStaff", "listAudit", "beginLogin"} <= operations


async def test_signed_out_requests_get_401_with_a_message(client: AsyncTestClient) -> None:
    response = await client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "Du er ikke logget ind."
    english = await client.get("/api/me", headers={"accept-language": "en"})
    assert english.json()["detail"] == "You are not signed in."


async def test_state_changes_without_csrf_token_are_refused(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    response = await client.post(f"/api/users/{world.in_b.id}/deactivate", headers={"x-csrftoken": "forged"})
    assert response.status_code == 403
    assert (await client.get(f"/api/users/{world.in_b.id}")).json()["active"] is True


async def test_bad_input_gets_clear_errors_never_500(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    malformed = await client.put(
        "/api/municipality/settings", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert "JSON" in malformed.json()["detail"]
    wrong_type = await client.put("/api/municipality/settings", json={"payroll_cutoff_day": "the 18th"})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["detail"]
    unknown_field = await client.put("/api/municipality/settings", json={"colour": "red"})
    assert unknown_field.status_code == 400
    out_of_range = await client.put("/api/municipality/settings", json={"payroll_cutoff_day": 31})
    assert out_of_range.status_code == 400
    assert "1 til 28" in out_of_range.json()["detail"]
    assert (await client.get("/api/units/999999")).status_code == 404
    assert (await client.get("/api/users/999999")).json()["detail"] == "Bruger 999999 findes ikke."
    assert (await client.get("/api/units/not-a-number")).status_code in {400, 404}
    assert (await client.get("/api/audit?limit=0")).status_code == 400
    assert (await client.get("/api/no/such/thing")).status_code == 404


async def test_settings_change_is_saved_and_audited(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    response = await client.put("/api/municipality/settings", json={"payroll_cutoff_day": 15})
    assert response.status_code == 200
    assert response.json()["payroll_cutoff_day"] == 15
    events = (await client.get("/api/audit")).json()
    change = next(e for e in events if e["entity"] == "municipality" and e["action"] == "update")
    assert change["changes"]["payroll_cutoff_day"] == [18, 15]
    assert change["actor_name"] == world.by_role[Role.ADMIN].name
