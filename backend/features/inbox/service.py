"""The one inbox: every record that waits for a person, derived from the record types in the registry.

A record waits for a person when a transition out of its current state is made `by` a capability that
person holds over the record's unit (and, for four-eyes steps, the record is not their own) — or a
stand-in (stedfortræder) holds it on a leader's behalf for today (deciders.py). A new workflow's
records appear here by registering their transitions; its `inbox` line (workflow.InboxSummary) adds
type, amount or hours, rule badges and the payroll deadline. Items are sorted by deadline, then age.

Decisions are never made by time passing: nothing here (or anywhere) approves a waiting item by a
date; only a person's action does. A batch ("Godkend alle") settles only rule-clean items; an item
with a blocking badge is decided on its own, with a reason. A decision made on an item the leader saw
in an older version (offline, queued) is not applied: "ændret siden du så den".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.clock import today
from backend.db import audit
from backend.db.models import Municipality, OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.errors import Conflict, Invalid, NotFound
from backend.features.inbox.deciders import with_stand_ins
from backend.features.inbox.models import StandIn
from backend.features.payroll.cutoff import next_cutoff
from backend.features.sync import pipeline
from backend.features.workflow import Change, InboxSummary
from backend.platform import Platform
from sync import engine
from sync.apply import MAX_NOTE, Record
from sync.protocol import MAX_BATCH, MutationResult, RecordOut
from sync.registry import OWNER, Registry, Transition

MAX_ITEMS = 2000
DECIDED_DAYS = 62
"""How far back the inbox lists decisions that can still be reopened (two payroll months)."""

CHANGED = (
    "Ændret siden du så den. Se den igen og afgør den på ny.",
    "Changed since you saw it. Look again and decide anew.",
)
ON_ITS_OWN = (
    "Kræver en individuel beslutning med begrundelse.",
    "Needs a decision on its own, with a reason.",
)
WITH_STAND_IN = (
    "Din stedfortræder afgør den i perioden; du afgør selv igen, når den er slut.",
    "Your stand-in decides it during the period; you decide again once it is over.",
)
LEADERS_OWN = (
    "Som stedfortræder kan du ikke afgøre lederens egne poster.",
    "As a stand-in you cannot decide the leader's own items.",
)


class BadgeOut(msgspec.Struct):
    code: str
    da: str
    en: str
    blocking: bool


class InboxItem(msgspec.Struct):
    record: RecordOut
    owner_name: str
    employee_number: str | None
    actions: list[str]
    """The transitions this person may make on it now ("reopen" for a decided item)."""
    title: str = ""
    title_en: str = ""
    day: date | None = None
    amount: Decimal | None = None
    """kr"""
    hours: Decimal | None = None
    badges: list[BadgeOut] = msgspec.field(default_factory=list)
    blocked: bool = False
    """A blocking badge: not settled by "Godkend alle"; decided on its own with a reason."""
    deadline: date | None = None
    """The payroll cut-off: decide before it to be paid with this month's salary (None: not pay)."""
    waiting_since: datetime | None = None
    on_behalf_of: str | None = None
    """The leader's name, when this person sees it as their stand-in."""
    with_stand_in: str | None = None
    """The stand-in's name, when this leader has one for the item's unit today (new items go to them)."""


class Counts(msgspec.Struct):
    waiting: int
    blocked: int
    deadline: date | None


def _waiting_steps(registry: Registry) -> list[tuple[str, Transition]]:
    steps = []
    for name in registry.names():
        record_type = registry.get(name)
        assert record_type is not None
        steps += [(name, t) for t in record_type.transitions if t.by != OWNER and t.waits]
    return steps


def _leaders_own(principal: Principal, step: Transition, unit_path: str, owner_id: int | None) -> bool:
    """A stand-in never decides the items of the leader they stand in for."""
    leader = principal.on_behalf_of(step.by, unit_path)
    return leader is not None and leader == owner_id


def _may(principal: Principal, step: Transition, row: Any) -> bool:
    return (
        row.state in step.source
        and principal.can(step.by, row.unit_path)
        and not (step.four_eyes and row.owner_id == principal.user_id)
        and not _leaders_own(principal, step, row.unit_path, row.owner_id)
    )


def _summary(platform: Platform, record: Record) -> InboxSummary | None:
    line = platform.inbox.get(record.type)
    return line(record) if line is not None else None


def _waiting_since(record: Record) -> datetime:
    at = record.history[-1].get("at") if record.history else None
    return datetime.fromisoformat(at) if isinstance(at, str) else record.updated_at


