"""Shift planning's tables for people and plans: each person's weekly hours and competences, their
absences, and each unit's base plan (grundplan)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


class ShiftPerson(Timestamped, Base):
    """A person's working terms for the rota, set by the unit's planner or leader: `weekly_minutes`
    (2220 = 37 h full time; 1800 = 30 h part time, whose norm is pro rata) and the `competences` they
    hold (e.g. ["kørekort", "medicin-kursus"]; worktime.competences). No row: full time, none."""

    __tablename__ = "shift_person"
    __audited__: ClassVar[bool] = True

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    weekly_minutes: Mapped[int] = mapped_column(Integer, default=37 * 60)
    competences: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ShiftAbsence(Timestamped, Base):
    """An absence of `user_id` from `first` to `last` (inclusive), of `kind` ("ferie", "sygdom",
    "omsorgsdag", "kursus": worktime/absence_kinds.json), entered in unit `unit_id`. The id is the
    client's, so sending it twice saves it once."""

    __tablename__ = "shift_absence"
    __audited__: ClassVar[bool] = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    """The client's UUID as text (so the audit log can name it)."""
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    first: Mapped[date]
    last: Mapped[date]
    note: Mapped[str] = mapped_column(String(200), default="")


class BasePlan(Timestamped, Base):
    """A unit's base plan (grundplan) of `weeks` weeks from the Monday `anchor`; `slots` is a list of
    {week (0-based), weekday (0 Monday), employee (user id), shift_type (name)} (worktime.base_plan)."""

    __tablename__ = "shift_base_plan"
    __audited__: ClassVar[bool] = True

    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    weeks: Mapped[int] = mapped_column(Integer, default=8)
    anchor: Mapped[date]
    slots: Mapped[list[Any]] = mapped_column(JSON, default=list)
