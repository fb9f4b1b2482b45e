"""The leaders' review of receipts in real Chromium against the real backend: an employee's receipts are
paid back by the payroll export, the month's draw sends them to review, the leader on a tablet sees why
each was drawn, rejects one with a reason and approves the other, and the employee sees both outcomes;
finance downloads the booking file."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

import backend.features.receipts.record_type  # noqa: F401  (registers the receipt type the draw moves)
from backend.clock import today
from backend.db.engine import make_engine
from backend.db.models import Municipality, ReceiptReviewDraw
from backend.features.receipts.review import draw_month
from backend.settings import load_settings
from backend.workflows import platform as app_platform
from tests.e2e.conftest import DATA_DIRS
from tests.e2e.test_mileage_flow import login, until
from tests.e2e.test_receipts_flow import ACCOUNT, ANNA, assert_accessible

pytestmark = pytest.mark.e2e

CAMILLA = "Camilla Hansen"  # leader of Nordskolen
GITTE = "Gitte Larsen"  # payroll
HANS = "Hans Christensen"  # finance
KAREN = "Karen Olsen"  # admin
BOOKS = "Bog & Idé Ringsted"
CAFE = "Café Møllen"
REASON = "Bøgerne er købt privat, ikke til skolen."
DRAWN_WHY = "Enheden havde under 20 udlæg i måneden: alle gennemses."
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]  # fmt: skip


async def draw_this_month() -> None:
    """What the daily job does on the first days of next month (it draws last month), for this month."""
    settings = load_settings()
    engine = make_engine(settings.database_url, settings.database_schema)
    month = today().isoformat()[:7]
    async with AsyncSession(engine) as db:
        # Between the 1st and the cut-off the demo data has already drawn this month (a unit is drawn once
        # a month): start the month's draw afresh, as if it had not run yet.
        await db.execute(delete(ReceiptReviewDraw).where(ReceiptReviewDraw.month == month))
        for municipality in await db.scalars(select(Municipality)):
            await draw_month(db, app_platform(), municipality, month)
        await db.commit()
    await engine.dispose()


SEED = """async ({ account, receipts }) => {
  const canvas = new OffscreenCanvas(240, 320);
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, 240, 320);
  g.fillStyle = "#000";
  g.fillText("KVITTERING", 20, 40);
  const photo = await feltSync.addPhoto(await canvas.convertToBlob({ type: "image/jpeg" }));
  const ids = [];
  for (const [merchant, total, vat, purpose] of receipts) {
    const id = feltSync.newId();
    await feltSync.put("receipt", id, {
      photos: merchant === receipts[0][0] ? [photo] : [], merchant, date: new Date().toISOString().slice(0, 10),
      total, vat, cvr: null, currency: "DKK", account, purpose, project: null, machine_read: [],
    });
    await feltSync.transition("receipt", id, "submit");
    ids.push(id);
  }
  return ids;
}"""


def month_words(ym: str) -> str:
    year, month = ym.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def state_is(page: Page, ids: list[str], states: list[str], what: str) -> None:
    until(
        page,
        "([ids, states]) => Promise.all(ids.map((id) => feltSync.get(id)))"
        ".then((rs) => rs.every((r, i) => r.state === states[i]))",
        [ids, states],
        what,
    )


def test_paid_drawn_reviewed_on_a_tablet_and_booked(
    new_context: Callable[..., BrowserContext], server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, ANNA)
    phone.get_by_role("link", name="Udlæg").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mine udlæg")
    receipts = [
        [BOOKS, "1249.50", "249.90", "Bøger til 4. klasse"],
        [CAFE, "310.00", "62.00", "Forældremøde"],
    ]
    ids = phone.evaluate(SEED, {"account": ACCOUNT, "receipts": receipts})
    state_is(phone, ids, ["submitted", "submitted"], "the receipts were not submitted")
    until(
        phone, "() => feltSync.status().then((s) => s.pendingBlobs === 0)", None, "the photo was not uploaded"
    )
    cafe = ids[1]
    until(phone, "(id) => feltSync.get(id).then((r) => r.fields.payroll.month)", cafe, "no payroll month")
    period = phone.evaluate("(id) => feltSync.get(id).then((r) => r.fields.payroll.month)", cafe)
    item = phone.get_by_role("link", name=CAFE)
    expect(item).to_contain_text("Indsendt")
    expect(item).to_contain_text(f"Udbetales med lønnen for {month_words(period)}")
    expect(phone.get_by_role("link", name=BOOKS)).to_contain_text("1.249,50 kr.")

    desk = new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(desk, GITTE)
    desk.get_by_role("link", name="Løn").click()
    desk.get_by_label("Lønmåned").fill(period)
    desk.once("dialog", lambda d: d.accept())  # before the cut-off, payroll is asked first
    desk.get_by_role("button", name="Eksportér lønlinjer").click()
    expect(desk.locator("main").get_by_role("status")).to_contain_text("Eksporten er lavet")
    state_is(phone, ids, ["paid", "paid"], "the export did not pay the receipts")

    # Against the server's own database, in a thread of its own (Playwright's sync API owns this one's loop).
    monkeypatch.setenv("FELT_DATA_DIR", str(DATA_DIRS[server]))
    monkeypatch.delenv("FELT_DATABASE_URL", raising=False)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, draw_this_month()).result()
    state_is(phone, ids, ["in_review", "in_review"], "the draw did not reach the phone")
    expect(item).to_contain_text("I gennemsyn")
    expect(item).to_contain_text(f"Din leder gennemser udlægget. Hvorfor: {DRAWN_WHY}")

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, CAMILLA)
    tablet.locator(".tile").first.click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Til godkendelse")
    first = tablet.locator(".inbox-item").filter(has_text=BOOKS)  # issue 16: one list of everything waiting
    second = tablet.locator(".inbox-item").filter(has_text=CAFE)
    expect(first).to_contain_text(ANNA)
    expect(first).to_contain_text("1.249,50 kr.")
    expect(first).to_contain_text("249,90 kr.")
    expect(first).to_contain_text(ACCOUNT)
    expect(first).to_contain_text("Bøger til 4. klasse")
    expect(first).to_contain_text(f"Udtaget til gennemsyn: {DRAWN_WHY}")
    expect(tablet.get_by_role("button", name=re.compile(r"^Godkend alle \d+$"))).to_be_visible()
    first.get_by_role("button", name="Vis billede 1 i stor størrelse").click()
    photo = tablet.get_by_role("dialog")
    expect(photo.get_by_role("img", name="Kvittering, billede 1")).to_be_visible()
    tablet.wait_for_function("() => document.querySelector('dialog img')?.naturalWidth > 0")
    assert_accessible(tablet)
    tablet.keyboard.press("Escape")
    expect(photo).to_have_count(0)

    first.get_by_role("button", name="Afvis").click()
    tablet.get_by_label("Begrundelse for afvisningen").fill(REASON)
    first.get_by_role("button", name="Bekræft afvisning").click()
    status = tablet.locator("main").get_by_role("status").first
    expect(status).to_have_text("Afvist.")
    expect(first).to_have_count(0)
    second.get_by_role("button", name="Godkend", exact=True).click()
    expect(status).to_have_text("1 godkendt.")
    expect(second).to_have_count(0)

    state_is(phone, ids, ["rejected", "approved"], "the leader's decisions did not reach the phone")
    rejected = phone.get_by_role("link", name=BOOKS)
    expect(rejected).to_contain_text("Afvist")
    expect(rejected).to_contain_text(f"Afvist af lederen: {REASON}")
    expect(item).to_contain_text("Godkendt")
    expect(item).to_contain_text(f"Udbetalt med lønnen for {month_words(period)}")
    rejected.click()
    expect(phone.get_by_text(f"Afvist af lederen: {REASON}")).to_be_visible()
    assert_accessible(phone)

    desk = new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(desk, HANS)
    desk.get_by_role("link", name="Bogføring").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Bogføring")
    link = desk.get_by_role("link", name=f"Hent bogføringsfil for {month_words(period)}").first
    booking = desk.request.get(link.get_attribute("href") or "").text()
    assert BOOKS in booking and CAFE in booking
    audit = desk.get_by_role("link", name="Hent gennemsynet for")
    assert REASON in desk.request.get(audit.get_attribute("href") or "").text()
    assert_accessible(desk)


def test_admin_sees_why_a_retention_period_is_refused(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(page, KAREN)
    page.get_by_role("link", name="Administration").click()
    share = page.get_by_label("Andel der gennemses (%)")
    expect(share).to_have_value("5")
    share.fill("0")
    page.get_by_role("button", name="Gem indstillingerne").click()
    expect(share).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Skriv en procent over 0 og højst 100")).to_be_visible()
    share.fill("7,5")
    page.get_by_label("Slet udlæg efter (år efter regnskabsåret)").fill("5")
    page.get_by_role("button", name="Gem indstillingerne").click()
    expect(page.get_by_role("alert")).to_contain_text("Sletning kræver Rigsarkivets tilladelse")
    page.get_by_label("Rigsarkivets tilladelse (journalnummer)").fill("2026-01234")
    page.get_by_role("button", name="Gem indstillingerne").click()
    expect(page.locator("main").get_by_role("status")).to_have_text("Indstillingerne er gemt.")
    expect(share).to_have_value("7,5")
    assert_accessible(page)

    # Everyday words for finding accounts (issue 12, item 18): the admin adds one; it says what it finds.
    page.get_by_role("button", name="Tilføj et ord").click()
    words = page.locator(".aw-row")
    new = words.last
    new.get_by_label("Ord", exact=False).first.fill("Sodavand")
    new.get_by_label("Betyder").fill("fødevarer")
    page.get_by_role("button", name="Gem ordene").click()
    expect(page.get_by_text("Ordene er gemt.")).to_be_visible()
    found = page.evaluate(
        """() => [...document.querySelectorAll('.aw-row')]
            .find((row) => row.querySelector('input').value === 'sodavand')?.textContent"""
    )
    assert found and "Finder 3 konti" in found, found
    assert_accessible(page)
