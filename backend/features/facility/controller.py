"""HTTP for facility reports beyond sync.

Public (no log-in, rate-limited per address, 404 for anything not theirs): what a room's code opens
(the room, and its open reports as the duplicate hint), following a report of that room by a private
link, and the private link's receipt. Signed in: the property office's buildings (codes, the
per-building setting for reporting without log-in), rotating codes (admins), the technicians to assign.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from backend.auth.roles import Capability, Principal, Role
from backend.db.models import RoleAssignment, User
from backend.db.sync_tables import SYNC
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Forbidden, Invalid, NotFound
from backend.features.facility import categories, service
from backend.features.facility.importer import import_buildings
from backend.features.facility.labels import Label, label_sheet
from backend.features.facility.models import Building, Room
from backend.features.facility.record_type import TRIAGE
from backend.features.facility.rules import codes
from backend.features.facility.rules.status import public_steps
from backend.features.org.hr_csv import CsvUnreadable
from backend.web.params import BodyId, QueryId
from sync.blobs import BlobStore

PUBLIC_LIMIT = RateLimitConfig(rate_limit=("minute", 30), store="facility_public_rate_limit")
"""At most 30 look-ups a minute from one address (a scan, a follow, a receipt page)."""

UNKNOWN = ("Koden findes ikke.", "The code does not exist.")
REPLACED = (
    "Denne kode er blevet udskiftet. Scan den nye kode i rummet, eller kontakt ejendomskontoret.",
    "This code has been replaced. Scan the new code in the room, or contact the property office.",
)


class Category(msgspec.Struct):
    key: str
    da: str
    en: str


class OpenReport(msgspec.Struct):
    id: str
    category: str
    state: str
    reported_at: str
    text: str


class RoomOut(msgspec.Struct):
    """What a scanned code opens: the building and room, the categories, and the room's open reports."""

    code: str
    building: str
    room: str
    categories: list[Category]
    open: list[OpenReport]


class Replaced(msgspec.Struct):
    replaced: bool
    detail: str
    detail_en: str


class FollowIn(msgspec.Struct, forbid_unknown_fields=True):
    report_id: UUID
    secret: str
    """The private link's secret, made on the reporter's phone (≥ 128 random bits); only its hash is kept."""


class SecretIn(msgspec.Struct, forbid_unknown_fields=True):
    secret: str


class PhotoIn(msgspec.Struct, forbid_unknown_fields=True):
    secret: str
    n: int = msgspec.field(default=0)
    """Which photo of the fix (0 to 3)."""


class StepOut(msgspec.Struct):
    state: str
    at: str
    reason: str | None = None


class ReceiptOut(msgspec.Struct):
    """The reporter's receipt: where, what, and the status steps to the end; never an internal note."""

    id: str
    building: str
    room: str
    category: str
    text: str
    state: str
    steps: list[StepOut]
    fix_photos: int = 0
    """How many photos of the fix the technician took."""


async def _categories(db: DbSession, municipality_id: int) -> list[Category]:
    """The categories a reporter may choose: the municipality's own list (categories.py), not retired."""
    return [Category(c.key, c.da, c.en) for c in await categories.offered(db, municipality_id)]


async def _room(db: DbSession, code: str) -> Room:
    found = await service.scan(db, code[:64])
    if found.replaced:
        raise NotFound(*REPLACED)
    if found.room is None or found.building is None or not found.building.open_reporting:
        raise NotFound(*UNKNOWN)
    return found.room


