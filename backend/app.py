"""The Litestar application factory: wires settings, the database, auth, features and the PWA together."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from litestar import Litestar, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.static_files import create_static_files_router
from sqlalchemy import text

from backend.auth.controller import AuthController, me
from backend.auth.deps import provide_principal
from backend.db.engine import make_engine
from backend.deps import DbSession
from backend.features.admin.controller import AdminController
from backend.features.inbox.controller import InboxController, StandInController
from backend.features.notify import vapid
from backend.features.org.controller import OrgController
from backend.features.payroll.controller import PayrollController
from backend.features.sync.controller import BlobController, SyncController
from backend.features.sync.door import DoorController
from backend.features.workflow import Workflow
from backend.http_errors import HANDLERS
from backend.jobs.worker import InlineWorker
from backend.platform import build
from backend.settings import Settings, load_settings
from backend.web.headers import proxy_headers, security_headers
from backend.web.openapi import declare_errors
from backend.web.rate_limits import UPLOAD_LIMIT

CSRF_COOKIE = "csrftoken"
CSRF_HEADER = "x-csrftoken"


@get("/api/health", operation_id="health", tags=["health"], cache=False)
async def health(db_session: DbSession) -> dict[str, str]:
    await db_session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}


def _static(settings: Settings) -> list[Any]:
    if not (settings.pwa_dist / "index.html").exists():
        logging.getLogger("felt").warning(
            "no PWA build at %s: run `make run` or `npm run build`", settings.pwa_dist
        )
        return []
    return [
        create_static_files_router(
            path="/", directories=[settings.pwa_dist], html_mode=True, include_in_schema=False, name="pwa"
        )
    ]


def create_app(settings: Settings | None = None, workflows: Sequence[Workflow] | None = None) -> Litestar:
    """The app with `workflows` (default: the app's own, `backend/workflows.py`)."""
    settings = settings or load_settings()
    if workflows is None:
        from backend.workflows import with_extras

        workflows = with_extras()
    platform = build(workflows)
    vapid.identity(settings)  # refuses to start on a VAPID subject or key that cannot be used
    engine = make_engine(settings.database_url, settings.database_schema)
    alchemy = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        before_send_handler="autocommit_include_redirects",
    )
    worker = InlineWorker(engine, platform) if settings.inline_worker else None
    app = Litestar(
        route_handlers=[
            health,
            me,
            AuthController,
            OrgController,
            AdminController,
            SyncController,
            BlobController,
            DoorController,
            PayrollController,
            InboxController,
            StandInController,
            *platform.controllers(),
            *_static(settings),
        ],
        dependencies={
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "principal": Provide(provide_principal),
        },
        plugins=[SQLAlchemyPlugin(config=alchemy)],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=CSRF_COOKIE,
            header_name=CSRF_HEADER,
            cookie_secure=settings.cookie_secure,
            cookie_samesite="lax",
        ),
        exception_handlers=HANDLERS,
        # The client's real scheme and address first (for HSTS and the rate limits), then the upload
        # limit (the log-in limits sit on their handlers); the security headers go on every answer.
        middleware=[
            *([proxy_headers(settings.trusted_proxies)] if settings.trusted_proxies else []),
            UPLOAD_LIMIT.middleware,
        ],
        before_send=[security_headers],
        openapi_config=OpenAPIConfig(title="Felt", version="0.1.0", path="/schema"),
        state=State({"settings": settings, "platform": platform}),
        on_startup=[worker.start] if worker else [],
        on_shutdown=[*([worker.close] if worker else []), engine.dispose],
        debug=False,
    )
    return declare_errors(app)
