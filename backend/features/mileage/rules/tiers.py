"""The 20,000 km tier: the high rate covers only the first 20,000 km with the employer in a calendar year.

Source: info.skat.dk oid=112638 (the limit counts per employer per calendar year; a trip that crosses
20,000 km is split between the two rates), domain-rules.md §1.
"""

from __future__ import annotations

from decimal import Decimal

TIER_KM = Decimal(20000)


def split_at_tier(km_before: Decimal, km: Decimal, tier_km: Decimal = TIER_KM) -> tuple[Decimal, Decimal]:
    """Split a trip of `km` into (km within the first `tier_km`, km above it), given the year's km before it."""
    within = min(km, max(Decimal(0), tier_km - km_before))
    return within, km - within
