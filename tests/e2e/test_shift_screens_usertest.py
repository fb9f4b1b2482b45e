"""What last session's user test found on the shift screens, held in Chromium: the 12 weeks fit a tablet
(1024 × 768 and 768 × 1024) without sideways scrolling, and on a 360 px phone only the table scrolls, its
first column staying in view; the base plan's number of weeks keeps what is typed and says in words
what is wrong on leaving the field; offline, "Byt vagten" says why it waits for a connection; a second
absence over the same days is refused on the screen in words; every planning screen names its unit in
one way (the shared unit picker)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from backend.clock import today
from tests.e2e.test_mileage_flow import login

pytestmark = pytest.mark.e2e

ERIK = "Erik Andersen"  # planner of Plejecenter Egebo
PETER = "Peter Lund"  # planner of Børnehuset Solsikken
METTE = "Mette Holm"  # employee at Egebo, on the demo's rota from this week

WIDER_THAN_FRAME = "(id) => { const f = document.querySelector(`[data-testid=${id}]`); return f.scrollWidth - f.clientWidth; }"
PAGE_WIDER = "() => document.documentElement.scrollWidth - innerWidth"


def _frame_of(page: Page, testid: str) -> str:
    """Marks the scrolling frame (.table-wrap) around the table `testid`; returns the mark's test id."""
    mark = f"{testid}-wrap"
    page.evaluate(
        "([t, m]) => document.querySelector(`[data-testid=${t}]`).closest('.table-wrap').dataset.testid = m",
        [testid, mark],
    )
    return mark


@pytest.mark.parametrize("size", [(1024, 768), (768, 1024)], ids=["landscape", "portrait"])
def test_the_twelve_weeks_fit_a_tablet_without_sideways_scrolling(
    new_context: Callable[..., BrowserContext], size: tuple[int, int]
) -> None:
    tablet = new_context(viewport={"width": size[0], "height": size[1]}).new_page()
    login(tablet, ERIK)
    tablet.goto("/#/vagtplan-12")
    expect(tablet.get_by_test_id("plan-weeks").locator("tbody tr")).to_have_count(12)
    expect(tablet.get_by_test_id("plan-balances").get_by_role("row", name=METTE)).to_be_visible()
    for table in ("plan-weeks", "plan-balances"):
        assert tablet.evaluate(WIDER_THAN_FRAME, _frame_of(tablet, table)) <= 1, table
    assert tablet.evaluate(PAGE_WIDER) <= 0
    # All seven days are in view side by side: Sunday's column ends inside the screen.
    sunday = tablet.get_by_test_id("plan-weeks").locator("thead th").last.bounding_box()
    assert sunday and sunday["x"] + sunday["width"] <= size[0], sunday


