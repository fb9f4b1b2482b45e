"""Creating municipalities and reading or changing their settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Capability, Principal
from backend.db.models import Municipality, OrgUnit
from backend.errors import Forbidden, Invalid, NotFound
from backend.features.org.service import root_unit

MIN_RETENTION_YEARS = 5
"""Bookkeeping rules: 5 years from the end of the financial year (domain-rules.md §2)."""


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
    _check_receipt_rules(municipality, changes)
    for key, value in changes.items():
        if value is not None:
            setattr(municipality, key, value)
    for key in ("receipt_review_amount_limit", "receipt_retention_years"):
        if changes.get(key) == 0:
            setattr(municipality, key, None)  # 0 switches it off
    return municipality


def _check_receipt_rules(municipality: Municipality, changes: dict[str, Any]) -> None:
    share = changes.get("receipt_review_share")
    if share is not None and not 0 < share <= 1:
        raise Invalid(
            "Andelen til gennemsyn skal være mellem 0 og 1 (0,05 er 5 %).",
            "The review share must be between 0 and 1 (0.05 is 5%).",
        )
    below = changes.get("receipt_review_all_below")
    if below is not None and not 0 <= below <= 1000:
        raise Invalid("Grænsen skal være fra 0 til 1000 udlæg.", "The threshold must be 0 to 1000 receipts.")
    limit = changes.get("receipt_review_amount_limit")
    if limit is not None and limit < 0:
        raise Invalid("Beløbsgrænsen kan ikke være negativ.", "The amount limit cannot be negative.")
    years = changes.get("receipt_retention_years")
    if years:
        if years < MIN_RETENTION_YEARS:
            raise Invalid(
                f"Udlæg skal gemmes mindst {MIN_RETENTION_YEARS} år efter regnskabsåret.",
                f"Receipts must be kept at least {MIN_RETENTION_YEARS} years after the financial year.",
            )
        if not (changes.get("retention_authorisation") or municipality.retention_authorisation or "").strip():
            raise Invalid(
                "Sletning kræver Rigsarkivets tilladelse: angiv dens journalnummer først.",
                "Deleting needs the National Archives' authorisation: give its reference first.",
            )
