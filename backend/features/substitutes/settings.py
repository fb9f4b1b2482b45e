"""Each municipality's figures for substitutes' hours: the hourly wage per agreement profile (dated) and
the deadline for hours. Read by the push hook; replaced by an admin (controller.py), after which every
open entry is recalculated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.errors import Invalid
from backend.features.substitutes.models import SubstituteRate, SubstituteSettings
from backend.features.substitutes.rules import deadline
from backend.features.substitutes.rules.profiles import load_profiles
from backend.features.worktime.wallclock import parse_clock


class RateRow(msgspec.Struct):
    """The hourly wage (kr) of substitutes under `profile` from `effective_from`."""

    profile: str
    effective_from: date
    hourly_kr: Decimal
    source: str = ""


class ProfileName(msgspec.Struct):
    """An agreement profile (rules/profiles.json) as the admin screen names it."""

    key: str
    name_da: str
    name_en: str


class Figures(msgspec.Struct):
    rates: list[RateRow]
    deadline_day: int
    deadline_clock: str
    max_months_back: int
    profiles: list[ProfileName] = msgspec.field(default_factory=list)
    """The agreement profiles a rate may be for (answers only; ignored when sent)."""


async def read(db: AsyncSession, municipality_id: int) -> Figures:
    rows = await db.scalars(
        select(SubstituteRate)
        .where(SubstituteRate.municipality_id == municipality_id)
        .order_by(SubstituteRate.profile, SubstituteRate.effective_from)
    )
    rule = await deadline_of(db, municipality_id)
    return Figures(
        rates=[RateRow(r.profile, r.effective_from, Decimal(r.hourly_kr), r.source) for r in rows],
        deadline_day=rule.day_of_next_month,
        deadline_clock=f"{rule.clock // 60:02d}:{rule.clock % 60:02d}",
        max_months_back=rule.max_months_back,
        profiles=[ProfileName(p.key, p.name_da, p.name_en) for p in load_profiles().values()],
    )


async def deadline_of(db: AsyncSession, municipality_id: int) -> deadline.Deadline:
    """The municipality's deadline, or the shipped default (rules/deadline_default.json)."""
    found = await db.get(SubstituteSettings, municipality_id)
    if found is None:
        return deadline.default()
    return deadline.Deadline(found.deadline_day, parse_clock(found.deadline_clock), found.max_months_back)


def _check(figures: Figures) -> None:
    profiles = load_profiles()
    seen = set()
    for r in figures.rates:
        if r.profile not in profiles:
            raise Invalid(f"Ukendt overenskomst: {r.profile}.", f"Unknown agreement: {r.profile}.")
        if not Decimal("0") < r.hourly_kr <= Decimal("10000") or r.hourly_kr != r.hourly_kr.quantize(
            Decimal("0.01")
        ):
            raise Invalid(
                "Timelønnen skal være et beløb over 0 og højst 10.000 kr. med højst 2 decimaler.",
                "The hourly wage must be above 0 and at most 10,000 kr, with at most 2 decimals.",
            )
        if (r.profile, r.effective_from) in seen:
            raise Invalid(
                "Samme overenskomst og dato står to gange.", "The same agreement and date appear twice."
            )
        seen.add((r.profile, r.effective_from))
    try:
        parse_clock(figures.deadline_clock)
        deadline.Deadline(figures.deadline_day, 0, figures.max_months_back)
    except ValueError as exc:
        raise Invalid(
            "Fristen skal være en dag 1–28, et klokkeslæt TT:MM og 0–12 måneder tilbage.",
            "The deadline must be a day 1–28, a time HH:MM and 0–12 months back.",
        ) from exc
    if figures.max_months_back > 12 or figures.deadline_clock == "24:00":
        raise Invalid(
            "Fristen skal være en dag 1–28, et klokkeslæt TT:MM og 0–12 måneder tilbage.",
            "The deadline must be a day 1–28, a time HH:MM and 0–12 months back.",
        )


async def replace(db: AsyncSession, municipality_id: int, figures: Figures) -> None:
    """Replace the municipality's rates and deadline (the same figures twice change nothing).

    Raises Invalid (400) with Danish and English words for an unknown profile, a wage out of range, a
    repeated profile and date, or a deadline that is not a day 1–28, a time HH:MM and 0–12 months."""
    _check(figures)
    await db.execute(delete(SubstituteRate).where(SubstituteRate.municipality_id == municipality_id))
    db.add_all(
        SubstituteRate(
            municipality_id=municipality_id,
            profile=r.profile,
            effective_from=r.effective_from,
            hourly_kr=r.hourly_kr,
            source=r.source,
        )
        for r in figures.rates
    )
    found = await db.get(SubstituteSettings, municipality_id)
    if found is None:
        found = SubstituteSettings(municipality_id=municipality_id)
        db.add(found)
    found.deadline_day = figures.deadline_day
    found.deadline_clock = figures.deadline_clock
    found.max_months_back = figures.max_months_back
    await db.flush()
