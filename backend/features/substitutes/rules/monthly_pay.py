"""The right to monthly pay (ret til månedsløn) for hourly-paid substitutes.

Source: domain-rules.md §3b (tr.dlf.org, timelønnede; BUPL–KL; the FOA Aarhus case): employment of at
least one unbroken month averaging more than 8 hours a week gives the right to monthly pay (teachers:
8 h ≈ 5.33 h attendance); under 8 h the person chooses; a gap day without employment restarts the
month, a free day in a fixed timetable does not. Pædagoger are hourly paid only for employment under
one month (a threshold of 0: any unbroken month gives the right).

What Felt knows is the days she registered hours. So a working day (Monday–Friday, not a public holiday)
without an entry counts as a gap that restarts the month; weekends and public holidays are the fixed
timetable's free days and do not break it. School holidays and bookings without hours are not known
here (not verified: a booking calendar would decide them better).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from backend.features.worktime.holidays_dk import is_working_day


def _one_month_after(start: date) -> date:
    """The same day of the next month (the last day when it has none): [start, this) is one month."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class MonthlyPay:
    """`status` "right" (average above the threshold) or "choice" (one unbroken month, average at or
    under it: the person chooses); `since` the day it became true; `run_start` the unbroken run's first
    day; `weekly_minutes` the run's average per week (minutes)."""

    status: str
    since: date
    run_start: date
    weekly_minutes: int


def monthly_pay(worked: Mapping[date, int], threshold_weekly_minutes: int) -> MonthlyPay | None:
    """From worked minutes per day, the first day the right to monthly pay (or the choice) holds, in the
    latest unbroken run of employment that reaches one month; None when no run does.

    Raises ValueError for a negative threshold."""
    if threshold_weekly_minutes < 0:
        raise ValueError("the threshold cannot be negative")
    days = sorted(d for d, m in worked.items() if m > 0)
    if not days:
        return None
    found: MonthlyPay | None = None
    run_start = days[0]
    day = days[0]
    while day <= days[-1]:
        if day not in worked or worked[day] <= 0:
            if is_working_day(day):
                # A working day without employment: the month starts again at the next day worked.
                run_start = next((d for d in days if d > day), day)
                day = run_start
                continue
        elif day >= _one_month_after(run_start) - timedelta(days=1):
            span = (day - run_start).days + 1
            total = sum(m for d, m in worked.items() if run_start <= d <= day)
            weekly = round(total * 7 / span)
            status = "right" if weekly > threshold_weekly_minutes else "choice"
            if (
                found is None
                or found.run_start != run_start
                or (found.status == "choice" and status == "right")
            ):
                found = MonthlyPay(status, day, run_start, weekly)
        day += timedelta(days=1)
    return found
