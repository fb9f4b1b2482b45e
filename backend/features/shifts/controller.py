"""HTTP for shift planning beyond sync: a unit's shift types, the planner's save (checked by the rules,
refused in words unless a leader overrides), and the unit's week."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy import select

from backend import platform
from backend.clock import today
from backend.db import audit
from backend.db.sync_tables import SYNC
from backend.deps import DbSession, SignedIn
from backend.errors import Conflict, Forbidden, Invalid
from backend.features.org.service import get_unit
from backend.features.shifts import approval, events, service
from backend.features.shifts import settings as unit_settings
from backend.features.shifts.checks import BadShift, placed
from backend.features.shifts.models import ShiftType, UnitRules
from backend.features.shifts.record_type import PLAN_SHIFTS, SET_UNIT_RULES
from backend.features.sync import pipeline
from backend.web.params import PathId
from sync import engine


class ShiftTypeIn(msgspec.Struct):
    name: str
    start: str
    end: str
    break_minutes: int = 0
    competences: list[str] = msgspec.field(default_factory=list)


class ShiftTypeOut(ShiftTypeIn):
    id: int = 0


class ShiftIn(msgspec.Struct):
    """A shift as the planner saves it (see record_type.SHIFT_FIELDS)."""

    id: UUID
    employee: int
    unit: int
    date: date
    start: str
    end: str
    break_minutes: int = 0
    shift_type: str = ""
    competences: list[str] = msgspec.field(default_factory=list)
    override_reason: str | None = None


class OpenIn(msgspec.Struct):
    """An open shift (ledig vagt) as the planner offers it: a shift with nobody on it yet."""

    id: UUID
    unit: int
    date: date
    start: str
    end: str
    break_minutes: int = 0
    shift_type: str = ""
    competences: list[str] = msgspec.field(default_factory=list)


class TakeIn(msgspec.Struct):
    id: UUID


class OpenOut(msgspec.Struct):
    id: UUID
    version: int
    state: str
    fields: dict[str, object]
    offered: list[int]


class UnitRulesIO(msgspec.Struct):
    """A unit's rest profile and norm settings (models.UnitRules); minutes and days."""

    reduced_rest_minutes: int | None = None
    reduced_per_week: int = 0
    weekly_rest_minutes: int = 35 * 60
    weekly_window_days: int = 7
    norm_weeks: int = 12
    norm_anchor: date = date(2026, 1, 5)
    flex_band_minutes: int = 20 * 60
    swaps_approve_themselves: bool = False


def _check_rules(data: UnitRulesIO) -> None:
    problems = [
        data.reduced_rest_minutes is not None and not 8 * 60 <= data.reduced_rest_minutes < 11 * 60,
        not 0 <= data.reduced_per_week <= 7,
        not 24 * 60 <= data.weekly_rest_minutes <= 72 * 60,
        not 7 <= data.weekly_window_days <= 12,
        not 1 <= data.norm_weeks <= 26,
        data.norm_anchor.weekday() != 0,
        not 0 <= data.flex_band_minutes <= 100 * 60,
    ]
    if any(problems):
        raise Invalid(
            "Ugyldige regler: nedsat hvile 8–11 t (højst 7 gange om ugen), ugentlig hvile 24–72 t inden for "
            "7–12 døgn, normperiode 1–26 uger fra en mandag, flex-bånd 0–100 t.",
            "Invalid rules: reduced rest 8–11 h (at most 7 times a week), weekly rest 24–72 h within 7–12 "
            "days, a normperiode of 1–26 weeks from a Monday, a flex band of 0–100 h.",
        )


class SwapIn(msgspec.Struct):
    """A swap (vagtbytte) of my `shift` to colleague `to`, or to the team when None."""

    id: UUID
    shift: UUID
    to: int | None = None


class ApproveIn(msgspec.Struct):
    """Approve the unit's `week` ("2026-W49") as loaded: the list's `version` and its number of
    `changes` (a change after loading is not approved silently)."""

    week: str
    version: int
    changes: int = 0


class ShiftOut(msgspec.Struct):
    id: UUID
    version: int
    fields: dict[str, object]


WEEK = re.compile(r"^\d{4}-W\d{2}$")


