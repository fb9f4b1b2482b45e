"""Ulempetillæg (worktime/supplements.py) and Copenhagen wall-clock time (worktime/wallclock.py),
from worked examples: across 17:00 and midnight, daylight-saving nights, holidays, rate periods."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from backend.features.worktime.supplements import day_kind, load_tables, split
from backend.features.worktime.wallclock import minutes_between, parse_clock, place

KL = load_tables()["kl_percent"]
DAYCARE = load_tables()["daycare_weekend_kr"]


def minutes(parts):
    return {(p.kind, p.effective_from.year if p.effective_from else None): p.minutes for p in parts}


def hm(text: str) -> int:
    return parse_clock(text)


def span(day: date, start: int, end: int) -> tuple[datetime, datetime]:
    return place(day, time(start // 60, start % 60), time(end // 60, end % 60))


def test_evening_supplement_starts_at_17():
    # Tuesday 1 December 2026, 15:00–18:00: one hour after 17:00.
    parts = split(KL, *span(date(2026, 12, 1), hm("15:00"), hm("18:00")))
    assert minutes(parts) == {("evening", 2026): 60}
    assert parts[0].rate == Decimal("36")


def test_night_supplement_across_midnight_on_a_weekday():
    # Tuesday 22:00 → Wednesday 02:00: 1 h evening, 3 h night.
    parts = split(KL, *span(date(2026, 12, 1), hm("22:00"), hm("02:00")))
    assert minutes(parts) == {("evening", 2026): 60, ("night", 2026): 180}


def test_no_supplement_in_daytime_on_a_weekday():
    assert split(KL, *span(date(2026, 12, 1), hm("08:00"), hm("15:00"))) == []


def test_daylight_saving_spring_night_lasts_seven_hours():
    # Saturday 28 → Sunday 29 March 2026 (clocks go 02:00 → 03:00): 22:00–06:00 is 7 real hours.
    start, end = span(date(2026, 3, 28), hm("22:00"), hm("06:00"))
    assert minutes_between(start, end) == 7 * 60
    parts = split(KL, start, end)
    assert minutes(parts) == {("evening", 2026): 60, ("night", 2026): 60, ("sunday_holiday", 2026): 300}


def test_daylight_saving_autumn_night_lasts_nine_hours():
    # Saturday 24 → Sunday 25 October 2026 (clocks go 03:00 → 02:00): 9 real hours.
    start, end = span(date(2026, 10, 24), hm("22:00"), hm("06:00"))
    assert minutes_between(start, end) == 9 * 60
    assert sum(p.minutes for p in split(KL, start, end)) == 9 * 60


def test_saturday_supplement_from_8_and_the_highest_rate_wins_in_the_evening():
    # Saturday 5 December 2026, 07:00–19:00: 07–08 nothing, 08–17 Saturday, 17–19 evening (36 > 31.71).
    parts = split(KL, *span(date(2026, 12, 5), hm("07:00"), hm("19:00")))
    assert minutes(parts) == {("saturday", 2026): 9 * 60, ("evening", 2026): 120}
    assert next(p for p in parts if p.kind == "saturday").unverified


def test_public_holiday_on_a_weekday_is_paid_as_sunday():
    # Christmas Day 2026 is a Friday.
    assert day_kind(date(2026, 12, 25)) == "holiday"
    parts = split(KL, *span(date(2026, 12, 25), hm("08:00"), hm("16:00")))
    assert minutes(parts) == {("sunday_holiday", 2026): 480}


def test_rates_change_at_the_period_boundary_new_year():
    # New Year's Eve 2025 22:00 → New Year's Day 2026 02:00 (a holiday): each part at its own rates.
    # (Under a table that treats 31/12 as a normal day; kl_percent pays it as a holiday from 12:00.)
    parts = split(
        load_tables()["kl_percent_31dec_normal"], *span(date(2025, 12, 31), hm("22:00"), hm("02:00"))
    )
    assert minutes(parts) == {("evening", 2025): 60, ("night", 2025): 60, ("sunday_holiday", 2026): 120}
    assert next(p for p in parts if p.kind == "evening").rate == Decimal("35.12")


def test_rates_before_2025_are_the_old_table():
    parts = split(KL, *span(date(2024, 6, 4), hm("17:00"), hm("18:00")))
    assert parts[0].rate == Decimal("30") and not parts[0].unverified


def test_supplement_amount_is_percent_of_hourly_wage():
    (part,) = split(KL, *span(date(2026, 12, 1), hm("17:00"), hm("18:30")))
    assert part.amount(Decimal("200.00")) == Decimal("108.00")  # 1.5 h × 200 kr × 36 %
    assert part.amount(None) is None  # no hourly wage: no amount, never 0


def test_break_is_taken_from_ordinary_time_first():
    # 15:00–19:00 with a 90-minute break: 2 ordinary hours absorb it; 2 evening hours stay.
    span_ = span(date(2026, 12, 1), hm("15:00"), hm("19:00"))
    assert minutes(split(KL, *span_, break_minutes=90)) == {("evening", 2026): 120}
    # 16:00–19:00 with 90: one ordinary hour, then 30 minutes off the evening.
    span_ = span(date(2026, 12, 1), hm("16:00"), hm("19:00"))
    assert minutes(split(KL, *span_, break_minutes=90)) == {("evening", 2026): 90}


def test_missing_rate_is_reported_never_zero():
    # Daycare weekend supplement: kroner rate not found for today → None, marked unverified.
    (part,) = split(DAYCARE, *span(date(2026, 12, 5), hm("10:00"), hm("12:00")))
    assert (part.kind, part.minutes, part.rate, part.unverified) == ("weekend", 120, None, True)
    assert part.amount(Decimal("200")) is None


def test_daycare_weekend_runs_saturday_06_to_monday_06():
    parts = split(DAYCARE, *span(date(2026, 12, 6), hm("20:00"), hm("08:00")))  # Sunday → Monday
    assert minutes(parts) == {("weekend", 2000): 10 * 60}


def test_span_must_be_aware_and_forward():
    with pytest.raises(ValueError):
        split(KL, datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 9))
    start, end = span(date(2026, 12, 1), hm("08:00"), hm("09:00"))
    with pytest.raises(ValueError):
        split(KL, end, start)


@pytest.mark.parametrize("text", ["7:5", "25:00", "12:60", "ab:cd", "1200", ""])
def test_clock_times_are_hh_mm(text):
    with pytest.raises(ValueError):
        parse_clock(text)


def test_bad_table_data_is_refused():
    with pytest.raises(ValueError):
        load_tables(
            {
                "tables": {
                    "x": {
                        "name_da": "",
                        "name_en": "",
                        "source": "",
                        "unit": "percent",
                        "combine": "highest",
                        "kinds": {
                            "a": {
                                "da": "",
                                "en": "",
                                "windows": [{"days": ["mon"], "from": "18:00", "to": "17:00"}],
                            }
                        },
                        "periods": [],
                    }
                }
            }
        )
