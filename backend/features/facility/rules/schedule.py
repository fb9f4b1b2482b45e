"""Recurring facility tasks (faste opgaver): when each occurrence is due, and which unfinished task is
carried into the next year.

Source: issue 15 ("Recurring tasks (e.g. yearly inspection of playground equipment, quarterly filter
change) with a schedule; an unfinished one is carried into the next year with its original due date and
'overført fra 2026'"), from the Hillerød case (seed 004, case 22).

Dates are calendar days (`datetime.date`), never clock times: a schedule "every month from 31 January"
does not drift by a daylight-saving hour, and the job's day is the Danish day it runs for.

The rules:
- An occurrence is `start` + k × the interval (k = 0, 1, 2, …), always counted from `start`, never from
  the previous occurrence, so a month-end start keeps to month ends: 31 Jan → 28 (29) Feb → 31 Mar.
  A month or year that lacks the start's day takes its last day (29 Feb → 28 Feb in a common year,
  back to 29 Feb in the next leap year).
- An occurrence is made as a task `LEAD_DAYS` before it is due, once (the caller keys it by schedule and
  due date), and never for a due date before the schedule existed (`since`): a schedule entered with an
  old start date does not flood the board with past years' tasks.
- A task still open (not done, not rejected) whose due date lies in an earlier year than today is carried
  into the current year: it keeps its original due date and is tagged with the year it came from.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Unit = Literal["days", "weeks", "months", "years"]
UNITS: tuple[Unit, ...] = ("days", "weeks", "months", "years")
LEAD_DAYS = 14
"""An occurrence appears on the board and the technician's list two weeks before it is due."""
MAX_EVERY = 1000
"""The largest interval number accepted (e.g. every 1000 days)."""


@dataclass(frozen=True)
class Every:
    """A schedule's rhythm: every `n` (1…1000) `unit`s from `start` (a date)."""

    n: int
    unit: Unit
    start: date

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; one of {', '.join(UNITS)}")
        if not 1 <= self.n <= MAX_EVERY:
            raise ValueError(f"every {self.n}: must be 1 to {MAX_EVERY}")


def add_months(day: date, months: int) -> date:
    """`day` moved `months` calendar months on; a day the target month lacks becomes its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrence(every: Every, k: int) -> date:
    """The k-th occurrence (k = 0 is `start` itself), counted from the start."""
    step = every.n * k
    if every.unit == "days":
        return every.start + timedelta(days=step)
    if every.unit == "weeks":
        return every.start + timedelta(weeks=step)
    return add_months(every.start, step if every.unit == "months" else 12 * step)


def occurrences(every: Every, until: date) -> Iterator[date]:
    """Every occurrence from the start up to and including `until`, in order."""
    k = 0
    while True:
        try:
            day = occurrence(every, k)
        except (OverflowError, ValueError):  # past year 9999: no more occurrences
            return
        if day > until:
            return
        yield day
        k += 1


def due_to_make(every: Every, today: date, since: date, lead_days: int = LEAD_DAYS) -> list[date]:
    """The due dates of the occurrences to exist as tasks on `today`: due no later than `lead_days`
    ahead, and no earlier than `since` (the day the schedule was made or last changed)."""
    return [d for d in occurrences(every, today + timedelta(days=lead_days)) if d >= since]


def carried_from(due: date | None, is_open: bool, today: date) -> int | None:
    """The year an unfinished task is carried over from ("overført fra 2026"): its due date's year, when
    it is still open and that year is over; None otherwise (no due date, finished, or due this year or
    later). The due date itself is kept as it was."""
    if due is None or not is_open or due.year >= today.year:
        return None
    return due.year
