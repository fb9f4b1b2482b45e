"""Typed fields on the PWA's forms, in real Chromium on a 360 px phone against the real backend: what people
type is read into the one canonical form the server keeps ("187,50" → "187.50"), and what the declared
fields forbid (0 km, 99,999 km, a date in the future) is refused on the form at once and never saved.
The declarations come from GET /api/sync/types and are kept on the device for offline forms."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from tests.e2e.test_mileage_flow import ANNA, login
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}

# The shape the server publishes (docs/sync.md, "Typed fields"), as a fixture for the parsing rules.
SPECS = {
    "km": {
        "kind": "decimal",
        "label": {"da": "Antal km", "en": "Distance (km)"},
        "min": "0.1",
        "max": "2000",
        "places": 1,
    },
    "total": {"kind": "money", "label": {"da": "Beløb", "en": "Amount"}, "min": "0.01", "max": "100000.00"},
    "count": {"kind": "integer", "label": {"da": "Antal", "en": "Count"}, "min": 1, "max": 10},
    "date": {"kind": "date", "label": {"da": "Dato", "en": "Date"}, "past_days": 1095, "future_days": 0},
    "cvr": {"kind": "text", "label": {"da": "CVR", "en": "CVR"}, "pattern": "^[0-9]{8}$", "max_length": 8},
}
TODAY = "2026-11-30"
CASES: list[tuple[str, str, Any]] = [
    # field, typed, the stored value (a str/int/None) or the refusal's code ("!code")
    ("total", "187,50", "187.50"),
    ("total", " 187.50 ", "187.50"),
    ("total", "1.234,50", "1234.50"),
    ("total", "1,234.50", "1234.50"),
    ("total", "1.234", "1234.00"),
    ("total", "12.5", "12.50"),
    ("total", "1 234,5 kr.", "1234.50"),
    ("total", "187,-", "187.00"),
    ("total", "", None),
    ("total", "0", "!range"),
    ("total", "-187,50", "!range"),
    ("total", "100000,01", "!range"),
    ("total", "187,505", "!places"),
    ("total", "1e3", "!number"),
    ("total", "NaN", "!number"),
    ("total", "Infinity", "!number"),
    ("km", "12,5 km", "12.5"),
    ("km", "12,50", "12.5"),
    ("km", "0,1", "0.1"),
    ("km", "2000", "2000"),
    ("km", "0", "!range"),
    ("km", "99999", "!range"),
    ("km", "99.999", "!range"),
    ("km", "99,999", "!places"),
    ("km", "12,55", "!places"),
    ("count", "3", 3),
    ("count", "3,5", "!whole"),
    ("count", "11", "!range"),
    ("date", "2026-11-30", "2026-11-30"),
    ("date", "26/11/2026", "2026-11-26"),
    ("date", "1.12.2026", "!future"),
    ("date", "2099-12-31", "!future"),
    ("date", "2026-02-30", "!date"),
    ("date", "i går", "!date"),
    ("date", "2023-11-29", "!past"),
    ("cvr", "12345678", "12345678"),
    ("cvr", "1234567", "!pattern"),
    ("cvr", "123456789", "!length"),
]


def test_typed_input_is_read_canonically_or_refused(page: Page) -> None:
    page.goto("/")
    page.wait_for_function("() => !!window.feltSync")
    got = page.evaluate(
        """([specs, cases, today]) => cases.map(([name, typed]) => {
             const r = feltSync.fields.parse(specs[name], typed, today);
             return r.problem ? "!" + r.problem.code : r.value;
           })""",
        [SPECS, CASES, TODAY],
    )
    assert list(zip(CASES, got, strict=True)) == [(c, c[2]) for c in CASES]


def _until(page: Page, script: str, arg: object, what: str, seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := page.evaluate(script, arg)):
        assert time.monotonic() < deadline, what
        page.evaluate("feltSync.syncNow()")
        page.wait_for_timeout(300)
    return value


def _declared(phone: Page) -> dict[str, Any]:
    """The server's declarations (GET /api/sync/types), once the phone has them: its forms check with them."""
    served = phone.request.get("/api/sync/types")
    assert served.ok, served.status
    types: dict[str, Any] = served.json()["types"]
    _until(
        phone,
        "(want) => feltSync.fields.specs().then((s) => JSON.stringify(s) === JSON.stringify(want))",
        types,
        "the declarations were not kept on the phone",
    )
    return types


def _da(decimal: str) -> str:
    """A bound as the Danish message writes it: "1500" → "1.500", "0.1" → "0,1"."""
    whole, _, frac = decimal.partition(".")
    return f"{int(whole):,}".replace(",", ".") + (f",{frac}" if frac else "")


def _between(spec: dict[str, Any], unit: str = "") -> str:
    low, high = (f"{_da(spec[k])}{unit}" for k in ("min", "max"))
    return f"{spec['label']['da']} skal være mellem {low} og {high}".removesuffix(".") + "."


def _new_trip(phone: Page) -> str:
    phone.get_by_role("link", name="Kørsel").click()
    phone.get_by_role("button", name="Ny tur").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ny tur")
    phone.get_by_label("Formål").fill("Forældremøde på Sydskolen")
    phone.get_by_label("Fra").fill("Nordskolen")
    phone.get_by_label("Til").fill("Sydskolen")
    phone.get_by_label(
        "Jeg bekræfter, at køretøjet er mit eget"
    ).check()  # else not saved (issue 12, item 13)
    return phone.evaluate("location.hash.split('/').pop()")


