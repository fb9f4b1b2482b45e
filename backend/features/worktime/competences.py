"""Competences (kompetencer) a shift requires and a person holds, e.g. "medicin-kursus", "kørekort".

Holstebro's planner (KL's case catalogue, seed 004 case 12) needs the competences each shift needs; a
shift is given, taken or swapped only to someone holding them all. Names are compared without case
and surrounding spaces ("Kørekort" = "kørekort "); a planner keeps the words, so they are data.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_COMPETENCES = 20
MAX_LENGTH = 60


def normalised(names: Iterable[object]) -> list[str]:
    """The distinct competence names, trimmed and lower-case, sorted; empty names dropped. Each is cut
    to MAX_LENGTH characters; at most MAX_COMPETENCES are kept."""
    found = {str(n).strip().lower()[:MAX_LENGTH] for n in names if str(n).strip()}
    return sorted(found)[:MAX_COMPETENCES]


def missing(required: Iterable[object], held: Iterable[object]) -> list[str]:
    """The required competences not among those held (normalised names, sorted)."""
    return sorted(set(normalised(required)) - set(normalised(held)))


def refusal_words(lacking: list[str], name: str) -> tuple[str, str]:
    """ "Vagten kræver medicin-kursus, som Anna ikke har." (Danish, English); `lacking` is non-empty."""
    da = " og ".join([", ".join(lacking[:-1]), lacking[-1]]) if len(lacking) > 1 else lacking[0]
    en = " and ".join([", ".join(lacking[:-1]), lacking[-1]]) if len(lacking) > 1 else lacking[0]
    return (
        f"Vagten kræver {da}, som {name} ikke har.",
        f"The shift requires {en}, which {name} does not have.",
    )
