"""A trip across midnight: its paid km split between the two days by the driving time.

Sources (domain-rules.md §1):
- Each km is paid at the rate in force on the day it is driven: Skatterådet sets the rates per calendar
  year and may change them inside one, with effect for driving from a date ("Godtgørelse for almindelig
  godkendt kørsel med bil udgør fra 1. maj 2022 2,17 kr. pr. km", efterskolerne.dk, Juni 2022,
  Kørselstakster; crowe.com/dk/news/befordring), and the 20,000 km count belongs to the calendar year
  (info.skat.dk oid=112638). So a trip from 31 December into 1 January is paid partly at each year's
  rates and counts partly towards each year's 20,000 km.
- A trip records its total km and, optionally, when it set off and arrived. Where the km at midnight are
  not known, Felt splits them in proportion to the driving minutes before and after midnight (an even
  pace: Felt's reading, no rule prescribes it). The form says so; who knows the exact km logs two trips.

The trip keeps its one date (the day it set off) for everything else: the 60-day rule, the home
deduction and the payroll month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from backend.features.mileage.rules import text
from backend.features.mileage.rules.text import Message

MINUTES_PER_DAY = 24 * 60


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class MidnightSplit:
    """The km before and after midnight (km, one decimal) and the driving minutes on each side."""

    shares: tuple[tuple[date, Decimal], tuple[date, Decimal]]
    minutes_before: int
    minutes_after: int

    def message(self) -> Message:
        (first, km1), (second, km2) = self.shares
        new_year_da = f" ind i {second.year}" if second.year != first.year else ""
        new_year_en = f" into {second.year}" if second.year != first.year else ""
        return Message(
            "midnight_split",
            f"Turen gik over midnat{new_year_da}: {self.minutes_before} min kørsel før og {self.minutes_after} min "
            f"efter, så km deles efter køretiden: {text.km(km1, 'da')} {text.day(first, 'da')} og "
            f"{text.km(km2, 'da')} {text.day(second, 'da')}, hver til satsen for sin dag.",
            f"The trip ran past midnight{new_year_en}: {self.minutes_before} min of driving before and "
            f"{self.minutes_after} min after, so the km are split by the driving time: {text.km(km1, 'en')} on "
            f"{text.day(first, 'en')} and {text.km(km2, 'en')} on {text.day(second, 'en')}, each at its day's rate.",
        )


def split_at_midnight(day: date, km: Decimal, start: time | None, end: time | None) -> MidnightSplit | None:
    """The split of `km` driven from `start` on `day` to `end` the next day, or None when the trip does not
    cross midnight (no times given, arrival after departure, or arrival at exactly 00:00)."""
    if start is None or end is None or end >= start or _minutes(end) == 0:
        return None
    before = MINUTES_PER_DAY - _minutes(start)
    after = _minutes(end)
    first = (km * before / (before + after)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return MidnightSplit(((day, first), (day + timedelta(days=1), km - first)), before, after)