def test_on_a_phone_only_the_table_scrolls_and_its_first_column_stays(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(phone, ERIK)
    phone.goto("/#/vagtplan-12")
    expect(phone.get_by_test_id("plan-weeks").locator("tbody tr")).to_have_count(12)
    expect(phone.get_by_test_id("plan-balances").get_by_role("row", name=METTE)).to_be_visible()
    assert phone.evaluate(PAGE_WIDER) <= 0  # the page never scrolls sideways
    for table, first in (("plan-weeks", "rowheader"), ("plan-balances", "rowheader")):
        frame = _frame_of(phone, table)
        assert phone.evaluate(WIDER_THAN_FRAME, frame) > 0, table  # the table scrolls inside its frame
        head = phone.get_by_test_id(table).get_by_role(first).first
        before = head.bounding_box()
        phone.evaluate("(id) => { document.querySelector(`[data-testid=${id}]`).scrollLeft = 10000; }", frame)
        phone.wait_for_timeout(100)
        after = head.bounding_box()
        assert before and after and abs(after["x"] - before["x"]) < 1, (table, before, after)  # sticky
        assert phone.evaluate(PAGE_WIDER) <= 0


def test_the_base_plans_weeks_keep_what_is_typed_and_say_what_is_wrong_on_leaving(
    new_context: Callable[..., BrowserContext],
) -> None:
    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, PETER)
    tablet.goto("/#/grundplan")
    expect(tablet.get_by_test_id("base-plan")).to_be_visible()
    weeks = tablet.get_by_label("Antal uger")
    saved = weeks.input_value()
    weeks.fill("")
    weeks.press_sequentially("1")
    expect(weeks).to_have_value("1")  # not corrected while typing
    weeks.press_sequentially("2")
    expect(weeks).to_have_value("12")
    weeks.blur()
    expect(tablet.get_by_test_id("weeks-error")).to_have_count(0)
    expect(tablet.get_by_label("Vis").locator("option")).to_have_count(12)

    weeks.fill("40")
    weeks.blur()
    error = tablet.get_by_test_id("weeks-error")
    expect(error).to_have_text("“40” kan ikke bruges som antal uger. Skriv et helt tal fra 1 til 26.")
    expect(weeks).to_have_value("40")  # what was typed is kept
    expect(weeks).to_have_attribute("aria-invalid", "true")
    weeks.fill("")
    tablet.get_by_role("button", name="Gem grundplanen").click()  # refused on the phone, nothing sent
    expect(error).to_have_text("Skriv antal uger i grundplanen: et helt tal fra 1 til 26.")
    expect(weeks).to_be_focused()
    expect(tablet.get_by_text("Grundplanen er gemt.")).to_have_count(0)
    weeks.press_sequentially("9")
    expect(error).to_have_count(0)  # the reason goes as soon as the number is right

    tablet.reload()
    expect(tablet.get_by_label("Antal uger")).to_have_value(saved)  # nothing was saved


def test_offline_the_swap_button_says_why_it_waits_for_a_connection(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(phone, METTE)
    phone.goto("/#/vagter")
    phone.get_by_role("button", name="Næste uge").click()  # every shift next week lies ahead
    swap = phone.get_by_role("button", name="Byt vagten").first
    expect(swap).to_be_enabled()
    expect(phone.get_by_test_id("needs-net")).to_have_count(0)
    phone.context.set_offline(True)
    expect(swap).to_be_disabled()
    why = phone.get_by_test_id("needs-net").first
    expect(why).to_contain_text("Bytte kræver forbindelse – vi skal tjekke reglerne for dine kolleger")
    why_id = why.get_attribute("id")
    assert why_id and swap.get_attribute("aria-describedby") == why_id
    box = swap.bounding_box()
    assert box and box["height"] >= 48, box  # a big target
    phone.context.set_offline(False)
    expect(swap).to_be_enabled()
    expect(phone.get_by_test_id("needs-net")).to_have_count(0)


def test_a_second_absence_over_the_same_days_is_refused_on_the_screen_in_words(
    new_context: Callable[..., BrowserContext],
) -> None:
    # Far ahead (beyond the demo's roll-out and other tests' weeks), so no other test sees it.
    first = today() + timedelta(days=7 * 40)
    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, ERIK)
    tablet.goto("/#/vagtplan-personer")
    form = tablet.locator("form", has=tablet.get_by_role("heading", name="Nyt fravær"))
    form.get_by_label("Medarbejder").select_option(label="Nikolaj Berg")
    form.get_by_label("Type").select_option(label="Kursus")
    form.get_by_label("Fra").fill(first.isoformat())
    form.get_by_label("Til").fill((first + timedelta(days=2)).isoformat())
    save = form.get_by_role("button", name="Gem fraværet")
    save.click()
    expect(tablet.get_by_test_id("absence-message").first).to_have_text("Fraværet er gemt.")
    save.click()  # pressed again: the same days for the same person
    refusal = form.get_by_role("alert")
    expect(refusal).to_contain_text("Nikolaj Berg har allerede fravær (kursus)")
    expect(refusal).to_contain_text("Ret det fravær, der er gemt, eller vælg andre dage.")
    expect(form.get_by_label("Fra")).to_have_value(first.isoformat())  # nothing typed is lost


