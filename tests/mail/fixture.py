"""The `smtp_server` fixture: a real SMTP server on 127.0.0.1 (aiosmtpd, in its own thread) that keeps
every message it receives, with Felt's FELT_SMTP_* settings pointing at it. No mocks: Felt's mailer
(backend/mail.py, aiosmtplib) talks SMTP to it as to any mail server."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

SENDER = "felt@felt-kommune.dk"


class Inbox:
    """What the server received, as parsed messages, in order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, count: int = 1, seconds: float = 10) -> list[EmailMessage]:
        """The messages to `address` once there are `count` of them (the sender is a background job)."""
        deadline = time.monotonic() + seconds
        while len(self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.to(address)

    def code_for(self, address: str) -> str:
        """The one-time code in the latest message to `address` ("123 456" → "123456")."""
        body = self.to(address)[-1].get_body(("plain",))
        assert body is not None
        found = re.search(r"(\d{3}) (\d{3})", body.get_content())
        assert found, body.get_content()
        return found.group(1) + found.group(2)


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    with (
        socket.socket() as probe
    ):  # a free port (aiosmtpd checks its server by connecting to the port it was given)
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    monkeypatch.setenv("FELT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FELT_SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("FELT_SMTP_TLS", "off")
    monkeypatch.setenv("FELT_SMTP_FROM", SENDER)
    try:
        yield inbox
    finally:
        controller.stop()
