"""The leader's weekly approval in real Chromium against the real backend, on a tablet (1024×768), in
Danish: a swap that needs the leader is approved from the inbox; the week's item in the inbox leads to
the list of every change (who changed what); a change made after the list was loaded is not approved
silently (the screen says so and loads the list again); the week is then approved in one action.

Works in a week thirteen weeks ahead, beyond the demo's 12-week roll-out and absences, which the other
shift flows leave empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from backend.clock import today
from tests.e2e.test_mileage_flow import login
from tests.e2e.test_receipts_flow import assert_accessible

pytestmark = pytest.mark.e2e

LEADER = "Sofie Vang"  # leader of Omsorg og Sundhed, the area above Plejecenter Egebo
ERIK = "Erik Andersen"  # planner there
FATIMA = "Fatima Ali"  # employee there

SEND = """async ([method, path, body, type]) => {
  if (!document.cookie.includes('csrftoken=')) await fetch('/api/health');
  const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
  const r = await fetch(path, {
    method,
    headers: { 'content-type': type, 'x-csrftoken': token },
    body: type === 'application/json' ? JSON.stringify(body) : body,
  });
  return [r.status, await r.text()];
}"""


def send(page: Page, path: str, body: Any, type_: str = "application/json") -> str:
    status, text = page.evaluate(SEND, ["POST", path, body, type_])
    assert status == 200, text
    return str(text)


def users(page: Page) -> dict[str, dict[str, Any]]:
    return {u["name"]: u for u in page.request.get("/auth/demo/users").json()}


def test_a_swap_is_approved_from_the_inbox_and_the_week_in_one_action_after_a_late_change(
    new_context: Callable[..., BrowserContext],
) -> None:
    monday = today() - timedelta(days=today().weekday()) + timedelta(days=91)
    iso = monday.isocalendar()
    planner = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(planner, ERIK)
    people = users(planner)
    erik, fatima = people[ERIK]["id"], people[FATIMA]["id"]
    unit = planner.evaluate("() => fetch('/api/me').then((r) => r.json()).then((m) => m.roles[0].unit_id)")

    def plan(day: int, employee: int, start: str = "07:00", end: str = "15:00") -> str:
        body = {
            "id": str(uuid4()),
            "employee": employee,
            "unit": unit,
            "date": (monday + timedelta(days=day)).isoformat(),
            "start": start,
            "end": end,
            "break_minutes": 30,
            "shift_type": "Dag",
        }
        send(planner, "/api/shifts", body)
        return str(body["id"])

    friday = plan(4, fatima)
    plan(1, erik, "15:00", "23:00")

    phone = new_context(viewport={"width": 360, "height": 780}).new_page()
    login(phone, FATIMA)
    swap = str(uuid4())
    send(phone, "/api/shifts/swaps", {"id": swap, "shift": friday, "to": erik})
    send(planner, "/api/shifts/swaps/accept", {"id": swap})  # Erik says yes: it waits for the leader

    tablet = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, LEADER)
    tablet.goto("/#/inbox")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Til godkendelse")
    swap_item = tablet.locator("li.inbox-item", has_text="Vagtbytte").filter(has_text=FATIMA)
    expect(swap_item).to_have_count(1)
    swap_item.get_by_role("button", name="Godkend").click()
    expect(tablet.locator("li.inbox-item", has_text="Vagtbytte").filter(has_text=FATIMA)).to_have_count(0)

    week_item = tablet.locator("li.inbox-item", has_text=f"Ugegodkendelse, uge {iso.week}, Plejecenter Egebo")
    expect(week_item).to_contain_text("3 ændringer, 0 tilsidesatte regler")
    week_item.get_by_role("link", name="Se ugens ændringer").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text(
        f"Ugegodkendelse, uge {iso.week}, Plejecenter Egebo"
    )
    changes = tablet.locator("li.sa-change")
    expect(changes).to_have_count(3)
    expect(changes.first).to_contain_text(f"Byttet: fra {FATIMA} til {ERIK}")
    expect(changes.first).to_contain_text(f"Ændret af {LEADER}")
    expect(changes.last).to_contain_text(f"Ny vagt: {FATIMA}")
    expect(changes.last).to_contain_text(f"Ændret af {ERIK}")
    assert_accessible(tablet)

    plan(2, fatima)  # the planner adds a shift after the leader loaded the list
    approve = tablet.get_by_role("button", name="Godkend alle 3 ændringer")
    box = approve.bounding_box()
    assert box is not None and box["height"] >= 44  # a big target on the tablet
    approve.click()
    expect(tablet.get_by_test_id("approval-message")).to_contain_text(
        "Der er kommet 1 ændring(er) til, siden du hentede listen"
    )
    tablet.get_by_role("button", name="Hent listen igen").click()
    expect(changes).to_have_count(4)
    tablet.get_by_role("button", name="Godkend alle 4 ændringer").click()
    expect(tablet.get_by_test_id("approval-message")).to_have_text(
        "Ugen er godkendt. Timerne og tillæggene er sendt til lønnen."
    )
    expect(tablet.get_by_test_id("approval-done")).to_contain_text(f"Godkendt af {LEADER}")
    expect(tablet.get_by_test_id("approval-done")).to_contain_text("3 vagter sendt til lønnen")
    expect(tablet.get_by_role("button", name="Godkend alle 4 ændringer")).to_have_count(0)

    tablet.evaluate("() => localStorage.setItem('felt.lang', 'en')")
    tablet.reload()  # the same list in English
    expect(tablet.get_by_role("heading", level=1)).to_have_text(
        f"Weekly approval, week {iso.week}, Plejecenter Egebo"
    )
    expect(tablet.get_by_test_id("approval-done")).to_contain_text(f"Approved by {LEADER}")
    expect(tablet.locator("li.sa-change", has_text="Swapped")).to_contain_text(f"from {FATIMA} to {ERIK}")
    tablet.evaluate("() => localStorage.setItem('felt.lang', 'da')")

    tablet.goto("/#/inbox")
    tablet.reload()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Til godkendelse")
    expect(tablet.locator("li.inbox-item", has_text=f"uge {iso.week}, Plejecenter Egebo")).to_have_count(0)
