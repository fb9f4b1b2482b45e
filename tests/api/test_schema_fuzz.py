"""Schema fuzzing: schemathesis sends generated requests to every route of the app's own OpenAPI
schema, signed in as an employee, a leader, payroll and an admin, on SQLite and PostgreSQL.

Valid requests and invalid ones (schemathesis' negative mode: values outside the declared ranges,
wrong types, missing fields) are sent; every answer must be below 500 and match what the schema
declares (status, content type, body).
Bounded: a few examples per route (FUZZ_EXAMPLES), so the whole fuzz stays around a minute of test
time. The app runs in Litestar's TestClient (one event loop for the app and the setup), and each
generated case is checked with schemathesis' own checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import CSRF_COOKIE, CSRF_HEADER, create_app
from backend.auth.roles import Role
from backend.auth.sessions import SESSION_COOKIE, open_session
from backend.db.engine import make_engine
from backend.settings import Settings
from tests.conftest import BASE_URL, TEST_WORKFLOWS
from tests.world import build_world

FUZZ_EXAMPLES = int(os.environ.get("FELT_FUZZ_EXAMPLES", "8"))
"""Generated requests per route and role; raise it locally to fuzz harder."""
ROLES = (Role.EMPLOYEE, Role.LEADER, Role.PAYROLL, Role.ADMIN)
SKIPPED = {("POST", "/auth/logout")}
"""Logging out would end the signed-in session for every later case (it is tested in test_basics)."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def signed_in(settings: Settings, request: pytest.FixtureRequest) -> Iterator[TestClient[Any]]:
    role: Role = request.param
    app = create_app(settings, TEST_WORKFLOWS)
    with TestClient(app, base_url=BASE_URL) as client:

        async def arrange() -> str:
            engine = make_engine(settings.database_url, settings.database_schema)
            try:
                async with AsyncSession(engine, expire_on_commit=False) as db:
                    world = await build_world(db)
                    token = await open_session(db, world.by_role[role], settings)
                    await db.commit()
                    return token
            finally:
                await engine.dispose()

        token = client.blocking_portal.call(arrange)
        client.get("/api/health")
        client.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
        client.headers[CSRF_HEADER] = client.cookies[CSRF_COOKIE]
        yield client


def _send(client: TestClient[Any], case: schemathesis.Case) -> Any:
    kwargs: dict[str, Any] = {"params": case.query, "headers": {**(case.headers or {})}}
    if case.cookies:
        kwargs["cookies"] = case.cookies
    if not isinstance(case.body, NotSet):
        media_type = case.media_type or "application/json"
        if isinstance(case.body, bytes) or "json" not in media_type:
            body = case.body
            kwargs["content"] = body if isinstance(body, bytes) else str(body).encode()
            kwargs["headers"]["content-type"] = media_type
        else:
            kwargs["json"] = case.body
    return client.request(case.method, case.formatted_path, **kwargs)


@pytest.mark.parametrize("signed_in", ROLES, ids=lambda r: r.value, indirect=True)
def test_no_route_answers_5xx_or_against_its_schema(signed_in: TestClient[Any]) -> None:
    schema = schemathesis.openapi.from_dict(signed_in.get("/schema/openapi.json").json())
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(
            case=st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
            )
        )
        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:
            response = _send(signed_in, case)
            try:
                case.validate_response(response, checks=CHECKS)
            except (
                AssertionError,
                BaseExceptionGroup,
            ) as exc:  # schemathesis' FailureGroup: all reported at the end
                kind = str(exc).split("\n\n")[1][:80] if "\n\n" in str(exc) else type(exc).__name__
                failures.setdefault(f"{case.method} {case.operation.path} {kind}", str(exc)[:900])

        fuzz()
    assert not failures, "\n\n".join(f"{key}:\n{text}" for key, text in failures.items())
