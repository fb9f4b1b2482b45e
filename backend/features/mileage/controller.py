"""HTTP for mileage beyond sync: the municipality's rates and limits, and the employee's own mileage log."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import FromQuery, JSONBody, QueryParameter
from sqlalchemy import select

from backend import platform
from backend.clock import today
from backend.db.sync_tables import SYNC
from backend.deps import DbSession, SignedIn
from backend.features.mileage import calculation, settings
from backend.features.mileage.models import DrivingAuthorisation
from backend.features.mileage.record_type import STATE_NAMES
from backend.features.mileage.rules import RateKind, RateMissing, rate_on
from backend.features.municipality import service as municipality
from backend.features.sync import pipeline
from backend.web import csv_cells
from backend.web.csv_cells import CSV
from backend.web.params import PathId


class RateRow(msgspec.Struct):
    kind: str
    effective_from: date
    kr_per_km: Decimal
    source: str = ""
    verify: bool = False


class MileageSettings(msgspec.Struct):
    rates: list[RateRow]
    max_km_per_trip: Decimal | None = None
    max_km_per_month: Decimal | None = None
    missing: list[str] = msgspec.field(default_factory=list)
    """Clear messages for the admins: this year's or next year's rates that are not entered."""
    fields: dict[str, Any] = msgspec.field(default_factory=dict)
    """The limits' field declarations (sync.fields), so the admin form refuses what the server would."""


async def _settings_out(db: DbSession, municipality_id: int, lang: str) -> MileageSettings:
    rates = await settings.rates(db, municipality_id)
    limits = await settings.limits(db, municipality_id)
    missing = []
    for year in (today().year, today().year + 1):
        for kind in RateKind:
            try:
                rate_on(rates, kind, date(year, 12, 31))
            except RateMissing as exc:
                if year == today().year or today().month == 12:
                    da, en = exc.for_admins()
                    missing.append(en if lang == "en" else da)
    return MileageSettings(
        rates=[RateRow(r.kind.value, r.effective_from, r.kr_per_km, r.source, r.verify) for r in rates],
        max_km_per_trip=limits.max_km_per_trip,
        max_km_per_month=limits.max_km_per_month,
        missing=missing,
        fields={name: f.describe() for name, f in settings.LIMIT_FIELDS.items()},
    )


class AuthorisationIn(msgspec.Struct, forbid_unknown_fields=True):
    """An unknown field is refused (400), never dropped: a limit typed under another name must not vanish."""

    employee_number: str
    valid_from: date
    valid_to: date | None = None
    reference: str = ""
    workplaces: list[str] = msgspec.field(default_factory=list)
    """Limits it to trips for these places; empty: every trip."""


class AuthorisationOut(AuthorisationIn):
    id: int = 0
    name: str = ""


def _out(a: DrivingAuthorisation, number: str, name: str = "") -> AuthorisationOut:
    return AuthorisationOut(
        number, a.valid_from, a.valid_to, a.reference, list(a.workplaces or []), a.id, name
    )


LOG_HEADER = (
    "date",
    "purpose",
    "from",
    "stops",
    "to",
    "km",
    "vehicle",
    "rate",
    "kr_per_km",
    "amount",
    "status",
)


