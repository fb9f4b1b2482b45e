"""Shifts on the Copenhagen wall clock, with their real length across daylight-saving changes.

A shift is planned as a date and two wall-clock times ("man. 22:00–07:00"); it happens at two real
instants. The night from Saturday to Sunday at the end of March lasts an hour less (02:00 becomes
03:00), the last Sunday of October an hour more, and is counted and paid so (domain-rules.md §3b,
"Daylight-saving nights are 7 h or 9 h long"). A recurring shift keeps its wall-clock time: each
occurrence is placed on the clock of its own date, never by adding 7 × 24 hours to the last one.

Arithmetic is done in UTC: Python subtracts two datetimes with the same `tzinfo` on the wall clock
(ignoring the offset), which is exactly the bug this module exists to avoid.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def place(day: date, start: time, end: time, tz: ZoneInfo = COPENHAGEN) -> tuple[datetime, datetime]:
    """(start, end) as aware UTC instants of a shift on `day` from `start` to `end` wall-clock time.

    An `end` at or before `start` ends on the next day (a night shift). A wall-clock time that does
    not exist (02:30 on the spring-forward night) is read with the offset before the change, i.e. it
    falls an hour later in summer time; an ambiguous one (02:30 twice in October) is the first.
    """
    begin = datetime.combine(day, start, tzinfo=tz)
    finish_day = day + timedelta(days=1) if end <= start else day
    finish = datetime.combine(finish_day, end, tzinfo=tz)
    return begin.astimezone(UTC), finish.astimezone(UTC)


def minutes_between(start: datetime, end: datetime) -> int:
    """Real minutes from `start` to `end` (aware datetimes, any zones); negative when end is first."""
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)


def local(moment: datetime, tz: ZoneInfo = COPENHAGEN) -> datetime:
    """The Copenhagen wall-clock reading of an aware instant (for words and for the day it falls on)."""
    return moment.astimezone(tz)
