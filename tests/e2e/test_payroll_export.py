"""Payroll's screen in real Chromium against the real backend: it offers the next salary run, and a
double-clicked "Eksportér lønlinjer" makes one export — the second click creates nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Request, expect

from backend.clock import today
from tests.e2e.conftest import _contexts, _serve
from tests.e2e.test_mileage_flow import login
from tests.e2e.test_receipts_flow import ACCOUNT, ANNA, assert_accessible
from tests.e2e.test_receipts_review import GITTE, SEED, state_is, until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def payroll_server(
    tmp_path_factory: pytest.TempPathFactory, pwa_dist: Path, demo_data: Path
) -> Iterator[str]:
    """A backend of its own: an export here moves the next approvals of the shared server's tests to
    the following salary run, which would change what they expect."""
    yield from _serve(tmp_path_factory.mktemp("felt-payroll-data"), pwa_dist, demo_data)


@pytest.fixture
def new_context(browser: Browser, payroll_server: str) -> Iterator[Callable[..., BrowserContext]]:
    yield from _contexts(browser, payroll_server)


def test_a_double_click_on_export_makes_one_export(new_context: Callable[..., BrowserContext]) -> None:
    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, ANNA)
    phone.get_by_role("link", name="Udlæg").click()
    ids = phone.evaluate(SEED, {"account": ACCOUNT, "receipts": [["Kaffebaren", "87.50", "17.50", "Kaffe"]]})
    state_is(phone, ids, ["submitted"], "the receipt was not submitted")
    until(phone, "(id) => feltSync.get(id).then((r) => r.fields.payroll.month)", ids[0], "no payroll month")
    period = phone.evaluate("(id) => feltSync.get(id).then((r) => r.fields.payroll.month)", ids[0])

    desk = new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(desk, GITTE)
    desk.get_by_role("link", name="Løn").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Løn")
    offered = desk.request.get("/api/payroll/exports").json()
    # The month offered is the next run to export (not simply today's calendar month).
    expect(desk.get_by_label("Lønmåned")).to_have_value(offered["next_period"])
    expect(desk.get_by_text("Næste lønkørsel:")).to_be_visible()
    before = [x["id"] for x in offered["exports"] if x["period"] == period]
    assert before == []

    posts: list[Request] = []
    desk.on("request", lambda r: posts.append(r) if r.url.endswith("/api/payroll/exports") else None)
    desk.get_by_label("Lønmåned").fill(period)
    assert desk.get_by_label("Lønmåned").bounding_box()["height"] >= 44  # type: ignore[index]
    button = desk.get_by_role("button", name="Eksportér lønlinjer")
    assert button.bounding_box()["height"] >= 44  # type: ignore[index]  # WCAG target size
    # Before the month's cut-off, payroll is asked first (approvals until then would go to the next run).
    asked: list[str] = []
    desk.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    button.dblclick()
    status = desk.locator("main").get_by_role("status")
    expect(status).to_contain_text("Eksporten er lavet")
    expect(desk.get_by_role("button", name="Eksportér lønlinjer")).to_be_enabled()
    made = [x for x in desk.request.get("/api/payroll/exports").json()["exports"] if x["period"] == period]
    assert len(made) == 1, made  # the second click created nothing
    early = period == offered["next_period"] and today().isoformat() < offered["next_cutoff"]
    assert len(asked) == (1 if early else 0) and all("Lønfristen" in m for m in asked), asked
    assert [r.method for r in posts].count("POST") == 1
    expect(desk.get_by_role("link", name="Hent loen-" + period)).to_have_count(1)
    state_is(phone, ids, ["paid"], "the export did not pay the receipt")

    # Asked again (a retry, another tab): the same export comes back, and the screen says so in words.
    desk.once("dialog", lambda d: d.accept())  # before the cut-off, payroll is asked first
    desk.get_by_role("button", name="Eksportér lønlinjer").click()
    expect(status).to_contain_text("allerede eksporteret")
    expect(status).to_contain_text("ingen får udbetalt to gange")
    again = desk.request.get("/api/payroll/exports").json()["exports"]
    assert [x["id"] for x in again if x["period"] == period] == [made[0]["id"]]
    assert_accessible(desk)


def test_send_the_month_offers_only_trips_that_can_be_sent(
    new_context: Callable[..., BrowserContext],
) -> None:
    """A trip the server would refuse (here: the vehicle is not confirmed as her own) is not offered;
    its card says what to do, and once fixed it is offered and goes through."""
    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, ANNA)
    phone.get_by_role("link", name="Kørsel").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Min kørsel")
    phone.evaluate("() => feltSync.syncNow()")  # the demo's trips are all here before counting
    expect(phone.locator("main").get_by_text("Henter")).to_have_count(0)
    send = phone.get_by_role("button", name="Send måneden til godkendelse")
    offered = int(send.inner_text().split("(")[1].rstrip(")")) if send.count() else 0
    trip = {
        "date": phone.evaluate("feltSync.fields.today()"),  # the Danish calendar, as the list shows
        "purpose": "Tilsyn på legepladsen",
        "from_place": "Nordskolen",
        "to_place": "Sydskolen",
        "km": "7",
        "vehicle": "car",
        "own_vehicle": False,
    }
    tid = phone.evaluate(
        "(f) => { const id = feltSync.newId(); return feltSync.put('trip', id, f).then(() => id); }", trip
    )
    card = phone.get_by_role("link", name="Tilsyn på legepladsen")
    expect(card).to_contain_text("Kan ikke sendes endnu: Bekræft, at køretøjet er dit eget.")
    expect(phone.get_by_text("1 tur(e) i måneden kan ikke sendes endnu")).to_be_visible()
    if offered:
        expect(send).to_contain_text(f"({offered})")  # not counted
    else:
        expect(send).to_have_count(0)
    assert_accessible(phone)

    phone.evaluate("([id, f]) => feltSync.put('trip', id, { ...f, own_vehicle: true })", [tid, trip])
    expect(card).not_to_contain_text("Kan ikke sendes endnu")
    expect(send).to_contain_text(f"({offered + 1})")
    send.click()
    until(
        phone, "(id) => feltSync.get(id).then((t) => t.state === 'submitted')", tid, "the trip was not sent"
    )
