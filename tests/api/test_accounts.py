"""The chart of accounts: imported by the admin, searched by employees with favourites and recent first."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.settings import Settings
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def test_search_puts_favourites_then_recent_first(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    chart = "code;name;function;type\n1-2.2;Food;1;2.2\n1-2.9;Other goods;1;2.9\n2-4.9;Courses and transport;2;4.9\n"
    result = (
        await client.post(
            "/api/admin/import/accounts", content=chart.encode(), headers={"content-type": "text/csv"}
        )
    ).json()
    assert (result["created"], result["unchanged"]) == (1, 2)
    await sign_in(client, db, world.in_a1, settings)
    assert [a["code"] for a in (await client.get("/api/receipts/accounts")).json()] == [
        "1-2.2",
        "1-2.9",
        "2-4.9",
    ]
    assert (await client.put("/api/receipts/accounts/2-4.9/favourite")).status_code == 204
    push = {
        "device_id": str(uuid.uuid4()),
        "mutations": [
            {
                "n": 1,
                "kind": "put",
                "type": "receipt",
                "id": str(uuid.uuid4()),
                "fields": {"account": "1-2.9"},
            }
        ],
    }
    assert (await client.post("/api/sync/push", json=push, headers={"x-felt-schema": "1"})).json()["results"][
        0
    ]["status"] == "applied"
    found = (await client.get("/api/receipts/accounts")).json()
    assert [(a["code"], a["favourite"], a["recent"]) for a in found] == [
        ("2-4.9", True, False),
        ("1-2.9", False, True),
        ("1-2.2", False, False),
    ]
    assert [
        a["code"] for a in (await client.get("/api/receipts/accounts", params={"q": "goods"})).json()
    ] == ["1-2.9"]
    assert (await client.put("/api/receipts/accounts/nope/favourite")).status_code == 404


async def test_accounts_left_out_of_a_new_chart_are_deactivated(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    result = (
        await client.post(
            "/api/admin/import/accounts",
            content=b"code;name\n1-2.2;Food\n",
            headers={"content-type": "text/csv"},
        )
    ).json()
    assert result["deactivated"] == 1
    assert [a["code"] for a in (await client.get("/api/receipts/accounts")).json()] == ["1-2.2"]
    bad = (
        await client.post(
            "/api/admin/import/accounts", content=b"code;name\n;x\n", headers={"content-type": "text/csv"}
        )
    ).json()
    assert bad["errors"][0]["line"] == 2


async def test_own_units_accounts_come_first_and_everyday_words_the_admin_keeps_find_accounts(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    """An employee in unit A1 (under A) sees A's and A1's accounts before B's; "kaffe" finds food,
    "brændstof" transport, as the municipality's admin has said; the list is the admin's to change."""
    world = await build_world(db)
    admin = world.by_role[Role.ADMIN]
    await sign_in(client, db, admin, settings)
    chart = (
        "code;name;function;type;unit_code\n"
        "B-2.2;Unit B: food;5;2.2;B\nA-2.2;Unit A: food;3;2.2;A\nA1-4.9;Unit A1: transport;3;4.9;A1\n"
        "C-2.9;Other goods;6;2.9;\n"
    )
    result = (
        await client.post(
            "/api/admin/import/accounts", content=chart.encode(), headers={"content-type": "text/csv"}
        )
    ).json()
    assert not result["errors"], result
    wrong = "code;name;function;type;unit_code\nX-1;X;1;1;NOPE\n"
    result = (
        await client.post(
            "/api/admin/import/accounts", content=wrong.encode(), headers={"content-type": "text/csv"}
        )
    ).json()
    assert "Enheden NOPE findes ikke" in result["errors"][0]["message"], result
    words = [{"word": "Kaffe", "means": "food"}, {"word": "brændstof", "means": "transport, kørsel"}]
    saved = (await client.put("/api/admin/account-words", json=words)).json()
    assert [(w["word"], w["means"], w["accounts"]) for w in saved] == [
        ("brændstof", "transport, kørsel", 1),
        ("kaffe", "food", 2),
    ]
    assert (await client.put("/api/admin/account-words", json=words)).json() == saved  # twice: the same
    bad = await client.put("/api/admin/account-words", json=[{"word": "te", "means": " "}])
    assert bad.status_code == 400 and "hvad det betyder" in bad.json()["detail"]

    await sign_in(client, db, world.in_a1, settings)
    found = (await client.get("/api/receipts/accounts")).json()
    assert [(a["code"], a["own"]) for a in found] == [
        ("A-2.2", True),
        ("A1-4.9", True),
        ("B-2.2", False),
        ("C-2.9", False),
    ]
    assert [a["words"] for a in found][:2] == [["kaffe"], ["brændstof"]]
    coffee = (await client.get("/api/receipts/accounts", params={"q": "kaf"})).json()
    assert [a["code"] for a in coffee] == ["A-2.2", "B-2.2"]
    fuel = (await client.get("/api/receipts/accounts", params={"q": "Brændstof"})).json()
    assert [a["code"] for a in fuel] == ["A1-4.9"]
    assert (await client.get("/api/admin/account-words")).status_code == 403  # an employee keeps no words
