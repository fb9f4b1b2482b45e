"""Danish public holidays and working days, from the standard library only.

Source: domain-rules.md §3 — from 2024: New Year's Day, Maundy Thursday, Good Friday, Easter Sunday,
Easter Monday, Ascension Day, Whit Sunday, Whit Monday, 25 and 26 December; Store Bededag (the
fourth Friday after Easter) was a holiday up to and including 2023 only. 1 May, Constitution Day
(5 June), 24 and 31 December are not public holidays.

Easter comes from the anonymous Gregorian algorithm (Meeus/Jones/Butcher); every movable holiday
is a fixed number of days from Easter Sunday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

LAST_YEAR_WITH_STORE_BEDEDAG = 2023


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def _holidays(year: int) -> tuple[tuple[date, str, str], ...]:
    easter = easter_sunday(year)

    def after_easter(days: int) -> date:
        return easter + timedelta(days=days)

    days = [
        (date(year, 1, 1), "Nytårsdag", "New Year's Day"),
        (after_easter(-3), "Skærtorsdag", "Maundy Thursday"),
        (after_easter(-2), "Langfredag", "Good Friday"),
        (easter, "Påskedag", "Easter Sunday"),
        (after_easter(1), "2. påskedag", "Easter Monday"),
        (after_easter(39), "Kristi himmelfartsdag", "Ascension Day"),
        (after_easter(49), "Pinsedag", "Whit Sunday"),
        (after_easter(50), "2. pinsedag", "Whit Monday"),
        (date(year, 12, 25), "Juledag", "Christmas Day"),
        (date(year, 12, 26), "2. juledag", "Boxing Day"),
    ]
    if year <= LAST_YEAR_WITH_STORE_BEDEDAG:
        days.append((after_easter(26), "Store bededag", "Great Prayer Day"))
    return tuple(sorted(days))


def public_holidays(year: int) -> dict[date, tuple[str, str]]:
    """The year's public holidays: date → (Danish name, English name)."""
    return {day: (da, en) for day, da, en in _holidays(year)}


def is_public_holiday(day: date) -> bool:
    return any(day == holiday for holiday, _, _ in _holidays(day.year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)
