"""Mileage's own tables: each municipality's rates (copied from the shipped figures, correctable by an
admin), its limits, and the employees' written driving authorisations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from advanced_alchemy.types import JsonB
from sqlalchemy import Boolean, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


class MileageRate(Timestamped, Base):
    __tablename__ = "mileage_rate"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("municipality_id", "kind", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date]
    kr_per_km: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    source: Mapped[str] = mapped_column(String(500), default="")
    verify: Mapped[bool] = mapped_column(Boolean, default=False)


class MileageLimits(Timestamped, Base):
    """The municipality's own maxima: exceeding one sends the trip to the leader with a note."""

    __tablename__ = "mileage_limits"
    __audited__: ClassVar[bool] = True

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True)
    max_km_per_trip: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    max_km_per_month: Mapped[Decimal | None] = mapped_column(Numeric(9, 1))


class DrivingAuthorisation(Timestamped, Base):
    """A written, personal kørselsbemyndigelse: the high rate for the trips it covers."""

    __tablename__ = "mileage_authorisation"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    reference: Mapped[str] = mapped_column(String(200), default="")
    workplaces: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default="[]")
    """Limits it to trips for these places (names as the employee types them); empty covers every trip."""
