"""The planning screens as a new user meets them on a phone (360 px) and in the demo: every field is a big
target like the rest of the app (not the browser's bare 21-px box)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.test_mileage_flow import login

pytestmark = pytest.mark.e2e

ERIK = "Erik Andersen"  # planner of Plejecenter Egebo
PETER = "Peter Lund"  # planner of Børnehuset Solsikken
MIN_TARGET = 44  # px: WCAG 2.5.5 and the app's own buttons (DEVELOPERS.md: big targets)


def _small_fields(page: Page) -> list[str]:
    """The visible text and number fields shorter than MIN_TARGET, with their labels' text."""
    found: list[str] = page.evaluate(
        """(min) => [...document.querySelectorAll('main input:not([type=checkbox]):not([type=radio]):not([type=hidden])')]
            .filter((el) => { const r = el.getBoundingClientRect(); return r.height > 0 && r.height < min; })
            .map((el) => `${(el.closest('label')?.innerText || el.name || '?').split('\\n')[0]}: ${Math.round(el.getBoundingClientRect().height)} px`)""",
        MIN_TARGET,
    )
    return found


def test_planning_fields_are_big_targets_on_a_phone(new_context: Callable[..., BrowserContext]) -> None:
    phone = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(phone, ERIK)
    phone.goto("/#/vagtplan-personer")
    expect(phone.get_by_test_id("shift-people")).to_be_visible()
    assert _small_fields(phone) == []  # weekly hours and competences

    phone.goto("/#/vagtplan")
    phone.get_by_role("button", name="Tilføj vagt for Mette Holm").first.click()
    expect(phone.get_by_label("Pause (minutter)")).to_be_visible()
    assert _small_fields(phone) == []  # the break in minutes

    other = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(other, PETER)
    other.goto("/#/grundplan")
    expect(other.get_by_test_id("base-plan")).to_be_visible()
    assert _small_fields(other) == []  # the base plan's number of weeks
