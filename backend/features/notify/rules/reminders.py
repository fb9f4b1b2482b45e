"""When reminders before the payroll cut-off go out.

Source: issue 16 and domain-rules.md §1 (Payroll): what a leader approves before the municipality's
cut-off day is paid with that month's salary. So two working days before the cut-off (lønstop), leaders
with items waiting and employees with trips or receipts not yet sent are reminded. A municipality may
set its own days of the month instead (e.g. employees on the 28th, leaders on the 5th); a day that is
not a working day moves back to the working day before. Working days: Monday–Friday except Danish
public holidays (backend/features/worktime/holidays_dk.py).

Nothing here approves anything: a reminder only tells people; pay never follows from time passing.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from backend.features.worktime.holidays_dk import is_working_day

WORKING_DAYS_BEFORE = 2


def working_days_before(day: date, n: int) -> date:
    """The working day `n` working days before `day` (n ≥ 1)."""
    while n > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def on_or_before_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def reminder_day(cutoff: date, own_day: int | None = None) -> date:
    """The day of the reminder for the cut-off on `cutoff`: the municipality's own day of that month
    (1–31; the month's last day when it is shorter), moved back to a working day, or else two working
    days before the cut-off."""
    if own_day is None:
        return working_days_before(cutoff, WORKING_DAYS_BEFORE)
    if not 1 <= own_day <= 31:
        raise ValueError(f"a reminder day is 1–31, not {own_day}")
    last = calendar.monthrange(cutoff.year, cutoff.month)[1]
    return on_or_before_working_day(cutoff.replace(day=min(own_day, last)))


def is_reminder_day(today: date, cutoffs: list[date], own_day: int | None = None) -> bool:
    """True when `today` is the reminder day of one of `cutoffs` (this month's and next month's)."""
    return any(reminder_day(c, own_day) == today for c in cutoffs)
