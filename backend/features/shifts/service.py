"""Shifts on the server: the rules run on every change (a planner's save, any push), the week view.

Every change to a shift — through `save` (the planner's screen, refused with the rule and numbers in
words unless a leader overrides with a reason) or a device's push (the `shifts_changed` hook, which
cannot refuse an offline change after the fact, so it records what it found on the shift for the
week view and the leader) — is checked against the person's other shifts around it: overlaps and the
rest rules. Only the person's shifts within `NEIGHBOURHOOD_DAYS` of the change are read: a change is
checked against the people it touches, not the whole plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.clock import today
from backend.db.models import OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.org.service import get_unit
from backend.features.shifts import absences as person_absences
from backend.features.shifts import competences as person_competences
from backend.features.shifts import settings as unit_settings
from backend.features.shifts.checks import BadShift, Finding, band_finding, check, paid_minutes, placed
from backend.features.shifts.record_type import OVERRIDE_RULES, PLAN_SHIFTS, SHIFT_FIELDS
from backend.features.workflow import Change, Effect
from backend.features.worktime import absences as absence_rules
from backend.features.worktime import norm
from backend.features.worktime.rest import RestProfile, Work
from sync import engine
from sync.apply import Record
from sync.fields import FieldError, clean_changes

NEIGHBOURHOOD_DAYS = 9
"""The weekly rest looks 7 days back and forth; a day more on each side for nights over midnight."""

NO_PLANNING = ("Du planlægger ikke vagter i denne enhed.", "You do not plan shifts in this unit.")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def as_work(record: Record) -> Work | None:
    """The shift's real instants, or None while its fields cannot be placed on the clock."""
    f = record.fields
    day = _day(f.get("date"))
    if day is None or not f.get("start") or not f.get("end"):
        return None
    try:
        return placed(day, f["start"], f["end"], int(f.get("break_minutes") or 0), str(record.id))
    except BadShift:
        return None


async def neighbours(
    db: AsyncSession, owner_id: int, around: date, changed: Mapping[UUID, Record] | None = None
) -> list[Record]:
    """The person's live shifts within NEIGHBOURHOOD_DAYS of `around` (the batch's copies win)."""
    changed = changed or {}
    r = SYNC.record.c
    first = (around - timedelta(days=NEIGHBOURHOOD_DAYS)).isoformat()
    last = (around + timedelta(days=NEIGHBOURHOOD_DAYS)).isoformat()
    rows = await db.execute(
        select(SYNC.record).where(r.owner_id == owner_id, r.type == "shift", r.deleted.is_(False))
    )
    found = {row.id: engine.load_row(row) for row in rows}
    found.update({i: c for i, c in changed.items() if c.type == "shift" and c.owner_id == owner_id})
    return [s for s in found.values() if not s.deleted and first <= str(s.fields.get("date") or "") <= last]


@dataclass(frozen=True)
class Outcome:
    """A shift's checks: its `clock` (None when it cannot be placed) and what stops it."""

    clock: dict[str, Any] | None
    findings: list[Finding]

    @property
    def hard(self) -> bool:
        """Findings no override can lift: a shift that cannot be placed, or one overlapping another."""
        return self.clock is None or any(f.rule == "overlap" for f in self.findings)


