"""Security headers on every response, and the client's real scheme and address behind trusted proxies.

The PWA is built by Vite into files served from this origin: no inline script or style, no other
host, so the policy allows scripts, styles, workers and connections from 'self' only. Photos are
shown from `blob:` URLs (the outbox keeps them in IndexedDB) and the manifest's icons are data the
browser may inline, hence `img-src 'self' blob: data:`. The interactive OpenAPI pages under
/schema load their viewer from a CDN with an inline bootstrap script; only they get a looser policy
(the JSON and YAML schemas keep the strict one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.redoc.ly https://cdn.jsdelivr.net https://unpkg.com; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://unpkg.com https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "geolocation=(), microphone=(), payment=(), usb=()",
}
PERSONAL_PREFIXES = ("/api/", "/auth/")
"""Every answer under these is about the signed-in person (or their log-in): never stored by a cache."""


def _is_docs_page(path: str) -> bool:
    return (path == "/schema" or path.startswith("/schema/")) and not path.endswith((".json", ".yaml"))


async def security_headers(message: Message, scope: Scope) -> None:
    """before_send hook: add the headers to every HTTP response, keeping any a handler set itself.

    A hook rather than a middleware, because Litestar runs middleware only for matched routes, and a
    404 for an unknown path must carry the headers too.
    """
    if message["type"] != "http.response.start":
        return
    path: str = scope["path"]
    headers = MutableScopeHeaders.from_message(message)
    for name, value in ALWAYS.items():
        if name not in headers:
            headers[name] = value
    if "content-security-policy" not in headers:
        headers["content-security-policy"] = DOCS_CSP if _is_docs_page(path) else CSP
    if path.startswith(PERSONAL_PREFIXES):
        headers["cache-control"] = "no-store"
    if scope.get("scheme") == "https":  # after proxy_headers: the client's own scheme
        headers["strict-transport-security"] = HSTS


def proxy_headers(hosts: Sequence[str]) -> Callable[[ASGIApp], ASGIApp]:
    """Middleware factory: take the scheme and client address from X-Forwarded-* only from `hosts`.

    uvicorn's ProxyHeadersMiddleware does the parsing (addresses and CIDR ranges). Without trusted
    proxies the headers are ignored, so no client can claim TLS or another address (the rate limits
    count per address).
    """

    def factory(app: ASGIApp) -> ASGIApp:
        return cast("ASGIApp", ProxyHeadersMiddleware(cast("Any", app), trusted_hosts=list(hosts)))

    return factory
