"""GET /api/inbox: everything waiting for the signed-in person; POST one action on many of them."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from backend import platform
from backend.deps import DbSession, SignedIn
from backend.features.inbox import service
from backend.features.inbox.service import InboxItem
from sync.protocol import MutationResult


class ActIn(msgspec.Struct):
    ids: list[UUID]
    note: str | None = None


class InboxController(Controller):
    path = "/api/inbox"
    tags = ["inbox"]  # noqa: RUF012

    @get("/", operation_id="getInbox", cache=False)
    async def inbox(self, request: Request, db_session: DbSession, principal: SignedIn) -> list[InboxItem]:
        """Records waiting for me: a step out of their state is mine to take, over their unit."""
        return await service.inbox(db_session, principal, platform.registry_of(request))

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
            db_session, principal, platform.of(request), record_type, transition, data.ids, data.note
        )
