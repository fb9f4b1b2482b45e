"""The tax-free rates per km, as data with effective-from dates.

Sources (domain-rules.md §1): Skatterådet's maximum tax-free rates — 2023 dmogt.dk/branchenyt/
befordringsgodtgoerelsen-stiger-i-2023; 2024 kreds15.org and dlf.org; 2025 driversnote.dk and
blog.pleo.io; 2026 only tekniq.dk (verify). Rates change inside a year (1 May 2022: 3.51 → 3.70;
crowe.com/dk/news/befordring). Each row in rates_default.json names its own source.

A row applies from its effective-from date until the next row of the same kind, and never beyond
31 December of its own year: Skatterådet sets the rates per calendar year, so last year's rate is
not silently used for a new year. A trip with no row is `RateMissing`, never a zero payout.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from backend.features.mileage.rules.model import Vehicle

DEFAULT_RATES_FILE = Path(__file__).with_name("rates_default.json")


class RateKind(StrEnum):
    CAR_FIRST_20000 = "car_first_20000"
    """Car/motorcycle, the first 20,000 km with the employer in a calendar year: the "høj takst",
    which a public employer pays only with a written driving authorisation."""
    CAR_ABOVE_20000 = "car_above_20000"
    """Car/motorcycle above 20,000 km. Public employers' "lav takst" is this same rate."""
    BICYCLE = "bicycle"
    """Bicycle, moped, 45-moped, scooter, e-scooter: one rate, no 20,000 km tier."""

    def describe(self, lang: str) -> str:
        return _DESCRIPTIONS[self][0 if lang == "da" else 1]


_DESCRIPTIONS = {
    RateKind.CAR_FIRST_20000: ("bil/motorcykel, de første 20.000 km", "car/motorcycle, the first 20,000 km"),
    RateKind.CAR_ABOVE_20000: ("bil/motorcykel, over 20.000 km", "car/motorcycle, above 20,000 km"),
    RateKind.BICYCLE: ("cykel/knallert", "bicycle/moped"),
}

LOW_RATE = RateKind.CAR_ABOVE_20000  # the public employers' default rate ("lav takst")
HIGH_RATE = RateKind.CAR_FIRST_20000  # with a driving authorisation, up to 20,000 km ("høj takst")


@dataclass(frozen=True)
class Rate:
    kind: RateKind
    effective_from: date
    kr_per_km: Decimal
    source: str = ""
    verify: bool = False
    """Rests on a single secondary source: an admin should check it against skat.dk."""


class RateMissing(Exception):
    """No rate for a trip's date: a message for the admins to enter the year's rates, never a zero payout.

    Carries `detail` (Danish) and `detail_en` like the app's domain errors, so the server maps it in one place.
    """

    def __init__(self, kind: RateKind, day: date) -> None:
        self.kind, self.day, self.year = kind, day, day.year
        self.detail = (
            f"Der mangler en kørselssats for {kind.describe('da')} i {day.year} "
            f"(turen {day.isoformat()}). En administrator skal indtaste årets satser, før turen kan beregnes."
        )
        self.detail_en = (
            f"No mileage rate for {kind.describe('en')} in {day.year} "
            f"(trip on {day.isoformat()}). An administrator must enter the year's rates before the trip can be calculated."
        )
        super().__init__(self.detail_en)

    def for_admins(self) -> tuple[str, str]:
        """The reminder in the admins' rate settings (Danish, English): the year's rate is missing, in
        words of its own (no trip is named: it is about the year, not one trip)."""
        kind, year = self.kind, self.year
        return (
            f"Kørselssatsen for {kind.describe('da')} i {year} mangler. Indtast den, så årets ture kan "
            "beregnes; indtil da venter de.",
            f"The mileage rate for {kind.describe('en')} in {year} is missing. Enter it so that the year's "
            "trips can be calculated; until then they wait.",
        )


def rate_kinds_for(vehicle: Vehicle) -> tuple[RateKind, ...]:
    return (RateKind.BICYCLE,) if vehicle is Vehicle.BICYCLE else (HIGH_RATE, LOW_RATE)


def rate_on(rates: Iterable[Rate], kind: RateKind, day: date) -> Rate:
    """The row of `kind` in force on `day`: the latest one from the same year that started on or before it."""
    in_force = [
        r for r in rates if r.kind is kind and r.effective_from <= day and r.effective_from.year == day.year
    ]
    if not in_force:
        raise RateMissing(kind, day)
    return max(in_force, key=lambda r: r.effective_from)


def parse_rates(rows: Iterable[Mapping[str, Any]]) -> tuple[Rate, ...]:
    """Rates from plain rows (the JSON file, or the municipality's table). Raises ValueError naming the bad row."""
    rates: list[Rate] = []
    seen: set[tuple[RateKind, date]] = set()
    for number, row in enumerate(rows, start=1):
        try:
            kind = RateKind(row["kind"])
            effective_from = date.fromisoformat(str(row["effective_from"]))
            kr_per_km = Decimal(str(row["kr_per_km"]))
        except (KeyError, ValueError, InvalidOperation) as exc:
            raise ValueError(f"rate row {number}: {exc!r}") from exc
        if not kr_per_km.is_finite() or kr_per_km <= 0:
            raise ValueError(f"rate row {number}: kr_per_km must be more than 0, not {kr_per_km}")
        if (kind, effective_from) in seen:
            raise ValueError(f"rate row {number}: a second {kind} rate from {effective_from}")
        seen.add((kind, effective_from))
        rates.append(
            Rate(kind, effective_from, kr_per_km, str(row.get("source", "")), bool(row.get("verify")))
        )
    return tuple(sorted(rates, key=lambda r: (r.effective_from, r.kind)))


def load_default_rates(path: Path = DEFAULT_RATES_FILE) -> tuple[Rate, ...]:
    """The figures shipped with Felt, which the server copies into each municipality's own table."""
    data: dict[str, Sequence[Mapping[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))
    return parse_rates(data["rates"])
