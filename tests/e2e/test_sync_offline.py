"""The offline sync engine (docs/sync.md) in real Chromium against the real backend.

Each browser context is one device. Notes (tests/sync_types.py) are made through window.feltSync,
the same API the workflows' screens use; the header's sync status and the attention screen are
checked as a person sees them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import inject_axe

pytestmark = pytest.mark.e2e

ANNA = "Anna Jensen"  # employee, Nordskolen
CAMILLA = "Camilla Hansen"  # leader of Nordskolen
NORA = "Nora Berg"  # employee in the other municipality
SYNCED = "Alle ændringer er sendt"
RELOGIN = "Log ind igen for at sende dine ændringer – de er gemt på telefonen"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SYNC_TIMEOUT = 20_000

Contexts = Callable[..., BrowserContext]


def waiting(n: int) -> str:
    """The sync status line: it counts records waiting, not field edits."""
    return (
        "1 registrering venter på at blive sendt"
        if n == 1
        else f"{n} registreringer venter på at blive sendt"
    )


def login(page: Page, name: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Demo: vælg en bruger")).to_be_visible()
    page.get_by_role("button", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {name}")


def device(contexts: Contexts, name: str, **options: Any) -> Page:
    """A fresh browser profile (one device) logged in as `name`."""
    page = contexts(**options).new_page()
    login(page, name)
    return page


def controlled_by_service_worker(page: Page) -> None:
    """The service worker installs on the first visit and controls the page from the next load."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hej")


def make_notes(page: Page, titles: list[str]) -> list[str]:
    ids: list[str] = page.evaluate(
        """async (titles) => {
            const ids = [];
            for (const title of titles) {
                const id = feltSync.newId();
                await feltSync.put("note", id, { title, body: "", done: false });
                ids.push(id);
            }
            return ids;
        }""",
        titles,
    )
    return ids


