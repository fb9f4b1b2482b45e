"""Who would get a task on the phone (issue 15: "a technician's list on the phone, offline"): a technician
sees and works on the reports of the units their technician role covers, and a role on a unit covers it
and every unit below it (a materialised path "1/4/" covers "1/4/9/": backend.auth.roles.Principal.can,
the one rule the sync's visibility uses). A team adds no rights, so a task given to a technician or a
team must lie where everyone's role reaches; these are the people for whom it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def covers(grant_paths: Iterable[str], unit_path: str) -> bool:
    """True when one of the unit paths a person's role is granted on covers `unit_path`."""
    return any(unit_path.startswith(path) for path in grant_paths)


def out_of_reach(people: Mapping[int, Iterable[str]], unit_path: str) -> list[int]:
    """The ids of the people (id → the unit paths of their technician grants) whose role does not cover
    the unit at `unit_path`, in the order given."""
    return [person for person, paths in people.items() if not covers(paths, unit_path)]
