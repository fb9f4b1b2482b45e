"""Minimum paid time (minimumsbetaling) for hourly-paid substitutes.

Teachers in municipalities are paid for the hours worked, but at least 2 hours when asked to come in —
per call-in; the regional text says per working day (domain-rules.md §3b, tr.dlf.org timelønnede).
The profile (profiles.json) says which, and how many minutes.

Per call-in: every entry is topped up to the minimum on its own. Per working day: the day's entries
together are topped up, and the top-up is put on the day's last entry (by start), so the day's total
is the minimum and each entry says whether the rule raised it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Worked:
    """One entry's worked minutes (after its break) on `day`, starting at `start` minutes after midnight."""

    id: str
    day: date
    start: int
    minutes: int


def top_ups(entries: Sequence[Worked], minimum_minutes: int, per: str) -> dict[str, int]:
    """Entry id → the minutes added to reach the minimum (0 when none); per is "call_in" or "day".

    Raises ValueError for another `per` or a negative minimum."""
    if minimum_minutes < 0 or per not in ("call_in", "day"):
        raise ValueError("minimum must be ≥ 0 minutes, per call_in or day")
    result = {e.id: 0 for e in entries}
    if per == "call_in":
        for e in entries:
            result[e.id] = max(0, minimum_minutes - e.minutes)
        return result
    days: dict[date, list[Worked]] = {}
    for e in entries:
        days.setdefault(e.day, []).append(e)
    for same_day in days.values():
        last = max(same_day, key=lambda e: (e.start, e.id))
        result[last.id] = max(0, minimum_minutes - sum(e.minutes for e in same_day))
    return result
