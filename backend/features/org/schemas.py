"""What the API returns for units and people."""

from __future__ import annotations

import msgspec

from backend.db.models import OrgUnit, User


class UnitRef(msgspec.Struct):
    id: int
    name: str


class UnitOut(msgspec.Struct):
    id: int
    code: str
    name: str
    kind: str | None
    parent_id: int | None
    active: bool

    @classmethod
    def of(cls, unit: OrgUnit) -> UnitOut:
        return cls(unit.id, unit.code, unit.name, unit.kind, unit.parent_id, unit.active)


class GrantOut(msgspec.Struct):
    role: str
    unit_id: int
    unit_name: str


class UserOut(msgspec.Struct):
    id: int
    name: str
    email: str | None
    employee_number: str | None
    unit: UnitRef | None
    active: bool
    roles: list[GrantOut]

    @classmethod
    def of(cls, user: User) -> UserOut:
        """`user` must have `unit` and `grants` (with their units) loaded."""
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            employee_number=user.employee_number,
            unit=UnitRef(user.unit.id, user.unit.name) if user.unit else None,
            active=user.active,
            roles=[
                GrantOut(role, unit_id, name)
                # the same role can come from both the identity provider and the HR import
                for role, unit_id, name in sorted({(g.role, g.unit_id, g.unit.name) for g in user.grants})
            ],
        )
