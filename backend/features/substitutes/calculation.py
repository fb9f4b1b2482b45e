"""The rules applied on the server: each substitute's open entries get their pay basis on every push,
an entry overlapping another of hers is refused in words, and approved entries pay through the shared
payroll feed (hours, minimum-time top-up and each supplement as its own wage type).

The pay basis (`calc`, rules/pay.py) is written as a server change, so it reaches the phone with the
push's answer and the next pull. Approved entries keep what was approved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import OrgUnit
from backend.db.sync_tables import SYNC
from backend.features.substitutes import settings
from backend.features.substitutes.models import SubstituteRate
from backend.features.substitutes.record_type import ENTRY_TYPE, OPEN_STATES
from backend.features.substitutes.rules import deadline
from backend.features.substitutes.rules.minimum_time import Worked, top_ups
from backend.features.substitutes.rules.monthly_pay import MonthlyPay, monthly_pay
from backend.features.substitutes.rules.overlap import Span, first_overlap, overlap_message
from backend.features.substitutes.rules.pay import ORE, hours, pay_basis, worked_minutes
from backend.features.substitutes.rules.profiles import Profile, for_unit_kind
from backend.features.workflow import Change, Effect, Payable, PayLine, Refuse, WageType
from backend.features.worktime.supplements import load_tables
from backend.features.worktime.wallclock import at, local, parse_clock, place
from sync import engine
from sync.apply import Record

HOURS = WageType("substitute_hours", "Vikartimer", "Substitute hours", "VIK-TIM")
TOP_UP = WageType(
    "substitute_top_up", "Vikar, minimumsbetaling", "Substitute, minimum-time top-up", "VIK-MIN"
)
SUPPLEMENTS = {
    kind.key: WageType(
        f"substitute_{kind.key}",
        f"Vikar, {kind.name_da.lower()}",
        f"Substitute, {kind.name_en.lower()}",
        f"VIK-{kind.key[:6].upper()}",
    )
    for table in load_tables().values()
    for kind in table.kinds
}
WAGE_TYPES = (HOURS, TOP_UP, *SUPPLEMENTS.values())


def entry_span(fields: Mapping[str, Any]) -> tuple[datetime, datetime | None] | None:
    """(start, end) as aware datetimes from the entry's date and clock times; end None while checked
    in; None while the date or start is missing or unreadable."""
    try:
        day = date.fromisoformat(str(fields.get("date")))
        start = parse_clock(str(fields.get("start")))
        end = parse_clock(str(fields["end"])) if fields.get("end") else None
    except ValueError:
        return None
    if end is None:
        return at(day, start), None
    return place(day, time(start // 60, start % 60), time(end // 60, end % 60))


async def _units(db: AsyncSession, ids: set[int]) -> dict[int, tuple[str, str | None]]:
    rows = await db.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.kind).where(OrgUnit.id.in_(ids)))
    return {uid: (name, kind) for uid, name, kind in rows}


async def _rates(db: AsyncSession, municipality_id: int) -> list[SubstituteRate]:
    rows = await db.scalars(
        select(SubstituteRate)
        .where(SubstituteRate.municipality_id == municipality_id)
        .order_by(SubstituteRate.effective_from)
    )
    return list(rows)


def registered_at(record: Record, now: datetime) -> datetime:
    """When she sent it (its last "submit"), or `now` while not sent."""
    if record.state in ("draft", "rejected"):
        return now
    step = next((h for h in reversed(record.history) if h["transition"] == "submit"), None)
    return datetime.fromisoformat(step["at"]) if step else now


def _just_sent(record: Record) -> bool:
    """Being written or sent by her now (not a decision by someone else on it)."""
    last = record.history[-1]["transition"] if record.history else None
    return record.state == "draft" or (record.state == "registered" and last == "submit")


def _hourly(rates: Sequence[SubstituteRate], profile: str, day: date) -> Decimal | None:
    found = None
    for r in rates:
        if r.profile == profile and r.effective_from <= day:
            found = Decimal(r.hourly_kr)
    return found


def _flag(flag: MonthlyPay) -> dict[str, Any]:
    """The right to monthly pay as the entry shows it to her, the secretary and payroll."""
    hours = f"{flag.weekly_minutes / 60:.2f}"
    since = f"{flag.since.day}/{flag.since.month} {flag.since.year}"
    if flag.status == "right":
        da = f"Ret til månedsløn fra {since}: en sammenhængende måned med i gennemsnit {hours.replace('.', ',')} timer om ugen. Lønkontoret skal overføre til månedsløn."
        en = f"Right to monthly pay from {since}: one unbroken month averaging {hours} hours a week. Payroll must move her to monthly pay."
    else:
        da = f"En sammenhængende måned fra {since} med i gennemsnit {hours.replace('.', ',')} timer om ugen (ikke over grænsen): hun kan vælge månedsløn."
        en = f"One unbroken month from {since} averaging {hours} hours a week (not above the limit): she may choose monthly pay."
    return {"status": flag.status, "since": flag.since.isoformat(), "code": "monthly_pay", "da": da, "en": en}


def _no_profile(unit_name: str) -> dict[str, Any]:
    return {
        "unit_name": unit_name,
        "amount": None,
        "problems": [
            {
                "code": "no_profile",
                "da": f"{unit_name} har ingen overenskomst for vikarer i Felt; lønkontoret skal vælge den.",
                "en": f"{unit_name} has no substitutes' agreement in Felt; payroll must choose it.",
            }
        ],
    }


def calculate(
    entries: Sequence[Record],
    units: Mapping[int, tuple[str, str | None]],
    rates: Sequence[SubstituteRate],
    rule: deadline.Deadline | None = None,
    now: datetime | None = None,
) -> dict[UUID, dict[str, Any]]:
    """The calc of each entry with a full span (one substitute's, not rejected or deleted), with the
    municipality's deadline as the entry shows it."""
    rule = rule or deadline.default()
    now = now or datetime.now(UTC)
    tables = load_tables()
    full: list[tuple[Record, datetime, datetime, int, Profile | None, str]] = []
    for e in entries:
        got = entry_span(e.fields)
        if got is None or got[1] is None:
            continue
        name, kind = units.get(e.unit_id or 0, ("?", None))
        try:
            worked = worked_minutes(got[0], got[1], int(e.fields.get("break_minutes") or 0))
        except ValueError:
            continue
        full.append((e, got[0], got[1], worked, for_unit_kind(kind), name))
    added: dict[str, int] = {}
    flags: dict[str, MonthlyPay | None] = {}
    for key in {p.key for *_, p, _ in full if p is not None}:
        same = [(e, s, w, p) for e, s, _, w, p, _ in full if p is not None and p.key == key]
        profile = same[0][3]
        per_day: dict[date, int] = {}
        for _e, s, w, _p in same:
            per_day[local(s).date()] = per_day.get(local(s).date(), 0) + w
        flags[key] = monthly_pay(per_day, profile.monthly_pay_weekly_minutes)
        added |= top_ups(
            [
                Worked(str(e.id), local(s).date(), local(s).hour * 60 + local(s).minute, w)
                for e, s, w, _ in same
            ],
            profile.minimum_minutes,
            profile.minimum_per,
        )
    calcs = {}
    for e, start, end, _worked, found, name in full:
        if found is None:
            calcs[e.id] = _no_profile(name)
            continue
        flag = flags.get(found.key)
        calcs[e.id] = {
            "deadline": deadline.status(rule, local(start).date(), registered_at(e, now)),
            "monthly_pay": _flag(flag) if flag and local(start).date() >= flag.run_start else None,
        } | pay_basis(
            start=start,
            end=end,
            break_minutes=int(e.fields.get("break_minutes") or 0),
            top_up_minutes=added.get(str(e.id), 0),
            profile=found,
            table=tables.get(found.supplement_table),
            hourly_kr=_hourly(rates, found.key, local(start).date()),
            unit_name=name,
        )
    return calcs


async def recalculate(
    db: AsyncSession, municipality_id: int, owner_id: int, changed: Mapping[UUID, Record]
) -> list[Effect]:
    """Refusals for the batch's entries that overlap another of hers, and the changes that bring her
    open entries' `calc` up to date (the batch's records as they are in memory)."""
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(r.owner_id == owner_id, r.type == ENTRY_TYPE, r.deleted.is_(False))
    )
    stored = {rec.id: rec for rec in map(engine.load_row, rows)}
    mine = {**stored, **{i: c for i, c in changed.items() if c.owner_id == owner_id and c.type == ENTRY_TYPE}}
    live = [e for e in mine.values() if not e.deleted and e.state != "rejected"]
    units = await _units(db, {e.unit_id for e in live if e.unit_id is not None})
    effects: list[Effect] = []
    refused: set[UUID] = set()
    rule, now = await settings.deadline_of(db, municipality_id), datetime.now(UTC)
    for e in sorted((e for e in live if e.id in changed), key=lambda e: (e.updated_at, str(e.id))):
        got = entry_span(e.fields)
        if got is not None and _just_sent(e) and (old := deadline.too_old(rule, local(got[0]).date(), now)):
            effects.append(Refuse(e, *old))
            refused.add(e.id)
            continue
        own = _span(e, units)
        others = [s for o in live if o.id not in refused and (s := _span(o, units)) is not None]
        if own is not None and (other := first_overlap(own, others)) is not None:
            effects.append(Refuse(e, *overlap_message(other)))
            refused.add(e.id)
    live = [e for e in live if e.id not in refused]
    calcs = calculate(live, units, await _rates(db, municipality_id), rule, now)
    for e in live:
        calc = calcs.get(e.id, {})
        if e.state in OPEN_STATES and e.fields.get("calc") != calc:
            effects.append(Change(e, {**e.fields, "calc": calc}))
    return effects


