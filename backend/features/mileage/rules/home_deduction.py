"""Home deduction ("modregning"): pay only the extra km a trip from or to home causes.

Source: the KL/KTO practice as municipalities state it (hr.odder.dk/hr/paa-jobbet/godtgoerelser/
befordring: "der kan ikke ydes godtgørelse for det antal km, som den ansatte ellers ville have kørt
mellem bopælen og det faste tjenestested"; domain-rules.md §1). Daily home ↔ fixed workplace
travel is private (domain-rules.md §1), so those km are never paid.

Each end of the trip at home replaces one leg the employee would have driven anyway, so a trip that
both starts and ends at home deducts the distance twice. The payable km never go below 0.
"""

from __future__ import annotations

from decimal import Decimal

from backend.features.mileage.rules.model import Trip


def home_deduction_km(trip: Trip, home_to_work_km: Decimal) -> Decimal:
    """The km to deduct: home ↔ usual workplace once for each end of the trip at home."""
    if home_to_work_km < 0:
        raise ValueError("home_to_work_km cannot be negative")
    return home_to_work_km * (int(trip.starts_at_home) + int(trip.ends_at_home))


def payable_after_deduction(km: Decimal, deduction_km: Decimal) -> Decimal:
    """Km left after the deduction, never below 0."""
    return max(Decimal(0), km - deduction_km)
