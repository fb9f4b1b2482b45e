"""POST /api/doors/{record_type}/{key}: the narrow door for people who are not logged in (a QR report).

Rate-limited per address with Litestar's own middleware; answers 404 for an unknown type or key, as
for anything else the caller may not see, and never lists or shows other records.
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, post
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, JSONBody

from backend import platform
from backend.deps import DbSession
from backend.errors import NotFound
from backend.features.sync import pipeline
from sync.protocol import MutationResult

DOOR_LIMIT = RateLimitConfig(rate_limit=("minute", 10), store="door_rate_limit")
"""At most 10 reports a minute from one address."""


class DoorIn(msgspec.Struct, forbid_unknown_fields=True):
    id: UUID
    """Chosen by the reporter's device (a random UUID), so a resend creates nothing new."""
    fields: dict[str, object] = msgspec.field(default_factory=dict)


class DoorController(Controller):
    path = "/api/doors"
    tags = ["sync"]  # noqa: RUF012
    middleware = [DOOR_LIMIT.middleware]  # noqa: RUF012

    @post("/{record_type:str}/{key:str}", operation_id="createThroughDoor", status_code=200)
    async def create(
        self,
        request: Request,
        db_session: DbSession,
        record_type: FromPath[str],
        key: FromPath[str],
        data: JSONBody[DoorIn],
    ) -> MutationResult:
        """Create one record where the key places it; a result like a push's (applied or rejected with why)."""
        result = await pipeline.through_door(
            db_session, platform.of(request), record_type, key[:200], data.id, dict(data.fields)
        )
        if result is None:
            raise NotFound("Koden findes ikke.", "The code does not exist.")
        return result
