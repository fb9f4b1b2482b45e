"""HTTP for notifications: this device's subscription (from the profile and the service worker), a
person's choices, and an admin's reminder days. Nothing here sends: the jobs do."""

from __future__ import annotations

import base64
import binascii
import os
from typing import Annotated
from urllib.parse import urlsplit

import msgspec
from litestar import Controller, get, post, put
from litestar.params import JSONBody
from sqlalchemy import delete, func, select

from backend.auth.deps import INVITED_OPT
from backend.auth.roles import Capability
from backend.db.base import utcnow
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Forbidden, Invalid
from backend.features.notify.emit import CATEGORIES
from backend.features.notify.models import NotifyPreference, PushSubscription, ReminderDays
from backend.features.notify.vapid import identity

MAX_DEVICES = 20
"""Subscriptions kept per person; the oldest goes when a 21st device subscribes."""
PUSH_SERVICES = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    ".push.apple.com",
    ".notify.windows.com",
)
"""The browsers' push services: the server POSTs only to these (no request to an address a user
chose, e.g. inside the municipality's network). FELT_PUSH_SERVICES adds origins (tests: a local one)."""


class Category(msgspec.Struct):
    key: str
    label: str
    label_en: str


class Choices(msgspec.Struct):
    off: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=20)] = (
        msgspec.field(default_factory=list)
    )
    """Categories switched off."""
    digest: bool = False
    """One quiet message in the morning instead of one per item (reminders still come on their day)."""


class PushOut(msgspec.Struct):
    enabled: bool
    """False: the server has no VAPID subject set (see README); the profile explains."""
    public_key: str
    """The `applicationServerKey` for PushManager.subscribe (base64url)."""
    categories: list[Category]
    choices: Choices
    devices: int


Endpoint = Annotated[str, msgspec.Meta(max_length=1000, pattern=r"^https?://[!-~]+$")]
"""A push service's URL: printable ASCII only (a control character never reaches the database)."""
B64 = Annotated[str, msgspec.Meta(max_length=200, pattern=r"^[A-Za-z0-9_=-]*$")]


class Keys(msgspec.Struct):
    p256dh: B64
    auth: B64


class SubscriptionIn(msgspec.Struct):
    """What the browser's PushSubscription.toJSON() gives, and the app's language."""

    endpoint: Endpoint
    keys: Keys
    lang: str = "da"


class EndpointIn(msgspec.Struct):
    endpoint: Endpoint


class Known(msgspec.Struct):
    known: bool


class ReminderDaysIO(msgspec.Struct):
    employees_day: int | None = None
    """Day of the month employees are reminded of what they have not sent; None: two working days
    before the payroll cut-off."""
    leaders_day: int | None = None