class FacilityPublicController(Controller):
    path = "/api/facility/public"
    tags = ["facility"]  # noqa: RUF012
    middleware = [PUBLIC_LIMIT.middleware]  # noqa: RUF012

    @get("/rooms/{code:str}", operation_id="facilityScan", cache=False)
    async def scan(self, db_session: DbSession, code: FromPath[str]) -> Response[Any]:
        """The room a code opens, with its open reports ("already reported"); 410 when it was replaced."""
        found = await service.scan(db_session, code[:64])
        if found.replaced:
            return Response(Replaced(True, *REPLACED), status_code=410)
        room = await _room(db_session, code)
        building = found.building
        assert building is not None
        return Response(
            RoomOut(
                room.code,
                building.name,
                room.name,
                await _categories(db_session, room.municipality_id),
                [msgspec.convert(o, OpenReport) for o in await service.open_reports(db_session, room)],
            )
        )

    @post("/rooms/{code:str}/follow", operation_id="facilityFollow", status_code=200)
    async def follow(
        self, db_session: DbSession, code: FromPath[str], data: JSONBody[FollowIn]
    ) -> dict[str, bool]:
        """Follow a report of this room by a private link (a new report's receipt, or "already reported")."""
        room = await _room(db_session, code)
        if not codes.looks_like_code(data.secret) or not await service.follow(
            db_session, room, data.report_id, data.secret
        ):
            raise NotFound("Meldingen findes ikke.", "The report does not exist.")
        return {"following": True}

    @post("/receipts/{report_id:uuid}", operation_id="facilityReceipt", status_code=200)
    async def receipt(
        self, db_session: DbSession, report_id: FromPath[UUID], data: JSONBody[SecretIn]
    ) -> ReceiptOut:
        """The report a private link opens, as its reporter sees it (rules.status)."""
        row = await service.followed(db_session, report_id, data.secret)
        if row is None:
            raise NotFound("Meldingen findes ikke.", "The report does not exist.")
        f, place = row.fields, row.fields.get("place") or {}
        steps = public_steps(row.created_at.isoformat(), row.history)
        return ReceiptOut(
            str(row.id),
            str(place.get("building", "")),
            str(place.get("room", "")),
            str(f.get("category", "")),
            str(f.get("text", "")),
            row.state,
            [StepOut(s.state, s.at, s.reason) for s in steps],
            len(f.get("fix_photos") or []) if row.state == "done" else 0,
        )


PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


class FixPhotoController(Controller):
    """The photo of the fix, for the private link's holder: as bytes from a POST (the secret stays out of
    URLs and logs), shown by the PWA from a blob: URL. Only a done report's `fix_photos`, which only
    people who may work on the report could set, each uploaded by them (the platform refuses others')."""

    path = "/api/facility/public/receipts"
    tags = ["facility"]  # noqa: RUF012
    middleware = [PUBLIC_LIMIT.middleware]  # noqa: RUF012

    @post(
        "/{report_id:uuid}/fix-photo",
        operation_id="facilityFixPhoto",
        status_code=200,
        media_type="image/jpeg",
    )
    async def fix_photo(
        self, db_session: DbSession, settings: AppSettings, report_id: FromPath[UUID], data: JSONBody[PhotoIn]
    ) -> Response[bytes]:
        row = await service.followed(db_session, report_id, data.secret)
        photos = list(row.fields.get("fix_photos") or []) if row is not None and row.state == "done" else []
        store = BlobStore(settings.data_dir / "blobs")
        sha = photos[data.n] if 0 <= data.n < len(photos) else None
        content_type = (
            await db_session.scalar(
                select(SYNC.blob.c.content_type).where(SYNC.blob.c.sha256 == sha).limit(1)
            )
            if sha
            else None
        )
        if sha is None or content_type not in PHOTO_TYPES or not store.has(sha):
            raise NotFound("Billedet findes ikke.", "The photo does not exist.")
        return Response(
            store.path(sha).read_bytes(),
            media_type=str(content_type),
            headers={
                "x-content-type-options": "nosniff",
                "content-security-policy": "default-src 'none'; sandbox",
            },
        )


class RoomRow(msgspec.Struct):
    id: int
    name: str
    code: str


class BuildingOut(msgspec.Struct):
    id: int
    name: str
    address: str
    open_reporting: bool
    rooms: list[RoomRow]


class BuildingIn(msgspec.Struct, forbid_unknown_fields=True):
    id: BodyId
    open_reporting: bool


class BuildingRef(msgspec.Struct, forbid_unknown_fields=True):
    id: BodyId


class ImportProblem(msgspec.Struct):
    line: int
    message: str
    message_en: str


class ImportOut(msgspec.Struct):
    buildings: int
    rooms: int
    errors: list[ImportProblem]


class Person(msgspec.Struct):
    id: int
    name: str


def _manages(principal: Principal) -> None:
    if not (principal.can_anywhere(TRIAGE) or principal.can_anywhere(Capability.EDIT_SETTINGS)):
        raise Forbidden("Kun ejendomskontoret og administratorer.", "Only the property office and admins.")


