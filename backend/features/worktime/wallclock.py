"""Danish wall-clock time: Europe/Copenhagen, daylight saving included (standard library only).

People write times as they read them on the clock ("22:00 to 06:00"); durations and rules need real
elapsed time. A night across the change to summer time (last Sunday of March) lasts 7 hours, one
across the change back (last Sunday of October) 9 (domain-rules.md §3b: "Daylight-saving nights are
7 h or 9 h long: compute in local time zone with real durations").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def parse_clock(text: str) -> int:
    """ "HH:MM" → minutes after midnight (0–1440; "24:00" is the end of the day).

    Raises ValueError for anything else ("7:5", "25:00", "12:60")."""
    hours, sep, minutes = text.partition(":")
    if not sep or len(minutes) != 2 or not (hours.isdigit() and minutes.isdigit()) or len(hours) > 2:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > 24 * 60:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return value


def at(day: date, minute_of_day: int) -> datetime:
    """The moment a Copenhagen clock shows `minute_of_day` (0–1440) on `day`, as an aware datetime.

    1440 is the next day's midnight. A time skipped by the change to summer time (02:00–02:59 on the
    last Sunday of March) is read with the offset before the change (zoneinfo's fold=0), so 02:30 is
    03:30 summer time."""
    day = day + timedelta(days=minute_of_day // 1440)
    minute_of_day %= 1440
    return datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), COPENHAGEN)


def span(day: date, start: int, end: int) -> tuple[datetime, datetime]:
    """A span written as a day and two clock times (minutes after midnight): when the end is not after
    the start, it ends the next day (22:00–06:00 is a night). Returns (start, end), both aware."""
    return at(day, start), at(day + timedelta(days=1) if end <= start else day, end)


def elapsed_minutes(start: datetime, end: datetime) -> int:
    """Real minutes from `start` to `end` (aware datetimes), whatever the clocks did in between."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("times must carry their time zone")
    return round((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60)


def local(moment: datetime) -> datetime:
    """`moment` on a Copenhagen clock."""
    return moment.astimezone(COPENHAGEN)
