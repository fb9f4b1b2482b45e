"""Daily rest (11-timers-reglen) and the weekly day off (ugentligt fridøgn), on real instants.

Sources:
- Daily rest: BEK nr. 324 af 23/05/2002 om hvileperiode og fridøgn m.v. § 3 — "inden for hver
  periode på 24 timer en hvileperiode på mindst 11 sammenhængende timer"; Arbejdstilsynet,
  "Hvileperiode — beregning" (at.dk): the 24 hours are counted back from any moment of work, so it
  is a ROLLING 24 hours, not the calendar day, and a working period (first start to last end with no
  11-hour rest in between) may last at most 24 − 11 = 13 hours. domain-rules.md §3.
- Reduced rest: the same BEK § 4 lets an agreement cut the rest to 8 hours; the KL/BUPL/FOA daycare
  working-time agreement allows it "undtagelsesvis", without the employee's consent at most once a
  week (domain-rules.md §3). Both numbers are a per-unit `RestProfile` (data), not code.
  NOT VERIFIED against the agreement's own text: that "once a week" means a calendar week (Monday to
  Sunday, Copenhagen) — that is how it is counted here.
- Weekly day off: BEK 324/2002 § 7 and at.dk "Ugentligt fridøgn": in every 7 days a 24-hour day off
  adjoining a daily rest, i.e. 35 consecutive hours; local agreements may spread it over up to 12
  days (§ 9, domain-rules.md §3) — `weekly_window_days` in the profile. By the same counting-back as
  the daily rest, in a 7-day window the working stretch between two 35-hour rests may last at most
  7 × 24 − 35 = 133 hours.

Equivalence used (why spans, not sliding windows): a 24-hour window ending at any moment of work
contains 11 hours of rest exactly when the working period around that moment, bounded by rests of at
least 11 hours, is no longer than 13 hours (the worst window ends at the period's end). So the rule is
checked in one pass over the sorted work, and each breach is one working period with its numbers.

Time unknown to the caller (before the first and after the last piece of work it passes) counts as
rest. To check one change, pass the person's work from `weekly_window_days` + 1 days before to as
long after it, and keep the breaches that `touches` the change.

All instants are aware datetimes; arithmetic happens in UTC (see `wallclock`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from backend.features.worktime.wallclock import local

HOUR = 60


@dataclass(frozen=True)
class Work:
    """One piece of work: aware `start` < `end`; `ref` names it for the caller (a shift's id)."""

    start: datetime
    end: datetime
    ref: str = ""


@dataclass(frozen=True)
class RestProfile:
    """A unit's rest rules, in minutes (defaults: the law without exceptions).

    `reduced_rest` (e.g. 480 = 8 hours) is the shortest daily rest an agreement allows as an
    exception, at most `reduced_per_week` times per calendar week; None allows none.
    """

    daily_rest: int = 11 * HOUR
    reduced_rest: int | None = None
    reduced_per_week: int = 0
    weekly_rest: int = 35 * HOUR
    weekly_window_days: int = 7


@dataclass(frozen=True)
class Breach:
    """One working period that breaks a rule.

    `rule` is "daily_rest" or "weekly_rest"; `span_start`/`span_end` the working period (aware UTC);
    `span_minutes` its length and `max_span_minutes` the most the rule allows; `rest_start`/`rest_end`
    the longest rest inside it (None when there is none), `rest_minutes` its length, `required_rest`
    what the rule asks for; `refs` the work inside the period.
    """

    rule: str
    span_start: datetime
    span_end: datetime
    span_minutes: int
    max_span_minutes: int
    rest_start: datetime | None
    rest_end: datetime | None
    rest_minutes: int
    required_rest: int
    refs: tuple[str, ...]

    def touches(self, start: datetime, end: datetime) -> bool:
        """Whether the period overlaps or adjoins [start, end] (a change there is part of it)."""
        return _utc(start) <= self.span_end and _utc(end) >= self.span_start

    def words(self, language: str = "da") -> str:
        """The rule and the numbers in words, e.g. "11-timers-reglen: kun 8 t hvile fra man. 23:00
        til tir. 07:00 (mindst 11 t i hvert døgn)"."""
        return explain(self, language)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: work must be placed on a clock (see wallclock.place)")
    return moment.astimezone(UTC)


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def _merged(work: list[Work]) -> list[tuple[datetime, datetime, tuple[str, ...]]]:
    """Work sorted and merged where pieces overlap or touch (a rest of 0 minutes is no rest)."""
    pieces = sorted((_utc(w.start), _utc(w.end), w.ref) for w in work)
    merged: list[tuple[datetime, datetime, tuple[str, ...]]] = []
    for start, end, ref in pieces:
        if end <= start:
            raise ValueError(f"work {ref!r} ends before it starts")
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), (*last[2], ref))
        else:
            merged.append((start, end, (ref,)))
    return merged


