"""Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database.

One indexed read per request; the expiry slides forward at most every few minutes, so ordinary
requests (a sync pull asking "anything new?") never write.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from litestar.datastructures import Cookie
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.auth.one_time_code import INVITED_SUBJECT
from backend.auth.roles import Grant, Principal, Role
from backend.db.base import utcnow
from backend.db.models import OrgUnit, RoleAssignment, User, WebSession
from backend.settings import Settings

SESSION_COOKIE = "felt_session"
_SLIDE_EVERY = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_cookie(token: str, settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",  # lax, not strict: the identity provider's redirect back must carry it
        path="/",
        max_age=settings.session_hours * 3600,
    )


def cleared_session_cookie(settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value="",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
        max_age=0,
    )


async def open_session(db: AsyncSession, user: User, settings: Settings) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        WebSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
        )
    )
    user.last_login_at = now
    return token


async def close_session(db: AsyncSession, token: str) -> None:
    await db.execute(delete(WebSession).where(WebSession.token_hash == _hash(token)))


async def load_grants(db: AsyncSession, user_id: int) -> tuple[Grant, ...]:
    rows = await db.execute(
        select(RoleAssignment.role, RoleAssignment.unit_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user_id)
    )
    return tuple(Grant(Role(role), unit_id, path) for role, unit_id, path in rows)


_grant_unit = aliased(OrgUnit)
_PRINCIPAL = (
    # Built once: it runs before every signed-in request, and building a statement costs more than
    # running this one.
    select(
        WebSession.user_id,
        WebSession.last_seen_at,
        User.municipality_id,
        User.name,
        User.unit_id,
        OrgUnit.path,
        User.subject,
        RoleAssignment.role,
        RoleAssignment.unit_id,
        _grant_unit.path,
    )
    .join(User, User.id == WebSession.user_id)
    .outerjoin(OrgUnit, OrgUnit.id == User.unit_id)
    .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
    .outerjoin(_grant_unit, _grant_unit.id == RoleAssignment.unit_id)
    .where(
        WebSession.token_hash == bindparam("token_hash"),
        WebSession.expires_at > bindparam("now"),
        User.active.is_(True),
    )
)


async def load_principal(db: AsyncSession, token: str, settings: Settings) -> Principal | None:
    """The principal behind a session token, or None if it is unknown, expired or its user has left.

    One statement, a row per role grant, plain columns (no ORM objects).
    """
    now = utcnow()
    rows = (await db.execute(_PRINCIPAL, {"token_hash": _hash(token), "now": now})).all()
    if not rows:
        return None
    user_id, last_seen_at, municipality_id, name, unit_id, unit_path, subject = rows[0][:7]
    if now - last_seen_at > _SLIDE_EVERY:
        await db.execute(
            update(WebSession)
            .where(WebSession.token_hash == _hash(token))
            .values(last_seen_at=now, expires_at=now + timedelta(hours=settings.session_hours))
        )
    grants = tuple(Grant(Role(role), g_unit, g_path) for *_, role, g_unit, g_path in rows if role is not None)
    invited = (subject or "").startswith(INVITED_SUBJECT)
    return Principal(user_id, municipality_id, name, unit_id, grants, unit_path, invited=invited)
