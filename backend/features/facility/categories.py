"""The municipality's own list of report categories (El, VVS, Rengøring, Udearealer, Indeklima, …).

Until the property office or an admin edits it, a municipality uses the shipped default list
(rules/categories.json). The first edit copies that list into the table, so every later change is the
municipality's own. A category is never deleted, only retired: reporters no longer see it, and the
reports that carry it keep their key and show its name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.facility.planning_models import Category
from backend.features.facility.record_type import CATEGORIES
from backend.features.workflow import Effect, Refuse
from sync.apply import Record


@dataclass(frozen=True)
class Listed:
    """One category: `key` (a-z, 0-9, _), its names, and whether it is retired."""

    key: str
    da: str
    en: str
    retired: bool = False


async def listed(db: AsyncSession, municipality_id: int) -> list[Listed]:
    """The municipality's categories in their order, retired ones included (to name old reports)."""
    rows = (
        await db.scalars(
            select(Category)
            .where(Category.municipality_id == municipality_id)
            .order_by(Category.position, Category.id)
        )
    ).all()
    if not rows:
        return [Listed(k, da, en) for k, (da, en) in CATEGORIES.items()]
    return [Listed(c.key, c.da, c.en, c.retired) for c in rows]


async def offered(db: AsyncSession, municipality_id: int) -> list[Listed]:
    """The categories a reporter may choose now (not retired)."""
    return [c for c in await listed(db, municipality_id) if not c.retired]


async def save(db: AsyncSession, municipality_id: int, item: Listed) -> list[Listed]:
    """Add a category or change one's names or retirement (matched by key: sending it twice changes
    nothing more); the first edit copies the default list in. Returns the whole list."""
    existing = {
        c.key: c
        for c in await db.scalars(select(Category).where(Category.municipality_id == municipality_id))
    }
    if not existing:
        for position, (key, (da, en)) in enumerate(CATEGORIES.items()):
            existing[key] = Category(
                municipality_id=municipality_id, key=key, da=da, en=en, position=position
            )
            db.add(existing[key])
        await db.flush()
    row = existing.get(item.key)
    if row is None:
        last = await db.scalar(
            select(func.max(Category.position)).where(Category.municipality_id == municipality_id)
        )
        row = Category(municipality_id=municipality_id, key=item.key, position=(last or 0) + 1)
        db.add(row)
    row.da, row.en, row.retired = item.da, item.en, item.retired
    await db.flush()
    return await listed(db, municipality_id)


RETIRED_OR_UNKNOWN = (
    "Kategorien findes ikke længere. Vælg en anden kategori.",
    "The category no longer exists. Choose another category.",
)


async def check_new_reports(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """The push hook (before service.reports_changed): a new report (not yet placed) must carry one of
    its municipality's offered categories, else it is refused in words; a report made before its category
    was retired keeps it."""
    effects: list[Effect] = []
    cache: dict[int, set[str]] = {}
    for record in records:
        if record.fields.get("place"):
            continue
        if record.municipality_id not in cache:
            cache[record.municipality_id] = {c.key for c in await offered(db, record.municipality_id)}
        if str(record.fields.get("category") or "") not in cache[record.municipality_id]:
            effects.append(Refuse(record, *RETIRED_OR_UNKNOWN))
    return effects
