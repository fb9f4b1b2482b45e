"""OpenID Connect log-in against the municipality's identity provider: authorization code + PKCE.

authlib builds the authorization request (with the S256 code challenge) and redeems the code;
joserfc (authlib's own JOSE library) verifies the ID token's signature against the provider's
keys and checks issuer, audience, expiry and nonce. Discovery documents and keys are cached
per issuer for an hour, and the keys refetched once when a token names a key we do not have.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx2
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import utcnow
from backend.db.models import Municipality, OidcLogin
from backend.errors import Forbidden, Invalid, TooMany

SCOPE = "openid profile email felt"
LOGIN_TTL = timedelta(minutes=10)
_CACHE_SECONDS = 3600
_cache: dict[str, tuple[float, Any]] = {}

_FAILED = ("Log-in mislykkedes. Prøv igen.", "Log-in failed. Please try again.")


MAX_DOCUMENT_BYTES = 512 * 1024
"""Discovery documents and key sets are a few kilobytes; a provider answering more is refused."""
TIMEOUT = httpx2.Timeout(10, connect=5)
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_UNREACHABLE = (
    "Kommunens log-in-udbyder svarer ikke. Prøv igen om lidt.",
    "The municipality's identity provider does not answer. Try again shortly.",
)
_MALFORMED = (
    "Kommunens log-in-udbyder svarer ikke som en OpenID-udbyder. Kontakt kommunens administrator.",
    "The municipality's identity provider does not answer like an OpenID provider. Contact the administrator.",
)


def check_issuer(issuer: str, *, allow_http_loopback: bool = False) -> str:
    """The issuer URL if it may be fetched: https, or http to this machine when the setting allows it (tests).

    Raises Invalid (a Danish and English message) otherwise: an http issuer would let anyone on the
    path change the keys that sign log-ins.
    """
    parts = urlsplit(issuer)
    loopback_http = parts.scheme == "http" and parts.hostname in _LOOPBACK and allow_http_loopback
    if (
        not parts.hostname
        or parts.username
        or parts.password
        or (parts.scheme != "https" and not loopback_http)
    ):
        raise Invalid(
            "Udbyderens adresse (issuer) skal begynde med https:// og nævne en vært.",
            "The provider's address (issuer) must start with https:// and name a host.",
        )
    return issuer


async def _get_json(url: str) -> Any:
    """GET a JSON document with a timeout and a size limit; Invalid when it is missing, too big or not JSON."""
    try:
        async with (
            httpx2.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as client,
            client.stream("GET", url, headers={"accept": "application/json"}) as response,
        ):
            response.raise_for_status()
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise Invalid(*_MALFORMED)
    except httpx2.HTTPError as exc:
        raise Invalid(*_UNREACHABLE) from exc
    try:
        return json.loads(body)
    except ValueError as exc:
        raise Invalid(*_MALFORMED) from exc


async def _cached(key: str, url: str, *, refresh: bool = False) -> Any:
    hit = _cache.get(key)
    if hit and not refresh and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1]
    value = await _get_json(url)
    _cache[key] = (time.monotonic(), value)
    return value


_NEEDED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


async def discover(issuer: str, *, allow_http_loopback: bool = False) -> dict[str, Any]:
    """The provider's discovery document, checked to name the endpoints a log-in needs."""
    check_issuer(issuer, allow_http_loopback=allow_http_loopback)
    meta = await _cached(f"meta:{issuer}", issuer.rstrip("/") + "/.well-known/openid-configuration")
    if not isinstance(meta, dict) or not all(isinstance(meta.get(k), str) for k in _NEEDED):
        _cache.pop(f"meta:{issuer}", None)
        raise Invalid(*_MALFORMED)
    for key in (*_NEEDED[1:], "userinfo_endpoint"):  # the endpoints it names follow the issuer's rule
        if key in meta:
            check_issuer(str(meta[key]), allow_http_loopback=allow_http_loopback)
    return dict(meta)


def _client(municipality: Municipality, redirect_uri: str) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        client_id=municipality.oidc_client_id,
        client_secret=municipality.oidc_client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=TIMEOUT,
    )


