"""Felt's roles and what each may do. Plain Python: no framework, no database.

A role is granted on an org unit and covers that unit and every unit below it (a leader of the
school area approves for every school in it). Roles whose work spans the municipality (payroll,
finance, property office, admin) are granted on the municipality's root unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


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
    """The shared platform's capabilities; each workflow declares its own (backend.features.workflow)."""

    VIEW_STAFF = "view_staff"
    MANAGE_STAFF = "manage_staff"
    IMPORT_HR = "import_hr"
    VIEW_AUDIT = "view_audit"
    VIEW_SETTINGS = "view_settings"
    EDIT_SETTINGS = "edit_settings"
    EXPORT_PAYROLL = "export_payroll"


# Keyed by name (a Capability is a str): the platform adds each workflow's capabilities to this table.
CAPABILITIES: Mapping[str, frozenset[Role]] = MappingProxyType(
    {
        Capability.VIEW_STAFF: frozenset(
            {Role.LEADER, Role.SECRETARY, Role.PLANNER, Role.PAYROLL, Role.ADMIN}
        ),
        Capability.MANAGE_STAFF: frozenset({Role.ADMIN}),
        Capability.IMPORT_HR: frozenset({Role.ADMIN}),
        Capability.VIEW_AUDIT: frozenset({Role.ADMIN}),
        Capability.VIEW_SETTINGS: frozenset({Role.ADMIN, Role.PAYROLL, Role.FINANCE}),
        Capability.EDIT_SETTINGS: frozenset({Role.ADMIN}),
        # Central payroll: exports approved wage lines and follows what is not yet approved.
        Capability.EXPORT_PAYROLL: frozenset({Role.PAYROLL}),
    }
)


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    unit_id: int
    unit_path: str
    on_behalf_of: int | None = None
    """Set on a grant borrowed as a stand-in (stedfortræder): the leader whose grant it is."""


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
    capabilities: Mapping[str, frozenset[Role]] = field(
        default_factory=lambda: CAPABILITIES, compare=False, repr=False
    )
    """What each role may do: the platform's table (its workflows' capabilities included)."""
    invited: bool = False
    """An invited outsider (signed in with a one-time code, not the identity provider): she reaches only
    the routes marked open to invited people (backend.auth.deps.INVITED_OPT), never the directory."""

    def roles(self) -> set[Role]:
        return {g.role for g in self.grants}

    def can(self, capability: Capability | str, unit_path: str) -> bool:
        """True when a grant of a role with `capability` covers the unit at `unit_path`."""
        allowed = self.capabilities.get(capability, frozenset())
        return any(g.role in allowed and unit_path.startswith(g.unit_path) for g in self.grants)

    def can_anywhere(self, capability: Capability | str) -> bool:
        allowed = self.capabilities.get(capability, frozenset())
        return any(g.role in allowed for g in self.grants)

    def on_behalf_of(self, capability: Capability | str, unit_path: str) -> int | None:
        """The leader this person acts for when only a stand-in's borrowed grant gives `capability`
        over `unit_path`; None when a grant of their own does (or none does)."""
        allowed = self.capabilities.get(capability, frozenset())
        covering = [g for g in self.grants if g.role in allowed and unit_path.startswith(g.unit_path)]
        if not covering or any(g.on_behalf_of is None for g in covering):
            return None
        return covering[0].on_behalf_of

    def scopes(self, capability: Capability | str) -> list[str]:
        """The unit paths under which `capability` holds, for filtering queries."""
        allowed = self.capabilities.get(capability, frozenset())
        return [g.unit_path for g in self.grants if g.role in allowed]
