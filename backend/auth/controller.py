"""HTTP for signing in and out: OIDC, the demo log-in (only when enabled), and who am I."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Redirect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from backend import platform
from backend.auth import oidc
from backend.auth.claims import identity_from_claims, upsert_user
from backend.auth.deps import INVITED_OPT
from backend.auth.one_time_code import INVITED_SUBJECT
from backend.auth.roles import Capability, Principal
from backend.auth.sessions import (
    SESSION_COOKIE,
    cleared_session_cookie,
    close_session,
    load_grants,
    open_session,
    session_cookie,
)
from backend.clock import today
from backend.db import audit
from backend.db.models import Municipality, RoleAssignment, User
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Forbidden, NotFound
from backend.features.inbox.deciders import with_stand_ins
from backend.features.municipality.service import by_slug
from backend.features.org.schemas import UserOut
from backend.platform import Platform
from backend.web.openapi import ERRORS
from backend.web.params import BodyId
from backend.web.rate_limits import DEMO_LOGIN_LIMIT, LOGIN_LIMIT
from sync.registry import OWNER

STATE_COOKIE = "felt_oidc_state"


class MunicipalityRef(msgspec.Struct):
    id: int
    slug: str
    name: str
    payroll_cutoff_day: int = 18
    """Approved before this day of the month: paid with that month's salary (shown to leaders)."""


class MunicipalityChoice(msgspec.Struct):
    slug: str
    name: str
    has_oidc: bool


class Me(UserOut):
    municipality: MunicipalityRef
    areas: list[str]
    invited: bool = False
    """Signed in with a one-time code as an invited outsider: the PWA shows her only her hours."""


class DemoUser(msgspec.Struct):
    id: int
    name: str
    municipality: str
    unit: str | None
    roles: list[str]


class DemoLogin(msgspec.Struct):
    user_id: BodyId


def areas_for(principal: Principal, found: Platform) -> list[str]:
    """The home screen's areas this user can use: the platform's, then each workflow's own."""
    areas = ["profile"]
    if principal.can_anywhere(Capability.VIEW_STAFF):
        areas.append("staff")
    if principal.can_anywhere(Capability.IMPORT_HR):
        areas.append("admin")
    waits = {t.by for name in found.registry.names() for t in found.registry.get(name).transitions if t.waits}  # type: ignore[union-attr]
    if any(principal.can_anywhere(c) for c in waits if c != OWNER):
        areas.insert(0, "inbox")  # the leader's (and finance's review) home entry: what waits for them
    if principal.can_anywhere(Capability.EXPORT_PAYROLL):
        areas.append("payroll")
    areas += [area for area, capability in found.areas.items() if principal.can_anywhere(capability)]
    return areas


RETURN_TO_MAX = 500
"""The column's length (OidcLogin.return_to): anything longer is not a path of ours."""


def _safe_return_to(path: str | None) -> str:
    # Only a path on this site, never an open redirect: browsers read `//host` and `/\host` as
    # another host, and drop tabs and newlines first (`/<tab>/host`), so: one leading `/`, no
    # backslash, no control characters or spaces.
    if (
        not path
        or len(path) > RETURN_TO_MAX
        or not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in path)
    ):
        return "/"
    return path


def _redirect_uri(request: Request, settings: AppSettings) -> str:
    return f"{settings.public_url or str(request.base_url).rstrip('/')}/auth/callback"


async def _load_user(db: AsyncSession, user_id: int) -> User:
    return (
        await db.scalars(
            select(User)
            .where(User.id == user_id)
            .options(selectinload(User.unit), selectinload(User.grants).selectinload(RoleAssignment.unit))
        )
    ).one()