def _week(moment: datetime) -> tuple[int, int]:
    iso = local(moment).isocalendar()
    return iso.year, iso.week


def _periods(
    blocks: list[tuple[datetime, datetime, tuple[str, ...]]], is_rest: list[bool]
) -> list[tuple[int, int]]:
    """Index ranges [i, j] of blocks forming one working period (split where the gap after i is rest)."""
    periods: list[tuple[int, int]] = []
    first = 0
    for i in range(len(blocks)):
        if i == len(blocks) - 1 or is_rest[i]:
            periods.append((first, i))
            first = i + 1
    return periods


def _breach(
    rule: str,
    blocks: list[tuple[datetime, datetime, tuple[str, ...]]],
    first: int,
    last: int,
    max_span: int,
    required: int,
) -> Breach:
    start, end = blocks[first][0], blocks[last][1]
    gaps = [(blocks[k][1], blocks[k + 1][0]) for k in range(first, last)]
    longest = max(gaps, key=lambda g: g[1] - g[0], default=None)
    refs = tuple(ref for block in blocks[first : last + 1] for ref in block[2])
    return Breach(
        rule=rule,
        span_start=start,
        span_end=end,
        span_minutes=_minutes(start, end),
        max_span_minutes=max_span,
        rest_start=longest[0] if longest else None,
        rest_end=longest[1] if longest else None,
        rest_minutes=_minutes(*longest) if longest else 0,
        required_rest=required,
        refs=refs,
    )


def daily_rest_breaches(work: list[Work], profile: RestProfile = RestProfile()) -> list[Breach]:
    """Every working period longer than 24 h − the daily rest (13 h by law) — BEK 324/2002 § 3.

    A rest of at least `profile.reduced_rest` but under the daily rest still ends a period while the
    calendar week (of the rest's start) has an exception left; beyond that it is a breach.
    Raises ValueError for naive datetimes or work ending before it starts.
    """
    blocks = _merged(work)
    max_span = 24 * HOUR - profile.daily_rest
    used: dict[tuple[int, int], int] = {}
    is_rest = []
    for k in range(len(blocks) - 1):
        gap = _minutes(blocks[k][1], blocks[k + 1][0])
        rest = gap >= profile.daily_rest
        if not rest and profile.reduced_rest is not None and gap >= profile.reduced_rest:
            week = _week(blocks[k][1])
            if used.get(week, 0) < profile.reduced_per_week:
                used[week] = used.get(week, 0) + 1
                rest = True
        is_rest.append(rest)
    is_rest.append(True)
    breaches = []
    for first, last in _periods(blocks, is_rest):
        if _minutes(blocks[first][0], blocks[last][1]) > max_span:
            breaches.append(_breach("daily_rest", blocks, first, last, max_span, profile.daily_rest))
    return breaches


def weekly_rest_breaches(work: list[Work], profile: RestProfile = RestProfile()) -> list[Breach]:
    """Every stretch between two weekly rests (35 h) longer than the window (7 days) − 35 h = 133 h —
    BEK 324/2002 § 7 (at.dk "Ugentligt fridøgn"). Raises ValueError as `daily_rest_breaches`."""
    blocks = _merged(work)
    max_span = profile.weekly_window_days * 24 * HOUR - profile.weekly_rest
    is_rest = [
        _minutes(blocks[k][1], blocks[k + 1][0]) >= profile.weekly_rest for k in range(len(blocks) - 1)
    ]
    is_rest.append(True)
    return [
        _breach("weekly_rest", blocks, first, last, max_span, profile.weekly_rest)
        for first, last in _periods(blocks, is_rest)
        if _minutes(blocks[first][0], blocks[last][1]) > max_span
    ]


