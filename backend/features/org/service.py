"""Reading the org tree and its staff, always fenced to the caller's municipality and scopes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from backend.auth.roles import Capability, Principal
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.errors import Forbidden, NotFound

_NO_ACCESS = ("Du har ikke adgang til denne enhed.", "You do not have access to this unit.")


async def root_unit(db: AsyncSession, municipality_id: int) -> OrgUnit:
    return (
        await db.scalars(
            select(OrgUnit).where(OrgUnit.municipality_id == municipality_id, OrgUnit.parent_id.is_(None))
        )
    ).one()


async def list_units(
    db: AsyncSession, principal: Principal, capability: Capability | None = None
) -> Sequence[OrgUnit]:
    """Active units of the caller's municipality (names are not secret to its own staff);
    with `capability`, only the units where the caller has it, tree order."""
    units = (
        await db.scalars(
            select(OrgUnit)
            .where(OrgUnit.municipality_id == principal.municipality_id, OrgUnit.active.is_(True))
            .order_by(OrgUnit.path)
        )
    ).all()
    return units if capability is None else [u for u in units if principal.can(capability, u.path)]


async def get_unit(db: AsyncSession, principal: Principal, unit_id: int) -> OrgUnit:
    unit = await db.get(OrgUnit, unit_id)
    if unit is None or unit.municipality_id != principal.municipality_id:
        # Another municipality's unit is reported exactly like a missing one: nothing leaks across.
        raise NotFound(f"Enhed {unit_id} findes ikke.", f"Unit {unit_id} does not exist.")
    return unit


async def list_staff(db: AsyncSession, principal: Principal, unit_id: int) -> Sequence[User]:
    """The people of a unit and the units below it, for those who lead, plan or pay them."""
    unit = await get_unit(db, principal, unit_id)
    if not principal.can(Capability.VIEW_STAFF, unit.path):
        raise Forbidden(*_NO_ACCESS)
    return (
        await db.scalars(
            select(User)
            .join(OrgUnit, OrgUnit.id == User.unit_id)
            .where(User.municipality_id == principal.municipality_id, OrgUnit.path.startswith(unit.path))
            .options(selectinload(User.unit), selectinload(User.grants).selectinload(RoleAssignment.unit))
            .order_by(User.name)
        )
    ).all()


async def _unit_path(db: AsyncSession, user: User) -> str:
    unit = await db.get(OrgUnit, user.unit_id) if user.unit_id else None
    return unit.path if unit else (await root_unit(db, user.municipality_id)).path


async def get_user(db: AsyncSession, principal: Principal, user_id: int, *, for_change: bool = False) -> User:
    """A user the caller may see (themself, or staff in their scope) or, with `for_change`, manage."""
    user = (
        await db.scalars(
            select(User)
            .where(User.id == user_id, User.municipality_id == principal.municipality_id)
            .options(selectinload(User.unit), selectinload(User.grants).selectinload(RoleAssignment.unit))
        )
    ).one_or_none()
    if user is None:
        raise NotFound(f"Bruger {user_id} findes ikke.", f"User {user_id} does not exist.")
    capability = Capability.MANAGE_STAFF if for_change else Capability.VIEW_STAFF
    if (for_change or user.id != principal.user_id) and not principal.can(
        capability, await _unit_path(db, user)
    ):
        raise Forbidden("Du har ikke adgang til denne bruger.", "You do not have access to this user.")
    return user


async def set_active(db: AsyncSession, principal: Principal, user_id: int, active: bool) -> User:
    """Leavers are deactivated, never deleted, so every record they made stays."""
    user = await get_user(db, principal, user_id, for_change=True)
    if user.id == principal.user_id and not active:
        raise Forbidden("Du kan ikke deaktivere dig selv.", "You cannot deactivate yourself.")
    user.active = active
    return user
