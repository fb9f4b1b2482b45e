"""pytest fixtures that start a real OpenID provider (panva/oidc-provider, tests/oidc/provider.mjs).

Load with ``pytest_plugins = ["tests.oidc.fixture"]`` in tests/conftest.py (or ``-p tests.oidc.fixture``).

Fixtures:
- ``oidc_redirect_uris`` (session): the redirect_uris registered for the client ``felt-test``.
  oidc-provider compares redirect URIs exactly, so override this fixture in a conftest.py to register
  e.g. ``http://127.0.0.1:<port>/auth/callback`` of a live server.
- ``oidc_accounts`` (session): the provider's accounts ``{sub: claims}``; defaults to ``DEFAULT_ACCOUNTS``.
  Override it to start with other accounts, or call ``OidcProvider.add_account`` while it runs.
- ``oidc_provider`` (session): starts the provider, yields an :class:`OidcProvider`, stops it at the end.

The provider's log-in page (oidc-provider's devInteractions) accepts any password; a login name logs in
as the account with that sub. A login name that is not in the accounts still logs in, as a user with no
claims but ``sub`` (an IdP user Felt knows nothing about). Consent to ``felt-test`` is automatic.
``OidcProvider.login`` drives those pages over plain HTTP.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

OIDC_DIR = Path(__file__).resolve().parent
PROVIDER_SCRIPT = OIDC_DIR / "provider.mjs"
NODE_MODULES_MARKER = OIDC_DIR / "node_modules" / "oidc-provider" / "package.json"

CLIENT_ID = "felt-test"
CLIENT_SECRET = "felt-test-secret"
DEFAULT_REDIRECT_URI = "https://testserver.local/auth/callback"
START_TIMEOUT_S = 20.0

DEFAULT_ACCOUNTS: dict[str, dict[str, Any]] = {
    "anna": {
        "name": "Anna Ansatt",
        "email": "anna@example.test",
        "employee_number": "10001",
        "unit": "SKOLE",
        "groups": ["felt-employee"],
    },
    "lars": {
        "name": "Lars Leder",
        "email": "lars@example.test",
        "employee_number": "10002",
        "unit": "SKOLE",
        "groups": ["felt-employee", "felt-leader"],
    },
    "nina": {
        "name": "Nina Ukjent",
        "email": "nina@example.test",
        "employee_number": "10003",
        "unit": "NOPE",
        "groups": ["felt-leader"],
    },
    "admin1": {
        "name": "Ada Admin",
        "email": "admin1@example.test",
        "employee_number": "10004",
        "unit": "ADM",
        "groups": ["felt-admin"],
    },
}


class OidcLoginError(AssertionError):
    """The provider's log-in pages did not end in a redirect to the client."""


@dataclass
class OidcProvider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    accounts: dict[str, dict[str, Any]]
    accounts_file: Path
    stderr_file: Path = field(repr=False)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def openid_configuration(self) -> dict[str, Any]:
        response = httpx.get(self.discovery_url, timeout=10)
        response.raise_for_status()
        return response.json()

    def add_account(self, sub: str, **claims: Any) -> None:
        """Add or replace an account; the running provider sees it on its next lookup."""
        self.accounts[sub] = claims
        _write_accounts(self.accounts_file, self.accounts)

    def stderr(self) -> str:
        """What the provider printed to stderr so far (warnings, logged errors)."""
        return self.stderr_file.read_text(errors="replace")

    def login(
        self,
        http_client: httpx.Client | None,
        authorize_url: str,
        login_name: str,
        *,
        password: str = "any-password",
        max_steps: int = 20,
    ) -> str:
        """Log in as ``login_name`` at the provider, starting at ``authorize_url``.

        Follows the provider's redirects and submits its forms (login, and consent if it is ever
        asked), and returns the URL of the redirect that leaves the provider — the client's
        redirect_uri with ``code``, ``state`` and ``iss`` (or ``error``) — without following it.

        ``http_client`` carries the provider's cookies (its session). Pass ``None`` for a fresh
        browser-like client per call (no single sign-on from an earlier log-in); pass your own
        ``httpx.Client`` to keep the provider session between calls.
        """
        client = http_client if http_client is not None else httpx.Client(timeout=10)
        try:
            return self._drive(client, authorize_url, login_name, password, max_steps)
        finally:
            if http_client is None:
                client.close()

    def _drive(self, client: httpx.Client, url: str, login_name: str, password: str, max_steps: int) -> str:
        method, data = "GET", None
        logins_submitted = 0
        for _ in range(max_steps):
            response = client.request(method, url, data=data, follow_redirects=False)
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if not self._is_provider_url(location):
                    return location
                url, method, data = location, "GET", None
                continue
            form = _first_post_form(response.text) if response.status_code == 200 else None
            if form is None:
                raise OidcLoginError(
                    f"provider answered {response.status_code} to {method} {url} without a redirect "
                    f"or a form:\n{_visible_text(response.text)[:2000]}\n--- provider stderr ---\n"
                    f"{self.stderr()[-2000:]}"
                )
            action = urljoin(str(response.url), form.action or str(response.url))
            if not self._is_provider_url(action):
                raise OidcLoginError(
                    f"provider posts a form to {action} (response_mode=form_post?); login() supports "
                    "only redirects back to the client"
                )
            fields = dict(form.hidden)
            if fields.get("prompt") == "login":
                if logins_submitted:
                    raise OidcLoginError(f"provider asked to log in again after login name {login_name!r}")
                fields["login"] = login_name
                fields["password"] = password
                logins_submitted += 1
            url, method, data = action, "POST", fields
        raise OidcLoginError(f"no redirect to the client after {max_steps} steps; last URL {url}")

    def _is_provider_url(self, url: str) -> bool:
        return url == self.issuer or url.startswith(self.issuer + "/")