def evaluate(
    record_id: UUID, f: Mapping[str, Any], others: list[Record], profile: RestProfile = RestProfile()
) -> Outcome:
    """Place the shift with fields `f` and check it against the person's `others` (itself excluded)."""
    day = _day(f.get("date"))
    try:
        if day is None:
            raise BadShift(
                Finding("length", "Vagten mangler en gyldig dato.", "The shift needs a valid date.")
            )
        work = placed(
            day,
            str(f.get("start") or ""),
            str(f.get("end") or ""),
            int(f.get("break_minutes") or 0),
            str(record_id),
        )
    except BadShift as bad:
        return Outcome(None, [bad.finding])
    other_work = [w for o in others if o.id != record_id and (w := as_work(o)) is not None]
    clock = {
        "start": work.start.isoformat(),
        "end": work.end.isoformat(),
        "minutes": int((work.end - work.start).total_seconds() // 60),
        "paid_minutes": paid_minutes(work, int(f.get("break_minutes") or 0)),
    }
    return Outcome(clock, check(work, other_work, profile))


async def with_person(
    db: AsyncSession, person: int, unit_id: int | None, fields: Mapping[str, Any], outcome: Outcome
) -> Outcome:
    """`outcome` with what the person brings: a competence the shift requires that they lack, an absence
    on its date (shifts.competences, shifts.absences). A shift that cannot be placed is left as it is."""
    if outcome.clock is None:
        return outcome
    extra = await person_competences.findings(db, person, unit_id, fields)
    extra += await person_absences.findings(db, person, fields)
    return Outcome(outcome.clock, [*outcome.findings, *extra]) if extra else outcome


def _rules(outcome: Outcome, override: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "findings": [x.out() for x in outcome.findings],
        "override": override if outcome.findings else None,
    }


def _kept_override(previous: Mapping[str, Any], outcome: Outcome) -> dict[str, Any] | None:
    """An override stands while the shift breaks exactly the rules it was given for."""
    override = (previous.get("rules") or {}).get("override")
    if not override or outcome.hard:
        return None
    return (
        override if sorted(override.get("rules") or []) == sorted(x.rule for x in outcome.findings) else None
    )


async def shifts_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: every changed shift's `clock` and `rules` brought up to date with the checks."""
    changed = {r.id: r for r in records}
    effects: list[Effect] = []
    for record in records:
        if record.deleted or record.owner_id is None:
            continue
        around = _day(record.fields.get("date")) or date.today()
        others = await neighbours(db, record.owner_id, around, changed)
        rules = await unit_settings.for_unit(db, record.unit_path)
        outcome = evaluate(record.id, record.fields, others, rules.profile)
        outcome = await with_person(db, record.owner_id, record.unit_id, record.fields, outcome)
        fields = {
            **record.fields,
            "clock": outcome.clock or {},
            "rules": _rules(outcome, _kept_override(record.fields, outcome)),
        }
        if fields != record.fields:
            effects.append(Change(record, fields))
    return effects


SAVE = ("Vagten kan ikke gemmes:", "The shift cannot be saved:")
TAKE = ("Du kan ikke tage vagten:", "You cannot take the shift:")


def refusal(findings: list[Finding], lead: tuple[str, str] = SAVE) -> tuple[str, str]:
    """The findings as one refusal, Danish and English, after `lead`."""
    return (
        " ".join([lead[0], *(f.da for f in findings)]),
        " ".join([lead[1], *(f.en for f in findings)]),
    )


@dataclass(frozen=True)
class ShiftIn:
    """A planner's shift: see record_type.SHIFT_FIELDS; `override_reason` is a leader's reason to let a
    rule breach stand."""

    id: UUID
    employee: int
    unit: int
    date: date
    start: str
    end: str
    break_minutes: int = 0
    shift_type: str = ""
    competences: tuple[str, ...] = ()
    override_reason: str | None = None


async def _subject(db: AsyncSession, principal: Principal, user_id: int) -> User:
    user = await db.get(User, user_id)
    if user is None or user.municipality_id != principal.municipality_id or not user.active:
        raise Invalid(f"Medarbejder {user_id} findes ikke.", f"Employee {user_id} does not exist.")
    return user


async def prepare(db: AsyncSession, principal: Principal, data: ShiftIn) -> Change:
    """The change that saves the planner's shift, after every check; raises Forbidden (no planning
    here, an override by a non-leader), NotFound (another municipality's unit or shift), Invalid (a
    shift that cannot be placed, an unknown employee) or Conflict (an overlap, a rule broken without
    a leader's override: the rule and the numbers in words)."""
    unit: OrgUnit = await get_unit(db, principal, data.unit)
    if not principal.can(PLAN_SHIFTS, unit.path):
        raise Forbidden(*NO_PLANNING)
    await _subject(db, principal, data.employee)
    existing = await engine.load(db, SYNC, data.id)
    if existing is not None and (
        existing.type != "shift" or existing.municipality_id != principal.municipality_id
    ):
        raise NotFound("Vagten findes ikke.", "The shift does not exist.")
    if existing is not None and not principal.can(PLAN_SHIFTS, existing.unit_path):
        raise Forbidden(*NO_PLANNING)
    fields: dict[str, Any] = {
        "date": data.date.isoformat(),
        "start": data.start,
        "end": data.end,
        "break_minutes": data.break_minutes,
        "employee": data.employee,
        "unit": unit.id,
        "shift_type": data.shift_type,
        "competences": list(data.competences),
    }
    try:  # the same typed fields as a push: the date's window, lengths, the clock's form
        fields = clean_changes(SHIFT_FIELDS, fields, today()).fields
    except FieldError as bad:
        raise Invalid(bad.da, bad.en) from None
    others = await neighbours(db, data.employee, data.date)
    outcome = evaluate(data.id, fields, others, (await unit_settings.for_unit(db, unit.path)).profile)
    outcome = await with_person(db, data.employee, unit.id, fields, outcome)
    if outcome.clock is None:
        raise Invalid(*refusal(outcome.findings))
    # Pressing save twice on an overridden shift keeps the leader's override (same rules broken).
    override = _kept_override(existing.fields, outcome) if existing is not None else None
    reason = (data.override_reason or "").strip()
    if outcome.findings and override is None:
        if outcome.hard or not reason:
            raise Conflict(*refusal(outcome.findings))
        if not principal.can(OVERRIDE_RULES, unit.path):
            raise Forbidden(
                "Kun en leder kan tilsidesætte arbejdstidsreglerne.",
                "Only a manager can override the working-time rules.",
            )
        override = {
            "reason": reason[:500],
            "by": principal.user_id,
            "by_name": principal.name,
            "at": datetime.now(UTC).isoformat(),
            "rules": sorted(x.rule for x in outcome.findings),
        }
    fields.update(clock=outcome.clock, rules=_rules(outcome, override))
    record = existing or Record(
        id=data.id,
        type="shift",
        municipality_id=principal.municipality_id,
        owner_id=data.employee,
        unit_id=unit.id,
        unit_path=unit.path,
        state="published",
        fields={},
        version=0,
        deleted=False,
        updated_at=datetime.now(UTC),
        author_id=principal.user_id,
    )
    if existing is not None:
        record = dataclasses.replace(existing, owner_id=data.employee, unit_id=unit.id, unit_path=unit.path)
    return Change(record, fields)


def iso_week(value: str) -> tuple[date, date]:
    """ "2026-W50" → (Monday, Sunday); raises Invalid for anything else."""
    try:
        monday = datetime.strptime(value + "-1", "%G-W%V-%u").date()
    except ValueError:
        raise Invalid(
            f"Ugyldig uge: {value!r} (brug ÅÅÅÅ-Uuu).", f"Invalid week: {value!r} (use YYYY-Www)."
        ) from None
    return monday, monday + timedelta(days=6)


async def week(
    db: AsyncSession, principal: Principal, unit_id: int, first: date, last: date
) -> dict[str, Any]:
    """The unit's week for its planners and leaders: its people (the unit and those below), the
    shifts in it (with their rule findings and overrides) and their absences (shifts.absences.out)."""
    unit = await get_unit(db, principal, unit_id)
    if not principal.can(PLAN_SHIFTS, unit.path):
        raise Forbidden(*NO_PLANNING)
    people = await staff(db, unit)
    rules = await unit_settings.for_unit(db, unit.path)
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(
            r.municipality_id == principal.municipality_id,
            r.type.in_(("shift", "open_shift")),
            r.deleted.is_(False),
            r.unit_path.startswith(unit.path),
        )
    )
    loaded = [engine.load_row(row) for row in rows]
    loaded = [s for s in loaded if first.isoformat() <= str(s.fields.get("date") or "") <= last.isoformat()]
    shifts = [s for s in loaded if s.type == "shift"]
    open_shifts = [s for s in loaded if s.type == "open_shift"]
    return {
        "unit": {"id": unit.id, "name": unit.name},
        "first": first.isoformat(),
        "last": last.isoformat(),
        "people": [{"id": u.id, "name": u.name} for u in people],
        "shifts": [
            {
                "id": str(s.id),
                "version": s.version,
                "owner_id": s.owner_id,
                **{k: v for k, v in s.fields.items()},
            }
            for s in sorted(shifts, key=lambda s: (s.fields.get("date"), s.fields.get("start") or ""))
        ],
        "balances": await balances(db, [p.id for p in people], rules, first),
        "absences": [
            person_absences.out(a)
            for rows in (await person_absences.of_people(db, [p.id for p in people], first, last)).values()
            for a in rows
        ],
        "open": [
            {"id": str(s.id), "state": s.state, "offered": sorted(s.party_ids()), **s.fields}
            for s in sorted(open_shifts, key=lambda s: (s.fields.get("date"), s.fields.get("start") or ""))
        ],
    }


