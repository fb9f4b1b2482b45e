"""Substitutes' hours in real Chromium against the real backend: Bo (substitute) opens Nordskolen's
check-in code's link, checks in and out offline on a 360 px phone, is refused an overlapping entry in words, syncs and sees the pay
basis; Dorte (secretary) approves the morning queue on a tablet, in one go for the rule-clean entries."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from backend.clock import today as danish_today
from tests.e2e.test_mileage_flow import login
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

BO = "Bo Nielsen"  # substitute, Nordskolen (the demo gives him a week of entries)
DORTE = "Dorte Pedersen"  # secretary, Nordskolen
CPH = ZoneInfo("Europe/Copenhagen")


def until(page: Page, script: str, arg: object, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, what
        page.evaluate("feltSync.syncNow()")
        page.wait_for_timeout(300)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(danish_today(), dt.time(hour, minute), CPH)


def test_check_in_and_out_offline_then_the_secretary_approves_on_a_tablet(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, BO)
    # She scans Nordskolen's check-in code: its link opens check-in at that unit.
    unit = phone.evaluate("() => fetch('/api/me').then((r) => r.json()).then((m) => m.roles[0].unit_id)")
    phone.goto(f"/?vikar_enhed={unit}#/vikar")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mine vikartimer")
    until(phone, "() => feltSync.list('substitute_entry').then((e) => e.length >= 4)", None, "demo entries")
    expect(phone.get_by_text("Afvist: Der var ikke lejrskole den dag: ret datoen.")).to_be_visible()
    expect(phone.locator("main p.note")).to_contain_text("Frist: 5. ")  # the municipality's, before it passes

    phone.context.set_offline(True)
    phone.clock.set_fixed_time(at(8, 0))
    phone.get_by_label("Vikar for (fx 4.A dansk)").fill("5.B matematik for Anna")
    phone.get_by_role("button", name="Tjek ind på Nordskolen").click()
    expect(phone.get_by_text("Du er tjekket ind på Nordskolen fra 08:00.")).to_be_visible()

    # Afterwards, an entry overlapping the check-in is refused on the phone, in words, before saving.
    phone.get_by_role("button", name="Registrér timer bagefter").click()
    phone.get_by_label("Fra").fill("09:00")
    phone.get_by_label("Til").fill("10:00")
    phone.get_by_label("Vikar for (fx 4.A dansk)").fill("Gårdvagt")
    phone.get_by_role("button", name="Gem og send").click()
    day = f"{danish_today().day}/{danish_today().month}"
    expect(phone.get_by_role("alert")).to_have_text(
        f"Overlapper med din registrering på Nordskolen {day} fra 08:00."
    )
    assert_accessible(phone)
    phone.go_back()

    phone.clock.set_fixed_time(at(11, 30))
    phone.get_by_role("button", name="Tjek ud").click()
    card = phone.get_by_role("link").filter(has_text="5.B matematik for Anna")
    expect(card).to_contain_text("08:00–11:30")
    expect(card).to_contain_text("Beregnes når du er online")
    phone.context.set_offline(False)
    until(
        phone,
        "() => feltSync.list('substitute_entry').then((es) => es.some((e) => e.fields.cover === '5.B matematik for Anna' && e.state === 'registered' && e.fields.calc.amount))",
        None,
        "the entry did not reach the server and come back calculated",
    )
    expect(card).to_contain_text("registreret")
    expect(card).to_contain_text("Arbejdet: 3,50 t")
    expect(card).to_contain_text("Timeløn: 235,00 kr.")
    assert_accessible(phone)

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, DORTE)
    # Her units' printable check-in codes: the QR image loads.
    tablet.get_by_role("link", name="Vikarernes tjek-ind-koder").click()
    code = tablet.get_by_role("img", name="QR-kode til tjek ind på Nordskolen")
    expect(code).to_be_visible()
    tablet.wait_for_function("() => [...document.images].some((i) => i.complete && i.naturalWidth > 0)")
    tablet.go_back()
    tablet.get_by_role("link", name="Til godkendelse").first.click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Til godkendelse")
    # Yesterday's demo entries and today's from the phone, each with its pay basis (the 10–11 call-in
    # shows its top-up to 2 h), all rule-clean: approved in one go, after she confirms.
    callin = tablet.get_by_role("listitem").filter(has_text="1.A idræt (tilkaldt)")
    expect(callin).to_contain_text("Minimumsbetaling: + 1,00 t.")
    mine = tablet.get_by_role("listitem").filter(has_text="5.B matematik for Anna")
    expect(mine).to_contain_text("Arbejdet: 3,50 t")
    assert_accessible(tablet)
    tablet.get_by_role("button", name="Godkend alle 3").click()
    tablet.get_by_role("button", name="Ja, godkend 3").click()
    expect(tablet.locator("main").get_by_role("status")).to_have_text("3 godkendt.")
    expect(tablet.get_by_text("1.A idræt (tilkaldt)")).to_have_count(0)
    expect(tablet.get_by_text("5.B matematik for Anna")).to_have_count(0)

    until(
        phone,
        "() => feltSync.list('substitute_entry').then((es) => es.some((e) => e.fields.cover === '5.B matematik for Anna' && e.state === 'approved' && e.fields.payroll.month))",
        None,
        "the approval did not reach the phone",
    )
    expect(card).to_contain_text("godkendt")
