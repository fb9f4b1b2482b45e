"""Each municipality's code in its payroll system for the kinds of wage line the workflows declare."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.payroll.models import WageTypeCode

if TYPE_CHECKING:
    from backend.platform import Platform


async def codes(db: AsyncSession, platform: Platform, municipality_id: int) -> dict[str, str]:
    """Key → the municipality's code, the default where it has set none (the platform's wage types)."""
    rows = await db.execute(
        select(WageTypeCode.key, WageTypeCode.code).where(WageTypeCode.municipality_id == municipality_id)
    )
    own = {key: code for key, code in rows}
    return {key: own.get(key, w.default_code) for key, w in platform.wage_types.items()} | own


async def set_codes(db: AsyncSession, municipality_id: int, changes: dict[str, str]) -> None:
    for key, code in changes.items():
        row = await db.get(WageTypeCode, (municipality_id, key))
        if row is None:
            db.add(WageTypeCode(municipality_id=municipality_id, key=key, code=code))
        else:
            row.code = code
