"""An employee's receipt (udlæg) in real Chromium against the real backend: made offline with a photo,
read by the server's OCR once online, corrected, and sent for approval."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ocr.synth import generate_one
from tests.e2e.conftest import inject_axe

pytestmark = pytest.mark.e2e

ANNA = "Anna Jensen"  # employee, Nordskolen
ACCOUNT = "3.22.01-2.9"  # "Nordskolen: varer i øvrigt" in the demo chart of accounts
MACHINE = "Læst af maskinen – tjek"
OCR_TIMEOUT_S = 60
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page: Page) -> None:
    """No WCAG 2.1 A/AA violations axe can find, and nothing wider than the 360 px screen."""
    inject_axe(page)
    result = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", AXE_TAGS)
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert not violations, violations
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_receipt_offline_then_ocr_then_submit(page: Page, tmp_path: Path) -> None:
    data, truth = generate_one(seed=5, index=0, today=datetime.date.today())
    photo = tmp_path / "kvittering.jpg"
    photo.write_bytes(data)

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/")
    expect(page.get_by_role("heading", name="Demo: vælg en bruger")).to_be_visible()
    page.get_by_role("button", name=ANNA).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {ANNA}")

    page.get_by_role("link", name="Udlæg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine udlæg")
    # The list fetches the chart of accounts while online, so it can be picked from offline.
    page.wait_for_function("() => Object.keys(localStorage).some((k) => k.startsWith('felt.accounts.'))")

    page.context.set_offline(True)
    page.get_by_role("button", name="Nyt udlæg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyt udlæg")

    page.get_by_label("Tag billede af kvitteringen").set_input_files(str(photo))
    expect(page.get_by_role("img", name="Kvittering, billede 1")).to_be_visible()
    expect(page.get_by_text("Vi læser kvitteringen, når du er online igen")).to_be_visible()

    page.get_by_label("Formål").fill("Frugt til elevernes temadag")
    page.get_by_role("button", name="Vælg konto").click()
    # Offline, by an everyday word the municipality added: the name first, her own school's account first.
    page.get_by_label("Søg efter konto").fill("kaffe")
    first = page.locator(".btn-account").first
    expect(first).to_contain_text("Nordskolen: fødevarer 3.22.01-2.2")
    expect(first).to_contain_text("Din enhed")
    expect(page.locator(".btn-account")).to_have_count(3)  # the food accounts, nothing else
    page.get_by_label("Søg efter konto").fill("varer i øvrigt")
    page.get_by_role("button", name=f"Nordskolen: varer i øvrigt {ACCOUNT}").click()
    expect(page.get_by_text(f"Nordskolen: varer i øvrigt ({ACCOUNT})")).to_be_visible()

    receipt_id = page.evaluate("location.hash.split('/')[2]")
    rec = page.evaluate("(id) => feltSync.get(id)", receipt_id)
    assert rec["fields"]["account"] == ACCOUNT
    assert rec["fields"]["purpose"] == "Frugt til elevernes temadag"
    assert len(rec["fields"]["photos"]) == 1

    # Every step the page shows while the server reads, recorded as it happens.
    page.evaluate(
        """() => { window.__steps = [];
            new MutationObserver(() => window.__steps.push(document.querySelector('.ocr-live').textContent))
              .observe(document.querySelector('.ocr-live'), { subtree: true, childList: true, characterData: true }); }"""
    )
    page.context.set_offline(False)
    # The page asks for the result itself (no test pokes the sync): read within the OCR's time.
    expect(page.get_by_text("Kvitteringen er læst.")).to_be_visible(timeout=OCR_TIMEOUT_S * 1000)
    steps = page.evaluate("() => window.__steps")
    assert any("venter på at blive læst" in s or "Vi læser kvitteringen …" in s for s in steps), steps
    fields = page.evaluate("(id) => feltSync.get(id).then((r) => r.fields)", receipt_id)
    assert fields["ocr"]["status"] == "done" and "total" in fields["machine_read"], fields
    assert fields["total"] == truth["total"]
    total = page.get_by_label("Beløb i alt (kr.)")
    expect(total).to_have_value(truth["total"].replace(".", ","))
    expect(total).to_have_attribute("aria-describedby", "rc-total-mark")
    expect(page.get_by_text(MACHINE).first).to_be_visible()
    assert_accessible(page)

    # Correct the merchant: editing it takes away its machine-read mark.
    merchant = page.get_by_label("Butik eller firma")
    merchant.fill("Brugsen i Ringsted")
    merchant.blur()
    deadline = time.monotonic() + 10
    while not page.evaluate(
        """(id) => feltSync.get(id).then((r) => r.fields.merchant === 'Brugsen i Ringsted'
            && !r.fields.machine_read.includes('merchant'))""",
        receipt_id,
    ):
        assert time.monotonic() < deadline, "the corrected merchant was not saved"
        page.wait_for_timeout(100)
    expect(page.locator("#rc-merchant-mark")).to_have_count(0)

    page.get_by_role("button", name="Send til godkendelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine udlæg")
    deadline = time.monotonic() + 20
    while page.evaluate("(id) => feltSync.get(id).then((r) => r.state)", receipt_id) != "submitted":
        assert time.monotonic() < deadline, "the receipt was not submitted"
        page.evaluate("feltSync.syncNow()")
        page.wait_for_timeout(300)
    item = page.get_by_role("link", name="Brugsen i Ringsted")
    expect(item).to_contain_text("Indsendt")
    expect(item).to_contain_text("621,35 kr.")


def test_heic_and_pdf_go_as_they_are_a_text_file_is_named_and_what_is_typed_survives_a_reload(
    page: Page, tmp_path: Path
) -> None:
    """In English at 360 px, offline: Chromium cannot draw HEIC, so the original is sent (the server
    reads HEIC), a PDF e-receipt too; a text file is refused by name; the purpose being typed is still
    there after a reload; online, both files are read."""
    import io

    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    files = []
    for seed, fmt, name in ((11, "HEIF", "IMG_0001.HEIC"), (12, "PDF", "e-kvittering.pdf")):
        jpeg, _ = generate_one(seed=seed, index=seed, today=datetime.date.today())
        out = io.BytesIO()
        Image.open(io.BytesIO(jpeg)).convert("RGB").save(
            out, fmt, **({"resolution": 200} if fmt == "PDF" else {})
        )
        (tmp_path / name).write_bytes(out.getvalue())
        files.append(str(tmp_path / name))
    (tmp_path / "notes.txt").write_text("Kvittering 120,00 kr")

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto("/")
    page.get_by_role("button", name=ANNA).click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello {ANNA}")
    page.get_by_role("link", name="Receipts").click()
    page.get_by_role("button", name="New receipt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New receipt")
    page.context.set_offline(True)

    page.get_by_label("Choose a photo or a PDF").set_input_files(
        [files[0], str(tmp_path / "notes.txt"), files[1]]
    )
    expect(page.get_by_role("img", name="Receipt, photo 1")).to_have_text("HEIC")
    expect(page.get_by_role("img", name="Receipt, photo 2")).to_have_text("PDF")
    expect(page.get_by_role("alert").filter(has_text="notes.txt")).to_contain_text(
        "notes.txt is neither an image nor a PDF"
    )
    expect(page.get_by_text("We will read the receipt when you are online again")).to_be_visible()
    assert_accessible(page)

    receipt_id = page.evaluate("location.hash.split('/')[2]")
    page.get_by_label("Purpose").fill("Coffee for the staff meeting")  # typed, not yet left
    deadline = time.monotonic() + 10
    while not page.evaluate(
        "(id) => feltSync.drafts.get('receipt:' + id).then((d) => d && d.purpose)", receipt_id
    ):
        assert time.monotonic() < deadline, "what was typed was not kept on the phone"
        page.wait_for_timeout(100)
    page.reload()
    expect(page.get_by_label("Purpose")).to_have_value("Coffee for the staff meeting")
    deadline = time.monotonic() + 10
    while page.evaluate("(id) => feltSync.get(id).then((r) => r.fields.purpose)", receipt_id) != (
        "Coffee for the staff meeting"
    ):
        assert time.monotonic() < deadline, "the restored purpose was not saved on the receipt"
        page.wait_for_timeout(100)

    page.context.set_offline(False)
    expect(page.get_by_text("The receipt has been read.")).to_be_visible(timeout=OCR_TIMEOUT_S * 1000)
    fields = page.evaluate("(id) => feltSync.get(id).then((r) => r.fields)", receipt_id)
    assert fields["ocr"]["status"] == "done" and not fields["ocr"]["errors"], fields["ocr"]
    assert fields["total"] and "total" in fields["machine_read"], fields