def test_trip_form_refuses_0_and_99999_km_at_once_and_saves_nothing(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport=PHONE).new_page()
    login(phone, ANNA)
    km_range = _between(_declared(phone)["trip"]["fields"]["km"])  # "Antal km skal være mellem 0,1 og 1.500."
    trip_id = _new_trip(phone)
    km = phone.get_by_label("Antal km")
    for typed in ("0", "99999"):
        km.fill(typed)
        km.press("Tab")  # leaving the field is enough: the reason shows before anything is saved
        expect(km).to_have_attribute("aria-invalid", "true")
        expect(km).to_have_accessible_description(re.compile(re.escape(km_range)))
        expect(phone.locator("#km-km-err")).to_have_text(km_range)
        phone.get_by_role("button", name="Gem turen").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Ny tur")
        expect(km).to_be_focused()
        assert phone.evaluate("(id) => feltSync.get(id)", trip_id) is None, f"{typed} km was saved"

    # A date in the future is refused the same way.
    date = phone.get_by_label("Dato")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    date.fill(tomorrow)
    date.press("Tab")
    expect(phone.get_by_text("Dato kan ikke ligge i fremtiden.")).to_be_visible()
    date.fill(datetime.date.today().isoformat())
    expect(phone.get_by_text("Dato kan ikke ligge i fremtiden.")).to_have_count(0)

    # Once refused, the reason follows the typing and goes as soon as the value is right.
    km.fill("12,5 km")
    expect(phone.get_by_text(km_range)).to_have_count(0)
    assert_accessible(phone)
    phone.get_by_role("button", name="Gem turen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Min kørsel")
    saved = phone.evaluate("(id) => feltSync.get(id)", trip_id)
    assert saved["fields"]["km"] == "12.5"

    # A draft saved with a refused value before this check existed says so as soon as it is opened.
    phone.context.set_offline(True)
    last_month = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    old = phone.evaluate(
        "(day) => { const id = feltSync.newId(); return feltSync.put('trip', id, {"
        " date: day, purpose: 'Gammel tur', from_place: 'A', to_place: 'B', km: '99999' }).then(() => id) }",
        last_month,
    )
    phone.goto(f"/#/koersel/{old}")
    expect(phone.locator("#km-km-err")).to_have_text(km_range)


def test_receipt_sends_187_50_and_never_server_fields(new_context: Callable[..., BrowserContext]) -> None:
    phone = new_context(viewport=PHONE).new_page()
    pushed: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.url.endswith("/api/sync/push") and request.method == "POST":
            pushed.extend((request.post_data_json or {})["mutations"])

    phone.on("request", record)
    login(phone, ANNA)
    refused = _between(_declared(phone)["receipt"]["fields"]["total"], " kr.")  # "… og 100.000,00 kr."
    phone.get_by_role("link", name="Udlæg").click()
    phone.get_by_role("button", name="Nyt udlæg").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nyt udlæg")
    receipt_id = phone.evaluate("location.hash.split('/').pop()")

    total = phone.get_by_label("Beløb i alt (kr.)")
    total.fill("0")
    total.press("Tab")
    expect(phone.locator("#rc-total-err")).to_have_text(refused)
    expect(total).to_have_attribute("aria-invalid", "true")
    assert phone.evaluate("(id) => feltSync.get(id)", receipt_id) is None, "0 kr. was saved"

    total.fill("187,50")
    expect(phone.get_by_text(refused)).to_have_count(0)
    total.press("Tab")
    assert_accessible(phone)
    _until(
        phone,
        "(id) => feltSync.get(id).then((r) => r && r.server && r.server.fields.total)",
        receipt_id,
        "not synced",
    )
    server = phone.evaluate("(id) => feltSync.get(id).then((r) => r.server.fields.total)", receipt_id)
    assert server == "187.50"
    sent = [m for m in pushed if m["id"] == receipt_id and m["kind"] == "put"]
    assert any(m["fields"].get("total") == "187.50" for m in sent), sent

    # Fields the server owns never leave the phone, whoever asks for them to be written.
    phone.evaluate(
        "(id) => feltSync.put('receipt', id, { purpose: 'Kaffe', payroll: { month: '2020-01' }, duplicate_of: [], ocr: {} })",
        receipt_id,
    )
    _until(
        phone,
        "(id) => feltSync.get(id).then((r) => r.pending === 0 && r.fields.purpose === 'Kaffe')",
        receipt_id,
        "not synced",
    )
    for m in (m for m in pushed if m["kind"] == "put"):
        assert not {"payroll", "duplicate_of", "ocr", "review", "calc"} & set(m["fields"]), m


def test_forms_use_the_servers_declarations_offline_too(new_context: Callable[..., BrowserContext]) -> None:
    """The declarations are fetched at log-in and kept for offline forms; the copy built in is the same."""
    phone = new_context(viewport=PHONE).new_page()
    login(phone, ANNA)
    types = _declared(phone)
    assert types["trip"]["fields"]["calc"]["server"] is True
    # The copy baked into the build (used until the first fetch) is what the server declares.
    assert phone.evaluate("() => feltSync.fields.BUILT_IN") == types

    phone.context.set_offline(True)
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Hej {ANNA}")
    _new_trip(phone)
    km = phone.get_by_label("Antal km")
    km.fill("0")
    km.press("Tab")
    expect(phone.locator("#km-km-err")).to_have_text(_between(types["trip"]["fields"]["km"]))
