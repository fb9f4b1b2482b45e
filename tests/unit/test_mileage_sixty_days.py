"""The 60-day rule on working days (with Danish public holidays), from skat.dk's worked example and its boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest

from backend.features.mileage.rules import (
    Trip,
    TripResult,
    Vehicle,
    WorkplaceDay,
    calculate_trips,
    count_sixty_days,
    easter_sunday,
    is_working_day,
    load_default_rates,
    public_holidays,
)
from backend.features.mileage.rules.sixty_days import working_days

RATES = load_default_rates()
MONDAY = date(2025, 1, 6)


def home_trip(day: date, workplace: str, n: int = 0, vehicle: Vehicle = Vehicle.CAR, km: str = "20") -> Trip:
    return Trip(
        f"{day}-{workplace}-{n}",
        day,
        Decimal(km),
        vehicle,
        purpose="Projekt",
        from_place="Hjem",
        to_place=workplace,
        starts_at_home=True,
        workplace_id=workplace,
    )


def run(trips: list[Trip], **options: Any) -> list[TripResult]:
    defaults: dict[str, Any] = {"home_to_work_km": Decimal(0), "workplace_names": {"A": "Skole A"}}
    return calculate_trips(trips, employee="1001", rates=RATES, **{**defaults, **options})


def blocks(*plan: tuple[str, int], start: date = MONDAY) -> list[Trip]:
    """Home trips on consecutive working days: ("A", 60) = 60 working days at workplace A, and so on."""
    days = iter(working_days(start, sum(count for _, count in plan)))
    return [home_trip(next(days), workplace) for workplace, count in plan for _ in range(count)]


# ---- skat.dk's worked example --------------------------------------------------------------------


def test_skat_dk_worked_example_a60_b10_a10_b55_c6_a40() -> None:
    """A 60 → 60 paid; B 10 → 10; A 10 → 0; B 55 → 50; C 6 → 6; A 40 → 40 (55 at B + 6 at C reset A)."""
    plan = [("A", 60), ("B", 10), ("A", 10), ("B", 55), ("C", 6), ("A", 40)]
    results = iter(run(blocks(*plan)))
    paid = [sum(1 for _ in range(count) if next(results).amount > 0) for _, count in plan]
    assert paid == [60, 10, 0, 50, 6, 40]


def test_skat_dk_worked_example_explains_the_reset_on_the_first_trip_after_it() -> None:
    trips = blocks(("A", 60), ("B", 10), ("A", 10), ("B", 55), ("C", 6), ("A", 40))
    first_after_reset = run(trips)[141]
    sixty = next(line for line in first_after_reset.explanation if line.code == "sixty_days")
    assert "dag 1 af 60" in sixty.da and "startede forfra" in sixty.da


# ---- the boundary --------------------------------------------------------------------------------


def test_day_60_is_paid_and_day_61_is_not() -> None:
    results = run(blocks(("A", 61)))
    assert results[59].amount == Decimal("44.60") and "dag 60 af 60" in results[59].explanation[1].da
    assert results[60].amount == 0 and results[60].payable_km == 0
    assert [flag.code for flag in results[60].flags] == ["sixty_days_reached"] and results[
        60
    ].needs_leader_note


def test_the_warning_starts_on_day_50_and_names_the_workplace() -> None:
    results = run(blocks(("A", 50)))
    assert results[48].flags == ()
    [warning] = results[49].flags
    assert warning.code == "sixty_days_warning" and not results[49].needs_leader_note
    assert warning.da.startswith("Du har kørt til Skole A på 50 dage")


def test_several_trips_in_one_day_count_as_one_day() -> None:
    day_one, day_two = working_days(MONDAY, 2)
    results = run([home_trip(day_one, "A", 1), home_trip(day_one, "A", 2), home_trip(day_two, "A")])
    assert [r.sixty_days.day_number for r in results if r.sixty_days] == [1, 1, 2]


def test_days_count_by_any_vehicle_even_when_nothing_was_paid() -> None:
    days = working_days(MONDAY, 61)
    bike_days = [home_trip(day, "A", vehicle=Vehicle.BICYCLE, km="3") for day in days[:59]]
    results = run(
        [*bike_days, home_trip(days[59], "A"), home_trip(days[60], "A")], home_to_work_km=Decimal(5)
    )
    assert all(r.amount == 0 for r in results[:59])  # 3 km − 5 km home deduction: nothing paid, still counted
    assert results[59].amount > 0 and results[60].amount == 0


def test_only_trips_from_or_to_home_count() -> None:
    days = working_days(MONDAY, 61)
    between_workplaces = [
        Trip(f"w{n}", day, Decimal(20), Vehicle.CAR, "Møde", "Rådhuset", "A", workplace_id="A")
        for n, day in enumerate(days)
    ]
    assert all(r.amount > 0 and r.sixty_days is None for r in run(between_workplaces))


def test_days_actually_worked_count_a_worked_saturday_and_holiday_too() -> None:
    """skat.dk (60-dages-reglen): "Alle arbejdsdage bliver talt med"; weekends, vacation and sick days are
    examples of days not worked. A Saturday or Good Friday worked at A is a day worked there: it counts."""
    before_easter = working_days(date(2025, 1, 20), 55)  # up to Friday 4 April 2025
    saturday = date(2025, 4, 12)
    good_friday = easter_sunday(2025) - timedelta(days=2)
    results = run([home_trip(day, "A") for day in [*before_easter, saturday, good_friday]])
    assert [r.sixty_days.day_number for r in results[-2:] if r.sixty_days] == [56, 57]


def test_a_worked_25_december_is_day_61_and_not_tax_free() -> None:
    """The issue's case: a worked 25 December after 60 days at the workplace is day 61."""
    sixty = working_days(date(2025, 9, 15), 60)
    assert sixty[-1] < date(2025, 12, 25)
    results = run([home_trip(day, "A") for day in sixty] + [home_trip(date(2025, 12, 25), "A")])
    assert results[-1].sixty_days is not None and results[-1].sixty_days.day_number == 61
    assert results[-1].amount == 0


