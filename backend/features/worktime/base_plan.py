"""A base plan (grundplan) of N weeks rolled out over dates: which person is on which shift type on
which day of the published plan.

Rudersdal (KL's case catalogue, seed 004 case 13) lays a base plan of 8 weeks that repeats; N is a
unit setting. Week 0 of the base plan starts on the Monday `anchor`; any date's base-plan week is the
whole weeks since the anchor modulo N (dates before the anchor count backwards the same way).

The plan holds wall-clock times, never durations: each occurrence is placed on the clock of its own
date (worktime.wallclock.place), so a 07:00 shift stays 07:00 across a daylight-saving change and a
night across the change lasts 7 or 9 hours. Rolling out only lists occurrences; what already exists
and what the rules refuse is decided by the caller, shift by shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_WEEKS = 26
MAX_DAYS = 26 * 7
"""The longest roll-out at once (half a year): longer ones are split by the planner."""


@dataclass(frozen=True)
class Slot:
    """In base-plan week `week` (0 … N−1), on `weekday` (0 Monday … 6 Sunday), person `employee` is on
    shift type `shift_type` (its name)."""

    week: int
    weekday: int
    employee: int
    shift_type: str


@dataclass(frozen=True)
class Occurrence:
    """A slot on a real date."""

    day: date
    employee: int
    shift_type: str


def week_of(anchor: date, weeks: int, day: date) -> int:
    """The base-plan week (0 … weeks−1) holding `day`."""
    return ((day - anchor).days // 7) % weeks


def problems(anchor: date, weeks: int, slots: list[Slot]) -> tuple[str, str] | None:
    """Why a base plan cannot be kept (Danish, English), or None."""
    if anchor.weekday() != 0:
        return ("Grundplanen skal begynde en mandag.", "The base plan must begin on a Monday.")
    if not 1 <= weeks <= MAX_WEEKS:
        return (
            f"En grundplan har 1–{MAX_WEEKS} uger.",
            f"A base plan has 1–{MAX_WEEKS} weeks.",
        )
    for s in slots:
        if not 0 <= s.week < weeks or not 0 <= s.weekday <= 6:
            return (
                f"Uge {s.week + 1}, dag {s.weekday + 1} ligger uden for grundplanens {weeks} uger.",
                f"Week {s.week + 1}, day {s.weekday + 1} is outside the base plan's {weeks} weeks.",
            )
    return None


def occurrences(anchor: date, weeks: int, slots: list[Slot], first: date, last: date) -> list[Occurrence]:
    """Every slot on every date from `first` to `last` inclusive, by date. Raises ValueError when the
    range is reversed or longer than MAX_DAYS."""
    if last < first or (last - first).days >= MAX_DAYS:
        raise ValueError(f"a roll-out covers 1–{MAX_DAYS} days")
    by_day: dict[tuple[int, int], list[Slot]] = {}
    for s in slots:
        by_day.setdefault((s.week, s.weekday), []).append(s)
    out = []
    day = first
    while day <= last:
        for s in by_day.get((week_of(anchor, weeks, day), day.weekday()), []):
            out.append(Occurrence(day, s.employee, s.shift_type))
        day += timedelta(days=1)
    return out


def needed(anchor: date, weeks: int, slots: list[Slot], day: date) -> dict[str, int]:
    """How many people the base plan puts on each shift type on `day` (the staffing it expects)."""
    count: dict[str, int] = {}
    for s in slots:
        if s.week == week_of(anchor, weeks, day) and s.weekday == day.weekday():
            count[s.shift_type] = count.get(s.shift_type, 0) + 1
    return count
