"""Paying receipts back through payroll, the shared feed every workflow that pays uses.

A submitted receipt yields one wage line ("udlæg", the total) in the salary month that its
submission date and the municipality's cut-off decide (backend.features.payroll.feed); withdrawing
it before the export takes the line out again. The payroll export then moves the receipt to "paid"
by its `send_to_payroll` transition, and a sample is reviewed by the leaders afterwards (review.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from backend.features.workflow import Payable, PayLine, WageType
from sync.apply import Record

OUTLAY = WageType("receipt_outlay", "Udlæg (refusion)", "Outlay (refund)", "9100")


def submitted_at(record: Record) -> datetime:
    step = next(s for s in reversed(record.history) if s.get("transition") == "submit")
    return datetime.fromisoformat(step["at"])


def outlay(record: Record) -> list[PayLine]:
    """One line: 1 × the total (kr)."""
    total = Decimal(record.fields["total"])
    return [PayLine(OUTLAY.key, Decimal(1), total, total)]


PAYABLE = Payable(states=frozenset({"submitted"}), lines=outlay, decided_at=submitted_at)
