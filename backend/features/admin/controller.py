"""HTTP for the administrator: import units and staff from HR, read the audit log, change settings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import platform
from backend.auth import oidc
from backend.auth.roles import Capability
from backend.db.models import AuditEvent, User
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Forbidden, Invalid
from backend.features.accounts import chart
from backend.features.accounts.chart import WordIn, WordOut, import_accounts
from backend.features.admin import audit_subjects
from backend.features.municipality import service as municipality_service
from backend.features.org.hr_csv import CsvUnreadable
from backend.features.org.hr_import import ImportResult, import_staff, import_units
from backend.features.org.service import root_unit
from backend.web.params import OptionalQueryId


class AuditOut(msgspec.Struct):
    id: int
    at: datetime
    actor_name: str | None
    action: str
    entity: str
    entity_id: str | None
    changes: dict[str, Any]
    about: str | None = None
    """What the record is, in words (a trip's date and purpose; a user's name), Danish."""
    about_en: str | None = None
    whose: str | None = None
    """Whose record it is (its subject), when it is someone's."""


class SettingsOut(msgspec.Struct):
    slug: str
    name: str
    payroll_cutoff_day: int
    oidc_issuer: str | None
    oidc_client_id: str | None
    oidc_claims: dict[str, Any]
    receipt_review_share: Decimal
    receipt_review_all_below: int
    receipt_review_amount_limit: Decimal | None
    receipt_retention_years: int | None
    retention_authorisation: str | None


class SettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    payroll_cutoff_day: int | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_claims: dict[str, Any] | None = None
    receipt_review_share: Decimal | None = None
    receipt_review_all_below: int | None = None
    receipt_review_amount_limit: Decimal | None = None
    """0 switches the limit off."""
    receipt_retention_years: int | None = None
    """0 switches deleting off (receipts are kept)."""
    retention_authorisation: str | None = None


async def _require_root(db: AsyncSession, principal: SignedIn, capability: Capability) -> None:
    if not principal.can(capability, (await root_unit(db, principal.municipality_id)).path):
        raise Forbidden(
            "Kun kommunens administratorer har adgang.", "Only the municipality's administrators have access."
        )


async def _csv_body(request: Request) -> bytes:
    body = await request.body()
    if not body.strip():
        raise Invalid("Vælg en CSV-fil at indlæse.", "Choose a CSV file to import.")
    return body


async def _import(db: AsyncSession, principal: SignedIn, request: Request, which: str) -> ImportResult:
    await _require_root(db, principal, Capability.IMPORT_HR)
    body = await _csv_body(request)
    try:
        if which == "units":
            result = await import_units(db, principal.municipality_id, body)
        elif which == "accounts":
            result = await import_accounts(db, principal.municipality_id, body)
        else:
            result = await import_staff(db, principal.municipality_id, body, keep_user_id=principal.user_id)
    except CsvUnreadable as exc:
        raise Invalid(str(exc)) from exc
    if result.errors:
        await db.rollback()  # a file with any error changes nothing
        result.notes.append("Intet er ændret: ret fejlene i filen og indlæs den igen.")
    return result


def _settings_out(m: Any) -> SettingsOut:
    return SettingsOut(**{name: getattr(m, name) for name in SettingsOut.__struct_fields__})


class AdminController(Controller):
    path = "/api"
    tags = ["admin"]  # noqa: RUF012

    @post("/admin/import/units", operation_id="importUnits", status_code=200)
    async def import_units(
        self, request: Request, db_session: DbSession, principal: SignedIn
    ) -> ImportResult:
        """Body: the HR system's CSV of org units (code;name;parent_code;kind)."""
        return await _import(db_session, principal, request, "units")

    @post("/admin/import/staff", operation_id="importStaff", status_code=200)
    async def import_staff(
        self, request: Request, db_session: DbSession, principal: SignedIn
    ) -> ImportResult:
        """Body: the HR system's CSV of staff (employee_number;name;email;unit_code;roles;active)."""
        return await _import(db_session, principal, request, "staff")

    @post("/admin/import/accounts", operation_id="importAccounts", status_code=200)
    async def import_accounts(
        self, request: Request, db_session: DbSession, principal: SignedIn
    ) -> ImportResult:
        """Body: the municipality's chart of accounts as CSV (code;name;function;type)."""
        return await _import(db_session, principal, request, "accounts")

    @get("/admin/account-words", operation_id="listAccountWords")
    async def account_words(self, db_session: DbSession, principal: SignedIn) -> list[WordOut]:
        """The municipality's everyday words for finding accounts ("kaffe" → "fødevarer"), with how
        many accounts each finds."""
        await _require_root(db_session, principal, Capability.IMPORT_HR)
        return await chart.words_out(db_session, principal.municipality_id)

    @put("/admin/account-words", operation_id="replaceAccountWords")
    async def replace_account_words(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[list[WordIn]]
    ) -> list[WordOut]:
        """The whole list replaces the one kept (safe to send twice); each word means one or more
        words of the chart of accounts, separated by commas."""
        await _require_root(db_session, principal, Capability.IMPORT_HR)
        return await chart.replace_words(db_session, principal.municipality_id, data)

    @get("/audit", operation_id="listAudit")
    async def audit_log(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        before_id: OptionalQueryId = None,
    ) -> list[AuditOut]:
        await _require_root(db_session, principal, Capability.VIEW_AUDIT)
        query = (
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.actor_user_id)
            .where(AuditEvent.municipality_id == principal.municipality_id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
        if before_id:
            query = query.where(AuditEvent.id < before_id)
        rows = list(await db_session.execute(query))
        about = await audit_subjects.subjects(
            db_session, platform.of(request), principal.municipality_id, [e for e, _ in rows]
        )
        return [
            AuditOut(
                e.id,
                e.at,
                name,
                e.action,
                e.entity,
                e.entity_id,
                e.changes,
                about[e.id].about if e.id in about else None,
                about[e.id].about_en if e.id in about else None,
                about[e.id].whose if e.id in about else None,
            )
            for e, name in rows
        ]

    @get("/municipality/settings", operation_id="getSettings")
    async def get_settings(self, db_session: DbSession, principal: SignedIn) -> SettingsOut:
        return _settings_out(await municipality_service.get_settings(db_session, principal))

    @put("/municipality/settings", operation_id="updateSettings")
    async def update_settings(
        self, db_session: DbSession, principal: SignedIn, settings: AppSettings, data: JSONBody[SettingsIn]
    ) -> SettingsOut:
        changes = {f: getattr(data, f) for f in data.__struct_fields__}
        if data.oidc_issuer:  # refused when saved, not first at a log-in
            oidc.check_issuer(data.oidc_issuer, allow_http_loopback=settings.oidc_http_loopback)
        return _settings_out(await municipality_service.update_settings(db_session, principal, changes))
