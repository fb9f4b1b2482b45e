"""Facility reports in real Chromium against the real backend (issue 15): a reporter who is not logged in
scans a room's code on a 360 px phone, reports offline and sends when back online; the property office
assigns it on a desktop; the technician closes it with a photo on a phone; the reporter's private link
shows each status, in Danish and English. A second scan of the room is offered "already reported"."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests import images
from tests.e2e.test_mileage_flow import login, until
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
ROOM = "Klasse 4.B"  # a Nordskolen room the demo leaves without reports
TEXT = "Radiatoren under vinduet er iskold"


def room_code(office: Page) -> str:
    office.get_by_role("link", name="Driftsmeldinger").click()
    office.get_by_role("link", name="Bygninger og QR-koder").click()
    href = office.get_by_role("link", name=ROOM).get_attribute("href") or ""
    assert href.startswith("#/meld/") and len(href) >= len("#/meld/") + 22, href
    return href.removeprefix("#/meld/")


def test_report_offline_assign_fix_with_a_photo_and_follow_by_the_private_link(
    new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    office = new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(office, "Ida Sørensen")
    code = room_code(office)

    # The reporter: not logged in, on a phone; the page is open when the network goes.
    phone = new_context(viewport=PHONE).new_page()
    phone.goto(f"/#/meld/{code}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Meld en fejl")
    expect(phone.get_by_text(f"{ROOM} · Nordskolen")).to_be_visible()
    assert_accessible(phone)
    phone.context.set_offline(True)
    phone.get_by_label("Hvad drejer det sig om?").select_option(label="Varme og ventilation")
    phone.get_by_label("Hvad er galt?").fill(TEXT)
    phone.get_by_label("Haster (fare eller lukket rum)").check()
    phone.get_by_role("button", name="Send meldingen").click()
    expect(phone.get_by_text("Gemt på telefonen")).to_be_visible()
    phone.context.set_offline(False)  # the browser's "online" event sends it
    expect(phone.get_by_text("Meldingen er modtaget.")).to_be_visible(timeout=20_000)
    phone.get_by_role("link", name="Følg meldingen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Din melding")
    expect(phone.locator(".fa-status")).to_contain_text("Modtaget")
    receipt = phone.url

    # Someone else scans the same room: the open report is offered instead of a new one.
    other = new_context(viewport=PHONE).new_page()
    other.goto(f"/#/meld/{code}")
    expect(other.get_by_role("heading", name="Allerede meldt i dette rum")).to_be_visible()
    expect(other.get_by_text(TEXT)).to_be_visible()
    other.get_by_role("button", name="Allerede meldt — følg den i stedet").click()
    expect(other.get_by_text("Meldingen er modtaget.")).to_be_visible(timeout=20_000)

    # The property office assigns it to Jens with a due date.
    office.goto("/#/ejendom")
    until(
        office,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t))",
        TEXT,
        "no sync",
    )
    card = office.locator(".card", has_text=TEXT)
    card.get_by_label("Tekniker").select_option(label="Jens Madsen")
    due = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    card.get_by_label("Frist").fill(due)
    card.get_by_label("Intern note (ses ikke af den, der meldte)").fill("Nøglen hos pedellen")
    card.get_by_role("button", name="Planlæg").click()
    until(
        office,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t && x.state === 'planned'))",
        TEXT,
        "not planned",
    )
    expect(office.get_by_role("table", name="Frister pr. bygning")).to_contain_text("Nordskolen")
    assert_accessible(office)

    # The technician on his phone, in a basement without signal: starts it, photographs the fix and closes
    # it, all waiting on the phone; back online it all reaches the server, in order.
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
    expect(task.get_by_text("Nøglen hos pedellen")).to_be_visible()
    tech.context.set_offline(True)
    task.get_by_role("button", name="Start").click()
    expect(task.get_by_text("Sendes …")).to_be_visible()
    photo = tmp_path / "fixed.jpg"
    photo.write_bytes(images.jpeg(tag="radiator fixed"))
    task.get_by_label("Tag billede af det udbedrede").set_input_files(str(photo))
    expect(task.get_by_text("1 billede(r) taget")).to_be_visible()
    task.get_by_role("button", name="Udført").click()
    tech.context.set_offline(False)
    tech.evaluate("() => dispatchEvent(new Event('online'))")
    until(
        tech,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t && x.state === 'done'))",
        TEXT,
        "not done",
        seconds=40,
    )

    # The reporter's link shows it done, never the internal note; and in English.
    phone.goto(receipt)
    phone.reload()
    expect(phone.locator(".fa-status")).to_contain_text("Udført")
    expect(phone.get_by_text("Teknikeren har taget 1 billede(r) af det udbedrede.")).to_be_visible()
    expect(phone.get_by_alt_text("Billede 1 af det udbedrede")).to_be_visible()
    assert phone.get_by_alt_text("Billede 1 af det udbedrede").evaluate("img => img.naturalWidth > 0")
    assert "pedellen" not in phone.content()
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your report")
    expect(phone.locator(".fa-status")).to_contain_text("Done")
    assert_accessible(phone)
