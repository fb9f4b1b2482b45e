"""Felt's command line: `python -m backend migrate | seed | serve | check-migrations`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from backend.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database up to the newest schema")
    sub.add_parser("check-migrations", help="fail if the models and the migrations disagree")
    sub.add_parser("seed", help="load the demo municipalities (idempotent)")
    idp = sub.add_parser("municipality", help="add a municipality or set its identity provider")
    idp.add_argument("slug")
    idp.add_argument("--name")
    idp.add_argument("--issuer", help="the OpenID provider's issuer URL")
    idp.add_argument("--client-id")
    idp.add_argument("--client-secret")
    sub.add_parser("worker", help="run background jobs (OCR, reminders); as many processes as you like")
    serve = sub.add_parser("serve", help="serve the app (PORT, HOST)")
    serve.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    settings = load_settings()

    if args.command in {"migrate", "check-migrations"}:
        from backend.db import migrate

        run = migrate.upgrade if args.command == "migrate" else migrate.check
        run(settings.database_url, settings.database_schema)
        if args.command == "migrate" and (role := os.environ.get("FELT_APP_ROLE")):
            asyncio.run(migrate.grant_app_role(settings.database_url, settings.database_schema, role))
    elif args.command == "seed":
        from backend.seed.demo import seed

        print(asyncio.run(seed(settings)))
    elif args.command == "municipality":
        from backend.features.municipality.cli import upsert_municipality

        print(
            asyncio.run(
                upsert_municipality(
                    settings, args.slug, args.name, args.issuer, args.client_id, args.client_secret
                )
            )
        )
    elif args.command == "worker":
        from backend.jobs.cli import work
        from backend.workflows import platform

        asyncio.run(work(settings, platform()))
    elif args.command == "serve":
        import uvicorn

        print(f"Felt: http://{settings.host}:{settings.port}", flush=True)
        uvicorn.run(
            "backend.asgi:app",
            host=settings.host,
            port=settings.port,
            workers=args.workers,
            log_level="warning",
            proxy_headers=False,  # the app believes X-Forwarded-* only from FELT_TRUSTED_PROXIES
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
