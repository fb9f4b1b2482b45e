"""Demo substitutes' hours: a demo hourly wage, and Bo Nielsen (substitute, Nordskolen) with a week of
entries in every state; Dorte (secretary) approves one, rejects one, and has yesterday's in her queue.
Dorte has also invited Maja Holm (a relief family, outside the directory) to Nordskolen: she signs in
at #/kode with `maja.holm@aflastning.example` and the code that, without an SMTP server, is written to
`<data dir>/mailbox/` (backend/mail.py).

Entries go in through the sync engine as a phone pushes them, so the server calculates them as real
ones. Idempotent: fixed ids and fixed devices; a second run is a no-op.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import OrgUnit
from backend.features.substitutes import invitations
from backend.features.substitutes.models import SubstituteRate
from backend.features.substitutes.record_type import ENTRY_TYPE
from backend.platform import Platform
from backend.seed.people import principal_of, push_as
from sync.protocol import Mutation

NAMESPACE = uuid.UUID("0b6f3f5e-6a51-4f0e-9a77-3c2f1d7e5a14")
OUTSIDER = ("Maja Holm", "maja.holm@aflastning.example")
"""The demo's invited outsider: a relief family, not in the directory; she signs in with a code."""
DEMO_URL = "http://127.0.0.1:8000"
"""The link in the demo's invitation mail (FELT_PUBLIC_URL wins when set)."""
DEMO_RATE = Decimal("235.00")
"""A demo figure only, not any agreement's rate: each municipality enters its own."""

ENTRIES: list[tuple[int, dict[str, Any], str | None]] = [
    # (days ago, fields, what happens next: "approve", "reject", None = waits in the queue)
    (6, {"start": "08:00", "end": "14:00", "break_minutes": 30, "cover": "3.B dansk og matematik"}, "approve"),
    (5, {"start": "08:00", "end": "12:00", "cover": "Lejrskole-forberedelse"}, "reject"),
    (1, {"start": "10:00", "end": "11:00", "cover": "1.A idræt (tilkaldt)"}, None),
    (1, {"start": "16:00", "end": "20:00", "cover": "Forældremøde, 7.A"}, None),
]  # fmt: skip


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))


def _day(days_ago: int) -> date:
    return today() - timedelta(days=days_ago)


async def seed_substitutes(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    found = await db.scalar(
        select(SubstituteRate.id).where(SubstituteRate.municipality_id == municipality_id)
    )
    if found is None:
        db.add(
            SubstituteRate(
                municipality_id=municipality_id,
                profile="teacher_kl",
                effective_from=date(2025, 1, 1),
                hourly_kr=DEMO_RATE,
                source="Demo",
            )
        )
        await db.flush()
    bo = await principal_of(db, platform, municipality_id, "1002")
    dorte = await principal_of(db, platform, municipality_id, "1004")
    mutations, decisions = [], []
    for i, (days_ago, fields, next_step) in enumerate(ENTRIES):
        entry = _id("entry", i)
        mutations.append(
            Mutation(0, "put", ENTRY_TYPE, entry, fields={"date": _day(days_ago).isoformat(), **fields})
        )
        mutations.append(Mutation(0, "transition", ENTRY_TYPE, entry, transition="submit"))
        if next_step == "reject":
            note = {"note": "Der var ikke lejrskole den dag: ret datoen."}
            decisions.append(Mutation(0, "transition", ENTRY_TYPE, entry, transition="reject", fields=note))
        elif next_step == "approve":
            decisions.append(Mutation(0, "transition", ENTRY_TYPE, entry, transition="approve"))
    await push_as(db, platform, bo, _id("device", "bo"), mutations)
    await push_as(db, platform, dorte, _id("device", "dorte"), decisions)
    school = await db.get(OrgUnit, dorte.unit_id) if dorte.unit_id else None
    if school is not None:  # a standing invitation is found again: idempotent
        await invitations.invite(
            db, dorte, invitations.InvitationIn(school.id, OUTSIDER[0], OUTSIDER[1]), DEMO_URL
        )
