"""Demo shifts: Plejecenter Egebo's shift types and a two-week plan for Erik (the planner) and Fatima,
pushed as Erik's tablet would push them, so the server checks them as it checks real ones; an open
shift and a pending swap, made as the planner's and Fatima's screens make them.
Idempotent: fixed ids and a fixed device; a second run is a no-op."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import OrgUnit, User
from backend.features.shifts import service
from backend.features.shifts.demo_plan import seed_people, seed_plans
from backend.features.shifts.models import ShiftType
from backend.features.sync import pipeline
from backend.platform import Platform
from backend.seed.people import principal_of, push_as
from sync.protocol import Mutation

NAMESPACE = uuid.UUID("0b6f3c9e-7a51-4f0e-8a2d-5d9c3e1f7b42")
TYPES = [
    ("Dag", "07:00", "15:00", 30, ["medicin-kursus"]),
    ("Aften", "15:00", "23:00", 30, []),
    ("Nat", "23:00", "07:00", 0, ["medicin-kursus"]),
]
PLAN = {
    # employee number → shift type per weekday (Monday first); None: a day off
    "1005": ["Dag", "Dag", "Dag", None, "Aften", None, None],
    "1006": ["Aften", "Aften", None, "Dag", "Dag", "Dag", None],
}


async def seed_shifts(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    unit = await db.scalar(
        select(OrgUnit).where(OrgUnit.municipality_id == municipality_id, OrgUnit.code == "PLEJE")
    )
    if unit is None:
        return
    for name, start, end, pause, competences in TYPES:
        found = await db.scalar(
            select(ShiftType.id).where(ShiftType.unit_id == unit.id, ShiftType.name == name)
        )
        if found is None:
            db.add(
                ShiftType(
                    municipality_id=municipality_id,
                    unit_id=unit.id,
                    name=name,
                    start=start,
                    end=end,
                    break_minutes=pause,
                    competences=competences,
                )
            )
    await db.flush()
    await seed_people(db, municipality_id)  # competences and absences before any shift is checked
    types = {name: (start, end, pause, competences) for name, start, end, pause, competences in TYPES}
    monday = today() - timedelta(days=today().weekday())
    mutations = []
    for number, days in PLAN.items():
        user = (
            await db.scalars(
                select(User).where(User.municipality_id == municipality_id, User.employee_number == number)
            )
        ).one()
        for week in range(2):
            for weekday, kind in enumerate(days):
                if kind is None:
                    continue
                start, end, pause, competences = types[kind]
                day = monday + timedelta(days=7 * week + weekday)
                fields = {
                    "date": day.isoformat(),
                    "start": start,
                    "end": end,
                    "break_minutes": pause,
                    "employee": user.id,
                    "unit": unit.id,
                    "shift_type": kind,
                    "competences": competences,
                }
                mutations.append(
                    Mutation(
                        0, "put", "shift", uuid.uuid5(NAMESPACE, f"{number}/{week}/{weekday}"), fields=fields
                    )
                )
    planner = await principal_of(db, platform, municipality_id, "1005")
    await push_as(db, platform, planner, uuid.uuid5(NAMESPACE, "device"), mutations)
    # The rolled-out base plans first: an offer is made to those who can take it when it is made, so an
    # offer made before Egebo's evenings were planned would reach Mette and Olivia, who work that evening.
    await seed_plans(db, platform, municipality_id)
    # An open evening next Thursday (offered to Erik only: Fatima is on the day shift then) and Fatima's
    # day shift next Thursday offered as a swap (Erik may take it; it waits for him and the leader).
    thursday = monday + timedelta(days=10)
    evening = service.ShiftIn(
        uuid.uuid5(NAMESPACE, "open/1"), 0, unit.id, thursday, "15:00", "23:00", 30, "Aften", ()
    )
    await pipeline.save(db, platform, [await service.prepare_open(db, planner, evening)])
    fatima = await principal_of(db, platform, municipality_id, "1006")
    her_shift = uuid.uuid5(NAMESPACE, "1006/1/3")
    offer = await service.prepare_swap(db, fatima, uuid.uuid5(NAMESPACE, "swap/1"), her_shift, None)
    await pipeline.save(db, platform, [offer])
    await db.commit()
