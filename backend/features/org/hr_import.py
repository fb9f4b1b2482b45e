"""Applying the HR system's exports: units and staff are created, updated, or deactivated (never deleted).

Validation runs over the whole file first; a file with any error changes nothing and reports
every error with its line number. The demo data is loaded through the same path.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from backend.db import audit
from backend.db.models import OrgUnit, User
from backend.features.org.grants import replace_grants
from backend.features.org.hr_csv import LineError, StaffRow, UnitRow, parse_staff, parse_units
from backend.features.org.service import root_unit
from backend.features.org.tree import paths_for


class ImportResult(msgspec.Struct):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[LineError] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)


def record_import(db: AsyncSession, municipality_id: int, entity: str, result: ImportResult) -> None:
    """One summary event per import that changed anything (each row change is audited on its own)."""
    if result.created or result.updated or result.deactivated:
        counts = {"created": result.created, "updated": result.updated, "deactivated": result.deactivated}
        audit.record(db, "import", municipality_id=municipality_id, entity=entity, changes=counts)


def set_fields(obj: object, **values: object) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


async def import_units(db: AsyncSession, municipality_id: int, data: bytes) -> ImportResult:
    rows, errors = parse_units(data)
    root = await root_unit(db, municipality_id)
    existing = {
        u.code: u for u in await db.scalars(select(OrgUnit).where(OrgUnit.municipality_id == municipality_id))
    }
    known = set(existing) | {r.code for r in rows}
    errors += [
        LineError(
            r.line,
            f"Overordnet enhed {r.parent_code} findes ikke.",
            f"Parent unit {r.parent_code} does not exist.",
        )
        for r in rows
        if r.parent_code and r.parent_code not in known
    ]
    errors += [
        LineError(
            r.line,
            "Kommunens rod kan ikke have en overordnet enhed.",
            "The municipality's root cannot have a parent.",
        )
        for r in rows
        if r.code == root.code and r.parent_code
    ]
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.line))
    result = ImportResult()
    rows_by_code: dict[str, UnitRow] = {r.code: r for r in rows if r.code != root.code}
    for code, row in rows_by_code.items():
        unit = existing.get(code)
        if unit is None:
            unit = OrgUnit(municipality_id=municipality_id, code=code, name=row.name, kind=row.kind, path="")
            db.add(unit)
            existing[code] = unit
            result.created += 1
        elif set_fields(unit, name=row.name, kind=row.kind, active=True):
            result.updated += 1
        else:
            result.unchanged += 1
    await db.flush()  # new units get their ids, which their children and paths need
    for code, row in rows_by_code.items():
        parent = existing[row.parent_code] if row.parent_code else root
        if existing[code].parent_id != parent.id:
            existing[code].parent_id = parent.id
    for code, unit in existing.items():
        if code not in rows_by_code and unit is not root and unit.active:
            unit.active = False
            result.deactivated += 1
    try:
        paths = paths_for({u.id: u.parent_id for u in existing.values()})
    except ValueError:
        await db.rollback()
        return ImportResult(errors=[LineError(0, "Enhederne danner en løkke.", "The units form a cycle.")])
    for unit in existing.values():
        unit.path = paths[unit.id]
    record_import(db, municipality_id, "org_unit", result)
    return result


async def import_staff(
    db: AsyncSession, municipality_id: int, data: bytes, *, keep_user_id: int | None = None
) -> ImportResult:
    rows, errors = parse_staff(data)
    units = {
        u.code: u
        for u in await db.scalars(
            select(OrgUnit).where(OrgUnit.municipality_id == municipality_id, OrgUnit.active.is_(True))
        )
    }
    errors += [
        LineError(r.line, f"Enhed {r.unit_code} findes ikke.", f"Unit {r.unit_code} does not exist.")
        for r in rows
        if r.unit_code and r.unit_code not in units
    ]
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.line))
    root = await root_unit(db, municipality_id)
    users = {
        u.employee_number: u
        for u in await db.scalars(
            select(User)
            .where(User.municipality_id == municipality_id, User.employee_number.is_not(None))
            .options(selectinload(User.grants))
        )
    }
    result = ImportResult()
    for row in rows:
        await _import_person(db, municipality_id, row, users, units, root, result)
    listed = {r.employee_number for r in rows}
    for number, user in users.items():
        if number not in listed and user.active:
            if user.id == keep_user_id:
                result.notes.append(
                    f"{user.name} ({number}) står ikke i filen, men er dig selv og er ikke deaktiveret."
                )
                continue
            user.active = False
            result.deactivated += 1
    record_import(db, municipality_id, "app_user", result)
    return result


async def _import_person(
    db: AsyncSession,
    municipality_id: int,
    row: StaffRow,
    users: dict[str | None, User],
    units: dict[str, OrgUnit],
    root: OrgUnit,
    result: ImportResult,
) -> None:
    unit = units.get(row.unit_code) if row.unit_code else None
    user = users.get(row.employee_number)
    if user is None:
        user = User(
            municipality_id=municipality_id,
            employee_number=row.employee_number,
            name=row.name,
            email=row.email,
            unit_id=unit.id if unit else None,
            active=row.active,
            grants=[],
        )
        db.add(user)
        users[row.employee_number] = user
        replace_grants(user, row.roles, unit, root, "import")
        result.created += 1
        return
    changed = set_fields(
        user, name=row.name, email=row.email, unit_id=unit.id if unit else None, active=row.active
    )
    changed = replace_grants(user, row.roles, unit, root, "import") or changed
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1
