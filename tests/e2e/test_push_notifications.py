"""Web push in real Chromium against the real backend and a local push service (tests/push/service.py).

What headless Chromium can and cannot do: PushManager.subscribe() asks Chromium's own push service,
which is Google's FCM: the endpoint it returns is always https://fcm.googleapis.com/…, made by
registering with Google's servers, and Chromium has no switch to use another push service. Here
(Debian's headless Chromium, notifications granted, Notification.permission "granted" in page and
worker, showNotification works) subscribe() fails at once with "AbortError: Registration failed -
permission denied", before any network request. Either way a browser-made subscription could never
reach a local service, so the test cannot be served by one end to end. The test
therefore: (1) presses "Slå beskeder til" and checks the app reports the browser's refusal plainly; (2)
subscribes the employee's device with a subscription of the local push service (what the browser
would send); (3) the leader approves the trip in the app, the server's job encrypts and signs the push,
the local service verifies and decrypts it; (4) that decrypted payload is delivered to this browser's
service worker as a real push event by Chromium itself (DevTools' ServiceWorker.deliverPushMessage, the
"Push" button of DevTools), and the notification the worker shows is read back from the registration.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.test_mileage_flow import login
from tests.e2e.test_receipts_flow import assert_accessible
from tests.push.fixture import SUBJECT
from tests.push.service import PushService

pytestmark = pytest.mark.e2e

CAMILLA = "Camilla Hansen"  # leader of Nordskolen
DORTE = "Dorte Pedersen"  # secretary and employee at Nordskolen; no other browser test uses her trips
SHOWN = """async () => (await (await navigator.serviceWorker.ready).getNotifications()).map(
  (n) => ({ title: n.title, body: n.body, url: n.data && n.data.url }))"""


def _csrf(page: Page) -> dict[str, str]:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"x-csrftoken": token}


def test_an_approval_is_pushed_encrypted_and_shown_by_the_service_worker(
    new_context: Callable[..., BrowserContext], e2e_push_service: PushService
) -> None:
    ctx = new_context(viewport={"width": 360, "height": 780}, permissions=["notifications"])
    phone = ctx.new_page()
    login(phone, DORTE)
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null")

    # (1) A real subscription: Chromium's push service is FCM, out of reach here; the app says so.
    phone.goto("/#/profile")
    section = phone.get_by_role("region", name="Beskeder")
    expect(
        section.get_by_role("checkbox", name="Svar på det, du har sendt (godkendt, afvist)")
    ).to_be_checked()
    assert_accessible(phone)
    section.get_by_role("button", name="Slå beskeder til på denne enhed").click()
    refusal, accepted = (
        section.get_by_role("alert"),
        section.get_by_text("Beskeder er slået til på denne enhed."),
    )
    expect(refusal.or_(accepted)).to_be_visible()
    if refusal.is_visible():  # Chromium here: "AbortError: Registration failed - permission denied"
        expect(refusal).to_contain_text("Browserens push-tjeneste kunne ikke oprette et abonnement. ")
        expect(refusal).to_contain_text("Browseren svarede: AbortError")

    # (2) The device's subscription as the browser would send it, made by the local push service.
    sub = e2e_push_service.subscribe()
    answer = phone.request.post(
        "/api/push/subscriptions",
        data=json.dumps(sub),
        headers=_csrf(phone) | {"content-type": "application/json"},
    )
    assert answer.ok, answer.text()

    # Anna logs a trip and sends it; (3) Camilla approves it on her tablet.
    trip = {
        "date": time.strftime("%Y-%m-%d"), "purpose": "Forældremøde", "from_place": "Nordskolen",
        "to_place": "Skolebiblioteket", "km": "12", "vehicle": "car", "own_vehicle": True,
    }  # fmt: skip
    tid = phone.evaluate(
        """async (fields) => {
          const id = crypto.randomUUID();
          await feltSync.put("trip", id, fields);
          await feltSync.transition("trip", id, "submit");
          await feltSync.syncNow();
          return id;
        }""",
        trip,
    )
    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, CAMILLA)
    done = tablet.request.post(
        "/api/inbox/trip/approve",
        data=json.dumps({"ids": [tid]}),
        headers=_csrf(tablet) | {"content-type": "application/json"},
    )
    assert done.ok and done.json()[0]["status"] == "applied", done.text()

    deadline = time.monotonic() + 30
    url = f"/#/koersel/{tid}"
    while not (
        got := [r for r in e2e_push_service.for_endpoint(sub["endpoint"]) if r.payload.get("url") == url]
    ):
        assert time.monotonic() < deadline, f"no push arrived; refused: {e2e_push_service.refused}"
        time.sleep(0.2)
    [received] = got
    assert received.payload["title"] == "Din kørsel er godkendt"
    assert received.claims["aud"] == e2e_push_service.origin and received.claims["sub"] == SUBJECT

    # (4) Chromium delivers the decrypted payload to the service worker as a push event.
    cdp = ctx.new_cdp_session(phone)
    versions: list[dict[str, str]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: versions.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration = phone.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    deadline = time.monotonic() + 10
    while not (found := [r for r in versions if r["scopeURL"] == registration and not r.get("isDeleted")]):
        assert time.monotonic() < deadline, versions
        phone.wait_for_timeout(100)
    origin = registration.rstrip("/")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": origin,
            "registrationId": found[0]["registrationId"],
            "data": json.dumps(received.payload),
        },
    )
    shown: list[dict[str, str]] = []
    deadline = time.monotonic() + 15
    while not shown:
        assert time.monotonic() < deadline, "the service worker showed no notification"
        phone.wait_for_timeout(200)
        shown = phone.evaluate(SHOWN)
    assert shown == [
        {"title": "Din kørsel er godkendt", "body": "Den kommer med lønnen.", "url": f"/#/koersel/{tid}"}
    ]


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)


def test_an_iphone_outside_the_installed_app_is_told_to_add_felt_to_the_home_screen(
    new_context: Callable[..., BrowserContext],
) -> None:
    phone = new_context(viewport={"width": 360, "height": 780}, user_agent=IPHONE).new_page()
    login(phone, DORTE)
    phone.goto("/#/profile")
    section = phone.get_by_role("region", name="Beskeder")
    expect(section.get_by_text("Føj Felt til hjemmeskærmen for at få beskeder")).to_be_visible()
    expect(section).to_contain_text("Føj til hjemmeskærm")
    expect(section.get_by_role("button")).to_have_count(0)  # no button that cannot work here
