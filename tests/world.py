"""A small municipality world for API tests, built through the real HR import.

Municipality M (unique slug per test) has units ROOT → A → A1 and ROOT → B, one user per role
(unit-scoped roles on A, municipality-wide ones on the root), and employees in A1 and B.
Municipality N next door has a unit and an employee and an admin of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import Municipality, OrgUnit, User
from backend.features.accounts.chart import import_accounts
from backend.features.municipality.service import create_municipality
from backend.features.org.hr_import import import_staff, import_units

ACCOUNTS_CSV = "code;name;function;type\n1-2.2;Food;1;2.2\n1-2.9;Other goods;1;2.9\n"
UNITS_CSV = "code;name;parent_code;kind\nA;Unit A;;school\nA1;Unit A1;A;school\nB;Unit B;;daycare\n"


def staff_csv(prefix: str) -> str:
    lines = ["employee_number;name;email;unit_code;roles"]
    lines += [
        f"{prefix}{i:02d};{role.value} person;{role.value}@{prefix}.test;A;{role.value}"
        for i, role in enumerate(Role)
    ]
    lines += [
        f"{prefix}90;Employee in A1;a1@{prefix}.test;A1;employee",
        f"{prefix}91;Employee in B;b@{prefix}.test;B;employee",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class World:
    municipality: Municipality
    other: Municipality
    units: dict[str, OrgUnit]
    other_unit: OrgUnit
    by_role: dict[Role, User]
    in_a1: User
    in_b: User
    other_employee: User
    other_admin: User


async def _users(db: AsyncSession, municipality_id: int) -> dict[str, User]:
    rows = await db.scalars(select(User).where(User.municipality_id == municipality_id))
    return {u.employee_number or "": u for u in rows}


async def build_world(db: AsyncSession) -> World:
    tag = uuid.uuid4().hex[:8]
    m = await create_municipality(db, f"m-{tag}", f"Kommune {tag}")
    n = await create_municipality(db, f"n-{tag}", f"Nabo {tag}")
    for municipality, units, staff in (
        (m, UNITS_CSV, staff_csv("M")),
        (
            n,
            "code;name\nNX;Other unit\n",
            "employee_number;name;unit_code;roles\nN1;Other employee;NX;employee\nN2;Other admin;NX;admin\n",
        ),
    ):
        assert not (await import_units(db, municipality.id, units.encode())).errors
        assert not (await import_staff(db, municipality.id, staff.encode())).errors
        assert not (await import_accounts(db, municipality.id, ACCOUNTS_CSV.encode())).errors
    await db.commit()
    units = {u.code: u for u in await db.scalars(select(OrgUnit).where(OrgUnit.municipality_id == m.id))}
    users = await _users(db, m.id)
    others = await _users(db, n.id)
    other_unit = (
        await db.scalars(select(OrgUnit).where(OrgUnit.municipality_id == n.id, OrgUnit.code == "NX"))
    ).one()
    return World(
        municipality=m,
        other=n,
        units=units,
        other_unit=other_unit,
        by_role={role: users[f"M{i:02d}"] for i, role in enumerate(Role)},
        in_a1=users["M90"],
        in_b=users["M91"],
        other_employee=others["N1"],
        other_admin=others["N2"],
    )
