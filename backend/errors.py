"""Domain errors, raised by services and mapped to HTTP in one place (backend.http_errors)."""

from __future__ import annotations


class FeltError(Exception):
    status_code = 400

    def __init__(self, detail: str, detail_en: str | None = None) -> None:
        """`detail` is Danish, the interface's first language; `detail_en` the English switch."""
        super().__init__(detail)
        self.detail = detail
        self.detail_en = detail_en or detail


class NotFound(FeltError):
    status_code = 404


class Forbidden(FeltError):
    status_code = 403


class NotSignedIn(FeltError):
    status_code = 401


class Invalid(FeltError):
    status_code = 400


class Conflict(FeltError):
    status_code = 409


class TooLarge(FeltError):
    status_code = 413


class UnsupportedType(FeltError):
    status_code = 415


class Unreadable(FeltError):
    status_code = 422


class TooMany(FeltError):
    """Too many requests or too much waiting work: try again later."""

    status_code = 429
