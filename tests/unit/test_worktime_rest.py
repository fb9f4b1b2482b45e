"""The 11-hour rule per rolling 24 hours and the weekly day off, from worked examples (BEK 324/2002, at.dk)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from backend.features.worktime.rest import (
    RestProfile,
    Work,
    breaches,
    daily_rest_breaches,
    weekly_rest_breaches,
)
from backend.features.worktime.wallclock import minutes_between, place

MONDAY = date(2025, 12, 8)


def shift(day: date, start: str, end: str, ref: str = "") -> Work:
    begin, finish = place(day, time.fromisoformat(start), time.fromisoformat(end))
    return Work(begin, finish, ref or f"{day} {start}")


def test_eleven_hour_rule_evening_then_morning_is_eight_hours_rest() -> None:
    work = [shift(MONDAY, "15:00", "23:00"), shift(MONDAY + timedelta(days=1), "07:00", "15:00")]
    (breach,) = daily_rest_breaches(work)
    assert breach.rest_minutes == 8 * 60
    assert breach.words("da") == (
        "11-timers-reglen: kun 8 t hvile fra man. 23:00 til tir. 07:00; arbejdsperioden "
        "man. 15:00–tir. 15:00 er 24 t (mindst 11 t hvile i hvert døgn, højst 13 t i træk)"
    )
    assert breach.words("en").startswith("The 11-hour rule: only 8 h rest from Mon 23:00 to Tue 07:00")


def test_eleven_hour_rule_is_rolling_not_per_calendar_day_split_duty() -> None:
    # 07–11 and 17–21 on one day: each calendar day has 10+ hours off, yet from 07:00 to 21:00 is 14 h
    # with no 11-hour rest inside: the 24 hours counted back from 21:00 hold only 10 h of rest.
    work = [shift(MONDAY, "07:00", "11:00"), shift(MONDAY, "17:00", "21:00")]
    (breach,) = daily_rest_breaches(work)
    assert breach.span_minutes == 14 * 60
    assert breach.rest_minutes == 6 * 60
    assert "kun 6 t hvile fra man. 11:00 til man. 17:00" in breach.words()
    # The same split duty within 13 hours is lawful.
    assert daily_rest_breaches([shift(MONDAY, "07:00", "11:00"), shift(MONDAY, "16:00", "20:00")]) == []


def test_eleven_hour_rule_night_shift_across_midnight_counts_on_both_days() -> None:
    # Night 23–07, then a day shift 15:00 the same day: 8 hours rest, although the night "started" Monday.
    work = [shift(MONDAY, "23:00", "07:00"), shift(MONDAY + timedelta(days=1), "15:00", "23:00")]
    (breach,) = daily_rest_breaches(work)
    assert breach.rest_minutes == 8 * 60
    # Nights in a row with 16 hours between them are fine.
    nights = [shift(MONDAY + timedelta(days=d), "23:00", "07:00") for d in range(3)]
    assert daily_rest_breaches(nights) == []


def test_eleven_hour_rule_exactly_eleven_hours_is_enough() -> None:
    work = [shift(MONDAY, "12:00", "20:00"), shift(MONDAY + timedelta(days=1), "07:00", "15:00")]
    assert daily_rest_breaches(work) == []


def test_eleven_hour_rule_one_shift_over_thirteen_hours() -> None:
    (breach,) = daily_rest_breaches([shift(MONDAY, "07:00", "21:00")])
    assert breach.rest_start is None
    assert "ingen hvile" in breach.words()


def test_reduced_rest_by_agreement_once_a_week_then_refused() -> None:
    profile = RestProfile(reduced_rest=8 * 60, reduced_per_week=1)
    once = [shift(MONDAY, "15:00", "23:00"), shift(MONDAY + timedelta(days=1), "07:00", "15:00")]
    assert daily_rest_breaches(once, profile) == []
    twice = [
        *once,
        shift(MONDAY + timedelta(days=2), "15:00", "23:00"),
        shift(MONDAY + timedelta(days=3), "07:00", "12:00"),
    ]
    (breach,) = daily_rest_breaches(twice, profile)
    assert breach.span_start == twice[2].start
    # Less than the reduced rest is never allowed.
    short = [shift(MONDAY, "16:00", "23:30"), shift(MONDAY + timedelta(days=1), "07:00", "12:00")]
    assert len(daily_rest_breaches(short, profile)) == 1


def test_weekly_day_off_seven_days_in_a_row_is_refused() -> None:
    week = [shift(MONDAY + timedelta(days=d), "07:00", "15:00") for d in range(7)]
    (breach,) = weekly_rest_breaches(week)
    assert breach.rule == "weekly_rest"
    assert breach.words().startswith("Ugentligt fridøgn: ingen 35 t fri i træk")
    six = [*week[:6], shift(MONDAY + timedelta(days=7), "07:00", "15:00")]
    # Saturday 15:00 to Monday 07:00 = 40 hours off: lawful.
    assert weekly_rest_breaches(six) == []


def test_weekly_day_off_over_twelve_days_by_local_agreement() -> None:
    profile = RestProfile(weekly_window_days=12, weekly_rest=2 * 35 * 60)
    nine = [shift(MONDAY + timedelta(days=d), "07:00", "15:00") for d in range(9)]
    assert weekly_rest_breaches(nine, profile) == []
    assert len(weekly_rest_breaches(nine)) == 1


def test_daylight_saving_night_lasts_seven_or_nine_hours() -> None:
    spring = shift(date(2026, 3, 28), "22:00", "06:00")
    autumn = shift(date(2026, 10, 24), "22:00", "06:00")
    assert minutes_between(spring.start, spring.end) == 7 * 60
    assert minutes_between(autumn.start, autumn.end) == 9 * 60
    # Rest after the autumn night: 06:00 → 16:00 is 10 real hours: a breach the wall clock would hide
    # in spring and show in autumn alike.
    after = shift(date(2026, 10, 25), "16:00", "22:00")
    (breach,) = daily_rest_breaches([autumn, after])
    assert breach.rest_minutes == 10 * 60


def test_recurring_shift_keeps_its_wall_clock_across_daylight_saving() -> None:
    before = shift(date(2026, 3, 23), "07:00", "15:00")
    after = shift(date(2026, 3, 30), "07:00", "15:00")
    assert minutes_between(before.start, after.start) == 7 * 24 * 60 - 60
    assert after.start.astimezone(after.start.tzinfo).hour == 5  # 07:00 CEST is 05:00 UTC


def test_rest_rules_refuse_naive_times_and_backwards_work() -> None:
    start, end = place(MONDAY, time(7), time(15))
    with pytest.raises(ValueError):
        breaches([Work(start.replace(tzinfo=None), end.replace(tzinfo=None))])
    with pytest.raises(ValueError):
        breaches([Work(end, start)])


def test_rest_breach_touches_only_its_own_period() -> None:
    work = [shift(MONDAY, "15:00", "23:00"), shift(MONDAY + timedelta(days=1), "07:00", "15:00")]
    (breach,) = breaches(work)
    later = shift(MONDAY + timedelta(days=4), "07:00", "15:00")
    assert breach.touches(work[1].start, work[1].end)
    assert not breach.touches(later.start, later.end)