def _item(
    platform: Platform,
    row: Any,
    actions: list[str],
    deadline: date,
    names: Mapping[int, str],
    principal: Principal,
) -> InboxItem:
    record = engine.load_row(row)
    summary = _summary(platform, record)
    behalf = next(
        (
            principal.on_behalf_of(step.by, record.unit_path)
            for name, step in _waiting_steps(platform.registry)
            if name == record.type and step.name in actions
        ),
        None,
    )
    item = InboxItem(
        record=record.out(),
        owner_name=row.owner_name or "",
        employee_number=row.employee_number,
        actions=actions,
        waiting_since=_waiting_since(record),
        on_behalf_of=names.get(behalf) if behalf else None,
    )
    if summary is None:
        return item
    badges = [BadgeOut(b.code, b.da, b.en, b.blocking) for b in summary.badges]
    item.title, item.title_en = summary.title
    item.day, item.amount, item.hours, item.badges = summary.day, summary.amount, summary.hours, badges
    item.blocked = any(b.blocking for b in badges)
    item.deadline = deadline if summary.pays else None
    return item


def _sort_key(item: InboxItem) -> tuple[Any, ...]:
    """By deadline (none last), then the longest waiting first, then by day and person."""
    return (
        item.deadline or date.max,
        item.waiting_since or datetime.max,
        item.day or date.max,
        item.owner_name,
    )


async def _cutoff_day(db: AsyncSession, municipality_id: int) -> int:
    return (await db.get_one(Municipality, municipality_id)).payroll_cutoff_day


async def _names(db: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {i: n for i, n in await db.execute(select(User.id, User.name).where(User.id.in_(ids)))}


def _scope_clauses(principal: Principal, steps: list[tuple[str, Transition]], states: str) -> list[Any]:
    r = SYNC.record.c
    clauses = []
    for type_name, step in steps:
        wanted = step.source if states == "source" else frozenset({step.target})
        for path in principal.scopes(step.by):
            clause = and_(
                r.type == type_name, r.state.in_(wanted), r.unit_path.startswith(path, autoescape=True)
            )
            not_mine = or_(r.owner_id.is_(None), r.owner_id != principal.user_id)
            clauses.append(and_(clause, not_mine) if step.four_eyes else clause)
    return clauses


async def _rows(db: AsyncSession, principal: Principal, clauses: list[Any], *extra: Any) -> list[Any]:
    r = SYNC.record.c
    return list(
        (
            await db.execute(
                select(SYNC.record, User.name.label("owner_name"), User.employee_number)
                .outerjoin(User, User.id == r.owner_id)
                .where(
                    r.municipality_id == principal.municipality_id,
                    r.deleted.is_(False),
                    or_(false(), *clauses),
                    *extra,
                )
                .order_by(r.created_at)
                .limit(MAX_ITEMS)
            )
        ).all()
    )


async def inbox(db: AsyncSession, principal: Principal, platform: Platform) -> list[InboxItem]:
    """Everything waiting for `principal` (as themself or as a stand-in today), by deadline then age.

    While a leader's stand-in period covers today, the items of its unit are the stand-in's to decide
    (issue 16: "new items and notifications go to the stand-in"; who_decides says the same). The
    leader still sees them, marked with the stand-in's name (`with_stand_in`) and without actions:
    a leader on holiday who looks expects to see what is waiting and who has it, not to decide it
    beside the stand-in (two people deciding the same item race each other). To decide again, the
    leader ends the period. The stand-in's own items are not theirs to decide: the leader keeps those.
    """
    acting = await with_stand_ins(db, principal, today())
    steps = _waiting_steps(platform.registry)
    rows = await _rows(db, acting, _scope_clauses(acting, steps, "source"))
    deadline = next_cutoff(today(), await _cutoff_day(db, principal.municipality_id))
    names = await _names(db, {g.on_behalf_of for g in acting.grants if g.on_behalf_of})
    covered = await _my_stand_ins(db, principal, today())
    items = []
    for row in rows:
        actions = [step.name for name, step in steps if name == row.type and _may(acting, step, row)]
        if actions:
            item = _item(platform, row, actions, deadline, names, acting)
            item.with_stand_in = _lent_to(covered, row.unit_path, row.owner_id)
            if item.with_stand_in is not None and item.on_behalf_of is None:
                item.actions = []  # the stand-in decides it: read-only for the leader
            items.append(item)
    return sorted(items, key=_sort_key)


def _lent_to(covered: list[tuple[str, int, str]], unit_path: str, owner_id: int | None) -> str | None:
    """The name of the stand-in who decides an item of `unit_path` about `owner_id` in this leader's
    place today (`covered`: _my_stand_ins), or None."""
    return next((n for path, who, n in covered if unit_path.startswith(path) and who != owner_id), None)


async def _my_stand_ins(db: AsyncSession, principal: Principal, on: date) -> list[tuple[str, int, str]]:
    """(unit path, stand-in id, stand-in name) of this leader's periods covering `on`."""
    rows = await db.execute(
        select(OrgUnit.path, StandIn.stand_in_id, User.name)
        .join(OrgUnit, OrgUnit.id == StandIn.unit_id)
        .join(User, User.id == StandIn.stand_in_id)
        .where(StandIn.leader_id == principal.user_id, StandIn.starts <= on, StandIn.ends >= on)
    )
    return [(path, who, name) for path, who, name in rows]


async def counts(db: AsyncSession, principal: Principal, platform: Platform) -> Counts:
    """The home tile's numbers: items waiting, how many need a decision on their own, the deadline."""
    items = [i for i in await inbox(db, principal, platform) if i.actions]  # not the stand-in's
    return Counts(
        len(items),
        sum(i.blocked for i in items),
        min((i.deadline for i in items if i.deadline), default=None),
    )


async def _read(db: AsyncSession, municipality_id: int, ids: Sequence[UUID]) -> dict[UUID, Record]:
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(
            r.id.in_(set(ids)), r.municipality_id == municipality_id, r.deleted.is_(False)
        )
    )
    return {row.id: engine.load_row(row) for row in rows}


