"""What each trip pays and why: the rules tied together for one employee with one employer.

Sources: see each rule's module (rates.py, tiers.py, authorisation.py, home_deduction.py,
sixty_days.py, limits.py, validate.py) and domain-rules.md §1.

For each trip, in date order (trips on the same date in the order given, which the server makes
creation order), `calculate_trips`:

1. Home deduction — a trip that starts and/or ends at home loses home ↔ usual workplace km once per
   end at home (KL/KTO "modregning"); the payable km never go below 0.
2. 60-day rule — a trip from or to home for a workplace is counted for that workplace (every such
   trip counts, bicycle or car, paid or not). Once 60 working days are used within 12 months the trip
   pays 0 km: the whole trip, since a trip records only its total km (a leg between workplaces should
   be logged as a trip of its own). From day 50 the trip carries a warning.
3. Rate — a bicycle/moped trip pays the bicycle rate. A car/motorcycle trip pays:
   - without an authorisation covering it: the low rate ("lav takst" = the >20,000 km rate) on every km,
     whatever the tier;
   - with one: the high rate on the km that fall within the first 20,000 of the calendar year, the low
     rate on the rest — so a trip crossing 20,000 km is split between the two.
   The 20,000 km count is the payable car/motorcycle km of the calendar year so far (authorised or not:
   all business km with the employer count), plus `tier_km_before` for km the server did not pass.
   Deducted km and km over the 60-day limit are private driving, so they do not count; bicycle km do
   not count (the tier belongs to the car rate).
   Rates are looked up on the trip's date, so a mid-year change applies from its day. A trip across
   midnight (its departure and arrival times given) has its payable km split by the driving time, each
   share at its own day's rate and counted in its own year's 20,000 km (midnight.py).
4. Amount — km × rate per part, summed, then rounded to øre (ROUND_HALF_UP) once per trip.
5. Notes for the leader — the municipality's limits, a duplicate (same date, route and km), the 60-day
   limit reached, and an unknown home distance. None of them changes the payout.

A rate missing for a trip's date raises `RateMissing` (rates.py): the calculation stops with a message
for the admins rather than paying 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from backend.features.mileage.rules import text
from backend.features.mileage.rules.authorisation import Authorisation, covering_authorisation
from backend.features.mileage.rules.home_deduction import home_deduction_km, payable_after_deduction
from backend.features.mileage.rules.limits import Limits, limit_flags
from backend.features.mileage.rules.midnight import split_at_midnight
from backend.features.mileage.rules.model import Trip, Vehicle
from backend.features.mileage.rules.rates import HIGH_RATE, LOW_RATE, Rate, RateKind, rate_on
from backend.features.mileage.rules.sixty_days import (
    LIMIT_DAYS,
    WARN_FROM_DAY,
    SixtyDayCount,
    WorkplaceDay,
    count_sixty_days,
)
from backend.features.mileage.rules.text import Message
from backend.features.mileage.rules.tiers import TIER_KM, split_at_tier
from backend.features.mileage.rules.validate import duplicate_flag, find_duplicates

ORE = Decimal("0.01")
EMPLOYEE_ONLY_FLAGS = frozenset({"sixty_days_warning"})


class RateApplied(StrEnum):
    HIGH = "high"  # høj takst: authorised, within the first 20,000 km
    LOW = "low"  # lav takst: no authorisation, or above 20,000 km
    HIGH_AND_LOW = "high_and_low"  # the trip crosses 20,000 km
    BICYCLE = "bicycle"
    NONE = "none"  # nothing payable


@dataclass(frozen=True)
class Part:
    """Km paid at one rate."""

    km: Decimal
    rate: Rate

    @property
    def amount(self) -> Decimal:
        """Unrounded: the trip's total is rounded once."""
        return self.km * self.rate.kr_per_km


@dataclass(frozen=True)
class TripResult:
    trip_id: str
    km: Decimal
    home_deduction_km: Decimal
    payable_km: Decimal
    parts: tuple[Part, ...]
    amount: Decimal
    """In kr, rounded to øre."""
    rate_applied: RateApplied
    authorisation: Authorisation | None
    tier_km_before: Decimal
    """Car/motorcycle km counted toward the year's 20,000 km before this trip."""
    sixty_days: SixtyDayCount | None
    explanation: tuple[Message, ...]
    """What the trip pays and why, line by line."""
    flags: tuple[Message, ...]
    """Notes: all but the 60-day warning go to the leader."""

    @property
    def needs_leader_note(self) -> bool:
        return any(flag.code not in EMPLOYEE_ONLY_FLAGS for flag in self.flags)


