"""HTTP for payroll staff: export approved wage lines for a payroll month, download an export again,
see who is not yet approved before the cut-off, and set the municipality's wage type codes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, JSONBody

from backend import platform
from backend.clock import today
from backend.db.models import Municipality
from backend.deps import DbSession, SignedIn
from backend.errors import Invalid
from backend.features.municipality import service as municipality
from backend.features.payroll import service, unapproved, wage_types
from backend.features.payroll.models import PayrollExport


class ExportOut(msgspec.Struct):
    id: int
    period: str
    format: str
    filename: str
    line_count: int
    total: Decimal
    created_at: datetime
    paid_at: datetime | None


class Pending(msgspec.Struct):
    period: str
    lines: int
    total: Decimal


class ExportsOut(msgspec.Struct):
    exports: list[ExportOut]
    pending: list[Pending]


class ExportIn(msgspec.Struct):
    period: str
    format: str = "csv"


class UnapprovedOut(msgspec.Struct):
    cutoff: date
    """This month's cut-off: approved before it means paid with this month's salary."""
    people: list[unapproved.Unapproved]


class WageTypeOut(msgspec.Struct):
    key: str
    name: str
    code: str


async def _wage_types_out(db: DbSession, request: Request, municipality_id: int) -> list[WageTypeOut]:
    found = platform.of(request)
    codes = await wage_types.codes(db, found, municipality_id)
    return [WageTypeOut(w.key, w.name_da, codes[w.key]) for w in found.wage_types.values()]


def _out(e: PayrollExport) -> ExportOut:
    return ExportOut(e.id, e.period, e.format, e.filename, e.line_count, e.total, e.created_at, e.paid_at)


class PayrollController(Controller):
    path = "/api/payroll"
    tags = ["payroll"]  # noqa: RUF012

    @get("/exports", operation_id="listPayrollExports")
    async def list_exports(self, db_session: DbSession, principal: SignedIn) -> ExportsOut:
        """Earlier exports, and what waits to be exported per payroll month."""
        exports = await service.list_exports(db_session, principal)
        pending = await service.pending_total(db_session, principal)
        return ExportsOut([_out(e) for e in exports], [Pending(p, n, t) for p, (n, t) in pending.items()])

    @post("/exports", operation_id="createPayrollExport", status_code=201)
    async def create_export(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[ExportIn]
    ) -> ExportOut:
        """Export every approved wage line of `period` (and earlier ones missed) not exported before."""
        return _out(
            await service.export(db_session, principal, platform.of(request), data.period, data.format)
        )

    @get("/exports/{export_id:int}/file", operation_id="downloadPayrollExport", cache=False)
    async def download(
        self, db_session: DbSession, principal: SignedIn, export_id: FromPath[int]
    ) -> Response[str]:
        """The export's file, exactly as it was made."""
        found = await service.get_export(db_session, principal, export_id)
        return Response(
            found.content,
            media_type=f"{found.media_type}; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{found.filename}"'},
        )

    @post("/exports/{export_id:int}/paid", operation_id="markPayrollExportPaid", status_code=200)
    async def mark_paid(
        self, request: Request, db_session: DbSession, principal: SignedIn, export_id: FromPath[int]
    ) -> ExportOut:
        """The salary run with this export is paid: its items become "paid"."""
        return _out(await service.mark_paid(db_session, principal, platform.of(request), export_id))

    @get("/unapproved", operation_id="listUnapproved")
    async def list_unapproved(
        self, request: Request, db_session: DbSession, principal: SignedIn
    ) -> UnapprovedOut:
        """Who has items not yet approved, to chase before the cut-off."""
        people = await unapproved.not_approved(db_session, principal, platform.registry_of(request))
        m = await db_session.get(Municipality, principal.municipality_id)
        assert m is not None
        now = today()
        return UnapprovedOut(date(now.year, now.month, min(m.payroll_cutoff_day, 28)), people)

    @get("/wage-types", operation_id="listWageTypes")
    async def list_wage_types(
        self, request: Request, db_session: DbSession, principal: SignedIn
    ) -> list[WageTypeOut]:
        """The kinds of wage line Felt exports, and the municipality's code for each."""
        await municipality.get_settings(db_session, principal)
        return await _wage_types_out(db_session, request, principal.municipality_id)

    @put("/wage-types", operation_id="updateWageTypes")
    async def update_wage_types(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[dict[str, str]]
    ) -> list[WageTypeOut]:
        """Set the municipality's codes: {"mileage_low": "1234", …}."""
        await municipality.update_settings(db_session, principal, {})
        unknown = set(data) - set(platform.of(request).wage_types)
        if unknown or any(not code.strip() or len(code) > 40 for code in data.values()):
            raise Invalid("Ukendt lønart eller tom kode.", "Unknown wage type or empty code.")
        await wage_types.set_codes(db_session, principal.municipality_id, data)
        return await _wage_types_out(db_session, request, principal.municipality_id)
