"""The notification jobs: sending to people, retrying one device, telling deciders what waits, and the
morning's reminders and digests. Every send happens here, never in a request."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal, Role
from backend.auth.sessions import load_grants
from backend.clock import DANISH_TIME, today
from backend.db.base import utcnow
from backend.db.models import Municipality, OrgUnit, RoleAssignment, User
from backend.db.sync_tables import SYNC
from backend.features.inbox.service import inbox
from backend.features.notify.emit import Text, message
from backend.features.notify.models import NotifyPreference, PendingMessage, PushSubscription, ReminderDays
from backend.features.notify.rules.delivery import MAX_ATTEMPTS, TTL_S, Outcome, retry_delay
from backend.features.notify.rules.reminders import reminder_day
from backend.features.notify.send import as_target, deliver, payload
from backend.features.notify.vapid import identity
from backend.features.org.deciders import who_decides
from backend.features.payroll.cutoff import Month, cutoff_date
from backend.jobs.queue import enqueue
from backend.platform import Platform
from backend.settings import load_settings
from sync.registry import OWNER

log = logging.getLogger("felt.notify")
RETRY = "notify.retry"
DAILY = "notify.daily"
MORNING = "notify.morning"
MORNING_AT = time(7, 0)
"""Reminders and digests go out at 07:00 Danish time, not at the midnight the daily job starts."""
MONTHS_DA = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


async def _send_now(db: AsyncSession, user_ids: list[int], msg: dict[str, Any]) -> int:
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
    await _send_now(db, now_ids, msg)


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
    return len(await inbox(db, principal, platform.registry)) if principal else 0


def _waiting_message(count: int, cutoff: date | None = None) -> dict[str, Any]:
    title = Text(
        f"{count} ting venter på din beslutning",
        f"{count} {'items wait' if count != 1 else 'item waits'} for your decision",
    )
    if cutoff is None:
        body = Text("Åbn indbakken for at se dem.", "Open the inbox to see them.")
        return message("waiting", title, body, "/#/inbox", topic="waiting")
    body = Text(
        f"Lønstop er {cutoff.day}. {MONTHS_DA[cutoff.month - 1]}: det, du godkender før, kommer med lønnen.",
        f"The payroll cut-off is {cutoff.day} {MONTHS_EN[cutoff.month - 1]}: what you approve before it is paid.",
    )
    return message("reminders", title, body, "/#/inbox", topic="waiting")


def _roles_for(platform: Platform, capability: str) -> frozenset[Role]:
    return platform.capabilities.get(capability, frozenset())


async def waiting_job(db: AsyncSession, platform: Platform, payload_: dict[str, Any]) -> None:
    """notify.waiting {"unit_id", "capability"}: whoever decides for the unit today hears how many items
    wait for them; one message with the topic "waiting", so a newer count replaces an older one."""
    roles = _roles_for(platform, payload_["capability"])
    if not roles or payload_.get("unit_id") is None:
        return
    deciders = await who_decides(db, int(payload_["unit_id"]), today(), roles)
    for uid in deciders:
        count = await waiting_count(db, platform, uid)
        if count:
            await notify(db, [uid], _waiting_message(count))


def _unsent_states(platform: Platform) -> dict[str, set[str]]:
    """Per record type, the states its subject still has to send it from: sources of the subject's own
    steps that move it on (not back to the start, as a withdrawal does)."""
    found: dict[str, set[str]] = {}
    for name in platform.registry.names():
        rt = platform.registry.get(name)
        assert rt is not None
        states = {
            s for t in rt.transitions if t.by == OWNER and t.target != rt.initial_state for s in t.source
        }
        if states:
            found[name] = states
    return found


async def daily_job(db: AsyncSession, platform: Platform, payload_: dict[str, Any]) -> None:
    """notify.daily (once a Danish day): the morning's reminders and digests, at 07:00."""
    day = date.fromisoformat(payload_["day"])
    at = datetime.combine(day, MORNING_AT, DANISH_TIME).astimezone(UTC)
    await enqueue(
        db, MORNING, {"day": day.isoformat()}, dedupe_key=f"{MORNING}:{day.isoformat()}", run_after=at
    )


async def morning_job(db: AsyncSession, platform: Platform, payload_: dict[str, Any]) -> None:
    """notify.morning {"day"}: reminders before each municipality's payroll cut-off, then digests."""
    day = date.fromisoformat(payload_["day"])
    for m in (await db.scalars(select(Municipality))).all():
        await remind(db, platform, m, day)
    await send_digests(db, platform)


