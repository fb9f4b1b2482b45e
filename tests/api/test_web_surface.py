"""The hardened web surface (issue 11, items 6–10, 12, 13), on SQLite and PostgreSQL.

Each test is named after the rule it holds; the OIDC ones use the suite's real OpenID provider or a
small local server that answers what a broken or hostile provider would.
"""

from __future__ import annotations

import csv
import io
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import CSRF_COOKIE, CSRF_HEADER, create_app
from backend.auth import oidc
from backend.auth.roles import Role
from backend.clock import today
from backend.db.base import utcnow
from backend.db.models import Municipality, OidcLogin
from backend.features.payroll.writers import CsvWriter, OutLine
from backend.features.receipts.review import draw_month
from backend.platform import Platform
from backend.settings import Settings
from backend.web.csv_cells import safe_cell
from tests.api.test_mileage import log_trips, trip
from tests.api.test_sync_api import Device
from tests.conftest import BASE_URL, TEST_WORKFLOWS, sign_in
from tests.oidc.fixture import OidcProvider
from tests.world import World, build_world

pytestmark = pytest.mark.anyio
TOO_BIG = 2**31  # one more than PostgreSQL's integer holds


async def _client(settings: Settings, base_url: str = BASE_URL) -> AsyncTestClient:
    client = AsyncTestClient(create_app(settings, TEST_WORKFLOWS), base_url=base_url)
    await client.__aenter__()
    await client.get("/api/health")
    client.headers[CSRF_HEADER] = client.cookies[CSRF_COOKIE]
    return client


# ---- 6. security headers --------------------------------------------------------------------


async def test_every_response_carries_the_security_headers(client: AsyncTestClient) -> None:
    for path in ("/", "/api/health", "/api/me", "/api/no-such-route", "/schema/openapi.json"):
        response = await client.get(path)
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin", path
        assert headers["strict-transport-security"].startswith("max-age="), path  # the client uses https
    assert (await client.get("/api/me")).headers["cache-control"] == "no-store"  # personal, even a 401
    assert (await client.get("/api/health")).headers["cache-control"] == "no-store"
    assert "no-store" not in (await client.get("/")).headers.get("cache-control", "")  # the shell is cached


async def test_hsts_only_over_tls_and_the_forwarded_scheme_only_from_trusted_proxies(
    settings: Settings,
) -> None:
    plain = await _client(settings, "http://testserver.local")
    try:
        assert "strict-transport-security" not in (await plain.get("/api/health")).headers
        claimed = await plain.get("/api/health", headers={"x-forwarded-proto": "https"})
        assert "strict-transport-security" not in claimed.headers  # nobody is trusted by default
    finally:
        await plain.__aexit__(None, None, None)
    behind = await _client(replace(settings, trusted_proxies=("testclient",)), "http://testserver.local")
    try:
        forwarded = await behind.get("/api/health", headers={"x-forwarded-proto": "https"})
        assert forwarded.headers["strict-transport-security"].startswith("max-age=")
        assert "strict-transport-security" not in (await behind.get("/api/health")).headers
    finally:
        await behind.__aexit__(None, None, None)


# ---- 7. rate limits --------------------------------------------------------------------------


async def _until_limited(client: AsyncTestClient, method: str, path: str, most: int, **kw: Any) -> Any:
    for _ in range(most + 1):
        response = await client.request(method, path, **kw)
        if response.status_code == 429:
            return response
    raise AssertionError(f"{method} {path}: no 429 after {most + 1} requests")


async def test_log_in_starts_demo_log_ins_and_uploads_are_rate_limited_in_danish(
    settings: Settings, db: AsyncSession
) -> None:
    world = await build_world(db)
    client = await _client(replace(settings, demo_login=True))
    try:
        limited = await _until_limited(client, "GET", f"/auth/login/{world.municipality.slug}", 30)
        body = limited.json()
        assert body["status_code"] == 429 and "For mange forsøg" in body["detail"]
        assert int(limited.headers["retry-after"]) > 0
        english = await client.get(
            f"/auth/login/{world.municipality.slug}", headers={"accept-language": "en"}
        )
        assert english.status_code == 429 and "Too many attempts" in english.json()["detail"]

        demo = await _until_limited(client, "POST", "/auth/demo/login", 30, json={"user_id": 1})
        assert "For mange forsøg" in demo.json()["detail"]
        upload = await _until_limited(client, "PUT", f"/api/sync/blobs/{'0' * 64}", 240, content=b"x")
        assert "For mange forsøg" in upload.json()["detail"]
        assert (await client.get("/api/health")).status_code == 200  # other routes are not limited
    finally:
        await client.__aexit__(None, None, None)


