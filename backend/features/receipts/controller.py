"""HTTP for receipts beyond sync: the chart of accounts, the leaders' review draws, finance's booking files."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, put
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy import select

from backend.auth.roles import Principal
from backend.db.models import OrgUnit, ReceiptReviewDraw
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Forbidden
from backend.features.accounts import chart as accounts
from backend.features.accounts.chart import AccountOut
from backend.features.receipts.booking import BookingOut, booking_csv, list_bookings
from backend.features.receipts.record_type import REVIEW_RECEIPTS
from backend.features.receipts.review import auditor_csv
from backend.web.csv_cells import CSV
from backend.web.params import PathId


class DrawOut(msgspec.Struct):
    id: int
    unit_id: int
    unit_name: str
    month: str
    seed: str
    rules: dict[str, Any]
    population: int
    drawn: list[dict[str, Any]]
    drawn_at: datetime


def _review_scopes(principal: Principal) -> list[str]:
    scopes = principal.scopes(REVIEW_RECEIPTS)
    if not scopes:
        raise Forbidden("Kun ledere og økonomi gennemser udlæg.", "Only leaders and finance review receipts.")
    return scopes


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

    @get("/review/draws", operation_id="listReviewDraws")
    async def list_draws(
        self,
        db_session: DbSession,
        principal: SignedIn,
        month: Annotated[str | None, QueryParameter(pattern=r"^\d{4}-\d{2}$")] = None,
    ) -> list[DrawOut]:
        """The review draws of the units I review (all months, or one YYYY-MM), newest first."""
        scopes = _review_scopes(principal)
        query = (
            select(ReceiptReviewDraw, OrgUnit.name, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == ReceiptReviewDraw.unit_id)
            .where(ReceiptReviewDraw.municipality_id == principal.municipality_id)
            .order_by(ReceiptReviewDraw.month.desc(), OrgUnit.name)
        )
        if month:
            query = query.where(ReceiptReviewDraw.month == month)
        return [
            DrawOut(d.id, d.unit_id, name, d.month, d.seed, d.rules, len(d.population), d.drawn, d.drawn_at)
            for d, name, path in await db_session.execute(query)
            if any(path.startswith(scope) for scope in scopes)
        ]

    @get("/review/audit.csv", operation_id="exportReviewAudit", media_type=CSV)
    async def review_audit(
        self,
        db_session: DbSession,
        principal: SignedIn,
        year: Annotated[int, QueryParameter(ge=2000, le=2100)],
    ) -> Response[str]:
        """For the auditors: every draw of the year, each drawn receipt and who signed it off or rejected it."""
        body = await auditor_csv(db_session, principal.municipality_id, year, _review_scopes(principal))
        return Response(
            body,
            media_type=CSV,
            headers={"content-disposition": f'attachment; filename="udlaeg-gennemsyn-{year}.csv"'},
        )

    @get("/bookings", operation_id="listReceiptBookings")
    async def bookings(self, db_session: DbSession, principal: SignedIn) -> list[BookingOut]:
        """For finance: each payroll export that paid back receipts, to download its booking file."""
        return await list_bookings(db_session, principal)

    @get("/bookings/{export_id:int}/file", operation_id="downloadReceiptBooking", media_type=CSV)
    async def booking_file(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        export_id: PathId,
    ) -> Response[str]:
        """CSV for the finance system: account, amount, VAT, date, CVR, employee and links to the photos."""
        base_url = settings.public_url or str(request.base_url).rstrip("/")
        filename, body = await booking_csv(db_session, principal, export_id, base_url)
        return Response(
            body,
            media_type=CSV,
            headers={"content-disposition": f'attachment; filename="{filename}"'},
        )
