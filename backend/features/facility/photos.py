"""Reporters' photos (up to 4 a report), also from someone who is not logged in, through the same
pipeline as receipts: content-addressed and resumable (sync.blobs), the type read from the bytes,
metadata stripped and HEIC read (backend.features.sync.photos), shown resized for display.

The door's upload is narrow: a photo may only be sent for a report made through the door, with the
report's private link (the secret in a header, never in a URL), only a hash the report itself names in
its `photos` (set when it was made), only an image (no PDF), at most MAX_BYTES, within UPLOAD_DAYS of
the report, and at most UPLOAD_LIMIT requests a minute from one address. Such a photo is owned by its
report (models.ReportPhoto), not by a user. Nothing is read back through it: the reporter's page
shows the photos she sent with her own link (receipt), the property office and technicians the photos
of the reports they may work on (office), every other hash answers 404.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, head, post, put
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, JSONBody
from PIL import Image, ImageOps
from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db.sync_tables import SYNC
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Invalid, NotFound, TooLarge, Unreadable, UnsupportedType
from backend.features.facility.models import FollowLink, ReportPhoto
from backend.features.facility.record_type import MAX_PHOTOS, REPORT, WORK
from backend.features.facility.rules import codes
from backend.features.sync import photos as pipeline_photos
from sync.blobs import BlobError, BlobStore, check_hash, content_range

MAX_BYTES = 10 * 1024 * 1024
"""A reporter's photo: at most 10 MB (the app sends 2000 px JPEGs of about 1 MB; an iPhone's HEIC is
2–5 MB). The shared limit for signed-in uploads is 25 MB (sync.blobs)."""
UPLOAD_DAYS = 7
"""Photos of a report are taken within a week of it (a phone offline for days still sends them)."""
UPLOAD_LIMIT = RateLimitConfig(rate_limit=("minute", 60), store="facility_photo_rate_limit")
"""At most 60 photo requests a minute from one address (4 photos in 256 kB chunks, resumed)."""
IMAGES = frozenset({"image/jpeg", "image/png", "image/heic"})
DISPLAY_SIDE = 1280
"""The longest side of a photo as shown (px); the stored photo is kept as sent (stripped)."""
SECRET_HEADER = "x-follow-secret"

GONE = ("Billedet findes ikke.", "The photo does not exist.")
TOO_LARGE = ("Billedet er for stort (over 10 MB).", "The photo is too large (over 10 MB).")
NOT_AN_IMAGE = (
    "Filen er ikke et billede (JPEG, PNG eller HEIC).",
    "The file is not an image (JPEG, PNG or HEIC).",
)
TOO_LATE = (
    "Billeder kan kun sendes den første uge efter meldingen.",
    "Photos can only be sent in the first week after the report.",
)


def _store(settings: Any) -> BlobStore:
    return BlobStore(settings.data_dir / "blobs")


def _hash(sha256: str) -> str:
    try:
        return check_hash(sha256)
    except BlobError:
        raise NotFound(*GONE) from None


async def _report_for_upload(db: AsyncSession, report_id: UUID, secret: str, sha256: str) -> tuple[Any, str]:
    """The door report `secret` opens, naming `sha256` among its photos, and the link's hash; 404
    (the same answer for every miss) unless all of it holds."""
    if not codes.looks_like_code(secret):
        raise NotFound(*GONE)
    digest = codes.secret_hash(secret)
    link = await db.get(FollowLink, digest)
    r = SYNC.record.c
    row = (
        await db.execute(
            select(r.id, r.fields, r.created_at, r.author_id, r.owner_id).where(
                r.id == report_id, r.type == REPORT, r.deleted.is_(False)
            )
        )
    ).one_or_none()
    if (
        link is None
        or link.record_id != report_id
        or row is None
        or row.author_id is not None
        or row.owner_id is not None
        or sha256 not in list(row.fields.get("photos") or [])[:MAX_PHOTOS]
    ):
        raise NotFound(*GONE)
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    if datetime.now(UTC) - created > timedelta(days=UPLOAD_DAYS):
        raise Invalid(*TOO_LATE)
    return row, digest


async def _kept(db: AsyncSession, report_id: UUID, sha256: str) -> bool:
    return await db.get(ReportPhoto, (report_id, sha256)) is not None


def _prepare(path: Path) -> str:
    """Check the photo that just arrived and strip it (the receipts' pipeline); its served type."""
    with path.open("rb") as f:
        if pipeline_photos.sniff(f.read(16)) not in IMAGES:
            raise pipeline_photos.PhotoRefused(*NOT_AN_IMAGE)
    return pipeline_photos.prepare(path).media_type


REFUSED = {413: TooLarge, 415: UnsupportedType, 422: Unreadable}


async def _owned_elsewhere(db: AsyncSession, sha256: str) -> bool:
    blob, photo = SYNC.blob.c, ReportPhoto
    return bool(
        await db.scalar(
            select(or_(exists().where(blob.sha256 == sha256), exists().where(photo.sha256 == sha256)))
        )
    )


def display_copy(store: BlobStore, sha256: str) -> bytes:
    """The photo resized for display (longest side DISPLAY_SIDE px, upright, JPEG, no metadata), kept
    next to the blobs once made."""
    cached = store.root / "display" / f"{sha256}.jpg"
    if cached.exists():
        return cached.read_bytes()
    with Image.open(store.path(sha256)) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
        upright.thumbnail((DISPLAY_SIDE, DISPLAY_SIDE))
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=82)
    cached.parent.mkdir(exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(out.getvalue())
    tmp.replace(cached)
    return out.getvalue()


def _image(data: bytes) -> Response[bytes]:
    return Response(
        data,
        media_type="image/jpeg",
        headers={
            "x-content-type-options": "nosniff",
            "content-security-policy": "default-src 'none'; sandbox",
            "cache-control": "private, no-store",
        },
    )


class PhotoIn(msgspec.Struct, forbid_unknown_fields=True):
    secret: str
    n: int = 0
    """Which of the reporter's own photos (0 to 3)."""


class DoorPhotoController(Controller):
    """The reporter's photos through the door: upload (resumable) and her own photos back."""

    path = "/api/facility/public/reports/{report_id:uuid}"
    tags = ["facility"]  # noqa: RUF012
    middleware = [UPLOAD_LIMIT.middleware]  # noqa: RUF012

    @head("/photos/{sha256:str}", operation_id="facilityPhotoStatus", status_code=200)
    async def status(
        self,
        request: Request,
        db_session: DbSession,
        settings: AppSettings,
        report_id: FromPath[UUID],
        sha256: FromPath[str],
    ) -> Response[None]:
        """How much of the photo the server has (resume from `upload-offset`)."""
        sha256 = _hash(sha256)
        _, digest = await _report_for_upload(
            db_session, report_id, request.headers.get(SECRET_HEADER, ""), sha256
        )
        if await _kept(db_session, report_id, sha256):
            return Response(None, headers={"upload-complete": "1"})
        offset = _store(settings).offset(sha256, f"door-{digest[:32]}")
        return Response(None, headers={"upload-complete": "0", "upload-offset": str(offset)})

    @put("/photos/{sha256:str}", operation_id="facilityPhotoUpload", status_code=200)
    async def upload(
        self,
        request: Request,
        db_session: DbSession,
        settings: AppSettings,
        report_id: FromPath[UUID],
        sha256: FromPath[str],
    ) -> dict[str, object]:
        """Send (part of) one of the report's photos; safe to send again (a kept photo answers complete)."""
        sha256 = _hash(sha256)
        _, digest = await _report_for_upload(
            db_session, report_id, request.headers.get(SECRET_HEADER, ""), sha256
        )
        body = await request.body()
        try:
            start, total = content_range(request.headers.get("content-range"), len(body))
        except BlobError as exc:
            raise Invalid(exc.da, exc.en) from None
        if await _kept(db_session, report_id, sha256):
            return {"complete": True, "offset": total}
        if total > MAX_BYTES:
            raise TooLarge(*TOO_LARGE)
        store, uploader = _store(settings), f"door-{digest[:32]}"
        try:
            complete = store.append(sha256, uploader, start, body, total)
        except BlobError as exc:
            raise Invalid(exc.da, exc.en) from None
        if not complete:
            return {"complete": False, "offset": store.offset(sha256, uploader)}
        try:
            media_type = await asyncio.to_thread(_prepare, store.path(sha256))
        except pipeline_photos.PhotoRefused as exc:
            if not await _owned_elsewhere(db_session, sha256):
                store.path(sha256).unlink(missing_ok=True)
            raise REFUSED[exc.status](exc.da, exc.en) from None
        db_session.add(
            ReportPhoto(
                record_id=report_id,
                sha256=sha256,
                content_type=media_type,
                link_hash=digest,
                created_at=datetime.now(UTC),
            )
        )
        await db_session.commit()
        return {"complete": True, "offset": total}

    @post("/my-photos", operation_id="facilityMyPhotos", status_code=200)
    async def mine(
        self, db_session: DbSession, settings: AppSettings, report_id: FromPath[UUID], data: JSONBody[PhotoIn]
    ) -> Response[bytes]:
        """The reporter's own photo `n` (resized for display): only those sent with this private link."""
        if not codes.looks_like_code(data.secret):
            raise NotFound(*GONE)
        digest = codes.secret_hash(data.secret)
        link = await db_session.get(FollowLink, digest)
        if link is None or link.record_id != report_id:
            raise NotFound(*GONE)
        own = await own_photos(db_session, report_id, digest)
        store = _store(settings)
        if not 0 <= data.n < len(own) or not store.has(own[data.n]):
            raise NotFound(*GONE)
        return _image(await asyncio.to_thread(display_copy, store, own[data.n]))


async def own_photos(db: AsyncSession, report_id: UUID, link_hash: str) -> list[str]:
    """The hashes of the photos sent with this private link for the report: in the report's order, then
    any taken off its list since (they stay hers)."""
    sent = (
        await db.scalars(
            select(ReportPhoto.sha256)
            .where(ReportPhoto.record_id == report_id, ReportPhoto.link_hash == link_hash)
            .order_by(ReportPhoto.created_at)
        )
    ).all()
    r = SYNC.record.c
    listed = [
        s
        for s in list((await db.scalar(select(r.fields).where(r.id == report_id)) or {}).get("photos") or [])
    ]
    return [s for s in listed if s in sent] + [s for s in sent if s not in listed]


class ReportPhotoOut(msgspec.Struct):
    sha256: str
    report_id: str
    """The report it came with (a merged duplicate's photos show on the kept report)."""
    fix: bool = False
    """A photo of the fix (the technician's), not the reporter's."""


async def _work_row(db: AsyncSession, principal: Principal, report_id: UUID) -> Any:
    r = SYNC.record.c
    row = (
        await db.execute(
            select(r.id, r.fields, r.unit_path, r.municipality_id).where(
                r.id == report_id, r.type == REPORT, r.deleted.is_(False)
            )
        )
    ).one_or_none()
    if (
        row is None
        or row.municipality_id != principal.municipality_id
        or not principal.can(WORK, row.unit_path)
    ):
        raise NotFound("Meldingen findes ikke.", "The report does not exist.")
    return row


async def merged_into(db: AsyncSession, municipality_id: int, report_id: UUID) -> list[Any]:
    """The reports merged into `report_id` (their rows: id, fields)."""
    r = SYNC.record.c
    rows = await db.execute(
        select(r.id, r.fields).where(
            r.type == REPORT, r.municipality_id == municipality_id, r.state == "merged", r.deleted.is_(False)
        )
    )
    return [row for row in rows if (row.fields.get("merged_into") or {}).get("id") == str(report_id)]


async def report_photos(db: AsyncSession, row: Any) -> list[ReportPhotoOut]:
    """Every photo of a report as the office sees it: the reporter's (its own and those of the reports
    merged into it, each only once its reporter sent it: a hash named in a door report gives nothing
    else) and the photos of the fix (uploaded by staff; the platform refuses others' hashes in a push)."""
    rows = [row, *await merged_into(db, row.municipality_id, row.id)]
    kept = (
        await db.scalars(
            select(ReportPhoto)
            .where(ReportPhoto.record_id.in_([x.id for x in rows]))
            .order_by(ReportPhoto.created_at)
        )
    ).all()
    arrived = {(p.record_id, p.sha256) for p in kept}
    staff = set(
        (
            await db.scalars(
                select(SYNC.blob.c.sha256).where(
                    SYNC.blob.c.sha256.in_(list(row.fields.get("fix_photos") or []))
                )
            )
        ).all()
    )
    out: list[ReportPhotoOut] = []
    for x in rows:
        for sha in x.fields.get("photos") or []:
            if (x.id, sha) in arrived:
                out.append(ReportPhotoOut(sha, str(x.id)))
    # A photo taken off the report's list later (an edit by staff) is still the report's: nothing is lost.
    listed = {(UUID(p.report_id), p.sha256) for p in out}
    out += [ReportPhotoOut(p.sha256, str(p.record_id)) for p in kept if (p.record_id, p.sha256) not in listed]
    out += [
        ReportPhotoOut(sha, str(row.id), True) for sha in row.fields.get("fix_photos") or [] if sha in staff
    ]
    return out


class ReportPhotosController(Controller):
    """The property office's and technicians' view of a report's photos (they may work on it)."""

    path = "/api/facility/reports/{record_id:uuid}"
    tags = ["facility"]  # noqa: RUF012

    @get("/photos", operation_id="facilityReportPhotos", cache=False)
    async def list_photos(
        self, db_session: DbSession, principal: SignedIn, record_id: FromPath[UUID]
    ) -> list[ReportPhotoOut]:
        """The report's photos (the reporter's, merged duplicates', the fix's), in order."""
        return await report_photos(db_session, await _work_row(db_session, principal, record_id))

    @get("/photo", operation_id="facilityReportPhoto", cache=False, media_type="image/jpeg")
    async def photo(
        self,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        record_id: FromPath[UUID],
        sha256: FromQuery[str],
    ) -> Response[bytes]:
        """One of them (`?sha256=`), resized for display; any other hash answers 404."""
        sha256 = _hash(sha256)
        listed = await report_photos(db_session, await _work_row(db_session, principal, record_id))
        store = _store(settings)
        if sha256 not in {p.sha256 for p in listed} or not store.has(sha256):
            raise NotFound(*GONE)
        return _image(await asyncio.to_thread(display_copy, store, sha256))