def calculate_trips(
    trips: Sequence[Trip],
    *,
    employee: str,
    rates: Sequence[Rate],
    authorisations: Iterable[Authorisation] = (),
    home_to_work_km: Decimal | None = None,
    limits: Limits = Limits(),
    tier_km_before: Mapping[int, Decimal] | None = None,
    other_workplace_days: Iterable[WorkplaceDay] = (),
    workplace_names: Mapping[str, str] | None = None,
    warn_from_day: int = WARN_FROM_DAY,
) -> list[TripResult]:
    """Calculate `employee`'s trips with one employer; results come back in the order the trips were given.

    Pass every trip of the calendar year(s) concerned (the tier and the 60-day count depend on earlier
    trips; the 60-day count looks back 12 months, so include last year's home trips too, or pass them as
    `other_workplace_days`). `tier_km_before` adds car km per year driven before the first trip given.
    `home_to_work_km` is the employee's distance home ↔ usual workplace; None means unknown (no
    deduction, and the trip is flagged). `other_workplace_days` are days at a workplace without a logged
    trip (by bus, or at the usual workplace), which count for the 60-day rule.
    """
    ids = [trip.id for trip in trips]
    if len(set(ids)) != len(ids):
        raise ValueError("trip ids must be unique")
    for trip in trips:
        if not trip.km.is_finite() or trip.km < 0:
            raise ValueError(
                f"trip {trip.id}: km must be 0 or more (check_trip catches this before submitting)"
            )

    in_order = sorted(trips, key=lambda trip: trip.day)  # stable: same-day trips keep the given order
    home_days = [
        WorkplaceDay(t.day, t.workplace_id) for t in in_order if t.from_or_to_home and t.workplace_id
    ]
    sixty = count_sixty_days([*home_days, *other_workplace_days])
    limit_notes = limit_flags(in_order, limits)
    duplicates = find_duplicates(in_order)
    names = workplace_names or {}
    authorisations = tuple(authorisations)
    tier_km = dict(tier_km_before or {})

    results: dict[str, TripResult] = {}
    for trip in in_order:
        lines: list[Message] = []
        flags: list[Message] = []

        deduction = Decimal(0)
        if trip.from_or_to_home:
            if home_to_work_km is None:
                flags.append(_home_distance_unknown())
                lines.append(_home_distance_unknown())
            else:
                deduction = home_deduction_km(trip, home_to_work_km)
                lines.append(_deduction_line(trip, home_to_work_km, deduction))
        payable = payable_after_deduction(trip.km, deduction)

        count = None
        if trip.from_or_to_home and trip.workplace_id:
            count = sixty[trip.day, trip.workplace_id]
            name = names.get(trip.workplace_id, trip.workplace_id)
            lines.append(_sixty_line(count, name))
            if not count.tax_free:
                payable = Decimal(0)
                flags.append(_sixty_reached(name))
            elif count.warns(warn_from_day):
                flags.append(_sixty_warning(count, name))

        # A trip across midnight: each day's share of the km at that day's rate and year (midnight.py).
        split = split_at_midnight(trip.day, payable, trip.start_time, trip.end_time)
        if split is not None:
            lines.append(split.message())
        authorisation = None
        parts: list[Part] = []
        first_before: Decimal | None = None
        for day, km in split.shares if split else ((trip.day, payable),):
            year = day.year
            before = tier_km.get(year, Decimal(0))
            first_before = before if first_before is None else first_before
            day_parts: list[Part] = []
            if trip.vehicle is Vehicle.BICYCLE:
                day_parts.append(Part(km, rate_on(rates, RateKind.BICYCLE, day)))
            else:
                # Looked up even when nothing is payable: a missing rate is never silent.
                low = rate_on(rates, LOW_RATE, day)
                authorisation = covering_authorisation(authorisations, employee, trip)
                if authorisation is None:
                    day_parts.append(Part(km, low))
                else:
                    within, above = split_at_tier(before, km)
                    day_parts += [Part(within, rate_on(rates, HIGH_RATE, day)), Part(above, low)]
                tier_km[year] = before + km
                lines.append(_tier_line(before, year))
            day_parts = [part for part in day_parts if part.km > 0]
            lines += [_part_line(part, authorisation, year) for part in day_parts]
            parts += day_parts

        unrounded = sum((part.amount for part in parts), Decimal(0))
        amount = unrounded.quantize(ORE, rounding=ROUND_HALF_UP)
        lines.append(_total_line(amount, payable, rounded=amount != unrounded))
        flags += limit_notes.get(trip.id, [])
        if trip.id in duplicates:
            flags.append(duplicate_flag(trip))

        results[trip.id] = TripResult(
            trip_id=trip.id,
            km=trip.km,
            home_deduction_km=deduction,
            payable_km=payable,
            parts=tuple(parts),
            amount=amount,
            rate_applied=_rate_applied(trip, parts),
            authorisation=authorisation,
            tier_km_before=first_before or Decimal(0),
            sixty_days=count,
            explanation=tuple(lines),
            flags=tuple(flags),
        )
    return [results[trip_id] for trip_id in ids]


