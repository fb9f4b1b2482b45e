"""Mileage rules on plain objects, from worked examples: rates, the 20,000 km tier, authorisation,
home deduction, municipal limits, bad input and the payroll cut-off."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from backend.features.mileage.rules import (
    Authorisation,
    Limits,
    Month,
    Rate,
    RateApplied,
    RateKind,
    RateMissing,
    Trip,
    TripResult,
    Vehicle,
    calculate_trips,
    check_trip,
    find_duplicates,
    load_default_rates,
    parse_rates,
    payroll_month,
    rate_on,
)
from backend.features.mileage.rules.home_deduction import home_deduction_km
from backend.features.mileage.rules.rates import DEFAULT_RATES_FILE
from backend.features.mileage.rules.tiers import split_at_tier

D = Decimal
RATES = load_default_rates()
EMPLOYEE = "1001"
ALWAYS = Authorisation(EMPLOYEE, valid_from=date(2020, 1, 1))


def trip(
    trip_id: str = "t1",
    day: date = date(2025, 3, 4),
    km: str = "10",
    vehicle: Vehicle = Vehicle.CAR,
    **fields: Any,
) -> Trip:
    defaults = {"purpose": "Møde", "from_place": "Rådhuset", "to_place": "Skolen"}
    return Trip(trip_id, day, D(km), vehicle, **{**defaults, **fields})


def one(trip_: Trip, **options: Any) -> TripResult:
    return calculate_trips([trip_], employee=EMPLOYEE, rates=RATES, **options)[0]


# ---- rates as data -------------------------------------------------------------------------------


def test_default_rates_carry_every_year_from_domain_rules_with_a_source() -> None:
    expected = {
        2023: ("3.73", "2.19", "0.61"),
        2024: ("3.79", "2.23", "0.62"),
        2025: ("3.81", "2.23", "0.63"),
        2026: ("3.94", "2.28", "0.64"),
    }
    for year, (high, low, bicycle) in expected.items():
        on = date(year, 6, 1)
        assert rate_on(RATES, RateKind.CAR_FIRST_20000, on).kr_per_km == D(high)
        assert rate_on(RATES, RateKind.CAR_ABOVE_20000, on).kr_per_km == D(low)
        assert rate_on(RATES, RateKind.BICYCLE, on).kr_per_km == D(bicycle)
    assert all(rate.source for rate in RATES)


def test_only_the_2026_rates_are_marked_to_verify() -> None:
    assert {rate.effective_from.year for rate in RATES if rate.verify} == {2026}


def test_a_rate_changed_mid_year_applies_from_its_day() -> None:
    assert rate_on(RATES, RateKind.CAR_FIRST_20000, date(2022, 4, 30)).kr_per_km == D("3.51")
    assert rate_on(RATES, RateKind.CAR_FIRST_20000, date(2022, 5, 1)).kr_per_km == D("3.70")


def test_trips_either_side_of_a_mid_year_change_are_paid_at_their_own_dates_rate() -> None:
    april, may = trip("a", date(2022, 4, 29), "100"), trip("b", date(2022, 5, 2), "100")
    results = calculate_trips([april, may], employee=EMPLOYEE, rates=RATES, authorisations=[ALWAYS])
    assert [r.amount for r in results] == [D("351.00"), D("370.00")]
    assert "1. maj 2022" in results[1].explanation[1].da


def test_a_year_without_rates_is_an_error_naming_year_and_vehicle_not_a_zero_payout() -> None:
    with pytest.raises(RateMissing) as caught:
        one(trip(day=date(2027, 1, 4)))
    assert caught.value.year == 2027
    assert "2027" in caught.value.detail and "bil/motorcykel" in caught.value.detail
    assert "2027" in caught.value.detail_en and "car/motorcycle" in caught.value.detail_en


def test_last_years_rate_is_never_carried_into_a_new_year() -> None:
    only_2025 = [r for r in RATES if r.effective_from.year == 2025]
    with pytest.raises(RateMissing):
        rate_on(only_2025, RateKind.BICYCLE, date(2026, 1, 2))


def test_a_missing_rate_is_reported_even_when_the_trip_pays_no_km() -> None:
    with pytest.raises(RateMissing):
        one(trip(day=date(2027, 1, 4), km="5", starts_at_home=True), home_to_work_km=D(10))


def test_rate_rows_are_parsed_with_clear_errors() -> None:
    rows = json.loads(DEFAULT_RATES_FILE.read_text(encoding="utf-8"))["rates"]
    assert parse_rates(rows) == RATES
    with pytest.raises(ValueError, match="row 1"):
        parse_rates([{"kind": "car_first_20000", "effective_from": "2025-01-01", "kr_per_km": "0"}])
    with pytest.raises(ValueError, match="row 2: a second"):
        parse_rates([{"kind": "bicycle", "effective_from": "2025-01-01", "kr_per_km": "0.63"}] * 2)
    with pytest.raises(ValueError, match="row 1"):
        parse_rates([{"kind": "lorry", "effective_from": "2025-01-01", "kr_per_km": "9"}])


# ---- the 20,000 km tier and the authorisation ----------------------------------------------------


def test_the_tier_split_gives_the_km_within_and_above_20000() -> None:
    assert split_at_tier(D(19950), D(100)) == (D(50), D(50))
    assert split_at_tier(D(0), D(100)) == (D(100), D(0))
    assert split_at_tier(D(20000), D(100)) == (D(0), D(100))
    assert split_at_tier(D(25000), D(100)) == (D(0), D(100))


def test_an_authorised_trip_crossing_20000_km_is_split_between_high_and_low_rate() -> None:
    result = one(trip(km="100"), authorisations=[ALWAYS], tier_km_before={2025: D(19950)})
    assert [(part.km, part.rate.kr_per_km) for part in result.parts] == [
        (D(50), D("3.81")),
        (D(50), D("2.23")),
    ]
    assert result.amount == D("302.00")  # 50 × 3.81 + 50 × 2.23
    assert result.rate_applied is RateApplied.HIGH_AND_LOW
    assert [line.code for line in result.explanation] == ["tier", "rate_high", "rate_low", "total"]


def test_the_tier_counts_the_years_trips_in_date_order_whatever_order_they_come_in() -> None:
    long_trips = [trip(f"t{n}", date(2025, 1, 2 + n), "1000") for n in range(20)]
    crossing = trip("late", date(2025, 2, 3), "100")
    earlier = trip("early", date(2025, 1, 1), "50")  # given last, driven first
    results = calculate_trips(
        [*long_trips, crossing, earlier], employee=EMPLOYEE, rates=RATES, authorisations=[ALWAYS]
    )
    by_id = {r.trip_id: r for r in results}
    assert by_id["early"].tier_km_before == 0
    assert by_id["late"].tier_km_before == D(20050)
    assert by_id["late"].rate_applied is RateApplied.LOW
    assert by_id["t19"].parts[-1].km == D(50)  # the 20th 1,000 km trip crosses: 950 high, 50 low
    assert [r.trip_id for r in results][-1] == "early"  # results in the order given


def test_same_day_trips_fill_the_tier_in_the_order_given() -> None:
    first, second = trip("a", km="60"), trip("b", km="60")
    results = calculate_trips(
        [first, second],
        employee=EMPLOYEE,
        rates=RATES,
        authorisations=[ALWAYS],
        tier_km_before={2025: D(19950)},
    )
    assert [r.rate_applied for r in results] == [RateApplied.HIGH_AND_LOW, RateApplied.LOW]


def test_the_tier_starts_again_each_calendar_year() -> None:
    results = calculate_trips(
        [trip("dec", date(2024, 12, 30), "100"), trip("jan", date(2025, 1, 2), "100")],
        employee=EMPLOYEE,
        rates=RATES,
        authorisations=[ALWAYS],
        tier_km_before={2024: D(20000)},
    )
    assert [r.rate_applied for r in results] == [RateApplied.LOW, RateApplied.HIGH]


def test_without_an_authorisation_every_car_km_is_paid_at_the_low_rate() -> None:
    result = one(trip(km="100"))
    assert result.rate_applied is RateApplied.LOW and result.amount == D("223.00")
    assert "ingen kørselsbemyndigelse" in result.explanation[1].da


def test_km_without_authorisation_still_count_toward_the_20000() -> None:
    unauthorised = trip("a", date(2025, 1, 6), "19990")
    later = trip("b", date(2025, 2, 3), "20")
    authorisation = Authorisation(EMPLOYEE, valid_from=date(2025, 2, 1))
    results = calculate_trips(
        [unauthorised, later], employee=EMPLOYEE, rates=RATES, authorisations=[authorisation]
    )
    assert [(p.km, p.rate.kind) for p in results[1].parts] == [
        (D(10), RateKind.CAR_FIRST_20000),
        (D(10), RateKind.CAR_ABOVE_20000),
    ]


def test_an_authorisation_covers_only_its_employee_its_dates_and_its_trips() -> None:
    limited = Authorisation(
        EMPLOYEE,
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 6, 30),
        purpose_codes=frozenset({"home_care"}),
        workplace_ids=frozenset({"district_north"}),
        reference="BEM-2025-17",
    )
    covered = trip(purpose_code="home_care", workplace_id="district_north")
    assert one(covered, authorisations=[limited]).rate_applied is RateApplied.HIGH
    assert "BEM-2025-17" in one(covered, authorisations=[limited]).explanation[1].da
    for outside in (
        trip(day=date(2025, 7, 1), purpose_code="home_care", workplace_id="district_north"),
        trip(purpose_code="course", workplace_id="district_north"),
        trip(purpose_code="home_care", workplace_id="town_hall"),
    ):
        assert one(outside, authorisations=[limited]).rate_applied is RateApplied.LOW
    someone_else = Authorisation("2002", valid_from=date(2025, 1, 1))
    assert one(trip(), authorisations=[someone_else]).rate_applied is RateApplied.LOW


def test_an_authorisation_limited_to_a_place_pays_the_high_rate_only_for_trips_there() -> None:
    """Issue 12, item 4: Bo may use the high rate only for trips to Skolen Vest. 50 km to Skolen Vest:
    190.50 (3.81); 50 km to Plejecenter Egebo: 111.50 (2.23, the low rate)."""
    only_vest = Authorisation(EMPLOYEE, valid_from=date(2025, 1, 1), workplace_ids=frozenset({"Skolen Vest"}))
    to_vest = trip("v", km="50", to_place="skolen  vest")  # as typed: case and spaces aside
    via_vest = trip("s", km="50", to_place="Rådhuset", stops=("Skolen Vest",))
    home_to_vest = trip(
        "h",
        km="50",
        from_place="Hjem",
        to_place="Skolen Vest",
        starts_at_home=True,
        workplace_id="Skolen Vest",
    )
    to_egebo = trip("e", km="50", to_place="Plejecenter Egebo")
    from_vest_to_egebo = trip("f", km="50", from_place="Skolen Vest", to_place="Plejecenter Egebo")
    for covered in (to_vest, via_vest, home_to_vest):
        assert one(covered, authorisations=[only_vest]).amount == D("190.50"), covered.id
    for outside in (to_egebo, from_vest_to_egebo):
        result = one(outside, authorisations=[only_vest])
        assert (result.amount, result.rate_applied) == (D("111.50"), RateApplied.LOW), outside.id


def test_a_bicycle_trip_pays_the_bicycle_rate_and_does_not_use_the_car_tier() -> None:
    bike = trip("bike", km="10", vehicle=Vehicle.BICYCLE)
    car = trip("car", km="10")
    results = calculate_trips([bike, car], employee=EMPLOYEE, rates=RATES, authorisations=[ALWAYS])
    assert results[0].amount == D("6.30") and results[0].rate_applied is RateApplied.BICYCLE
    assert results[1].tier_km_before == 0


def test_the_amount_is_rounded_to_ore_half_up_once_per_trip() -> None:
    rates = [
        Rate(RateKind.CAR_FIRST_20000, date(2025, 1, 1), D("3.81")),
        Rate(RateKind.CAR_ABOVE_20000, date(2025, 1, 1), D("2.25")),
    ]
    # 0.5 km × 3.81 = 1.905 and 0.5 km × 2.25 = 1.125: 3.030 in total; rounding each part first would give 3.04
    result = calculate_trips(
        [trip(km="1")],
        employee=EMPLOYEE,
        rates=rates,
        authorisations=[ALWAYS],
        tier_km_before={2025: D("19999.5")},
    )[0]
    assert result.amount == D("3.03")
    assert one(trip(km="12.5"), authorisations=[ALWAYS]).amount == D("47.63")  # 47.625 → 47.63


# ---- home deduction ------------------------------------------------------------------------------


def test_a_trip_from_home_deducts_the_km_home_to_usual_workplace() -> None:
    result = one(trip(km="42", starts_at_home=True), home_to_work_km=D(12))
    assert (result.home_deduction_km, result.payable_km, result.amount) == (D(12), D(30), D("66.90"))
    assert result.explanation[0].code == "home_deduction" and "KL/KTO" in result.explanation[0].da


def test_a_trip_both_from_and_to_home_deducts_the_distance_twice() -> None:
    assert home_deduction_km(trip(starts_at_home=True, ends_at_home=True), D(12)) == D(24)
    result = one(trip(km="60", starts_at_home=True, ends_at_home=True), home_to_work_km=D(12))
    assert result.payable_km == D(36) and "2 × 12,0 km" in result.explanation[0].da


def test_the_home_deduction_never_makes_a_trip_negative() -> None:
    result = one(trip(km="8", ends_at_home=True), home_to_work_km=D(12))
    assert result.payable_km == 0 and result.amount == 0 and result.rate_applied is RateApplied.NONE
    assert "aldrig under 0" in result.explanation[0].da


def test_a_trip_between_workplaces_deducts_nothing() -> None:
    assert one(trip(km="42"), home_to_work_km=D(12)).payable_km == D(42)


def test_an_unknown_home_distance_deducts_nothing_and_goes_to_the_leader() -> None:
    result = one(trip(km="42", starts_at_home=True))
    assert result.payable_km == D(42)
    assert result.needs_leader_note and result.flags[0].code == "home_distance_unknown"


# ---- the municipality's limits -------------------------------------------------------------------


def test_a_trip_over_the_municipal_maximum_is_paid_but_flagged_for_the_leader() -> None:
    result = one(trip(km="320"), limits=Limits(max_km_per_trip=D(300)))
    assert result.amount == D("713.60") and result.needs_leader_note
    assert result.flags[0].code == "limit_trip" and "300,0 km" in result.flags[0].da


def test_the_trip_that_takes_the_month_over_its_maximum_and_later_ones_are_flagged() -> None:
    trips = [trip(f"t{n}", date(2025, 3, 3 + n), "400") for n in range(4)] + [
        trip("april", date(2025, 4, 1), "400")
    ]
    results = calculate_trips(trips, employee=EMPLOYEE, rates=RATES, limits=Limits(max_km_per_month=D(1000)))
    assert [r.needs_leader_note for r in results] == [False, False, True, True, False]
    assert "1.200,0 km" in results[2].flags[0].da and "marts 2025" in results[2].flags[0].da


def test_duplicates_are_flagged_but_still_calculated() -> None:
    first = trip("a", stops=("Børnehaven",))
    again = trip("b", to_place="  skolen ", stops=("børnehaven",))
    other_km = trip("c", km="11", stops=("Børnehaven",))
    assert find_duplicates([first, again, other_km]) == {"b": "a"}
    results = calculate_trips([first, again, other_km], employee=EMPLOYEE, rates=RATES)
    assert [r.needs_leader_note for r in results] == [False, True, False]
    assert results[1].amount == results[0].amount


# ---- bad input -----------------------------------------------------------------------------------


TODAY = date(2025, 3, 20)


def codes(trip_: Trip, **options: Any) -> list[str]:
    return [problem.code for problem in check_trip(trip_, today=TODAY, **options)]


def test_a_well_formed_trip_has_no_problems() -> None:
    assert codes(trip(km="12.5")) == []


def test_negative_zero_and_absurd_distances_are_refused() -> None:
    assert codes(trip(km="-5")) == ["km_not_positive"]
    assert codes(trip(km="0")) == ["km_not_positive"]
    assert codes(trip(km="1500")) == []
    assert codes(trip(km="1500.1")) == ["km_absurd"]
    assert codes(trip(km="12.25")) == ["km_decimals"]
    assert codes(trip(km="NaN")) == ["km_invalid"]


def test_problems_are_written_in_danish_and_english() -> None:
    [problem] = check_trip(trip(km="2000"), today=TODAY)
    assert "2.000,0 km" in problem.da and "2,000.0 km" in problem.en


def test_a_date_in_the_future_is_refused() -> None:
    assert codes(trip(day=date(2025, 3, 21))) == ["date_future"]
    assert codes(trip(day=TODAY)) == []


def test_no_payroll_month_is_closed_to_a_trip() -> None:
    """An approval after its month's export goes to the next salary run (test_payroll_cutoff.py)."""
    assert codes(trip(day=date(2024, 1, 2))) == []


