"""Which payroll month an approval lands in (shared by every workflow that pays through payroll).

Source: domain-rules.md §1 (Payroll) — leader approval before the municipality's cut-off day (e.g. the
18th) is paid with that month's salary; cut-offs differ per municipality and pay form
(norddjurs.dk indberetningsfrister), so the day is a parameter. "Before the 18th" is read strictly:
approved on the 17th → this month; on the 18th or later → next month.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

DEFAULT_CUTOFF_DAY = 18


class Month(NamedTuple):
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

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