def _week(week: str) -> tuple[date, date]:
    """ "2026-W50" → (Monday, Sunday); Invalid in words for anything else."""
    if not WEEK.match(week):
        raise Invalid(
            f"Ugyldig uge: {week[:20]!r} (brug ÅÅÅÅ-Uuu).", f"Invalid week: {week[:20]!r} (use YYYY-Www)."
        )
    first, last = service.iso_week(week)
    if approval.iso_week(first)["iso"] != week:
        raise Invalid(f"Ugen {week} findes ikke.", f"The week {week} does not exist.")
    return first, last


async def _plannable(db: DbSession, principal: SignedIn, unit_id: int) -> int:
    unit = await get_unit(db, principal, unit_id)
    if not principal.can(PLAN_SHIFTS, unit.path):
        raise Forbidden(*service.NO_PLANNING)
    return unit.id


async def _open_out(db: DbSession, record_id: UUID) -> OpenOut:
    saved = await engine.load(db, SYNC, record_id)
    assert saved is not None
    return OpenOut(saved.id, saved.version, saved.state, saved.fields, sorted(saved.party_ids()))


class ShiftsController(Controller):
    path = "/api/shifts"
    tags = ["shifts"]  # noqa: RUF012

    @get("/units/{unit_id:int}/types", operation_id="listShiftTypes")
    async def list_types(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId
    ) -> list[ShiftTypeOut]:
        """The unit's shift types (vagttyper), for its planners and leaders."""
        unit = await _plannable(db_session, principal, unit_id)
        rows = await db_session.scalars(
            select(ShiftType).where(ShiftType.unit_id == unit).order_by(ShiftType.start, ShiftType.name)
        )
        return [
            ShiftTypeOut(t.name, t.start, t.end, t.break_minutes, list(t.competences), t.id) for t in rows
        ]

    @post("/units/{unit_id:int}/types", operation_id="addShiftType", status_code=201)
    async def add_type(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId, data: JSONBody[ShiftTypeIn]
    ) -> ShiftTypeOut:
        """Add a shift type (or change the one of that name): start and end "HH:MM", break in minutes."""
        unit = await _plannable(db_session, principal, unit_id)
        name = data.name.strip()[:100]
        if not name:
            raise Invalid("Vagttypen skal have et navn.", "The shift type needs a name.")
        try:
            placed(date(2026, 1, 5), data.start, data.end, data.break_minutes)
        except BadShift as bad:
            raise Invalid(bad.finding.da, bad.finding.en) from None
        competences = sorted({c.strip()[:60] for c in data.competences if c.strip()})[:10]
        found = await db_session.scalar(
            select(ShiftType).where(ShiftType.unit_id == unit, ShiftType.name == name)
        )
        shift_type = found or ShiftType(municipality_id=principal.municipality_id, unit_id=unit, name=name)
        shift_type.start, shift_type.end = data.start, data.end
        shift_type.break_minutes, shift_type.competences = data.break_minutes, competences
        db_session.add(shift_type)
        await db_session.commit()
        return ShiftTypeOut(name, data.start, data.end, data.break_minutes, competences, shift_type.id)

    @post("/", operation_id="saveShift", status_code=200)
    async def save(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[ShiftIn]
    ) -> ShiftOut:
        """Create or change a shift (safe to send twice: same id). Every working-time rule is checked
        against the person's shifts around it; a breach is refused (409) with the rule and numbers in
        words, unless a leader gives `override_reason`, which is kept on the shift."""
        change = await service.prepare(
            db_session,
            principal,
            service.ShiftIn(
                data.id,
                data.employee,
                data.unit,
                data.date,
                data.start,
                data.end,
                data.break_minutes,
                data.shift_type,
                tuple(data.competences),
                data.override_reason,
            ),
        )
        rules = change.fields["rules"] if change.fields else {}
        audit.record(
            db_session,
            "plan_shift" if not rules.get("override") else "plan_shift_override",
            municipality_id=principal.municipality_id,
            entity="shift",
            entity_id=data.id,
            changes={"fields": {k: v for k, v in (change.fields or {}).items() if k != "clock"}},
        )
        try:
            await events.save(db_session, platform.of(request), principal, [change])
        except engine.Stale:
            await db_session.rollback()
            raise Conflict(
                "Vagten blev ændret imens. Prøv igen.", "The shift changed meanwhile. Try again."
            ) from None
        saved = await engine.load(db_session, SYNC, data.id)
        assert saved is not None
        return ShiftOut(saved.id, saved.version, saved.fields)

    @post("/open", operation_id="offerOpenShift", status_code=200)
    async def offer(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[OpenIn]
    ) -> OpenOut:
        """Offer an open shift (ledig vagt) to the unit's people who can take it without breaking a rule
        (they are its parties: it reaches their phones). Safe to send twice (same id)."""
        change = await service.prepare_open(
            db_session,
            principal,
            service.ShiftIn(
                data.id,
                0,
                data.unit,
                data.date,
                data.start,
                data.end,
                data.break_minutes,
                data.shift_type,
                tuple(data.competences),
            ),
        )
        await events.save(
            db_session, platform.of(request), principal, [change], notices=events.open_offered(change.record)
        )
        saved = await engine.load(db_session, SYNC, data.id)
        assert saved is not None
        return OpenOut(saved.id, saved.version, saved.state, saved.fields, sorted(saved.party_ids()))

    @post("/open/take", operation_id="takeOpenShift", status_code=200)
    async def take(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[TakeIn]
    ) -> OpenOut:
        """Take an open shift offered to me: the first valid taker gets it (checked by the rules now);
        the others see it taken. Safe to press twice."""
        changes = await service.prepare_take(db_session, principal, data.id)
        if changes:
            audit.record(
                db_session,
                "take_open_shift",
                municipality_id=principal.municipality_id,
                entity="open_shift",
                entity_id=data.id,
            )
            taken = events.open_taken(changes[-1].record, principal.user_id)
            try:
                await events.save(
                    db_session, platform.of(request), principal, changes, kind="taken", notices=taken
                )
            except engine.Stale:
                await db_session.rollback()
                raise Conflict(
                    "Vagten er allerede taget af en anden.",
                    "The shift has already been taken by someone else.",
                ) from None
        saved = await engine.load(db_session, SYNC, data.id)
        assert saved is not None
        return OpenOut(saved.id, saved.version, saved.state, saved.fields, sorted(saved.party_ids()))

    @get("/units/{unit_id:int}/rules", operation_id="getUnitWorkRules")
    async def get_rules(self, db_session: DbSession, principal: SignedIn, unit_id: PathId) -> UnitRulesIO:
        """The unit's rest profile and norm settings (its own, or the nearest unit's above it)."""
        await _plannable(db_session, principal, unit_id)
        unit = await get_unit(db_session, principal, unit_id)
        rules = await unit_settings.for_unit(db_session, unit.path)
        p = rules.profile
        return UnitRulesIO(
            p.reduced_rest,
            p.reduced_per_week,
            p.weekly_rest,
            p.weekly_window_days,
            rules.norm_weeks,
            rules.norm_anchor,
            rules.band,
            rules.swaps_approve_themselves,
        )

    @put("/units/{unit_id:int}/rules", operation_id="setUnitWorkRules")
    async def set_rules(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId, data: JSONBody[UnitRulesIO]
    ) -> UnitRulesIO:
        """Set the unit's rest profile (an agreement's exceptions) and norm settings: leaders only."""
        unit = await get_unit(db_session, principal, unit_id)
        if not principal.can(SET_UNIT_RULES, unit.path):
            raise Forbidden(
                "Kun enhedens leder kan ændre reglerne.", "Only the unit's manager can change the rules."
            )
        _check_rules(data)
        row = await db_session.get(UnitRules, unit.id) or UnitRules(
            unit_id=unit.id, municipality_id=unit.municipality_id
        )
        for name in UnitRulesIO.__struct_fields__:
            setattr(row, name, getattr(data, name))
        db_session.add(row)
        await db_session.commit()
        return data

    @post("/swaps", operation_id="offerSwap", status_code=200)
    async def offer_swap(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[SwapIn]
    ) -> OpenOut:
        """Offer my shift to a named colleague or the team: only those who can take it without breaking a
        rule are offered it. Safe to send twice (same id)."""
        change = await service.prepare_swap(db_session, principal, data.id, data.shift, data.to)
        offered = events.swap_offered(change.record) if change.record.version == 0 else []
        await events.save(db_session, platform.of(request), principal, [change], notices=offered)
        return await _open_out(db_session, data.id)

    @post("/swaps/accept", operation_id="acceptSwap", status_code=200)
    async def accept_swap(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[TakeIn]
    ) -> OpenOut:
        """Accept a swap offered to me: approved at once when the unit allows it and no rule is broken,
        otherwise it waits for the leader (the inbox). Safe to press twice."""
        changes = await service.prepare_accept(db_session, principal, data.id)
        if changes:
            told = events.swap_step(events.stepped(changes[0]))
            try:
                await events.save(
                    db_session, platform.of(request), principal, changes, kind="swap", notices=told
                )
            except engine.Stale:
                await db_session.rollback()
                raise Conflict("Byttet er ikke længere tilbudt.", "The swap is no longer on offer.") from None
        return await _open_out(db_session, data.id)

    @get("/balance", operation_id="getMyNormBalance")
    async def my_balance(self, db_session: DbSession, principal: SignedIn) -> dict[str, object] | None:
        """My standing in the current normperiode of my unit (minutes): norm, worked, planned, the
        balance so far and projected to the end, the flex band; null when I have no shift in it."""
        rules = await unit_settings.for_unit(db_session, principal.unit_path or "")
        found = await service.balances(db_session, [principal.user_id], rules, today())
        mine = found.get(str(principal.user_id))
        return dict(mine) if mine else None

    @get("/units/{unit_id:int}/week", operation_id="getShiftWeek")
    async def week(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId, week: FromQuery[str]
    ) -> dict[str, object]:
        """The unit's week ("2026-W50"): its people and their shifts, with rule findings and overrides."""
        if not WEEK.match(week):
            raise Invalid(
                f"Ugyldig uge: {week[:20]!r} (brug ÅÅÅÅ-Uuu).", f"Invalid week: {week[:20]!r} (use YYYY-Www)."
            )
        first, last = service.iso_week(week)
        return await service.week(db_session, principal, unit_id, first, last)

    @get("/units/{unit_id:int}/approval", operation_id="getShiftWeekApproval")
    async def approval_list(
        self, db_session: DbSession, principal: SignedIn, unit_id: PathId, week: FromQuery[str]
    ) -> dict[str, object]:
        """The unit's week ("2026-W49") for its leader's approval: every change since the last approval
        (who changed what, rule findings, overrides with their reasons), its version, and the week's
        shifts with their hours and supplements."""
        first, _ = _week(week)
        return await approval.approval_list(db_session, principal, unit_id, week, first)

    @get("/approval/{record_id:uuid}", operation_id="getShiftWeekApprovalById")
    async def approval_by_id(
        self, db_session: DbSession, principal: SignedIn, record_id: FromPath[UUID]
    ) -> dict[str, object]:
        """The weekly approval the inbox item links to (its record id): as `getShiftWeekApproval`."""
        return await approval.by_id(db_session, principal, record_id)

    @post("/units/{unit_id:int}/approval", operation_id="approveShiftWeek", status_code=200)
    async def approve_week(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        unit_id: PathId,
        data: JSONBody[ApproveIn],
    ) -> dict[str, object]:
        """Approve every change of the unit's week in one action, as loaded (`version`): the week's shifts
        are approved and their hours and supplements go to payroll. Safe to press twice; a change made
        after the list was loaded is refused (409) in words, with how many came in."""
        first, _ = _week(data.week)
        record = await approval.check_approvable(
            db_session, principal, unit_id, data.week, data.version, data.changes
        )
        if record is not None:
            try:
                results = await pipeline.transition(
                    db_session,
                    platform.of(request),
                    principal,
                    "shift_week",
                    [record.id],
                    "approve",
                    commit=False,
                )
            except engine.Stale:
                await db_session.rollback()
                raise Conflict(approval.STALE[0].format(n=1), approval.STALE[1].format(n=1)) from None
            if results[0].status != "applied":
                await db_session.rollback()
                raise Conflict(results[0].reason or "", results[0].reason_en or "")
            audit.record(
                db_session,
                "approve_shift_week",
                municipality_id=principal.municipality_id,
                entity="shift_week",
                entity_id=record.id,
                changes={"week": data.week, "unit": unit_id, "changes": (record.fields.get("count") or {})},
            )
            await db_session.commit()
        return await approval.approval_list(db_session, principal, unit_id, data.week, first)
