"""The trip as the rules see it: plain data, no database.

What a trip records follows what skat.dk requires for a tax-free allowance (skat.dk/skat.aspx?oid=2234872,
domain-rules.md §1): purpose, start, any stops and end, date, km, and that the vehicle is the
employee's own. The rate and amount come from the calculation (calculate.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import StrEnum


class Vehicle(StrEnum):
    """The rate classes Skatterådet sets: a car and a motorcycle share one rate; the small vehicles another."""

    CAR = "car"  # own car or motorcycle
    BICYCLE = "bicycle"  # own bicycle, moped, 45-moped, scooter or e-scooter


@dataclass(frozen=True)
class Trip:
    """One trip as logged. Trips on the same date are taken in the order the server passes them (creation order)."""

    id: str
    day: date
    km: Decimal
    """Distance driven, one decimal allowed (a round trip is already doubled by the app)."""
    vehicle: Vehicle
    purpose: str
    from_place: str
    to_place: str
    stops: tuple[str, ...] = ()
    starts_at_home: bool = False
    ends_at_home: bool = False
    workplace_id: str | None = None
    """The workplace the trip is for: the far end of a trip from or to home (the 60-day rule counts per
    workplace), and what an authorisation limited to workplaces is matched against."""
    purpose_code: str | None = None
    """The municipality's category of purpose, if it uses them; an authorisation can be limited to some."""
    own_vehicle: bool = True
    """The employee confirms the vehicle is their own: mileage is tax-free only in one's own vehicle."""
    start_time: time | None = None
    """When it set off on `day` (local time), if given."""
    end_time: time | None = None
    """When it arrived, if given; earlier than `start_time` means the next day (rules.midnight)."""

    @property
    def from_or_to_home(self) -> bool:
        return self.starts_at_home or self.ends_at_home