class MileageController(Controller):
    path = "/api/mileage"
    tags = ["mileage"]  # noqa: RUF012

    @get("/settings", operation_id="getMileageSettings")
    async def get_settings(
        self, db_session: DbSession, principal: SignedIn, lang: FromQuery[str] = "da"
    ) -> MileageSettings:
        """The rates in force (per kind, from a date) and the municipality's own limits."""
        await municipality.get_settings(db_session, principal)
        return await _settings_out(db_session, principal.municipality_id, lang)

    @put("/settings", operation_id="updateMileageSettings")
    async def update_settings(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[MileageSettings]
    ) -> MileageSettings:
        """Replace the rates and limits; every open trip is recalculated with them."""
        await municipality.update_settings(db_session, principal, {})
        await settings.replace_rates(
            db_session, principal.municipality_id, [msgspec.to_builtins(r) for r in data.rates]
        )
        await settings.set_limits(
            db_session, principal.municipality_id, data.max_km_per_trip, data.max_km_per_month
        )
        changes = await calculation.recalculate_municipality(db_session, principal.municipality_id)
        await pipeline.save(db_session, platform.of(request), changes)
        return await _settings_out(db_session, principal.municipality_id, "da")

    @get("/authorisations", operation_id="listDrivingAuthorisations")
    async def list_authorisations(self, db_session: DbSession, principal: SignedIn) -> list[AuthorisationOut]:
        """The written driving authorisations (kørselsbemyndigelser) that allow the high rate."""
        await municipality.get_settings(db_session, principal)
        return [
            _out(a, u.employee_number or "", u.name)
            for a, u in await settings.list_authorisations(db_session, principal.municipality_id)
        ]

    @post("/authorisations", operation_id="addDrivingAuthorisation", status_code=201)
    async def add_authorisation(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[AuthorisationIn]
    ) -> AuthorisationOut:
        await municipality.update_settings(db_session, principal, {})
        a = await settings.add_authorisation(
            db_session,
            principal.municipality_id,
            data.employee_number,
            data.valid_from,
            data.valid_to,
            data.reference,
            data.workplaces,
        )
        changes = await calculation.recalculate(db_session, principal.municipality_id, a.user_id)
        await pipeline.save(db_session, platform.of(request), changes)
        return _out(a, data.employee_number)

    @put("/authorisations/{authorisation_id:int}", operation_id="changeDrivingAuthorisation")
    async def change_authorisation(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        authorisation_id: PathId,
        data: JSONBody[AuthorisationIn],
    ) -> AuthorisationOut:
        """Correct an authorisation's period, reference or places (the employee number is not changed)."""
        await municipality.update_settings(db_session, principal, {})
        a = await settings.change_authorisation(
            db_session,
            principal.municipality_id,
            authorisation_id,
            data.valid_from,
            data.valid_to,
            data.reference,
            data.workplaces,
        )
        changes = await calculation.recalculate(db_session, principal.municipality_id, a.user_id)
        await pipeline.save(db_session, platform.of(request), changes)
        return _out(a, data.employee_number)

    @delete(
        "/authorisations/{authorisation_id:int}", operation_id="removeDrivingAuthorisation", status_code=204
    )
    async def remove_authorisation(
        self, request: Request, db_session: DbSession, principal: SignedIn, authorisation_id: PathId
    ) -> None:
        await municipality.update_settings(db_session, principal, {})
        user_id = await settings.remove_authorisation(db_session, principal.municipality_id, authorisation_id)
        changes = await calculation.recalculate(db_session, principal.municipality_id, user_id)
        await pipeline.save(db_session, platform.of(request), changes)

    @get("/log.csv", operation_id="downloadMileageLog", cache=False, media_type=CSV)
    async def log(
        self,
        db_session: DbSession,
        principal: SignedIn,
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> Response[str]:
        """The signed-in employee's own mileage log (kørselsregnskab) for a year, as CSV."""
        year = year or today().year
        r = SYNC.record.c
        rows = await db_session.execute(
            select(r.state, r.fields)
            .where(r.owner_id == principal.user_id, r.type == "trip", r.deleted.is_(False))
            .order_by(r.created_at)
        )
        trips = sorted(
            ((state, f) for state, f in rows if str(f.get("date") or "").startswith(f"{year:04d}-")),
            key=lambda t: t[1]["date"],
        )
        out = io.StringIO()
        w = csv_cells.writer(out)
        w.writerow(LOG_HEADER)
        for state, f in trips:
            calc: dict[str, Any] = f.get("calc") or {}
            parts = calc.get("parts") or []
            w.writerow(
                (
                    f["date"],
                    f.get("purpose", ""),
                    f.get("from_place", ""),
                    " | ".join(f.get("stops") or []),
                    f.get("to_place", ""),
                    f.get("km") or "",
                    f.get("vehicle", ""),
                    calc.get("rate_applied", ""),
                    " + ".join(p["kr_per_km"] for p in parts),
                    calc.get("amount", ""),
                    STATE_NAMES[state][0],
                )
            )
        return Response(
            out.getvalue(),
            media_type=CSV,
            headers={"content-disposition": f'attachment; filename="koerselsregnskab-{year}.csv"'},
        )