def _rate_applied(trip: Trip, parts: Sequence[Part]) -> RateApplied:
    kinds = {part.rate.kind for part in parts}
    if not kinds:
        return RateApplied.NONE
    if trip.vehicle is Vehicle.BICYCLE:
        return RateApplied.BICYCLE
    if kinds == {HIGH_RATE}:
        return RateApplied.HIGH
    return RateApplied.LOW if kinds == {LOW_RATE} else RateApplied.HIGH_AND_LOW


# ---- explanation lines -------------------------------------------------------------------------


def _deduction_line(trip: Trip, home_to_work_km: Decimal, deduction: Decimal) -> Message:
    payable = payable_after_deduction(trip.km, deduction)
    if trip.starts_at_home and trip.ends_at_home:
        where_da, where_en = "starter og slutter hjemme", "starts and ends at home"
        what_da = f"2 × {text.km(home_to_work_km, 'da')}"
        what_en = f"2 × {text.km(home_to_work_km, 'en')}"
    else:
        where_da, where_en = (
            ("starter hjemme", "starts at home")
            if trip.starts_at_home
            else ("slutter hjemme", "ends at home")
        )
        what_da, what_en = text.km(deduction, "da"), text.km(deduction, "en")
    floor_da = " (aldrig under 0)" if trip.km < deduction else ""
    floor_en = " (never below 0)" if trip.km < deduction else ""
    return Message(
        "home_deduction",
        f"Turen {where_da}: {what_da} hjem ↔ sædvanligt arbejdssted, som du ellers ville have kørt, trækkes fra "
        f"(KL/KTO-modregning): {text.km(trip.km, 'da')} − {text.km(deduction, 'da')} = {text.km(payable, 'da')}{floor_da}.",
        f"The trip {where_en}: {what_en} home ↔ usual workplace, which you would have driven anyway, is deducted "
        f"(KL/KTO practice): {text.km(trip.km, 'en')} − {text.km(deduction, 'en')} = {text.km(payable, 'en')}{floor_en}.",
    )


def _home_distance_unknown() -> Message:
    return Message(
        "home_distance_unknown",
        "Turen starter eller slutter hjemme, men afstanden hjem ↔ sædvanligt arbejdssted kendes ikke, "
        "så intet er trukket fra. Lederen bør tjekke turen.",
        "The trip starts or ends at home, but the distance home ↔ usual workplace is not known, "
        "so nothing was deducted. The leader should check the trip.",
    )


def _sixty_line(count: SixtyDayCount, name: str) -> Message:
    if not count.tax_free:
        da = (
            f"60-dages-reglen: du har allerede kørt mellem hjemmet og {name} på {LIMIT_DAYS} arbejdsdage inden for "
            "12 måneder, så kørsel dertil er ikke længere skattefri, og turen udbetales ikke. Tællingen starter "
            "forfra efter 60 arbejdsdage i træk på andre arbejdspladser. Gik en del af turen mellem arbejdspladser, "
            "så registrér den del som en tur for sig."
        )
        en = (
            f"60-day rule: you have already travelled between home and {name} on {LIMIT_DAYS} working days within "
            "12 months, so travel there is no longer tax-free and the trip is not paid. The count starts again "
            "after 60 working days in a row at other workplaces. If part of the trip was between workplaces, "
            "log that part as a trip of its own."
        )
    else:
        da = f"60-dages-reglen: dag {count.day_number} af {LIMIT_DAYS} med kørsel mellem hjemmet og {name} inden for 12 måneder."
        en = f"60-day rule: day {count.day_number} of {LIMIT_DAYS} travelling between home and {name} within 12 months."
    if count.reset_on is not None:
        da += f" Tællingen startede forfra {text.day(count.reset_on, 'da')} efter 60 arbejdsdage i træk andre steder."
        en += f" The count started again on {text.day(count.reset_on, 'en')} after 60 working days in a row elsewhere."
    return Message("sixty_days", da, en)


