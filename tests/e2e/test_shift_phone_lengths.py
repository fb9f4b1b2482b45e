"""The user test of 1 December on "Mine vagter" at 360 px: a shift's length stays whole on one line,
"(8 t)", never "(8" at a line's end and "t)" on the next (a no-break space holds them together)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_mileage_flow import login

pytestmark = pytest.mark.e2e

FATIMA = "Fatima Ali"  # the demo's evening shifts Monday and Tuesday, 15:00–23:00 (8 t)
# The lines the first "(… t)" in the element takes: the range from "(" to ")" has one box per line.
LENGTH_LINES = """(el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const start = n.data.indexOf("(");
    const end = n.data.indexOf(" t)") >= 0 ? n.data.indexOf(" t)") : n.data.indexOf("\\u00a0t)");
    if (start < 0 || end < 0) continue;
    const r = document.createRange();
    r.setStart(n, start);
    r.setEnd(n, end + 3);
    return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size;
  }
  return -1;
}"""


def test_a_shifts_length_stays_on_one_line_on_a_phone(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(page, FATIMA)
    page.goto("/#/vagter")
    shift = (
        page.get_by_test_id("my-shifts").locator(".person-name").filter(has_text="15:00–23:00 (8 t)").first
    )
    expect(shift).to_be_visible()
    assert shift.evaluate(LENGTH_LINES) == 1
    # Where the line breaks depends on the day's name; a line a few words wide breaks at every space there is.
    shift.evaluate("(el) => { el.style.width = '5rem'; }")
    assert shift.evaluate(LENGTH_LINES) == 1
