"""The user test of 1 December on the planner's week (#/vagtplan) on a 360 px phone: the new-shift form
opens above the week, so pressing a "+" far down the table brings the form into view with the focus on its
title (it looked as if "+" did nothing); a second "+" while the form is open starts a form for that person
and day (the old one stayed, for the first person)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_mileage_flow import login

pytestmark = pytest.mark.e2e

ERIK = "Erik Andersen"  # planner of Plejecenter Egebo
IN_VIEW = "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"


def test_plus_on_a_phone_shows_the_form_for_that_person(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(page, ERIK)
    page.goto("/#/vagtplan")
    week = page.get_by_test_id("shift-week")
    olivia = (
        week.get_by_role("row", name="Olivia Friis")
        .get_by_role("button", name="Tilføj vagt for Olivia Friis")
        .first
    )
    olivia.click()
    title = page.get_by_role("heading", name="Ny vagt for Olivia Friis")
    expect(title).to_be_focused()
    assert title.evaluate(IN_VIEW)
    nikolaj = (
        week.get_by_role("row", name="Nikolaj Berg")
        .get_by_role("button", name="Tilføj vagt for Nikolaj Berg")
        .first
    )
    nikolaj.click()
    title = page.get_by_role("heading", name="Ny vagt for Nikolaj Berg")
    expect(title).to_be_focused()
    assert title.evaluate(IN_VIEW)
    expect(page.get_by_role("heading", name="Ny vagt for Olivia Friis")).to_have_count(0)
