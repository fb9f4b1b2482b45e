"""HTTP for receipts beyond sync: the chart of accounts to pick from, and favourite accounts."""

from __future__ import annotations

from litestar import Controller, delete, get, put
from litestar.params import FromPath, FromQuery

from backend.deps import DbSession, SignedIn
from backend.features.receipts import accounts
from backend.features.receipts.accounts import AccountOut


class ReceiptsController(Controller):
    path = "/api/receipts"
    tags = ["receipts"]  # noqa: RUF012

    @get("/accounts", operation_id="listAccounts")
    async def list_accounts(
        self, db_session: DbSession, principal: SignedIn, q: FromQuery[str | None] = None
    ) -> list[AccountOut]:
        """The chart of accounts, favourites and recently used first; `q` searches code, name, function and type."""
        return await accounts.search(db_session, principal, q)

    @put("/accounts/{code:str}/favourite", operation_id="addFavouriteAccount", status_code=204)
    async def add_favourite(self, db_session: DbSession, principal: SignedIn, code: FromPath[str]) -> None:
        await accounts.set_favourite(db_session, principal, code, True)

    @delete("/accounts/{code:str}/favourite", operation_id="removeFavouriteAccount", status_code=204)
    async def remove_favourite(self, db_session: DbSession, principal: SignedIn, code: FromPath[str]) -> None:
        await accounts.set_favourite(db_session, principal, code, False)
