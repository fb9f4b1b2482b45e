"""`python -m backend municipality SLUG ...`: how the first municipality and its log-in get set up.

Once an administrator can log in through the identity provider, the rest (staff, units, settings)
is done in the app.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.oidc import check_issuer
from backend.db.engine import make_engine
from backend.db.models import Municipality
from backend.errors import Invalid
from backend.features.municipality.service import create_municipality
from backend.settings import Settings


async def upsert_municipality(
    settings: Settings,
    slug: str,
    name: str | None,
    issuer: str | None,
    client_id: str | None,
    client_secret: str | None,
) -> str:
    if issuer:
        try:
            check_issuer(issuer, allow_http_loopback=settings.oidc_http_loopback)
        except Invalid as exc:
            raise SystemExit(exc.detail_en) from None
    engine = make_engine(settings.database_url, settings.database_schema)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            municipality = (
                await db.scalars(select(Municipality).where(Municipality.slug == slug))
            ).one_or_none()
            if municipality is None:
                if not name:
                    raise SystemExit(f"No municipality {slug!r} yet: give --name to create it.")
                municipality = await create_municipality(db, slug, name)
            for field, value in (
                ("name", name),
                ("oidc_issuer", issuer),
                ("oidc_client_id", client_id),
                ("oidc_client_secret", client_secret),
            ):
                if value:
                    setattr(municipality, field, value)
            await db.commit()
            state = (
                f"log-in via {municipality.oidc_issuer}"
                if municipality.has_oidc
                else "no identity provider yet"
            )
            return f"{municipality.name} ({municipality.slug}): {state}"
    finally:
        await engine.dispose()
