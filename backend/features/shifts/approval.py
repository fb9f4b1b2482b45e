"""Weekly approval (ugegodkendelse): every change to a unit's shifts since its last approval, in one list
the leader approves in one action (Rudersdal, KL case 13: "the leader approves changes weekly, on
Monday").

One record per unit and ISO week of the shifts' dates (`shift_week`, its id derived from both): each
change to a shift of that week — created, changed, moved to someone else, removed, swapped, an open
shift taken — is appended to it as an entry (who, what, when, the rule findings and the leader's
override with its kept reason). The record waits for the unit's leader in the one inbox; approving it
(here or from the inbox) marks the week's shifts approved with their pay snapshot (pay.py), which
sends their hours and supplements to the payroll feed. A change after the approval puts the week back
in the inbox (its list starts again) and its shifts back to unapproved (their unexported wage lines
are taken back). A list loaded before a later change is not approved silently: the version differs
and the leader is told. Nothing is approved by time passing.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db import audit
from backend.db.models import Municipality, OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.org.service import get_unit
from backend.features.shifts import pay
from backend.features.shifts.record_type import APPROVE_WEEKS
from backend.features.workflow import Badge, Change, Effect, InboxSummary
from backend.features.worktime.supplements import SupplementTable
from sync import engine, fields
from sync.apply import Record
from sync.registry import RecordType, Transition

MAX_ENTRIES = 400
"""A week's list keeps its newest entries up to this many (the count says how many there were)."""
NAMESPACE = UUID("6f1d8d3e-6b8e-4a57-9d55-2f1e3c0a7b49")

WEEK_FIELDS = {
    "unit": fields.server_data("Enhed", "Unit"),
    "week": fields.server_data("Uge", "Week"),
    "changes": fields.server_data("Ændringer", "Changes", default=[]),
    "count": fields.server_data("Antal ændringer", "Number of changes"),
    "approved": fields.server_data("Godkendt", "Approved"),
    "link": fields.server_data("Link", "Link"),
}
"""All server-owned: `unit` {id, name}, `week` {iso: "2026-W49", number, first, last}, `changes` [entry,
see `entry`], `count` {changes, overrides}, `link` the PWA's screen for it, `approved` {by, by_name, at, shifts, minutes, missing: [{da,
en}]} once approved."""


def _server_only(f: dict[str, Any]) -> tuple[str, str] | None:
    if not f.get("week"):
        return ("Ugegodkendelser laves af serveren.", "Weekly approvals are made by the server.")
    return None


SHIFT_WEEK = RecordType(
    name="shift_week",
    fields=WEEK_FIELDS,
    initial_state="waiting",
    transitions=(
        Transition("approve", frozenset({"waiting"}), "approved", by=APPROVE_WEEKS, four_eyes=False),
    ),
    editable_states=frozenset(),
    deletable_states=frozenset(),
    view=APPROVE_WEEKS,
    check=_server_only,
    state_names={
        "waiting": ("venter på godkendelse", "waiting for approval"),
        "approved": ("godkendt", "approved"),
    },
)
"""A unit's week of shift changes, waiting for its leader's approval (made and changed by the server)."""

KINDS = {
    "created": ("oprettet", "created"),
    "changed": ("ændret", "changed"),
    "moved": ("flyttet til en anden", "moved to someone else"),
    "removed": ("slettet", "removed"),
    "swap": ("byttet", "swapped"),
    "taken": ("ledig vagt taget", "open shift taken"),
}
"""The kinds of change an entry names, in Danish and English."""


def iso_week(day: date) -> dict[str, Any]:
    """The ISO week holding `day`: {iso: "2026-W49", number: 49, first: Monday, last: Sunday}."""
    year, number, _ = day.isocalendar()
    first = day - timedelta(days=day.weekday())
    return {
        "iso": f"{year}-W{number:02d}",
        "number": number,
        "first": first.isoformat(),
        "last": (first + timedelta(days=6)).isoformat(),
    }


def week_id(unit_id: int, iso: str) -> UUID:
    """The id of the unit's week record: the same for everyone, so two changes meet on one record."""
    return uuid5(NAMESPACE, f"shift_week:{unit_id}:{iso}")


