"""The morning's notifications (07:00 Danish time): reminders before each municipality's payroll cut-off
(rules/reminders.py) and the quiet digests of those who chose one."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.clock import DANISH_TIME
from backend.db.models import Municipality, RoleAssignment
from backend.db.sync_tables import SYNC
from backend.features.notify.emit import Text, message
from backend.features.notify.jobs import notify, roles_for, send_now, waiting_count
from backend.features.notify.models import NotifyPreference, PendingMessage, ReminderDays
from backend.features.notify.rules.reminders import reminder_day
from backend.features.payroll.cutoff import Month, cutoff_date
from backend.jobs.queue import enqueue
from backend.platform import Platform
from sync.registry import OWNER

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


def _leaders_reminder(count: int, cutoff: date) -> dict[str, Any]:
    title = Text(
        f"{count} ting venter på din beslutning",
        f"{count} {'items wait' if count != 1 else 'item waits'} for your decision",
    )
    body = Text(
        f"Lønstop er {cutoff.day}. {MONTHS_DA[cutoff.month - 1]}: det, du godkender før, kommer med lønnen.",
        f"The payroll cut-off is {cutoff.day} {MONTHS_EN[cutoff.month - 1]}: what you approve before it is paid.",
    )
    return message("reminders", title, body, "/#/inbox", topic="waiting")


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
                roles |= roles_for(platform, str(t.by))
    user_ids = (
        await db.scalars(
            select(RoleAssignment.user_id)
            .where(RoleAssignment.municipality_id == municipality_id, RoleAssignment.role.in_(sorted(roles)))
            .distinct()
        )
    ).all()
    for uid in sorted(user_ids):
        if count := await waiting_count(db, platform, uid):
            await notify(db, [uid], _leaders_reminder(count, cutoff))


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
        await send_now(db, [pref.user_id], msg)
        await db.commit()
