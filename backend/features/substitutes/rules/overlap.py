"""Overlapping entries: one person cannot be at work twice at the same time (issue 14; the working-time
registration must be objective and reliable, domain-rules.md §3). The same check runs on the phone
(pwa/src/app/substitutesText.ts) and on the server, with the same words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from backend.features.worktime.wallclock import local


@dataclass(frozen=True)
class Span:
    """An entry's time at a unit: [start, end) as aware datetimes; `end` None while checked in: she is
    still there, so it covers the 24 hours from its start (no entry is longer: an end not after the
    start is the next day). `place` names the unit for the message."""

    id: str
    start: datetime
    end: datetime | None
    place: str


def _end(span: Span) -> datetime:
    if span.end is not None:
        return span.end.astimezone(UTC)
    return span.start.astimezone(UTC) + timedelta(hours=24)


def first_overlap(span: Span, others: Iterable[Span]) -> Span | None:
    """The earliest other span (not `span` itself) sharing any time with `span`, or None."""
    found = [
        o
        for o in others
        if o.id != span.id and o.start.astimezone(UTC) < _end(span) and span.start.astimezone(UTC) < _end(o)
    ]
    return min(found, key=lambda o: o.start.astimezone(UTC)) if found else None


def overlap_message(other: Span) -> tuple[str, str]:
    """(Danish, English): "Overlapper med din registrering på Nordskolen 08:00–12:00."."""
    start = local(other.start)
    when = f"{start:%H:%M}–{local(other.end):%H:%M}" if other.end else f"fra {start:%H:%M}"
    when_en = when if other.end else f"from {start:%H:%M}"
    day = f"{start.day}/{start.month}"
    return (
        f"Overlapper med din registrering på {other.place} {day} {when}.",
        f"Overlaps your entry at {other.place} on {day} {when_en}.",
    )
