"""A trip's shape: a round trip from home has both ends at home, and the place visited is the workplace."""

from __future__ import annotations

from decimal import Decimal

from backend.features.mileage.rules.trip_shape import home_ends, visited_workplace


def test_a_round_trip_from_home_replaces_both_commute_legs() -> None:
    assert home_ends(starts_at_home=True, ends_at_home=False, round_trip=True) == (True, True)
    deducted = Decimal(12) * sum(home_ends(True, False, True))
    assert Decimal(60) - deducted == Decimal(36)  # home → Plejecenter Egebo → home: 36 km paid


def test_a_one_way_trip_keeps_the_ends_it_was_given() -> None:
    assert home_ends(starts_at_home=True, ends_at_home=False, round_trip=False) == (True, False)
    assert home_ends(starts_at_home=False, ends_at_home=False, round_trip=True) == (False, False)


def test_the_place_visited_from_home_is_the_workplace_whichever_way_the_trip_is_entered() -> None:
    as_round_trip = visited_workplace(None, "Hjem", "Skolen Vest", (), True, False, True)
    as_both_ends = visited_workplace(None, "Hjem", "Hjem", ("Skolen Vest",), True, True, False)
    one_way_out = visited_workplace(None, "Hjem", "Skolen Vest", (), True, False, False)
    one_way_back = visited_workplace(None, "Skolen Vest", "Hjem", (), False, True, False)
    assert as_round_trip == as_both_ends == one_way_out == one_way_back == "Skolen Vest"


def test_a_named_workplace_wins_and_a_trip_away_from_home_counts_for_none() -> None:
    assert visited_workplace("Nordskolen", "Hjem", "Rådhuset", (), True, False, False) == "Nordskolen"
    assert visited_workplace(None, "Nordskolen", "Rådhuset", (), False, False, True) is None
