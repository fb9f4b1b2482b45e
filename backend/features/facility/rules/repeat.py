"""A repeated fault (gentagen fejl): the same room and category reported again soon after a fix.

The issue's rule (issue 15, "Reporter"): a report for the same room and category within 30 days after
one was closed (done) is tagged as a repeated fault, so the property office sees that the fix did not
hold. The window is counted in whole days from the closing time to the new report's time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

REPEAT_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Closed:
    """A report that was closed as done: its id and when (timezone-aware)."""

    id: str
    closed_at: datetime


def repeated_fault(reported_at: datetime, closed: Iterable[Closed]) -> Closed | None:
    """The most recently closed report of the same room and category that `reported_at` falls within
    30 days after (closing time ≤ reported_at ≤ closing time + 30 days); None when there is none."""
    hits = [c for c in closed if c.closed_at <= reported_at <= c.closed_at + REPEAT_WINDOW]
    return max(hits, key=lambda c: c.closed_at, default=None)
