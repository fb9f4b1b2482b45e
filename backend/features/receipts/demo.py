"""Demo receipts: a few per employee in every state, so each screen of the receipts flow can be tried.

They go in as a phone would push them. Before the payroll cut-off day they are also paid back by a
real payroll export (Gitte, payroll) and drawn for review by the real draw, so Camilla (leader at
Nordskolen) finds them in her inbox. From the cut-off on they would be paid next month, and
exporting next month's payroll now would close this month to new trips, so they stay sent in.
Idempotent: fixed ids and devices; the export and the draw happen once.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import Municipality
from backend.features.payroll import service as payroll
from backend.features.payroll.models import PayrollExport, WageLine
from backend.features.receipts.review import draw_month
from backend.platform import Platform
from backend.seed.people import principal_of, push_as
from sync.protocol import Mutation

NAMESPACE = uuid.UUID("1f0c9a7e-5d2b-4c1e-8a3f-7b6d5e4c3b2a")

RECEIPTS: list[tuple[dict[str, Any], str]] = [
    # (fields, how far it goes: "draft", "submitted" or "paid")
    ({"merchant": "Netto", "cvr": "13748136", "total": "149.95", "vat": "29.99", "account": "3.22.01-2.2",
      "purpose": "Frugt til skovturen"}, "paid"),
    ({"merchant": "Bog & Idé", "cvr": "24256790", "total": "349.00", "vat": "69.80", "account": "3.22.01-2.9",
      "purpose": "Læsebøger til 3.B"}, "paid"),
    ({"merchant": "DSB", "total": "64.00", "vat": "12.80", "account": "6.45.51-4.9",
      "purpose": "Tog til kursus i Odense"}, "submitted"),
    ({"merchant": "Bauhaus", "total": "89.50", "purpose": ""}, "draft"),
]  # fmt: skip


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))


EMPLOYEES = ("1001", "1013")
PAYROLL = "1007"


async def seed_receipts(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    """Nordskolen's Anna and the daycare's Maja get receipts in every state."""
    people = {number: await principal_of(db, platform, municipality_id, number) for number in EMPLOYEES}
    for number, me in people.items():
        mutations = []
        for i, (fields, reach) in enumerate(RECEIPTS):
            rid = _id(number, "receipt", i)
            mutations.append(
                Mutation(0, "put", "receipt", rid, fields={"date": today().isoformat(), **fields})
            )
            if reach == "paid":
                mutations.append(Mutation(0, "transition", "receipt", rid, transition="submit"))
        await push_as(db, platform, me, _id(number, "device"), mutations)
    this_month = today().isoformat()[:7]
    period = await db.scalar(
        select(func.max(WageLine.period)).where(WageLine.municipality_id == municipality_id)
    )
    exported = await db.scalar(
        select(PayrollExport.id).where(PayrollExport.municipality_id == municipality_id)
    )
    # Only this month's payroll: exporting next month's now would close this month to new trips.
    if period == this_month and not exported:
        staff = await principal_of(db, platform, municipality_id, PAYROLL)
        await payroll.export(db, staff, platform, period)
        municipality = await db.get(Municipality, municipality_id)
        assert municipality is not None
        await draw_month(db, platform, municipality, this_month)
    for number, me in people.items():  # sent in after the export: waiting for the next one
        submits = [
            Mutation(0, "transition", "receipt", _id(number, "receipt", i), transition="submit")
            for i, (_, reach) in enumerate(RECEIPTS)
            if reach == "submitted"
        ]
        await push_as(db, platform, me, _id(number, "device", 2), submits)
