"""The reading's reasons for a receipt's fields (a warning beside a filled field, e.g. "over a year
old", or why a field was left empty) speak about the value the field had when the photos were read.
Once the employee changes that field, its reason no longer says anything about what is there, and
goes: the employee and the leader are shown only warnings that still hold. Plain Python.

Each reason is kept with that value (`value`); a reason kept without one (read before this rule)
stays, since nothing says what it was about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def with_values(
    reasons: Mapping[str, dict[str, Any]], fields: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """`reasons` (field name → {"da", "en", "code"}) each marked with the field's value in `fields`
    (None for an empty field) as the reading leaves it."""
    return {name: {**reason, "value": fields.get(name)} for name, reason in reasons.items()}


def still_holding(reasons: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """The reasons whose field still has the value they were given about; None when all still hold
    (nothing to change)."""
    kept = {
        name: reason
        for name, reason in reasons.items()
        if not (isinstance(reason, dict) and "value" in reason and fields.get(name) != reason["value"])
    }
    return kept if len(kept) < len(reasons) else None
