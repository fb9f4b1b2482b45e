"""A waiting trip as one line of the leader's inbox: date and purpose, km and amount, the rules' badges.

The badges are the calculation's notes for the leader (`calc.flags`, all but the 60-day warning meant
for the employee) and what keeps a trip from being approved (`calc.problems`, a missing rate). A note
for the leader blocks "Godkend alle": the leader looks at that trip on its own (issue 16).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.features.mileage.rules.calculate import EMPLOYEE_ONLY_FLAGS
from backend.features.workflow import Badge, InboxSummary
from sync.apply import Record


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _badge(message: Any, *, blocking: bool) -> Badge | None:
    if not isinstance(message, dict):
        return None
    return Badge(
        str(message.get("code", "")), str(message.get("da", "")), str(message.get("en", "")), blocking
    )


def trip_line(record: Record) -> InboxSummary:
    """The trip's line: "10.03.2025 · Møde med forældre", its amount (kr) and badges."""
    fields = record.fields
    calc = fields.get("calc") or {}
    day = _day(fields.get("date"))
    shown = day.strftime("%d.%m.%Y") if day else ""
    purpose = str(fields.get("purpose") or "")
    flags = [
        f for f in calc.get("flags") or [] if isinstance(f, dict) and f.get("code") not in EMPLOYEE_ONLY_FLAGS
    ]
    problems = [*(calc.get("problems") or []), *([calc["error"]] if calc.get("error") else [])]
    badges = [b for m in flags if (b := _badge(m, blocking=True))]
    badges += [b for m in problems if (b := _badge(m, blocking=True))]
    title = " · ".join(p for p in (shown, purpose) if p)
    return InboxSummary(
        title=(title, title), day=day, amount=_amount(calc.get("amount")), badges=tuple(badges)
    )
