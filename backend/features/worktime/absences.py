"""Absences (fravær: ferie, sygdom, omsorgsdag, kursus) and their effect on a person's norm.

Each kind's effect is data (`absence_kinds.json`, with its source and an `unverified` mark an admin
can change): "norm" reduces the normperiode's norm by the day's norm for each weekday of the absence
that owes norm (ferie: the Ferieaftale; omsorgsdag: the Aftale om fravær af familiemæssige årsager),
"worked" counts each such day as worked by the day's norm (sygdom, kursus: KL's arbejdstidsaftaler
count them as working time). The day's norm is 7.4 h pro rata for part time (worktime.norm). A
weekend day or a public holiday inside an absence changes nothing (it owes no norm). Overlapping
absences count a day once. Minutes throughout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from backend.features.worktime.norm import FULL_TIME_WEEK, NormProfile, absence_credit
from backend.features.worktime.norm import Absence as NormAbsence

KINDS_FILE = Path(__file__).with_name("absence_kinds.json")
EFFECTS = ("norm", "worked")


@dataclass(frozen=True)
class AbsenceKind:
    """An absence kind: its words, its `effect` ("norm" or "worked"), its source and whether unverified."""

    key: str
    da: str
    en: str
    effect: str
    source: str
    unverified: bool


@cache
def kinds() -> dict[str, AbsenceKind]:
    """The absence kinds from absence_kinds.json; raises ValueError for an effect not understood."""
    raw: dict[str, Any] = json.loads(KINDS_FILE.read_text(encoding="utf-8"))["kinds"]
    out = {
        key: AbsenceKind(key, v["da"], v["en"], v["effect"], v["source"], bool(v.get("unverified")))
        for key, v in raw.items()
    }
    if any(k.effect not in EFFECTS for k in out.values()):
        raise ValueError("absence_kinds.json: an effect is not 'norm' or 'worked'")
    return out


@dataclass(frozen=True)
class Absence:
    """`kind` (a key of `kinds()`) from `first` to `last`, both dates inclusive."""

    kind: str
    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


def check_range(kind: str, first: date, last: date) -> tuple[str, str] | None:
    """Why an absence cannot be recorded (Danish, English), or None: an unknown kind, an end before the
    start, or more than a year."""
    if kind not in kinds():
        names = ", ".join(kinds())
        return (
            f"Ukendt fraværstype {kind!r} (brug {names}).",
            f"Unknown absence kind {kind!r} (use {names}).",
        )
    if last < first:
        return ("Fraværet slutter før det begynder.", "The absence ends before it begins.")
    if (last - first).days > 366:
        return ("Et fravær kan højst vare et år ad gangen.", "An absence can last at most a year at a time.")
    return None


@dataclass(frozen=True)
class NormEffect:
    """What absences do to a period's norm, in minutes: `norm_reduction` (kinds with effect "norm") and
    `credited` (kinds with effect "worked"), each split into the part up to a day (`..._so_far`)."""

    norm_reduction: int
    credited: int
    norm_reduction_so_far: int
    credited_so_far: int


def effect(
    absences: list[Absence],
    first: date,
    last: date,
    until: date,
    weekly_minutes: int = FULL_TIME_WEEK,
    profile: NormProfile = NormProfile(),
) -> NormEffect:
    """The absences' effect on the normperiode [first, last]; the `_so_far` parts count days before
    `until` (today). A day under two absences counts once, for the first listed; the counting itself
    (only days owing norm, the day's norm pro rata, rounded once per sum) is norm.absence_credit's."""
    table = kinds()
    days: dict[date, str] = {}
    for absence in absences:
        if absence.kind not in table:
            continue
        day = max(absence.first, first)
        while day <= min(absence.last, last):
            days.setdefault(day, table[absence.kind].effect)
            day += timedelta(days=1)

    def total(kind: str, before: date | None = None) -> int:
        picked = [
            NormAbsence(kind, d, d) for d, e in days.items() if e == kind and (before is None or d < before)
        ]
        return absence_credit(picked, first, last, weekly_minutes, profile, frozenset({kind}))

    return NormEffect(total("norm"), total("worked"), total("norm", until), total("worked", until))


def on_day(absences: list[Absence], day: date) -> Absence | None:
    """The absence covering `day`, if any (a shift that day clashes with it)."""
    return next((a for a in absences if a.covers(day)), None)


def _words(absence: Absence) -> tuple[str, str, str, str]:
    """(Danish kind, English kind, Danish span "22.12.2026–2.1.2027", English span "… to …")."""
    kind = kinds().get(absence.kind)
    da_kind, en_kind = (kind.da.lower(), kind.en.lower()) if kind else (absence.kind, absence.kind)
    span_da = f"{absence.first:%-d.%-m.%Y}" + (
        "" if absence.first == absence.last else f"–{absence.last:%-d.%-m.%Y}"
    )
    span_en = absence.first.isoformat() + (
        "" if absence.first == absence.last else f" to {absence.last.isoformat()}"
    )
    return da_kind, en_kind, span_da, span_en


def clash_words(absence: Absence, name: str) -> tuple[str, str]:
    """A shift on an absence day, in words: "Anna har fravær (ferie) 22.12.2025–2.1.2026; …"."""
    da_kind, en_kind, span_da, span_en = _words(absence)
    return (
        f"{name} har fravær ({da_kind}) {span_da}; en vagt den dag kræver at fraværet ændres først.",
        f"{name} is absent ({en_kind}) {span_en}; a shift that day needs the absence changed first.",
    )


def overlapping(new: Absence, recorded: list[Absence]) -> Absence | None:
    """The first of a person's `recorded` absences sharing a day with `new`, or None.

    A person is absent for one reason a day: each kind moves the norm its own way (ferie reduces it,
    sygdom counts as worked: absence_kinds.json), so two absences on one day, of the same kind or not,
    leave the norm and the payroll in doubt (effect() would silently count the first listed). A second
    absence over the same days is a duplicate or a mistake; the planner changes the recorded one instead.
    """
    return next((a for a in recorded if a.first <= new.last and new.first <= a.last), None)


def overlap_words(recorded: Absence, name: str) -> tuple[str, str]:
    """An absence refused for overlapping `recorded`, in words (Danish, English)."""
    da_kind, en_kind, span_da, span_en = _words(recorded)
    return (
        f"{name} har allerede fravær ({da_kind}) {span_da}, som dækker nogle af de samme dage. "
        "Ret det fravær, der er gemt, eller vælg andre dage.",
        f"{name} is already absent ({en_kind}) {span_en}, covering some of the same days. "
        "Change the absence that is saved, or choose other days.",
    )
