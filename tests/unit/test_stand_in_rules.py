"""The stand-in period's rules (backend/features/inbox/stand_in_rules.py), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from backend.features.inbox.stand_in_rules import (
    MAX_DAYS,
    Period,
    PeriodRefused,
    check_change,
    check_new,
    check_withdraw,
)

TODAY = date(2026, 7, 1)


def test_a_period_includes_both_its_first_and_last_day() -> None:
    period = Period(date(2026, 7, 1), date(2026, 7, 21))
    assert period.covers(date(2026, 7, 1)) and period.covers(date(2026, 7, 21))
    assert not period.covers(date(2026, 7, 22)) and not period.covers(date(2026, 6, 30))


def test_a_period_cannot_end_before_it_starts_start_in_the_past_or_last_over_a_year() -> None:
    check_new(Period(TODAY, TODAY), TODAY)
    for wrong in (
        Period(date(2026, 7, 5), date(2026, 7, 4)),
        Period(date(2026, 6, 30), date(2026, 7, 4)),
        Period(TODAY, date.fromordinal(TODAY.toordinal() + MAX_DAYS)),
    ):
        with pytest.raises(PeriodRefused):
            check_new(wrong, TODAY)


def test_once_started_only_the_end_date_can_change_and_not_to_before_today() -> None:
    started = Period(date(2026, 6, 20), date(2026, 7, 10))
    check_change(started, Period(started.starts, date(2026, 7, 3)), TODAY)
    check_change(started, Period(started.starts, TODAY), TODAY)  # ended today
    with pytest.raises(PeriodRefused, match="kun slutdatoen"):
        check_change(started, Period(date(2026, 6, 21), started.ends), TODAY)
    with pytest.raises(PeriodRefused):
        check_change(started, Period(started.starts, date(2026, 6, 30)), TODAY)


def test_a_period_not_yet_started_may_change_freely_or_be_withdrawn() -> None:
    later = Period(date(2026, 8, 1), date(2026, 8, 14))
    check_change(later, Period(date(2026, 8, 3), date(2026, 8, 20)), TODAY)
    check_withdraw(later, TODAY)
    with pytest.raises(PeriodRefused):
        check_withdraw(Period(TODAY, date(2026, 7, 5)), TODAY)