def test_unworked_weekends_and_holidays_neither_count_nor_interrupt_the_run_elsewhere() -> None:
    """A weekend with no work (no record) is neutral: 60 working days in a row at B still reset A."""
    trips = blocks(("A", 60), ("B", 60), ("A", 1))
    assert any(b.day - a.day > timedelta(days=1) for a, b in pairwise(trips))
    assert run(trips)[-1].amount > 0


def test_a_saturday_worked_at_a_interrupts_the_run_elsewhere() -> None:
    """A day worked at A is not a day elsewhere: B's run of 60 days in a row starts again after it."""
    trips = blocks(("A", 60), ("B", 59))
    saturday_at_a = trips[-1].day + timedelta(days=(5 - trips[-1].day.weekday()) % 7 or 7)
    trips.append(home_trip(saturday_at_a, "A", 1))
    last_b, back_at_a = working_days(saturday_at_a, 2)
    trips += [home_trip(last_b, "B"), home_trip(back_at_a, "A")]
    results = run(trips)
    assert results[-3].amount == 0  # the Saturday at A: the 60 days are used
    assert results[-1].amount == 0  # and it broke the run at B: A is not reset


def test_a_weekend_trip_after_day_60_is_not_tax_free() -> None:
    sixty = working_days(MONDAY, 60)
    saturday = sixty[-1] + timedelta(days=(5 - sixty[-1].weekday()) % 7 or 7)
    results = run([home_trip(day, "A") for day in sixty] + [home_trip(saturday, "A")])
    assert results[-1].amount == 0


def test_59_working_days_elsewhere_do_not_reset_but_60_do() -> None:
    for elsewhere, paid_after in ((59, 0), (60, 1)):
        results = run(blocks(("A", 60), ("B", elsewhere), ("A", 1)))
        assert sum(1 for r in results[-1:] if r.amount > 0) == paid_after


