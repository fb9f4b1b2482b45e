"""The kinds of wage line the workflows produce, and each municipality's code for them in its payroll system."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.payroll.models import WageTypeCode


@dataclass(frozen=True)
class WageType:
    key: str
    name_da: str
    name_en: str
    default_code: str
    """Used until the municipality sets its own (an example, not any payroll system's real code)."""


WAGE_TYPES: dict[str, WageType] = {}


def register(wage_type: WageType) -> WageType:
    WAGE_TYPES[wage_type.key] = wage_type
    return wage_type


async def codes(db: AsyncSession, municipality_id: int) -> dict[str, str]:
    """Key → the municipality's code, the default where it has set none."""
    rows = await db.execute(
        select(WageTypeCode.key, WageTypeCode.code).where(WageTypeCode.municipality_id == municipality_id)
    )
    own = {key: code for key, code in rows}
    return {key: own.get(key, w.default_code) for key, w in WAGE_TYPES.items()} | own


async def set_codes(db: AsyncSession, municipality_id: int, changes: dict[str, str]) -> None:
    for key, code in changes.items():
        row = await db.get(WageTypeCode, (municipality_id, key))
        if row is None:
            db.add(WageTypeCode(municipality_id=municipality_id, key=key, code=code))
        else:
            row.code = code
