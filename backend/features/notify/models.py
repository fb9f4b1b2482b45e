"""Notifications' own tables: each device's push subscription, each person's choices, the messages a
person who chose a quiet digest has waiting, and a municipality's own reminder days."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from advanced_alchemy.types import JsonB
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped, utcnow


class PushSubscription(Base):
    """One device's (browser's) push subscription: where to POST and the keys to encrypt for it
    (RFC 8291: `p256dh` the browser's public key, `auth` its secret, both base64url)."""

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(2), default="da")
    """The language the app showed when the device subscribed: messages are written in it."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    """Last time the device confirmed it (each start of its service worker)."""


class NotifyPreference(Timestamped, Base):
    """A person's choices: which kinds of message they do not want, and whether they want a quiet
    daily digest instead of one push per item."""

    __tablename__ = "notify_preference"
    __audited__: ClassVar[bool] = True

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    off: Mapped[list[str]] = mapped_column(JsonB, default=list)
    digest: Mapped[bool] = mapped_column(default=False)


class PendingMessage(Base):
    """A message kept for a person's next digest (they chose the quiet digest)."""

    __tablename__ = "notify_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    message: Mapped[dict[str, Any]] = mapped_column(JsonB)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderDays(Timestamped, Base):
    """A municipality's own reminder days of the month (1–31); None: two working days before the
    payroll cut-off (rules/reminders.py)."""

    __tablename__ = "notify_reminder_days"
    __audited__: ClassVar[bool] = True

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True)
    employees_day: Mapped[int | None] = mapped_column(default=None)
    leaders_day: Mapped[int | None] = mapped_column(default=None)