async def staff(db: AsyncSession, unit: OrgUnit) -> list[User]:
    """The active people of the unit and the units below it, by name."""
    rows = await db.scalars(
        select(User)
        .join(OrgUnit, OrgUnit.id == User.unit_id)
        .where(
            User.municipality_id == unit.municipality_id,
            User.active.is_(True),
            OrgUnit.path.startswith(unit.path),
        )
        .order_by(User.name)
    )
    return list(rows)


def _new_record(
    record_id: UUID, type_name: str, principal: Principal, unit: OrgUnit, owner_id: int | None, state: str
) -> Record:
    return Record(
        id=record_id,
        type=type_name,
        municipality_id=principal.municipality_id,
        owner_id=owner_id,
        unit_id=unit.id,
        unit_path=unit.path,
        state=state,
        fields={},
        version=0,
        deleted=False,
        updated_at=datetime.now(UTC),
        author_id=principal.user_id,
    )


async def can_take(
    db: AsyncSession,
    person: int,
    fields: Mapping[str, Any],
    rules: unit_settings.Settings = unit_settings.Settings(),
) -> Outcome:
    """Whether `person` could take a shift with these fields now (an open shift, a colleague's swap): the
    checks against their own shifts under the unit's rest profile, the competences it requires, their
    absences, and the flex band (`band_findings`). Read at this moment: an offer decided earlier is
    checked again when it is taken."""
    around = _day(fields.get("date")) or today()
    outcome = evaluate(uuid4(), fields, await neighbours(db, person, around), rules.profile)
    unit = fields.get("unit")
    outcome = await with_person(db, person, int(unit) if isinstance(unit, int) else None, fields, outcome)
    if outcome.clock is None:
        return outcome
    extra = await band_findings(db, person, around, int(outcome.clock["paid_minutes"]), rules)
    return Outcome(outcome.clock, [*outcome.findings, *extra]) if extra else outcome


