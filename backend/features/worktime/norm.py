"""Norm hours over a normperiode, absences' credit, and the balance against the flex band.

A *normperiode* is the span over which an employee's hours must average the agreed weekly hours (37
full time). Sources and worked example: domain-rules.md §3 and §3b (KL's working-time agreements as
summarised by FOA/BUPL; seed 004 case 13 for Rudersdal's ±20 hours over 12 weeks):

- Norm = (weekdays in the period − public holidays on a weekday) × 7.4 hours, pro rata for part
  time (weekly hours / 37). A holiday on a Sunday reduces nothing. Days an agreement also treats as
  days off (24/12 in KL's care agreement; 31/12 in some) and whether a holiday on a Saturday reduces
  the norm are per-agreement data (`NormProfile`), not code.
  Example: full time, 8 Dec 2025 – 4 Jan 2026 → 20 weekdays − 4 (24/12, 25/12, 26/12, 1/1) = 16 ×
  7.4 = 118.4 h; 30 h/week → 96.0 h.
- Absences (ferie, sygdom, omsorgsdag, kursus) count as worked time: each weekday of an absence that
  is not a day off credits the day's norm (7.4 h × weekly/37). NOT VERIFIED for every agreement:
  some credit the planned shift's hours instead; the credit per kind is data (`credit_days`).
- The balance (plus- og minustimer) is worked + credited − norm; the flex band (e.g. ±20 h) is a unit
  setting, checked on the projection to the period's end.

All figures are whole minutes (7.4 h = 444 min) so sums are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from backend.features.worktime.holidays_dk import is_public_holiday

FULL_TIME_WEEK = 37 * 60
"""Full-time weekly hours in minutes (37 h; KL's general working-time agreement)."""


@dataclass(frozen=True)
class NormProfile:
    """An agreement's norm rules: extra days off as (month, day) — e.g. ((12, 24),) — and whether a
    public holiday on a Saturday reduces the norm (by a weekday's norm)."""

    extra_days_off: tuple[tuple[int, int], ...] = ((12, 24),)
    saturday_holidays_reduce: bool = False
    weekly_full_time: int = FULL_TIME_WEEK


@dataclass(frozen=True)
class Absence:
    """An absence from `first` to `last` (inclusive); `kind` is ferie, sygdom, omsorgsdag or kursus."""

    kind: str
    first: date
    last: date


@dataclass(frozen=True)
class Balance:
    """A person's standing in a normperiode, in minutes: `norm` owed, `worked` (shifts done),
    `credited` (absences), `planned` (shifts still ahead), `balance` = worked + credited − norm so
    far … and `projected` = the same with the planned shifts, against the `band` (± minutes)."""

    norm: int
    worked: int
    credited: int
    planned: int
    band: int
    balance: int = field(init=False)
    projected: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "balance", self.worked + self.credited - self.norm)
        object.__setattr__(self, "projected", self.worked + self.credited + self.planned - self.norm)

    @property
    def outside_band(self) -> bool:
        """Whether the projection at the period's end is beyond ± the band."""
        return abs(self.projected) > self.band


def over_band_with(projected: int, added: int, band: int) -> int | None:
    """The flex band when someone takes on more work (a swap, an open shift): their projection at the
    period's end with `added` minutes more, when it lies above + `band` minutes; None when it stays
    within. Only the plus side: taking a shift cannot push anyone below the band. Source: seed 004
    case 13 (Rudersdal: each employee may be ±20 hours against the norm over the norm period; the
    band is a unit setting). Raises ValueError for negative `added` or `band`.

    >>> over_band_with(projected=1170, added=240, band=1200)
    1410
    >>> over_band_with(projected=-600, added=480, band=1200) is None
    True
    """
    if added < 0 or band < 0:
        raise ValueError("added minutes and the band cannot be negative")
    after = projected + added
    return after if after > band else None


def _days(first: date, last: date) -> list[date]:
    if last < first:
        raise ValueError("the period ends before it starts")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def is_day_off(day: date, profile: NormProfile = NormProfile()) -> bool:
    """A day that owes no norm: a weekend day, or a public holiday / agreed day off on a weekday."""
    if day.weekday() >= 5:
        return True
    return is_public_holiday(day) or (day.month, day.day) in profile.extra_days_off


def daily_norm(weekly_minutes: int) -> Fraction:
    """One weekday's norm in minutes for someone on `weekly_minutes` a week (444 full time)."""
    return Fraction(weekly_minutes, 5)


def norm_days(first: date, last: date, profile: NormProfile = NormProfile()) -> int:
    """Weekdays owing norm from `first` to `last` inclusive (a Saturday holiday takes one off when the
    agreement says so). Raises ValueError when `last` < `first`."""
    days = _days(first, last)
    owing = sum(1 for d in days if not is_day_off(d, profile))
    if profile.saturday_holidays_reduce:
        owing -= sum(1 for d in days if d.weekday() == 5 and is_public_holiday(d))
    return max(owing, 0)


def norm_minutes(
    first: date, last: date, weekly_minutes: int = FULL_TIME_WEEK, profile: NormProfile = NormProfile()
) -> int:
    """The norm in minutes for the period, pro rata: norm_days × weekly/5 (rounded to the minute).

    >>> norm_minutes(date(2025, 12, 8), date(2026, 1, 4)) / 60
    118.4
    """
    return round(norm_days(first, last, profile) * daily_norm(weekly_minutes))


def absence_credit(
    absences: list[Absence],
    first: date,
    last: date,
    weekly_minutes: int = FULL_TIME_WEEK,
    profile: NormProfile = NormProfile(),
    credit_kinds: frozenset[str] = frozenset({"ferie", "sygdom", "omsorgsdag", "kursus"}),
) -> int:
    """Minutes credited by absences inside [first, last]: the daily norm for each weekday that owes
    norm, once per day however many absences overlap it; kinds outside `credit_kinds` credit nothing."""
    credited: set[date] = set()
    for absence in absences:
        if absence.kind not in credit_kinds:
            continue
        for day in (
            _days(max(absence.first, first), min(absence.last, last))
            if absence.last >= first and absence.first <= last
            else []
        ):
            if not is_day_off(day, profile):
                credited.add(day)
    return round(len(credited) * daily_norm(weekly_minutes))


def periods(anchor: date, weeks: int, around: date) -> tuple[date, date]:
    """The normperiode of `weeks` weeks containing `around`, periods counted from `anchor` (a Monday
    the unit chose). Raises ValueError for weeks < 1."""
    if weeks < 1:
        raise ValueError("a normperiode is at least one week")
    length = 7 * weeks
    index = (around - anchor).days // length
    first = anchor + timedelta(days=index * length)
    return first, first + timedelta(days=length - 1)
