"""Litestar dependencies that every guarded handler asks for."""

from __future__ import annotations

from litestar import Request

from backend import platform
from backend.auth.roles import Principal
from backend.auth.sessions import SESSION_COOKIE, load_principal
from backend.db import audit
from backend.deps import AppSettings, DbSession
from backend.errors import Forbidden, NotSignedIn

INVITED_OPT = "open_to_invited"
"""A route handler's (or controller's) `opt` key: True lets an invited outsider (Principal.invited) use
it. Every other signed-in route answers her 403, so she sees nothing of the directory or of other
workflows: only what is marked for her (who am I, sync of her own records, her devices)."""


async def provide_principal(request: Request, db_session: DbSession, settings: AppSettings) -> Principal:
    """The signed-in user, or 401. Asking for `principal` is how a handler is guarded."""
    token = request.cookies.get(SESSION_COOKIE)
    principal = await load_principal(db_session, token, settings) if token else None
    if principal is None:
        raise NotSignedIn("Du er ikke logget ind.", "You are not signed in.")
    audit.actor.set(principal.user_id)
    if principal.invited and not request.route_handler.opt.get(INVITED_OPT):
        raise Forbidden(
            "Du er logget ind med en kode som inviteret vikar og har kun adgang til dine egne timer.",
            "You signed in with a code as an invited substitute and can only reach your own hours.",
        )
    return platform.of(request).principal(principal)
