"""Fixtures for the end-to-end tests: the real backend on a free port, and Debian's headless Chromium.

The backend runs as `python -m backend serve` with demo log-in on a fresh copy of a data dir that
`python -m backend migrate` + `seed` made once per test run (demo_data), serving pwa/dist at "/". Pages use 127.0.0.1, a secure context, so the service worker runs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.push.fixture import SUBJECT as PUSH_SUBJECT
from tests.push.service import PushService

REPO = Path(__file__).resolve().parents[2]
PWA = REPO / "pwa"
CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download is not available here: always Debian's Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
STARTUP_SECONDS = 90  # generous: the 2 cores are shared with the other test workers
DATA_DIRS: dict[str, Path] = {}
"""Each served backend's data dir by its base URL, for tests that run a server-side job against it."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pwa_dist() -> Path:
    """The built PWA; built here only when missing (the Makefile normally builds it)."""
    if not (PWA / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PWA, check=True)
    dist = PWA / "dist"
    if not (dist / "index.html").exists():
        subprocess.run(["npm", "run", "build"], cwd=PWA, check=True)
    return dist


def _backend_env(data: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "FELT_DATA_DIR": str(data), "FELT_DEMO_LOGIN": "1", **(extra_env or {})}
    env.pop("FELT_DATABASE_URL", None)  # a SQLite file in the data dir, never a shared database
    return env


def _demo_template(root: Path) -> Path:
    """A data dir migrated and seeded with the demo once per test run, under `root` (shared by the xdist
    workers: the first to come makes it under a file lock, the others wait and reuse it).

    Each served backend starts from a copy of it (the SQLite file and the secret key), which is what
    `python -m backend migrate` + `seed` in a fresh data dir would give, without two more processes
    importing the app, migrating and seeding per server (each server then changes only its own copy).
    """
    template = root / "felt-demo-template"
    with (root / "felt-demo-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (template / READY).exists():
            shutil.rmtree(template, ignore_errors=True)  # a run that failed half-way
            template.mkdir()
            env = _backend_env(template)
            for step in ("migrate", "seed"):
                done = subprocess.run(
                    [sys.executable, "-m", "backend", step],
                    cwd=REPO,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=240,
                )
                if done.returncode:
                    pytest.fail(f"`python -m backend {step}` failed:\n{done.stdout}\n{done.stderr}")
            (template / READY).touch()
    return template


READY = ".ready"


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated, seeded demo data dir that every served backend copies (_demo_template)."""
    base = tmp_path_factory.getbasetemp()
    return _demo_template(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


def _serve(data: Path, pwa_dist: Path, demo: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Serves a fresh backend in `data`, a copy of the seeded demo `demo` (demo_data); yields its base URL."""
    shutil.copytree(demo, data, dirs_exist_ok=True, ignore=shutil.ignore_patterns(READY))
    port = _free_port()
    env = {
        **_backend_env(data, extra_env),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "FELT_PWA_DIST": str(pwa_dist),
    }
    backend = [sys.executable, "-m", "backend"]
    log_path = data / "server.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen([*backend, "serve"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(base, proc, log_path)
        DATA_DIRS[base] = data
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def e2e_push_service() -> Iterator[PushService]:
    """A local push service the test server may send to (tests/push/service.py; test_push_notifications.py)."""
    service = PushService().start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, pwa_dist: Path, demo_data: Path, e2e_push_service: PushService
) -> Iterator[str]:
    push = {"FELT_VAPID_SUBJECT": PUSH_SUBJECT, "FELT_PUSH_SERVICES": e2e_push_service.origin}
    yield from _serve(tmp_path_factory.mktemp("felt-data"), pwa_dist, demo_data, push)


@pytest.fixture(scope="session")
def sync_server(tmp_path_factory: pytest.TempPathFactory, pwa_dist: Path, demo_data: Path) -> Iterator[str]:
    """A backend that also knows the test record type "note" (tests/sync_types.py; it has no tables or
    demo data of its own, so the shared demo copy fits it)."""
    yield from _serve(
        tmp_path_factory.mktemp("felt-sync-data"),
        pwa_dist,
        demo_data,
        {"FELT_EXTRA_WORKFLOWS": "tests.sync_types:NOTES"},
    )


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    # No proxy for loopback, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the backend exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with opener.open(f"{base}/api/health", timeout=2) as res:
                if res.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the backend did not answer /api/health within {STARTUP_SECONDS} s:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _contexts(browser: Browser, base_url: str) -> Iterator[Callable[..., BrowserContext]]:
    made: list[BrowserContext] = []
    refused: list[str] = []

    def watch(page: Page) -> None:
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)

    def make(**options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 390, "height": 844})
        ctx = browser.new_context(base_url=base_url, locale="da-DK", **options)
        ctx.on("page", watch)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()
    # The PWA runs under the server's Content-Security-Policy: nothing it does may be refused.
    assert not refused, refused


AXE = PWA / "node_modules" / "axe-core" / "axe.min.js"


def inject_axe(page: Page) -> None:
    """Load axe-core into the page the way DevTools would: evaluated, not as an inline <script>, which
    the app's Content-Security-Policy refuses."""
    page.evaluate("() => { " + AXE.read_text() + "\n}")
    assert page.evaluate("typeof window.axe") == "object"


@pytest.fixture
def new_context(browser: Browser, server: str) -> Iterator[Callable[..., BrowserContext]]:
    """Makes fresh browser profiles (no cookies, storage or service worker) on the test server."""
    yield from _contexts(browser, server)


@pytest.fixture
def sync_context(browser: Browser, sync_server: str) -> Iterator[Callable[..., BrowserContext]]:
    """Like new_context, on the server that knows the "note" record type: each profile is one device."""
    yield from _contexts(browser, sync_server)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


def demo_login(page: Page, role: str) -> dict[str, Any]:
    """Opens the log-in screen and picks the first demo user who has `role`; waits for the home screen."""
    page.goto("/")
    expect(page.get_by_role("heading", name="Demo: vælg en bruger")).to_be_visible()
    users = page.request.get("/auth/demo/users").json()
    user = next(u for u in users if role in u["roles"])
    page.get_by_role("button", name=user["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hej {user['name']}")
    return dict(user)
