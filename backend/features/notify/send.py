"""Sending one message to a person's devices through pywebpush: encrypted (aes128gcm, RFC 8291),
signed (VAPID, RFC 8292), with a TTL, a timeout and a Topic. Called by the jobs only.

Each request gets a fresh claims dict: pywebpush writes `aud` and `exp` into the dict it is given, so a
shared one would carry the first push service's `aud` to every other service (and they refuse it).
Requests run in threads, a few at a time; one device's failure never stops the others.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import requests
from pywebpush import WebPushException, webpush

from backend.features.notify.models import PushSubscription
from backend.features.notify.rules.delivery import TIMEOUT_S, TTL_S, Outcome, encode, outcome, topic
from backend.features.notify.vapid import Identity

log = logging.getLogger("felt.notify")
PARALLEL = 8

OPEN_THE_APP = {
    "da": ("Felt", "Der er nyt i Felt. Åbn appen for at se det."),
    "en": ("Felt", "There is news in Felt. Open the app to see it."),
}


@dataclass(frozen=True)
class Sent:
    subscription_id: int
    outcome: Outcome
    status: int | None
    retry_after: str | None = None


def payload(message: dict[str, Any], lang: str) -> bytes:
    """The JSON the service worker receives, in the device's language; an "open the app" message when
    the whole would not fit in one push (4 KB)."""
    i = 1 if lang == "en" else 0
    title, body = message["title"][i], message["body"][i]
    full = {"title": title, "body": body, "url": message.get("url") or "/", "tag": message.get("topic")}
    short_title, short_body = OPEN_THE_APP["en" if i else "da"]
    short = {"title": short_title, "body": short_body, "url": full["url"], "tag": full["tag"]}
    return encode(full, short)


def _post(identity: Identity, sub: dict[str, Any], data: bytes, headers: dict[str, str], ttl: int) -> Sent:
    try:
        response = webpush(
            subscription_info=sub["info"],
            data=data.decode(),
            vapid_private_key=identity.vapid,
            vapid_claims={"sub": identity.subject or ""},  # fresh per request: pywebpush writes into it
            ttl=ttl,
            timeout=TIMEOUT_S,
            headers=dict(headers),
        )
    except WebPushException as exc:
        status = exc.status_code
        return Sent(sub["id"], outcome(status), status, exc.retry_after)
    except requests.RequestException as exc:  # no answer: a timeout, a refused connection
        log.warning("push to subscription %s got no answer: %s", sub["id"], exc)
        return Sent(sub["id"], Outcome.RETRY, None)
    status = getattr(response, "status_code", 201)
    return Sent(sub["id"], outcome(status), status)


def as_target(subscription: PushSubscription) -> dict[str, Any]:
    """What a send needs of a subscription, read before any network wait (no ORM object in threads)."""
    return {
        "id": subscription.id,
        "lang": subscription.lang,
        "info": {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        },
    }


async def deliver(
    identity: Identity,
    targets: list[dict[str, Any]],
    data_for: dict[int, bytes],
    topic_name: str | None,
    ttl: int = TTL_S,
) -> list[Sent]:
    """POST each target's data (`data_for[target id]`) at once, at most PARALLEL at a time; an outcome
    for each, never an exception."""
    headers = {"Urgency": "normal"}
    if topic_name:
        headers["Topic"] = topic(topic_name)
    gate = asyncio.Semaphore(PARALLEL)

    async def one(target: dict[str, Any]) -> Sent:
        async with gate:
            try:
                return await asyncio.to_thread(_post, identity, target, data_for[target["id"]], headers, ttl)
            except Exception:  # a bug or a broken key must not stop the batch
                log.exception("push to subscription %s failed", target["id"])
                return Sent(target["id"], Outcome.FAILED, None)

    return list(await asyncio.gather(*(one(t) for t in targets)))