def test_every_planning_screen_names_its_unit_the_same_way(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(phone, ERIK)
    for route in ("vagtplan", "vagtplan-12", "grundplan", "vagtplan-personer"):
        phone.goto(f"/#/{route}")
        expect(phone.get_by_test_id("unit-picker")).to_have_text("Enhed: Plejecenter Egebo")


def test_an_area_leader_opens_on_the_care_home_under_her_area_and_the_screens_follow_her_pick(
    new_context: Callable[..., BrowserContext],
) -> None:
    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, "Sofie Vang")  # leader of Omsorg og Sundhed, the area above Plejecenter Egebo
    tablet.goto("/#/vagtplan-12")
    picker = tablet.get_by_label("Enhed")
    expect(picker.locator("option:checked")).to_have_text("Plejecenter Egebo")  # where the rota is laid
    expect(tablet.locator(".month-name")).to_contain_text("Plejecenter Egebo")  # its plan has arrived
    # Egebo's own norm period and plan: Mette is within her band, not hundreds of hours short.
    mette = tablet.get_by_test_id("plan-balances").get_by_role("row", name=METTE)
    expect(mette).to_be_visible()
    so_far = float(mette.locator("td").nth(1).inner_text().replace("−", "-").replace(",", "."))
    assert abs(so_far) < 20, so_far
    picker.select_option(label="Omsorg og Sundhed")
    tablet.goto("/#/grundplan")
    expect(tablet.get_by_label("Enhed").locator("option:checked")).to_have_text("Omsorg og Sundhed")  # kept


def test_each_delete_button_names_the_absence_it_deletes(new_context: Callable[..., BrowserContext]) -> None:
    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, ERIK)
    tablet.goto("/#/vagtplan-personer")
    # The demo's: Fatima's holiday (not one "Slet fraværet" among many for a screen reader).
    fatima = tablet.get_by_role("button", name="Slet fraværet: Fatima Ali, Ferie")
    expect(fatima).to_have_count(1)
    expect(fatima).to_have_text("Slet fraværet")  # the visible words start the name (WCAG 2.5.3)


def test_my_shifts_show_a_week_or_the_whole_month(new_context: Callable[..., BrowserContext]) -> None:
    """Issue 13: "My shifts (week and month)". Mette's base plan covers the 12 weeks, so a month holds more
    of her shifts than a week; the month is named, stepped, and its hours summed; the week comes back."""
    phone = new_context(viewport={"width": 360, "height": 740}).new_page()
    login(phone, METTE)
    phone.goto("/#/vagter")
    shifts = phone.get_by_test_id("my-shifts").locator("li")
    expect(shifts.first).to_be_visible()
    week = shifts.count()
    phone.get_by_role("button", name="Måned", exact=True).click()
    expect(phone.get_by_role("button", name="Måned", exact=True)).to_have_attribute("aria-pressed", "true")
    first = today().replace(day=1)
    months = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december")  # fmt: skip
    expect(
        phone.get_by_role("heading", level=2, name=f"{months[first.month - 1]} {first.year}")
    ).to_be_visible()
    phone.get_by_role("button", name="Næste måned").click()  # a whole month ahead: the base plan's weeks
    following = (first + timedelta(days=32)).replace(day=1)
    expect(
        phone.get_by_role("heading", level=2, name=f"{months[following.month - 1]} {following.year}")
    ).to_be_visible()
    expect(phone.get_by_text("timer betalt arbejde denne måned")).to_be_visible()
    assert shifts.count() > week, (shifts.count(), week)
    phone.get_by_role("button", name="Uge", exact=True).click()
    expect(phone.get_by_role("button", name="Næste uge")).to_be_visible()
