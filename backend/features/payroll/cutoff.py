"""Which payroll month an approval lands in (shared by every workflow that pays through payroll).

Source: domain-rules.md §1 (Payroll) — leader approval before the municipality's cut-off day (e.g. the
18th) is paid with that month's salary; cut-offs differ per municipality and pay form
(norddjurs.dk indberetningsfrister), so the day is a parameter. "Before the 18th" is read strictly:
approved on the 17th → this month; on the 18th or later → next month.

Once a month's salary run has been exported its file is gone to payroll: an approval after that is paid
with the next run not yet exported (`paid_in`), never refused. No rule closes a month for mileage or
receipts (domain-rules.md names deadlines only for substitutes' hours).
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from datetime import date
from typing import NamedTuple

DEFAULT_CUTOFF_DAY = 18


class Month(NamedTuple):
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, period: str) -> Month:
        """From "YYYY-MM"."""
        year, month = period.split("-")
        return cls(int(year), int(month))

    def following(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def payroll_month(approved_on: date, cutoff_day: int = DEFAULT_CUTOFF_DAY) -> Month:
    """The salary month that pays a trip approved on `approved_on`."""
    if not 1 <= cutoff_day <= 31:
        raise ValueError(f"cutoff_day must be 1–31, not {cutoff_day}")
    month = Month.of(approved_on)
    return month if approved_on.day < cutoff_day else month.following()


def cutoff_date(month: Month, cutoff_day: int = DEFAULT_CUTOFF_DAY) -> date:
    """The day `month`'s cut-off falls on: approvals from this day on are paid the month after.

    A cut-off day the month does not have (31 in a 30-day month) falls on its last day.
    """
    last = calendar.monthrange(month.year, month.month)[1]
    return date(month.year, month.month, min(cutoff_day, last))


def next_cutoff(today: date, cutoff_day: int = DEFAULT_CUTOFF_DAY) -> date:
    """The next cut-off from `today` on: approve before it to be paid with that month's salary."""
    return cutoff_date(payroll_month(today, cutoff_day), cutoff_day)


def first_open_month(month: Month, exported: Collection[str]) -> Month:
    """The first payroll month from `month` on whose salary run has not been exported yet.

    An approval after a month's export is paid with the next salary run, never refused: the
    month's file has gone to payroll, and nothing is added to it afterwards.
    """
    while str(month) in exported:
        month = month.following()
    return month


def paid_in(approved_on: date, cutoff_day: int, exported: Collection[str]) -> Month:
    """The salary run that pays an item approved on `approved_on`: its cut-off month, or the first
    run after it not yet exported."""
    return first_open_month(payroll_month(approved_on, cutoff_day), exported)


def next_run(today: date, cutoff_day: int, pending: Iterable[str], exported: Collection[str]) -> Month:
    """The salary run payroll should export next: the earliest month with lines waiting, or the month
    approvals go to today, whichever comes first — skipping months already exported."""
    months = [Month.parse(p) for p in pending] + [payroll_month(today, cutoff_day)]
    return first_open_month(min(months), exported)


def latest_exportable(today: date, cutoff_day: int, exported: Collection[str]) -> Month:
    """The latest payroll month that can be exported on `today`: the month approvals go to now (or, once
    that run is exported, the next open one). A later month has nothing approved for it yet, and a typo
    in the year must not file the waiting lines under it."""
    return paid_in(today, cutoff_day, exported)