@dataclass
class _Form:
    action: str
    hidden: list[tuple[str, str]]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._in_post_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._in_post_form = attributes.get("method", "get").lower() == "post"
            if self._in_post_form:
                self.forms.append(_Form(action=attributes.get("action", ""), hidden=[]))
        elif tag == "input" and self._in_post_form and attributes.get("type", "").lower() == "hidden":
            name = attributes.get("name")
            if name:
                self.forms[-1].hidden.append((name, attributes.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _first_post_form(html: str) -> _Form | None:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms[0] if parser.forms else None


def _visible_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    return " ".join(parser.parts) if parser.parts else html


def _write_accounts(path: Path, accounts: dict[str, dict[str, Any]]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(accounts, indent=2))
    tmp.replace(path)  # atomic: the provider never reads a half-written file


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _check_node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "the OIDC tests need Node.js (`node` is not on PATH) to run the test OpenID provider; "
            "run `make test`, which installs it",
            pytrace=False,
        )
    if not NODE_MODULES_MARKER.is_file():
        pytest.fail(
            f"the test OpenID provider's npm packages are missing ({NODE_MODULES_MARKER.parent} not found); "
            "run `make test`, which installs them (npm ci --prefix tests/oidc)",
            pytrace=False,
        )
    return node


def _start(node: str, workdir: Path, accounts_file: Path, redirect_uris: list[str]):
    port = _free_port()
    stdout_file = workdir / "provider.stdout"
    stderr_file = workdir / "provider.stderr"
    env = {
        **os.environ,
        "PORT": str(port),
        "ACCOUNTS_FILE": str(accounts_file),
        "REDIRECT_URIS": ",".join(redirect_uris),
        "NODE_ENV": "test",
    }
    with stdout_file.open("wb") as out, stderr_file.open("wb") as err:
        process = subprocess.Popen(
            [node, str(PROVIDER_SCRIPT)],
            cwd=OIDC_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        for line in stdout_file.read_text(errors="replace").splitlines():
            if line.startswith("READY "):
                return process, line.removeprefix("READY ").strip(), stderr_file
        if process.poll() is not None:
            break
        time.sleep(0.05)
    exited = process.poll() is not None
    _stop(process)
    stderr = stderr_file.read_text(errors="replace")
    what = (
        f"exited with code {process.returncode} before printing READY"
        if exited
        else f"did not print READY within {START_TIMEOUT_S:.0f} s"
    )
    error = _PortTaken if "cannot listen" in stderr else RuntimeError
    raise error(
        f"the test OpenID provider ({PROVIDER_SCRIPT}) {what}.\n"
        f"--- stdout ---\n{stdout_file.read_text(errors='replace')}\n--- stderr ---\n{stderr}"
    )


class _PortTaken(RuntimeError):
    pass


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def oidc_redirect_uris() -> list[str]:
    return [DEFAULT_REDIRECT_URI]


@pytest.fixture(scope="session")
def oidc_accounts() -> dict[str, dict[str, Any]]:
    return copy.deepcopy(DEFAULT_ACCOUNTS)


@pytest.fixture(scope="session")
def oidc_provider(
    tmp_path_factory: pytest.TempPathFactory,
    oidc_redirect_uris: list[str],
    oidc_accounts: dict[str, dict[str, Any]],
) -> Iterator[OidcProvider]:
    node = _check_node()
    workdir = tmp_path_factory.mktemp("oidc-provider")
    accounts_file = workdir / "accounts.json"
    _write_accounts(accounts_file, oidc_accounts)

    for attempt in range(3):  # a free port can be taken between picking and listening
        try:
            process, issuer, stderr_file = _start(node, workdir, accounts_file, oidc_redirect_uris)
            break
        except _PortTaken as error:
            if attempt == 2:
                pytest.fail(str(error), pytrace=False)
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)

    try:
        yield OidcProvider(
            issuer=issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uris=list(oidc_redirect_uris),
            accounts=oidc_accounts,
            accounts_file=accounts_file,
            stderr_file=stderr_file,
        )
    finally:
        _stop(process)
