"""HTTP for the org tree and staff: thin handlers over backend.features.org.service."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromQuery

from backend.auth.roles import Capability
from backend.deps import DbSession, SignedIn
from backend.features.org import service
from backend.features.org.schemas import UnitOut, UserOut
from backend.web.params import PathId


class OrgController(Controller):
    path = "/api"
    tags = ["org"]  # noqa: RUF012

    @get("/units", operation_id="listUnits")
    async def list_units(
        self, db_session: DbSession, principal: SignedIn, access: FromQuery[Capability | None] = None
    ) -> list[UnitOut]:
        """All active units; `?access=view_staff` only those whose staff the caller may see."""
        return [UnitOut.of(u) for u in await service.list_units(db_session, principal, access)]

    @get("/units/{unit_id:int}", operation_id="getUnit")
    async def get_unit(self, db_session: DbSession, principal: SignedIn, unit_id: PathId) -> UnitOut:
        return UnitOut.of(await service.get_unit(db_session, principal, unit_id))

    @get("/units/{unit_id:int}/staff", operation_id="listUnitStaff")
    async def list_staff(self, db_session: DbSession, principal: SignedIn, unit_id: PathId) -> list[UserOut]:
        return [UserOut.of(u) for u in await service.list_staff(db_session, principal, unit_id)]

    @get("/users/{user_id:int}", operation_id="getUser")
    async def get_user(self, db_session: DbSession, principal: SignedIn, user_id: PathId) -> UserOut:
        return UserOut.of(await service.get_user(db_session, principal, user_id))

    @post("/users/{user_id:int}/deactivate", operation_id="deactivateUser", status_code=200)
    async def deactivate(self, db_session: DbSession, principal: SignedIn, user_id: PathId) -> UserOut:
        return UserOut.of(await service.set_active(db_session, principal, user_id, False))

    @post("/users/{user_id:int}/activate", operation_id="activateUser", status_code=200)
    async def activate(self, db_session: DbSession, principal: SignedIn, user_id: PathId) -> UserOut:
        return UserOut.of(await service.set_active(db_session, principal, user_id, True))
