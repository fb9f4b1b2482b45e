"""An invited outsider in real Chromium against the real backend and a real SMTP server (aiosmtpd): Dorte
(secretary, Nordskolen) invites a relief family member on a tablet; the invitation and the one-time code
arrive at the local mail server; she signs in with the code on a 360 px phone, in Danish, sees only her
hours, and registers some; Dorte withdraws the invitation."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.conftest import _contexts, _serve
from tests.e2e.test_mileage_flow import login
from tests.e2e.test_receipts_flow import assert_accessible
from tests.e2e.test_substitutes_flow import until
from tests.mail.fixture import Inbox

pytestmark = pytest.mark.e2e

METTE = "mette.madsen@aflastning.example"


@pytest.fixture(scope="module")
def mail_inbox() -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(scope="module")
def mail_server(
    tmp_path_factory: pytest.TempPathFactory, pwa_dist: Path, demo_data: Path, mail_inbox: Inbox
) -> Iterator[str]:
    """A backend whose mail goes to the local SMTP server."""
    smtp = {
        "FELT_SMTP_HOST": "127.0.0.1",
        "FELT_SMTP_PORT": str(mail_inbox.port),
        "FELT_SMTP_TLS": "off",
        "FELT_SMTP_FROM": "felt@demo.felt.dk",
    }
    yield from _serve(tmp_path_factory.mktemp("felt-mail-data"), pwa_dist, demo_data, smtp)


@pytest.fixture
def mail_context(browser: Browser, mail_server: str) -> Iterator[Callable[..., BrowserContext]]:
    yield from _contexts(browser, mail_server)


def test_the_secretary_invites_and_the_outsider_signs_in_with_a_code_and_registers_hours(
    mail_context: Callable[..., BrowserContext], mail_inbox: Inbox
) -> None:
    tablet = mail_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, "Dorte Pedersen")
    tablet.get_by_role("link", name="Inviter vikarer").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Inviterede vikarer")
    expect(tablet.get_by_text("Maja Holm")).to_be_visible()  # the demo's invitation
    tablet.get_by_label("Navn").fill("Mette Madsen")
    tablet.get_by_label("E-mailadresse").fill("Mette.Madsen@Aflastning.example")
    tablet.get_by_role("button", name="Inviter", exact=True).click()
    expect(tablet.locator("main").get_by_role("status")).to_have_text(
        "Mette Madsen er inviteret. Mailen sendes om lidt."
    )
    expect(tablet.get_by_role("listitem").filter(has_text="Mette Madsen")).to_contain_text(METTE)
    assert_accessible(tablet)
    [invitation] = mail_inbox.wait_for(METTE, 1, seconds=30)
    assert "Nordskolen" in invitation["Subject"]

    phone = mail_context(viewport={"width": 360, "height": 780}).new_page()
    phone.goto("/")
    phone.get_by_role("link", name="Inviteret som vikar? Log ind med en kode på mail").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Log ind med en kode")
    phone.get_by_label("Din e-mailadresse").fill(METTE)
    phone.get_by_role("button", name="Send mig en kode").click()
    expect(phone.locator("main").get_by_role("status")).to_contain_text(
        "er en kode på vej. Den gælder i 10 minutter."
    )
    assert_accessible(phone)
    mail_inbox.wait_for(METTE, 2, seconds=30)
    code = mail_inbox.code_for(METTE)
    phone.get_by_label("Koden fra mailen (6 cifre)").fill("000000" if code != "000000" else "111111")
    phone.get_by_role("button", name="Log ind").click()
    expect(phone.locator("main").get_by_role("alert")).to_have_text(
        "Koden passer ikke eller er udløbet. Prøv igen, eller bed om en ny kode."
    )
    phone.get_by_label("Koden fra mailen (6 cifre)").fill(f"{code[:3]} {code[3:]}")
    phone.get_by_role("button", name="Log ind").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mine vikartimer")

    phone.get_by_role("button", name="Registrér timer bagefter").click()
    phone.get_by_label("Fra").fill("08:00")
    phone.get_by_label("Til").fill("10:00")
    phone.get_by_label("Vikar for (fx 4.A dansk)").fill("Aflastning, 2.B")
    phone.get_by_role("button", name="Gem og send").click()
    card = phone.get_by_role("link").filter(has_text="Aflastning, 2.B")
    expect(card).to_contain_text("Nordskolen")
    until(
        phone,
        "() => feltSync.list('substitute_entry').then((es) => es.some((e) => e.fields.cover === 'Aflastning, 2.B' && e.state === 'registered' && e.fields.calc.amount))",
        None,
        "her entry did not reach the server and come back calculated",
    )
    expect(card).to_contain_text("registreret")
    assert_accessible(phone)
    # Home shows her hours only: none of the screens meant for every employee.
    phone.goto("/#/")
    expect(phone.get_by_role("link", name="Vikartimer")).to_be_visible()
    expect(phone.get_by_role("link", name="Udlæg")).to_have_count(0)
    denied = phone.evaluate("() => fetch('/api/units').then((r) => r.status)")
    assert denied == 403

    # Dorte sees the entry in her morning queue, and withdraws the invitation: Mette is signed out.
    tablet.goto("/#/")
    tablet.get_by_role("link", name="Til godkendelse").first.click()
    expect(tablet.get_by_role("listitem").filter(has_text="Aflastning, 2.B")).to_be_visible()
    tablet.goto("/#/vikar/inviter")
    tablet.get_by_role("button", name="Træk invitationen tilbage: Mette Madsen").click()
    expect(tablet.get_by_role("listitem").filter(has_text="Mette Madsen")).to_contain_text("Trukket tilbage")
    assert phone.evaluate("() => fetch('/api/me').then((r) => r.status)") == 401


def test_the_admin_sets_the_substitutes_hourly_wage_and_deadline(
    mail_context: Callable[..., BrowserContext],
) -> None:
    page = mail_context(viewport={"width": 1024, "height": 768}).new_page()
    login(page, "Karen Olsen")
    page.get_by_role("link", name="Administration").first.click()
    page.get_by_role("link", name="Vikartimer: timeløn og frist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vikartimer: timeløn og frist")
    expect(page.get_by_label("Timeløn (kr.)")).to_have_value("235.00")  # the demo's figure
    page.get_by_label("Timeløn (kr.)").fill("241,50")
    page.get_by_label("Klokkeslæt (TT:MM)").fill("25:00")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("main").get_by_role("alert")).to_contain_text("Fristen skal være en dag 1–28")
    page.get_by_label("Klokkeslæt (TT:MM)").fill("15:00")
    page.get_by_label("Fristens dag i næste måned").fill("4")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("main").get_by_role("status")).to_have_text("Gemt. Åbne registreringer er regnet om.")
    expect(page.get_by_label("Timeløn (kr.)")).to_have_value("241.50")
    assert_accessible(page)
