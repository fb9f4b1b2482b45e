"""Felt's roles and what each may do. Plain Python: no framework, no database.

A role is granted on an org unit and covers that unit and every unit below it (a leader of the
school area approves for every school in it). Roles whose work spans the municipality (payroll,
finance, property office, admin) are granted on the municipality's root unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    EMPLOYEE = "employee"
    SUBSTITUTE = "substitute"
    LEADER = "leader"
    SECRETARY = "secretary"
    PLANNER = "planner"
    PAYROLL = "payroll"
    FINANCE = "finance"
    PROPERTY_OFFICE = "property_office"
    TECHNICIAN = "technician"
    ADMIN = "admin"


MUNICIPALITY_WIDE = frozenset({Role.PAYROLL, Role.FINANCE, Role.PROPERTY_OFFICE, Role.ADMIN})


class Capability(StrEnum):
    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    IMPORT_HR = "import_hr"
    VIEW_AUDIT = "view_audit"
    VIEW_SETTINGS = "view_settings"
    EDIT_SETTINGS = "edit_settings"
    REVIEW_RECEIPTS = "review_receipts"
    APPROVE_MILEAGE = "approve_mileage"
    EXPORT_PAYROLL = "export_payroll"
    BOOK_RECEIPTS = "book_receipts"


# Keyed by name (a Capability is a str), so workflows can look up capabilities by their string.
CAPABILITIES: dict[str, frozenset[Role]] = {
    Capability.VIEW_STAFF: frozenset({Role.LEADER, Role.SECRETARY, Role.PLANNER, Role.PAYROLL, Role.ADMIN}),
    Capability.MANAGE_STAFF: frozenset({Role.ADMIN}),
    Capability.IMPORT_HR: frozenset({Role.ADMIN}),
    Capability.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Capability.VIEW_SETTINGS: frozenset({Role.ADMIN, Role.PAYROLL, Role.FINANCE}),
    Capability.EDIT_SETTINGS: frozenset({Role.ADMIN}),
    # The leader's financial review (økonomisk ledelsestilsyn) and finance's booking.
    Capability.REVIEW_RECEIPTS: frozenset({Role.LEADER, Role.FINANCE}),
    # The leader approves the trips of their units; their approval is the employer's visible approval.
    Capability.APPROVE_MILEAGE: frozenset({Role.LEADER}),
    # Central payroll: exports approved wage lines and follows what is not yet approved.
    Capability.EXPORT_PAYROLL: frozenset({Role.PAYROLL}),
    # Finance books the receipts that payroll paid back, from the file of each payroll export.
    Capability.BOOK_RECEIPTS: frozenset({Role.FINANCE}),
}


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    unit_id: int
    unit_path: str


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user as the rest of the app sees them."""

    user_id: int
    municipality_id: int
    name: str
    unit_id: int | None
    grants: tuple[Grant, ...]
    unit_path: str | None = None
    """The path of the user's own unit: where the records they create belong."""

    def roles(self) -> set[Role]:
        return {g.role for g in self.grants}

    def can(self, capability: Capability | str, unit_path: str) -> bool:
        """True when a grant of a role with `capability` covers the unit at `unit_path`."""
        allowed = CAPABILITIES.get(capability, frozenset())
        return any(g.role in allowed and unit_path.startswith(g.unit_path) for g in self.grants)

    def can_anywhere(self, capability: Capability) -> bool:
        allowed = CAPABILITIES.get(capability, frozenset())
        return any(g.role in allowed for g in self.grants)

    def scopes(self, capability: Capability | str) -> list[str]:
        """The unit paths under which `capability` holds, for filtering queries."""
        allowed = CAPABILITIES.get(capability, frozenset())
        return [g.unit_path for g in self.grants if g.role in allowed]
