"""Substitutes' agreement rules from worked examples: minimum paid time per call-in vs per working day,
overlapping entries, the pay basis (hours, top-up, supplements, rate, amount), the profiles' data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from backend.features.substitutes.rules import deadline
from backend.features.substitutes.rules.minimum_time import Worked, top_ups
from backend.features.substitutes.rules.monthly_pay import monthly_pay
from backend.features.substitutes.rules.overlap import Span, first_overlap, overlap_message
from backend.features.substitutes.rules.pay import pay_basis, worked_minutes
from backend.features.substitutes.rules.profiles import for_unit_kind, load_profiles
from backend.features.worktime.holidays_dk import is_working_day
from backend.features.worktime.supplements import load_tables
from backend.features.worktime.wallclock import COPENHAGEN, place

DAY = date(2026, 11, 24)  # a Tuesday


def span(day: date, start: int, end: int) -> tuple[datetime, datetime]:
    """A span from minutes after midnight, as a shift is placed (worktime.wallclock.place)."""
    return place(day, time(start // 60, start % 60), time(end // 60, end % 60))


TEACHER = load_profiles()["teacher_kl"]
REGION = load_profiles()["teacher_region"]


def test_minimum_time_per_call_in_pays_2_hours_for_one_hour():
    # The example: one call-in 10:00–11:00 is paid 2.00 h.
    assert top_ups([Worked("a", DAY, 600, 60)], 120, "call_in") == {"a": 60}


def test_minimum_time_per_call_in_tops_up_each_call_in_on_its_own():
    entries = [Worked("a", DAY, 480, 60), Worked("b", DAY, 780, 90), Worked("c", DAY, 900, 180)]
    assert top_ups(entries, 120, "call_in") == {"a": 60, "b": 30, "c": 0}


def test_minimum_time_per_working_day_tops_up_the_day_on_its_last_entry():
    # Regional text: two call-ins of 1 h and 30 min on one day are 1.5 h; the day is raised to 2 h.
    entries = [
        Worked("a", DAY, 480, 60),
        Worked("b", DAY, 780, 30),
        Worked("c", date(2026, 11, 25), 480, 150),
    ]
    assert top_ups(entries, 120, "day") == {"a": 0, "b": 30, "c": 0}


def test_minimum_time_refuses_unknown_rule():
    with pytest.raises(ValueError):
        top_ups([], 120, "week")


def test_profiles_follow_the_units_kind():
    assert for_unit_kind("school") == TEACHER and TEACHER.minimum_minutes == 120
    assert for_unit_kind("daycare").key == "paedagog_kl"
    assert for_unit_kind("care_home") is None and for_unit_kind(None) is None
    assert REGION.minimum_per == "day"


def test_overlapping_entries_are_found_and_said_in_words():
    a = Span("a", *span(DAY, 480, 720), place="Nordskolen")
    b = Span("b", *span(DAY, 690, 780), place="Nordskolen")
    touching = Span("c", *span(DAY, 720, 780), place="Nordskolen")
    assert first_overlap(b, [a, b]) == a
    assert first_overlap(touching, [a]) is None
    assert overlap_message(a) == (
        "Overlapper med din registrering på Nordskolen 24/11 08:00–12:00.",
        "Overlaps your entry at Nordskolen on 24/11 08:00–12:00.",
    )


def test_a_checked_in_entry_overlaps_what_comes_after_its_start():
    start, _ = span(DAY, 480, 481)
    open_entry = Span("a", start, None, "Nordskolen")
    later = Span("b", *span(DAY, 900, 960), place="Nordskolen")
    assert first_overlap(later, [open_entry]) == open_entry
    assert overlap_message(open_entry)[0] == "Overlapper med din registrering på Nordskolen 24/11 fra 08:00."


def test_pay_basis_of_a_call_in_with_top_up_and_evening_supplement():
    start, end = span(DAY, 16 * 60, 18 * 60)
    calc = pay_basis(
        start=start,
        end=end,
        break_minutes=0,
        top_up_minutes=0,
        profile=TEACHER,
        table=load_tables()["kl_percent"],
        hourly_kr=Decimal("250.00"),
        unit_name="Nordskolen",
    )
    assert (calc["hours"], calc["paid_hours"], calc["base_amount"]) == ("2.00", "2.00", "500.00")
    assert [(s["kind"], s["hours"], s["amount"]) for s in calc["supplements"]] == [
        ("evening", "1.00", "90.00")
    ]
    assert calc["amount"] == "590.00" and calc["problems"] == []


def test_pay_basis_says_a_missing_rate_and_has_no_amount():
    start, end = span(DAY, 10 * 60, 11 * 60)
    calc = pay_basis(
        start=start,
        end=end,
        break_minutes=0,
        top_up_minutes=60,
        profile=TEACHER,
        table=None,
        hourly_kr=None,
        unit_name="Nordskolen",
    )
    assert calc["amount"] is None and calc["paid_hours"] == "2.00"
    assert calc["top_up_rule"]["en"].startswith("Raised to at least 2.00 hours per call-in")
    assert [p["code"] for p in calc["problems"]] == ["rate_missing"]


def test_a_break_as_long_as_the_time_is_refused():
    start, end = span(DAY, 600, 660)
    with pytest.raises(ValueError):
        worked_minutes(start, end, 60)
    assert worked_minutes(start, end, 15) == 45


# The municipality's deadline (rules/deadline.py): the 5th at 16:00 for last month, at most 2 months back.
RULE = deadline.Deadline(day_of_next_month=5, clock=16 * 60, max_months_back=2)


def cph(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


def test_deadline_for_last_month_is_the_5th_at_16():
    assert deadline.due(RULE, date(2026, 11, 24)) == cph(2026, 12, 5, 16, 0)
    assert deadline.due(RULE, date(2026, 12, 31)) == cph(2027, 1, 5, 16, 0)


def test_deadline_is_shown_before_it_passes():
    shown = deadline.status(RULE, date(2026, 11, 24), cph(2026, 12, 5, 15, 59))
    assert shown["late"] is False and shown["da"] == "Frist: 5. december kl. 16:00."


def test_a_late_entry_says_which_payroll_it_goes_to():
    late = deadline.status(RULE, date(2026, 11, 24), cph(2026, 12, 5, 16, 1))
    assert late["late"] is True
    assert late["da"] == "Registreret efter fristen 5. december kl. 16:00: kommer med lønnen for januar 2027."
    assert late["en"].endswith("goes with the payroll for January 2027.")


def test_an_entry_more_than_2_months_back_is_refused_with_the_reason():
    now = cph(2026, 12, 1, 9, 0)
    assert deadline.too_old(RULE, date(2026, 10, 1), now) is None
    da, en = deadline.too_old(RULE, date(2026, 9, 30), now) or ("", "")
    assert da.startswith("For gammel: timer for september 2026 kan ikke registreres længere")
    assert en.startswith("Too old: hours for September 2026")


def test_the_default_deadline_is_data():
    assert deadline.default() == RULE
    with pytest.raises(ValueError):
        deadline.Deadline(31, 960, 2)


# The right to monthly pay (rules/monthly_pay.py): one unbroken month averaging more than 8 h a week
# (teachers: 5.33 h attendance = 320 minutes).
def working_days(first: date, last: date, minutes: int) -> dict[date, int]:
    days, day = {}, first
    while day <= last:
        if is_working_day(day):
            days[day] = minutes
        day += timedelta(days=1)
    return days


def test_monthly_pay_after_one_unbroken_month_above_8_hours_a_week():
    # Every working day 1 September – 15 October 2026, 2 h a day: 10 h a week on average.
    flag = monthly_pay(working_days(date(2026, 9, 1), date(2026, 10, 15), 120), 320)
    assert flag is not None and flag.status == "right"
    assert (flag.run_start, flag.since) == (date(2026, 9, 1), date(2026, 9, 30))


def test_monthly_pay_a_gap_day_restarts_the_month():
    worked = working_days(date(2026, 9, 1), date(2026, 10, 15), 120)
    del worked[date(2026, 9, 16)]  # a Wednesday without employment
    assert monthly_pay(worked, 320) is None  # 17 September – 15 October is less than a month


def test_monthly_pay_weekends_and_holidays_do_not_break_the_month():
    # The fixed timetable's free days: Saturdays, Sundays and Easter 2026 (2–6 April) are not gaps.
    flag = monthly_pay(working_days(date(2026, 3, 23), date(2026, 4, 24), 120), 320)
    assert flag is not None and flag.run_start == date(2026, 3, 23)


def test_monthly_pay_at_or_under_8_hours_a_week_is_her_choice():
    flag = monthly_pay(working_days(date(2026, 9, 1), date(2026, 10, 2), 60), 320)  # 5 h a week
    assert flag is not None and flag.status == "choice"


def test_monthly_pay_needs_a_whole_month():
    assert monthly_pay(working_days(date(2026, 9, 1), date(2026, 9, 28), 480), 320) is None
    assert monthly_pay({}, 320) is None
