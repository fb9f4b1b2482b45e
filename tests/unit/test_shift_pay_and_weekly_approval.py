"""What an approved shift pays (shifts/pay.py) and how a week's changes are named (shifts/approval.py):
worked examples, no database. Rates: worktime/supplement_tables.json (KL's percent table, 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from backend.features.shifts import approval, pay
from backend.features.workflow import PayLine
from backend.features.worktime.wallclock import minutes_between, place
from sync.apply import Record


def clock(day: date, start: str, end: str, break_minutes: int = 0) -> dict[str, Any]:
    s, e = place(day, time.fromisoformat(start), time.fromisoformat(end))
    return {
        "start": s.isoformat(),
        "end": e.isoformat(),
        "paid_minutes": minutes_between(s, e) - break_minutes,
    }


def kinds(snap: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {s["kind"]: (s["minutes"], s["rate"]) for s in snap["supplements"]}


KL = pay.table_for("school")
DAYCARE = pay.table_for("daycare")


def test_supplement_time_is_counted_per_started_half_hour() -> None:
    assert [pay.started_half_hours(m) for m in (0, 1, 29, 30, 31, 61)] == [0, 30, 30, 30, 60, 90]
    with pytest.raises(ValueError):
        pay.started_half_hours(-1)


def test_the_unit_kind_picks_the_agreement_table() -> None:
    assert KL is not None and KL.key == "kl_percent"
    assert DAYCARE is not None and DAYCARE.key == "daycare_weekend_kr"


def test_an_evening_shift_pays_the_2026_evening_rate_for_its_evening_hours_and_the_break_is_unpaid() -> None:
    snap = pay.snapshot(clock(date(2026, 12, 8), "15:00", "23:00", 30), 30, KL)
    assert snap["paid_minutes"] == 450
    assert kinds(snap) == {"evening": (360, "36")}  # 17–23; the break is taken from 15–17
    assert snap["missing"] == []


def test_a_started_half_hour_of_evening_counts_as_a_whole_half_hour() -> None:
    snap = pay.snapshot(clock(date(2026, 12, 8), "09:00", "17:10"), 0, KL)
    assert kinds(snap) == {"evening": (30, "36")}


def test_a_night_across_the_end_of_summer_time_pays_its_real_ten_hours() -> None:
    # Saturday 24 Oct 2026 22:00 → Sunday 07:00 is 10 real hours (the clock goes back at 03:00).
    snap = pay.snapshot(clock(date(2026, 10, 24), "22:00", "07:00"), 0, KL)
    assert snap["paid_minutes"] == 600
    # Saturday 22–23 evening (36 % beats Saturday's 31.71 %), 23–24 night, Sunday from 00:00 the Sunday
    # rate (the highest) for 8 real hours to 07:00.
    assert kinds(snap) == {"evening": (60, "36"), "night": (60, "39.26"), "sunday_holiday": (480, "50")}


def test_christmas_day_pays_the_holiday_supplement_all_day() -> None:
    snap = pay.snapshot(clock(date(2026, 12, 25), "07:00", "15:00", 30), 30, KL)
    assert kinds(snap) == {"sunday_holiday": (450, "50")}


def test_christmas_eve_pays_the_holiday_supplement_from_the_day_shift_and_names_the_day() -> None:
    snap = pay.snapshot(clock(date(2026, 12, 24), "07:00", "15:00", 30), 30, KL)
    assert kinds(snap) == {"sunday_holiday": (450, "50")}
    [holiday] = snap["supplements"]
    assert holiday["unverified"] and [d["key"] for d in holiday["days"]] == ["12-24"]
    night = pay.snapshot(clock(date(2026, 12, 23), "23:00", "07:00"), 0, KL)  # the night before: none
    assert kinds(night) == {"night": (420, "39.26")}
    assert [pay.lines_of(night)[1].wage_key] == ["shift_night"]


def test_a_missing_rate_is_said_plainly_and_pays_no_line() -> None:
    snap = pay.snapshot(clock(date(2026, 12, 5), "08:00", "16:00"), 0, DAYCARE)  # a Saturday
    assert snap["supplements"] == []
    assert snap["missing"][0]["da"].endswith("sats mangler for 5/12 2026; intet er sendt til lønnen.")
    assert pay.lines_of(snap) == [PayLine("shift_hours", Decimal("8.00"), Decimal(0), Decimal(0))]


def test_wage_lines_carry_hours_per_supplement_kind_and_kroner_where_the_rate_is_in_kroner() -> None:
    snap = {
        "paid_minutes": 450,
        "supplements": [
            {"kind": "evening", "minutes": 360, "rate": "36", "unit": "percent"},
            {"kind": "weekend", "minutes": 90, "rate": "30.50", "unit": "kr_per_hour"},
        ],
    }
    assert pay.lines_of(snap) == [
        PayLine("shift_hours", Decimal("7.50"), Decimal(0), Decimal(0)),
        PayLine("shift_evening", Decimal("6.00"), Decimal(0), Decimal(0)),
        PayLine("shift_weekend", Decimal("1.50"), Decimal("30.50"), Decimal("45.75")),
    ]
    assert {w.key for w in pay.WAGE_TYPES} >= {"shift_hours", "shift_evening", "shift_night", "shift_weekend"}


def _shift(owner: int = 7, **fields: Any) -> Record:
    return Record(uuid4(), "shift", 1, owner, 3, "1/3/", "published", fields, 1, False, datetime.now(UTC))


def test_a_shift_is_paid_once_approved_and_worked_whichever_comes_last() -> None:
    record = _shift(clock={"end": "2026-12-08T22:00:00+00:00"})
    record.history.append({"transition": "week_approved", "at": "2026-12-14T08:00:00+00:00"})
    assert pay.paid_when(record) == datetime(2026, 12, 14, 8, tzinfo=UTC)
    record.history.append({"transition": "week_approved", "at": "2026-12-01T08:00:00+00:00"})
    assert pay.paid_when(record) == datetime(2026, 12, 8, 22, tzinfo=UTC)  # approved ahead: paid when worked


def test_a_change_is_named_by_what_changed_and_the_servers_own_fields_are_no_change() -> None:
    before = _shift(date="2026-12-08", start="07:00", end="15:00", clock={"minutes": 480})
    same = _shift(date="2026-12-08", start="07:00", end="15:00", clock={"minutes": 481})
    assert approval.kind_of(None, before) == "created"
    assert approval.kind_of(before, same) is None
    assert approval.kind_of(before, _shift(date="2026-12-08", start="08:00", end="15:00")) == "changed"
    assert approval.kind_of(before, _shift(owner=8, date="2026-12-08", start="07:00", end="15:00")) == "moved"
    gone = _shift(date="2026-12-08")
    gone.deleted = True
    assert approval.kind_of(before, gone) == "removed"


def test_a_week_is_its_iso_week_and_its_inbox_line_counts_changes_and_overrides() -> None:
    assert approval.iso_week(date(2026, 12, 3)) == {
        "iso": "2026-W49",
        "number": 49,
        "first": "2026-11-30",
        "last": "2026-12-06",
    }
    assert (
        approval.week_id(3, "2026-W49") == approval.week_id(3, "2026-W49") != approval.week_id(4, "2026-W49")
    )
    week = _shift(
        unit={"id": 3, "name": "Plejecenter Egebo"},
        week=approval.iso_week(date(2026, 12, 3)),
        count={"changes": 7, "overrides": 1},
    )
    line = approval.summary(week)
    assert line.title == (
        "Ugegodkendelse, uge 49, Plejecenter Egebo: 7 ændringer, 1 tilsidesat regel",
        "Weekly approval, week 49, Plejecenter Egebo: 7 changes, 1 rule overridden",
    )
    assert line.day == date(2026, 11, 30) and [b.code for b in line.badges] == ["override"]
    assert not any(b.blocking for b in line.badges)


def _swap(state: str, taker: int | None, note: str = "") -> Record:
    swap = Record(
        uuid4(),
        "swap",
        1,
        7,
        3,
        "1/3/",
        state,
        {
            "summary": {"date": "2026-12-10", "start": "07:00", "end": "15:00"},
            "taker": {"id": taker} if taker else {},
        },
        2,
        False,
        datetime.now(UTC),
        history=[{"transition": "offer"}, {"transition": state, "note": note}],
        parties=[[8, "offered"], [9, "offered"]],
    )
    return swap


def test_each_step_of_a_swap_tells_the_right_people_once() -> None:
    from backend.features.shifts import events

    accepted = events.swap_step(_swap("accepted", 8))
    assert [(j.kind, j.payload.get("to")) for j in accepted] == [
        ("notify.send", [7, 8]),
        ("notify.waiting", None),
    ]
    refused = events.swap_step(_swap("rejected", 8, "Mangler kørekort"))
    assert refused[0].payload["message"]["body"][0].endswith("Begrundelse: Mangler kørekort")
    withdrawn = events.swap_step(_swap("withdrawn", None))
    assert [j.payload["to"] for j in withdrawn] == [[8, 9]]  # those it was offered to
    assert events.swap_step(_swap("offered", None)) == []


def test_a_municipality_that_treats_new_years_eve_as_a_normal_day_gets_its_own_table():
    # pay_tables.json by_municipality: Copenhagen's and Frederiksberg's choice beats the unit kind's default;
    # a municipality without one, and a daycare's kroner table, are as before.
    assert pay.table_for("school", "koebenhavn") is pay.table_for("care_home", "frederiksberg")
    assert pay.table_for("school", "koebenhavn") is not KL
    assert pay.table_for("school", "egedal") is KL
    assert pay.table_for("daycare", "koebenhavn") is DAYCARE  # a kind's own agreement stands
    assert pay.table_for("school", None) is KL
