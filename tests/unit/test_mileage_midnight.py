"""A trip across midnight (rules/midnight.py): the paid km split by the driving time, each share at its
own day's rate and in its own year's 20,000 km (issue 12, item 5)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from backend.features.mileage.rules import (
    Authorisation,
    RateApplied,
    Trip,
    Vehicle,
    calculate_trips,
    load_default_rates,
)
from backend.features.mileage.rules.midnight import split_at_midnight

D = Decimal
RATES = load_default_rates()
NEW_YEARS_EVE = date(2025, 12, 31)


def night_trip(km: str = "60", start: time | None = time(23, 0), end: time | None = time(2, 0)) -> Trip:
    return Trip(
        "n",
        NEW_YEARS_EVE,
        D(km),
        Vehicle.CAR,
        "Nattevagt",
        "Rådhuset",
        "Plejecenter Egebo",
        start_time=start,
        end_time=end,
    )


def test_the_km_are_split_by_the_driving_minutes_before_and_after_midnight() -> None:
    split = split_at_midnight(NEW_YEARS_EVE, D(60), time(23, 0), time(2, 0))
    assert split is not None
    assert split.shares == ((NEW_YEARS_EVE, D("20.0")), (date(2026, 1, 1), D("40.0")))
    assert (split.minutes_before, split.minutes_after) == (60, 120)


def test_a_trip_that_does_not_cross_midnight_is_not_split() -> None:
    assert split_at_midnight(NEW_YEARS_EVE, D(60), time(8, 0), time(9, 30)) is None
    assert split_at_midnight(NEW_YEARS_EVE, D(60), time(23, 0), time(0, 0)) is None  # arrives at midnight
    assert split_at_midnight(NEW_YEARS_EVE, D(60), None, time(2, 0)) is None  # times not given


def test_each_share_is_paid_at_its_own_years_rate() -> None:
    """31 Dec 2025 23:00 → 1 Jan 2026 02:00, 60 km, low rate: 20 km × 2.23 + 40 km × 2.28 = 135.80."""
    [result] = calculate_trips([night_trip()], employee="1", rates=RATES)
    assert [(p.km, p.rate.kr_per_km) for p in result.parts] == [
        (D("20.0"), D("2.23")),
        (D("40.0"), D("2.28")),
    ]
    assert result.amount == D("135.80") and result.rate_applied is RateApplied.LOW
    assert result.explanation[0].code == "midnight_split" and "ind i 2026" in result.explanation[0].da


def test_each_share_counts_in_its_own_years_20000_km() -> None:
    """Authorised, 19,990 km driven in 2025: 10 km high + 10 km low in 2025, then 40 km high in 2026."""
    always = Authorisation("1", valid_from=date(2025, 1, 1))
    [result] = calculate_trips(
        [night_trip()], employee="1", rates=RATES, authorisations=[always], tier_km_before={2025: D(19990)}
    )
    assert [(p.km, p.rate.kr_per_km) for p in result.parts] == [
        (D(10), D("3.81")),
        (D("10.0"), D("2.23")),
        (D("40.0"), D("3.94")),
    ]
    assert result.amount == D("218.00")  # 38.10 + 22.30 + 157.60