async def remind(db: AsyncSession, platform: Platform, m: Municipality, day: date) -> None:
    """On the reminder day of a cut-off: employees with items not sent, leaders with items waiting."""
    days = await db.get(ReminderDays, m.id)
    month = Month.of(day)
    cutoffs = [cutoff_date(month, m.payroll_cutoff_day), cutoff_date(month.following(), m.payroll_cutoff_day)]
    own_e, own_l = (days.employees_day, days.leaders_day) if days else (None, None)
    for_employees = next((c for c in cutoffs if reminder_day(c, own_e) == day), None)
    for_leaders = next((c for c in cutoffs if reminder_day(c, own_l) == day), None)
    if for_employees is not None:
        await _remind_employees(db, platform, m.id, for_employees)
    if for_leaders is not None:
        await _remind_leaders(db, platform, m.id, for_leaders)


async def _remind_employees(db: AsyncSession, platform: Platform, municipality_id: int, cutoff: date) -> None:
    r = SYNC.record.c
    counts: defaultdict[int, int] = defaultdict(int)
    for type_name, states in _unsent_states(platform).items():
        rows = await db.execute(
            select(r.owner_id, func.count())
            .where(
                r.municipality_id == municipality_id,
                r.type == type_name,
                r.state.in_(sorted(states)),
                r.deleted.is_(False),
                r.owner_id.is_not(None),
            )
            .group_by(r.owner_id)
        )
        for owner_id, n in rows:
            counts[int(owner_id)] += int(n)
    when = f"{cutoff.day}. {MONTHS_DA[cutoff.month - 1]}"
    when_en = f"{cutoff.day} {MONTHS_EN[cutoff.month - 1]}"
    for uid, n in sorted(counts.items()):
        msg = message(
            "reminders",
            Text(f"Du har {n} ting, der ikke er sendt", f"You have {n} item{'s' if n != 1 else ''} not sent"),
            Text(
                f"Send dem før lønstop {when}, så de kommer med lønnen.",
                f"Send them before the payroll cut-off on {when_en} to be paid with this salary.",
            ),
            "/",
            topic="unsent",
        )
        await notify(db, [uid], msg)


async def _remind_leaders(db: AsyncSession, platform: Platform, municipality_id: int, cutoff: date) -> None:
    roles: set[Role] = set()
    for name in platform.registry.names():
        rt = platform.registry.get(name)
        assert rt is not None
        for t in rt.transitions:
            if t.waits and t.by != OWNER:
                roles |= _roles_for(platform, str(t.by))
    user_ids = (
        await db.scalars(
            select(RoleAssignment.user_id)
            .where(RoleAssignment.municipality_id == municipality_id, RoleAssignment.role.in_(sorted(roles)))
            .distinct()
        )
    ).all()
    for uid in sorted(user_ids):
        if count := await waiting_count(db, platform, uid):
            await notify(db, [uid], _waiting_message(count, cutoff))


async def send_digests(db: AsyncSession, platform: Platform) -> None:
    """One quiet message to each person who chose the digest: what was kept for them since the last one,
    and how many items wait for their decision. Nothing when there is nothing."""
    users = (await db.scalars(select(NotifyPreference).where(NotifyPreference.digest.is_(True)))).all()
    for pref in users:
        kept = (
            await db.scalars(
                select(PendingMessage)
                .where(PendingMessage.user_id == pref.user_id)
                .order_by(PendingMessage.id)
            )
        ).all()
        waiting = 0 if "waiting" in pref.off else await waiting_count(db, platform, pref.user_id)
        lines_da = [m.message["title"][0] for m in kept]
        lines_en = [m.message["title"][1] for m in kept]
        if waiting:
            lines_da.insert(0, f"{waiting} ting venter på din beslutning")
            lines_en.insert(0, f"{waiting} item{'s' if waiting != 1 else ''} waiting for your decision")
        if not lines_da:
            continue
        msg = message(
            "follows",
            Text("Felt: dit overblik", "Felt: your summary"),
            Text("\n".join(lines_da), "\n".join(lines_en)),
            "/#/inbox" if waiting else "/",
            topic="digest",
        )
        if kept:
            await db.execute(delete(PendingMessage).where(PendingMessage.id.in_([m.id for m in kept])))
        await _send_now(db, [pref.user_id], msg)
        await db.commit()
