"""What each audit event is about, in words an admin reads: a record's own title (its date, purpose,
amount, as its workflow's inbox line says it) and whose it is; a user's or a unit's name.

The audit log stores ids; the admin's screen shows "Camilla godkendte kørsel «10.03.2025 · Møde» for
Anna" instead of `approve: trip #7803…` (issue 12, item 17). The sentence itself is made in the PWA,
in Danish or English, from these parts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import AuditEvent, OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.platform import Platform
from sync import engine


@dataclass(frozen=True)
class Subject:
    """What an event is about: `about` (Danish) / `about_en`, and `whose` (the record's subject)."""

    about: str | None = None
    about_en: str | None = None
    whose: str | None = None


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


async def subjects(
    db: AsyncSession, platform: Platform, municipality_id: int, events: Sequence[AuditEvent]
) -> dict[int, Subject]:
    """Event id → what it is about, for the events that name a record, a user or a unit (three queries)."""
    records = {
        e.id: rid for e in events if e.entity in platform.registry.names() and (rid := _uuid(e.entity_id))
    }
    users = {e.id: u for e in events if e.entity == "app_user" and (u := _int(e.entity_id))}
    units = {e.id: u for e in events if e.entity == "org_unit" and (u := _int(e.entity_id))}
    found: dict[int, Subject] = {}
    if records:
        r = SYNC.record.c
        rows = await db.execute(
            select(SYNC.record, User.name.label("whose"))
            .outerjoin(User, User.id == r.owner_id)
            .where(r.id.in_(set(records.values())), r.municipality_id == municipality_id)
        )
        by_id = {}
        for row in rows:
            record = engine.load_row(row)
            line = platform.inbox.get(record.type)
            title = line(record).title if line else (str(record.fields.get("title") or ""), "")
            by_id[record.id] = Subject(title[0] or None, title[1] or title[0] or None, row.whose)
        found |= {event: by_id[rid] for event, rid in records.items() if rid in by_id}
    if users:
        names = {
            i: n
            for i, n in await db.execute(
                select(User.id, User.name).where(
                    User.id.in_(set(users.values())), User.municipality_id == municipality_id
                )
            )
        }
        found |= {event: Subject(names[u], names[u]) for event, u in users.items() if u in names}
    if units:
        names = {
            i: n
            for i, n in await db.execute(
                select(OrgUnit.id, OrgUnit.name).where(
                    OrgUnit.id.in_(set(units.values())), OrgUnit.municipality_id == municipality_id
                )
            )
        }
        found |= {event: Subject(names[u], names[u]) for event, u in units.items() if u in names}
    return found
