"""The municipality's own limits: a maximum per trip and per month.

Source: the issue's requirement (a municipality may set a maximum per trip or per month); no tax
rule stands behind it. Exceeding a limit never changes the payout: it flags the trip for the leader
with a note. Limits compare the km as logged (what the leader sees on the trip), not the payable km.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from backend.features.mileage.rules import text
from backend.features.mileage.rules.model import Trip
from backend.features.mileage.rules.text import Message
from backend.features.payroll.cutoff import Month


@dataclass(frozen=True)
class Limits:
    max_km_per_trip: Decimal | None = None
    max_km_per_month: Decimal | None = None


def limit_flags(trips_in_order: Iterable[Trip], limits: Limits) -> dict[str, list[Message]]:
    """Notes for the leader, by trip id. `trips_in_order` in date order: the month's running total decides
    which trip crosses the monthly maximum; it and every later trip that month are flagged."""
    flags: dict[str, list[Message]] = defaultdict(list)
    month_km: dict[Month, Decimal] = defaultdict(Decimal)
    for trip in trips_in_order:
        month = Month.of(trip.day)
        month_km[month] += trip.km
        if limits.max_km_per_trip is not None and trip.km > limits.max_km_per_trip:
            flags[trip.id].append(
                Message(
                    "limit_trip",
                    f"Turen er {text.km(trip.km, 'da')}, over kommunens grænse på "
                    f"{text.km(limits.max_km_per_trip, 'da')} pr. tur. Den sendes til lederen med en note.",
                    f"The trip is {text.km(trip.km, 'en')}, above the municipality's limit of "
                    f"{text.km(limits.max_km_per_trip, 'en')} per trip. It goes to the leader with a note.",
                )
            )
        if limits.max_km_per_month is not None and month_km[month] > limits.max_km_per_month:
            total = month_km[month]
            flags[trip.id].append(
                Message(
                    "limit_month",
                    f"Kørslen i {text.month(*month, 'da')} er nu {text.km(total, 'da')}, over kommunens grænse på "
                    f"{text.km(limits.max_km_per_month, 'da')} pr. måned. Turen sendes til lederen med en note.",
                    f"Driving in {text.month(*month, 'en')} is now {text.km(total, 'en')}, above the municipality's "
                    f"limit of {text.km(limits.max_km_per_month, 'en')} per month. The trip goes to the leader with a note.",
                )
            )
    return dict(flags)
