"""GET /api/inbox: everything waiting for the signed-in person; POST one action on many of them;
reopen a decision with a reason; /api/stand-ins: a leader's stand-ins (stedfortrædere)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody

from backend import platform
from backend.deps import DbSession, SignedIn
from backend.features.inbox import service, stand_ins
from backend.features.inbox.service import Counts, InboxItem
from backend.features.inbox.stand_ins import Person, StandInChange, StandInIn, StandInOut
from backend.web.params import PathId
from sync.protocol import MutationResult, RecordOut


class ActIn(msgspec.Struct):
    ids: list[UUID]
    note: str | None = None
    seen: dict[UUID, int] | None = None
    """Record id → the version the decision was made on (a decision queued offline)."""


class ReopenIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str
    seen: int | None = None


class InboxController(Controller):
    path = "/api/inbox"
    tags = ["inbox"]  # noqa: RUF012

    @get("/", operation_id="getInbox", cache=False)
    async def inbox(self, request: Request, db_session: DbSession, principal: SignedIn) -> list[InboxItem]:
        """Records waiting for me (or for me as a stand-in), by deadline (the payroll cut-off), then age."""
        return await service.inbox(db_session, principal, platform.of(request))

    @get("/count", operation_id="countInbox", cache=False)
    async def count(self, request: Request, db_session: DbSession, principal: SignedIn) -> Counts:
        """The home tile's numbers."""
        return await service.counts(db_session, principal, platform.of(request))

    @get("/decided", operation_id="getDecided", cache=False)
    async def decided(self, request: Request, db_session: DbSession, principal: SignedIn) -> list[InboxItem]:
        """Decisions of the last two months that I may reopen, newest first."""
        return await service.decided(db_session, principal, platform.of(request))

    @post("/{record_type:str}/{transition:str}", operation_id="actOnMany", status_code=200)
    async def act(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        record_type: FromPath[str],
        transition: FromPath[str],
        data: JSONBody[ActIn],
    ) -> list[MutationResult]:
        """One transition (approve, reject with a note) on many records; a result per record, in order."""
        return await service.act(
            db_session,
            principal,
            platform.of(request),
            record_type,
            transition,
            data.ids,
            data.note,
            data.seen,
        )

    @post("/{record_type:str}/{record_id:uuid}/reopen", operation_id="reopenDecision", status_code=200)
    async def reopen(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        record_type: FromPath[str],
        record_id: FromPath[UUID],
        data: JSONBody[ReopenIn],
    ) -> RecordOut:
        """Reopen an approved record with a reason (audited: who, when, on whose behalf, old and new)."""
        return await service.reopen(
            db_session, principal, platform.of(request), record_type, record_id, data.reason, data.seen
        )


class StandInController(Controller):
    path = "/api/stand-ins"
    tags = ["inbox"]  # noqa: RUF012

    @get("/", operation_id="listStandIns", cache=False)
    async def listed(self, db_session: DbSession, principal: SignedIn) -> list[StandInOut]:
        """The stand-in periods I named or stand in for (an admin: all), not yet ended."""
        return await stand_ins.listed(db_session, principal)

    @get("/candidates", operation_id="standInCandidates", cache=False)
    async def candidates(self, db_session: DbSession, principal: SignedIn) -> list[Person]:
        return await stand_ins.candidates(db_session, principal)

    @post("/", operation_id="createStandIn", status_code=201)
    async def create(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[StandInIn]
    ) -> StandInOut:
        """Name a stand-in for a date range (a leader, for a unit they lead)."""
        return await stand_ins.create(db_session, principal, data)

    @put("/{stand_in_id:int}", operation_id="changeStandIn")
    async def change(
        self, db_session: DbSession, principal: SignedIn, stand_in_id: PathId, data: JSONBody[StandInChange]
    ) -> StandInOut:
        """Change the dates; once the period has started, only its end date."""
        return await stand_ins.change(db_session, principal, stand_in_id, data)

    @delete("/{stand_in_id:int}", operation_id="withdrawStandIn", status_code=204)
    async def withdraw(self, db_session: DbSession, principal: SignedIn, stand_in_id: PathId) -> None:
        """Withdraw a period that has not started."""
        await stand_ins.withdraw(db_session, principal, stand_in_id)
