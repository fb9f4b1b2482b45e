"""The written driving authorisation (kørselsbemyndigelse) that lets a public employer pay the high rate.

Sources (domain-rules.md §1): pav.medst.dk (Kilometergodtgorelse), dlf.org (kørselsgodtgørelse),
Albertslund's staff pages; the state's travel agreement § 15 as quoted on fakk.dk: the authorisation
is personal, written, and limits the trips it covers. Trips outside it are paid at the low rate.
The high rate is for car/motorcycle only; bicycles have one rate.

An authorisation limited to places ("only trips to Skolen Vest") covers a trip whose workplace is one
of them (the place a trip from or to home is for), or, for a trip between workplaces, whose destination
or a stop is one of them; names are compared as people type them (case and spacing aside). Trips to any
other place are paid at the low rate (issue 12, item 4: Bo's trip to Plejecenter Egebo).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from backend.features.mileage.rules.model import Trip, Vehicle


@dataclass(frozen=True)
class Authorisation:
    employee: str
    """The payroll employee number (never a CPR number)."""
    valid_from: date
    valid_to: date | None = None
    """Last day it is valid (inclusive); None until withdrawn."""
    purpose_codes: frozenset[str] = frozenset()
    """Limits it to trips with one of these purpose codes; empty covers every purpose."""
    workplace_ids: frozenset[str] = frozenset()
    """Limits it to trips for one of these places (names); empty covers every place."""
    reference: str = ""
    """How the written authorisation is found again (journal number, document title)."""

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, employee: str, trip: Trip) -> bool:
        """True when this authorisation lets `employee`'s trip be paid at the high rate."""
        return (
            self.employee == employee
            and trip.vehicle is Vehicle.CAR
            and self.valid_on(trip.day)
            and (not self.purpose_codes or trip.purpose_code in self.purpose_codes)
            and (
                not self.workplace_ids
                or bool(places_visited(trip) & {place_key(p) for p in self.workplace_ids})
            )
        )


def place_key(name: str) -> str:
    """A place's name as compared: "  skolen  VEST" and "Skolen Vest" are the same place."""
    return " ".join(name.casefold().split())


def places_visited(trip: Trip) -> set[str]:
    """The places a trip is for: its workplace when it is from or to home, else where it goes (stops, end)."""
    names = [trip.workplace_id] if trip.workplace_id else [*trip.stops, trip.to_place]
    return {place_key(n) for n in names if n and n.strip()}


def covering_authorisation(
    authorisations: Iterable[Authorisation], employee: str, trip: Trip
) -> Authorisation | None:
    """The first authorisation that covers the trip, or None (then the low rate applies)."""
    return next((a for a in authorisations if a.covers(employee, trip)), None)