async def band_findings(
    db: AsyncSession, person: int, around: date, added: int, rules: unit_settings.Settings
) -> list[Finding]:
    """The flex band for `person` taking `added` paid minutes more in the normperiode holding `around`:
    their projection to the period's end (`balances`) plus the shift, refused in words above + the
    unit's band (worktime.norm.over_band_with). Someone with nothing in the period owes its whole norm
    and is not refused."""
    found = (await balances(db, [person], rules, around)).get(str(person))
    if found is None:
        return []
    after = norm.over_band_with(int(found["projected"]), added, rules.band)
    if after is None:
        return []
    first, last = date.fromisoformat(found["first"]), date.fromisoformat(found["last"])
    return [band_finding(after, rules.band, first, last)]


async def prepare_open(db: AsyncSession, principal: Principal, data: ShiftIn) -> Change:
    """An open shift (ledig vagt) for the unit, offered to exactly those of its people who can take it
    without breaking a rule. Raises as `prepare` (Invalid for a shift that cannot be placed)."""
    unit = await get_unit(db, principal, data.unit)
    if not principal.can(PLAN_SHIFTS, unit.path):
        raise Forbidden(*NO_PLANNING)
    existing = await engine.load(db, SYNC, data.id)
    if existing is not None:
        if existing.type != "open_shift" or existing.municipality_id != principal.municipality_id:
            raise NotFound("Vagten findes ikke.", "The shift does not exist.")
        return Change(existing, existing.fields)  # sent twice: nothing new
    raw = {
        "date": data.date.isoformat(),
        "start": data.start,
        "end": data.end,
        "break_minutes": data.break_minutes,
        "unit": unit.id,
        "shift_type": data.shift_type,
        "competences": list(data.competences),
    }
    try:
        fields = clean_changes(SHIFT_FIELDS, raw, today()).fields
    except FieldError as bad:
        raise Invalid(bad.da, bad.en) from None
    shape = evaluate(data.id, fields, [])
    if shape.clock is None:
        raise Invalid(*refusal(shape.findings))
    rules = await unit_settings.for_unit(db, unit.path)
    offered = [p.id for p in await staff(db, unit) if not (await can_take(db, p.id, fields, rules)).findings]
    record = dataclasses.replace(
        _new_record(data.id, "open_shift", principal, unit, None, "open"),
        parties=[[p, "offered"] for p in offered],
    )
    return Change(record, {**fields, "clock": shape.clock, "taken": {}})


