"""What a trip's shape means for the rules: which ends are at home, and which workplace it is for.

Sources (domain-rules.md §1):
- Home deduction (KL/KTO practice): each end of a trip at home replaces one commute leg. A round trip
  comes back to where it began, so a round trip from home has both ends at home and replaces two legs
  (home → Plejecenter Egebo → home, 60 km, commute 12 km: 36 km are paid, not 48).
- The 60-day rule (skat.dk, 60-dages-reglen): it counts days of travel between home and a workplace;
  "the workplace of a home → place → home trip is the place visited", whichever way it is entered.
"""

from __future__ import annotations

from collections.abc import Sequence


def home_ends(starts_at_home: bool, ends_at_home: bool, round_trip: bool) -> tuple[bool, bool]:
    """(starts at home, ends at home) once a round trip's return leg is counted: it ends where it began."""
    if round_trip:
        at_home = starts_at_home or ends_at_home
        return at_home, at_home
    return starts_at_home, ends_at_home


def visited_workplace(
    workplace: str | None,
    from_place: str,
    to_place: str,
    stops: Sequence[str],
    starts_at_home: bool,
    ends_at_home: bool,
    round_trip: bool,
) -> str | None:
    """The workplace the 60-day rule counts the trip for: the one named, or else the place visited
    from home (the far end of a round trip, the first stop of home → … → home, the other end of a
    one-way trip). None for a trip that does not touch home."""
    if workplace:
        return workplace
    starts, ends = home_ends(starts_at_home, ends_at_home, round_trip)
    if not (starts or ends):
        return None
    if round_trip:
        return (to_place if starts_at_home else from_place) or None
    if starts and ends:
        return next((s for s in stops if s.strip()), None)
    return (to_place if starts else from_place) or None
