"""Shift planning in real Chromium against the real backend: the planner on a tablet (1024×768) is refused a
shift that breaks the 11-hour rule, in words, and plans a lawful one; offers an open shift that only he
may take, and takes it offline (sent when back online); accepts a colleague's swap, which waits for the leader; the employee sees her
new shift under "Mine vagter" on a phone (360 px), offline too, in Danish and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from backend.clock import today
from tests.e2e.conftest import inject_axe
from tests.e2e.test_mileage_flow import login, until
from tests.e2e.test_receipts_flow import AXE_TAGS, assert_accessible

pytestmark = pytest.mark.e2e

ERIK = "Erik Andersen"  # planner of Plejecenter Egebo (the demo plans his and Fatima's shifts)
FATIMA = "Fatima Ali"  # employee there: evening shifts Monday and Tuesday, 15:00–23:00
DAYS = ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn.")


def assert_accessible_wide(page: Page) -> None:
    """axe on the tablet's week, whose table may scroll sideways inside its own box."""
    inject_axe(page)
    result = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", AXE_TAGS)
    assert not [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_planner_is_refused_in_words_then_the_employee_sees_her_shift_offline(
    new_context: Callable[..., BrowserContext],
) -> None:
    monday = today() - timedelta(days=today().weekday())
    wednesday = monday + timedelta(days=2)
    wed = f"{DAYS[2]} {wednesday.day}/{wednesday.month}"
    sunday = monday + timedelta(days=6)
    sun = f"{DAYS[6]} {sunday.day}/{sunday.month}"

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, ERIK)
    tablet.get_by_role("link", name="Vagtplan").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Vagtplan")
    grid = tablet.get_by_test_id("shift-week")
    expect(grid.get_by_role("row", name=FATIMA)).to_contain_text("Aften")
    tablet.get_by_role("button", name=f"Tilføj vagt for {FATIMA} {wed}").click()
    tablet.get_by_label("Vagttype").select_option("Dag")
    tablet.get_by_role("button", name="Gem vagt").click()
    refusal = tablet.get_by_test_id("shift-refusal")
    expect(refusal).to_contain_text("11-timers-reglen: kun 8 t hvile fra tir. 23:00 til ons. 07:00")
    # A planner is no leader: no override is offered, the rule stands.
    expect(tablet.get_by_label("Begrundelse for at tilsidesætte reglen", exact=False)).to_have_count(0)
    tablet.get_by_label("Start").fill("11:00")
    tablet.get_by_label("Slut").fill("19:00")
    assert_accessible_wide(tablet)
    tablet.get_by_role("button", name="Gem vagt").click()
    expect(grid.get_by_role("row", name=FATIMA)).to_contain_text("11:00–19:00 (8 t)")
    # A change is checked the same way: the planner moves its end to 18:00.
    grid.get_by_role("row", name=FATIMA).get_by_role("button", name="11:00–19:00").click()
    expect(tablet.get_by_role("heading", name=f"Ret vagten for {FATIMA} {wed}")).to_be_visible()
    tablet.get_by_label("Slut").fill("18:00")
    tablet.get_by_role("button", name="Gem vagt").click()
    expect(grid.get_by_role("row", name=FATIMA)).to_contain_text("11:00–18:00 (7 t)")
    # An open shift on Sunday: Fatima would work 12 days without a 35-hour rest, so only Erik is offered it.
    tablet.get_by_role("button", name=f"Udbyd en ledig vagt {sun}").click()
    tablet.get_by_label("Vagttype").select_option("Dag")
    tablet.get_by_role("button", name="Gem vagt").click()
    expect(tablet.get_by_test_id("plan-notice")).to_have_text("tilbudt 1 der må tage den")

    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, FATIMA)
    phone.get_by_role("link", name="Mine vagter").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mine vagter")
    until(
        phone,
        "(d) => feltSync.list('shift').then((s) => s.some((x) => x.fields.date === d && x.fields.end === '18:00'))",
        wednesday.isoformat(),
        "the new shift did not reach the phone",
    )
    mine = phone.get_by_test_id("my-shifts")
    expect(mine).to_contain_text(f"{wed} · 11:00–18:00 (7 t)")
    expect(phone.get_by_test_id("open-shifts")).to_have_count(0)  # not offered to her
    balance = phone.get_by_test_id("my-balance")
    expect(balance).to_contain_text("Normperiode")
    # The demo plans her two weeks of the twelve: the end is said as a plan not laid yet, not as her fault.
    expect(balance).to_contain_text("Resten af perioden er ikke planlagt endnu")
    expect(balance).not_to_have_class("error")
    assert_accessible(phone)

    tablet.goto("/#/vagter")
    until(
        tablet,
        "() => feltSync.list('open_shift').then((s) => s.length > 0)",
        None,
        "the open shift did not sync",
    )
    sunday_card = tablet.get_by_test_id("open-shifts").locator("li", has_text=sun)
    # Taken offline (the break room has no signal): the wish is kept and sent when the connection is back.
    expect(sunday_card.get_by_role("button", name="Tag vagten", exact=True)).to_be_visible(timeout=30_000)
    tablet.context.set_offline(True)
    sunday_card.get_by_role("button", name="Tag vagten, når jeg er online").click()
    expect(tablet.get_by_test_id("take-message")).to_contain_text("Gemt på telefonen")
    expect(sunday_card.get_by_test_id("take-waiting")).to_be_visible()
    tablet.reload()  # kept on the device, not in the page
    expect(
        tablet.get_by_test_id("open-shifts").locator("li", has_text=sun).get_by_test_id("take-waiting")
    ).to_be_visible()
    tablet.context.set_offline(False)
    expect(tablet.get_by_test_id("take-message")).to_have_text(
        "Vagten er din. Den står nu under dine vagter."
    )
    expect(tablet.get_by_test_id("my-shifts")).to_contain_text(f"{sun} · 07:00–15:00 (8 t)")
    # The demo's swap: Fatima offered next Thursday's day shift, to Erik only. The rules are checked
    # again when he accepts: having taken Sunday, he would work from Friday to Friday with no 35-hour rest.
    tablet.get_by_test_id("offered-swaps").get_by_role("button", name="Tag vagten over").click()
    expect(tablet.get_by_test_id("swap-message")).to_contain_text(
        "Du kan ikke tage vagten: Ugentligt fridøgn: ingen 35 t fri i træk"
    )

    phone.context.set_offline(True)
    phone.evaluate("localStorage.setItem('felt.lang', 'en')")
    phone.reload()  # offline: the service worker serves the app, the shifts come from the phone's records
    expect(phone.get_by_role("heading", level=1)).to_have_text("My shifts")
    expect(phone.get_by_test_id("my-balance")).to_contain_text("Norm period")  # kept for offline reading
    expect(phone.get_by_test_id("my-shifts")).to_contain_text(
        f"Wed {wednesday.day}/{wednesday.month} · 11:00–18:00 (7 h)"
    )
