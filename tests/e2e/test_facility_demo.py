"""The facility demo as people first meet it, in real Chromium (issue 15, "Demo"): the done report's private
link on a 360 px phone shows "done" with the photo of the fix (drawn by the demo), in Danish and English;
Ida's board on a tablet ends with the closed reports (done with the photo, rejected with the reason);
Jens's list on his phone holds today's urgent task with its room and due date."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from backend.features.facility.demo import DONE_LINK
from tests.e2e.test_facility_flow import PHONE
from tests.e2e.test_mileage_flow import login, until
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e


def test_the_demo_reports_done_with_a_photo_and_jens_has_todays_task(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport=PHONE).new_page()
    phone.goto(f"/#/kvittering/{DONE_LINK}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Din melding")
    expect(phone.locator(".fa-status")).to_contain_text("Udført")
    expect(phone.get_by_text("Toiletter ved aulaen · Nordskolen")).to_be_visible()
    fix = phone.get_by_alt_text("Billede 1 af det udbedrede")
    expect(fix).to_be_visible()
    assert fix.evaluate("img => img.naturalWidth") == 800
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert_accessible(phone)
    phone.get_by_role("button", name="English").click()
    expect(phone.locator(".fa-status")).to_contain_text("Done")
    expect(phone.get_by_alt_text("Photo 1 of the fix")).to_be_visible()

    office = new_context(viewport={"width": 820, "height": 1180}).new_page()
    login(office, "Ida Sørensen")
    office.get_by_role("link", name="Driftsmeldinger").click()
    until(
        office,
        "() => feltSync.list('facility_report').then(r => r.some(x => x.state === 'done'))",
        None,
        "no sync",
    )
    closed = office.get_by_role("region", name="Senest afsluttet")
    done = closed.locator(".card", has_text="Toilettet løber hele tiden")
    expect(done).to_contain_text("Udført")
    expect(done.get_by_alt_text("Billede 1 af det udbedrede")).to_be_visible()
    rejected = closed.locator(".card", has_text="Opvaskemaskinen lækker lidt.")
    expect(rejected).to_contain_text("Begrundelse: Køkkenet er lejet ud")
    assert_accessible(office)

    tech = new_context(viewport=PHONE).new_page()
    login(tech, "Jens Madsen")
    tech.get_by_role("link", name="Mine opgaver").click()
    task = tech.locator(".card", has_text="Nødudgangsdøren lukker ikke af sig selv.")
    expect(task).to_be_visible(timeout=20_000)
    expect(task.get_by_role("heading", level=3)).to_have_text("Gymnastiksal · Nordskolen")
    expect(task).to_contain_text("I dag")
    due = task.locator("p", has=tech.locator(".mark"))  # the mark is its own word, also for a screen reader
    assert "I dag" in due.inner_text() and not re.search(r"\SI dag", due.inner_text()), due.inner_text()
    today = tech.get_by_role("region", name="I dag")  # today's tasks (due today or overdue) come first
    expect(today.locator(".card", has_text="Nødudgangsdøren")).to_be_visible()
    expect(tech.locator(".card", has_text="Toilettet løber hele tiden")).to_have_count(
        0
    )  # done: off the list
    assert_accessible(tech)
