"""Buildings and rooms from a CSV file (docs/facility-import.md): one row per room, `building;address;
unit_code;room`, read like the HR import (`;`, `,` or tab; UTF-8 or Windows-1252). A building is matched
by name, a room by its building and name: importing the same file again changes nothing, and a file
with any problem changes nothing (every problem with its line number)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import OrgUnit
from backend.features.facility.models import Building, Room
from backend.features.facility.rules.codes import new_code
from backend.features.org.hr_csv import LineError, read_rows

REQUIRED = {"building", "unit_code", "room"}


@dataclass
class Imported:
    buildings: int = 0
    rooms: int = 0
    errors: list[LineError] = field(default_factory=list)


async def import_buildings(db: AsyncSession, municipality_id: int, data: bytes) -> Imported:
    """Create the buildings and rooms the file names that do not exist yet (new rooms get new codes);
    an existing building takes the file's address and unit. Raises CsvUnreadable for an unreadable file."""
    units = {
        u.code: u for u in await db.scalars(select(OrgUnit).where(OrgUnit.municipality_id == municipality_id))
    }
    buildings = {
        b.name: b
        for b in await db.scalars(select(Building).where(Building.municipality_id == municipality_id))
    }
    rooms = {
        (r.building_id, r.name)
        for r in await db.scalars(select(Room).where(Room.municipality_id == municipality_id))
    }
    out = Imported()
    seen: set[tuple[str, str]] = set()
    for line, row in read_rows(data, REQUIRED):
        name, room, unit = row["building"][:200], row["room"][:200], units.get(row["unit_code"])
        if not name or not room:
            out.errors.append(
                LineError(line, "Bygning og rum skal udfyldes.", "Building and room are required.")
            )
            continue
        if unit is None:
            out.errors.append(
                LineError(
                    line,
                    f"Enheden {row['unit_code']} findes ikke.",
                    f"Unit {row['unit_code']} does not exist.",
                )
            )
            continue
        if (name, room) in seen:
            out.errors.append(
                LineError(line, f"Rummet {room} står to gange.", f"Room {room} is listed twice.")
            )
            continue
        seen.add((name, room))
        building = buildings.get(name)
        if building is None:
            building = Building(
                municipality_id=municipality_id, unit_id=unit.id, name=name, open_reporting=False
            )
            db.add(building)
            await db.flush()
            buildings[name] = building
            out.buildings += 1
        building.address, building.unit_id = row.get("address", "")[:300], unit.id
        if (building.id, room) not in rooms:
            db.add(Room(municipality_id=municipality_id, building_id=building.id, name=room, code=new_code()))
            rooms.add((building.id, room))
            out.rooms += 1
    await db.flush()
    return out
