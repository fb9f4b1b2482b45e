"""From an identity provider's claims to a Felt user with roles: nobody types staff in by hand.

Which claim holds what, and which group means which role, can differ per municipality; the
defaults below are overridden by the municipality's `oidc_claims` setting. Groups map to roles
by name (default "felt-<role>", e.g. "felt-leader"). Roles are granted on the user's unit; the
municipality-wide ones (payroll, finance, property office, admin) on the municipality's root.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from backend.auth.roles import MUNICIPALITY_WIDE, Role
from backend.db.models import Municipality, OrgUnit, User
from backend.errors import Forbidden, Invalid
from backend.features.org.grants import replace_grants
from backend.features.org.service import root_unit

DEFAULTS: dict[str, Any] = {
    "name": "name",
    "email": "email",
    "employee_number": "employee_number",
    "unit": "unit",
    "groups": "groups",
    "group_prefix": "felt-",
    "group_roles": {},
}


@dataclass(frozen=True)
class Identity:
    subject: str
    name: str
    email: str | None
    employee_number: str | None
    unit_code: str | None
    roles: frozenset[Role]


def identity_from_claims(claims: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> Identity:
    """Read who the user is from ID-token/userinfo claims. Pure: tested without a provider."""
    names = {**DEFAULTS, **(overrides or {})}
    subject = claims.get("sub")
    if not subject:
        raise Invalid("Log-in-udbyderen sendte ingen bruger-id.", "The identity provider sent no subject.")
    groups = claims.get(names["groups"]) or []
    if isinstance(groups, str):
        groups = [groups]
    explicit: Mapping[str, str] = names["group_roles"]
    prefix: str = names["group_prefix"]
    roles = set()
    for group in groups:
        name = explicit.get(group) or (group[len(prefix) :] if prefix and group.startswith(prefix) else None)
        if name is not None and name in Role.__members__.values():
            roles.add(Role(name))

    def text(key: str) -> str | None:
        value = claims.get(names[key])
        return str(value).strip() or None if value is not None else None

    return Identity(
        subject=str(subject),
        name=text("name") or claims.get("preferred_username") or str(subject),
        email=text("email"),
        employee_number=text("employee_number"),
        unit_code=text("unit"),
        roles=frozenset(roles or {Role.EMPLOYEE}),
    )


async def upsert_user(db: AsyncSession, municipality: Municipality, identity: Identity) -> User:
    """Create or update the user at log-in; a person first imported from HR is matched by employee number."""
    query = select(User).options(selectinload(User.grants)).where(User.municipality_id == municipality.id)
    user = (await db.scalars(query.where(User.subject == identity.subject))).one_or_none()
    if user is None and identity.employee_number:
        user = (await db.scalars(query.where(User.employee_number == identity.employee_number))).one_or_none()
    if user is not None and not user.active:
        raise Forbidden(
            "Din adgang til Felt er lukket. Kontakt din leder, hvis det er en fejl.",
            "Your access to Felt has been closed. Contact your leader if this is a mistake.",
        )
    unit = None
    if identity.unit_code:
        unit = (
            await db.scalars(
                select(OrgUnit).where(
                    OrgUnit.municipality_id == municipality.id, OrgUnit.code == identity.unit_code
                )
            )
        ).one_or_none()
    if user is None:
        user = User(municipality_id=municipality.id, grants=[])
        db.add(user)
    user.subject = identity.subject
    user.name = identity.name
    user.email = identity.email
    if identity.employee_number:
        user.employee_number = identity.employee_number
    if unit is not None:
        user.unit_id = unit.id
    # A unit-scoped role without a known unit is dropped rather than widened to the whole municipality.
    roles = [r for r in identity.roles if r in MUNICIPALITY_WIDE or unit is not None]
    replace_grants(user, roles, unit, await root_unit(db, municipality.id), "idp")
    await db.flush()
    return user
