"""Ulempetillæg: the supplements for working evenings, nights, Saturdays, Sundays and public holidays.

*Ulempetillæg* ("inconvenience supplements") are paid on top of the hourly wage for hours worked in
the agreement's windows: in the KL area (FOA/KL and others) as a percent of the hourly wage — evening
17–23, night 23–06, Saturday 08–24, Sunday and public holidays 00–24 — and for daycare staff
(BUPL/FOA–KL) as kroner per hour from Saturday 06:00 to Monday 06:00. Sources: domain-rules.md §3
(foa.dk, FOA Randers "honorering jul og nytår" and OK24; fysio.dk "aften, nat, weekend og
helligdage"; lonberegner.sundhedskartellet.dk; bupl.dk løntabeller).

Rates change by date and differ per agreement, so they are data: `supplement_tables.json`, one table
per agreement with dated periods; a table's kinds, windows and how overlapping kinds combine are data
too. Figures marked `unverified`
there rest on one secondary source or were carried forward; the result carries that mark so a screen
can say it. Not verified and therefore not applied here: fysio.dk's "per started half hour" counting
(this module counts real minutes; shifts/pay.py rounds, as pay_tables.json says); regional agreements.

Special days (særlige dage), data of a table (`special_days`), cited in the file and marked unverified
there: for care staff (KL area) 24 December counts as a public holiday from the start of the day shift,
not for the night shift before it; 31 December, 1 May and 5 June are paid as a public holiday (50 %)
from 12:00 (domain-rules.md §3: foa.dk, FOA Randers "honorering jul og nytår"; kost.dk
regler-jul-og-nytaar). Some municipalities (Copenhagen, Frederiksberg) treat 31 December as a normal
day: a table without that day (`like` + `without`), chosen as data, not code.

"The start of the day shift" is read so (a decision, documented in the data as `day_shift_from`): the
day shift is a shift that begins on the day at or after the table's `day_shift_from` (06:00 in the KL
area, when its night window 23–06 ends). Such a shift — or any later one that day — is holiday-paid from
its start on 24/12; a shift that began before it (the night from 23/12 into 24/12) earns no 24/12
holiday minutes at all, not even after 06:00. The 12:00 days are plain windows: a shift 08–16 on 1 May
is holiday-paid from 12:00 to 16:00.

A span is split at every window boundary, at every midnight (day kinds and rate periods change
there) and classified by the Copenhagen wall clock; its length is real elapsed time, so a night
across a daylight-saving change counts 7 or 9 hours (wallclock.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from backend.features.worktime.holidays_dk import is_public_holiday
from backend.features.worktime.wallclock import at, local, minutes_between, parse_clock

TABLES_FILE = Path(__file__).with_name("supplement_tables.json")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY = "holiday"


def day_kind(day: date) -> str:
    """ "holiday" on a Danish public holiday, otherwise the weekday ("mon" … "sun")."""
    return HOLIDAY if is_public_holiday(day) else DAYS[day.weekday()]


@dataclass(frozen=True)
class Window:
    """Clock times [start, end) in minutes after midnight (end 1440 = 24:00) on the given day kinds."""

    days: frozenset[str]
    start: int
    end: int


@dataclass(frozen=True)
class Kind:
    key: str
    name_da: str
    name_en: str
    windows: tuple[Window, ...]

    def covers(self, day: date, minute_of_day: int) -> bool:
        kind = day_kind(day)
        return any(kind in w.days and w.start <= minute_of_day < w.end for w in self.windows)


@dataclass(frozen=True)
class Period:
    """The rates from `effective_from` on: kind → percent or kr per hour (None: missing)."""

    effective_from: date
    rates: Mapping[str, Decimal | None]
    unverified: frozenset[str]
    source: str


@dataclass(frozen=True)
class SpecialDay:
    """A date each year (`month`, `day`) paid as supplement kind `kind` from `opens` (minutes after
    midnight) to the day's end. `from_day_shift`: only for a shift that begins at or after `opens`
    (24/12 "from the start of the day shift"); otherwise a plain window (31/12 from 12:00)."""

    key: str
    month: int
    day: int
    kind: str
    opens: int
    from_day_shift: bool
    name_da: str
    name_en: str
    unverified: bool
    source: str

    def on(self, day: date) -> bool:
        return (day.month, day.day) == (self.month, self.day)


@dataclass(frozen=True)
class SupplementTable:
    """One agreement's supplements. `unit` is "percent" (of the hourly wage) or "kr_per_hour";
    `combine` is "highest" (one kind per minute, the highest rate) or "all" (every kind that applies)."""

    key: str
    name_da: str
    name_en: str
    source: str
    unit: str
    combine: str
    kinds: tuple[Kind, ...]
    periods: tuple[Period, ...]
    special_days: tuple[SpecialDay, ...] = ()

    def period(self, day: date) -> Period | None:
        """The period in force on `day`, or None before the first."""
        found = None
        for p in self.periods:
            if p.effective_from <= day:
                found = p
        return found


@dataclass(frozen=True)
class SupplementPart:
    """`minutes` of supplement `kind` at `rate` (percent or kr/h per the table's `unit`; None: the rate
    is missing and must be said, never paid as 0), from the period starting `effective_from`."""

    kind: str
    name_da: str
    name_en: str
    minutes: int
    rate: Decimal | None
    unit: str
    effective_from: date | None
    unverified: bool
    special: tuple[SpecialDay, ...] = ()
    """The special days (24/12, 31/12 …) whose minutes are in this part, to name them."""

    def amount(self, hourly_kr: Decimal | None) -> Decimal | None:
        """kr (two decimals) for this part at the hourly wage `hourly_kr`; None when a rate it needs
        is missing (the supplement's own rate, or the hourly wage for a percent)."""
        if self.rate is None:
            return None
        hours = Decimal(self.minutes) / 60
        if self.unit == "percent":
            if hourly_kr is None:
                return None
            value = hours * hourly_kr * self.rate / 100
        else:
            value = hours * self.rate
        return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _special_days(key: str, raw: Mapping[str, Any], kinds: tuple[Kind, ...]) -> tuple[SpecialDay, ...]:
    data = raw.get("special_days") or {}
    left_out = set(raw.get("without") or ())
    day_shift = parse_clock(data["day_shift_from"]) if "day_shift_from" in data else None
    found = []
    for entry in data.get("days") or ():
        if entry["key"] in left_out:
            continue
        month, day = (int(x) for x in str(entry["date"]).split("-"))
        date(2024, month, day)  # a real date (2024: a leap year), else ValueError
        from_day_shift = entry["from"] == "day_shift"
        if from_day_shift and day_shift is None:
            raise ValueError(f"supplement table {key}: {entry['key']} needs day_shift_from")
        if entry["kind"] not in {k.key for k in kinds}:
            raise ValueError(f"supplement table {key}: {entry['key']} pays an unknown kind")
        found.append(
            SpecialDay(
                key=entry["key"],
                month=month,
                day=day,
                kind=entry["kind"],
                opens=day_shift if from_day_shift and day_shift is not None else parse_clock(entry["from"]),
                from_day_shift=from_day_shift,
                name_da=entry["da"],
                name_en=entry["en"],
                unverified=bool(entry.get("unverified", True)),
                source=entry.get("source", ""),
            )
        )
    return tuple(found)


def _table(key: str, raw: Mapping[str, Any]) -> SupplementTable:
    kinds = tuple(
        Kind(
            key=k,
            name_da=v["da"],
            name_en=v["en"],
            windows=tuple(
                Window(frozenset(w["days"]), parse_clock(w["from"]), parse_clock(w["to"]))
                for w in v["windows"]
            ),
        )
        for k, v in raw["kinds"].items()
    )
    periods = tuple(
        sorted(
            (
                Period(
                    effective_from=date.fromisoformat(p["from"]),
                    rates={k: None if r is None else Decimal(str(r)) for k, r in p["rates"].items()},
                    unverified=frozenset(p.get("unverified", ())),
                    source=p.get("source", ""),
                )
                for p in raw["periods"]
            ),
            key=lambda p: p.effective_from,
        )
    )
    for w in (w for k in kinds for w in k.windows):
        if not w.start < w.end or not w.days <= {*DAYS, HOLIDAY}:
            raise ValueError(f"supplement table {key}: bad window {w}")
    if raw["unit"] not in ("percent", "kr_per_hour") or raw["combine"] not in ("highest", "all"):
        raise ValueError(f"supplement table {key}: unit or combine not understood")
    return SupplementTable(
        key=key,
        name_da=raw["name_da"],
        name_en=raw["name_en"],
        source=raw["source"],
        unit=raw["unit"],
        combine=raw["combine"],
        kinds=kinds,
        periods=periods,
        special_days=_special_days(key, raw, kinds),
    )


def _resolved(key: str, tables: Mapping[str, Any]) -> Mapping[str, Any]:
    """A table's data with `like` (another table's data, its own keys on top) worked out; `without`
    names special days of the other table this one leaves out (31/12 as a normal day)."""
    raw = tables[key]
    if "like" not in raw:
        return dict(raw)
    if raw["like"] == key or "like" in tables[raw["like"]]:
        raise ValueError(f"supplement table {key}: like must name a table that is not itself a like")
    return {**tables[raw["like"]], **{k: v for k, v in raw.items() if k != "like"}}


def load_tables(data: Mapping[str, Any] | None = None) -> dict[str, SupplementTable]:
    """The agreements' supplement tables: `data` in the form of supplement_tables.json, or the file. A
    table may be `like` another with some of its special days left out (`without`: their keys).

    Raises ValueError (or KeyError) when the data is not in that form."""
    if data is None:
        return dict(_shipped())
    return {key: _table(key, _resolved(key, data["tables"])) for key in data["tables"]}


@cache
def _shipped() -> Mapping[str, SupplementTable]:
    return load_tables(json.loads(TABLES_FILE.read_text(encoding="utf-8")))


def _boundaries(table: SupplementTable, start: datetime, end: datetime) -> list[datetime]:
    """Every moment in (start, end) at which a window opens or closes, or a day begins."""
    marks = {0, *(m for k in table.kinds for w in k.windows for m in (w.start, w.end % 1440))}
    marks |= {s.opens for s in table.special_days}
    first, last = local(start).date() - timedelta(days=1), local(end).date()
    points = {start, end}
    day = first
    while day <= last:
        for minute in marks:
            moment = at(day, minute)
            if start < moment < end:
                points.add(moment)
        day += timedelta(days=1)
    return sorted(points, key=lambda m: m.astimezone(UTC))


def split(
    table: SupplementTable, start: datetime, end: datetime, break_minutes: int = 0
) -> list[SupplementPart]:
    """The supplements for the span [start, end) (aware datetimes), per kind and rate period.

    Minutes in no window give no part. With `combine == "highest"` each minute counts for one kind
    only: the highest rate in force (a missing rate counts as highest, so it is reported, not lost).
    `break_minutes` is an unpaid break whose place in the span is not recorded: it is taken from the
    ordinary (unsupplemented) minutes first, then from the supplements in time order, so a break never
    earns a supplement (a convention for breaks recorded only as a length, not an agreement's text).
    Raises ValueError when the span is empty, reversed or naive, or the break negative."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("times must carry their time zone")
    if minutes_between(start, end) <= 0:
        raise ValueError("the span must end after it starts")
    if break_minutes < 0:
        raise ValueError("a break cannot be negative")
    totals: dict[tuple[str, date | None], int] = {}
    named: dict[tuple[str, date | None], set[SpecialDay]] = {}
    ordinary = 0
    points = _boundaries(table, start, end)
    for a, b in pairwise(points):
        minutes = minutes_between(a, b)
        if minutes <= 0:
            continue
        middle = local(a.astimezone(UTC) + (b.astimezone(UTC) - a.astimezone(UTC)) / 2)
        minute_of_day = middle.hour * 60 + middle.minute
        period = table.period(middle.date())
        kinds = [k for k in table.kinds if k.covers(middle.date(), minute_of_day)]
        special = special_days_at(table, start, middle.date(), minute_of_day)
        kinds += [k for k in table.kinds if k.key in {s.kind for s in special} and k not in kinds]
        if table.combine == "highest" and kinds:
            kinds = [max(kinds, key=lambda k: _rank(period, k.key))]
        ordinary += 0 if kinds else minutes
        for k in kinds:
            key = (k.key, period.effective_from if period else None)
            totals[key] = totals.get(key, 0) + minutes
            named.setdefault(key, set()).update(s for s in special if s.kind == k.key)
    left = max(0, break_minutes - ordinary)
    parts = []
    for (kind, since), minutes in totals.items():
        cut = min(left, minutes)
        if table.combine == "highest":
            left -= cut
        if minutes - cut > 0:
            parts.append(_part(table, kind, since, minutes - cut, named.get((kind, since), set())))
    return parts


def special_days_at(
    table: SupplementTable, shift_start: datetime, day: date, minute_of_day: int
) -> list[SpecialDay]:
    """The table's special days in force at `minute_of_day` on `day` (Copenhagen wall clock) for a
    shift that began at `shift_start`: from their opening time; a `from_day_shift` day (24/12) only
    when the shift began at or after its opening on that day (not the night shift before it)."""
    return [
        s
        for s in table.special_days
        if s.on(day)
        and minute_of_day >= s.opens
        and (not s.from_day_shift or shift_start.astimezone(UTC) >= at(day, s.opens).astimezone(UTC))
    ]


def _rank(period: Period | None, kind: str) -> Decimal:
    rate = period.rates.get(kind) if period else None
    return Decimal("Infinity") if rate is None else rate


def _part(
    table: SupplementTable, key: str, since: date | None, minutes: int, special: set[SpecialDay]
) -> SupplementPart:
    kind = next(k for k in table.kinds if k.key == key)
    period = next((p for p in table.periods if p.effective_from == since), None)
    return SupplementPart(
        kind=key,
        name_da=kind.name_da,
        name_en=kind.name_en,
        minutes=minutes,
        rate=period.rates.get(key) if period else None,
        unit=table.unit,
        effective_from=since,
        unverified=period is None or key in period.unverified or any(s.unverified for s in special),
        special=tuple(sorted(special, key=lambda s: (s.month, s.day))),
    )