MAX_PENDING_LOGINS = 10_000
"""Log-ins under way at once (each kept LOGIN_TTL): with the per-address rate limit on log-in starts
this bounds the rows anonymous callers can make; beyond it, starts answer 429 until some expire."""


async def _make_room(db: AsyncSession) -> None:
    """Forget log-ins that expired, and refuse a new one when too many are under way."""
    await db.execute(delete(OidcLogin).where(OidcLogin.created_at < utcnow() - LOGIN_TTL))
    if (await db.scalar(select(func.count()).select_from(OidcLogin)) or 0) >= MAX_PENDING_LOGINS:
        raise TooMany(
            "Der er for mange log-ins i gang lige nu. Prøv igen om et par minutter.",
            "Too many log-ins are under way right now. Try again in a few minutes.",
        )


async def begin_login(
    db: AsyncSession,
    municipality: Municipality,
    redirect_uri: str,
    return_to: str,
    *,
    allow_http_loopback: bool = False,
) -> tuple[str, str]:
    """The URL to send the browser to, and the state that the callback must bring back."""
    if not municipality.has_oidc or municipality.oidc_issuer is None:
        raise Invalid(
            f"{municipality.name} har ikke sat log-in op endnu.",
            f"{municipality.name} has not set up log-in yet.",
        )
    meta = await discover(municipality.oidc_issuer, allow_http_loopback=allow_http_loopback)
    await _make_room(db)
    login = OidcLogin(
        state=secrets.token_urlsafe(24),
        municipality_id=municipality.id,
        nonce=secrets.token_urlsafe(24),
        code_verifier=secrets.token_urlsafe(48),
        return_to=return_to,
    )
    db.add(login)
    async with _client(municipality, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            meta["authorization_endpoint"],
            state=login.state,
            nonce=login.nonce,
            code_verifier=login.code_verifier,
        )
    return url, login.state


async def _verify_id_token(
    id_token: str, issuer: str, client_id: str, nonce: str, jwks_uri: str
) -> dict[str, Any]:
    for refresh in (False, True):
        key_set = await _cached(f"jwks:{issuer}", jwks_uri, refresh=refresh)
        try:
            token = jwt.decode(id_token, KeySet.import_key_set(key_set))
            break
        except (JoseError, ValueError, TypeError, KeyError):
            if refresh:
                raise Forbidden(*_FAILED) from None
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        sub={"essential": True},
        leeway=60,
    )
    try:
        registry.validate(token.claims)
    except JoseError as exc:
        raise Forbidden(*_FAILED) from exc
    return dict(token.claims)


async def finish_login(
    db: AsyncSession, state: str, code: str, redirect_uri: str, *, allow_http_loopback: bool = False
) -> tuple[Municipality, dict[str, Any], str]:
    """Redeem the code (with the PKCE verifier) and return the municipality, verified claims and return path."""
    login = await db.get(OidcLogin, state)
    if login is None or utcnow() - login.created_at > LOGIN_TTL:
        raise Forbidden(
            "Log-in udløb eller blev brugt før. Start forfra.",
            "The log-in expired or was already used. Start again.",
        )
    await db.delete(login)  # single use
    municipality = await db.get(Municipality, login.municipality_id)
    assert municipality is not None and municipality.oidc_issuer and municipality.oidc_client_id
    meta = await discover(municipality.oidc_issuer, allow_http_loopback=allow_http_loopback)
    async with _client(municipality, redirect_uri) as client:
        try:
            token = await client.fetch_token(
                meta["token_endpoint"],
                code=code,
                code_verifier=login.code_verifier,
                grant_type="authorization_code",
            )
        except Exception as exc:  # authlib raises OAuthError; httpx its own errors
            raise Forbidden(*_FAILED) from exc
        claims = await _verify_id_token(
            token["id_token"], meta["issuer"], municipality.oidc_client_id, login.nonce, meta["jwks_uri"]
        )
        if meta.get("userinfo_endpoint"):
            # Some providers put groups only in userinfo; the ID token's sub must match it.
            response = await client.get(meta["userinfo_endpoint"])
            if response.is_success and response.json().get("sub") == claims["sub"]:
                claims = {**response.json(), **claims}
    return municipality, claims, login.return_to