async def prepare_take(db: AsyncSession, principal: Principal, open_id: UUID) -> list[Change]:
    """The changes that give the open shift to the signed-in person: their own shift, and the open shift
    marked taken (written together; a second taker meets a changed record and is told it is gone).
    Raises NotFound (not offered to them), Conflict (taken by someone else, or a rule they would break
    now, in words)."""
    record = await engine.load(db, SYNC, open_id)
    if (
        record is None
        or record.type != "open_shift"
        or record.municipality_id != principal.municipality_id
        or principal.user_id not in record.party_ids()
    ):
        raise NotFound("Den ledige vagt findes ikke.", "The open shift does not exist.")
    shift_id = uuid5(open_id, "taken")
    taken = record.fields.get("taken") or {}
    if record.state == "taken" and taken.get("by") == principal.user_id:
        return []  # pressed twice: it is already theirs
    if record.state != "open" or record.deleted:
        raise Conflict(
            "Vagten er allerede taget af en anden.", "The shift has already been taken by someone else."
        )
    outcome = await can_take(
        db, principal.user_id, record.fields, await unit_settings.for_unit(db, record.unit_path)
    )
    if outcome.findings:
        raise Conflict(*refusal(outcome.findings, TAKE))
    unit = await db.get(OrgUnit, record.unit_id)
    if unit is None:
        raise NotFound("Den ledige vagt findes ikke.", "The open shift does not exist.")
    shift_fields = {
        k: record.fields.get(k) for k in SHIFT_FIELDS if k in record.fields and k not in ("clock", "taken")
    }
    shift_fields |= {"employee": principal.user_id, "clock": outcome.clock, "rules": _rules(outcome, None)}
    mine = _new_record(shift_id, "shift", principal, unit, principal.user_id, "published")
    now = datetime.now(UTC).isoformat()
    mark = {
        **record.fields,
        "taken": {"by": principal.user_id, "by_name": principal.name, "at": now, "shift": str(shift_id)},
    }
    return [Change(mine, shift_fields), Change(record, mark, state="taken", step="take")]


