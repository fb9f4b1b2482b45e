"""Bad input, caught before a trip is submitted, each with a message a person can act on.

Sources: skat.dk/skat.aspx?oid=2234872 (a tax-free allowance needs purpose, start and end, date, km,
and the employee's own vehicle; domain-rules.md §1). The absurd-distance ceiling (1,500 km in one
trip) and the duplicate test (same date, same route, same km) come from the issue, not from a rule.

`check_trip` returns problems that block submitting; `duplicate_flags` returns notes for the leader
(a second identical trip may be real: two visits to the same place).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from backend.features.mileage.rules import text
from backend.features.mileage.rules.model import Trip
from backend.features.mileage.rules.text import Message

ABSURD_TRIP_KM = Decimal(1500)


def check_distance(km: Decimal, absurd_km: Decimal = ABSURD_TRIP_KM) -> list[Message]:
    if not km.is_finite():
        return [Message("km_invalid", "Antal km skal være et tal.", "The distance must be a number.")]
    if km <= 0:
        return [
            Message(
                "km_not_positive",
                f"Antal km skal være mere end 0 (ikke {text.km(km, 'da')}).",
                f"The distance must be more than 0 (not {text.km(km, 'en')}).",
            )
        ]
    if km > absurd_km:
        return [
            Message(
                "km_absurd",
                f"{text.km(km, 'da')} på én tur er urimeligt meget (grænsen er {text.km(absurd_km, 'da')}). "
                "Tjek tallet, eller del kørslen op i en tur pr. dag.",
                f"{text.km(km, 'en')} in one trip is implausible (the limit is {text.km(absurd_km, 'en')}). "
                "Check the figure, or split the driving into one trip per day.",
            )
        ]
    if km != km.quantize(Decimal("0.1")):
        return [
            Message(
                "km_decimals", "Angiv km med højst én decimal.", "Give the distance with at most one decimal."
            )
        ]
    return []


def check_date(day: date, *, today: date) -> list[Message]:
    """A trip cannot lie in the future. No payroll month is ever closed to a trip: one approved after
    its month's salary run was exported is paid with the next run (backend.features.payroll.cutoff)."""
    if day > today:
        return [
            Message(
                "date_future",
                f"Datoen {text.day(day, 'da')} ligger i fremtiden. Registrér turen, når den er kørt.",
                f"The date {text.day(day, 'en')} is in the future. Log the trip once it has been driven.",
            )
        ]
    return []


def check_trip(trip: Trip, *, today: date, absurd_km: Decimal = ABSURD_TRIP_KM) -> list[Message]:
    """Everything that stops a trip from being submitted; an empty list means it may go."""
    problems = check_distance(trip.km, absurd_km) + check_date(trip.day, today=today)
    if not trip.purpose.strip():
        problems.append(
            Message(
                "purpose_missing",
                "Skriv formålet med turen: skat kræver det.",
                "State the trip's purpose: the tax rules require it.",
            )
        )
    if not trip.from_place.strip() or not trip.to_place.strip():
        problems.append(
            Message(
                "route_missing",
                "Angiv, hvor turen starter og slutter.",
                "State where the trip starts and ends.",
            )
        )
    if not trip.own_vehicle:
        problems.append(
            Message(
                "vehicle_not_own",
                "Skattefri kørselsgodtgørelse kræver, at du kører i dit eget køretøj. Bekræft, at det er dit eget.",
                "A tax-free mileage allowance needs your own vehicle. Confirm that it is your own.",
            )
        )
    return problems


def _route_key(trip: Trip) -> tuple[date, tuple[str, ...], Decimal]:
    places = (trip.from_place, *trip.stops, trip.to_place)
    return trip.day, tuple(" ".join(place.casefold().split()) for place in places), trip.km.normalize()


def find_duplicates(trips: Iterable[Trip]) -> dict[str, str]:
    """Trip id → id of the earlier trip with the same date, route (start, stops, end) and km."""
    first: dict[tuple[date, tuple[str, ...], Decimal], str] = {}
    duplicates: dict[str, str] = {}
    for trip in trips:
        key = _route_key(trip)
        if key in first:
            duplicates[trip.id] = first[key]
        else:
            first[key] = trip.id
    return duplicates


def duplicate_flag(trip: Trip) -> Message:
    return Message(
        "duplicate",
        f"Der er allerede en tur {text.day(trip.day, 'da')} ad samme rute med {text.km(trip.km, 'da')}. "
        "Er det en dobbeltregistrering?",
        f"There is already a trip on {text.day(trip.day, 'en')} on the same route with {text.km(trip.km, 'en')}. "
        "Is it logged twice?",
    )
