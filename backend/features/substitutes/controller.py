"""HTTP for substitutes' hours beyond sync: the municipality's figures (hourly wages per agreement,
the deadline), and the unit's printable check-in code.

The code is a QR image of the link that opens Felt's check-in at that unit
(`/?vikar_enhed=<unit id>#/vikar`): the substitute scans it with the phone's camera, signs in if she
has to, and checks in there with one press. It carries no secret (the unit's id only): checking in
still needs her own log-in and her booking on that unit. Drawn as SVG by segno (pure Python QR
encoder, no image library), so it prints sharp at any size.
"""

from __future__ import annotations

import io

import segno
from litestar import Controller, Request, Response, get, put
from litestar.params import JSONBody

from backend import platform
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Forbidden
from backend.features.municipality import service as municipality
from backend.features.org import service as org
from backend.features.substitutes import calculation, settings
from backend.features.substitutes.record_type import APPROVE
from backend.features.sync import pipeline
from backend.web.params import PathId

SVG = "image/svg+xml"


def checkin_link(base_url: str, unit_id: int) -> str:
    """The link a unit's check-in code carries."""
    return f"{base_url}/?vikar_enhed={unit_id}#/vikar"


class SubstitutesController(Controller):
    path = "/api/substitutes"

    @get("/units/{unit_id:int}/checkin.svg", operation_id="substituteCheckinCode", media_type=SVG)
    async def checkin_code(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        unit_id: PathId,
    ) -> Response[bytes]:
        """The unit's check-in QR code (SVG), for the unit's secretary to print and hang up."""
        unit = await org.get_unit(db_session, principal, unit_id)
        if not principal.can(APPROVE, unit.path):
            raise Forbidden(
                "Kun enhedens sekretær kan hente dens tjek-ind-kode.",
                "Only the unit's secretary can fetch its check-in code.",
            )
        base_url = settings.public_url or str(request.base_url).rstrip("/")
        out = io.BytesIO()
        segno.make(checkin_link(base_url, unit.id), error="m").save(
            out, kind="svg", scale=8, border=4, title=unit.name
        )
        return Response(out.getvalue(), media_type=SVG)

    @get("/settings", operation_id="getSubstituteSettings")
    async def get_settings(self, db_session: DbSession, principal: SignedIn) -> settings.Figures:
        """The hourly wages per agreement profile (dated) and the deadline for hours."""
        await municipality.get_settings(db_session, principal)
        return await settings.read(db_session, principal.municipality_id)

    @put("/settings", operation_id="updateSubstituteSettings")
    async def update_settings(
        self, request: Request, db_session: DbSession, principal: SignedIn, data: JSONBody[settings.Figures]
    ) -> settings.Figures:
        """Replace the hourly wages and the deadline; every open entry is recalculated with them."""
        await municipality.update_settings(db_session, principal, {})
        await settings.replace(db_session, principal.municipality_id, data)
        changes = await calculation.recalculate_municipality(db_session, principal.municipality_id)
        await pipeline.save(db_session, platform.of(request), changes)
        return await settings.read(db_session, principal.municipality_id)
