"""Payroll's tables: wage lines fed by the workflows, the exports that sent them, and wage type codes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped, utcnow


class WageTypeCode(Timestamped, Base):
    """The municipality's own code in its payroll system for one kind of wage line (e.g. mileage, low rate)."""

    __tablename__ = "payroll_wage_type"
    __audited__: ClassVar[bool] = True

    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))


class PayrollExport(Base):
    """One file sent to payroll, kept exactly as it was sent, so it can be downloaded again."""

    __tablename__ = "payroll_export"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    """The payroll month, YYYY-MM."""
    format: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    line_count: Mapped[int]
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    """When payroll confirmed the salary run that paid it."""


class WageLine(Base):
    """What a workflow owes an employee, waiting for (or sent in) an export. One source item, one wage
    type, per correction round."""

    __tablename__ = "payroll_line"
    __audited__: ClassVar[bool] = True
    __table_args__ = (
        UniqueConstraint(
            "source_type",
            "source_id",
            "wage_key",
            "correction",
            "user_id",
            name="uq_payroll_line_source_round",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    employee_number: Mapped[str] = mapped_column(String(40))
    source_type: Mapped[str] = mapped_column(String(60))
    """The workflow's record type ("trip"); the source is that sync record."""
    source_id: Mapped[str] = mapped_column(String(64))
    wage_key: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    rate: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    period: Mapped[str] = mapped_column(String(7), index=True)
    """The payroll month that pays it (YYYY-MM), from the approval date and the cut-off."""
    approved_at: Mapped[datetime]
    flag: Mapped[str | None] = mapped_column(String(60))
    """A mark payroll must act on (PayLine.flag), e.g. "monthly_pay_right:2026-11-03"; shown in the export."""
    export_id: Mapped[int | None] = mapped_column(ForeignKey("payroll_export.id"), index=True)
    correction: Mapped[int] = mapped_column(default=0, server_default="0")
    """0 for a record's first lines; n for the difference paid after its lines had been in n exports
    (payroll.corrections: a record that changed after export and was approved again)."""
