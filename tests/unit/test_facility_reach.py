"""rules.reach: whose technician role covers a report's building (issue 15), without a database."""

from __future__ import annotations

from backend.features.facility.rules.reach import covers, out_of_reach


def test_a_role_on_an_area_covers_the_buildings_below_it() -> None:
    assert covers(["1/4/"], "1/4/9/")
    assert covers(["1/4/"], "1/4/")


def test_a_role_on_a_sibling_unit_does_not_cover_the_building() -> None:
    assert not covers(["1/5/"], "1/4/9/")
    assert not covers(["1/4/9/"], "1/4/")  # a role below the unit does not reach up


def test_a_unit_whose_id_starts_like_anothers_is_not_covered_by_it() -> None:
    assert not covers(["1/4/"], "1/41/")


def test_someone_with_no_technician_role_is_out_of_reach_everywhere() -> None:
    assert out_of_reach({7: [], 8: ["1/"]}, "1/4/9/") == [7]


def test_a_team_is_in_reach_when_every_member_is() -> None:
    assert out_of_reach({7: ["1/4/"], 8: ["1/"]}, "1/4/9/") == []
    assert out_of_reach({7: ["1/4/"], 8: ["1/5/"], 9: ["1/5/", "1/4/9/"]}, "1/4/9/") == [8]
