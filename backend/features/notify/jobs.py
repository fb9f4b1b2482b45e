"""The notification jobs that send: to people as they chose, one device again after a busy answer, and
whoever decides for a unit when something starts waiting for them. Every send happens in a job, never in
a request. The morning's reminders and digests: morning.py."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal, Role
from backend.auth.sessions import load_grants
from backend.clock import today
from backend.db.base import utcnow
from backend.db.models import OrgUnit, User
from backend.features.inbox.deciders import who_decides
from backend.features.inbox.service import inbox
from backend.features.notify.emit import Text, message
from backend.features.notify.models import NotifyPreference, PendingMessage, PushSubscription
from backend.features.notify.rules.delivery import MAX_ATTEMPTS, TTL_S, Outcome, retry_delay
from backend.features.notify.send import as_target, deliver, payload
from backend.features.notify.vapid import identity
from backend.jobs.queue import enqueue
from backend.platform import Platform
from backend.settings import load_settings

log = logging.getLogger("felt.notify")
RETRY = "notify.retry"


async def send_now(db: AsyncSession, user_ids: list[int], msg: dict[str, Any]) -> int:
    """Push `msg` to every device of `user_ids` now; returns how many devices accepted it. Dead
    subscriptions (404/410) are removed, 429/5xx are retried later by their own job."""
    me = identity(load_settings())
    if me.subject is None or not user_ids:
        return 0
    subs = (
        await db.scalars(
            select(PushSubscription)
            .join(User, User.id == PushSubscription.user_id)
            .where(PushSubscription.user_id.in_(user_ids), User.active.is_(True))  # leavers hear nothing
        )
    ).all()
    targets = [as_target(s) for s in subs]
    if not targets:
        return 0
    data = {t["id"]: payload(msg, t["lang"]) for t in targets}
    await db.commit()  # no transaction stays open while the push services answer
    results = await deliver(me, targets, data, msg.get("topic"))
    return await _settle(
        db, results, data, msg.get("topic"), attempt=1, expires=utcnow() + timedelta(seconds=TTL_S)
    )


async def _settle(
    db: AsyncSession,
    results: list[Any],
    data: dict[int, bytes],
    topic: str | None,
    attempt: int,
    expires: datetime,
) -> int:
    gone = [r.subscription_id for r in results if r.outcome is Outcome.GONE]
    if gone:
        await db.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
    now = utcnow()
    for r in results:
        if r.outcome is Outcome.FAILED:
            log.warning("push to subscription %s refused with %s; not retried", r.subscription_id, r.status)
        if r.outcome is not Outcome.RETRY:
            continue
        when = now + timedelta(seconds=retry_delay(attempt, r.retry_after, now))
        if attempt >= MAX_ATTEMPTS or when >= expires:
            log.warning(
                "push to subscription %s given up after %d tries (%s)", r.subscription_id, attempt, r.status
            )
            continue
        await enqueue(
            db,
            RETRY,
            {
                "subscription_id": r.subscription_id,
                "data": data[r.subscription_id].decode(),
                "topic": topic,
                "attempt": attempt + 1,
                "expires": expires.isoformat(),
            },
            run_after=when,
        )
    return sum(1 for r in results if r.outcome is Outcome.SENT)


async def _preferences(db: AsyncSession, user_ids: list[int]) -> dict[int, NotifyPreference]:
    rows = await db.scalars(select(NotifyPreference).where(NotifyPreference.user_id.in_(user_ids)))
    return {p.user_id: p for p in rows}


async def notify(db: AsyncSession, user_ids: list[int], msg: dict[str, Any]) -> None:
    """`msg` to each person as they chose: not at all (category off), in the morning's digest, or now."""
    prefs = await _preferences(db, user_ids)
    now_ids = []
    for uid in user_ids:
        pref = prefs.get(uid)
        if pref is not None and msg["category"] in pref.off:
            continue
        if pref is not None and pref.digest and msg["category"] != "reminders":
            db.add(PendingMessage(user_id=uid, message=msg))
        else:
            now_ids.append(uid)
    await db.flush()
    await send_now(db, now_ids, msg)


async def send_job(db: AsyncSession, platform: Platform, payload_: dict[str, Any]) -> None:
    """notify.send {"to": [user ids], "message": {...}} (emit.to_people)."""
    await notify(db, [int(u) for u in payload_["to"]], payload_["message"])


async def retry_job(db: AsyncSession, platform: Platform, payload_: dict[str, Any]) -> None:
    """notify.retry: one device's message again after a 429/5xx, at the time the backoff chose."""
    sub = await db.get(PushSubscription, int(payload_["subscription_id"]))
    me = identity(load_settings())
    if sub is None or me.subject is None:
        return
    target = as_target(sub)
    data = {sub.id: payload_["data"].encode()}
    expires = datetime.fromisoformat(payload_["expires"])
    ttl = max(1, int((expires - utcnow()).total_seconds()))
    await db.commit()
    results = await deliver(me, [target], data, payload_.get("topic"), ttl=ttl)
    await _settle(db, results, data, payload_.get("topic"), int(payload_["attempt"]), expires)


async def _principal(db: AsyncSession, user_id: int, platform: Platform) -> Principal | None:
    row = (
        await db.execute(
            select(User.municipality_id, User.name, User.unit_id, OrgUnit.path)
            .outerjoin(OrgUnit, OrgUnit.id == User.unit_id)
            .where(User.id == user_id, User.active.is_(True))
        )
    ).first()
    if row is None:
        return None
    grants = await load_grants(db, user_id)
    return platform.principal(Principal(user_id, row[0], row[1], row[2], grants, row[3]))


async def waiting_count(db: AsyncSession, platform: Platform, user_id: int) -> int:
    """How many items wait in `user_id`'s inbox (0 for someone who has left)."""
    principal = await _principal(db, user_id, platform)
    return len(await inbox(db, principal, platform)) if principal else 0


def waiting_message(count: int) -> dict[str, Any]:
    """ "N items wait for your decision", replacing the last such message on the device (its topic)."""
    title = Text(
        f"{count} ting venter på din beslutning",
        f"{count} {'items wait' if count != 1 else 'item waits'} for your decision",
    )
    body = Text("Åbn indbakken for at se dem.", "Open the inbox to see them.")
    return message("waiting", title, body, "/#/inbox", topic="waiting")


def roles_for(platform: Platform, capability: str) -> frozenset[Role]:
    return platform.capabilities.get(capability, frozenset())


async def waiting_job(db: AsyncSession, platform: Platform, payload_: dict[str, Any]) -> None:
    """notify.waiting {"unit_id", "capability"}: whoever decides for the unit today hears how many items
    wait for them; one message with the topic "waiting", so a newer count replaces an older one."""
    roles = roles_for(platform, payload_["capability"])
    if not roles or payload_.get("unit_id") is None:
        return
    unit = await db.get(OrgUnit, int(payload_["unit_id"]))
    if unit is None:
        return
    deciders = await who_decides(db, unit.municipality_id, unit.path, today(), roles=roles)
    for uid in dict.fromkeys(d.user_id for d in deciders):
        count = await waiting_count(db, platform, uid)
        if count:
            await notify(db, [uid], waiting_message(count))
