"""Granting roles: one rule for where a role applies, shared by log-in and HR import."""

from __future__ import annotations

from collections.abc import Iterable

from backend.auth.roles import MUNICIPALITY_WIDE, Role
from backend.db.models import OrgUnit, RoleAssignment, User


def replace_grants(
    user: User, roles: Iterable[Role], unit: OrgUnit | None, root: OrgUnit, source: str
) -> bool:
    """Replace the user's grants from `source` with `roles` on their unit (municipality-wide ones on the root)."""
    wanted: set[tuple[str, int]] = set()
    for role in roles:
        scope = root if role in MUNICIPALITY_WIDE else unit
        if scope is not None:
            wanted.add((role.value, scope.id))
    current = {(g.role, g.unit_id): g for g in user.grants if g.source == source}
    for key, grant in current.items():
        if key not in wanted:
            user.grants.remove(grant)
    for role_name, unit_id in wanted - set(current):
        user.grants.append(
            RoleAssignment(
                municipality_id=user.municipality_id, role=role_name, unit_id=unit_id, source=source
            )
        )
    return wanted != set(current)
