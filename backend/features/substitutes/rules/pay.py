"""An entry's pay basis: hours worked, the minimum-time top-up, ulempetillæg, the hourly rate, the amount.

amount = (worked + top-up hours) × hourly rate + Σ supplements (kr, two decimals, rounded half up per
line). The top-up is ordinary time: it carries no supplement (the minimum-time texts, domain-rules.md
§3b, speak of pay, not of hours at a given time of day). A missing rate — the hourly wage, or a
supplement's — leaves the amount empty and says so; it is never paid as 0 (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from backend.features.substitutes.rules.profiles import Profile
from backend.features.worktime.supplements import SupplementTable, split
from backend.features.worktime.wallclock import minutes_between

ORE = Decimal("0.01")


def hours(minutes: int) -> Decimal:
    """Minutes as hours with two decimals (90 → 1.50)."""
    return (Decimal(minutes) / 60).quantize(ORE, ROUND_HALF_UP)


@dataclass(frozen=True)
class Problem:
    code: str
    da: str
    en: str

    def out(self) -> dict[str, str]:
        return {"code": self.code, "da": self.da, "en": self.en}


def worked_minutes(start: datetime, end: datetime, break_minutes: int) -> int:
    """Real minutes from start to end, less the unpaid break. Raises ValueError when the break is as
    long as the span or longer, or negative."""
    span = minutes_between(start, end)
    if break_minutes < 0 or break_minutes >= span:
        raise ValueError("the break must be shorter than the time worked")
    return span - break_minutes


def pay_basis(
    *,
    start: datetime,
    end: datetime,
    break_minutes: int,
    top_up_minutes: int,
    profile: Profile,
    table: SupplementTable | None,
    hourly_kr: Decimal | None,
    unit_name: str,
) -> dict[str, Any]:
    """The calc an entry shows and pays from (JSON-ready: amounts and hours as decimal strings).

    Keys: profile {key, da, en}; worked_minutes, hours, top_up_minutes, top_up_hours, top_up_rule
    (Danish/English, or None), paid_hours; hourly_kr (or None); base_amount; supplements [{kind, da,
    en, minutes, hours, rate, unit, amount, unverified}]; amount (None when a rate is missing);
    problems [{code, da, en}]."""
    worked = worked_minutes(start, end, break_minutes)
    parts = split(table, start, end, break_minutes) if table is not None else []
    problems: list[Problem] = []
    if hourly_kr is None:
        problems.append(
            Problem(
                "rate_missing",
                f"Der er ingen timeløn for {profile.name_da.lower()} på datoen; lønkontoret skal lægge den ind.",
                f"There is no hourly wage for {profile.name_en} on this date; payroll must enter it.",
            )
        )
    supplements: list[dict[str, Any]] = []
    amounts: list[Decimal | None] = []
    for p in parts:
        amount = p.amount(hourly_kr)
        amounts.append(amount)
        if p.rate is None:
            problems.append(
                Problem(
                    "supplement_rate_missing",
                    f"{p.name_da}: satsen mangler; lønkontoret skal lægge den ind.",
                    f"{p.name_en}: the rate is missing; payroll must enter it.",
                )
            )
        supplements.append(
            {
                "kind": p.kind,
                "da": p.name_da,
                "en": p.name_en,
                "minutes": p.minutes,
                "hours": str(hours(p.minutes)),
                "rate": None if p.rate is None else str(p.rate),
                "unit": p.unit,
                "amount": None if amount is None else str(amount),
                "unverified": p.unverified,
            }
        )
    paid = worked + top_up_minutes
    base = None if hourly_kr is None else (Decimal(paid) / 60 * hourly_kr).quantize(ORE, ROUND_HALF_UP)
    total = None
    if base is not None and None not in amounts:
        total = base + sum((a for a in amounts if a is not None), Decimal(0))
    per = "pr. tilkald" if profile.minimum_per == "call_in" else "pr. arbejdsdag"
    per_en = "per call-in" if profile.minimum_per == "call_in" else "per working day"
    rule = (
        {
            "da": f"Hævet til mindst {hours(profile.minimum_minutes)} timer {per} ({profile.name_da}).",
            "en": f"Raised to at least {hours(profile.minimum_minutes)} hours {per_en} ({profile.name_en}).",
        }
        if top_up_minutes
        else None
    )
    return {
        "profile": {"key": profile.key, "da": profile.name_da, "en": profile.name_en},
        "unit_name": unit_name,
        "worked_minutes": worked,
        "hours": str(hours(worked)),
        "top_up_minutes": top_up_minutes,
        "top_up_hours": str(hours(top_up_minutes)),
        "top_up_rule": rule,
        "paid_hours": str(hours(paid)),
        "hourly_kr": None if hourly_kr is None else str(hourly_kr),
        "base_amount": None if base is None else str(base),
        "supplements": supplements,
        "amount": None if total is None else str(total),
        "problems": [p.out() for p in problems],
    }
