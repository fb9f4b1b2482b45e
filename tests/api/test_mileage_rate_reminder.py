"""The admins' reminder of a year's missing mileage rate speaks of the year, in words of its own, not
with the text a trip waiting for the rate shows ("turen 2030-12-31 …")."""

from __future__ import annotations

from datetime import date

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.features.mileage import controller
from backend.settings import Settings
from tests.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio


async def test_a_missing_years_rate_is_told_to_the_admin_in_its_own_words(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(db)
    monkeypatch.setattr(controller, "today", lambda: date(2030, 6, 1))  # a year no rate is entered for
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    missing = (await client.get("/api/mileage/settings")).json()["missing"]
    assert missing and all(m.startswith("Kørselssatsen for ") and " i 2030 mangler." in m for m in missing)
    assert not any("turen" in m for m in missing)