async def _signed_in(db: AsyncSession, user: User, settings: AppSettings, response: Response) -> Response:
    token = await open_session(db, user, settings)
    audit.actor.set(user.id)
    audit.record(db, "login", municipality_id=user.municipality_id, entity="app_user", entity_id=user.id)
    response.set_cookie(session_cookie(token, settings))
    return response


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]  # noqa: RUF012

    @get("/municipalities", operation_id="listMunicipalities")
    async def municipalities(self, db_session: DbSession) -> list[MunicipalityChoice]:
        rows = await db_session.scalars(select(Municipality).order_by(Municipality.name))
        return [MunicipalityChoice(m.slug, m.name, m.has_oidc) for m in rows]

    @get("/login/{slug:str}", operation_id="beginLogin", status_code=302, middleware=[LOGIN_LIMIT.middleware])
    async def login(
        self,
        request: Request,
        db_session: DbSession,
        settings: AppSettings,
        slug: FromPath[str],
        return_to: FromQuery[str | None] = None,
    ) -> Redirect:
        municipality = await by_slug(db_session, slug)
        url, state = await oidc.begin_login(
            db_session,
            municipality,
            _redirect_uri(request, settings),
            _safe_return_to(return_to),
            allow_http_loopback=settings.oidc_http_loopback,
        )
        response = Redirect(url)
        response.set_cookie(
            STATE_COOKIE,
            state,
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
            path="/auth/callback",
            max_age=int(oidc.LOGIN_TTL.total_seconds()),
        )
        return response

    @get("/callback", operation_id="finishLogin", status_code=302, responses={403: ERRORS[403]})
    async def callback(
        self,
        request: Request,
        db_session: DbSession,
        settings: AppSettings,
        code: FromQuery[str | None] = None,
        login_state: Annotated[str | None, QueryParameter(name="state")] = None,
        error: FromQuery[str | None] = None,
        error_description: FromQuery[str | None] = None,
    ) -> Redirect:
        state = login_state
        if error or not code or not state:
            raise Forbidden(
                f"Log-in blev afbrudt: {error_description or error or 'intet svar'}.",
                f"Log-in was interrupted: {error_description or error or 'no answer'}.",
            )
        if request.cookies.get(STATE_COOKIE) != state:
            # The browser that started the log-in must be the one finishing it (login CSRF).
            raise Forbidden(
                "Log-in blev startet i en anden browser. Start forfra.",
                "The log-in was started in another browser. Start again.",
            )
        municipality, claims, return_to = await oidc.finish_login(
            db_session,
            state,
            code,
            _redirect_uri(request, settings),
            allow_http_loopback=settings.oidc_http_loopback,
        )
        user = await upsert_user(
            db_session, municipality, identity_from_claims(claims, municipality.oidc_claims)
        )
        response = Redirect(return_to)
        response.delete_cookie(STATE_COOKIE, path="/auth/callback")
        await _signed_in(db_session, user, settings, response)
        return response

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, request: Request, db_session: DbSession, settings: AppSettings) -> Response[None]:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await close_session(db_session, token)
        response: Response[None] = Response(None, status_code=204)
        response.set_cookie(cleared_session_cookie(settings))
        return response

    @get("/demo/users", operation_id="listDemoUsers")
    async def demo_users(self, db_session: DbSession, settings: AppSettings) -> list[DemoUser]:
        _demo_enabled(settings)
        users = await db_session.scalars(
            select(User)
            .where(User.subject.startswith("demo:"), User.active.is_(True))
            .options(selectinload(User.unit), selectinload(User.grants))
            .order_by(User.municipality_id, User.name)
        )
        names = {m.id: m.name for m in await db_session.scalars(select(Municipality))}
        return [
            DemoUser(
                u.id,
                u.name,
                names[u.municipality_id],
                u.unit.name if u.unit else None,
                sorted({g.role for g in u.grants}),
            )
            for u in users
        ]

    @post("/demo/login", operation_id="demoLogin", status_code=200, middleware=[DEMO_LOGIN_LIMIT.middleware])
    async def demo_login(
        self, request: Request, db_session: DbSession, settings: AppSettings, data: JSONBody[DemoLogin]
    ) -> Response[Me]:
        _demo_enabled(settings)
        user = await db_session.get(User, data.user_id)
        if user is None or not (user.subject or "").startswith("demo:") or not user.active:
            raise NotFound("Den demobruger findes ikke.", "That demo user does not exist.")
        response = Response(await _me(db_session, platform.of(request), user.id))
        return await _signed_in(db_session, user, settings, response)


def _demo_enabled(settings: AppSettings) -> None:
    if not settings.demo_login:
        raise NotFound("Demo-log-in er slået fra.", "Demo log-in is switched off.")


async def _me(db: AsyncSession, found: Platform, user_id: int) -> Me:
    user = await _load_user(db, user_id)
    municipality = await db.get(Municipality, user.municipality_id)
    assert municipality is not None
    principal = found.principal(
        Principal(user.id, user.municipality_id, user.name, user.unit_id, await load_grants(db, user.id))
    )
    principal = await with_stand_ins(db, principal, today())  # a stand-in gets the inbox for the period
    base = UserOut.of(user)
    return Me(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        municipality=MunicipalityRef(
            municipality.id, municipality.slug, municipality.name, municipality.payroll_cutoff_day
        ),
        areas=areas_for(principal, found),
        invited=(user.subject or "").startswith(INVITED_SUBJECT),
    )


@get("/api/me", operation_id="getMe", tags=["auth"], opt={INVITED_OPT: True})
async def me(request: Request, db_session: DbSession, principal: SignedIn) -> Me:
    return await _me(db_session, platform.of(request), principal.user_id)
