"""The rules applied on the server: each employee's open trips recalculated whenever their trips change,
and approved trips paid through the shared payroll feed.

A trip's `calc` (amount, rate, tier, explanation, notes for the leader, what blocks it) is written as a
server change, so it reaches the phone on the next pull. Approved trips keep what was approved; they
still count toward the year's 20,000 km and the 60-day rule of the trips after them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import User
from backend.db.sync_tables import SYNC
from backend.features.mileage import settings
from backend.features.mileage.record_type import OPEN_STATES, as_trip, as_workplace_day, parse_km
from backend.features.mileage.rules import (
    Authorisation,
    Limits,
    Message,
    Rate,
    RateKind,
    RateMissing,
    TripResult,
    WorkplaceDay,
    calculate_trips,
)
from backend.features.mileage.rules.authorisation import place_key
from backend.features.mileage.rules.validate import check_distance
from backend.features.workflow import Change, Effect, Payable, PayLine, WageType
from sync import engine
from sync.apply import Record

ORE = Decimal("0.01")
WAGE_TYPES = {
    RateKind.CAR_FIRST_20000: WageType("mileage_high", "Kørsel, høj takst", "Mileage, high rate", "KM-HOJ"),
    RateKind.CAR_ABOVE_20000: WageType("mileage_low", "Kørsel, lav takst", "Mileage, low rate", "KM-LAV"),
    RateKind.BICYCLE: WageType(
        "mileage_bicycle", "Kørsel, cykel/knallert", "Mileage, bicycle/moped", "KM-CYKEL"
    ),
}


@dataclass(frozen=True)
class Employee:
    """What the rules need to know of one employee with one employer."""

    number: str
    rates: tuple[Rate, ...]
    authorisations: tuple[Authorisation, ...]
    home_to_work_km: Decimal | None
    limits: Limits


def _message(m: Message | dict[str, Any]) -> dict[str, Any]:
    return m if isinstance(m, dict) else {"code": m.code, "da": m.da, "en": m.en}


def _calc(result: TripResult, problems: list[Message]) -> dict[str, Any]:
    return {
        "amount": str(result.amount),
        "km": str(result.km),
        "payable_km": str(result.payable_km),
        "home_deduction_km": str(result.home_deduction_km),
        "rate_applied": result.rate_applied.value,
        "tier_km_before": str(result.tier_km_before),
        "parts": [
            {"kind": p.rate.kind.value, "km": str(p.km), "kr_per_km": str(p.rate.kr_per_km)}
            for p in result.parts
        ],
        "explanation": [_message(m) for m in result.explanation],
        "flags": [_message(m) for m in result.flags],
        "leader_note": result.needs_leader_note,
        "problems": [_message(m) for m in problems],
    }


def _same_spelling(days: Sequence[WorkplaceDay], names: Sequence[str]) -> list[WorkplaceDay]:
    """Marked days under the workplace's name as the trips spell it ("skolen vest" → "Skolen Vest")."""
    spelled = {place_key(n): n for n in names}
    return [WorkplaceDay(d.day, spelled.get(place_key(d.workplace_id), d.workplace_id)) for d in days]


def calculate(
    records: Sequence[Record], employee: Employee, no_car_days: Sequence[Record] = ()
) -> dict[UUID, dict[str, Any]]:
    """The `calc` of each trip (in creation order); a trip without a valid date and km gets none yet.
    `no_car_days` are the employee's marked days at a workplace without the car (60-day rule)."""
    trips = [
        trip
        for r in records
        if (trip := as_trip(str(r.id), r.fields)) is not None and not check_distance(trip.km)
    ]
    marked = [d for r in no_car_days if (d := as_workplace_day(r.fields)) is not None]
    other_days = _same_spelling(marked, [t.workplace_id for t in trips if t.workplace_id])
    calcs: dict[UUID, dict[str, Any]] = {}
    while trips:
        try:
            results = calculate_trips(
                trips,
                employee=employee.number,
                rates=employee.rates,
                authorisations=employee.authorisations,
                home_to_work_km=employee.home_to_work_km,
                limits=employee.limits,
                other_workplace_days=other_days,
            )
        except RateMissing as missing:
            # Never a zero payout: the year's trips wait, with a message, until an admin enters the rates.
            error = {"code": "rate_missing", "da": missing.detail, "en": missing.detail_en}
            for trip in trips:
                if trip.day.year == missing.year:
                    calcs[UUID(trip.id)] = {"error": error, "problems": []}
            trips = [trip for trip in trips if trip.day.year != missing.year]
            continue
        for result in results:
            # No month is ever closed to a trip: one approved after its month's export is paid with the
            # next salary run (feed_payroll), so nothing blocks it here.
            calcs[UUID(result.trip_id)] = _calc(result, [])
        break
    return calcs


