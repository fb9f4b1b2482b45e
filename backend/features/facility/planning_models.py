"""The property office's planning tables: technician teams and their members, the municipality's own
list of report categories, and recurring tasks' schedules (rules.schedule)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


class Team(Timestamped, Base):
    """A team of technicians (e.g. "Flyverholdet – daginstitutioner"): a report assigned to it is on every
    member's list. Named uniquely within its municipality; `active` False: no longer offered."""

    __tablename__ = "facility_team"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TeamMember(Base):
    """A technician on a team."""

    __tablename__ = "facility_team_member"
    __audited__: ClassVar[bool] = True

    team_id: Mapped[int] = mapped_column(ForeignKey("facility_team.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)


class Category(Timestamped, Base):
    """One of the municipality's report categories (key, Danish, English). A retired category is no
    longer offered to reporters, but the reports that carry it keep it and show its name."""

    __tablename__ = "facility_category"
    __table_args__ = (UniqueConstraint("municipality_id", "key"),)
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    da: Mapped[str] = mapped_column(String(80))
    en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Schedule(Timestamped, Base):
    """A recurring task in a building (or one of its rooms): every `every` `unit`s from `start`
    (rules.schedule), made as a report assigned to `team_id` or `assignee` with the occurrence as due date.
    `since` the first due date it may make (the day it was made or its rhythm last changed)."""

    __tablename__ = "facility_schedule"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("facility_building.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("facility_room.id"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    every: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))
    start: Mapped[date]
    since: Mapped[date]
    team_id: Mapped[int | None] = mapped_column(ForeignKey("facility_team.id"), default=None)
    assignee: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
