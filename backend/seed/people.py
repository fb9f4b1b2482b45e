"""What every workflow's demo data needs: a demo employee as a principal, and a push as a phone makes it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.auth.sessions import load_grants
from backend.db.models import OrgUnit, User
from backend.features.sync import pipeline
from backend.platform import Platform
from sync.protocol import Mutation


async def principal_of(db: AsyncSession, platform: Platform, municipality_id: int, number: str) -> Principal:
    """A demo employee as the app sees them when signed in."""
    user = (
        await db.scalars(
            select(User).where(User.municipality_id == municipality_id, User.employee_number == number)
        )
    ).one()
    unit = await db.get(OrgUnit, user.unit_id) if user.unit_id else None
    grants = await load_grants(db, user.id)
    return platform.principal(
        Principal(user.id, municipality_id, user.name, user.unit_id, grants, unit.path if unit else None)
    )


async def push_as(
    db: AsyncSession, platform: Platform, me: Principal, device: uuid.UUID, mutations: list[Mutation]
) -> None:
    """Push as a phone would: numbered from 1 on a fixed device, so a second run is a no-op."""
    for n, m in enumerate(mutations, start=1):
        m.n = n
    await pipeline.push(db, platform, me, device, mutations)