async def _home_km(db: AsyncSession, owner_id: int, changed: Mapping[UUID, Record]) -> Decimal | None:
    """The distance home ↔ usual workplace from the owner's newest "home" place (this batch's included)."""
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(r.owner_id == owner_id, r.type == "place", r.deleted.is_(False))
    )
    places = {row.id: engine.load_row(row) for row in rows}
    places.update({i: p for i, p in changed.items() if p.type == "place" and p.owner_id == owner_id})
    newest = sorted(places.values(), key=lambda p: p.updated_at, reverse=True)
    return next(
        (
            parse_km(p.fields.get("km_to_work"))
            for p in newest
            if not p.deleted and p.fields.get("kind") == "home" and p.fields.get("km_to_work")
        ),
        None,
    )


async def _no_car_days(db: AsyncSession, owner_id: int, changed: Mapping[UUID, Record]) -> list[Record]:
    """The owner's marked days without the car, as this batch leaves them."""
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record).where(r.owner_id == owner_id, r.type == "no_car_day", r.deleted.is_(False))
    )
    days = {row.id: engine.load_row(row) for row in rows}
    days.update({i: d for i, d in changed.items() if d.type == "no_car_day" and d.owner_id == owner_id})
    return [d for d in days.values() if not d.deleted]


async def _employee(
    db: AsyncSession, municipality_id: int, owner_id: int, changed: Mapping[UUID, Record]
) -> Employee:
    user = await db.get(User, owner_id)
    number = (user.employee_number if user else None) or str(owner_id)
    return Employee(
        number=number,
        rates=await settings.rates(db, municipality_id),
        authorisations=await settings.authorisations(db, owner_id, number),
        home_to_work_km=await _home_km(db, owner_id, changed),
        limits=await settings.limits(db, municipality_id),
    )


async def recalculate(
    db: AsyncSession, municipality_id: int, owner_id: int, changed: Mapping[UUID, Record] | None = None
) -> list[Change]:
    """The changes that bring the owner's open trips' `calc` up to date with the rules.

    `changed` holds records a batch is changing right now (not yet written): they count as they are
    in memory, and trips new in the batch count too, after the stored ones.
    """
    changed = changed or {}
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record)
        .where(r.owner_id == owner_id, r.type == "trip", r.deleted.is_(False))
        .order_by(r.created_at, r.id)
    )
    stored = [engine.load_row(row) for row in rows]
    known = {t.id for t in stored}
    trips = [changed.get(t.id, t) for t in stored] + [
        t for t in changed.values() if t.type == "trip" and t.owner_id == owner_id and t.id not in known
    ]
    trips = [t for t in trips if not t.deleted]
    calcs = calculate(
        trips,
        await _employee(db, municipality_id, owner_id, changed),
        await _no_car_days(db, owner_id, changed),
    )
    changes = []
    for trip in trips:
        calc = calcs.get(trip.id, {})
        if trip.state in OPEN_STATES and trip.fields.get("calc") != calc:
            changes.append(Change(trip, {**trip.fields, "calc": calc}))
    return changes


async def recalculate_municipality(db: AsyncSession, municipality_id: int) -> list[Change]:
    """After the rates or limits changed: the changes for every employee with open trips."""
    r = SYNC.record.c
    owners = await db.scalars(
        select(r.owner_id)
        .where(r.municipality_id == municipality_id, r.type == "trip", r.state.in_(OPEN_STATES))
        .distinct()
    )
    return [c for owner_id in list(owners) for c in await recalculate(db, municipality_id, owner_id)]


def approved_at(record: Record) -> datetime:
    step = next(h for h in reversed(record.history) if h["transition"] == "approve")
    return datetime.fromisoformat(step["at"])


def wage_lines(record: Record) -> list[PayLine]:
    """One line per rate: km × kr per km; the lines' amounts add up to the trip's amount (rounded once,
    like the trip)."""
    calc = record.fields["calc"]
    parts = [p for p in calc["parts"] if Decimal(p["km"]) > 0]
    amounts = [(Decimal(p["km"]) * Decimal(p["kr_per_km"])).quantize(ORE, ROUND_HALF_UP) for p in parts]
    if amounts:
        amounts[-1] += Decimal(calc["amount"]) - sum(amounts)
    return [
        PayLine(WAGE_TYPES[RateKind(p["kind"])].key, Decimal(p["km"]), Decimal(p["kr_per_km"]), amount)
        for p, amount in zip(parts, amounts, strict=True)
    ]


PAYABLE = Payable(states=frozenset({"approved"}), lines=wage_lines, decided_at=approved_at)
"""An approved trip is paid in the month its approval date and the cut-off decide (payroll.feed)."""


async def trips_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: recalculate the open trips of everyone whose trips changed."""
    changed = {r.id: r for r in records}
    owners = sorted({(r.municipality_id, r.owner_id) for r in records if r.owner_id is not None})
    return [c for m, owner in owners for c in await recalculate(db, m, owner, changed)]


async def places_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: a new distance home ↔ workplace changes the home deduction of the open trips."""
    return await trips_changed(db, records)


async def no_car_days_changed(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook: a day marked (or unmarked) at a workplace changes the 60-day count of the open trips."""
    return await trips_changed(db, records)
