"""The care agreements' special supplement days (worktime/supplements.py, data in
supplement_tables.json; domain-rules.md §3: foa.dk, kost.dk regler-jul-og-nytaar), from worked examples:
24/12 is a holiday from the start of the day shift (not for the night shift before it); 31/12, 1/5 and
5/6 are paid at 50 % from 12:00; a municipality treating 31/12 as a normal day is a table, not code."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from backend.features.worktime.supplements import load_tables, split
from backend.features.worktime.wallclock import place

TABLES = load_tables()
KL = TABLES["kl_percent"]
COPENHAGEN = TABLES["kl_percent_31dec_normal"]


def span(day: date, start: str, end: str) -> tuple[datetime, datetime]:
    return place(day, time.fromisoformat(start), time.fromisoformat(end))


def kinds(parts) -> dict[str, int]:
    found: dict[str, int] = {}
    for p in parts:
        found[p.kind] = found.get(p.kind, 0) + p.minutes
    return found


def test_christmas_eve_day_shift_is_holiday_paid_from_its_start():
    # Thursday 24 December 2026, 07:00–15:00 with a 30-minute break: a day shift, all holiday at 50 %.
    parts = split(KL, *span(date(2026, 12, 24), "07:00", "15:00"), break_minutes=30)
    assert kinds(parts) == {"sunday_holiday": 450}
    (part,) = parts
    assert part.rate == Decimal("50") and part.unverified
    assert [s.key for s in part.special] == ["12-24"]


def test_christmas_eve_shift_starting_at_the_day_shift_start_counts_from_06():
    # 06:00 is the day shift's start in the KL table (when the night window ends): holiday from 06:00.
    assert kinds(split(KL, *span(date(2026, 12, 24), "06:00", "14:00"))) == {"sunday_holiday": 480}


def test_christmas_eve_evening_is_holiday_paid_not_evening():
    assert kinds(split(KL, *span(date(2026, 12, 24), "15:00", "23:00"))) == {"sunday_holiday": 480}


def test_the_night_from_23_to_24_december_is_not_holiday_paid():
    # Wednesday 23 → Thursday 24 December 2026, 23:00–07:00: night 23–06; 06–07 ordinary, although
    # it is 24/12 after 06:00: the night shift began before the day shift.
    parts = split(KL, *span(date(2026, 12, 23), "23:00", "07:00"))
    assert kinds(parts) == {"night": 420}
    assert all(not p.special for p in parts)


def test_a_night_shift_starting_on_christmas_eve_is_holiday_paid_into_christmas_day():
    # 24/12 23:00 → 25/12 07:00: begun after the day shift's start on 24/12, then Christmas Day.
    assert kinds(split(KL, *span(date(2026, 12, 24), "23:00", "07:00"))) == {"sunday_holiday": 480}


def test_new_years_eve_afternoon_is_holiday_paid_from_12():
    # Thursday 31 December 2026, 14:00–22:00: all after 12:00, so 50 % (above the evening's 36 %).
    parts = split(KL, *span(date(2026, 12, 31), "14:00", "22:00"))
    assert kinds(parts) == {"sunday_holiday": 480}
    assert [s.key for s in parts[0].special] == ["12-31"]


def test_new_years_eve_morning_before_12_is_an_ordinary_weekday():
    assert kinds(split(KL, *span(date(2026, 12, 31), "07:00", "15:00"))) == {"sunday_holiday": 180}


def test_first_of_may_is_holiday_paid_from_12_only():
    # Friday 1 May 2026, 08:00–16:00: 08–12 ordinary, 12–16 holiday.
    assert kinds(split(KL, *span(date(2026, 5, 1), "08:00", "16:00"))) == {"sunday_holiday": 240}


def test_constitution_day_from_12_beats_the_evening_supplement():
    # Friday 5 June 2026, 10:00–20:00: 10–12 ordinary; 12–20 holiday (50 % > evening 36 %).
    assert kinds(split(KL, *span(date(2026, 6, 5), "10:00", "20:00"))) == {"sunday_holiday": 480}


def test_an_ordinary_day_is_not_a_special_day():
    # Thursday 4 June 2026, 10:00–20:00: evening 17–20 only.
    assert kinds(split(KL, *span(date(2026, 6, 4), "10:00", "20:00"))) == {"evening": 180}


def test_copenhagen_profile_treats_new_years_eve_as_a_normal_day():
    # The same 31/12 14:00–22:00 under the table without 31/12: evening 17–22 only.
    assert kinds(split(COPENHAGEN, *span(date(2026, 12, 31), "14:00", "22:00"))) == {"evening": 300}
    # … while 24/12 and the other special days stay as in the KL table.
    assert kinds(split(COPENHAGEN, *span(date(2026, 12, 24), "07:00", "15:00"))) == {"sunday_holiday": 480}
    assert [s.key for s in COPENHAGEN.special_days] == ["12-24", "05-01", "06-05"]


def test_daycare_weekend_table_has_no_special_days():
    assert TABLES["daycare_weekend_kr"].special_days == ()


def _table(**extra):
    return {
        "name_da": "",
        "name_en": "",
        "source": "",
        "unit": "percent",
        "combine": "highest",
        "kinds": {"h": {"da": "", "en": "", "windows": [{"days": ["sun"], "from": "00:00", "to": "24:00"}]}},
        "periods": [],
        **extra,
    }


@pytest.mark.parametrize(
    "special",
    [
        {"days": [{"key": "x", "date": "02-30", "kind": "h", "from": "12:00", "da": "", "en": ""}]},
        {"days": [{"key": "x", "date": "12-24", "kind": "nope", "from": "12:00", "da": "", "en": ""}]},
        {"days": [{"key": "x", "date": "12-24", "kind": "h", "from": "day_shift", "da": "", "en": ""}]},
        {"days": [{"key": "x", "date": "12-24", "kind": "h", "from": "25:00", "da": "", "en": ""}]},
    ],
)
def test_bad_special_day_data_is_refused(special):
    with pytest.raises(ValueError):
        load_tables({"tables": {"x": _table(special_days=special)}})


def test_a_table_like_itself_is_refused():
    with pytest.raises(ValueError):
        load_tables({"tables": {"x": _table(like="x")}})