async def balances(
    db: AsyncSession, people: list[int], rules: unit_settings.Settings, around: date
) -> dict[str, Any]:
    """Each person's standing in the normperiode holding `around` (worktime.norm), in minutes: the norm
    pro rata for their weekly hours (shifts.competences.terms; full time when unset) less the days of
    absences that reduce it, paid minutes worked (shifts ended by now) and planned (the rest of the
    period), absences credited as worked (worktime.absences: the effect per kind), the balance against
    the whole period's norm and projected to its end, against the band; and `due_so_far` (the norm of
    the days before today) with `balance_so_far` (worked + credited so far − due so far). People with no
    shift and no absence in the period are left out (not on this period's rota)."""
    first, last = norm.periods(rules.norm_anchor, rules.norm_weeks, around)
    r = SYNC.record.c
    now = datetime.now(UTC)
    worked: dict[int, int] = dict.fromkeys(people, 0)
    planned: dict[int, int] = dict.fromkeys(people, 0)
    if people:
        rows = await db.execute(
            select(r.owner_id, r.fields).where(
                r.owner_id.in_(people), r.type == "shift", r.deleted.is_(False)
            )
        )
        for owner, f in rows:
            clock = f.get("clock") or {}
            if (
                not (first.isoformat() <= str(f.get("date") or "") <= last.isoformat())
                or "paid_minutes" not in clock
            ):
                continue
            done = datetime.fromisoformat(str(clock["end"])) <= now
            (worked if done else planned)[owner] += int(clock["paid_minutes"])
    terms = await person_competences.terms(db, people)
    away = await person_absences.of_people(db, people, first, last)
    until = min(max(today(), first), last + timedelta(days=1))
    out = {}
    for person in people:
        if not worked[person] and not planned[person] and not away[person]:
            continue  # not on this period's rota: a balance of minus the whole norm would only alarm
        weekly = terms[person][0]
        effect = absence_rules.effect(
            [person_absences.of_row(a) for a in away[person]], first, last, until, weekly
        )
        owed = norm.norm_minutes(first, last, weekly) - effect.norm_reduction
        due = (
            norm.norm_minutes(first, until - timedelta(days=1), weekly) if until > first else 0
        ) - effect.norm_reduction_so_far
        b = norm.Balance(
            norm=owed,
            worked=worked[person],
            credited=effect.credited,
            planned=planned[person],
            band=rules.band,
        )
        out[str(person)] = {
            "first": first.isoformat(),
            "last": last.isoformat(),
            "weekly_minutes": weekly,
            "norm": b.norm,
            "absence_norm_reduction": effect.norm_reduction,
            "credited": b.credited,
            "worked": b.worked,
            "planned": b.planned,
            "balance": b.balance,
            "due_so_far": due,
            "balance_so_far": b.worked + effect.credited_so_far - due,
            "projected": b.projected,
            "band": b.band,
            "outside_band": b.outside_band,
        }
    return out


# --- swaps (vagtbytte) ---------------------------------------------------------------------------------


def _summary(shift: Record) -> dict[str, Any]:
    return {k: shift.fields.get(k) for k in ("date", "start", "end", "shift_type", "clock")}


def _begun(shift: Record) -> bool:
    start = (shift.fields.get("clock") or {}).get("start")
    return bool(start) and datetime.fromisoformat(str(start)) <= datetime.now(UTC)


BEGUN = (
    "Vagten er begyndt eller arbejdet; den kan ikke byttes.",
    "The shift has begun or been worked; it cannot be swapped.",
)


def moved(shift: Record, person: int, outcome: Outcome) -> Change:
    """The change that gives `shift` to `person` (its subject and its `employee` field)."""
    record = dataclasses.replace(shift, owner_id=person)
    return Change(record, {**shift.fields, "employee": person, "rules": _rules(outcome, None)})


async def prepare_swap(
    db: AsyncSession, principal: Principal, swap_id: UUID, shift_id: UUID, to: int | None
) -> Change:
    """The signed-in employee offers their own shift to colleague `to` or (None) to the team: only those
    who can take it without breaking a rule are offered it (the swap's parties). Raises NotFound (not
    their shift), Conflict (begun or worked; nobody, or not `to`, can take it: the rule in words)."""
    existing = await engine.load(db, SYNC, swap_id)
    if existing is not None:
        if existing.type != "swap" or existing.owner_id != principal.user_id:
            raise NotFound("Byttet findes ikke.", "The swap does not exist.")
        return Change(existing, existing.fields)  # sent twice: nothing new
    shift = await engine.load(db, SYNC, shift_id)
    if shift is None or shift.type != "shift" or shift.deleted or shift.owner_id != principal.user_id:
        raise NotFound("Vagten findes ikke blandt dine vagter.", "The shift is not among your shifts.")
    if _begun(shift):
        raise Conflict(*BEGUN)
    unit = await db.get(OrgUnit, shift.unit_id)
    if unit is None:
        raise NotFound("Vagten findes ikke blandt dine vagter.", "The shift is not among your shifts.")
    rules = await unit_settings.for_unit(db, unit.path)
    candidates = (
        [to] if to is not None else [p.id for p in await staff(db, unit) if p.id != principal.user_id]
    )
    offered: list[tuple[int, Outcome]] = []
    refused: list[tuple[int, Outcome]] = []
    for person in candidates:
        colleague = await db.get(User, person)
        if (
            colleague is None
            or colleague.municipality_id != principal.municipality_id
            or not colleague.active
        ):
            raise Invalid(f"Kollega {person} findes ikke.", f"Colleague {person} does not exist.")
        outcome = await can_take(db, person, shift.fields, rules)
        (refused if outcome.findings else offered).append((person, outcome))
    if not offered:
        why = refused[0][1].findings if to is not None and refused else []
        raise Conflict(
            " ".join(["Ingen kollega kan tage vagten uden at bryde reglerne.", *(f.da for f in why)]),
            " ".join(["No colleague can take the shift without breaking a rule.", *(f.en for f in why)]),
        )
    record = dataclasses.replace(
        _new_record(swap_id, "swap", principal, unit, principal.user_id, "offered"),
        parties=[[person, "offered"] for person, _ in offered],
    )
    return Change(record, {"shift": str(shift.id), "summary": _summary(shift), "taker": {}, "findings": []})