async def recalculate_municipality(db: AsyncSession, municipality_id: int) -> list[Change]:
    """After the rates or the deadline changed: the changes for every substitute with open entries."""
    r = SYNC.record.c
    owners = await db.scalars(
        select(r.owner_id)
        .where(r.municipality_id == municipality_id, r.type == ENTRY_TYPE, r.state.in_(OPEN_STATES))
        .distinct()
    )
    effects = [e for owner in list(owners) for e in await recalculate(db, municipality_id, owner, {})]
    return [e for e in effects if isinstance(e, Change)]


def _span(e: Record, units: Mapping[int, tuple[str, str | None]]) -> Span | None:
    got = entry_span(e.fields)
    if got is None:
        return None
    return Span(str(e.id), got[0], got[1], units.get(e.unit_id or 0, ("?", None))[0])


async def entries_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: overlaps refused, and the pay basis of everyone's open entries whose entries changed."""
    changed = {r.id: r for r in records}
    owners = sorted({(r.municipality_id, r.owner_id) for r in records if r.owner_id is not None})
    return [e for m, owner in owners for e in await recalculate(db, m, owner, changed)]


def approved_at(record: Record) -> datetime:
    step = next(h for h in reversed(record.history) if h["transition"] == "approve")
    return datetime.fromisoformat(step["at"])


