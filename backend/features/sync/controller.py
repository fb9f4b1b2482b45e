"""POST /api/sync/push, GET /api/sync/pull and /api/sync/blobs/{sha256}, as docs/sync.md describes."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, head, post, put
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter
from litestar.response import File
from sqlalchemy import and_, exists, insert, or_, select

from backend import platform
from backend.auth.deps import INVITED_OPT
from backend.auth.roles import Principal
from backend.clock import today
from backend.db.base import utcnow
from backend.db.sync_tables import SYNC
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import FeltError, Forbidden, Invalid, NotFound, TooLarge, Unreadable, UnsupportedType
from backend.features.inbox.deciders import with_stand_ins
from backend.features.sync import photos, pipeline
from sync import engine
from sync.blobs import BlobError, BlobStore, check_hash, content_range
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    MIN_CLIENT_SCHEMA,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.registry import Registry


class UpdateRequired(FeltError):
    status_code = 426


SchemaHeader = Annotated[int | None, HeaderParameter(name="x-felt-schema")]


def _require_schema(version: int | None) -> None:
    if version is None or version < MIN_CLIENT_SCHEMA:
        raise UpdateRequired(
            "Opdater appen for at sende og hente data: luk den og åbn den igen. Dine ændringer er gemt.",
            "Update the app to send and fetch data: close it and open it again. Your changes are kept.",
        )


def _fingerprint(principal: Principal, registry: Registry) -> str:
    return engine.fingerprint(principal, ((g.role, g.unit_path) for g in principal.grants), registry)


def _invited_may_write(principal: Principal, registry: Registry, data: PushRequest) -> None:
    """An invited outsider writes only record types placed by a capability she holds (a substitute's
    entry on a unit she is booked at): nothing of the workflows that are not hers."""
    for m in data.mutations:
        found = registry.get(m.type)
        by = found.placement.by if found is not None else None
        if by is None or not principal.can_anywhere(by):
            raise Forbidden(
                "Som inviteret vikar kan du kun registrere dine timer.",
                "As an invited substitute you can only register your hours.",
            )


class SyncController(Controller):
    path = "/api/sync"
    opt = {INVITED_OPT: True}  # noqa: RUF012 - an invited outsider syncs her own records too
    tags = ["sync"]  # noqa: RUF012

    @post("/push", operation_id="syncPush", status_code=200)
    async def push(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        data: JSONBody[PushRequest],
        schema: SchemaHeader = None,
    ) -> PushResponse:
        _require_schema(schema)
        if principal.invited:
            _invited_may_write(principal, platform.of(request).registry, data)
        try:
            return await pipeline.push(
                db_session, platform.of(request), principal, data.device_id, data.mutations
            )
        except engine.DeviceRefused:
            raise Forbidden(
                "Denne enhed hører til en anden bruger.", "This device belongs to another user."
            ) from None
        except engine.BatchTooLarge as exc:
            raise Invalid(str(exc)) from None

    @get("/types", operation_id="syncTypes", cache=False)
    async def types(self, request: Request, principal: SignedIn) -> dict[str, Any]:
        """Each record type's declared fields (kind, label, limits, server-owned), for the PWA's forms."""
        return {"types": platform.registry_of(request).describe()}

    @get("/pull", operation_id="syncPull", cache=False)
    async def pull(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        device_id: FromQuery[UUID],
        cursor: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
        schema: SchemaHeader = None,
    ) -> PullResponse:
        _require_schema(schema)
        registry = platform.registry_of(request)
        try:
            return await engine.pull(
                db_session,
                SYNC,
                registry,
                principal,
                device_id,
                cursor,
                limit,
                _fingerprint(principal, registry),
            )
        except engine.DeviceRefused:
            raise Forbidden(
                "Denne enhed hører til en anden bruger.", "This device belongs to another user."
            ) from None


SERVED = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
"""The only types a blob is served as (decided from its bytes at upload)."""


def _store(settings: AppSettings) -> BlobStore:
    return BlobStore(settings.data_dir / "blobs")


def _hash(sha256: str) -> str:
    try:
        return check_hash(sha256)
    except BlobError as exc:
        raise Invalid(exc.da, exc.en) from None


async def _claimed(db: DbSession, principal: Principal, sha256: str) -> bool:
    b = SYNC.blob.c
    return bool(
        await db.scalar(select(exists().where(and_(b.sha256 == sha256, b.uploaded_by == principal.user_id))))
    )


class BlobController(Controller):
    path = "/api/sync/blobs/{sha256:str}"
    opt = {INVITED_OPT: True}  # noqa: RUF012 - an invited outsider syncs her own records too
    tags = ["sync"]  # noqa: RUF012

    @head("/", operation_id="blobStatus", status_code=200)
    async def status(
        self, db_session: DbSession, principal: SignedIn, settings: AppSettings, sha256: FromPath[str]
    ) -> Response[None]:
        store = _store(settings)
        sha256 = _hash(sha256)
        if await _claimed(db_session, principal, sha256):
            return Response(None, headers={"upload-complete": "1"})
        offset = store.offset(sha256, str(principal.user_id))
        return Response(None, headers={"upload-complete": "0", "upload-offset": str(offset)})

    @put("/", operation_id="blobUpload", status_code=200)
    async def upload(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        sha256: FromPath[str],
    ) -> dict[str, object]:
        store = _store(settings)
        sha256 = _hash(sha256)
        body = await request.body()
        try:
            start, total = content_range(request.headers.get("content-range"), len(body))
        except BlobError as exc:
            raise Invalid(exc.da, exc.en) from None
        if await _claimed(db_session, principal, sha256):
            return {"complete": True, "offset": total}
        try:
            complete = store.append(sha256, str(principal.user_id), start, body, total)
        except BlobError as exc:
            raise Invalid(exc.da, exc.en) from None
        if complete:
            stored = await _prepare(db_session, store, sha256)
            await db_session.execute(
                insert(SYNC.blob).values(
                    sha256=sha256,
                    uploaded_by=principal.user_id,
                    municipality_id=principal.municipality_id,
                    size=total,
                    content_type=stored.media_type,
                    created_at=utcnow(),
                )
            )
            await pipeline.blob_stored(db_session, platform.of(request), sha256)
        return {
            "complete": complete,
            "offset": total if complete else store.offset(sha256, str(principal.user_id)),
        }

    @get("/", operation_id="blobDownload", cache=False)
    async def download(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        sha256: FromPath[str],
    ) -> File:
        store = _store(settings)
        sha256 = _hash(sha256)
        principal = await with_stand_ins(db_session, principal, today())  # a stand-in reviews the photos too
        r, link = SYNC.record.c, SYNC.record_blob.c
        b = SYNC.blob.c
        # Readable through a record the reader may see, and only when that record's author or subject
        # uploaded the file: naming someone else's hash in a record of one's own gives nothing.
        visible_record = exists().where(
            and_(
                link.sha256 == sha256,
                link.record_id == r.id,
                engine.visibility(SYNC, platform.registry_of(request), principal),
                exists().where(
                    and_(b.sha256 == sha256, or_(b.uploaded_by == r.author_id, b.uploaded_by == r.owner_id))
                ),
            )
        )
        allowed = await _claimed(db_session, principal, sha256) or await db_session.scalar(
            select(visible_record)
        )
        if not allowed or not store.has(sha256):
            raise NotFound("Filen findes ikke.", "The file does not exist.")
        content_type = await db_session.scalar(
            select(SYNC.blob.c.content_type).where(SYNC.blob.c.sha256 == sha256).limit(1)
        )
        media_type = content_type if content_type in SERVED else "application/octet-stream"
        return File(
            store.path(sha256),
            media_type=media_type,
            # Images show inline; anything else (a PDF) is a download. Either way the browser may not
            # sniff another type, run script or load anything from it.
            content_disposition_type="inline" if media_type.startswith("image/") else "attachment",
            filename=f"{sha256[:12]}{SERVED.get(media_type, '.bin')}",
            headers={
                "x-content-type-options": "nosniff",
                "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
                "cache-control": "private, max-age=31536000, immutable",
            },
        )


REFUSALS = {413: TooLarge, 415: UnsupportedType, 422: Unreadable}


async def _prepare(db: DbSession, store: BlobStore, sha256: str) -> photos.Stored:
    """Check and strip the file that just arrived; a refused one is removed unless others keep it."""
    try:
        return await asyncio.to_thread(photos.prepare, store.path(sha256))
    except photos.PhotoRefused as exc:
        kept = await db.scalar(select(exists().where(SYNC.blob.c.sha256 == sha256)))
        if not kept:
            store.path(sha256).unlink(missing_ok=True)
        raise REFUSALS[exc.status](exc.da, exc.en) from None
