"""HTTP for payroll staff: export approved wage lines for a payroll month, download an export again,
see who is not yet approved before the cut-off, and set the municipality's wage type codes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody

from backend import platform
from backend.clock import today
from backend.db.models import Municipality
from backend.deps import DbSession, SignedIn
from backend.errors import Invalid
from backend.features.municipality import service as municipality
from backend.features.payroll import cutoff, service, unapproved, wage_types
from backend.features.payroll.models import PayrollExport
from backend.web.csv_cells import CSV
from backend.web.params import PathId


class ExportOut(msgspec.Struct):
    id: int
    period: str
    format: str
    filename: str
    line_count: int
    total: Decimal
    created_at: datetime
    paid_at: datetime | None


class ExportMade(ExportOut):
    created: bool
    """False: this month had been exported already (by this request's twin); nothing new was made."""
    detail: str
    detail_en: str


class Pending(msgspec.Struct):
    period: str
    lines: int
    total: Decimal
    cutoff: date
    """The month's cut-off: approvals before it are paid in this month's run."""


class ExportsOut(msgspec.Struct):
    exports: list[ExportOut]
    pending: list[Pending]
    next_period: str
    """The salary run to export next: the earliest month with lines waiting or the month approvals go
    to today, skipping months already exported."""
    next_cutoff: date
    """That run's cut-off."""


class ExportIn(msgspec.Struct):
    period: str
    format: str = "csv"


class UnapprovedOut(msgspec.Struct):
    cutoff: date
    """The next cut-off from today: approved before it means paid with that month's salary."""
    people: list[unapproved.Unapproved]


class WageTypeOut(msgspec.Struct):
    key: str
    name: str
    code: str


async def _wage_types_out(db: DbSession, request: Request, municipality_id: int) -> list[WageTypeOut]:
    found = platform.of(request)
    codes = await wage_types.codes(db, found, municipality_id)
    return [WageTypeOut(w.key, w.name_da, codes[w.key]) for w in found.wage_types.values()]


async def _cutoff_day(db: DbSession, municipality_id: int) -> int:
    m = await db.get(Municipality, municipality_id)
    assert m is not None
    return m.payroll_cutoff_day


def _out(e: PayrollExport) -> ExportOut:
    return ExportOut(e.id, e.period, e.format, e.filename, e.line_count, e.total, e.created_at, e.paid_at)


class PayrollController(Controller):
    path = "/api/payroll"
    tags = ["payroll"]  # noqa: RUF012

    @get("/exports", operation_id="listPayrollExports")
    async def list_exports(self, db_session: DbSession, principal: SignedIn) -> ExportsOut:
        """Earlier exports, what waits to be exported per payroll month, and the run to export next."""
        exports = await service.list_exports(db_session, principal)
        pending = await service.pending_total(db_session, principal)
        day = await _cutoff_day(db_session, principal.municipality_id)
        exported = await service.exported_periods(db_session, principal.municipality_id)
        upcoming = cutoff.next_run(today(), day, pending, exported)
        return ExportsOut(
            [_out(e) for e in exports],
            [
                Pending(p, n, t, cutoff.cutoff_date(cutoff.Month.parse(p), day))
                for p, (n, t) in pending.items()
            ],
            str(upcoming),
            cutoff.cutoff_date(upcoming, day),
        )

    @post("/exports", operation_id="createPayrollExport", status_code=201)
    async def create_export(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[ExportIn]
    ) -> Response[ExportMade]:
        """Export every approved wage line of `period` (and earlier ones missed) not exported before.

        Once per payroll month: a second request for the same month (a double click, a retry) answers
        200 with the export already made and `created` false, and makes nothing new.
        """
        made = await service.export(db_session, principal, platform.of(request), data.period, data.format)
        e = made.export
        if made.created:
            text = (f"Eksporten er lavet: {e.filename}.", f"The export has been made: {e.filename}.")
        else:
            text = (
                f"Lønnen for {e.period} er allerede eksporteret ({e.filename}). Der er ikke lavet en ny "
                "eksport, så ingen får udbetalt to gange. Godkendelser herefter kommer med næste lønkørsel.",
                f"The payroll for {e.period} has been exported already ({e.filename}). No new export was "
                "made, so no one is paid twice. Approvals from now on go with the next salary run.",
            )
        out = ExportMade(
            e.id,
            e.period,
            e.format,
            e.filename,
            e.line_count,
            e.total,
            e.created_at,
            e.paid_at,
            made.created,
            *text,
        )
        return Response(out, status_code=201 if made.created else 200)

    @get("/exports/{export_id:int}/file", operation_id="downloadPayrollExport", cache=False, media_type=CSV)
    async def download(self, db_session: DbSession, principal: SignedIn, export_id: PathId) -> Response[str]:
        """The export's file, exactly as it was made."""
        found = await service.get_export(db_session, principal, export_id)
        return Response(
            found.content,
            media_type=f"{found.media_type}; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{found.filename}"'},
        )

    @post("/exports/{export_id:int}/paid", operation_id="markPayrollExportPaid", status_code=200)
    async def mark_paid(
        self, request: Request, db_session: DbSession, principal: SignedIn, export_id: PathId
    ) -> ExportOut:
        """The salary run with this export is paid: its items become "paid"."""
        return _out(await service.mark_paid(db_session, principal, platform.of(request), export_id))

    @get("/unapproved", operation_id="listUnapproved")
    async def list_unapproved(
        self, request: Request, db_session: DbSession, principal: SignedIn
    ) -> UnapprovedOut:
        """Who has items not yet approved, to chase before the cut-off."""
        people = await unapproved.not_approved(db_session, principal, platform.registry_of(request))
        day = await _cutoff_day(db_session, principal.municipality_id)
        exported = await service.exported_periods(db_session, principal.municipality_id)
        # The cut-off of the run approvals go to now: after an early export, the next month's.
        return UnapprovedOut(cutoff.cutoff_date(cutoff.paid_in(today(), day, exported), day), people)

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