def wage_lines(record: Record) -> list[PayLine]:
    """Hours worked × the hourly wage, the minimum-time top-up, and one line per supplement kind; the
    lines add up to the entry's amount."""
    calc = record.fields["calc"]
    flag = monthly_pay_flag(calc)
    hourly = Decimal(calc["hourly_kr"])
    worked = hours(calc["worked_minutes"])
    worked_amount = (worked * hourly).quantize(ORE, ROUND_HALF_UP)
    lines = [PayLine(HOURS.key, worked, hourly, worked_amount)]
    if calc["top_up_minutes"]:
        top_up = Decimal(calc["base_amount"]) - worked_amount
        lines.append(PayLine(TOP_UP.key, hours(calc["top_up_minutes"]), hourly, top_up))
    by_kind: dict[str, tuple[int, Decimal]] = {}
    for s in calc["supplements"]:
        minutes, amount = by_kind.get(s["kind"], (0, Decimal(0)))
        by_kind[s["kind"]] = (minutes + s["minutes"], amount + Decimal(s["amount"]))
    for kind, (minutes, amount) in by_kind.items():
        quantity = hours(minutes)
        rate = (amount / quantity).quantize(Decimal("0.0001"), ROUND_HALF_UP) if quantity else Decimal(0)
        lines.append(PayLine(SUPPLEMENTS[kind].key, quantity, rate, amount))
    return [replace(line, flag=flag) for line in lines]


def monthly_pay_flag(calc: Mapping[str, Any]) -> str | None:
    """The right to monthly pay as the payroll feed carries it on each of the entry's lines:
    "monthly_pay_right:<since>" (payroll must move her to monthly pay) or "monthly_pay_choice:<since>"
    (she may choose it), or None (rules/monthly_pay.py)."""
    found = calc.get("monthly_pay")
    if not found:
        return None
    return f"monthly_pay_{found['status']}:{found['since']}"


PAYABLE = Payable(states=frozenset({"approved"}), lines=wage_lines, decided_at=approved_at)
"""An approved entry is paid in the month its approval date and the cut-off decide (payroll.feed)."""
