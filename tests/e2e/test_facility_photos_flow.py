"""Facility reports in real Chromium, part two (issue 15): a reporter who is not logged in scans a room's
code on a 360 px phone, adds a photo and reports offline; back online the report and its photo reach the
server; the property office sees the photo on a tablet and merges a second report of the same fault into
the first; the second reporter's private link then says it was merged and shows the kept one's status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests import images
from tests.e2e.test_facility_flow import PHONE
from tests.e2e.test_mileage_flow import login, until
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

TABLET = {"width": 820, "height": 1180}
ROOM = "Faglokale fysik"  # a Nordskolen room the demo leaves without reports
FIRST = "Vandhanen ved katederet drypper"
SECOND = "Det drypper fra hanen i fysik"


def test_a_photo_reported_offline_reaches_the_office_and_a_duplicate_is_merged_on_a_tablet(
    new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    office = new_context(viewport=TABLET).new_page()
    login(office, "Ida Sørensen")
    office.get_by_role("link", name="Driftsmeldinger").click()
    office.get_by_role("link", name="Bygninger og QR-koder").click()
    code = (office.get_by_role("link", name=ROOM).get_attribute("href") or "").removeprefix("#/meld/")

    phone = new_context(viewport=PHONE).new_page()
    phone.goto(f"/#/meld/{code}")
    expect(phone.get_by_text(f"{ROOM} · Nordskolen")).to_be_visible()
    phone.context.set_offline(True)
    phone.get_by_label("Hvad drejer det sig om?").select_option(label="VVS, vand og afløb")
    phone.get_by_label("Hvad er galt?").fill(FIRST)
    photo = tmp_path / "tap.jpg"
    photo.write_bytes(images.jpeg((640, 480), gps=True, tag="dripping tap"))
    phone.get_by_label("Billeder (højst 4)").set_input_files(str(photo))
    expect(phone.get_by_alt_text("Billede 1 af fejlen")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Send meldingen").click()
    expect(phone.get_by_text("Gemt på telefonen")).to_be_visible()
    phone.context.set_offline(False)
    expect(phone.get_by_text("Meldingen er modtaget.")).to_be_visible(timeout=20_000)
    phone.get_by_role("link", name="Følg meldingen").click()
    expect(phone.get_by_alt_text("Billede 1 af fejlen")).to_be_visible(timeout=10_000)
    assert phone.get_by_alt_text("Billede 1 af fejlen").evaluate("img => img.naturalWidth > 0")

    # A second reporter sends a new report of the same fault (no photo).
    other = new_context(viewport=PHONE).new_page()
    other.goto(f"/#/meld/{code}")
    expect(other.get_by_text(FIRST)).to_be_visible()
    other.get_by_label("Hvad drejer det sig om?").select_option(label="VVS, vand og afløb")
    other.get_by_label("Hvad er galt?").fill(SECOND)
    other.get_by_role("button", name="Send meldingen").click()
    expect(other.get_by_text("Meldingen er modtaget.")).to_be_visible(timeout=20_000)
    other.get_by_role("link", name="Følg meldingen").click()
    second_receipt = other.url

    # The property office on a tablet: the photo is there; the second report is merged into the first.
    office.goto("/#/ejendom")
    until(
        office,
        "t => feltSync.list('facility_report').then(r => t.every(x => r.some(y => y.fields.text === x)))",
        [FIRST, SECOND],
        "no sync",
    )
    # A card is known by its own text (the other card's merge choice names it too).
    kept = office.locator(".card").filter(has=office.get_by_text(FIRST, exact=True))
    expect(kept.get_by_alt_text("Billede 1 af fejlen")).to_be_visible(timeout=10_000)
    assert kept.get_by_alt_text("Billede 1 af fejlen").evaluate("img => img.naturalWidth > 0")
    dup = office.locator(".card").filter(has=office.get_by_text(SECOND, exact=True))
    merge = dup.get_by_label("Samme fejl som en anden melding? Læg sammen med")
    merge.select_option(index=1)
    dup.get_by_role("button", name="Læg sammen").click()
    until(
        office,
        "t => feltSync.list('facility_report').then(r => r.some(x => x.fields.text === t && x.state === 'merged'))",
        SECOND,
        "not merged",
    )
    expect(dup).to_have_count(0)
    assert_accessible(office)

    other.goto(second_receipt)
    other.reload()
    expect(other.get_by_text("Ejendomskontoret har lagt din melding sammen")).to_be_visible()
    expect(other.locator(".fa-status")).to_contain_text("Modtaget")


def test_a_closed_buildings_code_asks_to_log_in_and_comes_back_to_the_room(
    new_context: Callable[..., BrowserContext],
) -> None:
    office = new_context(viewport=TABLET).new_page()
    login(office, "Ida Sørensen")
    office.get_by_role("link", name="Driftsmeldinger").click()
    office.get_by_role("link", name="Bygninger og QR-koder").click()
    daycare = office.get_by_role("region", name="Børnehuset Solsikken")
    setting = daycare.get_by_label("Meldinger uden log-in fra denne bygnings koder")
    code = (daycare.get_by_role("link", name="Stue Kornblomsten").get_attribute("href") or "").removeprefix(
        "#/meld/"
    )
    setting.uncheck()
    expect(setting).not_to_be_checked()
    try:
        phone = new_context(viewport=PHONE).new_page()
        phone.goto(f"/#/meld/{code}")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Log ind for at melde")
        assert "Stue Kornblomsten" not in phone.content()
        phone.get_by_role("link", name="Log ind").click()
        phone.get_by_role("button", name="Jens Madsen").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Meld en fejl")
        expect(phone.get_by_text("Stue Kornblomsten · Børnehuset Solsikken")).to_be_visible()
        phone.get_by_label("Hvad drejer det sig om?").select_option(label="VVS, vand og afløb")
        phone.get_by_label("Hvad er galt?").fill("Toilettet i stuen løber")
        phone.get_by_role("button", name="Send meldingen").click()
        expect(phone.get_by_text("Meldingen er modtaget.")).to_be_visible(timeout=20_000)
        phone.get_by_role("link", name="Følg meldingen").click()
        expect(phone.locator(".fa-status")).to_contain_text("Modtaget")
    finally:
        setting.check()  # the demo's building is open again for the other tests
        expect(setting).to_be_checked()