def _refused(
    n: int, why: tuple[str, str], status: str = "rejected", record: Record | None = None
) -> MutationResult:
    return MutationResult(n, status, reason=why[0], reason_en=why[1], record=record.out() if record else None)  # type: ignore[arg-type]


async def act(
    db: AsyncSession,
    principal: Principal,
    platform: Platform,
    record_type: str,
    transition: str,
    ids: Sequence[UUID],
    note: str | None,
    seen: Mapping[UUID, int] | None = None,
) -> list[MutationResult]:
    """One transition on many records (approve a month), each decided by the record's own state machine.

    `seen`: the version of each record the leader decided on (a queued offline decision); a record
    that has changed since is answered `conflict` and left as it is. In a batch (more than one id) a
    record with a blocking badge is refused: it needs a decision on its own with a reason (`note`).
    """
    found = platform.registry.get(record_type)
    step = found.transition(transition) if found is not None else None
    if step is None:
        raise NotFound("Handlingen findes ikke.", "The action does not exist.")
    if not ids:
        raise Invalid("Vælg mindst én post.", "Choose at least one record.")
    if len(ids) > MAX_BATCH:
        raise Invalid(f"Højst {MAX_BATCH} ad gangen.", f"At most {MAX_BATCH} at a time.")
    acting = await with_stand_ins(db, principal, today())
    covered = await _my_stand_ins(db, principal, today())
    records = await _read(db, principal.municipality_id, ids)
    results: list[MutationResult | None] = [None] * len(ids)
    go: list[tuple[int, UUID]] = []
    for n, record_id in enumerate(ids, start=1):
        record = records.get(record_id)
        summary = _summary(platform, record) if record is not None else None
        blocked = summary is not None and any(b.blocking for b in summary.badges)
        if record is None or record.type != record_type:
            go.append((n, record_id))  # the state machine answers for unknown records, as for any push
        elif seen is not None and record_id in seen and seen[record_id] != record.version:
            results[n - 1] = _refused(n, CHANGED, "conflict", record)
        elif _leaders_own(acting, step, record.unit_path, record.owner_id):
            results[n - 1] = _refused(n, LEADERS_OWN)
        elif (
            acting.on_behalf_of(step.by, record.unit_path) is None
            and _lent_to(covered, record.unit_path, record.owner_id) is not None
        ):
            results[n - 1] = _refused(n, WITH_STAND_IN, record=record)
        elif blocked and not step.note_required and (len(ids) > 1 or not (note or "").strip()):
            results[n - 1] = _refused(n, ON_ITS_OWN, record=record)
        else:
            go.append((n, record_id))
    if go:
        done = await pipeline.transition(
            db, platform, acting, record_type, [i for _, i in go], transition, note
        )
        for (n, _), result in zip(go, done, strict=True):
            results[n - 1] = msgspec.structs.replace(result, n=n)
    return [r for r in results if r is not None]


