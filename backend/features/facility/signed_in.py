"""Reporting signed in: the way in for a building closed to reports without log-in (a setting per
building), and for anyone signed in who scans a code of their own municipality. The scanned code asks
the person to log in (controller.py answers 401 for a closed building's code); then the same form sends
the report through the same door as themselves: they become its reporter and follower (followers.py),
told of its status changes, and keep a private link like everyone else. Only their own municipality's
codes; anything else answers 404 like the public door.
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from backend import platform
from backend.auth.roles import Principal
from backend.deps import DbSession, SignedIn
from backend.errors import NotFound
from backend.features.facility import followers, service
from backend.features.facility.controller import (
    REPLACED,
    UNKNOWN,
    FollowIn,
    OpenReport,
    RoomOut,
    room_categories,
)
from backend.features.facility.models import Room
from backend.features.facility.record_type import REPORT
from backend.features.facility.rules import codes
from backend.features.sync import pipeline
from sync.protocol import MutationResult


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    id: UUID
    """Chosen by the phone (a random UUID), so a resend creates nothing new."""
    fields: dict[str, object] = msgspec.field(default_factory=dict)


async def _room(db: DbSession, principal: Principal, code: str) -> service.Scanned:
    found = await service.scan(db, code[:64])
    if found.replaced:
        raise NotFound(*REPLACED)
    if (
        found.room is None
        or found.building is None
        or found.building.municipality_id != principal.municipality_id
    ):
        raise NotFound(*UNKNOWN)
    return found


class SignedInReportController(Controller):
    path = "/api/facility/rooms/{code:str}"
    tags = ["facility"]  # noqa: RUF012

    @get("/", operation_id="facilityScanSignedIn", cache=False)
    async def scan(self, db_session: DbSession, principal: SignedIn, code: FromPath[str]) -> RoomOut:
        """What a code of one's own municipality opens, open to reports without log-in or not."""
        found = await _room(db_session, principal, code)
        assert found.room is not None and found.building is not None
        room: Room = found.room
        return RoomOut(
            room.code,
            found.building.name,
            room.name,
            await room_categories(db_session, room.municipality_id),
            [msgspec.convert(o, OpenReport) for o in await service.open_reports(db_session, room)],
        )

    @post("/report", operation_id="facilityReportSignedIn", status_code=200)
    async def report(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        code: FromPath[str],
        data: JSONBody[ReportIn],
    ) -> MutationResult:
        """Report from the room as oneself (through the door, placed on the building); safe to resend."""
        await _room(db_session, principal, code)
        token = service.SIGNED_IN_REPORTER.set(principal.municipality_id)
        try:
            result = await pipeline.through_door(
                db_session, platform.of(request), REPORT, code[:64], data.id, dict(data.fields)
            )
        finally:
            service.SIGNED_IN_REPORTER.reset(token)
        if result is None:
            raise NotFound(*UNKNOWN)
        if result.status == "applied":
            await followers.add(db_session, data.id, principal.user_id, reporter=not result.duplicate)
            await db_session.commit()
        return result

    @post("/follow", operation_id="facilityFollowSignedIn", status_code=200)
    async def follow(
        self, db_session: DbSession, principal: SignedIn, code: FromPath[str], data: JSONBody[FollowIn]
    ) -> dict[str, bool]:
        """Follow a report of this room: by a private link, and told of its status changes."""
        found = await _room(db_session, principal, code)
        assert found.room is not None
        if not codes.looks_like_code(data.secret) or not await service.follow(
            db_session, found.room, data.report_id, data.secret
        ):
            raise NotFound("Meldingen findes ikke.", "The report does not exist.")
        await followers.add(db_session, data.report_id, principal.user_id)
        await db_session.commit()
        return {"following": True}
