"""Whether a day is covered: for each shift type, enough people on it, and between them every
competence the type requires (the planner's overview: KL's case catalogue, seed 004 case 12).

The staffing a day needs is the base plan's for that day (worktime.base_plan.needed); an open shift
not yet taken counts as a person missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backend.features.worktime.competences import missing


@dataclass(frozen=True)
class Gap:
    """On one day, shift type `shift_type` has `on` people of the `needed` (a shortfall when on < needed,
    `open` of them offered as open shifts) and lacks the competences `lacking` (someone on it lacks them:
    each person on a shift must hold its competences, so this shows only after a leader's override)."""

    shift_type: str
    needed: int
    on: int
    open: int
    lacking: tuple[str, ...]

    def out(self) -> dict[str, object]:
        return {
            "shift_type": self.shift_type,
            "needed": self.needed,
            "on": self.on,
            "open": self.open,
            "lacking": list(self.lacking),
        }


def gaps(
    needed: Mapping[str, int],
    on: Mapping[str, list[list[str]]],
    required: Mapping[str, list[str]],
    open_shifts: Mapping[str, int] | None = None,
) -> list[Gap]:
    """The day's gaps, by shift type name: `needed` people per type, `on` the competences held by each
    person on it, `required` each type's competences, `open_shifts` open shifts per type still untaken."""
    open_shifts = open_shifts or {}
    out = []
    for name in sorted({*needed, *on, *open_shifts}):
        people = on.get(name, [])
        lacking = tuple(sorted({c for person in people for c in missing(required.get(name, []), person)}))
        want = max(needed.get(name, 0), len(people) + open_shifts.get(name, 0))
        if len(people) < want or lacking:
            out.append(Gap(name, want, len(people), open_shifts.get(name, 0), lacking))
    return out