def _day(f: Mapping[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(f.get("date")))
    except ValueError:
        return None


def _when(f: Mapping[str, Any]) -> dict[str, Any]:
    return {k: f.get(k) for k in ("date", "start", "end", "shift_type")}


def entry(
    kind: str,
    before: Record | None,
    after: Record,
    by: int | None,
    names: Mapping[int, str],
    at: datetime,
) -> dict[str, Any]:
    """One line of the week's list: `kind` (KINDS) of the shift `after` (as it is now; deleted for a
    removal) that was `before` (None: new), made by user `by` at `at`: {kind, shift, employee, employee_name,
    from_employee, from_name, when {date, start, end, shift_type}, was (the time before, when it moved),
    findings [{rule, da, en}], override {reason, by_name} | None, by, by_name, at}."""
    rules = after.fields.get("rules") or {}
    was = _when(before.fields) if before is not None else None
    now = _when(after.fields)
    return {
        "kind": kind,
        "shift": str(after.id),
        "employee": after.owner_id,
        "employee_name": names.get(after.owner_id or 0, ""),
        "from_employee": before.owner_id
        if before is not None and before.owner_id != after.owner_id
        else None,
        "from_name": names.get(before.owner_id or 0, "")
        if before is not None and before.owner_id != after.owner_id
        else None,
        "when": now,
        "was": was if was is not None and was != now else None,
        "findings": [] if after.deleted else list(rules.get("findings") or []),
        "override": None
        if after.deleted or not rules.get("override")
        else {k: rules["override"].get(k) for k in ("reason", "by_name", "at")},
        "by": by,
        "by_name": names.get(by or 0, ""),
        "at": at.isoformat(),
    }


def kind_of(before: Record | None, after: Record) -> str | None:
    """What a change to a shift was, or None when nothing the leader approves changed (the server's
    own fields only: a clock recomputed, a pay snapshot)."""
    if after.deleted:
        return None if before is None or before.deleted else "removed"
    if before is None or before.deleted:
        return "created"
    if before.owner_id != after.owner_id:
        return "moved"
    keys = ("date", "start", "end", "break_minutes", "shift_type", "competences", "unit")
    if any(before.fields.get(k) != after.fields.get(k) for k in keys):
        return "changed"
    if (before.fields.get("rules") or {}).get("override") != (after.fields.get("rules") or {}).get(
        "override"
    ):
        return "changed"
    return None


async def names_of(db: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """User id → name for the ids given (None and unknown ids left out)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {i: n for i, n in await db.execute(select(User.id, User.name).where(User.id.in_(wanted)))}


def _new_week(municipality_id: int, unit: OrgUnit, week: dict[str, Any]) -> Record:
    return Record(
        id=week_id(unit.id, week["iso"]),
        type="shift_week",
        municipality_id=municipality_id,
        owner_id=None,
        unit_id=unit.id,
        unit_path=unit.path,
        state="waiting",
        fields={},
        version=0,
        deleted=False,
        updated_at=datetime.now(UTC),
        author_id=None,
    )


def _counted(changes: Sequence[Mapping[str, Any]], previous: int, added: int) -> dict[str, int]:
    return {"changes": previous + added, "overrides": sum(1 for c in changes if c.get("override"))}


async def logged(
    db: AsyncSession, pairs: Sequence[tuple[str, Record | None, Record]], by: int | None
) -> list[Change]:
    """The changes that add these (kind, before, after) shift changes, made by user `by`, to their units'
    weeks: the week of the shift's date now, and the week it was in before when that differs (`by` None:
    a new shift's author, else unknown). A week
    already approved goes back to waiting with a fresh list. Returns Changes on `shift_week` records."""
    if not pairs:
        return []
    now = datetime.now(UTC)
    people = [by, *(p[2].owner_id for p in pairs), *(p[2].author_id for p in pairs)]
    names = await names_of(db, [*people, *(p[1].owner_id for p in pairs if p[1])])
    per_week: defaultdict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    weeks: dict[tuple[int, str], tuple[int, dict[str, Any]]] = {}
    for kind, before, after in pairs:
        # Without a signed-in user (a job, the demo's seed) a new shift is its author's change.
        maker = by if by is not None else (after.author_id if before is None else None)
        line = entry(kind, before, after, maker, names, now)
        places = {(after.unit_id, _day(after.fields))}
        if before is not None:
            places.add((before.unit_id, _day(before.fields)))
        for unit_id, day in places:
            if unit_id is None or day is None:
                continue
            week = iso_week(day)
            weeks[(unit_id, week["iso"])] = (after.municipality_id, week)
            per_week[(unit_id, week["iso"])].append(line)
    units = {
        u.id: u for u in await db.scalars(select(OrgUnit).where(OrgUnit.id.in_({k[0] for k in per_week})))
    }
    changes: list[Change] = []
    for (unit_id, iso), lines in sorted(per_week.items()):
        unit = units.get(unit_id)
        if unit is None:
            continue
        municipality_id, week = weeks[(unit_id, iso)]
        record = await engine.load(db, SYNC, week_id(unit_id, iso)) or _new_week(municipality_id, unit, week)
        again = record.state == "approved"
        earlier = [] if again else list(record.fields.get("changes") or [])
        previous = 0 if again else int((record.fields.get("count") or {}).get("changes") or 0)
        kept = [*earlier, *lines][-MAX_ENTRIES:]
        new_fields = {
            "unit": {"id": unit.id, "name": unit.name},
            "week": week,
            "changes": kept,
            "count": _counted(kept, previous, len(lines)),
            "approved": {} if again else record.fields.get("approved") or {},
            "link": f"/#/vagtplan/godkend/{record.id}",
        }
        changes.append(
            Change(record, new_fields, state="waiting" if again else None, step="changed" if again else None)
        )
    return changes


def reopened(change: Change) -> Change:
    """A change to an approved shift takes its approval back (the week waits again): its state returns
    to published, and the payroll feed takes back its unexported lines."""
    if change.record.state != "approved" or change.deleted:
        return change
    return dataclasses.replace(change, state="published", step="changed")


async def _stored(db: AsyncSession, ids: Iterable[UUID]) -> dict[UUID, Record]:
    rows = await db.execute(select(SYNC.record).where(SYNC.record.c.id.in_(set(ids))))
    return {row.id: engine.load_row(row) for row in rows}


async def shifts_logged(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook (after the rules): each shift a device changed is added to its unit's week, made by
    the pushing user; a change to an approved shift takes its approval back."""
    stored = await _stored(db, [r.id for r in records])
    pairs: list[tuple[str, Record | None, Record]] = []
    effects: list[Effect] = []
    for record in records:
        before = stored.get(record.id)
        kind = kind_of(before, record)
        if kind is None:
            continue
        pairs.append((kind, before, record))
        if record.state == "approved" and not record.deleted:
            effects.append(Change(record, state="published", step="changed"))
    return [*effects, *await logged(db, pairs, audit.actor.get())]


async def changes_logged(
    db: AsyncSession, principal: Principal, changes: Sequence[Change], kind: str | None = None
) -> list[Change]:
    """For a change written by the server (pipeline.save runs no hooks): `changes` with an approved
    shift's approval taken back, followed by the week records' changes that list them (made by
    `principal`; `kind` names them, e.g. "taken" or "swap", else it is worked out)."""
    shift_changes = [c for c in changes if c.record.type == "shift"]
    stored = await _stored(db, [c.record.id for c in shift_changes])
    pairs: list[tuple[str, Record | None, Record]] = []
    out: list[Change] = []
    for c in changes:
        if c.record.type != "shift":
            out.append(c)
            continue
        before = stored.get(c.record.id)
        after = dataclasses.replace(
            c.record, fields=c.fields if c.fields is not None else c.record.fields, deleted=c.deleted
        )
        found = kind_of(before, after)
        if found is not None:
            pairs.append((kind or found, before, after))
            out.append(reopened(c))
        elif before is not None and c.fields is not None:  # sent again: the approval and its pay stand
            kept: dict[str, Any] = {k: before.fields[k] for k in ("pay", "payroll") if k in before.fields}
            out.append(dataclasses.replace(c, fields={**c.fields, **kept}))
        else:
            out.append(c)
    return [*out, *await logged(db, pairs, principal.user_id)]


# --- the list and the approval ------------------------------------------------------------------------


async def week_shifts(db: AsyncSession, unit_id: int, first: str, last: str) -> list[Record]:
    """The unit's live shifts dated in [first, last] (ISO dates)."""
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(r.unit_id == unit_id, r.type == "shift", r.deleted.is_(False))
    )
    found = [engine.load_row(row) for row in rows]
    return [s for s in found if first <= str(s.fields.get("date") or "") <= last]


async def _pay_table(db: AsyncSession, unit: OrgUnit | None) -> SupplementTable | None:
    """The supplement table for `unit`'s shifts: by its kind and its municipality's choice (pay.table_for)."""
    if unit is None:
        return pay.table_for(None)
    town = await db.get(Municipality, unit.municipality_id)
    return pay.table_for(unit.kind, town.slug if town is not None else None)


async def week_approved(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Hook on `shift_week`: a week approved in this batch marks each of its shifts approved with its
    pay snapshot (hours and supplements, pay.py), which the payroll feed then pays; the week keeps a
    summary of what went (shifts, minutes, missing rates in words)."""
    effects: list[Effect] = []
    stored = await _stored(db, [r.id for r in records])
    for week in records:
        last = week.history[-1] if week.history else {}
        before = stored.get(week.id)
        if (
            week.state != "approved"
            or last.get("transition") != "approve"
            or (before is not None and before.state == "approved")
        ):
            continue  # approved in an earlier batch: what went to payroll then stands
        unit_id = int((week.fields.get("unit") or {}).get("id") or week.unit_id or 0)
        span = week.fields.get("week") or {}
        table = await _pay_table(db, await db.get(OrgUnit, unit_id))
        said = {"by": last.get("by")}
        minutes, missing, count = 0, [], 0
        for shift in await week_shifts(db, unit_id, str(span.get("first")), str(span.get("last"))):
            clock = shift.fields.get("clock") or {}
            if "paid_minutes" not in clock:
                continue
            snap = pay.snapshot(clock, int(shift.fields.get("break_minutes") or 0), table)
            effects.append(
                Change(
                    shift, {**shift.fields, "pay": snap}, state="approved", step="week_approved", said=said
                )
            )
            minutes += snap["paid_minutes"]
            missing += [m | {"shift": str(shift.id)} for m in snap["missing"]]
            count += 1
        approved = {
            "by": last.get("by"),
            "by_name": (await names_of(db, [last.get("by")])).get(int(last.get("by") or 0), ""),
            "at": last.get("at"),
            "shifts": count,
            "minutes": minutes,
            "missing": missing,
        }
        effects.append(Change(week, {**week.fields, "approved": approved}))
    return effects


def summary(record: Record) -> InboxSummary:
    """The week's line in the leader's inbox: "Ugegodkendelse, uge 49, Plejecenter Egebo: 7 ændringer,
    1 tilsidesat regel", with a badge for each override (not blocking: the leader gave its reason)."""
    unit = (record.fields.get("unit") or {}).get("name", "")
    week = record.fields.get("week") or {}
    count = record.fields.get("count") or {}
    n, overrides = int(count.get("changes") or 0), int(count.get("overrides") or 0)
    da = f"Ugegodkendelse, uge {week.get('number', '?')}, {unit}: {n} {'ændring' if n == 1 else 'ændringer'}"
    en = f"Weekly approval, week {week.get('number', '?')}, {unit}: {n} {'change' if n == 1 else 'changes'}"
    badges: tuple[Badge, ...] = ()
    if overrides:
        da += f", {overrides} tilsidesat {'regel' if overrides == 1 else 'regler'}"
        en += f", {overrides} {'rule' if overrides == 1 else 'rules'} overridden"
        badges = (
            Badge(
                "override",
                f"{overrides} tilsidesat af lederen med begrundelse",
                f"{overrides} overridden by the manager with a reason",
            ),
        )
    first = week.get("first")
    return InboxSummary((da, en), day=date.fromisoformat(first) if first else None, badges=badges)


async def _leads(db: AsyncSession, principal: Principal, unit_id: int) -> OrgUnit:
    unit = await get_unit(db, principal, unit_id)
    if not principal.can(APPROVE_WEEKS, unit.path):
        raise Forbidden(
            "Kun enhedens leder kan godkende ugens vagtændringer.",
            "Only the unit's manager can approve the week's shift changes.",
        )
    return unit


def _hours(minutes: int) -> str:
    return str((Decimal(minutes) / 60).quantize(Decimal("0.01")))


async def approval_list(
    db: AsyncSession, principal: Principal, unit_id: int, iso: str, first: date
) -> dict[str, Any]:
    """The unit's week as the leader approves it: its state and version (send it back to approve), every
    change since the last approval, the counts, and the week's shifts with what they would pay. Raises
    NotFound (another municipality's unit), Forbidden (not its leader)."""
    unit = await _leads(db, principal, unit_id)
    record = await engine.load(db, SYNC, week_id(unit.id, iso))
    week = iso_week(first)
    table = await _pay_table(db, unit)
    shifts = await week_shifts(db, unit.id, week["first"], week["last"])
    names = await names_of(db, [s.owner_id for s in shifts])
    preview = []
    for s in sorted(shifts, key=lambda s: (str(s.fields.get("date")), str(s.fields.get("start")))):
        clock = s.fields.get("clock") or {}
        snap = s.fields.get("pay") if s.state == "approved" and s.fields.get("pay") else None
        if snap is None and "paid_minutes" in clock:
            snap = pay.snapshot(clock, int(s.fields.get("break_minutes") or 0), table)
        preview.append(
            {
                "id": str(s.id),
                "employee": s.owner_id,
                "employee_name": names.get(s.owner_id or 0, ""),
                "state": s.state,
                **_when(s.fields),
                "pay": snap,
            }
        )
    fields = record.fields if record is not None else {}
    return {
        "id": str(week_id(unit.id, iso)),
        "unit": {"id": unit.id, "name": unit.name},
        "week": week,
        "state": record.state if record is not None else "none",
        "version": record.version if record is not None else 0,
        "changes": list(reversed(fields.get("changes") or [])),
        "count": fields.get("count") or {"changes": 0, "overrides": 0},
        "approved": fields.get("approved") or None,
        "shifts": preview,
        "hours": _hours(sum(int((p["pay"] or {}).get("paid_minutes") or 0) for p in preview)),
    }


async def by_id(db: AsyncSession, principal: Principal, record_id: UUID) -> dict[str, Any]:
    """The approval list of the week record `record_id` (the inbox item's link). Raises NotFound (no such
    week, or another municipality's), Forbidden (not its unit's leader)."""
    record = await engine.load(db, SYNC, record_id)
    if record is None or record.type != "shift_week" or record.municipality_id != principal.municipality_id:
        raise NotFound("Ugegodkendelsen findes ikke.", "The weekly approval does not exist.")
    week = record.fields.get("week") or {}
    return await approval_list(
        db,
        principal,
        int(record.unit_id or 0),
        str(week.get("iso")),
        date.fromisoformat(str(week.get("first"))),
    )


STALE = (
    "Der er kommet {n} ændring(er) til, siden du hentede listen. Se listen igen og godkend på ny.",
    "{n} change(s) came in after you loaded the list. Look at the list again and approve anew.",
)


async def check_approvable(
    db: AsyncSession, principal: Principal, unit_id: int, iso: str, seen: int, seen_changes: int
) -> Record | None:
    """The week record to approve, after the checks; None when there is nothing to do (approved already
    from the list at version `seen`: pressed twice). Raises Invalid (no change in the week), NotFound
    (another municipality's unit), Forbidden (not its leader), Conflict (changed since the list at version `seen`, with
    `seen_changes` changes, was loaded: how many came in, in words)."""
    unit = await _leads(db, principal, unit_id)
    record = await engine.load(db, SYNC, week_id(unit.id, iso))
    if record is None:
        raise Invalid(
            "Der er ingen ændringer at godkende i ugen.", "There are no changes to approve in the week."
        )
    last = record.history[-1] if record.history else {}
    if record.state == "approved" and record.version == seen + 1 and last.get("transition") == "approve":
        return None  # pressed twice: the approval (one write) was of the list seen
    if record.version != seen:
        now = int((record.fields.get("count") or {}).get("changes") or 0)
        came = max(1, now - seen_changes)
        raise Conflict(STALE[0].format(n=came), STALE[1].format(n=came))
    if record.state == "approved":
        return None
    return record
