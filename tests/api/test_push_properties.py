"""Whatever a client sends, a push answers 200 with a result per mutation, the device's queue moves on,
and nothing is stored that its field declaration would not accept (property-based, from the types)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.settings import Settings
from sync.fields import Field, clean_changes
from tests.api.test_sync_api import SCHEMA
from tests.conftest import TEST_WORKFLOWS, sign_in
from tests.world import build_world

pytestmark = pytest.mark.anyio

PLATFORM_TYPES = {t.name: t for w in TEST_WORKFLOWS for t in w.record_types}
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(
        ["187,50", "1e3", "NaN", "Infinity", "-1", " 1 ", "2026-02-30", "i går", "26/11/2026", "0"]
    ),
    st.lists(st.text(max_size=8), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _plausible(spec: Field) -> st.SearchStrategy[Any]:
    """Values near what the field accepts, so some mutations pass and go on to the transitions."""
    if spec.kind in ("money", "decimal"):
        return st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False).map(str)
    if spec.kind == "date":
        return st.dates().map(lambda d: d.isoformat()) | st.just(today().isoformat())
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "text":
        return st.text(max_size=60)
    return ANYTHING


@st.composite
def mutations(draw: st.DrawFn) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for n in range(1, draw(st.integers(1, 12)) + 1):
        type_name = draw(st.sampled_from(sorted(PLATFORM_TYPES)))
        record_type = PLATFORM_TYPES[type_name]
        record_id = draw(st.sampled_from(ids))
        kind = draw(st.sampled_from(["put", "put", "transition", "delete"]))
        if kind == "put":
            names = draw(st.lists(st.sampled_from([*record_type.fields, "unknown"]), max_size=5, unique=True))
            values = {
                name: draw(ANYTHING if name == "unknown" else _plausible(record_type.fields[name]) | ANYTHING)
                for name in names
            }
            out.append({"n": n, "kind": "put", "type": type_name, "id": record_id, "fields": values})
        elif kind == "transition":
            steps = [t.name for t in record_type.transitions] or ["none"]
            name = draw(st.sampled_from([*steps, "fly"]))
            out.append({"n": n, "kind": "transition", "type": type_name, "id": record_id, "transition": name})
        else:
            out.append({"n": n, "kind": "delete", "type": type_name, "id": record_id})
    return out


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=mutations())
async def test_any_field_values_get_a_result_each_and_never_block_the_queue(
    batch: list[dict[str, Any]], client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    if "signed_in" not in client.cookies:
        world = await build_world(db)
        await sign_in(client, db, world.in_a1, settings)
        client.cookies.set("signed_in", "1", domain="testserver.local")
    device = str(uuid.uuid4())
    response = await client.post(
        "/api/sync/push", json={"device_id": device, "mutations": batch}, headers=SCHEMA
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["last_n"] == len(batch) and [r["n"] for r in answer["results"]] == [m["n"] for m in batch]
    assert all(r["status"] in ("applied", "rejected", "conflict") for r in answer["results"])
    pulled = await client.get("/api/sync/pull", params={"device_id": device}, headers=SCHEMA)
    assert pulled.status_code == 200
    for record in pulled.json()["records"]:
        spec = PLATFORM_TYPES[record["type"]].fields
        writable = {k: v for k, v in record["fields"].items() if not spec[k].server}
        clean_changes(spec, writable, today())  # raises if anything stored is not of its declared form
    follow = {
        "n": len(batch) + 1,
        "kind": "put",
        "type": "note",
        "id": str(uuid.uuid4()),
        "fields": {"title": "ok"},
    }
    after = await client.post(
        "/api/sync/push", json={"device_id": device, "mutations": [follow]}, headers=SCHEMA
    )
    assert after.json()["results"][0]["status"] == "applied"  # the device's queue moves on
