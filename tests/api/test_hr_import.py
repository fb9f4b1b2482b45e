"""Importing the HR system's CSV: staff are never typed in by hand, and leavers are deactivated, never deleted."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.settings import Settings
from tests.conftest import sign_in
from tests.world import World, build_world, staff_csv

pytestmark = pytest.mark.anyio


async def _admin(client: AsyncTestClient, db: AsyncSession, settings: Settings) -> World:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    return world


async def _post(client: AsyncTestClient, which: str, body: str | bytes) -> dict:
    content = body.encode() if isinstance(body, str) else body
    response = await client.post(
        f"/api/admin/import/{which}", content=content, headers={"content-type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_reimporting_the_same_file_changes_nothing(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    await _admin(client, db, settings)
    result = await _post(client, "staff", staff_csv("M"))
    assert (result["created"], result["updated"], result["deactivated"]) == (0, 0, 0)
    assert result["unchanged"] == len(Role) + 2


async def test_new_people_are_created_and_leavers_deactivated(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await _admin(client, db, settings)
    lines = staff_csv("M").splitlines()
    kept = [line for line in lines if not line.startswith("M91;")]  # the employee in B has left
    kept.append("M99;Ny Medarbejder;ny@m.test;B;employee")
    result = await _post(client, "staff", "\n".join(kept))
    assert (result["created"], result["deactivated"]) == (1, 1)
    leaver = (await client.get(f"/api/users/{world.in_b.id}")).json()
    assert leaver["active"] is False  # still there, with every record they made
    staff = (await client.get(f"/api/units/{world.units['B'].id}/staff")).json()
    assert [p["name"] for p in staff if p["active"]] == ["Ny Medarbejder"]


async def test_the_importing_admin_is_never_locked_out(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await _admin(client, db, settings)
    result = await _post(client, "staff", "employee_number;name;unit_code\nM90;Employee in A1;A1\n")
    assert result["deactivated"] == len(Role) + 1 - 1
    assert result["notes"] and world.by_role[Role.ADMIN].name in result["notes"][0]
    assert (await client.get("/api/me")).status_code == 200


async def test_a_file_with_errors_changes_nothing_and_names_each_line(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await _admin(client, db, settings)
    body = "employee_number;name;unit_code;roles\nM99;Ny;B;employee\n;No number;B;\nM98;Bad unit;NOPE;\nM97;Bad role;B;boss\n"
    result = await _post(client, "staff", body)
    assert [e["line"] for e in result["errors"]] == [3, 4, 5]
    assert result["created"] == 0 and "Intet er ændret" in result["notes"][-1]
    staff = (await client.get(f"/api/units/{world.units['B'].id}/staff")).json()
    assert "Ny" not in [p["name"] for p in staff]


async def test_units_import_builds_the_tree_and_deactivates_missing_units(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await _admin(client, db, settings)
    # Danish Excel: semicolons, Windows-1252, and the child listed before its parent.
    body = "code;name;parent_code;kind\nA2;Afdeling Æblehaven;A;school\nA;Unit A;;school\nA1;Unit A1;A;school\n".encode(
        "cp1252"
    )
    result = await _post(client, "units", body)
    assert (result["created"], result["deactivated"]) == (1, 1)  # A2 is new, B is gone
    units = {u["code"]: u for u in (await client.get("/api/units")).json()}
    assert units["A2"]["name"] == "Afdeling Æblehaven" and units["A2"]["parent_id"] == world.units["A"].id
    assert "B" not in units  # deactivated units are not offered any more


async def test_unit_cycles_and_unknown_parents_are_refused(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    await _admin(client, db, settings)
    unknown = await _post(client, "units", "code,name,parent_code\nX,X,NOPE\n")
    assert unknown["errors"][0]["line"] == 2 and "NOPE" in unknown["errors"][0]["message"]
    cycle = await _post(client, "units", "code;name;parent_code\nA;Unit A;A1\nA1;Unit A1;A\nB;Unit B;\n")
    assert cycle["errors"] and "løkke" in cycle["errors"][0]["message"]
    units = {u["code"]: u for u in (await client.get("/api/units")).json()}
    assert units["A"]["parent_id"] != units["A1"]["id"]


async def test_unreadable_files_get_a_clear_message(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    await _admin(client, db, settings)
    for body, words in (
        (b"", "CSV-fil"),
        (b"just,some,words\n1,2,3\n", "Kolonner mangler"),
        (b"\xff\xfe\x00garbage", "Kolonner"),
    ):
        response = await client.post(
            "/api/admin/import/staff", content=body, headers={"content-type": "text/csv"}
        )
        assert response.status_code == 400 and words in response.json()["detail"], response.text