@pytest.mark.oidc
async def test_anonymous_log_in_starts_write_no_rows_without_bound(
    settings: Settings, db: AsyncSession, oidc_provider: OidcProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    municipality = await _oidc_municipality(db, oidc_provider)
    db.add(OidcLogin(state="old" + uuid.uuid4().hex, municipality_id=municipality.id, nonce="n",
                     code_verifier="v", created_at=utcnow() - oidc.LOGIN_TTL * 2))  # fmt: skip
    await db.commit()
    live = OidcLogin.created_at >= utcnow() - oidc.LOGIN_TTL
    others = await db.scalar(select(func.count()).select_from(OidcLogin).where(live)) or 0  # other tests'
    monkeypatch.setattr(oidc, "MAX_PENDING_LOGINS", others + 5)
    client = await _client(settings)
    try:
        answers = [
            (await client.get(f"/auth/login/{municipality.slug}", follow_redirects=False)).status_code
            for _ in range(8)
        ]
    finally:
        await client.__aexit__(None, None, None)
    assert answers[:5] == [302] * 5 and set(answers[5:]) == {429}
    count = await db.scalar(select(func.count()).select_from(OidcLogin))
    assert count == others + 5  # the expired one is gone, and no more than the bound were written


# ---- 8. return_to ----------------------------------------------------------------------------

ELSEWHERE = ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "\\\\evil",
             "/%09/evil", " /x", "/" + "a" * 600, "evil.example"]  # fmt: skip


@pytest.mark.oidc
async def test_return_to_never_leaves_the_site(
    client: AsyncTestClient, db: AsyncSession, oidc_provider: OidcProvider
) -> None:
    slug = (await _oidc_municipality(db, oidc_provider)).slug
    for value, kept in [*((v, "/") for v in ELSEWHERE), ("/receipts?id=1#x", "/receipts?id=1#x"), ("/", "/")]:
        if value == "/%09/evil":
            kept = value  # an encoded tab stays a path on this site: the browser does not decode it
        start = await client.get(f"/auth/login/{slug}", params={"return_to": value}, follow_redirects=False)
        assert start.status_code == 302, value
        state = start.cookies.get("felt_oidc_state") or client.cookies.get("felt_oidc_state")
        login = await db.get(OidcLogin, state)
        assert login is not None and login.return_to == kept, value
        await db.rollback()


# ---- 9. no 5xx from bad input ----------------------------------------------------------------


