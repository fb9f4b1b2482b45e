"""How a push message is sent: its size limit, what each answer of the push service means, and when to
try again. Plain Python, tested without a network.

Sources: RFC 8030 (Generic Event Delivery Using HTTP Push): §5.2 TTL, §5.4 Topic (a newer message with
the same topic replaces one not yet delivered; at most 32 base64url characters), §7.3 413 and §6.2 a
410 Gone subscription that must not be used again; RFC 8291 §4 (a push message's encrypted body is at
most 4096 bytes: 86 bytes of aes128gcm header, a 16-byte tag and one padding delimiter byte leave
3993 bytes of plaintext); RFC 9110 §10.2.3 Retry-After (seconds or an HTTP date).
"""

from __future__ import annotations

import enum
import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

MAX_PLAINTEXT = 4096 - 86 - 16 - 1
"""Bytes of JSON a single aes128gcm record can carry (RFC 8291 §4)."""
TTL_S = 24 * 3600
"""How long the push service keeps a message for an offline phone (seconds): a day, then it is stale."""
TIMEOUT_S = 10.0
"""How long one request to a push service may take (seconds) before it counts as failed."""
MAX_ATTEMPTS = 4
"""Tries per message and device, the first included, for 429 and 5xx answers."""
BASE_BACKOFF_S = 30
MAX_BACKOFF_S = 3600


class Outcome(enum.StrEnum):
    SENT = "sent"
    GONE = "gone"
    """404/410: the subscription is dead (unsubscribed, expired): remove it."""
    RETRY = "retry"
    """429 or 5xx, or no answer: try again later."""
    FAILED = "failed"
    """Any other answer (400, 403, 413 …): trying again cannot help."""


def outcome(status: int | None) -> Outcome:
    """What a push service's HTTP status (None: no answer, e.g. a timeout) means for this message."""
    if status is None or status == 429 or 500 <= status <= 599:
        return Outcome.RETRY
    if status in (404, 410):
        return Outcome.GONE
    if 200 <= status <= 299:
        return Outcome.SENT
    return Outcome.FAILED


def retry_delay(attempt: int, retry_after: str | None, now: datetime) -> int:
    """Seconds to wait before try `attempt + 1` (`attempt` ≥ 1 tries made): exponential backoff from 30 s,
    never shorter than the service's Retry-After (seconds or an HTTP date), at most an hour."""
    delay = BASE_BACKOFF_S * 2 ** (attempt - 1)
    asked = _retry_after_s(retry_after, now)
    return min(max(delay, asked), MAX_BACKOFF_S) if asked <= MAX_BACKOFF_S else asked


def _retry_after_s(value: str | None, now: datetime) -> int:
    if not value:
        return 0
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - now).total_seconds() + 0.999))


def topic(name: str) -> str:
    """A valid Topic header (RFC 8030 §5.4: base64url alphabet, at most 32 characters)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", name)[:32]


def encode(payload: dict[str, Any], short: dict[str, Any]) -> bytes:
    """The JSON a push carries: `payload`, or `short` (an "open the app" message) when it does not fit."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    if len(data) <= MAX_PLAINTEXT:
        return data
    return json.dumps(short, ensure_ascii=False, separators=(",", ":")).encode()
