"""Rate limits per client address, with Litestar's own middleware (as the door for reports does).

Each limit has its own store, so log-ins, demo log-ins and uploads are counted apart. The address is
the connection's, or the one a trusted proxy forwarded (backend.web.headers.proxy_headers). A request
over the limit answers 429 through the app's error format, in Danish or English
(backend.http_errors), with RateLimit-* and Retry-After headers.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig

LOGIN_LIMIT = RateLimitConfig(rate_limit=("minute", 30), store="login_rate_limit")
"""Log-in starts (GET /auth/login/{slug}): 30 a minute from one address; a school's staff share one."""
DEMO_LOGIN_LIMIT = RateLimitConfig(rate_limit=("minute", 30), store="demo_login_rate_limit")
"""Demo log-ins (POST /auth/demo/login)."""


UPLOAD_PREFIX = "/api/sync/blobs/"


def _is_upload(request: Request[Any, Any, Any]) -> bool:
    return request.method == "PUT" and request.scope["path"].startswith(UPLOAD_PREFIX)


UPLOAD_LIMIT = RateLimitConfig(
    rate_limit=("minute", 240), store="upload_rate_limit", check_throttle_handler=_is_upload
)
"""Photo uploads (PUT /api/sync/blobs/...): 240 pieces a minute from one address, generous for a phone
catching up after a day offline, far below what wears the disk or the image checks."""
