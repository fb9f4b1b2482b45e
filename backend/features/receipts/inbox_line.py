"""A receipt drawn for review as one line of the leader's inbox: merchant, date, amount, why drawn.

It has been paid already (Holbæk's model: review afterwards), so it has no payroll deadline. A
suspected duplicate blocks "Godkend alle": the leader looks at it on its own (issue 16).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.features.workflow import Badge, InboxSummary
from sync.apply import Record


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


FINDINGS = frozenset({"over_amount_limit", "suspected_duplicate"})
"""The draw's rules (review_sample.py) that say something about the receipt; the others (all of a small
unit's, a random share) only say how it was drawn."""


def receipt_line(record: Record) -> InboxSummary:
    """The receipt's line: "Netto · 03.02.2025", its total (kr) and why it was drawn."""
    fields = record.fields
    day = _day(fields.get("date"))
    merchant = str(fields.get("merchant") or "")
    title = " · ".join(p for p in (merchant, day.strftime("%d.%m.%Y") if day else "") if p)
    try:
        amount = Decimal(str(fields["total"])) if fields.get("total") else None
    except InvalidOperation:
        amount = None
    review = fields.get("review") or {}
    badges = []
    # Why it was drawn is said in the review's own details; a badge is a finding about the receipt itself.
    if isinstance(review, dict) and review.get("rule") in FINDINGS:
        rule = str(review["rule"])
        badges.append(
            Badge(
                rule,
                str(review.get("reason") or rule),
                str(review.get("reason_en") or rule),
                rule == "suspected_duplicate",
            )
        )
    if fields.get("duplicate_of") and not any(b.code == "suspected_duplicate" for b in badges):
        badges.append(
            Badge("suspected_duplicate", "Mistanke om dobbeltregistrering.", "Suspected duplicate.", True)
        )
    return InboxSummary(
        title=(title or "Udlæg", title or "Receipt"), day=day, amount=amount, badges=tuple(badges), pays=False
    )