def _allowed_endpoint(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    extra = [o.strip().rstrip("/") for o in os.environ.get("FELT_PUSH_SERVICES", "").split(",") if o.strip()]
    if f"{parts.scheme}://{parts.netloc}" in extra:
        return True
    host = (parts.hostname or "").lower()
    return (
        parts.scheme == "https"
        and parts.username is None
        and parts.port in (None, 443)
        and any(host == s or (s.startswith(".") and host.endswith(s)) for s in PUSH_SERVICES)
    )


def _b64(value: str, size: int, name: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise Invalid(
            f"Abonnementets nøgle {name} er ikke gyldig.", f"The subscription's key {name} is not valid."
        )
    return value.rstrip("=")


async def _choices(db: DbSession, user_id: int) -> Choices:
    pref = await db.get(NotifyPreference, user_id)
    return Choices(sorted(pref.off), pref.digest) if pref else Choices()


class NotifyController(Controller):
    path = "/api/push"
    opt = {INVITED_OPT: True}  # noqa: RUF012 - an invited outsider gets her own notifications too
    tags = ["notifications"]  # noqa: RUF012

    @get("", operation_id="getPush")
    async def get_push(self, db_session: DbSession, principal: SignedIn, settings: AppSettings) -> PushOut:
        """Whether push works on this server, its public key, the kinds of message and my choices."""
        me = identity(settings)
        devices = await db_session.scalar(
            select(func.count())
            .select_from(PushSubscription)
            .where(PushSubscription.user_id == principal.user_id)
        )
        return PushOut(
            enabled=me.subject is not None,
            public_key=me.public_key,
            categories=[Category(k, da, en) for k, (da, en) in CATEGORIES.items()],
            choices=await _choices(db_session, principal.user_id),
            devices=int(devices or 0),
        )

    @put("/choices", operation_id="setPushChoices")
    async def set_choices(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[Choices]
    ) -> Choices:
        """Which kinds of message I want and whether as a morning digest. Safe to send twice."""
        unknown = sorted(set(data.off) - set(CATEGORIES))
        if unknown:
            raise Invalid(
                f"Ukendt slags besked: {', '.join(unknown)}.",
                f"Unknown kind of message: {', '.join(unknown)}.",
            )
        pref = await db_session.get(NotifyPreference, principal.user_id)
        if pref is None:
            pref = NotifyPreference(user_id=principal.user_id, municipality_id=principal.municipality_id)
            db_session.add(pref)
        pref.off, pref.digest = sorted(set(data.off)), data.digest
        await db_session.flush()
        return Choices(pref.off, pref.digest)

    @post("/subscriptions", operation_id="subscribePush", status_code=200)
    async def subscribe(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[SubscriptionIn]
    ) -> Known:
        """This device's subscription for me (the same endpoint again only updates it)."""
        if len(data.endpoint) > 1000 or not _allowed_endpoint(data.endpoint):
            raise Invalid(
                "Browserens push-tjeneste kendes ikke; push kan ikke slås til her.",
                "The browser's push service is not known; push cannot be turned on here.",
            )
        p256dh, auth = _b64(data.keys.p256dh, 65, "p256dh"), _b64(data.keys.auth, 16, "auth")
        found = await db_session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == data.endpoint)
        )
        if found is None:
            found = PushSubscription(endpoint=data.endpoint)
            db_session.add(found)
        # A browser shared by two people belongs to whoever turned push on last.
        found.user_id, found.municipality_id = principal.user_id, principal.municipality_id
        found.p256dh, found.auth, found.seen_at = p256dh, auth, utcnow()
        found.lang = "en" if data.lang == "en" else "da"
        await db_session.flush()
        mine = (
            await db_session.scalars(
                select(PushSubscription.id)
                .where(PushSubscription.user_id == principal.user_id)
                .order_by(PushSubscription.seen_at.desc(), PushSubscription.id.desc())
            )
        ).all()
        if len(mine) > MAX_DEVICES:
            await db_session.execute(
                delete(PushSubscription).where(PushSubscription.id.in_(mine[MAX_DEVICES:]))
            )
        return Known(True)

    @post("/subscriptions/check", operation_id="checkPush", status_code=200)
    async def check(self, db_session: DbSession, principal: SignedIn, data: JSONBody[EndpointIn]) -> Known:
        """The service worker on each start: does the server still know this device for me?"""
        found = await db_session.scalar(
            select(PushSubscription).where(
                PushSubscription.endpoint == data.endpoint, PushSubscription.user_id == principal.user_id
            )
        )
        if found is not None:
            found.seen_at = utcnow()
        return Known(found is not None)

    @post("/subscriptions/remove", operation_id="unsubscribePush", status_code=200)
    async def unsubscribe(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[EndpointIn]
    ) -> Known:
        """Push off on this device. Safe to send twice."""
        await db_session.execute(
            delete(PushSubscription).where(
                PushSubscription.endpoint == data.endpoint, PushSubscription.user_id == principal.user_id
            )
        )
        return Known(False)

    @get("/reminder-days", operation_id="getReminderDays")
    async def get_days(self, db_session: DbSession, principal: SignedIn) -> ReminderDaysIO:
        """The municipality's own reminder days (None: two working days before the cut-off)."""
        if not principal.can_anywhere(Capability.VIEW_SETTINGS):
            raise Forbidden("Du har ikke adgang til indstillingerne.", "You may not see the settings.")
        days = await db_session.get(ReminderDays, principal.municipality_id)
        return ReminderDaysIO(days.employees_day, days.leaders_day) if days else ReminderDaysIO()

    @put("/reminder-days", operation_id="setReminderDays")
    async def set_days(
        self, db_session: DbSession, principal: SignedIn, data: JSONBody[ReminderDaysIO]
    ) -> ReminderDaysIO:
        if not principal.can_anywhere(Capability.EDIT_SETTINGS):
            raise Forbidden("Du må ikke ændre indstillingerne.", "You may not change the settings.")
        for day in (data.employees_day, data.leaders_day):
            if day is not None and not 1 <= day <= 31:
                raise Invalid("En påmindelsesdag er 1–31.", "A reminder day is 1–31.")
        days = await db_session.get(ReminderDays, principal.municipality_id)
        if days is None:
            days = ReminderDays(municipality_id=principal.municipality_id)
            db_session.add(days)
        days.employees_day, days.leaders_day = data.employees_day, data.leaders_day
        await db_session.flush()
        return data