def _decision(record_type: Any, record: Record) -> Transition | None:
    """The leader's decision that put the record in its state (its last step), if it was one."""
    last = record.history[-1] if record.history else None
    step = record_type.transition(last.get("transition", "")) if last else None
    if (
        step is None
        or step.by == OWNER
        or not step.waits
        or step.note_required
        or record.state != step.target
    ):
        return None
    return step


async def decided(db: AsyncSession, principal: Principal, platform: Platform) -> list[InboxItem]:
    """Items decided (approved) in the last DECIDED_DAYS that this person may reopen, newest first."""
    acting = await with_stand_ins(db, principal, today())
    steps = [(n, s) for n, s in _waiting_steps(platform.registry) if not s.note_required]
    since = datetime.now().astimezone() - timedelta(days=DECIDED_DAYS)
    rows = await _rows(db, acting, _scope_clauses(acting, steps, "target"), SYNC.record.c.updated_at >= since)
    items = []
    for row in rows:
        record_type = platform.registry.get(row.type)
        record = engine.load_row(row)
        step = _decision(record_type, record) if record_type else None
        if step is not None and _may_reopen(acting, step, record):
            items.append(_item(platform, row, ["reopen"], date.max, {}, acting))
    for item in items:
        item.deadline = None
    return sorted(items, key=lambda i: i.record.updated_at, reverse=True)


def _may_reopen(principal: Principal, step: Transition, record: Record) -> bool:
    return (
        principal.can(step.by, record.unit_path)
        and not (step.four_eyes and record.owner_id == principal.user_id)
        and not _leaders_own(principal, step, record.unit_path, record.owner_id)
    )


async def reopen(
    db: AsyncSession,
    principal: Principal,
    platform: Platform,
    type_name: str,
    record_id: UUID,
    reason: str,
    seen: int | None = None,
) -> RecordOut:
    """Take back a decision (an approval) with a reason: the record returns to the state it was
    decided from, the payroll feed takes back its unexported line, and the audit log keeps who, when,
    on whose behalf, the old and the new state and the reason. Pressing twice reopens once.

    Raises NotFound (not visible, or no such type), Invalid (no reason, or nothing to reopen: not
    decided, or already sent to payroll), Conflict (changed since `seen`)."""
    reason = reason.strip()
    if not reason:
        raise Invalid("Skriv hvorfor afgørelsen genåbnes.", "Say why the decision is reopened.")
    if len(reason) > MAX_NOTE:
        raise Invalid(
            f"Begrundelsen må højst være {MAX_NOTE} tegn.",
            f"The reason can be at most {MAX_NOTE} characters.",
        )
    record_type = platform.registry.get(type_name)
    record = (await _read(db, principal.municipality_id, [record_id])).get(record_id)
    if record_type is None or record is None or record.type != type_name:
        raise NotFound("Posten findes ikke.", "It does not exist.")
    acting = await with_stand_ins(db, principal, today())
    last = record.history[-1] if record.history else {}
    if (
        last.get("transition") == "reopen"
        and last.get("by") == principal.user_id
        and last.get("note") == reason
    ):
        return record.out()  # the same reopening again: done already
    step = _decision(record_type, record)
    if step is None or not _may_reopen(acting, step, record):
        if step is None and any(acting.can(c, record.unit_path) for c in record_type.capabilities()):
            da, en = record_type.state_name(record.state)
            raise Invalid(f"Posten er {da} og kan ikke genåbnes.", f"It is {en} and cannot be reopened.")
        raise NotFound("Posten findes ikke.", "It does not exist.")
    if seen is not None and seen != record.version:
        raise Conflict(*CHANGED)
    before = [h.get("state") for h in record.history[:-1]]
    back = next((s for s in reversed(before) if s in step.source), None) or sorted(step.source)[0]
    behalf = acting.on_behalf_of(step.by, record.unit_path)
    said: dict[str, Any] = {"by": principal.user_id, "note": reason} | (
        {"on_behalf_of": behalf} if behalf else {}
    )
    try:
        batch = await pipeline.save(db, platform, [Change(record, state=back, step="reopen", said=said)])
    except engine.Stale:
        await db.rollback()
        raise Conflict(*CHANGED) from None
    audit.record(
        db,
        "reopen",
        municipality_id=principal.municipality_id,
        entity=type_name,
        entity_id=record_id,
        changes={
            "state": [record.state, back],
            "reason": reason,
            "on_behalf_of": behalf,
            "decided_by": last.get("by"),
            "decided_at": last.get("at"),
        },
    )
    await db.commit()
    return batch.records[record_id].out()