def test_the_tax_record_needs_purpose_route_and_own_vehicle() -> None:
    assert codes(trip(purpose=" ", from_place="", own_vehicle=False)) == [
        "purpose_missing",
        "route_missing",
        "vehicle_not_own",
    ]


def test_the_calculation_refuses_a_negative_distance_rather_than_pay_a_negative_amount() -> None:
    with pytest.raises(ValueError, match="km must be 0 or more"):
        one(trip(km="-5"))


# ---- payroll cut-off -----------------------------------------------------------------------------


def test_approved_before_the_cutoff_day_is_paid_that_month() -> None:
    assert payroll_month(date(2025, 3, 17)) == Month(2025, 3)
    assert payroll_month(date(2025, 3, 1)) == Month(2025, 3)


def test_approved_on_or_after_the_cutoff_day_is_paid_the_next_month() -> None:
    assert payroll_month(date(2025, 3, 18)) == Month(2025, 4)
    assert payroll_month(date(2025, 12, 20)) == Month(2026, 1)
    assert str(payroll_month(date(2025, 12, 20))) == "2026-01"


def test_each_municipality_sets_its_own_cutoff_day() -> None:
    assert payroll_month(date(2025, 3, 17), cutoff_day=10) == Month(2025, 4)
    assert payroll_month(date(2025, 3, 30), cutoff_day=31) == Month(2025, 3)
    with pytest.raises(ValueError):
        payroll_month(date(2025, 3, 1), cutoff_day=0)


def test_the_admins_reminder_of_a_missing_rate_names_the_year_not_a_trip() -> None:
    da, en = RateMissing(RateKind.BICYCLE, date(2027, 12, 31)).for_admins()
    assert da.startswith("Kørselssatsen for cykel/knallert i 2027 mangler.") and "turen" not in da
    assert en.startswith("The mileage rate for bicycle/moped in 2027 is missing.") and "trip on" not in en
