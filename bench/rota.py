"""Benchmark of shift planning's working-time checks: a 12-week plan for 60 staff validated whole, and
one change checked against only the person it touches (as the server does: backend.features.shifts).

    .venv/bin/python bench/rota.py

Pure rules (backend.features.worktime, backend.features.shifts.checks): no database, no server, so the
figures are the rules' own cost. The plan is a realistic rota (day, evening and night shifts with two
days off a week, a few split duties); the single change is a morning added before one person's evening shift,
checked against that person's shifts within 9 days (service.NEIGHBOURHOOD_DAYS). A 2-week base plan
rolled out over the 12 weeks is timed too (placing, competences, absences; the rest checks per shift are
the single change's). Prints `name: value`.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.features.shifts.checks import check, placed
from backend.features.worktime import absences, base_plan
from backend.features.worktime.competences import missing
from backend.features.worktime.rest import Work, breaches

STAFF, WEEKS = 60, 12
START = date(2026, 1, 5)
KINDS = [("07:00", "15:00", 30), ("15:00", "23:00", 30), ("23:00", "07:00", 0)]


def plan(seed: int = 13) -> dict[int, list[Work]]:
    rng = random.Random(seed)
    rota: dict[int, list[Work]] = {}
    for person in range(STAFF):
        kind = KINDS[person % 3]
        shifts = []
        for day_no in range(WEEKS * 7):
            if day_no % 7 in {(person % 7), (person + 1) % 7}:
                continue  # two days off in a row every week
            day = START + timedelta(days=day_no)
            start, end, pause = kind if rng.random() > 0.05 else ("07:00", "11:00", 0)
            shifts.append(placed(day, start, end, pause, f"{person}/{day_no}"))
        rota[person] = shifts
    return rota


def best_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def roll_out() -> int:
    """A 2-week base plan for the same 60 staff rolled out over 12 weeks (the pure part of
    shifts.base_plan.rollout): each occurrence placed on its own date's clock, its competences and the
    person's absences checked; returns the shifts made."""
    slots = [
        base_plan.Slot(week, day, person, str(person % 3))
        for person in range(STAFF)
        for week in range(2)
        for day in range(7)
        if day not in {(person + week) % 7, (person + week + 1) % 7}
    ]
    away = {
        person: [
            absences.Absence("ferie", START + timedelta(days=person), START + timedelta(days=person + 4))
        ]
        for person in range(0, STAFF, 6)
    }
    held = {person: ["medicin-kursus"] if person % 2 else [] for person in range(STAFF)}
    made = 0
    for o in base_plan.occurrences(START, 2, slots, START, START + timedelta(days=WEEKS * 7 - 1)):
        start, end, pause = KINDS[int(o.shift_type)]
        placed(o.day, start, end, pause)
        if missing(["medicin-kursus"] if o.shift_type == "2" else [], held[o.employee]):
            continue
        if absences.on_day(away.get(o.employee, []), o.day):
            continue
        made += 1
    return made


def main() -> None:
    rota = plan()
    shifts = sum(len(s) for s in rota.values())
    whole = best_of(5, lambda: [breaches(works) for works in rota.values()])
    person = rota[7]
    # A morning added before this person's evening shift: a 16-hour working period, found and worded.
    moved = placed(START + timedelta(days=40), "07:00", "11:00", 0, "moved")
    around = [w for w in person if abs((w.start - moved.start).days) <= 9]
    found = check(moved, around)
    assert found and found[0].rule == "daily_rest", found
    single = best_of(50, lambda: check(moved, around))
    print(f"plan_shifts: {shifts}")
    print(f"validate_plan_ms: {whole * 1000:.1f}")
    print(f"single_change_ms: {single * 1000:.3f}")
    print(f"ratio_plan_over_change: {whole / single:.0f}")
    made = roll_out()
    rollout = best_of(3, roll_out)
    print(f"rollout_shifts: {made}")
    print(f"rollout_expand_ms: {rollout * 1000:.1f}")


if __name__ == "__main__":
    main()
