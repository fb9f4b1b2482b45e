"""Plain rules, tested without a database: scopes, the org tree, CSV parsing and claims mapping."""

from __future__ import annotations

import pytest

from backend.auth.claims import identity_from_claims
from backend.auth.roles import Capability, Grant, Principal, Role
from backend.errors import Invalid
from backend.features.org.hr_csv import CsvUnreadable, parse_staff, parse_units
from backend.features.org.tree import paths_for


def _principal(*grants: tuple[Role, str]) -> Principal:
    return Principal(1, 1, "x", None, tuple(Grant(role, 0, path) for role, path in grants))


def test_a_leader_covers_their_unit_and_every_unit_below_it() -> None:
    leader = _principal((Role.LEADER, "1/5/"))
    assert leader.can(Capability.VIEW_STAFF, "1/5/")
    assert leader.can(Capability.VIEW_STAFF, "1/5/6/")
    assert not leader.can(Capability.VIEW_STAFF, "1/8/")
    assert not leader.can(Capability.VIEW_STAFF, "1/")


def test_unit_paths_do_not_match_on_a_shared_digit_prefix() -> None:
    assert not _principal((Role.LEADER, "1/5/")).can(Capability.VIEW_STAFF, "1/55/")


def test_an_employee_role_grants_no_view_of_others() -> None:
    assert not _principal((Role.EMPLOYEE, "1/")).can_anywhere(Capability.VIEW_STAFF)


def test_tree_paths_follow_parents_in_any_order() -> None:
    assert paths_for({3: 2, 1: None, 2: 1}) == {1: "1/", 2: "1/2/", 3: "1/2/3/"}


def test_tree_refuses_cycles_and_unknown_parents() -> None:
    with pytest.raises(ValueError, match="cycle"):
        paths_for({1: None, 2: 3, 3: 2})
    with pytest.raises(ValueError, match="unknown parent"):
        paths_for({1: None, 2: 9})


def test_staff_csv_accepts_danish_excel_exports() -> None:
    data = "Employee_Number;Name;Email;Unit_Code;Roles;Active\r\n7;Søren Ø;s@x.dk;SKOLE;leader|employee;nej\r\n".encode(
        "cp1252"
    )
    rows, errors = parse_staff(data)
    assert not errors
    assert (
        rows[0].name == "Søren Ø"
        and rows[0].roles == (Role.LEADER, Role.EMPLOYEE)
        and rows[0].active is False
    )


def test_staff_csv_reports_every_bad_line() -> None:
    data = b"employee_number,name,roles,active\n1,A,employee,\n1,B,,\n2,,,\n3,C,chef,\n4,D,,maybe\n"
    rows, errors = parse_staff(data)
    assert [r.employee_number for r in rows] == ["1"]
    assert [e.line for e in errors] == [3, 4, 5, 6]
    assert "linje 2" in errors[0].message


def test_csv_without_the_required_columns_is_unreadable() -> None:
    with pytest.raises(CsvUnreadable, match="code"):
        parse_units(b"name\nx\n")
    with pytest.raises(CsvUnreadable, match="tom"):
        parse_units(b"   \n")


def test_claims_map_groups_to_roles_and_default_to_employee() -> None:
    identity = identity_from_claims(
        {
            "sub": "s1",
            "name": "Lis",
            "groups": ["felt-leader", "felt-nonsense", "other"],
            "unit": "SKOLE",
            "employee_number": 42,
        }
    )
    assert (
        identity.roles == {Role.LEADER} and identity.unit_code == "SKOLE" and identity.employee_number == "42"
    )
    assert identity_from_claims({"sub": "s2"}).roles == {Role.EMPLOYEE}


def test_claim_names_and_group_mapping_can_be_set_per_municipality() -> None:
    overrides = {"groups": "roles", "unit": "department", "group_roles": {"SG-Felt-Leaders": "leader"}}
    identity = identity_from_claims({"sub": "s", "roles": "SG-Felt-Leaders", "department": "ADM"}, overrides)
    assert identity.roles == {Role.LEADER} and identity.unit_code == "ADM"


def test_claims_without_subject_are_refused() -> None:
    with pytest.raises(Invalid):
        identity_from_claims({"name": "nobody"})
