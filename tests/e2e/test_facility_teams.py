"""The property office's planning in real Chromium (issue 15): on a tablet Ida assigns a new report to the
daycares' flying team and sees the deadlines per building and per team; Jens, on the team, finds it on his
360 px phone with the demo's recurring playground inspection, offline too; the planning screen lists the team, the
recurring task and the municipality's categories."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_facility_flow import PHONE
from tests.e2e.test_mileage_flow import login, until
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

TABLET = {"width": 820, "height": 1180}
ROOM = "Faglokale fysik"  # a Nordskolen room the demo leaves without reports
TEXT = "Stikkontakten ved tavlen gnister"  # not the photo flow's report in the same room
TEAM = "Flyverholdet – daginstitutioner"


def test_a_report_assigned_to_a_team_on_a_tablet_is_on_a_members_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    office = new_context(viewport=TABLET).new_page()
    login(office, "Ida Sørensen")
    office.get_by_role("link", name="Driftsmeldinger").click()
    office.get_by_role("link", name="Bygninger og QR-koder").click()
    code = (office.get_by_role("link", name=ROOM).get_attribute("href") or "").removeprefix("#/meld/")

    reporter = new_context(viewport=PHONE).new_page()
    reporter.goto(f"/#/meld/{code}")
    reporter.get_by_label("Hvad drejer det sig om?").select_option(label="El og lys")
    reporter.get_by_label("Hvad er galt?").fill(TEXT)
    reporter.get_by_role("button", name="Send meldingen").click()
    expect(reporter.get_by_text("Meldingen er modtaget.")).to_be_visible(timeout=20_000)

    # The board: only Nordskolen's urgent reports, then all of them again; assign this one to the team.
    office.goto("/#/ejendom")
    until(
        office,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t))",
        TEXT,
        "no sync",
    )
    office.get_by_label("Hast", exact=True).select_option(label="Haster (fare eller lukket rum)")
    # The report's own card: another report in the same room names this one in its merge choice.
    mine = office.locator(".card").filter(has=office.get_by_text(TEXT, exact=True))
    expect(mine).to_have_count(0)
    office.get_by_label("Hast", exact=True).select_option(label="Alle")
    office.get_by_label("Bygning", exact=True).select_option(label="Nordskolen")
    card = mine
    card.get_by_label("Hold", exact=True).select_option(label=TEAM)
    due = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()  # already overdue
    card.get_by_label("Frist", exact=True).fill(due)
    card.get_by_role("button", name="Planlæg").click()
    until(
        office,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t && x.state === 'planned'))",
        TEXT,
        "not planned",
    )
    per_team = office.get_by_role("table", name="Frister pr. hold og tekniker")
    expect(per_team.get_by_role("row", name=TEAM)).to_be_visible()
    overdue = per_team.get_by_role("row", name=TEAM).get_by_role("cell").first
    expect(overdue).not_to_have_text("0")
    expect(office.get_by_role("table", name="Frister pr. bygning")).to_contain_text("Nordskolen")
    assert_accessible(office)

    # The planning screen: the team with Jens, the recurring inspection, the categories.
    office.get_by_role("link", name="Hold, faste opgaver og kategorier").click()
    expect(office.locator("li.card", has_text=TEAM)).to_contain_text("Jens Madsen")
    expect(office.get_by_text("Årligt eftersyn af legepladsens redskaber")).to_be_visible()
    expect(office.get_by_role("heading", name="Kategorier", exact=True)).to_be_visible()
    assert_accessible(office)

    # Jens is on the team: the task is on his phone's list, with the recurring inspection.
    tech = new_context(viewport=PHONE).new_page()
    login(tech, "Jens Madsen")
    tech.get_by_role("link", name="Mine opgaver").click()
    until(
        tech,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t))",
        TEXT,
        "no sync",
    )
    task = tech.locator(".card", has_text=TEXT)
    expect(task.get_by_text(f"Holdets opgave: {TEAM}")).to_be_visible()
    expect(task.get_by_text("Overskredet")).to_be_visible()
    expect(tech.locator(".card", has_text="Årligt eftersyn af legepladsens redskaber")).to_be_visible()
    width = tech.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert_accessible(tech)

    # In a basement without signal the list comes back from the phone, the team's task with it.
    tech.context.set_offline(True)
    tech.get_by_role("link", name="Tilbage til forsiden").click()
    tech.get_by_role("link", name="Mine opgaver").click()
    expect(tech.locator(".card", has_text=TEXT).get_by_text(f"Holdets opgave: {TEAM}")).to_be_visible()
    tech.context.set_offline(False)
