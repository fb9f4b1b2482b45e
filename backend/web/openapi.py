"""One place that declares, on every route of the OpenAPI schema, the error answers it really gives.

Handlers declare their success (status and content type); the errors follow from how a route is
built, so they are added here from the route itself rather than restated on every handler:

- 400: bad input (validation, malformed JSON, a value the database cannot hold), on every route;
- 401 and 403: routes that ask for the signed-in `principal` (403 also: a role without the capability);
- 403: every state-changing method (the CSRF check answers 403 before the handler runs);
- 404: every route (missing data and other municipalities' data answer the same);
- 409: every state-changing method (conflicts with data that exists);
- 426: the sync routes that read the client's schema version (x-felt-schema);
- 429: the rate-limited routes (backend.web.rate_limits, the door for reports);
- 413, 415, 422: uploads, by what their bytes turn out to be.

Every error body is `ErrorBody` (backend.http_errors).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitMiddleware
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from backend.web.rate_limits import UPLOAD_LIMIT, UPLOAD_PREFIX

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorBody(msgspec.Struct):
    """Every error: the status, a message for a person (Danish, or English for Accept-Language: en)."""

    status_code: int
    detail: str
    extra: dict[str, Any] | list[Any] | None = None


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorBody, description=description, generate_examples=False)


ERRORS = {
    400: _spec("Bad input: a parameter, field or body that is not valid, named in the message."),
    401: _spec("Not signed in."),
    403: _spec("Signed in, but not allowed (or the CSRF token is missing)."),
    404: _spec("Not found, or not visible to the caller."),
    409: _spec("Conflicts with data that exists."),
    413: _spec("The file is too large, or an image has too many pixels."),
    415: _spec("The file is not a type Felt reads (JPEG, PNG, HEIC or PDF), whatever its header says."),
    422: _spec("The image cannot be read."),
    426: _spec("The client's sync schema (x-felt-schema) is too old: update the app."),
    429: _spec("Too many requests from this address; Retry-After says when to try again."),
}
CLIENT_SCHEMA_HEADER = "x-felt-schema"
"""Routes that read it refuse older clients with 426 (backend.features.sync.controller)."""


def _rate_limited(handler: HTTPRouteHandler, path: str) -> bool:
    on_route = any(
        isinstance(m, DefineMiddleware)
        and m.middleware is RateLimitMiddleware
        and m.kwargs.get("config") is not UPLOAD_LIMIT
        for m in handler.resolve_middleware()
    )
    return on_route or ("PUT" in handler.http_methods and path.startswith(UPLOAD_PREFIX))


def statuses(handler: HTTPRouteHandler, path: str) -> set[int]:
    """The error statuses this route can answer."""
    found = {400, 404}
    if "principal" in handler.parsed_fn_signature.parameters:
        found |= {401, 403}
    if handler.http_methods & UNSAFE:
        found |= {403, 409}
    if any(
        CLIENT_SCHEMA_HEADER
        in {getattr(field.kwarg_definition, "header", None), getattr(field.kwarg_definition, "name", None)}
        for field in handler.parsed_fn_signature.parameters.values()
    ):
        found.add(426)
    if _rate_limited(handler, path):
        found.add(429)
    if "PUT" in handler.http_methods and path.startswith(UPLOAD_PREFIX):
        found |= {413, 415, 422}  # what the bytes turn out to be (backend.features.sync.photos)
    return found


def declare_errors(app: Litestar) -> Litestar:
    """Add the error responses to every route's OpenAPI operation (a handler's own declaration wins)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema:
                continue
            own = dict(handler.responses or {})
            handler.responses = {
                **{s: ERRORS[s] for s in sorted(statuses(handler, route.path)) if s != handler.status_code},
                **own,
            }
    return app
