"""Litestar dependencies that every guarded handler asks for."""

from __future__ import annotations

from litestar import Request

from backend import platform
from backend.auth.roles import Principal
from backend.auth.sessions import SESSION_COOKIE, load_principal
from backend.db import audit
from backend.deps import AppSettings, DbSession
from backend.errors import NotSignedIn


async def provide_principal(request: Request, db_session: DbSession, settings: AppSettings) -> Principal:
    """The signed-in user, or 401. Asking for `principal` is how a handler is guarded."""
    token = request.cookies.get(SESSION_COOKIE)
    principal = await load_principal(db_session, token, settings) if token else None
    if principal is None:
        raise NotSignedIn("Du er ikke logget ind.", "You are not signed in.")
    audit.actor.set(principal.user_id)
    return platform.of(request).principal(principal)