async def _building(db: DbSession, principal: Principal, building_id: int) -> Building:
    building = await db.get(Building, building_id)
    if building is None or building.municipality_id != principal.municipality_id:
        raise NotFound("Bygningen findes ikke.", "The building does not exist.")
    return building


async def _out(db: DbSession, building: Building) -> BuildingOut:
    rooms = (await db.scalars(select(Room).where(Room.building_id == building.id).order_by(Room.name))).all()
    return BuildingOut(
        building.id,
        building.name,
        building.address,
        building.open_reporting,
        [RoomRow(r.id, r.name, r.code) for r in rooms],
    )


class FacilityController(Controller):
    path = "/api/facility"
    tags = ["facility"]  # noqa: RUF012

    @get("/buildings", operation_id="facilityBuildings", cache=False)
    async def buildings(self, db_session: DbSession, principal: SignedIn) -> list[BuildingOut]:
        """The municipality's buildings with their rooms and codes (for labels and settings)."""
        _manages(principal)
        rows = await db_session.scalars(
            select(Building)
            .where(Building.municipality_id == principal.municipality_id)
            .order_by(Building.name)
        )
        return [await _out(db_session, b) for b in rows.all()]

    @put("/buildings", operation_id="facilityBuildingSetting")
    async def set_building(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[BuildingIn]
    ) -> BuildingOut:
        """Allow or stop reporting without log-in from a building's codes."""
        _manages(principal)
        building = await _building(db_session, principal, data.id)
        building.open_reporting = data.open_reporting
        await db_session.flush()
        return await _out(db_session, building)

    @post("/buildings/rotate", operation_id="facilityRotateCodes", status_code=200)
    async def rotate(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[BuildingRef]
    ) -> BuildingOut:
        """New codes for every room of a building (admins); the old labels say "this code has been replaced"."""
        if not principal.can_anywhere(Capability.EDIT_SETTINGS):
            raise Forbidden("Kun administratorer kan udskifte koder.", "Only admins can replace codes.")
        building = await _building(db_session, principal, data.id)
        await service.rotate(db_session, building)
        return await _out(db_session, building)

    @post("/import", operation_id="facilityImport", status_code=200)
    async def import_csv(self, request: Request, db_session: DbSession, principal: SignedIn) -> ImportOut:
        """Body: the CSV of buildings and rooms (docs/facility-import.md); a file with errors changes nothing."""
        _manages(principal)
        body = await request.body()
        if not body.strip():
            raise Invalid("Vælg en CSV-fil at indlæse.", "Choose a CSV file to import.")
        try:
            result = await import_buildings(db_session, principal.municipality_id, body)
        except CsvUnreadable as exc:
            raise Invalid(str(exc)) from exc
        if result.errors:
            await db_session.rollback()
            result.buildings = result.rooms = 0
        return ImportOut(
            result.buildings,
            result.rooms,
            [ImportProblem(e.line, e.message, e.message_en) for e in result.errors],
        )

    @get("/labels.pdf", operation_id="facilityLabels", cache=False, media_type="application/pdf")
    async def labels(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        building: QueryId,
    ) -> Response[bytes]:
        """A building's QR labels to print (A4 PDF, one label per room; labels.py)."""
        _manages(principal)
        found = await _out(db_session, await _building(db_session, principal, building))
        base = settings.public_url or str(request.base_url).rstrip("/")
        pdf = label_sheet([Label(r.name, found.name, f"{base}/#/meld/{r.code}") for r in found.rooms])
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"content-disposition": f'attachment; filename="qr-etiketter-{found.id}.pdf"'},
        )

    @get("/technicians", operation_id="facilityTechnicians", cache=False)
    async def technicians(self, db_session: DbSession, principal: SignedIn) -> list[Person]:
        """The municipality's technicians, to assign reports to (the property office)."""
        if not principal.can_anywhere(TRIAGE):
            raise Forbidden("Kun ejendomskontoret.", "Only the property office.")
        rows = await db_session.execute(
            select(User.id, User.name)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.role == Role.TECHNICIAN.value,
                User.municipality_id == principal.municipality_id,
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.name)
        )
        return [Person(i, n) for i, n in rows]
