"""Signing in with a one-time code by e-mail, for invited outsiders (invitations.py) only.

`POST /auth/code` asks for a code: when the address belongs to an invited person whose invitation stands,
a code is made (its keyed hash stored) and a background job mails it; the answer is the same whether or
not the address is invited, so nobody learns who is. `POST /auth/code/sign-in` trades the address and
the code for a session. The rules (lifetime, single use, wrong tries, per-address limit, constant-time
compare) are backend/auth/one_time_code.py; requests are counted per address for every address, invited
or not (SignInCodeRequest), so neither the 429 nor its text or timing tells who is invited; the
per-client-address limits are CODE_LIMIT and SIGN_IN_LIMIT below. People in the identity provider get no code: they sign in as everyone else.

The job needs the code itself to mail it; it reads it from the row's `sealed` copy (Fernet, keyed from
the server's secret) and empties it once the mail has gone, so the database never keeps a readable code.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

import msgspec
from cryptography.fernet import Fernet, InvalidToken
from litestar import Controller, Response, post
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import JSONBody
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import mail
from backend.auth import one_time_code as otc
from backend.auth.sessions import open_session, session_cookie
from backend.db import audit
from backend.db.base import utcnow
from backend.db.models import User
from backend.deps import AppSettings, DbSession
from backend.errors import Forbidden, Invalid, TooMany
from backend.features.substitutes.models import SignInCode, SignInCodeRequest
from backend.features.workflow import Job
from backend.jobs.queue import enqueue
from backend.platform import Platform
from backend.settings import Settings, load_settings

MAIL_JOB = "sign_in_code_mail"
CODE_LIMIT = RateLimitConfig(rate_limit=("minute", 10), store="sign_in_code_rate_limit")
"""Code requests (POST /auth/code): 10 a minute from one client address."""
SIGN_IN_LIMIT = RateLimitConfig(rate_limit=("minute", 20), store="code_sign_in_rate_limit")
"""Code entries (POST /auth/code/sign-in): 20 a minute from one client address."""

_WRONG = (
    "Koden passer ikke eller er udløbet. Prøv igen, eller bed om en ny kode.",
    "The code does not match or has expired. Try again, or ask for a new code.",
)


class CodeRequest(msgspec.Struct):
    email: str


class CodeSignIn(msgspec.Struct):
    email: str
    code: str


class Sent(msgspec.Struct):
    detail: str
    detail_en: str


def _fernet(settings: Settings) -> Fernet:
    key = hashlib.sha256(f"felt-sign-in-code:{settings.secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _address(raw: str) -> str:
    email = otc.normalise_email(raw)
    if not email or len(email) > 320 or "@" not in email:
        raise Invalid("Skriv din e-mailadresse.", "Write your e-mail address.")
    return email


async def _count_request(db: AsyncSession, settings: Settings, email: str, now: datetime) -> None:
    """Count a request for a code to `email`, invited or not, so the limit answers alike for every
    address; 429 in words when otc.MAX_PER_ADDRESS were accepted within otc.WINDOW. The same statements
    run for every address, before anyone is looked up; requests older than the window are deleted."""
    key = otc.address_key(settings.secret_key, email)
    await db.execute(delete(SignInCodeRequest).where(SignInCodeRequest.created_at <= now - otc.WINDOW))
    accepted = await db.scalars(
        select(SignInCodeRequest.created_at).where(SignInCodeRequest.address_key == key)
    )
    if refused := otc.may_send(list(accepted), now):
        raise TooMany(*refused)
    db.add(SignInCodeRequest(address_key=key, created_at=now))
    await db.flush()


async def request_code(db: AsyncSession, settings: Settings, raw_email: str) -> Sent:
    """Make and mail a code to every invited person with this address (one per municipality); the
    answer does not say whether there was one. Too many requests for the address recently (whether or
    not it is invited): 429, in words."""
    email = _address(raw_email)
    now = utcnow()
    await _count_request(db, settings, email, now)
    people = list(
        await db.scalars(
            select(User).where(User.subject == otc.INVITED_SUBJECT + email, User.active.is_(True))
        )
    )
    for user in people:
        code = otc.new_code()
        row = SignInCode(
            municipality_id=user.municipality_id,
            user_id=user.id,
            email=email,
            code_hash=otc.code_hash(settings.secret_key, code),
            sealed=_fernet(settings).encrypt(code.encode()).decode(),
            created_at=now,
        )
        db.add(row)
        await db.flush()
        audit.record(
            db,
            "sign_in_code_sent",
            municipality_id=user.municipality_id,
            entity="app_user",
            entity_id=user.id,
        )
        await enqueue(db, MAIL_JOB, {"code_id": row.id}, municipality_id=user.municipality_id)
    minutes = int(otc.TTL.total_seconds() // 60)
    return Sent(
        f"Hvis {email} er inviteret, er en kode på vej. Den gælder i {minutes} minutter.",
        f"If {email} is invited, a code is on its way. It is valid for {minutes} minutes.",
    )


async def sign_in(db: AsyncSession, settings: Settings, raw_email: str, typed: str) -> User:
    """The invited person whose usable code this is; the code is used up. A wrong code counts against
    every usable code of the address (locked after otc.MAX_WRONG), is committed, and answers 403."""
    email = _address(raw_email)
    if not otc.normalise_code(typed):
        raise Invalid("Skriv koden fra mailen.", "Write the code from the e-mail.")
    now = utcnow()
    codes = list(
        await db.scalars(
            select(SignInCode)
            .where(
                SignInCode.email == email, SignInCode.used_at.is_(None), SignInCode.created_at > now - otc.TTL
            )
            .order_by(SignInCode.created_at.desc())
        )
    )
    usable = [c for c in codes if otc.usable(otc.CodeState(c.created_at, False, c.wrong_tries), now)]
    found = next((c for c in usable if otc.matches(settings.secret_key, typed, c.code_hash)), None)
    user = await db.get(User, found.user_id) if found else None
    if found is None or user is None or not user.active:
        for c in usable:
            c.wrong_tries += 1
        for municipality_id, user_id in {(c.municipality_id, c.user_id) for c in usable}:
            audit.record(
                db,
                "sign_in_code_wrong",
                municipality_id=municipality_id,
                entity="app_user",
                entity_id=user_id,
            )
        await db.commit()  # the wrong try counts although the answer is an error
        if usable and all(c.wrong_tries >= otc.MAX_WRONG for c in usable):
            raise Forbidden(
                "For mange forkerte forsøg: koden er spærret. Bed om en ny kode.",
                "Too many wrong tries: the code is locked. Ask for a new code.",
            )
        raise Forbidden(*_WRONG)
    found.used_at = now
    for other in usable:
        if other.user_id == found.user_id:
            other.used_at = other.used_at or now  # one sign-in uses up every code she had waiting
    return user


async def _mail_code(db: AsyncSession, _platform: Platform, payload: dict[str, Any]) -> None:
    settings = load_settings()
    row = await db.get(SignInCode, int(payload["code_id"]))
    if row is None or not row.sealed or row.used_at is not None:
        return
    try:
        code = _fernet(settings).decrypt(row.sealed.encode()).decode()
    except InvalidToken:  # the secret key changed since: the code cannot be mailed, she asks again
        row.sealed = ""
        return
    minutes = int(otc.TTL.total_seconds() // 60)
    spaced = f"{code[:3]} {code[3:]}"
    body = (
        f"Din kode til Felt er: {spaced}\nDen gælder i {minutes} minutter og kan bruges én gang.\n"
        "Har du ikke bedt om den, kan du se bort fra mailen.\n\n"
        f"Your code for Felt is: {spaced}\nIt is valid for {minutes} minutes and can be used once.\n"
        "If you did not ask for it, you can ignore this e-mail.\n"
    )
    await mail.send(settings, mail.message(settings, row.email, f"Din kode til Felt: {spaced}", body))
    row.sealed = ""


JOBS = (Job(MAIL_JOB, _mail_code),)


class CodeSignInController(Controller):
    path = "/auth/code"
    tags = ["auth"]  # noqa: RUF012

    @post("", operation_id="requestSignInCode", status_code=202, middleware=[CODE_LIMIT.middleware])
    async def request_code(
        self, db_session: DbSession, settings: AppSettings, data: JSONBody[CodeRequest]
    ) -> Sent:
        """Ask for a one-time code by e-mail (invited outsiders only; the answer is the same for anyone)."""
        return await request_code(db_session, settings, data.email)

    @post("/sign-in", operation_id="signInWithCode", status_code=204, middleware=[SIGN_IN_LIMIT.middleware])
    async def sign_in(
        self, db_session: DbSession, settings: AppSettings, data: JSONBody[CodeSignIn]
    ) -> Response[None]:
        """Sign in with the address and the code from the e-mail; sets the session cookie."""
        user = await sign_in(db_session, settings, data.email, data.code)
        token = await open_session(db_session, user, settings)
        audit.actor.set(user.id)
        audit.record(
            db_session,
            "login",
            municipality_id=user.municipality_id,
            entity="app_user",
            entity_id=user.id,
            changes={"method": "one_time_code"},
        )
        response: Response[None] = Response(None, status_code=204)
        response.set_cookie(session_cookie(token, settings))
        return response
