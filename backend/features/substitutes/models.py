"""Substitutes' own table: each municipality's hourly wage per agreement profile, dated."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped, utcnow


class SubstituteRate(Timestamped, Base):
    """The hourly wage (kr per hour) of substitutes under `profile` (rules/profiles.json) from
    `effective_from` until the next row. For pædagoger: 1/1924 of the annual pay of the same post
    (BUPL–KL, domain-rules.md §3b); the figure is the municipality's, never shipped as code."""

    __tablename__ = "substitute_rate"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("municipality_id", "profile", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    profile: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date]
    hourly_kr: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    source: Mapped[str] = mapped_column(String(500), default="")


class SubstituteSettings(Timestamped, Base):
    """The municipality's deadline for substitutes' hours (rules/deadline.py): hours of a month are due
    by `deadline_day` of the next month at `deadline_clock` ("HH:MM", Copenhagen); months more than
    `max_months_back` back are closed. Without a row, rules/deadline_default.json applies."""

    __tablename__ = "substitute_settings"
    __audited__: ClassVar[bool] = True

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True)
    deadline_day: Mapped[int] = mapped_column(default=5)
    deadline_clock: Mapped[str] = mapped_column(String(5), default="16:00")
    max_months_back: Mapped[int] = mapped_column(default=2)


class SubstituteInvitation(Timestamped, Base):
    """A person outside the identity provider invited by a unit's secretary to register hours there.

    The invitation makes (or reuses) a user whose subject is "invited:<e-mail>" and books her on the unit
    (the substitute role there, grant source "invitation"); she signs in with one-time codes sent to
    `email`. Withdrawing takes the booking away (`withdrawn_at`); the row stays for the record."""

    __tablename__ = "substitute_invitation"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    """Trimmed, lower case (auth.one_time_code.normalise_email)."""
    name: Mapped[str] = mapped_column(String(200))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SignInCode(Base):
    """A one-time sign-in code sent by e-mail (auth/one_time_code.py): only its keyed hash is kept.

    `sealed` is the code encrypted with the server's key for the mail job alone (the job's payload names
    this row, never the code); it is emptied when the mail has gone."""

    __tablename__ = "sign_in_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    wrong_tries: Mapped[int] = mapped_column(default=0)


class SignInCodeRequest(Base):
    """An accepted request for a sign-in code (POST /auth/code), for any address, invited or not: what
    the per-address limit counts (auth/one_time_code.py may_send). Only the address's keyed hash is kept
    (one_time_code.address_key), and only for one_time_code.WINDOW: older rows are deleted as new
    requests come."""

    __tablename__ = "sign_in_code_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
