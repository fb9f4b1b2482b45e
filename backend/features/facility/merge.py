"""Merging duplicate reports on the property office's triage board: the office chooses the report to
keep; the other becomes "merged" (lagt sammen) with `merged_into` naming the kept one. Nothing is lost:
the merged report keeps its text, photos and history (its photos show on the kept report, photos.py);
its signed-in followers follow the kept one (followers.move); its reporter's private link shows the kept
one's status (controller.py, the receipt). Audited as "merge". Safe to send twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec
from litestar import Controller, Request, post
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from backend import platform
from backend.auth.roles import Principal
from backend.db import audit
from backend.db.sync_tables import SYNC
from backend.deps import DbSession, SignedIn
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.facility import followers
from backend.features.facility.record_type import OPEN_STATES, REPORT, TRIAGE
from backend.features.sync import pipeline
from backend.features.workflow import Change
from sync import engine
from sync.apply import Record

NOT_FOUND = ("Meldingen findes ikke.", "The report does not exist.")


class MergeIn(msgspec.Struct, forbid_unknown_fields=True):
    keep: UUID
    """The report to keep (it goes on)."""
    merge: UUID
    """The duplicate merged into it."""


class MergeOut(msgspec.Struct):
    kept: str
    merged: str
    followers_added: int


async def _report(db: AsyncSession, principal: Principal, report_id: UUID) -> Record:
    record = await engine.load(db, SYNC, report_id)
    if (
        record is None
        or record.type != REPORT
        or record.deleted
        or record.municipality_id != principal.municipality_id
        or not principal.can(TRIAGE, record.unit_path)
    ):
        raise NotFound(*NOT_FOUND)
    return record


async def merge(db: AsyncSession, plat: platform.Platform, principal: Principal, data: MergeIn) -> MergeOut:
    """Merge `data.merge` into `data.keep` (both reports the principal triages). Raises NotFound,
    Invalid (the same report; a closed one; the kept one merged itself), Conflict (already merged into
    another, or changed meanwhile). The caller commits."""
    if not principal.can_anywhere(TRIAGE):
        raise Forbidden("Kun ejendomskontoret.", "Only the property office.")
    if data.keep == data.merge:
        raise Invalid("Vælg to forskellige meldinger.", "Choose two different reports.")
    keep = await _report(db, principal, data.keep)
    dup = await _report(db, principal, data.merge)
    if dup.state == "merged":
        if (dup.fields.get("merged_into") or {}).get("id") == str(keep.id):
            return MergeOut(str(keep.id), str(dup.id), await followers.move(db, dup.id, keep.id))
        raise Conflict(
            "Meldingen er allerede lagt sammen med en anden.", "The report is already merged into another."
        )
    if dup.state not in OPEN_STATES:
        raise Invalid("Kun åbne meldinger kan lægges sammen.", "Only open reports can be merged.")
    if keep.state == "merged":
        raise Invalid(
            "Den melding, du vil beholde, er selv lagt sammen med en anden.",
            "The report you want to keep is itself merged into another.",
        )
    now = datetime.now(UTC)
    into = {"id": str(keep.id), "by": principal.user_id, "at": now.isoformat()}
    change = Change(
        dup,
        fields={**dup.fields, "merged_into": into},
        state="merged",
        step="merge",
        said={"by": principal.user_id, "merged_into": str(keep.id)},
    )
    try:
        await pipeline.save(db, plat, [change])
    except engine.Stale:
        raise Conflict(
            "Meldingen blev ændret imens. Hent tavlen igen og prøv igen.",
            "The report changed meanwhile. Reload the board and try again.",
        ) from None
    added = await followers.move(db, dup.id, keep.id)
    audit.record(
        db,
        "merge",
        municipality_id=principal.municipality_id,
        entity=REPORT,
        entity_id=dup.id,
        changes={"merged_into": [None, str(keep.id)], "followers_added": added},
    )
    return MergeOut(str(keep.id), str(dup.id), added)


class MergeController(Controller):
    path = "/api/facility/reports/merge"
    tags = ["facility"]  # noqa: RUF012

    @post("/", operation_id="facilityMerge", status_code=200)
    async def post_merge(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[MergeIn]
    ) -> MergeOut:
        """Merge a duplicate into the report to keep (the property office)."""
        out = await merge(db_session, platform.of(request), principal, data)
        await db_session.commit()
        return out
