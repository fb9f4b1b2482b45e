"""The leader's inbox on a tablet (issue 16): one list with type, person, amount and the payroll deadline;
an approval made offline is queued and, because the trip changed meanwhile, not applied ("ændret siden du
så den"); an approval is reopened with a reason; a stand-in is named and withdrawn; opened offline, the list
and the stand-in form's people are the kept ones; the same screen at 360 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, expect

from backend.clock import today
from tests.e2e.test_mileage_flow import ANNA, CAMILLA, login, until
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

PURPOSE = "Forældremøde i indbakken"


def test_the_leader_decides_offline_reopens_and_names_a_stand_in(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, ANNA)
    trip_id = phone.evaluate(
        """async (purpose) => {
            const id = crypto.randomUUID();
            await feltSync.put("trip", id, { date: new Date().toISOString().slice(0, 10), purpose,
              from_place: "Nordskolen", to_place: "Indbakkens mødested", km: "20", vehicle: "car", own_vehicle: true });
            await feltSync.transition("trip", id, "submit");
            await feltSync.syncNow();
            return id;
        }""",
        PURPOSE,
    )
    # Issue 12, item 14: a refused submission is named (date, purpose), links to the trip, and says that the
    # submission was refused, not the save.
    refused = phone.evaluate(
        """async () => {
            const id = crypto.randomUUID();
            await feltSync.put("trip", id, { date: new Date().toISOString().slice(0, 10), purpose: "Uden eget køretøj",
              from_place: "Nordskolen", to_place: "Indbakkens mødested", km: "12", vehicle: "car", own_vehicle: false });
            await feltSync.transition("trip", id, "submit");
            await feltSync.syncNow();
            return id;
        }"""
    )
    phone.get_by_role("link", name=re.compile("Kræver din opmærksomhed")).click()
    heading = phone.get_by_role("heading", name=re.compile("Tur: .* · Uden eget køretøj"))
    card = phone.get_by_role("listitem").filter(has=heading)
    expect(card).to_contain_text("«Indsend» blev ikke gennemført. Posten er gemt, som den var.")
    expect(heading.get_by_role("link")).to_have_attribute("href", f"#/koersel/{refused}")
    card.get_by_role("button", name="OK").click()
    phone.evaluate(
        "(id) => feltSync.remove('trip', id).then(() => feltSync.syncNow())", refused
    )  # leave no draft
    until(
        phone,
        "(id) => feltSync.get(id).then((t) => t.state === 'submitted' && t.fields.calc?.amount)",
        trip_id,
        "not sent",
    )

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, CAMILLA)
    tile = tablet.locator(".tile").first
    expect(tile).to_contain_text("Til godkendelse")
    expect(tile).to_contain_text("venter")  # the count on the home tile
    tile.click()
    item = tablet.locator(".inbox-item").filter(has_text=PURPOSE)
    expect(item).to_contain_text(ANNA)
    expect(item).to_contain_text("Tur")
    expect(item).to_contain_text("Frist:")
    expect(item).to_contain_text("kr.")
    expect(tablet.get_by_role("button", name=re.compile(r"^Godkend alle \d+$"))).to_be_visible()
    assert_accessible(tablet)

    # Offline: the decision waits on the tablet. Meanwhile Anna corrects the trip.
    tablet.context.set_offline(True)
    item.get_by_role("button", name="Godkend", exact=True).click()
    status = tablet.locator("main").get_by_role("status").first
    expect(status).to_contain_text("Ingen forbindelse")
    expect(item).to_contain_text("Din afgørelse venter på forbindelse.")
    phone.evaluate(
        """async (id) => {
            await feltSync.transition("trip", id, "withdraw");
            await feltSync.put("trip", id, { km: "25" });
            await feltSync.transition("trip", id, "submit");
            await feltSync.syncNow();
        }""",
        trip_id,
    )
    until(
        phone,
        "(id) => feltSync.get(id).then((t) => t.state === 'submitted' && t.fields.km === '25' && t.synced !== false)",
        trip_id,
        "not resent",
    )
    tablet.context.set_offline(False)
    tablet.evaluate("() => dispatchEvent(new Event('online'))")
    expect(status).to_contain_text("ændret siden du så den")
    expect(item.get_by_role("button", name="Godkend", exact=True)).to_be_visible()
    item.get_by_role("button", name="Godkend", exact=True).click()
    expect(status).to_have_text("1 godkendt.")
    expect(item).to_have_count(0)

    # Approved is locked: reopening asks why; then it waits again, and is rejected to leave nothing behind.
    tablet.get_by_role("button", name="Vis seneste afgørelser").click()
    decided = tablet.locator(".inbox-decided .inbox-item").filter(has_text=PURPOSE)
    decided.get_by_role("button", name="Genåbn").click()
    tablet.get_by_label("Hvorfor genåbnes afgørelsen?").fill("Forkert antal km")
    decided.get_by_role("button", name="Genåbn afgørelsen").click()
    expect(status).to_contain_text("er genåbnet")
    item.get_by_role("button", name="Afvis").click()
    tablet.get_by_label("Begrundelse for afvisningen").fill("Ret km og send igen")
    item.get_by_role("button", name="Bekræft afvisning").click()
    expect(status).to_have_text("Afvist.")

    # A stand-in for a holiday, then withdrawn before it starts.
    starts, ends = today() + timedelta(days=30), today() + timedelta(days=44)
    picker = tablet.get_by_label("Hvem skal være stedfortræder?")
    picker.select_option(picker.locator("option", has_text=ANNA).first.get_attribute("value") or "")
    tablet.get_by_label("Fra og med").fill(starts.isoformat())
    tablet.get_by_label("Til og med", exact=True).fill(ends.isoformat())
    tablet.get_by_role("button", name="Udpeg stedfortræder").click()
    period = tablet.locator(".stand-ins li.card").filter(has_text=ANNA)
    expect(period).to_be_visible()
    tablet.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(tablet)
    period.get_by_role("button", name="Slet perioden").click()
    expect(period).to_have_count(0)

    # Opened offline, the inbox shows the list it kept; back online, it fetches today's and says so no more.
    tablet.context.set_offline(True)
    tablet.reload()
    kept = tablet.get_by_text("Ingen forbindelse: listen er den senest hentede.")
    expect(kept).to_be_visible()
    # The stand-in form still offers its people (kept with the list), not an empty choice.
    expect(picker.locator("option", has_text=ANNA)).not_to_have_count(0)
    tablet.context.set_offline(False)
    tablet.evaluate("() => dispatchEvent(new Event('online'))")
    expect(kept).to_have_count(0)
