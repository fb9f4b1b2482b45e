"""Each unit's working-time profile and norm settings, read for the rules (nearest unit up the tree
that has its own; the law's defaults when none has)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.shifts.models import UnitRules
from backend.features.worktime.rest import RestProfile


@dataclass(frozen=True)
class Settings:
    """What the rules read for one unit: its rest `profile`, its normperiode (`norm_weeks` from the
    Monday `norm_anchor`) and flex band (± `band` minutes)."""

    profile: RestProfile = field(default_factory=RestProfile)
    norm_weeks: int = 12
    norm_anchor: date = date(2026, 1, 5)
    band: int = 20 * 60
    swaps_approve_themselves: bool = False


def of_row(row: UnitRules | None) -> Settings:
    if row is None:
        return Settings()
    profile = RestProfile(
        reduced_rest=row.reduced_rest_minutes,
        reduced_per_week=row.reduced_per_week,
        weekly_rest=row.weekly_rest_minutes,
        weekly_window_days=row.weekly_window_days,
    )
    return Settings(
        profile, row.norm_weeks, row.norm_anchor, row.flex_band_minutes, row.swaps_approve_themselves
    )


async def for_unit(db: AsyncSession, unit_path: str) -> Settings:
    """The settings of the unit at `unit_path` ("1/4/9/"): its own, or its nearest ancestor's."""
    ids = [int(part) for part in unit_path.strip("/").split("/") if part.isdigit()]
    rows = (
        {r.unit_id: r for r in await db.scalars(select(UnitRules).where(UnitRules.unit_id.in_(ids)))}
        if ids
        else {}
    )
    return of_row(next((rows[i] for i in reversed(ids) if i in rows), None))
