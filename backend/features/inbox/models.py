"""The inbox's one table: stand-ins (stedfortrædere) named by leaders for a date range."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


class StandIn(Timestamped, Base):
    """`stand_in_id` decides for `leader_id` over `unit_id` (and the units below it) from `starts` to
    `ends`, both included (stand_in_rules.py). Audited: every change is in the audit log."""

    __tablename__ = "stand_in"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    stand_in_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    starts: Mapped[date]
    ends: Mapped[date]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