async def prepare_accept(db: AsyncSession, principal: Principal, swap_id: UUID) -> list[Change]:
    """A colleague offered the swap accepts it: checked by the rules now; approved at once when the unit
    lets swaps approve themselves (the shift is theirs), otherwise it waits for the leader. Raises
    NotFound (not offered to them), Conflict (taken, withdrawn, begun, or a rule broken now)."""
    swap = await engine.load(db, SYNC, swap_id)
    if swap is None or swap.type != "swap" or principal.user_id not in swap.party_ids():
        raise NotFound("Byttet findes ikke.", "The swap does not exist.")
    taker = swap.fields.get("taker") or {}
    if swap.state in {"accepted", "approved"} and taker.get("id") == principal.user_id:
        return []  # pressed twice
    if swap.state != "offered":
        raise Conflict("Byttet er ikke længere tilbudt.", "The swap is no longer on offer.")
    shift = await engine.load(db, SYNC, UUID(str(swap.fields.get("shift"))))
    if shift is None or shift.deleted or shift.owner_id != swap.owner_id:
        raise Conflict(
            "Vagten er ændret siden den blev tilbudt.", "The shift has changed since it was offered."
        )
    if _begun(shift):
        raise Conflict(*BEGUN)
    rules = await unit_settings.for_unit(db, swap.unit_path)
    outcome = await can_take(db, principal.user_id, shift.fields, rules)
    if outcome.findings:
        raise Conflict(*refusal(outcome.findings, TAKE))
    fields = {
        **swap.fields,
        "taker": {"id": principal.user_id, "name": principal.name, "at": datetime.now(UTC).isoformat()},
    }
    if rules.swaps_approve_themselves:
        return [
            Change(swap, fields, state="approved", step="approved_by_rules"),
            moved(shift, principal.user_id, outcome),
        ]
    return [Change(swap, fields, state="accepted", step="accept")]


async def swaps_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: a swap the leader approved moves the shift to the taker, checked by the rules again
    (time has passed since the acceptance); if a rule is broken now, the swap is rejected with the words
    and the shift stays where it was."""
    effects: list[Effect] = []
    for swap in records:
        taker = (swap.fields.get("taker") or {}).get("id")
        if swap.state != "approved" or not taker:
            continue
        shift = await engine.load(db, SYNC, UUID(str(swap.fields.get("shift"))))
        if shift is None or shift.deleted or shift.owner_id != swap.owner_id:
            continue  # moved already (approved by the rules at acceptance) or gone
        rules = await unit_settings.for_unit(db, swap.unit_path)
        outcome = await can_take(db, int(taker), shift.fields, rules)
        if outcome.findings or _begun(shift):
            findings = [f.out() for f in outcome.findings] or [
                {"rule": "begun", "da": BEGUN[0], "en": BEGUN[1]}
            ]
            effects.append(
                Change(swap, {**swap.fields, "findings": findings}, state="rejected", step="rules")
            )
        else:
            effects.append(moved(shift, int(taker), outcome))
    return effects
