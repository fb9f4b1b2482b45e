"""What the user test of 1 December found on the property office's screens on a 360 px phone, held in
Chromium: a building's rooms (the links to their report pages), its folded "Ret bygningen og dens rum" and
the building's name and address fields are 44 px targets (they were 21 px lines); the deadline tables keep
their words whole ("Overskredet", not "Ove rsk red et") and scroll sideways in their own frame, the page
itself never wider than the phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_facility_flow import PHONE
from tests.e2e.test_mileage_flow import login

pytestmark = pytest.mark.e2e

IDA = "Ida Sørensen"  # the property office
HEIGHT = "(el) => el.getBoundingClientRect().height"
# The lines a cell's text takes: a word split over lines ("Ove|rsk|red|et") takes several.
LINES = "(el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getClientRects().length; }"
PAGE_WIDER = "() => document.documentElement.scrollWidth - innerWidth"


def test_a_buildings_rooms_and_fields_are_44_px_targets_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE).new_page()
    login(page, IDA)
    page.goto("/#/ejendom/bygninger")
    school = page.get_by_role("region", name="Nordskolen")
    room = school.get_by_role("link", name="Klasse 3.A")
    expect(room).to_be_visible()
    assert room.evaluate(HEIGHT) >= 44
    fold = school.locator("summary")
    assert fold.evaluate(HEIGHT) >= 44
    fold.click()
    for field in ("Bygningens navn", "Adresse", "Rummets navn"):
        assert school.get_by_label(field, exact=True).evaluate(HEIGHT) >= 44, field
    assert page.evaluate(PAGE_WIDER) <= 0


def test_the_deadline_tables_keep_whole_words_on_a_phone(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport=PHONE).new_page()
    login(page, IDA)
    page.goto("/#/ejendom")
    table = page.get_by_test_id("fa-per-building")
    head = table.get_by_role("columnheader", name="Overskredet")
    expect(head).to_be_visible()
    assert head.evaluate(LINES) == 1
    assert table.get_by_role("rowheader", name="Nordskolen").evaluate(LINES) == 1
    assert page.evaluate(PAGE_WIDER) <= 0
