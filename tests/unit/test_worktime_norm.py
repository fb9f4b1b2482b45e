"""The norm over a normperiode (weekdays − weekday holidays × 7.4 h, pro rata), absences and the flex band."""

from __future__ import annotations

from datetime import date

import pytest

from backend.features.shifts.checks import band_finding
from backend.features.worktime.norm import (
    Absence,
    Balance,
    NormProfile,
    absence_credit,
    norm_days,
    norm_minutes,
    over_band_with,
    periods,
)


def test_norm_worked_example_christmas_period_full_and_part_time() -> None:
    first, last = date(2025, 12, 8), date(2026, 1, 4)
    assert norm_days(first, last) == 16  # 20 weekdays − 24/12, 25/12, 26/12, 1/1
    assert norm_minutes(first, last) == 118.4 * 60
    assert norm_minutes(first, last, weekly_minutes=30 * 60) == 96 * 60


def test_norm_christmas_eve_is_agreement_data_not_code() -> None:
    first, last = date(2025, 12, 8), date(2026, 1, 4)
    assert norm_days(first, last, NormProfile(extra_days_off=())) == 17
    assert norm_days(first, last, NormProfile(extra_days_off=((12, 24), (12, 31)))) == 15


def test_norm_holiday_on_sunday_reduces_nothing_saturday_per_agreement() -> None:
    # Easter Sunday 2026 is 5 April; the week 30/3–5/4 loses Maundy Thursday and Good Friday only.
    assert norm_days(date(2026, 3, 30), date(2026, 4, 5)) == 3
    # 26/12/2026 is a Saturday: it reduces the norm only when the agreement says so.
    assert norm_days(date(2026, 12, 21), date(2026, 12, 27)) == 3  # 24/12 and 25/12 off
    assert norm_days(date(2026, 12, 21), date(2026, 12, 27), NormProfile(saturday_holidays_reduce=True)) == 2


def test_norm_absence_credits_the_daily_norm_on_days_that_owe_norm() -> None:
    first, last = date(2025, 12, 8), date(2026, 1, 4)
    holiday = Absence("ferie", date(2025, 12, 22), date(2025, 12, 28))  # Mon–Sun, 24–26/12 off
    assert absence_credit([holiday], first, last) == 2 * 444
    sick_twice = [
        Absence("sygdom", date(2025, 12, 8), date(2025, 12, 9)),
        Absence("kursus", date(2025, 12, 9), date(2025, 12, 9)),
    ]
    assert absence_credit(sick_twice, first, last, weekly_minutes=30 * 60) == 2 * 360
    outside = Absence("ferie", date(2026, 2, 2), date(2026, 2, 6))
    assert absence_credit([outside], first, last) == 0


def test_norm_balance_against_the_flex_band_of_twenty_hours() -> None:
    inside = Balance(norm=118 * 60, worked=100 * 60, credited=0, planned=37 * 60, band=20 * 60)
    assert inside.balance == -18 * 60
    assert inside.projected == 19 * 60
    assert not inside.outside_band
    over = Balance(norm=118 * 60, worked=100 * 60, credited=0, planned=39 * 60, band=20 * 60)
    assert over.outside_band


def test_norm_periods_roll_from_the_units_anchor_monday() -> None:
    anchor = date(2025, 12, 8)
    assert periods(anchor, 4, date(2026, 1, 4)) == (date(2025, 12, 8), date(2026, 1, 4))
    assert periods(anchor, 4, date(2026, 1, 5)) == (date(2026, 1, 5), date(2026, 2, 1))
    assert periods(anchor, 12, date(2025, 12, 1)) == (date(2025, 9, 15), date(2025, 12, 7))
    with pytest.raises(ValueError):
        periods(anchor, 0, anchor)
    with pytest.raises(ValueError):
        norm_days(date(2026, 1, 2), date(2026, 1, 1))


def test_norm_band_refuses_taking_a_shift_that_ends_the_period_over_the_band():
    # Rudersdal's ±20 h: +19.5 h projected, a 4-hour shift more → +23.5 h, over +20 h.
    assert over_band_with(projected=1170, added=240, band=1200) == 1410
    assert over_band_with(projected=960, added=240, band=1200) is None  # exactly +20 h is within
    assert over_band_with(projected=-3000, added=480, band=0) is None  # below the norm: only the plus side


def test_norm_band_words_carry_the_numbers():
    found = band_finding(1410, 1200, date(2026, 1, 5), date(2026, 3, 29))
    assert found.rule == "norm_band"
    assert found.da == "Normbånd: med vagten +23,5 t over normen i normperioden 5/1–29/3, højst +20 t."
    assert (
        found.en
        == "Norm band: with the shift +23.5 h over the norm in the norm period 5/1–29/3, at most +20 h."
    )
