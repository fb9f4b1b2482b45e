"""The rules for laying a plan, without a database: the part-time norm, absences on the norm (per kind,
as data), competences a shift requires, a base plan rolled out across daylight-saving changes, and
the coverage of a day (people and competences lacking)."""

from __future__ import annotations

from datetime import date, time

import pytest

from backend.features.shifts.checks import placed
from backend.features.worktime import absences, base_plan, competences, coverage
from backend.features.worktime.norm import norm_minutes
from backend.features.worktime.wallclock import local, minutes_between

CHRISTMAS = (date(2025, 12, 8), date(2026, 1, 4))


def test_part_time_norm_is_pro_rata_the_issues_example() -> None:
    assert norm_minutes(*CHRISTMAS) == round(118.4 * 60)
    assert norm_minutes(*CHRISTMAS, weekly_minutes=30 * 60) == 96 * 60


def test_absence_kinds_are_data_with_their_sources() -> None:
    kinds = absences.kinds()
    assert set(kinds) == {"ferie", "sygdom", "omsorgsdag", "kursus"}
    assert kinds["ferie"].effect == "norm" and kinds["sygdom"].effect == "worked"
    assert all(k.source for k in kinds.values())
    assert kinds["sygdom"].unverified  # marked, for an admin to confirm


def test_holiday_week_reduces_the_norm_by_five_norm_days_full_and_part_time() -> None:
    week = [absences.Absence("ferie", date(2025, 12, 15), date(2025, 12, 21))]  # Mon–Sun
    full = absences.effect(week, *CHRISTMAS, until=date(2025, 12, 8))
    assert full.norm_reduction == 37 * 60 and full.credited == 0
    part = absences.effect(week, *CHRISTMAS, until=date(2025, 12, 8), weekly_minutes=30 * 60)
    assert part.norm_reduction == 30 * 60
    assert part.norm_reduction_so_far == 0  # all of it after `until`


def test_sickness_counts_as_worked_and_a_holiday_inside_an_absence_counts_nothing() -> None:
    sick = [absences.Absence("sygdom", date(2025, 12, 23), date(2025, 12, 29))]
    # 23/12 (Tue), 29/12 (Mon) owe norm; 24/12 (agreed day off), 25–26/12, the weekend do not.
    found = absences.effect(sick, *CHRISTMAS, until=date(2026, 1, 5))
    assert found.credited == 2 * 444 and found.norm_reduction == 0
    assert found.credited_so_far == found.credited


def test_a_day_under_two_absences_counts_once() -> None:
    both = [
        absences.Absence("kursus", date(2025, 12, 9), date(2025, 12, 9)),
        absences.Absence("sygdom", date(2025, 12, 9), date(2025, 12, 10)),
    ]
    assert absences.effect(both, *CHRISTMAS, until=date(2025, 12, 8)).credited == 2 * 444


def test_an_absence_is_refused_in_words_when_it_makes_no_sense() -> None:
    assert absences.check_range("ferie", date(2026, 1, 5), date(2026, 1, 9)) is None
    reversed_range = absences.check_range("ferie", date(2026, 1, 9), date(2026, 1, 5))
    assert reversed_range and "slutter før" in reversed_range[0]
    unknown = absences.check_range("barsel", date(2026, 1, 5), date(2026, 1, 9))
    assert unknown and "Ukendt fraværstype" in unknown[0] and "Unknown" in unknown[1]


def test_a_shift_on_an_absence_day_is_said_in_words() -> None:
    away = [absences.Absence("ferie", date(2026, 12, 21), date(2027, 1, 3))]
    clash = absences.on_day(away, date(2026, 12, 28))
    assert clash is not None and absences.on_day(away, date(2027, 1, 4)) is None
    da, en = absences.clash_words(clash, "Anna")
    assert da.startswith("Anna har fravær (ferie) 21.12.2026–3.1.2027") and "Anna is absent (holiday)" in en


def test_one_absence_a_day_a_second_over_the_same_days_is_refused_in_words() -> None:
    ferie = absences.Absence("ferie", date(2026, 12, 21), date(2027, 1, 3))
    recorded = [absences.Absence("kursus", date(2026, 12, 1), date(2026, 12, 2)), ferie]
    # Same kind or not, sharing a single day (the first or the last) is an overlap.
    for first, last, kind in (
        (date(2027, 1, 3), date(2027, 1, 5), "ferie"),
        (date(2026, 12, 15), date(2026, 12, 21), "sygdom"),
        (date(2026, 12, 24), date(2026, 12, 24), "omsorgsdag"),
        (date(2026, 12, 1), date(2027, 2, 1), "ferie"),  # around both
    ):
        assert absences.overlapping(absences.Absence(kind, first, last), recorded) is not None, (first, last)
    # The day before and the day after are free.
    assert (
        absences.overlapping(absences.Absence("sygdom", date(2026, 12, 3), date(2026, 12, 20)), recorded)
        is None
    )
    assert (
        absences.overlapping(absences.Absence("ferie", date(2027, 1, 4), date(2027, 1, 4)), recorded) is None
    )
    assert absences.overlapping(ferie, []) is None
    da, en = absences.overlap_words(ferie, "Anna")
    assert da.startswith("Anna har allerede fravær (ferie) 21.12.2026–3.1.2027") and "Ret det fravær" in da
    assert en.startswith("Anna is already absent (holiday) 2026-12-21 to 2027-01-03")