def status(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate("feltSync.status()")
    return result


def local_notes(page: Page) -> dict[str, dict[str, Any]]:
    notes: list[dict[str, Any]] = page.evaluate("feltSync.list('note')")
    return {n["id"]: n for n in notes}


def wait_until(page: Page, script: str, arg: Any = None, timeout_ms: int = SYNC_TIMEOUT) -> None:
    """Polls an async page function until it returns true (wait_for_function does not await promises)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            if page.evaluate(script, arg):
                return
        except PlaywrightError as e:  # a reload under way: ask the new page
            if "context was destroyed" not in str(e) and "navigat" not in str(e):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        page.wait_for_timeout(100)


def wait_synced(page: Page) -> None:
    wait_until(
        page, "async () => { const s = await feltSync.status(); return s.pending === 0 && !s.syncing }"
    )
    expect(page.get_by_text(SYNCED)).to_be_visible()


def synced_notes(page: Page) -> dict[str, dict[str, Any]]:
    """Syncs this device now and returns its notes."""
    result = page.evaluate("feltSync.syncNow()")
    assert result == {"ok": True}, result
    return local_notes(page)


def server_notes(page: Page) -> list[dict[str, Any]]:
    """Every note this user may see, straight from the server: a pull from zero as a brand-new device."""
    res = page.request.get(
        f"/api/sync/pull?device_id={uuid.uuid4()}&limit=5000", headers={"x-felt-schema": "1"}
    )
    assert res.ok, res.text()
    body: dict[str, Any] = res.json()
    assert not body["has_more"]
    return [r for r in body["records"] if r["type"] == "note" and not r["deleted"]]


def test_offline_notes_survive_a_reload_and_reach_the_server_once(sync_context: Contexts) -> None:
    page = device(sync_context, ANNA)
    controlled_by_service_worker(page)
    expect(page.get_by_text(SYNCED)).to_be_visible()

    page.context.set_offline(True)
    ids = make_notes(page, ["Indkøb", "Forældremøde", "Udflugt"])
    expect(page.get_by_text(waiting(3))).to_be_visible()
    # More edits of one note are still three records waiting (issue 12, item 16).
    page.evaluate(
        """async (id) => {
            await feltSync.put("note", id, { body: "mælk" });
            await feltSync.put("note", id, { body: "mælk og brød" });
        }""",
        ids[0],
    )
    expect(page.get_by_text(waiting(3))).to_be_visible()

    # Closing and opening the app offline loses nothing.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {ANNA}")
    expect(page.get_by_text(waiting(3))).to_be_visible()
    assert set(local_notes(page)) == set(ids)
    assert status(page)["pending"] == 3

    # Back online, the app sends them by itself.
    page.context.set_offline(False)
    wait_synced(page)
    expect(page.get_by_text("Sidst synkroniseret kl.")).to_be_visible()
    notes = local_notes(page)
    assert set(notes) == set(ids)
    assert all(n["state"] == "draft" and n["pending"] == 0 for n in notes.values())
    # One version per mutation applied, each applied once: the edited note has three, the others one.
    assert {i: n["version"] for i, n in notes.items()} == {ids[0]: 3, ids[1]: 1, ids[2]: 1}
    assert notes[ids[0]]["fields"]["body"] == "mælk og brød"

    # The server holds each note exactly once.
    on_server = [n["id"] for n in server_notes(page)]
    assert sorted(on_server) == sorted(ids)

    # Anna's second phone gets them; so does her leader; the other municipality gets none.
    other = device(sync_context, ANNA)
    assert set(synced_notes(other)) == set(ids)
    leader = device(sync_context, CAMILLA)
    assert set(ids) <= set(synced_notes(leader))
    stranger = device(sync_context, NORA)
    assert not set(ids) & set(synced_notes(stranger))


def test_a_push_delivered_twice_or_answered_never_applies_once(sync_context: Contexts) -> None:
    page = device(sync_context, ANNA)
    wait_synced(page)
    before = {n["id"] for n in server_notes(page)}
    pushes: list[str] = []

    def twice(route: Route) -> None:
        # The first push reaches the server twice (a proxy retried it); the app sees the second answer.
        if not pushes:
            pushes.append("twice")
            route.fetch()
            route.fulfill(response=route.fetch())
        # The second push is processed, but its answer is lost on the way back.
        elif len(pushes) == 1:
            pushes.append("lost")
            route.fetch()
            route.abort("connectionreset")
        else:
            pushes.append("plain")
            route.continue_()

    page.context.route("**/api/sync/push", twice)
    first = make_notes(page, ["To gange"])
    wait_synced(page)
    second = make_notes(page, ["Svar tabt"])
    wait_synced(page)
    third = make_notes(page, ["Bagefter"])
    wait_synced(page)
    assert pushes[:2] == ["twice", "lost"] and len(pushes) >= 3

    new = [n for n in server_notes(page) if n["id"] not in before]
    assert sorted(n["id"] for n in new) == sorted(first + second + third), "each note once on the server"
    assert all(n["version"] == 1 for n in new), "no mutation applied twice"
    assert set(first + second + third) <= set(local_notes(page))
    assert status(page)["attention"] == []


def test_an_expired_session_keeps_the_outbox_until_log_in(sync_context: Contexts) -> None:
    page = device(sync_context, ANNA)
    wait_synced(page)
    page.context.clear_cookies(name="felt_session")

    page.context.set_offline(True)
    [note] = make_notes(page, ["Efter udløb"])
    expect(page.get_by_text(waiting(1))).to_be_visible()
    page.context.set_offline(False)

    banner = page.get_by_role("alert").filter(has_text=RELOGIN)
    expect(banner).to_be_visible(timeout=SYNC_TIMEOUT)
    assert status(page)["pending"] == 1
    assert status(page)["needsLogin"] is True

    banner.get_by_role("button", name="Log ind igen").click()
    expect(page.get_by_role("heading", name="Demo: vælg en bruger")).to_be_visible()
    expect(page.get_by_text(RELOGIN)).to_be_visible()  # still saying why, on the log-in screen
    page.get_by_role("button", name=ANNA).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {ANNA}")
    wait_synced(page)
    expect(page.get_by_text(RELOGIN)).to_have_count(0)
    assert note in {n["id"] for n in server_notes(page)}


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    inject_axe(page)
    result = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", AXE_TAGS)
    return list(result["violations"])


def test_conflicts_and_rejections_need_attention(sync_context: Contexts) -> None:
    phone = device(sync_context, ANNA, viewport={"width": 360, "height": 740}, bypass_csp=True)
    tablet = device(sync_context, ANNA)
    clash, frozen = make_notes(phone, ["Fælles titel", "Til godkendelse"])
    wait_synced(phone)
    assert {clash, frozen} <= set(synced_notes(tablet))

    # The phone edits offline while the tablet changes the same title and submits the other note.
    phone.context.set_offline(True)
    phone.evaluate(
        """async ([a, b]) => {
            await feltSync.put("note", a, { title: "Telefonens titel", body: "fra telefonen" });
            await feltSync.put("note", b, { body: "for sent" });
        }""",
        [clash, frozen],
    )
    expect(phone.get_by_text(waiting(2))).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "sync status at 360 px"
    tablet.evaluate(
        """async ([a, b]) => {
            await feltSync.put("note", a, { title: "Tablettens titel" });
            await feltSync.transition("note", b, "submit");
            return feltSync.syncNow();
        }""",
        [clash, frozen],
    )

    phone.context.set_offline(False)
    wait_synced(phone)
    link = phone.get_by_role("link", name="Kræver din opmærksomhed (2)")
    expect(link).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "attention link at 360 px"
    notes = local_notes(phone)
    # The server's title stays and the phone's body went through; the submitted note is as the server has it.
    assert notes[clash]["fields"]["title"] == "Tablettens titel"
    assert notes[clash]["fields"]["body"] == "fra telefonen"
    assert notes[frozen]["state"] == "submitted" and notes[frozen]["fields"]["body"] == ""

    link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kræver din opmærksomhed")
    conflict = phone.get_by_role("listitem").filter(
        has=phone.get_by_role("heading", name="Note: Tablettens titel")
    )
    expect(conflict).to_contain_text("Telefonens titel")
    expect(conflict).to_contain_text("Tablettens titel")
    rejected = phone.get_by_role("listitem").filter(
        has=phone.get_by_role("heading", name="Note: Til godkendelse")
    )
    expect(rejected).to_contain_text("Din ændring blev ikke gemt.")
    expect(rejected).to_contain_text("indsendt")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "attention screen at 360 px"
    violations = _axe_violations(phone)
    assert not violations, "\n".join(
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in violations
    )

    # Keep mine: sent again with the server's value as base, so it applies.
    conflict.get_by_role("button", name="Behold min").click()
    rejected.get_by_role("button", name="OK").click()
    expect(phone.get_by_text("Der er intet, der kræver din opmærksomhed.")).to_be_visible()
    wait_synced(phone)
    assert local_notes(phone)[clash]["fields"]["title"] == "Telefonens titel"
    assert synced_notes(tablet)[clash]["fields"]["title"] == "Telefonens titel"
    assert status(phone)["attention"] == []


def test_the_service_worker_sends_the_outbox_when_the_app_is_closed(sync_context: Contexts) -> None:
    page = device(sync_context, ANNA)
    controlled_by_service_worker(page)
    wait_synced(page)
    ctx = page.context
    ctx.set_offline(True)
    [note] = make_notes(page, ["Sendt i baggrunden"])  # registers a Background Sync
    page.close()  # closed before it could send
    ctx.set_offline(False)

    # Only the service worker can send it now. The browser fires its "sync" event when it sees the
    # network (maybe already: it may not notice the emulated offline); here it is fired at once, as
    # Chrome does when the network comes back. The probe is a page of the origin without the app.
    probe = ctx.new_page()
    probe.goto("/api/health")
    cdp = ctx.new_cdp_session(probe)
    registrations: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(100):
        if registrations:
            break
        probe.wait_for_timeout(50)
    [reg] = [r for r in registrations if not r["isDeleted"]]
    origin = probe.evaluate("location.origin")
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": origin, "registrationId": reg["registrationId"], "tag": "felt-sync", "lastChance": False},
    )
    wait_until(
        probe,
        """async (id) => {
            const url = `/api/sync/pull?device_id=${crypto.randomUUID()}`;
            const r = await fetch(url, { headers: { "x-felt-schema": "1" } });
            return (await r.json()).records.some((n) => n.id === id);
        }""",
        note,
    )


def test_a_photo_is_downsized_and_uploaded_in_resumable_chunks(sync_context: Contexts) -> None:
    page = device(sync_context, ANNA)
    wait_synced(page)
    # A 3000 × 2000 photo of noise (JPEG compresses it badly: several chunks of 256 kB).
    photo: dict[str, Any] = page.evaluate(
        """async () => {
            const canvas = new OffscreenCanvas(3000, 2000);
            const ctx = canvas.getContext("2d");
            const img = ctx.createImageData(3000, 2000);
            for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : Math.random() * 256;
            ctx.putImageData(img, 0, 0);
            const file = await canvas.convertToBlob({ type: "image/png" });
            const hash = await feltSync.addPhoto(file);
            const blob = await feltSync.photo(hash);
            const bitmap = await createImageBitmap(blob);
            return { hash, size: blob.size, type: blob.type, width: bitmap.width, height: bitmap.height };
        }"""
    )
    assert (photo["width"], photo["height"]) == (2000, 1333)
    assert photo["type"] == "image/jpeg" and photo["size"] > 2 * 256 * 1024

    # The second chunk is lost on the way: the next sync asks the server where to go on from.
    puts: list[str] = []

    def flaky(route: Route) -> None:
        puts.append(route.request.headers.get("content-range", ""))
        if len(puts) == 2:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.context.route(
        f"**/api/sync/blobs/{photo['hash']}",
        lambda r: flaky(r) if r.request.method == "PUT" else r.continue_(),
    )
    [note] = make_notes(page, ["Med billede"])
    page.evaluate("([id, hash]) => feltSync.put('note', id, { photo: hash })", [note, photo["hash"]])
    wait_synced(page)
    expect(page.get_by_text("billede venter")).to_have_count(0)
    assert puts[0].startswith("bytes 0-262143/") and puts[1] == puts[2], puts

    got = page.evaluate(
        """async (hash) => {
            const res = await fetch(feltSync.photoUrl(hash));
            const digest = await crypto.subtle.digest("SHA-256", await res.arrayBuffer());
            const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
            const kept = await feltSync.photo(hash);
            const type = res.headers.get("content-type");
            return { status: res.status, type, hex, kept: kept && kept.size };
        }""",
        photo["hash"],
    )
    assert got["status"] == 200 and got["hex"] == photo["hash"] and got["type"] == "image/jpeg"
    # The original left the phone after the upload; the thumbnail stays.
    assert got["kept"] and got["kept"] < 60_000
    assert local_notes(page)[note]["fields"]["photo"] == photo["hash"]
    # The leader may see the photo of a note in her unit.
    leader = device(sync_context, CAMILLA)
    assert synced_notes(leader)[note]["fields"]["photo"] == photo["hash"]
    assert leader.request.get(f"/api/sync/blobs/{photo['hash']}").ok


def test_an_outdated_app_is_asked_to_update_and_keeps_its_changes(sync_context: Contexts) -> None:
    page = device(sync_context, ANNA)
    wait_synced(page)
    too_old = {"detail": "Opdater appen for at sende og hente data.", "update_required": True}
    page.context.route("**/api/sync/**", lambda route: route.fulfill(status=426, json=too_old))
    [note] = make_notes(page, ["Gammel app"])
    banner = page.get_by_role("alert").filter(has_text="Opdater appen for at sende dine ændringer")
    expect(banner).to_be_visible(timeout=SYNC_TIMEOUT)
    assert status(page)["pending"] == 1 and status(page)["updateRequired"] is True

    page.context.unroute("**/api/sync/**")
    with page.expect_navigation():
        banner.get_by_role("button", name="Opdater appen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {ANNA}")
    wait_synced(page)
    expect(banner).to_have_count(0)
    assert note in {n["id"] for n in server_notes(page)}
