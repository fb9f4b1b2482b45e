"""The municipality's deadline for substitutes' hours (indberetningsfrist).

Hours worked in a month are due by a day of the next month at a time of day (e.g. the 5th at 16:00);
an entry registered after that goes with a later payroll — the one after the month the deadline fell
in — and says so; an entry for a month further back than the municipality allows (e.g. 2 months) is
refused with the reason. Source: domain-rules.md §3b (randers.dk, MinLøn instructions: "the 5th of the
month for last month, at most 2 months back"); the figures are each municipality's data, defaults in
deadline_default.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from backend.features.worktime.wallclock import at, local, parse_clock

DEFAULT_FILE = Path(__file__).with_name("deadline_default.json")
MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Deadline:
    """Hours of month M are due by `day_of_next_month` of M+1 at `clock` minutes after midnight
    (Copenhagen); months more than `max_months_back` before today's month are closed."""

    day_of_next_month: int
    clock: int
    max_months_back: int

    def __post_init__(self) -> None:
        if not 1 <= self.day_of_next_month <= 28 or self.max_months_back < 0:
            raise ValueError("the deadline's day must be 1–28 and the months back ≥ 0")


@cache
def default() -> Deadline:
    raw = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    return Deadline(int(raw["day_of_next_month"]), parse_clock(raw["clock"]), int(raw["max_months_back"]))


def _month(day: date, plus: int) -> date:
    index = day.year * 12 + day.month - 1 + plus
    return date(index // 12, index % 12 + 1, 1)


def due(rule: Deadline, worked: date) -> datetime:
    """When the hours of `worked`'s month are due (aware, Copenhagen)."""
    return at(_month(worked, 1).replace(day=rule.day_of_next_month), rule.clock)


def month_words(month: date) -> tuple[str, str]:
    return f"{MONTHS_DA[month.month - 1]} {month.year}", f"{MONTHS_EN[month.month - 1]} {month.year}"


def _when(moment: datetime) -> tuple[str, str]:
    m = local(moment)
    return (
        f"{m.day}. {MONTHS_DA[m.month - 1]} kl. {m:%H:%M}",
        f"{m.day} {MONTHS_EN[m.month - 1]} at {m:%H:%M}",
    )


def too_old(rule: Deadline, worked: date, now: datetime) -> tuple[str, str] | None:
    """(Danish, English) why an entry for `worked` can no longer be registered at `now`, or None."""
    today = local(now).date()
    back = (today.year * 12 + today.month) - (worked.year * 12 + worked.month)
    if back <= rule.max_months_back:
        return None
    da, en = month_words(_month(worked, 0))
    return (
        f"For gammel: timer for {da} kan ikke registreres længere (højst {rule.max_months_back} måneder tilbage). Kontakt lønkontoret.",
        f"Too old: hours for {en} can no longer be registered (at most {rule.max_months_back} months back). Contact payroll.",
    )


def status(rule: Deadline, worked: date, registered: datetime) -> dict[str, object]:
    """The deadline as an entry shows it: {"due": ISO time, "da", "en", "late": bool}.

    On time: "Frist: 5. december kl. 16:00". Late: which payroll it goes to instead — the one for the
    month after the month the deadline fell in."""
    deadline = due(rule, worked)
    when_da, when_en = _when(deadline)
    if registered <= deadline:
        return {
            "due": deadline.isoformat(),
            "late": False,
            "da": f"Frist: {when_da}.",
            "en": f"Deadline: {when_en}.",
        }
    later_da, later_en = month_words(_month(local(deadline).date(), 1))
    return {
        "due": deadline.isoformat(),
        "late": True,
        "da": f"Registreret efter fristen {when_da}: kommer med lønnen for {later_da}.",
        "en": f"Registered after the deadline {when_en}: goes with the payroll for {later_en}.",
    }
