"""Substitutes' own table: each municipality's hourly wage per agreement profile, dated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


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
