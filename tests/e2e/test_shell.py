"""The PWA shell in a real browser against the real backend: log-in, offline, language, layout, axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import demo_login, inject_axe

pytestmark = pytest.mark.e2e

OFFLINE = "Du er offline – dine data gemmes på telefonen"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_home_opens_offline_after_first_visit(page: Page) -> None:
    user = demo_login(page, "leader")
    expect(page.get_by_role("status")).to_have_text("Online")

    # The service worker installs on the first visit and controls the page from the next load.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {user['name']}")

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {user['name']}")
    expect(page.get_by_role("status")).to_have_text(OFFLINE)
    expect(page.get_by_role("link", name="Min profil")).to_be_visible()

    # Only the shell is cached: no API or log-in answer may sit in the service worker's caches.
    cached: list[str] = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys())
                for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
            return urls;
        }"""
    )
    assert "/index.html" in cached
    assert not [u for u in cached if u.startswith(("/api", "/auth"))]


def test_danish_by_default_and_english_persists(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")

    user = demo_login(page, "leader")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello {user['name']}")
    expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello {user['name']}")

    # Back to Danish from the profile's language choice.
    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    page.get_by_role("group", name="Language").get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")
    expect(page.get_by_role("group", name="Sprog").get_by_role("button", name="Dansk")).to_have_attribute(
        "aria-pressed", "true"
    )


def _scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_no_horizontal_scrolling_at_360px(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Demo: vælg en bruger")).to_be_visible()
    assert _scroll_width(page) <= 360, "log-in screen"

    demo_login(page, "leader")
    assert _scroll_width(page) <= 360, "home screen"
    for area, title in (("profile", "Min profil"), ("staff", "Medarbejdere")):
        page.goto(f"/#/{area}")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        page.wait_for_load_state("networkidle")
        assert _scroll_width(page) <= 360, area


def test_tablet_renders_home(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 1024, "height": 768}).new_page()
    demo_login(page, "leader")
    expect(page.locator(".tile")).not_to_have_count(0)
    expect(page.get_by_role("link", name="Min profil")).to_be_visible()
    assert _scroll_width(page) <= 1024


def _axe_violations(page: Page) -> list[dict[str, Any]]:
    inject_axe(page)
    result = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", AXE_TAGS)
    return list(result["violations"])


def _describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations
    )


def test_axe_finds_no_wcag_aa_violations(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Demo: vælg en bruger")).to_be_visible()
    violations = _axe_violations(page)
    assert not violations, f"log-in screen:\n{_describe(violations)}"

    demo_login(page, "leader")
    violations = _axe_violations(page)
    assert not violations, f"home screen:\n{_describe(violations)}"

    for route, title in (("profile", "Min profil"), ("staff", "Medarbejdere"), ("tilgaengelighed", None)):
        page.goto(f"/#/{route}")
        if title:
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
        page.wait_for_load_state("networkidle")
        violations = _axe_violations(page)
        assert not violations, f"#/{route}:\n{_describe(violations)}"
