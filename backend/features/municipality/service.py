"""Creating municipalities and reading or changing their settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Capability, Principal
from backend.db.models import Municipality, OrgUnit
from backend.errors import Forbidden, Invalid, NotFound
from backend.features.org.service import root_unit


async def create_municipality(db: AsyncSession, slug: str, name: str, **settings: Any) -> Municipality:
    """A municipality and the root unit of its org tree (code = slug in upper case)."""
    municipality = Municipality(slug=slug, name=name, oidc_claims={}, **settings)
    db.add(municipality)
    await db.flush()
    root = OrgUnit(
        municipality_id=municipality.id, code=slug.upper(), name=name, kind="municipality", path=""
    )
    db.add(root)
    await db.flush()
    root.path = f"{root.id}/"
    return municipality


async def by_slug(db: AsyncSession, slug: str) -> Municipality:
    municipality = (await db.scalars(select(Municipality).where(Municipality.slug == slug))).one_or_none()
    if municipality is None:
        raise NotFound(f"Kommunen {slug!r} findes ikke.", f"Municipality {slug!r} does not exist.")
    return municipality


async def _own(db: AsyncSession, principal: Principal, capability: Capability) -> Municipality:
    root = await root_unit(db, principal.municipality_id)
    if not principal.can(capability, root.path):
        raise Forbidden(
            "Kun kommunens administratorer, løn og økonomi har adgang til indstillingerne.",
            "Only the municipality's admins, payroll and finance can see the settings.",
        )
    municipality = await db.get(Municipality, principal.municipality_id)
    assert municipality is not None
    return municipality


async def get_settings(db: AsyncSession, principal: Principal) -> Municipality:
    return await _own(db, principal, Capability.VIEW_SETTINGS)


async def update_settings(db: AsyncSession, principal: Principal, changes: dict[str, Any]) -> Municipality:
    municipality = await _own(db, principal, Capability.EDIT_SETTINGS)
    day = changes.get("payroll_cutoff_day")
    if day is not None and not 1 <= day <= 28:
        raise Invalid(
            "Lønfristen skal være en dag fra 1 til 28.", "The payroll cut-off must be a day from 1 to 28."
        )
    for key, value in changes.items():
        if value is not None:
            setattr(municipality, key, value)
    return municipality
