"""Corrections after an export (payroll/corrections.py): a record changed after its lines were sent
pays only the difference in the next run, never twice; a removed one has what was sent reversed."""

from __future__ import annotations

from decimal import Decimal

from backend.features.payroll.corrections import Correction, difference
from backend.features.workflow import PayLine

D = Decimal


def test_an_hour_more_after_export_pays_only_that_hour():
    sent = [PayLine("shift_hours", D("7.50"), D(0), D(0)), PayLine("shift_evening", D("2.00"), D(0), D(0))]
    owed = [PayLine("shift_hours", D("8.50"), D(0), D(0)), PayLine("shift_evening", D("2.00"), D(0), D(0))]
    assert difference(owed, sent) == [Correction("shift_hours", D("1.00"), D(0), D("0"), None)]


def test_an_unchanged_record_owes_nothing_more():
    lines = [PayLine("shift_hours", D("7.50"), D(0), D(0))]
    assert difference(lines, lines) == []


def test_a_removed_record_reverses_everything_sent_over_all_rounds():
    sent = [
        PayLine("shift_hours", D("7.50"), D(0), D(0)),
        PayLine("shift_hours", D("1.00"), D(0), D(0)),  # an earlier correction, also exported
        PayLine("shift_weekend", D("2.00"), D("40.81"), D("81.62")),
    ]
    assert difference([], sent) == [
        Correction("shift_hours", D("-8.50"), D(0), D(0), None),
        Correction("shift_weekend", D("-2.00"), D("40.81"), D("-81.62"), None),
    ]


def test_a_supplement_that_is_no_longer_earned_is_taken_back_and_a_new_one_paid():
    sent = [PayLine("shift_evening", D("2.00"), D(0), D(0))]
    owed = [PayLine("shift_sunday_holiday", D("2.00"), D(0), D(0))]
    assert difference(owed, sent) == [
        Correction("shift_evening", D("-2.00"), D(0), D(0), None),
        Correction("shift_sunday_holiday", D("2.00"), D(0), D(0), None),
    ]


def test_a_changed_kroner_rate_pays_the_amount_difference_at_the_new_rate():
    sent = [PayLine("shift_weekend", D("2.00"), D("40.00"), D("80.00"))]
    owed = [PayLine("shift_weekend", D("2.00"), D("42.00"), D("84.00"))]
    assert difference(owed, sent) == [Correction("shift_weekend", D(0), D("42.00"), D("4.00"), None)]


def test_the_flag_travels_with_the_correction():
    sent = [PayLine("sub_hours", D("3"), D("200"), D("600"), "monthly_pay_right:2026-11-03")]
    assert difference([], sent)[0].flag == "monthly_pay_right:2026-11-03"