def _sixty_reached(name: str) -> Message:
    return Message(
        "sixty_days_reached",
        f"60-dages-reglen er nået for {name}: turen udbetales ikke skattefrit.",
        f"The 60-day rule has been reached for {name}: the trip is not paid tax-free.",
    )


def _sixty_warning(count: SixtyDayCount, name: str) -> Message:
    return Message(
        "sixty_days_warning",
        f"Du har kørt til {name} på {count.day_number} dage inden for 12 måneder. "
        f"Efter dag {LIMIT_DAYS} er kørsel hjemmefra dertil ikke længere skattefri.",
        f"You have travelled to {name} on {count.day_number} days within 12 months. "
        f"After day {LIMIT_DAYS}, travel there from home is no longer tax-free.",
    )


def _total_line(amount: Decimal, payable: Decimal, *, rounded: bool) -> Message:
    note_da, note_en = (" (afrundet til hele øre)", " (rounded to øre)") if rounded else ("", "")
    return Message(
        "total",
        f"I alt: {text.kr(amount, 'da')}{note_da} for {text.km(payable, 'da')}.",
        f"Total: {text.kr(amount, 'en')}{note_en} for {text.km(payable, 'en')}.",
    )


def _tier_line(before: Decimal, year: int) -> Message:
    return Message(
        "tier",
        f"Kørsel i bil/motorcykel hos arbejdsgiveren i {year} før turen: {text.km(before, 'da')} "
        f"(den høje takst gælder de første {text.number(TIER_KM, 0, 'da')} km).",
        f"Car/motorcycle km with the employer in {year} before this trip: {text.km(before, 'en')} "
        f"(the high rate covers the first {text.number(TIER_KM, 0, 'en')} km).",
    )


def _part_line(part: Part, authorisation: Authorisation | None, year: int) -> Message:
    since_da = f"sats gældende fra {text.day(part.rate.effective_from, 'da')}"
    since_en = f"rate in force from {text.day(part.rate.effective_from, 'en')}"
    sum_da = f"{text.km(part.km, 'da')} × {text.kr(part.rate.kr_per_km, 'da')} = {text.kr(part.amount, 'da')}"
    sum_en = f"{text.km(part.km, 'en')} × {text.kr(part.rate.kr_per_km, 'en')} = {text.kr(part.amount, 'en')}"
    kind = part.rate.kind
    if kind is RateKind.BICYCLE:
        return Message(
            "rate_bicycle",
            f"Cykel/knallert: {sum_da} ({since_da}).",
            f"Bicycle/moped: {sum_en} ({since_en}).",
        )
    if kind is HIGH_RATE and authorisation is not None:
        ref = f" {authorisation.reference}" if authorisation.reference else ""
        return Message(
            "rate_high",
            f"Høj takst: {sum_da} (de første {text.number(TIER_KM, 0, 'da')} km i {year}, kørselsbemyndigelse{ref}; {since_da}).",
            f"High rate: {sum_en} (the first {text.number(TIER_KM, 0, 'en')} km in {year}, driving authorisation{ref}; {since_en}).",
        )
    if authorisation is None:
        return Message(
            "rate_low",
            f"Lav takst: {sum_da} (ingen kørselsbemyndigelse dækker turen; {since_da}).",
            f"Low rate: {sum_en} (no driving authorisation covers the trip; {since_en}).",
        )
    return Message(
        "rate_low",
        f"Lav takst: {sum_da} (over {text.number(TIER_KM, 0, 'da')} km i {year}; {since_da}).",
        f"Low rate: {sum_en} (above {text.number(TIER_KM, 0, 'en')} km in {year}; {since_en}).",
    )
