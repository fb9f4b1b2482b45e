"""Recurring facility tasks' rules (backend/features/facility/rules/schedule.py), without a database:
occurrences counted from the start (month ends, leap years), made once ahead of time, and the carry-over
of unfinished tasks into the next year (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest

from backend.features.facility.rules.schedule import (
    Every,
    add_months,
    carried_from,
    due_to_make,
    occurrence,
    occurrences,
)


def test_an_occurrence_is_counted_from_the_start_so_a_month_end_stays_a_month_end() -> None:
    monthly = Every(1, "months", date(2026, 1, 31))
    assert [occurrence(monthly, k) for k in range(4)] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_a_quarterly_filter_change_from_the_30th_of_november_lands_on_february_the_28th_or_29th() -> None:
    quarterly = Every(3, "months", date(2027, 11, 30))
    assert list(occurrences(quarterly, date(2028, 12, 31))) == [
        date(2027, 11, 30),
        date(2028, 2, 29),  # 2028 is a leap year
        date(2028, 5, 30),
        date(2028, 8, 30),
        date(2028, 11, 30),
    ]


def test_a_yearly_inspection_from_the_29th_of_february_takes_the_28th_in_common_years() -> None:
    yearly = Every(1, "years", date(2024, 2, 29))
    assert [occurrence(yearly, k) for k in range(5)] == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_days_and_weeks_are_calendar_days_across_a_daylight_saving_change() -> None:
    # 29 March 2026: Denmark moves the clocks forward; a date schedule does not notice.
    assert occurrence(Every(1, "weeks", date(2026, 3, 23)), 1) == date(2026, 3, 30)
    assert occurrence(Every(10, "days", date(2026, 12, 25)), 1) == date(2027, 1, 4)


def test_adding_months_crosses_year_ends_both_ways() -> None:
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_an_occurrence_is_made_two_weeks_before_it_is_due_and_never_before_the_schedule_existed() -> None:
    quarterly = Every(3, "months", date(2025, 1, 15))
    # Entered on 1 December 2026 with an old start: only what falls due from then on, two weeks ahead.
    assert due_to_make(quarterly, date(2026, 12, 1), since=date(2026, 12, 1)) == []
    assert due_to_make(quarterly, date(2027, 1, 1), since=date(2026, 12, 1)) == [date(2027, 1, 15)]
    # Asked again later (the daily job): the same due dates, so the caller's key makes each one once.
    assert due_to_make(quarterly, date(2027, 1, 2), since=date(2026, 12, 1)) == [date(2027, 1, 15)]


def test_a_schedule_refuses_an_unknown_unit_or_a_zero_interval() -> None:
    with pytest.raises(ValueError):
        Every(0, "days", date(2026, 1, 1))
    with pytest.raises(ValueError):
        Every(1, "fortnights", date(2026, 1, 1))  # type: ignore[arg-type]


def test_an_unfinished_task_of_last_year_is_carried_over_with_the_year_it_came_from() -> None:
    new_year = date(2027, 1, 1)
    assert carried_from(date(2026, 11, 30), True, new_year) == 2026
    assert carried_from(date(2025, 6, 1), True, new_year) == 2025  # still the year it was due


def test_a_finished_task_or_one_due_this_year_is_not_carried_over() -> None:
    assert carried_from(date(2026, 11, 30), False, date(2027, 1, 1)) is None
    assert carried_from(date(2026, 12, 31), True, date(2026, 12, 31)) is None
    assert carried_from(None, True, date(2027, 1, 1)) is None


def test_occurrences_end_quietly_at_the_end_of_the_calendar() -> None:
    assert list(occurrences(Every(1, "years", date(9999, 6, 1)), date(9999, 12, 31))) == [date(9999, 6, 1)]
