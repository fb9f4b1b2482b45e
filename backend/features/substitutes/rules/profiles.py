"""Agreement profiles for hourly-paid substitutes (timelønnede), as data (profiles.json).

A profile says which agreement's rules an entry follows: the minimum paid time (minutes, per call-in
or per working day) and the ulempetillæg table (backend/features/worktime/supplements.py). The unit an
entry is placed on picks the profile by its kind (a school → teachers, a daycare → pædagoger).
Sources per profile in profiles.json (domain-rules.md §3b: tr.dlf.org timelønnede; BUPL–KL).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PROFILES_FILE = Path(__file__).with_name("profiles.json")


@dataclass(frozen=True)
class Profile:
    """`minimum_minutes` of paid time `minimum_per` "call_in" (each time one is asked to come in) or
    "day" (each working day); `monthly_pay_weekly_minutes` the weekly average one unbroken month must
    exceed for the right to monthly pay (rules/monthly_pay.py); `supplement_table` names a table in
    worktime/supplement_tables.json."""

    key: str
    name_da: str
    name_en: str
    unit_kinds: frozenset[str]
    minimum_minutes: int
    minimum_per: str
    monthly_pay_weekly_minutes: int
    supplement_table: str
    source: str
    unverified: frozenset[str]


def _profile(key: str, raw: Mapping[str, Any]) -> Profile:
    if raw["minimum_per"] not in ("call_in", "day") or int(raw["minimum_minutes"]) < 0:
        raise ValueError(f"profile {key}: minimum not understood")
    return Profile(
        key=key,
        name_da=raw["name_da"],
        name_en=raw["name_en"],
        unit_kinds=frozenset(raw["unit_kinds"]),
        minimum_minutes=int(raw["minimum_minutes"]),
        minimum_per=raw["minimum_per"],
        monthly_pay_weekly_minutes=int(raw["monthly_pay_weekly_minutes"]),
        supplement_table=raw["supplement_table"],
        source=raw["source"],
        unverified=frozenset(raw.get("unverified", ())),
    )


def load_profiles(data: Mapping[str, Any] | None = None) -> dict[str, Profile]:
    """The profiles in `data` (the form of profiles.json) or the shipped file. Raises ValueError or
    KeyError when the data is not in that form."""
    if data is None:
        return dict(_shipped())
    return {key: _profile(key, raw) for key, raw in data["profiles"].items()}


@cache
def _shipped() -> Mapping[str, Profile]:
    return load_profiles(json.loads(PROFILES_FILE.read_text(encoding="utf-8")))


def for_unit_kind(kind: str | None, profiles: Mapping[str, Profile] | None = None) -> Profile | None:
    """The profile a unit of this kind follows, or None when no profile names the kind."""
    found = profiles if profiles is not None else _shipped()
    return next((p for p in found.values() if kind is not None and kind in p.unit_kinds), None)
