"""Shift planning's own table: each unit's shift types (vagttyper)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


class ShiftType(Timestamped, Base):
    """A kind of shift a unit plans ("Dag", "Aften", "Nat"): wall-clock start and end ("HH:MM"; an end at
    or before the start ends the next day), unpaid break in minutes, and the competences it requires
    (e.g. "medicin-kursus", "kørekort")."""

    __tablename__ = "shift_type"
    __audited__: ClassVar[bool] = True
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    start: Mapped[str] = mapped_column(String(5))
    end: Mapped[str] = mapped_column(String(5))
    break_minutes: Mapped[int] = mapped_column(Integer, default=0)
    competences: Mapped[list[Any]] = mapped_column(JSON, default=list)