async def test_ids_beyond_the_databases_range_are_refused_not_a_500(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    calls = [
        (Role.ADMIN, "GET", f"/api/units/{TOO_BIG}", None),
        (Role.ADMIN, "GET", f"/api/units/{TOO_BIG}/staff", None),
        (Role.ADMIN, "GET", f"/api/users/{TOO_BIG}", None),
        (Role.ADMIN, "POST", f"/api/users/{TOO_BIG}/activate", None),
        (Role.ADMIN, "POST", f"/api/users/{TOO_BIG}/deactivate", None),
        (Role.ADMIN, "DELETE", f"/api/mileage/authorisations/{TOO_BIG}", None),
        (Role.ADMIN, "GET", f"/api/audit?before_id={TOO_BIG}", None),
        (Role.FINANCE, "GET", f"/api/receipts/bookings/{TOO_BIG}/file", None),
        (Role.PAYROLL, "GET", f"/api/payroll/exports/{TOO_BIG}/file", None),
        (Role.PAYROLL, "POST", f"/api/payroll/exports/{TOO_BIG}/paid", None),
        (Role.EMPLOYEE, "GET", f"/api/mileage/log.csv?year={TOO_BIG}", None),
        (Role.ADMIN, "PUT", "/api/municipality/settings", {"receipt_retention_years": TOO_BIG}),
    ]
    wrong = []
    for role, method, path, body in calls:
        await sign_in(client, db, world.by_role[role], settings)
        response = await client.request(method, path, json=body)
        if not 400 <= response.status_code < 500 or "detail" not in response.json():
            wrong.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


async def test_a_malformed_pull_cursor_starts_over_instead_of_a_500(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.in_a1, settings)
    device, schema = str(uuid.uuid4()), {"x-felt-schema": "99"}
    first = await client.get("/api/sync/pull", params={"device_id": device}, headers=schema)
    fp = first.json()["cursor"].rsplit(".", 1)[
        1
    ]  # this user's own fingerprint: the cursor is read, not reset
    for cursor in (f"1.not-a-uuid.{fp}", f"{2**70}..{fp}", f"-5.x.{fp}", "x.y.z", "...", "1.2"):
        response = await client.get(
            "/api/sync/pull", params={"device_id": device, "cursor": cursor}, headers=schema
        )
        assert response.status_code == 200, (cursor, response.text)
        assert response.json()["reset"] is True, cursor  # a cursor that cannot be read starts over


class _Provider(BaseHTTPRequestHandler):
    """A broken identity provider: HTML, a document too big, or an answer that never finishes."""

    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            time.sleep(3)
        body = (
            b"<html>not json</html>"
            if self.path.startswith("/html")
            else b"{" + b" " * (2 * 1024 * 1024) + b"}"
        )
        self.send_response(200)
        self.send_header("content-type", "text/html" if self.path.startswith("/html") else "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def broken_provider() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_an_issuer_answering_html_too_much_or_too_slowly_is_a_clear_error(
    client: AsyncTestClient, db: AsyncSession, broken_provider: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oidc, "TIMEOUT", 1.0)
    world = await build_world(db)
    for path, words in (("/html", "OpenID"), ("/big", "OpenID"), ("/slow", "svarer ikke")):
        municipality = await db.get(Municipality, world.municipality.id)
        assert municipality is not None
        municipality.oidc_issuer, municipality.oidc_client_id = f"{broken_provider}{path}", "felt"
        await db.commit()
        response = await client.get(f"/auth/login/{world.municipality.slug}")
        assert response.status_code == 400, (path, response.text)
        assert words in response.json()["detail"], path


# ---- 10. CSV -----------------------------------------------------------------------------------

FORMULAS = {'=HYPERLINK("https://evil.example")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}


def test_csv_cells_are_neutralised_the_owasp_way_and_numbers_stay_numbers() -> None:
    for text in FORMULAS:
        assert safe_cell(text) == "'" + text
    for number in ("-12.50", "+3", "0.6400", "149.95", Decimal("-12.50"), -3):
        assert safe_cell(number) == number
    assert safe_cell("Netto") == "Netto" and safe_cell(None) == ""
    payroll = CsvWriter().write(
        [OutLine("=1+1", "@9100", Decimal("-1"), Decimal("12.5"), Decimal("-12.50"), "2026-11", "-x")]
    )
    assert payroll.split("\r\n")[1] == "'=1+1;'@9100;-1.00;12.5000;-12.50;2026-11;'-x;"  # no flag


async def test_csv_exports_neutralise_formula_injection(
    platform: Platform, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    evil = '=HYPERLINK("https://evil.example","klik")'
    await log_trips(client, db, settings, world.in_a1, trip(purpose=evil, from_place="@SUM(1)"), submit=False)
    log = await client.get("/api/mileage/log.csv", params={"year": 2025})
    (row,) = list(csv.DictReader(io.StringIO(log.text), delimiter=";"))
    assert (row["purpose"], row["from"]) == ("'" + evil, "'@SUM(1)")

    rid = await _paid_receipt(
        client, db, settings, world, {"merchant": evil, "purpose": "+cmd", "project": "-x"}
    )
    await sign_in(client, db, world.by_role[Role.FINANCE], settings)
    (booking,) = (await client.get("/api/receipts/bookings")).json()
    file = await client.get(f"/api/receipts/bookings/{booking['export_id']}/file")
    assert file.headers["content-type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(file.text), delimiter=";"))
    assert (row["forretning"], row["formaal"], row["projekt"]) == ("'" + evil, "'+cmd", "'-x")
    assert row["beloeb"] == "149.95"  # numbers stay numbers

    municipality = await db.get(Municipality, world.municipality.id)
    assert municipality is not None
    await draw_month(db, platform, municipality, today().isoformat()[:7])
    await db.commit()
    await sign_in(client, db, world.by_role[Role.LEADER], settings)
    rejected = await client.post("/api/inbox/receipt/reject", json={"ids": [rid], "note": "=1+1"})
    assert rejected.json()[0]["status"] == "applied", rejected.text
    audit = await client.get("/api/receipts/review/audit.csv", params={"year": today().year})
    (row,) = list(csv.DictReader(io.StringIO(audit.text), delimiter=";"))
    assert row["note"] == "'=1+1" and row["beloeb"] == "149.95"


async def _paid_receipt(
    client: AsyncTestClient, db: AsyncSession, settings: Settings, world: World, fields: dict[str, Any]
) -> str:
    await sign_in(client, db, world.in_a1, settings)
    phone, rid = Device(client, "receipt"), str(uuid.uuid4())
    base = {"date": "2026-11-02", "merchant": "Netto", "cvr": "13748136", "total": "149.95", "vat": "29.99",
            "account": "1-2.2", "purpose": "Frugt"}  # fmt: skip
    results = (await phone.push(phone.put(rid, base | fields), phone.move(rid, "submit")))["results"]
    assert all(r["status"] == "applied" for r in results), results
    await sign_in(client, db, world.by_role[Role.PAYROLL], settings)
    pending = (await client.get("/api/payroll/exports")).json()["pending"]
    export = await client.post("/api/payroll/exports", json={"period": pending[0]["period"]})
    assert export.status_code == 201, export.text
    return rid


# ---- 12. the OIDC issuer ---------------------------------------------------------------------


async def test_an_issuer_must_be_https(client: AsyncTestClient, db: AsyncSession, settings: Settings) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    for issuer in (
        "http://idp.example.dk",
        "ftp://idp.example.dk",
        "https://",
        "https://user:pw@idp.example.dk",
    ):
        response = await client.put("/api/municipality/settings", json={"oidc_issuer": issuer})
        assert response.status_code == 400 and "https://" in response.json()["detail"], issuer
    ok = await client.put("/api/municipality/settings", json={"oidc_issuer": "https://idp.example.dk/realm"})
    assert ok.status_code == 200, ok.text
    loopback = {"oidc_issuer": "http://127.0.0.1:9/realm"}
    assert (
        await client.put("/api/municipality/settings", json=loopback)
    ).status_code == 200  # tests allow it
    production = await _client(replace(settings, oidc_http_loopback=False))
    try:
        await sign_in(production, db, world.by_role[Role.ADMIN], settings)
        assert (await production.put("/api/municipality/settings", json=loopback)).status_code == 400
        # An issuer stored before the rule (or by the CLI) is refused when a log-in starts, too.
        assert (await production.get(f"/auth/login/{world.municipality.slug}")).status_code == 400
    finally:
        await production.__aexit__(None, None, None)


# ---- 13. OpenAPI -----------------------------------------------------------------------------


async def test_openapi_declares_the_statuses_and_content_types_routes_return(client: AsyncTestClient) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    def responses(method: str, path: str) -> dict[str, Any]:
        return dict(paths[path][method]["responses"])

    assert {"401", "403", "404"} <= set(responses("get", "/api/users/{user_id}"))
    assert {"401", "403", "409"} <= set(responses("post", "/api/payroll/exports"))
    assert "429" in responses("get", "/auth/login/{slug}") and "429" in responses("post", "/auth/demo/login")
    assert "429" in responses("put", "/api/sync/blobs/{sha256}")
    assert "426" in responses("get", "/api/sync/pull")
    for path in (
        "/api/mileage/log.csv",
        "/api/receipts/review/audit.csv",
        "/api/receipts/bookings/{export_id}/file",
    ):
        assert list(responses("get", path)["200"]["content"]) == ["text/csv"], path
    error = responses("get", "/api/users/{user_id}")["404"]["content"]["application/json"]["schema"]
    assert error  # the error body's schema (ErrorBody), so clients can read `detail`
    user_id = next(p for p in paths["/api/users/{user_id}"]["get"]["parameters"] if p["name"] == "user_id")
    assert user_id["schema"]["maximum"] == 2**31 - 1


async def _oidc_municipality(db: AsyncSession, provider: OidcProvider) -> Municipality:
    from backend.features.municipality.service import create_municipality

    municipality = await create_municipality(
        db,
        f"o-{uuid.uuid4().hex[:8]}",
        "OIDC Kommune",
        oidc_issuer=provider.issuer,
        oidc_client_id=provider.client_id,
        oidc_client_secret=provider.client_secret,
    )
    await db.commit()
    return municipality