def test_competence_refusal_in_words_ignoring_case_and_spaces() -> None:
    assert competences.missing(["medicin-kursus", "Kørekort"], [" kørekort "]) == ["medicin-kursus"]
    assert competences.missing(["medicin-kursus"], ["Medicin-kursus"]) == []
    da, en = competences.refusal_words(["medicin-kursus"], "Anna")
    assert da == "Vagten kræver medicin-kursus, som Anna ikke har."
    assert en == "The shift requires medicin-kursus, which Anna does not have."
    da2, _ = competences.refusal_words(["kørekort", "medicin-kursus"], "Anna")
    assert da2 == "Vagten kræver kørekort og medicin-kursus, som Anna ikke har."


ANCHOR = date(2026, 3, 2)  # a Monday; base plan of 2 weeks
SLOTS = [
    base_plan.Slot(0, 0, 7, "Dag"),
    base_plan.Slot(1, 5, 7, "Nat"),  # week 2 Saturday night
    base_plan.Slot(1, 6, 8, "Dag"),  # week 2 Sunday day
]


def test_base_plan_weeks_repeat_from_the_anchor() -> None:
    assert base_plan.week_of(ANCHOR, 2, date(2026, 3, 2)) == 0
    assert base_plan.week_of(ANCHOR, 2, date(2026, 3, 15)) == 1
    assert base_plan.week_of(ANCHOR, 2, date(2026, 3, 16)) == 0
    assert base_plan.week_of(ANCHOR, 2, date(2026, 2, 23)) == 1  # before the anchor, counted back
    got = base_plan.occurrences(ANCHOR, 2, SLOTS, date(2026, 3, 2), date(2026, 3, 29))
    assert [(o.day.isoformat(), o.shift_type) for o in got] == [
        ("2026-03-02", "Dag"),
        ("2026-03-14", "Nat"),
        ("2026-03-15", "Dag"),
        ("2026-03-16", "Dag"),
        ("2026-03-28", "Nat"),
        ("2026-03-29", "Dag"),
    ]


def test_base_plan_rollout_keeps_the_wall_clock_across_daylight_saving() -> None:
    """Summer time begins Sunday 29 March 2026 at 02:00: a 07:00 shift stays 07:00, and the night from
    Saturday 28th to Sunday 29th (23:00–07:00) lasts 7 hours; in October (25th) such a night lasts 9."""
    got = base_plan.occurrences(ANCHOR, 2, SLOTS, date(2026, 3, 16), date(2026, 3, 30))
    for o in got:
        start, end = ("23:00", "07:00") if o.shift_type == "Nat" else ("07:00", "15:00")
        work = placed(o.day, start, end, 0)
        assert local(work.start).time() == time.fromisoformat(start)
        assert local(work.end).time() == time.fromisoformat(end)
        if o.day == date(2026, 3, 28):
            assert minutes_between(work.start, work.end) == 7 * 60
        if o.day == date(2026, 3, 29):
            assert (
                local(work.start).utcoffset()
                != local(placed(date(2026, 3, 16), "07:00", "15:00", 0).start).utcoffset()
            )
    october = placed(date(2026, 10, 24), "23:00", "07:00", 0)
    assert minutes_between(october.start, october.end) == 9 * 60


def test_base_plan_problems_in_words() -> None:
    assert base_plan.problems(ANCHOR, 2, SLOTS) is None
    tuesday = base_plan.problems(date(2026, 3, 3), 2, SLOTS)
    assert tuesday and "mandag" in tuesday[0]
    assert base_plan.problems(ANCHOR, 0, [])
    outside = base_plan.problems(ANCHOR, 1, SLOTS)
    assert outside and "uden for grundplanens 1 uger" in outside[0]
    with pytest.raises(ValueError):
        base_plan.occurrences(ANCHOR, 2, SLOTS, date(2026, 3, 5), date(2026, 3, 1))


def test_base_plan_needed_counts_the_staffing_of_a_day() -> None:
    slots = [*SLOTS, base_plan.Slot(0, 0, 9, "Dag")]
    assert base_plan.needed(ANCHOR, 2, slots, date(2026, 3, 2)) == {"Dag": 2}
    assert base_plan.needed(ANCHOR, 2, slots, date(2026, 3, 3)) == {}


def test_coverage_finds_people_and_competences_lacking() -> None:
    required = {"Dag": ["medicin-kursus"], "Aften": []}
    found = coverage.gaps({"Dag": 2, "Aften": 1}, {"Dag": [["medicin-kursus"]], "Aften": [[]]}, required)
    assert [g.out() for g in found] == [{"shift_type": "Dag", "needed": 2, "on": 1, "open": 0, "lacking": []}]
    lacking = coverage.gaps({"Dag": 1}, {"Dag": [["kørekort"]]}, required, {"Dag": 1})
    assert lacking[0].lacking == ("medicin-kursus",) and lacking[0].open == 1 and lacking[0].needed == 2
