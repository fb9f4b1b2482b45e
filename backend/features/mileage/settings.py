"""Each municipality's mileage data: its rates (copied from the shipped figures the first time they are
needed, then correctable by an admin), its own limits, and the employees' driving authorisations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import User
from backend.errors import Invalid, NotFound
from backend.features.mileage.models import DrivingAuthorisation, MileageLimits, MileageRate
from backend.features.mileage.rules import Authorisation, Limits, Rate, load_default_rates, parse_rates
from sync import fields
from sync.fields import FieldError

LIMIT_FIELDS = {
    "max_km_per_trip": fields.decimal("Grænse pr. tur", "Limit per trip", min="0.1", max="10000", places=1),
    "max_km_per_month": fields.decimal(
        "Grænse pr. måned", "Limit per month", min="0.1", max="100000", places=1
    ),
}
"""The municipality's limits as typed fields: the server checks them, and the admin form checks the same
declarations at once (GET /api/mileage/settings sends them). Empty (None) means no limit."""


def _row(rate: Rate) -> dict[str, Any]:
    return {
        "kind": rate.kind.value,
        "effective_from": rate.effective_from,
        "kr_per_km": rate.kr_per_km,
        "source": rate.source,
        "verify": rate.verify,
    }


async def rates(db: AsyncSession, municipality_id: int) -> tuple[Rate, ...]:
    rows = list(await db.scalars(select(MileageRate).where(MileageRate.municipality_id == municipality_id)))
    if not rows:
        defaults = load_default_rates()
        db.add_all(MileageRate(municipality_id=municipality_id, **_row(r)) for r in defaults)
        await db.flush()
        return defaults
    return parse_rates(
        {
            "kind": r.kind,
            "effective_from": r.effective_from.isoformat(),
            "kr_per_km": format(r.kr_per_km.normalize(), "f"),  # "2.2300" from the column → "2.23"
            "source": r.source,
            "verify": r.verify,
        }
        for r in rows
    )


async def replace_rates(db: AsyncSession, municipality_id: int, rows: Iterable[Mapping[str, Any]]) -> None:
    try:
        parsed = parse_rates(rows)
    except ValueError as exc:
        raise Invalid(f"Satserne er ugyldige: {exc}", f"The rates are not valid: {exc}") from None
    await db.execute(delete(MileageRate).where(MileageRate.municipality_id == municipality_id))
    db.add_all(MileageRate(municipality_id=municipality_id, **_row(r)) for r in parsed)
    await db.flush()


async def limits(db: AsyncSession, municipality_id: int) -> Limits:
    row = await db.get(MileageLimits, municipality_id)
    return Limits(row.max_km_per_trip, row.max_km_per_month) if row else Limits()


async def set_limits(
    db: AsyncSession, municipality_id: int, per_trip: Decimal | None, per_month: Decimal | None
) -> None:
    """Raises Invalid naming the limit (Danish, English) when one is not a number within its field's bounds."""
    for name, value in (("max_km_per_trip", per_trip), ("max_km_per_month", per_month)):
        if value is None:
            continue
        try:
            LIMIT_FIELDS[name].clean(format(value, "f") if value.is_finite() else "x", today())
        except FieldError as exc:
            raise Invalid(exc.da, exc.en) from None
    row = await db.get(MileageLimits, municipality_id)
    if row is None:
        db.add(
            MileageLimits(
                municipality_id=municipality_id, max_km_per_trip=per_trip, max_km_per_month=per_month
            )
        )
    else:
        row.max_km_per_trip, row.max_km_per_month = per_trip, per_month
    await db.flush()


async def authorisations(db: AsyncSession, user_id: int, employee_number: str) -> tuple[Authorisation, ...]:
    rows = await db.scalars(select(DrivingAuthorisation).where(DrivingAuthorisation.user_id == user_id))
    return tuple(
        Authorisation(
            employee_number,
            a.valid_from,
            a.valid_to,
            workplace_ids=frozenset(a.workplaces or ()),
            reference=a.reference,
        )
        for a in rows
    )


async def list_authorisations(
    db: AsyncSession, municipality_id: int
) -> list[tuple[DrivingAuthorisation, User]]:
    rows = await db.execute(
        select(DrivingAuthorisation, User)
        .join(User, User.id == DrivingAuthorisation.user_id)
        .where(DrivingAuthorisation.municipality_id == municipality_id)
        .order_by(User.name, DrivingAuthorisation.valid_from)
    )
    return [(a, u) for a, u in rows.tuples()]


async def add_authorisation(
    db: AsyncSession,
    municipality_id: int,
    employee_number: str,
    valid_from: date,
    valid_to: date | None,
    reference: str,
    workplaces: Iterable[str] = (),
) -> DrivingAuthorisation:
    """Grants one; `workplaces` limits it to trips for those places (none: every trip). Raises NotFound
    for an unknown employee number, Invalid for an end before the start."""
    user = await db.scalar(
        select(User).where(User.municipality_id == municipality_id, User.employee_number == employee_number)
    )
    if user is None:
        raise NotFound(
            f"Ingen medarbejder har nummeret {employee_number}.",
            f"No employee has the number {employee_number}.",
        )
    _check_period(valid_from, valid_to)
    found = DrivingAuthorisation(
        municipality_id=municipality_id,
        user_id=user.id,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=reference,
        workplaces=clean_places(workplaces),
    )
    db.add(found)
    await db.flush()
    return found


def _check_period(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise Invalid("Slutdatoen ligger før startdatoen.", "The end date is before the start date.")


def clean_places(names: Iterable[str]) -> list[str]:
    """The places as typed, trimmed, blanks and repeats left out (in the order given)."""
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if len(name) > 200:
            raise Invalid(
                "Et stednavn må højst være 200 tegn.", "A place name can be at most 200 characters."
            )
        if name and name.casefold() not in {o.casefold() for o in out}:
            out.append(name)
    return out


async def change_authorisation(
    db: AsyncSession,
    municipality_id: int,
    authorisation_id: int,
    valid_from: date,
    valid_to: date | None,
    reference: str,
    workplaces: Iterable[str],
) -> DrivingAuthorisation:
    """Corrects one (its period, reference and places); the employee stays. Raises NotFound, Invalid."""
    found = await db.get(DrivingAuthorisation, authorisation_id)
    if found is None or found.municipality_id != municipality_id:
        raise NotFound("Kørselsbemyndigelsen findes ikke.", "The driving authorisation does not exist.")
    _check_period(valid_from, valid_to)
    found.valid_from, found.valid_to, found.reference = valid_from, valid_to, reference
    found.workplaces = clean_places(workplaces)
    await db.flush()
    return found


async def remove_authorisation(db: AsyncSession, municipality_id: int, authorisation_id: int) -> int:
    """Removes it; returns the employee's user id (their open trips are recalculated)."""
    found = await db.get(DrivingAuthorisation, authorisation_id)
    if found is None or found.municipality_id != municipality_id:
        raise NotFound("Kørselsbemyndigelsen findes ikke.", "The driving authorisation does not exist.")
    await db.delete(found)
    await db.flush()
    return found.user_id