def test_a_day_at_both_workplaces_interrupts_the_run_elsewhere() -> None:
    days = working_days(MONDAY, 121)
    trips = [home_trip(day, "A") for day in days[:60]] + [home_trip(day, "B") for day in days[60:]]
    trips.append(home_trip(days[90], "A", 1))  # one visit to A in the middle of B's 61 days
    trips.append(home_trip(days[120] + timedelta(days=3), "A", 2))
    assert run(trips)[-1].amount == 0


def test_days_without_a_record_neither_count_nor_reset() -> None:
    first = working_days(MONDAY, 60)
    months_later = working_days(first[-1] + timedelta(days=120), 1)
    assert run([home_trip(day, "A") for day in [*first, *months_later]])[-1].amount == 0


def test_days_at_the_usual_workplace_passed_by_the_server_reset_the_count() -> None:
    first = working_days(MONDAY, 60)
    at_town_hall = working_days(first[-1] + timedelta(days=1), 60)
    back = home_trip(at_town_hall[-1] + timedelta(days=7), "A")
    results = run(
        [*[home_trip(day, "A") for day in first], back],
        other_workplace_days=[WorkplaceDay(day, "town_hall") for day in at_town_hall],
    )
    assert results[-1].amount > 0


def test_a_day_drops_out_of_the_count_twelve_months_later() -> None:
    first = working_days(date(2024, 1, 2), 60)  # from Tuesday 2 January 2024
    counts = count_sixty_days(
        [WorkplaceDay(day, "A") for day in first] + [WorkplaceDay(date(2025, 1, 3), "A")]
    )
    # 2 and 3 January 2024 lie on or before 3 January 2024, outside the 12 months before 3 January 2025
    assert counts[date(2025, 1, 3), "A"].days_before == 58
    assert counts[date(2025, 1, 3), "A"].tax_free


def test_each_workplace_has_its_own_count() -> None:
    counts = count_sixty_days(
        [WorkplaceDay(day, "A") for day in working_days(MONDAY, 60)] + [WorkplaceDay(date(2025, 6, 2), "B")]
    )
    assert counts[date(2025, 6, 2), "B"].day_number == 1


# ---- Danish public holidays ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2000, date(2000, 4, 23)), (2008, date(2008, 3, 23)), (2011, date(2011, 4, 24)),
     (2023, date(2023, 4, 9)), (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
     (2026, date(2026, 4, 5)), (2038, date(2038, 4, 25))],
)  # fmt: skip
def test_easter_sunday_follows_the_gregorian_computus(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_2023_has_store_bededag_among_its_eleven_holidays() -> None:
    assert sorted(public_holidays(2023)) == [
        date(2023, 1, 1), date(2023, 4, 6), date(2023, 4, 7), date(2023, 4, 9), date(2023, 4, 10),
        date(2023, 5, 5), date(2023, 5, 18), date(2023, 5, 28), date(2023, 5, 29),
        date(2023, 12, 25), date(2023, 12, 26),
    ]  # fmt: skip
    assert public_holidays(2023)[date(2023, 5, 5)] == ("Store bededag", "Great Prayer Day")
    assert not is_working_day(date(2023, 5, 5))


def test_from_2024_store_bededag_is_a_working_day() -> None:
    assert sorted(public_holidays(2024)) == [
        date(2024, 1, 1), date(2024, 3, 28), date(2024, 3, 29), date(2024, 3, 31), date(2024, 4, 1),
        date(2024, 5, 9), date(2024, 5, 19), date(2024, 5, 20), date(2024, 12, 25), date(2024, 12, 26),
    ]  # fmt: skip
    assert is_working_day(date(2024, 4, 26))  # the fourth Friday after Easter 2024


def test_may_day_constitution_day_and_christmas_and_new_years_eve_are_working_days() -> None:
    for day in (date(2025, 5, 1), date(2025, 6, 5), date(2025, 12, 24), date(2025, 12, 31)):
        assert is_working_day(day), day


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 3, 1)) and not is_working_day(date(2025, 3, 2))
