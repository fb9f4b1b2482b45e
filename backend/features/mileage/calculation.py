"""The rules applied on the server: each employee's open trips recalculated whenever their trips change,
and approved trips fed to the shared payroll export.

A trip's `calc` (amount, rate, tier, explanation, notes for the leader, what blocks it) is written as a
server change, so it reaches the phone on the next pull. Approved trips keep what was approved; they
still count toward the year's 20,000 km and the 60-day rule of the trips after them.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from backend.features.mileage.record_type import OPEN_STATES, as_trip, parse_km
from backend.features.mileage.rules import (
    Authorisation,
    Limits,
    Message,
    Rate,
    RateKind,
    RateMissing,
    TripResult,
    calculate_trips,
)
from backend.features.mileage.rules.validate import check_distance
from backend.features.payroll import service as payroll
from backend.features.payroll.wage_types import WageType, register
from backend.features.sync.hooks import after_batch
from sync import engine
from sync.apply import Record
from sync.registry import REGISTRY

ORE = Decimal("0.01")
WAGE_KEYS = {
    RateKind.CAR_FIRST_20000: register(
        WageType("mileage_high", "Kørsel, høj takst", "Mileage, high rate", "KM-HOJ")
    ).key,
    RateKind.CAR_ABOVE_20000: register(
        WageType("mileage_low", "Kørsel, lav takst", "Mileage, low rate", "KM-LAV")
    ).key,
    RateKind.BICYCLE: register(
        WageType("mileage_bicycle", "Kørsel, cykel/knallert", "Mileage, bicycle/moped", "KM-CYKEL")
    ).key,
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


def calculate(records: Sequence[Record], employee: Employee) -> dict[UUID, dict[str, Any]]:
    """The `calc` of each trip (in creation order); a trip without a valid date and km gets none yet."""
    trips = [
        trip
        for r in records
        if (trip := as_trip(str(r.id), r.fields)) is not None and not check_distance(trip.km)
    ]
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


async def _employee(db: AsyncSession, municipality_id: int, owner_id: int) -> Employee:
    user = await db.get(User, owner_id)
    number = (user.employee_number if user else None) or str(owner_id)
    r = SYNC.record.c
    homes = await db.execute(
        select(r.fields)
        .where(r.owner_id == owner_id, r.type == "place", r.deleted.is_(False))
        .order_by(r.updated_at.desc())
    )
    home_km = next(
        (parse_km(f.get("km_to_work")) for (f,) in homes if f.get("kind") == "home" and f.get("km_to_work")),
        None,
    )
    return Employee(
        number=number,
        rates=await settings.rates(db, municipality_id),
        authorisations=await settings.authorisations(db, owner_id, number),
        home_to_work_km=home_km,
        limits=await settings.limits(db, municipality_id),
    )


async def recalculate(db: AsyncSession, municipality_id: int, owner_id: int) -> None:
    """Recalculate the owner's open trips and save those whose result changed."""
    r = SYNC.record.c
    rows = await db.execute(
        select(SYNC.record)
        .where(r.owner_id == owner_id, r.type == "trip", r.deleted.is_(False))
        .order_by(r.created_at, r.id)
    )
    records = [engine.load_row(row) for row in rows]
    calcs = calculate(records, await _employee(db, municipality_id, owner_id))
    for record in records:
        # Both fields are the server's: whatever a phone sent in them is replaced.
        server_fields = {"calc": calcs.get(record.id, {}), "payroll": {}}
        if record.state in OPEN_STATES and any(record.fields.get(k) != v for k, v in server_fields.items()):
            await engine.save_server_change(db, SYNC, REGISTRY, record, {**record.fields, **server_fields})


async def recalculate_municipality(db: AsyncSession, municipality_id: int) -> None:
    """After the rates or limits changed: every employee with open trips."""
    r = SYNC.record.c
    owners = await db.scalars(
        select(r.owner_id)
        .where(r.municipality_id == municipality_id, r.type == "trip", r.state.in_(OPEN_STATES))
        .distinct()
    )
    for owner_id in list(owners):
        await recalculate(db, municipality_id, owner_id)


def _approved_at(record: Record) -> datetime:
    step = next(h for h in reversed(record.history) if h["transition"] == "approve")
    return datetime.fromisoformat(step["at"])


def wage_lines(record: Record, employee_number: str, period: str) -> list[payroll.LineIn]:
    """One line per rate; the lines' amounts add up to the trip's amount (rounded once, like the trip)."""
    calc = record.fields["calc"]
    parts = [p for p in calc["parts"] if Decimal(p["km"]) > 0]
    amounts = [(Decimal(p["km"]) * Decimal(p["kr_per_km"])).quantize(ORE, ROUND_HALF_UP) for p in parts]
    if amounts:
        amounts[-1] += Decimal(calc["amount"]) - sum(amounts)
    return [
        payroll.LineIn(
            user_id=record.owner_id,
            employee_number=employee_number,
            source_type="trip",
            source_id=str(record.id),
            wage_key=WAGE_KEYS[RateKind(p["kind"])],
            quantity=Decimal(p["km"]),
            rate=Decimal(p["kr_per_km"]),
            amount=amount,
            period=period,
            approved_at=_approved_at(record),
        )
        for p, amount in zip(parts, amounts, strict=True)
    ]


async def feed_payroll(db: AsyncSession, record_id: UUID) -> None:
    """An approved trip's wage lines, paid in the month its approval date and the cut-off decide, or
    the next salary run not yet exported if that month's has been."""
    record = await engine.load(db, SYNC, record_id)
    if record is None or record.state != "approved":
        return
    period = await payroll.pay_period(db, record.municipality_id, _approved_at(record))
    user = await db.get(User, record.owner_id)
    number = (user.employee_number if user else None) or str(record.owner_id)
    await payroll.add_lines(db, record.municipality_id, wage_lines(record, number, period))  # once per trip
    if record.fields.get("payroll") != {"month": period}:
        await engine.save_server_change(
            db, SYNC, REGISTRY, record, {**record.fields, "payroll": {"month": period}}
        )


@after_batch("trip")
async def _trips_changed(db: AsyncSession, records: list[Record]) -> None:
    for municipality_id, owner_id in sorted({(r.municipality_id, r.owner_id) for r in records}):
        await recalculate(db, municipality_id, owner_id)
    for record in records:
        if record.state == "approved":
            await feed_payroll(db, record.id)


@after_batch("place")
async def _places_changed(db: AsyncSession, records: list[Record]) -> None:
    """A new distance home ↔ workplace changes the home deduction of the open trips."""
    for municipality_id, owner_id in sorted({(r.municipality_id, r.owner_id) for r in records}):
        await recalculate(db, municipality_id, owner_id)
