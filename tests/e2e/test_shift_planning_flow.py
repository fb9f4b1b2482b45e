"""Laying the plan in real Chromium against the real backend and the demo: Erik sees Plejecenter Egebo's
12 weeks on a tablet (1024×768) — who is on, an evening lacking a person because Mette has an
omsorgsdag, balances — and on a phone (360 px) the weeks scroll inside their frame; Peter, the
daycare's planner, extends the base plan and rolls it out twice: the first time makes the new shifts
and lists the one refused (Maja's course day) in words, the second makes nothing new."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, expect

from backend.clock import today
from tests.e2e.test_mileage_flow import login
from tests.e2e.test_receipts_flow import assert_accessible
from tests.e2e.test_shifts_flow import assert_accessible_wide

pytestmark = pytest.mark.e2e

ERIK = "Erik Andersen"  # planner of Plejecenter Egebo
PETER = "Peter Lund"  # planner of Børnehuset Solsikken


def test_twelve_weeks_on_a_tablet_show_who_is_on_gaps_and_balances_and_scroll_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    monday = today() - timedelta(days=today().weekday())
    omsorgsdag = monday + timedelta(days=17)  # the demo's: Mette's Thursday evening in week 3 is not made

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, ERIK)
    tablet.get_by_role("link", name="12 uger").first.click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("12 uger")
    weeks = tablet.get_by_test_id("plan-weeks")
    expect(weeks.locator("tbody tr")).to_have_count(12)
    cell = weeks.locator(f'td[data-date="{omsorgsdag.isoformat()}"]')
    expect(cell).to_contain_text("Aften: mangler 1")
    expect(cell).to_contain_text("Fravær 1")
    cell.get_by_role("button").click()
    day = tablet.get_by_test_id("plan-day")
    expect(day).to_contain_text("Mette Holm: Omsorgsdag")
    expect(day).to_contain_text("Nikolaj Berg: Nat 23:00–07:00")
    balances = tablet.get_by_test_id("plan-balances")
    expect(balances.get_by_role("row", name="Mette Holm")).to_contain_text("30")  # her weekly hours
    assert_accessible_wide(tablet)

    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, ERIK)
    phone.goto("/#/vagtplan-12")
    expect(phone.get_by_test_id("plan-weeks")).to_be_visible()
    assert_accessible(phone)  # no WCAG A/AA violation and nothing wider than the screen: the table scrolls
    phone.get_by_role("button", name="4 uger senere").click()
    expect(phone.get_by_test_id("plan-weeks").locator("tbody tr")).to_have_count(12)


def test_base_plan_rolled_out_twice_makes_new_shifts_once_and_lists_refusals_in_words(
    new_context: Callable[..., BrowserContext],
) -> None:
    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, PETER)
    tablet.get_by_role("link", name="Vagtplan").first.click()
    tablet.get_by_role("link", name="Grundplan").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Grundplan")
    grid = tablet.get_by_test_id("base-plan")
    expect(grid.get_by_label("Maja Knudsen, Man i uge 1")).to_have_value("Åbne")
    # Rikke, 30 hours, works Monday to Thursday: her Friday middle shift is added in both weeks.
    grid.get_by_label("Rikke Sand, Fre i uge 1").select_option("Mellem")
    tablet.get_by_label("Vis").select_option(label="Uge 2 i grundplanen")
    grid.get_by_label("Rikke Sand, Fre i uge 2").select_option("Mellem")
    tablet.get_by_role("button", name="Gem grundplanen").click()
    expect(tablet.get_by_text("Grundplanen er gemt.")).to_be_visible()
    assert_accessible_wide(tablet)

    tablet.get_by_role("button", name="Rul ud").click()
    result = tablet.get_by_test_id("rollout-result")
    expect(result).to_contain_text("12 vagter oprettet")
    expect(result).to_contain_text("1 afvist af reglerne")
    expect(result).to_contain_text("Maja Knudsen har fravær (kursus)")
    tablet.get_by_role("button", name="Rul ud").click()
    expect(result).to_contain_text("0 vagter oprettet")
    expect(result).to_contain_text("1 afvist af reglerne")


def test_an_absence_flags_the_shift_that_day_and_the_employee_reads_hers_offline(
    new_context: Callable[..., BrowserContext],
) -> None:
    monday = today() - timedelta(days=today().weekday())
    friday = monday + timedelta(days=11)  # Mette's evening shift next Friday (the demo's base plan)

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, ERIK)
    tablet.goto("/#/vagtplan-personer")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Timer, kompetencer og fravær")
    tablet.get_by_label("Medarbejder").select_option(label="Mette Holm")
    tablet.get_by_label("Type").select_option("sygdom")
    tablet.get_by_label("Fra", exact=True).fill(friday.isoformat())
    tablet.get_by_label("Til og med", exact=True).fill(friday.isoformat())
    tablet.get_by_role("button", name="Gem fraværet").click()
    expect(tablet.get_by_test_id("absence-message").first).to_have_text("Fraværet er gemt.")
    expect(tablet.get_by_test_id("absence-message").nth(1)).to_contain_text("Mette Holm har fravær (sygdom)")
    expect(tablet.get_by_test_id("absences")).to_contain_text("Mette Holm: Sygdom")
    assert_accessible_wide(tablet)

    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, "Fatima Ali")  # the demo gives her a week's holiday in three weeks
    phone.get_by_role("link", name="Mine vagter").click()
    expect(phone.get_by_test_id("my-absences")).to_contain_text("Ferie")
    assert_accessible(phone)
    phone.context.set_offline(True)
    phone.evaluate("localStorage.setItem('felt.lang', 'en')")
    phone.reload()  # offline: the kept list is shown
    expect(phone.get_by_test_id("my-absences")).to_contain_text("Holiday")
