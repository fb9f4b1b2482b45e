"""Every error leaves as JSON {status_code, detail} with a message a person can act on; never a bare 500.

Domain errors carry Danish and English text; the English one is sent when the client asks for it
(Accept-Language: en). Validation errors keep Litestar's field-level `extra`.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from backend.errors import FeltError

log = logging.getLogger("felt")


def _english(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("accept-language", "").lower().startswith("en")


def _json(
    status: int, detail: str, extra: Any = None, headers: dict[str, str] | None = None
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        body["extra"] = extra
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def felt_error(request: Request[Any, Any, Any], exc: FeltError) -> Response[dict[str, Any]]:
    return _json(exc.status_code, exc.detail_en if _english(request) else exc.detail)


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    da = "Forespørgslen er ugyldig: tjek de markerede felter."
    en = "The request is not valid: check the fields named."
    if "JSON" in str(exc.detail) or "decode" in str(exc.detail).lower():
        da, en = "Forespørgslen er ikke gyldig JSON.", "The request body is not valid JSON."
    return _json(400, f"{en if _english(request) else da} ({exc.detail})", exc.extra)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, NotFoundException) and exc.detail == "Not Found":
        return _json(404, "Not found." if _english(request) else "Siden eller dataene findes ikke.")
    if isinstance(exc, TooManyRequestsException):
        return too_many_requests(request, exc)
    return _json(exc.status_code, str(exc.detail), getattr(exc, "extra", None), exc.headers)


def too_many_requests(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """A rate limit (backend.web.rate_limits): say how long to wait, in words and in Retry-After."""
    headers = dict(exc.headers or {})
    wait = headers.get("RateLimit-Reset", "60")
    headers.setdefault("Retry-After", wait)
    return _json(
        429,
        f"Too many attempts in a short time. Wait {wait} seconds and try again."
        if _english(request)
        else f"For mange forsøg på kort tid. Vent {wait} sekunder, og prøv igen.",
        headers=headers,
    )


def integrity_error(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[dict[str, Any]]:
    log.warning("integrity error on %s: %s", request.url.path, exc.orig)
    return _json(
        409,
        "That conflicts with existing data."
        if _english(request)
        else "Det strider mod data, der allerede findes.",
    )


def _is_data_error(exc: BaseException) -> bool:
    if isinstance(exc, DataError | OverflowError):
        return True
    # asyncpg refuses an out-of-range parameter before sending it: SQLAlchemy wraps that as a bare DBAPIError.
    return isinstance(exc, DBAPIError) and "DataError" in str(exc)


def data_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A value the database cannot hold (a number out of range) that edge validation let through."""
    if not _is_data_error(exc):
        return unexpected_error(request, exc)
    log.warning("data error on %s: %s", request.url.path, exc)
    return _json(
        400,
        "A value is outside what Felt can store."
        if _english(request)
        else "En værdi ligger uden for det, Felt kan gemme.",
    )


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(
        500,
        "Something went wrong on our side; nothing was saved. Try again."
        if _english(request)
        else "Der gik noget galt hos os; intet blev gemt. Prøv igen.",
    )


HANDLERS: dict[Any, Any] = {
    FeltError: felt_error,
    ValidationException: validation_error,
    IntegrityError: integrity_error,
    DBAPIError: data_error,
    OverflowError: data_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
