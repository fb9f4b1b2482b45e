"""A stand-in's period (stedfortræder): the rules for setting and changing it. Plain Python.

A leader names a stand-in (stedfortræder) for a date range, e.g. a holiday: in that range the items
waiting for the leader go to the stand-in, who decides "on behalf of" the leader. Source: issue 16
("Stand-in for a date range"), following the usual municipal practice that a delegation is fixed
in advance and cannot be rewritten afterwards:

- a period runs from `starts` to `ends`, both days included, at most `MAX_DAYS` long;
- it cannot start in the past (decisions already made were the leader's own);
- once it has started, only its end date can change, and not to a day before today (what the
  stand-in decided stays theirs);
- a period that has not started yet may be changed freely or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MAX_DAYS = 366
"""The longest period, days: a stand-in covers an absence, not a permanent change of leader."""


class PeriodRefused(ValueError):
    """A period, or a change to one, that the rules refuse; `da`/`en` say why."""

    def __init__(self, da: str, en: str) -> None:
        super().__init__(da)
        self.da, self.en = da, en


@dataclass(frozen=True)
class Period:
    """From `starts` to `ends`, both days included (Danish dates)."""

    starts: date
    ends: date

    def covers(self, day: date) -> bool:
        return self.starts <= day <= self.ends

    def started(self, today: date) -> bool:
        return self.starts <= today


def check_new(period: Period, today: date) -> None:
    """A new period; raises PeriodRefused when it ends before it starts, starts in the past or is too long."""
    if period.ends < period.starts:
        raise PeriodRefused("Slutdatoen ligger før startdatoen.", "The end date is before the start date.")
    if period.starts < today:
        raise PeriodRefused("Perioden kan ikke begynde i fortiden.", "The period cannot start in the past.")
    if (period.ends - period.starts).days + 1 > MAX_DAYS:
        raise PeriodRefused(
            f"En periode kan højst vare {MAX_DAYS} dage.", f"A period can last at most {MAX_DAYS} days."
        )


def check_change(old: Period, new: Period, today: date) -> None:
    """A change to a period; once it has started only the end date may change, and not to before today."""
    if not old.started(today):
        check_new(new, today)
        return
    if new.starts != old.starts:
        raise PeriodRefused(
            "Perioden er begyndt: kun slutdatoen kan ændres.",
            "The period has started: only its end date can change.",
        )
    if new.ends < today:
        raise PeriodRefused("Slutdatoen kan ikke ligge før i dag.", "The end date cannot be before today.")
    if (new.ends - new.starts).days + 1 > MAX_DAYS:
        raise PeriodRefused(
            f"En periode kan højst vare {MAX_DAYS} dage.", f"A period can last at most {MAX_DAYS} days."
        )


def check_withdraw(period: Period, today: date) -> None:
    """Withdrawing a period: only before it starts (afterwards, end it today instead)."""
    if period.started(today):
        raise PeriodRefused(
            "Perioden er begyndt og kan ikke slettes; sæt slutdatoen til i dag.",
            "The period has started and cannot be deleted; set its end date to today.",
        )
