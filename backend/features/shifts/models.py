"""Shift planning's own table: each unit's shift types (vagttyper)."""

from __future__ import annotations

from datetime import date
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


class UnitRules(Timestamped, Base):
    """A unit's working-time profile and norm settings (data, not code; the units below inherit it).

    Rest: `reduced_rest_minutes` (e.g. 480 under the daycare agreement) at most `reduced_per_week` times a
    calendar week, None for none; the weekly rest `weekly_rest_minutes` (35 h) in every `weekly_window_days`
    (7, up to 12 by local agreement). Norm: a normperiode of `norm_weeks` weeks counted from the Monday
    `norm_anchor`, with a flex band of ± `flex_band_minutes` (e.g. Rudersdal: ±20 h over 12 weeks).
    """

    __tablename__ = "shift_unit_rules"
    __audited__: ClassVar[bool] = True

    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    reduced_rest_minutes: Mapped[int | None] = mapped_column(Integer)
    reduced_per_week: Mapped[int] = mapped_column(Integer, default=0)
    weekly_rest_minutes: Mapped[int] = mapped_column(Integer, default=35 * 60)
    weekly_window_days: Mapped[int] = mapped_column(Integer, default=7)
    norm_weeks: Mapped[int] = mapped_column(Integer, default=12)
    norm_anchor: Mapped[date] = mapped_column(default=date(2026, 1, 5))
    flex_band_minutes: Mapped[int] = mapped_column(Integer, default=20 * 60)
    swaps_approve_themselves: Mapped[bool] = mapped_column(default=False)
    """A swap that breaks no rule is approved when a colleague accepts it; otherwise it waits for the leader."""
