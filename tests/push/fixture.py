"""The `push_service` fixture: a local push service (tests/push/service.py) the server may POST to, with
a VAPID subject set, for tests that send notifications."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.push.service import PushService

SUBJECT = "mailto:it-drift@felt-kommune.dk"


@pytest.fixture
def push_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[PushService]:
    service = PushService().start()
    monkeypatch.setenv("FELT_VAPID_SUBJECT", SUBJECT)
    monkeypatch.setenv("FELT_PUSH_SERVICES", service.origin)
    try:
        yield service
    finally:
        service.stop()
