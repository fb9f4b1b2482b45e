"""The 60-day rule: home ↔ one workplace is tax-free on at most 60 working days.

Source: skat.dk 60-dages-reglen-for-skattefri-koerselsgodtgoerelse, examples skat.dk/data.aspx?oid=2234871
(domain-rules.md §1):
- counted per workplace over a rolling 12 months; the 61st working day of home ↔ that workplace
  travel is no longer tax-free;
- only travel that starts or ends at home counts; each working day at the workplace counts once,
  however many trips and by whatever means of transport, even when nothing was paid;
- "Alle arbejdsdage bliver talt med … Weekender, feriedage og sygedage bliver ikke regnet med i de 60
  arbejdsdage, men de afbryder heller ikke 60-dages-perioden";
- the count resets only after at least 60 consecutive working days at other workplaces.

Worked holidays and Saturdays (issue 12, item 6): skat.dk counts *arbejdsdage*, days worked, and names
weekends, vacation and sick days as examples of days that are not worked. The rule turns on whether the
employee worked, not on the calendar: a day the employee actually worked at the workplace counts, also a
Saturday, a Sunday or 25 December; a weekend or holiday not worked is neither counted nor an interruption.

How this module reads it:
- The input is the days the employee travelled from or to home to a workplace (`WorkplaceDay`): the
  logged home trips, plus the days the employee marked as worked there without the car (by bus, bike,
  on foot). Each such day is a day worked, whatever the weekday. A day with no such record is neutral:
  it neither counts nor interrupts, like a sick day, a day off or an unworked holiday. That is the cautious reading: without knowing where the employee worked, it never resets
  a count and so never pays tax-free where skat.dk would not.
- "Consecutive working days elsewhere" = days with a record at another workplace and none at this one;
  neutral days in between do not break the run. On the 60th such day the count resets.
- Rolling 12 months: a day counts for `day` when it lies after the same date one year earlier.
- Once 60 days are used the workplace is the employee's fixed workplace, so a trip on any later day
  (a weekend too) is not tax-free: a trip is tax-free while fewer than 60 days were used before its date.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from backend.features.worktime.holidays_dk import is_working_day as danish_working_day

LIMIT_DAYS = 60
RESET_AFTER_DAYS_ELSEWHERE = 60
WARN_FROM_DAY = 50


@dataclass(frozen=True)
class WorkplaceDay:
    """The employee travelled between home and this workplace on this day."""

    day: date
    workplace_id: str


@dataclass(frozen=True)
class SixtyDayCount:
    """Where a day at a workplace stands in the 60-day count."""

    workplace_id: str
    day: date
    days_before: int
    """Working days at this workplace in the 12 months before `day`, since the last reset."""
    reset_on: date | None = None
    """The latest reset of this workplace's count (the 60th working day in a row elsewhere), if any."""

    @property
    def day_number(self) -> int:
        """Which day this is: 61 is the first one that is not tax-free."""
        return self.days_before + 1

    @property
    def tax_free(self) -> bool:
        return self.days_before < LIMIT_DAYS

    def warns(self, from_day: int = WARN_FROM_DAY) -> bool:
        """Still tax-free but close to the limit: time to tell the employee."""
        return self.tax_free and self.day_number >= from_day


@dataclass
class _Workplace:
    counted: deque[date] = field(default_factory=deque)
    days_elsewhere: int = 0
    reset_on: date | None = None


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return date(day.year - 1, 2, 28)


def count_sixty_days(days: Iterable[WorkplaceDay]) -> dict[tuple[date, str], SixtyDayCount]:
    """The count for every (day, workplace) in `days`, walking the days in date order.

    Every day in `days` is a day worked (a Saturday or a public holiday too: skat.dk counts days worked)."""
    by_day: dict[date, set[str]] = defaultdict(set)
    for record in days:
        by_day[record.day].add(record.workplace_id)

    state: dict[str, _Workplace] = {}
    counts: dict[tuple[date, str], SixtyDayCount] = {}
    for day in sorted(by_day):
        here = by_day[day]
        for workplace_id, place in state.items():
            if workplace_id in here:
                continue
            place.days_elsewhere += 1
            if place.days_elsewhere >= RESET_AFTER_DAYS_ELSEWHERE and place.counted:
                place.counted.clear()
                place.reset_on = day
        window_starts_after = _one_year_before(day)
        for workplace_id in sorted(here):
            place = state.setdefault(workplace_id, _Workplace())
            while place.counted and place.counted[0] <= window_starts_after:
                place.counted.popleft()
            counts[day, workplace_id] = SixtyDayCount(workplace_id, day, len(place.counted), place.reset_on)
            place.counted.append(day)
            place.days_elsewhere = 0
    return counts


def working_days(
    start: date, count: int, is_working_day: Callable[[date], bool] = danish_working_day
) -> list[date]:
    """The first `count` working days from `start` on (useful to lay out a period, e.g. in tests or a preview)."""
    result: list[date] = []
    day = start
    while len(result) < count:
        if is_working_day(day):
            result.append(day)
        day += timedelta(days=1)
    return result
