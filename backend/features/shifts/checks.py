"""The checks every change to a shift meets, in plain Python (no database): its shape, overlaps with
the person's other shifts, and the rest rules (backend.features.worktime.rest, cited there).

A shift is a date and two Copenhagen wall-clock times "HH:MM"; an end at or before the start ends the
next day (a night). Its real length counts daylight-saving changes (worktime.wallclock).

- Length: more than 0 and at most 16 hours (`MAX_SHIFT_MINUTES`): a longer one is a typing error
  (no rule allows it: the 11-hour rule caps a working period at 13 hours).
- The unpaid break must be shorter than the shift.
- A person cannot be on two shifts at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from backend.features.worktime.rest import RestProfile, Work, breaches, hours_text, moment_text
from backend.features.worktime.wallclock import minutes_between, place

MAX_SHIFT_MINUTES = 16 * 60
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class Finding:
    """What a check found: `rule` ("length", "break", "overlap", "daily_rest", "weekly_rest", "norm_band",
    …) and words."""

    rule: str
    da: str
    en: str

    def out(self) -> dict[str, str]:
        return {"rule": self.rule, "da": self.da, "en": self.en}


class BadShift(ValueError):
    """A shift that cannot be placed on the clock at all; `finding` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.en)
        self.finding = finding


def clock_time(value: str) -> time:
    """ "HH:MM" → time; raises BadShift for anything else."""
    if not isinstance(value, str) or not CLOCK.match(value):
        raise BadShift(
            Finding(
                "length",
                f"Ugyldigt klokkeslæt: {value!r} (brug TT:MM).",
                f"Invalid time: {value!r} (use HH:MM).",
            )
        )
    return time.fromisoformat(value)


def placed(day: date, start: str, end: str, break_minutes: int, ref: str = "") -> Work:
    """The shift as real instants; raises BadShift when it is 0 minutes, over 16 hours, or its break is
    as long as the shift."""
    begin, finish = place(day, clock_time(start), clock_time(end))
    minutes = minutes_between(begin, finish)
    if start == end or minutes <= 0:
        raise BadShift(
            Finding(
                "length", "En vagt skal vare mere end 0 minutter.", "A shift must last more than 0 minutes."
            )
        )
    if minutes > MAX_SHIFT_MINUTES and end < start:
        raise BadShift(
            Finding(
                "length",
                f"Vagten slutter ({end}) før den begynder ({start}); som nattevagt til næste dag ville den "
                f"vare {hours_text(minutes)}, og en vagt må højst vare {hours_text(MAX_SHIFT_MINUTES)}.",
                f"The shift ends ({end}) before it begins ({start}); as a night into the next day it would "
                f"last {hours_text(minutes, 'en')}, and a shift may last at most {hours_text(MAX_SHIFT_MINUTES, 'en')}.",
            )
        )
    if minutes > MAX_SHIFT_MINUTES:
        raise BadShift(
            Finding(
                "length",
                f"En vagt må højst vare {hours_text(MAX_SHIFT_MINUTES)}; denne varer {hours_text(minutes)}.",
                f"A shift may last at most {hours_text(MAX_SHIFT_MINUTES, 'en')}; this one lasts {hours_text(minutes, 'en')}.",
            )
        )
    if not 0 <= break_minutes < minutes:
        raise BadShift(
            Finding(
                "break", "Pausen skal være kortere end vagten.", "The break must be shorter than the shift."
            )
        )
    return Work(begin, finish, ref)


def paid_minutes(work: Work, break_minutes: int) -> int:
    """Real minutes of the shift less its unpaid break."""
    return minutes_between(work.start, work.end) - break_minutes


def overlaps(candidate: Work, others: list[Work]) -> list[Finding]:
    """The person's other shifts that overlap this one."""
    found = []
    for other in others:
        if other.start < candidate.end and candidate.start < other.end:
            span = lambda w, lang: f"{moment_text(w.start, lang)}–{moment_text(w.end, lang)}"  # noqa: E731
            found.append(
                Finding(
                    "overlap",
                    f"Overlapper en anden vagt for samme person ({span(other, 'da')}).",
                    f"Overlaps another shift of the same person ({span(other, 'en')}).",
                )
            )
    return found


def rest_findings(candidate: Work, others: list[Work], profile: RestProfile = RestProfile()) -> list[Finding]:
    """Rest breaches in the working periods this shift is part of (old breaches elsewhere are not its)."""
    return [
        Finding(b.rule, b.words("da"), b.words("en"))
        for b in breaches([*others, candidate], profile)
        if b.touches(candidate.start, candidate.end)
    ]


def band_finding(after: int, band: int, first: date, last: date) -> Finding:
    """The flex band refused in words with the numbers: "Normbånd: med vagten +23,5 t over normen i
    normperioden 7/12–28/2, højst +20 t." (`after`: the projection in minutes with the shift; worktime.norm
    .over_band_with)."""
    span = f"{first.day}/{first.month}–{last.day}/{last.month}"
    return Finding(
        "norm_band",
        f"Normbånd: med vagten +{hours_text(after)} over normen i normperioden {span}, "
        f"højst +{hours_text(band)}.",
        f"Norm band: with the shift +{hours_text(after, 'en')} over the norm in the norm period {span}, "
        f"at most +{hours_text(band, 'en')}.",
    )


def check(candidate: Work, others: list[Work], profile: RestProfile = RestProfile()) -> list[Finding]:
    """Everything that stops this shift: overlaps first (then rest is not meaningful), else rest breaches."""
    return overlaps(candidate, others) or rest_findings(candidate, others, profile)


def utc_text(moment: datetime) -> str:
    """An instant as ISO 8601 in UTC (what the phone gets to show in its own clock)."""
    return moment.isoformat()
