"""Demo mileage: saved places and a few trips for two employees, and a driving authorisation for one.

The trips go in through the sync engine, as a phone would push them, so the server calculates them
exactly as it does real ones. Idempotent: fixed ids and a fixed device per person; a second run is a no-op.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import User
from backend.features.mileage.models import DrivingAuthorisation
from backend.platform import Platform
from backend.seed.people import principal_of, push_as
from sync.protocol import Mutation

NAMESPACE = uuid.UUID("6d1f5c1e-2b8e-4c55-9d84-0c1a1e5b7a11")

PLACES = [
    {"name": "Hjem", "address": "Lindevej 4, Otterup", "kind": "home", "km_to_work": "12"},
    {"name": "Rådhuset", "address": "Torvet 1, Bogense", "kind": "other"},
]
TRIPS: list[tuple[int, dict[str, Any], bool]] = [
    # (days ago, fields, submitted)
    (6, {"purpose": "Skolebestyrelsesmøde", "from_place": "Nordskolen", "to_place": "Rådhuset", "km": "18.4",
         "round_trip": True}, True),
    (4, {"purpose": "Kursus i førstehjælp", "from_place": "Hjem", "to_place": "Børnehuset Solsikken",
         "km": "31", "starts_at_home": True, "workplace": "Børnehuset Solsikken"}, True),
    (1, {"purpose": "Indkøb af materialer", "from_place": "Nordskolen", "stops": ["Bogense Byggemarked"],
         "to_place": "Nordskolen", "km": "9.5", "vehicle": "bicycle"}, False),
]  # fmt: skip


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))


def _day(days_ago: int) -> date:
    return today() - timedelta(days=days_ago)


async def seed_mileage(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    """Anna and Maja get saved places and trips; Maja's authorisation first, so hers pay the high rate."""
    await seed_authorisation(db, municipality_id, "1013")
    for number in ("1001", "1013"):
        me = await principal_of(db, platform, municipality_id, number)
        mutations = [
            Mutation(0, "put", "place", _id(number, "place", i), fields=place)
            for i, place in enumerate(PLACES)
        ]
        for i, (days_ago, fields, submitted) in enumerate(TRIPS):
            trip_id = _id(number, "trip", i)
            values = {"vehicle": "car", "own_vehicle": True, "date": _day(days_ago).isoformat(), **fields}
            mutations.append(Mutation(0, "put", "trip", trip_id, fields=values))
            if submitted:
                mutations.append(Mutation(0, "transition", "trip", trip_id, transition="submit"))
        await push_as(db, platform, me, _id(number, "device"), mutations)


async def seed_authorisation(db: AsyncSession, municipality_id: int, employee_number: str) -> None:
    user = (
        await db.scalars(
            select(User).where(
                User.municipality_id == municipality_id, User.employee_number == employee_number
            )
        )
    ).one()
    found = await db.scalar(select(DrivingAuthorisation.id).where(DrivingAuthorisation.user_id == user.id))
    if found is None:
        db.add(
            DrivingAuthorisation(
                municipality_id=municipality_id,
                user_id=user.id,
                valid_from=date(today().year, 1, 1),
                reference="Kørselsbemyndigelse 2026-17 (demo)",
            )
        )
        await db.flush()