def breaches(work: list[Work], profile: RestProfile = RestProfile()) -> list[Breach]:
    """Daily and weekly rest breaches together, in time order."""
    found = daily_rest_breaches(work, profile) + weekly_rest_breaches(work, profile)
    return sorted(found, key=lambda b: (b.span_start, b.rule))


# --- words -----------------------------------------------------------------------------------------

_DAYS = {
    "da": ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def hours_text(minutes: int, language: str = "da") -> str:
    """Minutes as hours in words: 480 → "8 t" ("8 h"), 510 → "8,5 t" ("8.5 h")."""
    value = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return f"{value.replace('.', ',')} t" if language == "da" else f"{value} h"


def moment_text(moment: datetime, language: str = "da", *, dated: bool = False) -> str:
    """An instant on the Copenhagen clock with its weekday: "man. 23:00" / "Mon 23:00"; `dated` adds
    the day and month ("man. 7/12 23:00"), for spans longer than a week."""
    wall = local(moment)
    day = f" {wall.day}/{wall.month}" if dated else ""
    return f"{_DAYS.get(language, _DAYS['da'])[wall.weekday()]}{day} {wall:%H:%M}"


def day_text(day: date, language: str = "da") -> str:
    """A date with its weekday: "man. 8/12" / "Mon 8/12"."""
    return f"{_DAYS.get(language, _DAYS['da'])[day.weekday()]} {day.day}/{day.month}"


def explain(breach: Breach, language: str = "da") -> str:
    """The breach in words (Danish, or English for "en"), naming the rule and its numbers."""
    da = language != "en"
    h = lambda m: hours_text(m, "da" if da else "en")  # noqa: E731
    t = lambda m: moment_text(m, "da" if da else "en")  # noqa: E731
    span = f"{t(breach.span_start)}–{t(breach.span_end)}"
    if breach.rule == "daily_rest":
        name = "11-timers-reglen" if da else "The 11-hour rule"
        if breach.required_rest != 11 * HOUR:
            name = (
                f"Hviletid ({h(breach.required_rest)})" if da else f"Daily rest ({h(breach.required_rest)})"
            )
        if breach.rest_start is not None and breach.rest_end is not None:
            rest = (
                f"kun {h(breach.rest_minutes)} hvile fra {t(breach.rest_start)} til {t(breach.rest_end)}"
                if da
                else f"only {h(breach.rest_minutes)} rest from {t(breach.rest_start)} to {t(breach.rest_end)}"
            )
        else:
            rest = "ingen hvile" if da else "no rest"
        return (
            f"{name}: {rest}; arbejdsperioden {span} er {h(breach.span_minutes)} "
            f"(mindst {h(breach.required_rest)} hvile i hvert døgn, højst {h(breach.max_span_minutes)} i træk)"
            if da
            else f"{name}: {rest}; the working period {span} is {h(breach.span_minutes)} "
            f"(at least {h(breach.required_rest)} rest in every 24 hours, at most "
            f"{h(breach.max_span_minutes)} in a row)"
        )
    span = f"{moment_text(breach.span_start, language, dated=True)}–{moment_text(breach.span_end, language, dated=True)}"
    days = (breach.max_span_minutes + breach.required_rest) // (24 * HOUR)
    longest = (
        (f"; længste hvile {h(breach.rest_minutes)}" if da else f"; longest rest {h(breach.rest_minutes)}")
        if breach.rest_start
        else ""
    )
    return (
        f"Ugentligt fridøgn: ingen {h(breach.required_rest)} fri i træk i {span} "
        f"({h(breach.span_minutes)}; højst {h(breach.max_span_minutes)} mellem to fridøgn, et i hver {days}. døgn)"
        f"{longest}"
        if da
        else f"Weekly day off: no {h(breach.required_rest)} off in a row in {span} "
        f"({h(breach.span_minutes)}; at most {h(breach.max_span_minutes)} between two days off, one in every "
        f"{days} days){longest}"
    )
