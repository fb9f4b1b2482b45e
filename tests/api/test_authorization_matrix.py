"""Every endpoint × every role × own unit / other unit / other municipality.

Roles are granted as in `tests.world`: unit-scoped roles on unit A, municipality-wide ones on
the root. "own" targets unit A1 (below A), "other" unit B, "foreign" the neighbouring
municipality. The expected answer follows from `backend.auth.roles.CAPABILITIES`, restated here
by hand so that a change to who-may-do-what must be made in both places.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import create_app
from backend.auth.roles import Role
from backend.clock import today
from backend.db.models import User
from backend.settings import Settings
from tests.conftest import sign_in
from tests.world import ACCOUNTS_CSV, UNITS_CSV, World, build_world, staff_csv

pytestmark = pytest.mark.anyio

R = Role
STAFF_VIEWERS = {R.LEADER, R.SECRETARY, R.PLANNER, R.PAYROLL, R.ADMIN}
WIDE = {R.PAYROLL, R.FINANCE, R.PROPERTY_OFFICE, R.ADMIN}
TARGETS = ("own", "other", "foreign")
PUSH_SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/matrix",
    "keys": {"p256dh": "B" + "A" * 85 + "Q", "auth": "A" * 22},
}


def scoped(allowed: set[Role]) -> Callable[[Role, str], int]:
    """Allowed roles may act on their own unit; on another unit only if municipality-wide; never abroad."""

    def expect(role: Role, target: str) -> int:
        if target == "foreign":
            return 404
        if role not in allowed:
            return 403
        return 200 if target == "own" or role in WIDE else 403

    return expect


def everyone(role: Role, target: str) -> int:
    return 404 if target == "foreign" else 200


def only(allowed: set[Role]) -> Callable[[Role, str], int]:
    return lambda role, target: 200 if role in allowed else 403


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {unit} and {user} are filled in per target
    expect: Callable[[Role, str], int]
    body: Callable[[World], Any] | None = None
    targeted: bool = True


ENDPOINTS = [
    Endpoint("GET", "/api/me", lambda r, t: 200, targeted=False),
    Endpoint("GET", "/api/units", lambda r, t: 200, targeted=False),
    Endpoint("GET", "/api/units/{unit}", everyone),
    Endpoint("GET", "/api/units/{unit}/staff", scoped(STAFF_VIEWERS)),
    Endpoint("GET", "/api/users/{user}", scoped(STAFF_VIEWERS)),
    Endpoint("POST", "/api/users/{user}/deactivate", scoped({R.ADMIN})),
    Endpoint("POST", "/api/users/{user}/activate", scoped({R.ADMIN})),
    Endpoint("POST", "/api/admin/import/units", only({R.ADMIN}), body=lambda w: UNITS_CSV, targeted=False),
    Endpoint(
        "POST", "/api/admin/import/staff", only({R.ADMIN}), body=lambda w: staff_csv("M"), targeted=False
    ),
    Endpoint("GET", "/api/audit", only({R.ADMIN}), targeted=False),
    Endpoint("GET", "/api/municipality/settings", only({R.ADMIN, R.PAYROLL, R.FINANCE}), targeted=False),
    Endpoint(
        "PUT",
        "/api/municipality/settings",
        only({R.ADMIN}),
        body=lambda w: {"payroll_cutoff_day": 18},
        targeted=False,
    ),
    Endpoint(
        "POST", "/api/admin/import/accounts", only({R.ADMIN}), body=lambda w: ACCOUNTS_CSV, targeted=False
    ),
    Endpoint("GET", "/api/receipts/accounts", lambda r, t: 200, targeted=False),
    Endpoint("PUT", "/api/receipts/accounts/{account}/favourite", lambda r, t: 204, targeted=False),
    Endpoint("DELETE", "/api/receipts/accounts/{account}/favourite", lambda r, t: 204, targeted=False),
    # Everyday words for finding accounts (issue 12, item 18): the admin's list.
    Endpoint("GET", "/api/admin/account-words", only({R.ADMIN}), targeted=False),
    Endpoint(
        "PUT",
        "/api/admin/account-words",
        only({R.ADMIN}),
        body=lambda w: [{"word": "kaffe", "means": "food"}],
        targeted=False,
    ),
    Endpoint("GET", "/api/receipts/review/draws", only({R.LEADER, R.FINANCE}), targeted=False),
    Endpoint("GET", "/api/receipts/review/audit.csv?year=2026", only({R.LEADER, R.FINANCE}), targeted=False),
    Endpoint("GET", "/api/receipts/bookings", only({R.FINANCE}), targeted=False),
    Endpoint(
        "GET",
        "/api/receipts/bookings/{export}/file",
        lambda r, t: 404 if r == R.FINANCE else 403,
        targeted=False,
    ),
    # The inbox shows each person what waits for them; the action is decided per record (test_mileage.py).
    Endpoint("GET", "/api/inbox", lambda r, t: 200, targeted=False),
    Endpoint(
        "POST",
        "/api/inbox/{record_type}/{transition}",
        lambda r, t: 200,
        body=lambda w: {"ids": [str(uuid.uuid4())]},
        targeted=False,
    ),
    # --- inbox (issue 16): counts, decisions to reopen, stand-ins; a leader names a stand-in ---
    Endpoint("GET", "/api/inbox/count", lambda r, t: 200, targeted=False),
    Endpoint("GET", "/api/inbox/decided", lambda r, t: 200, targeted=False),
    Endpoint(
        "POST",
        "/api/inbox/{record_type}/{record}/reopen",
        lambda r, t: 404,
        body=lambda w: {"reason": "Fejl i km"},
        targeted=False,
    ),
    Endpoint("GET", "/api/stand-ins", lambda r, t: 200, targeted=False),
    Endpoint("GET", "/api/stand-ins/candidates", lambda r, t: 200, targeted=False),
    Endpoint(
        "POST",
        "/api/stand-ins",
        lambda r, t: 201 if r == R.LEADER else 403,
        body=lambda w: {"stand_in_id": w.in_a1.id, "starts": "2099-07-01", "ends": "2099-07-21"},
        targeted=False,
    ),
    Endpoint(
        "PUT",
        "/api/stand-ins/{standin}",
        lambda r, t: 404,
        body=lambda w: {"ends": "2099-08-01"},
        targeted=False,
    ),
    Endpoint("DELETE", "/api/stand-ins/{standin}", lambda r, t: 404, targeted=False),
    Endpoint("GET", "/api/mileage/settings", only({R.ADMIN, R.PAYROLL, R.FINANCE}), targeted=False),
    Endpoint(
        "PUT",
        "/api/mileage/settings",
        only({R.ADMIN}),
        body=lambda w: {"rates": [{"kind": "bicycle", "effective_from": "2026-01-01", "kr_per_km": "0.64"}]},
        targeted=False,
    ),
    Endpoint("GET", "/api/mileage/log.csv", lambda r, t: 200, targeted=False),
    Endpoint("GET", "/api/mileage/authorisations", only({R.ADMIN, R.PAYROLL, R.FINANCE}), targeted=False),
    Endpoint(
        "POST",
        "/api/mileage/authorisations",
        lambda r, t: 201 if r == R.ADMIN else 403,
        body=lambda w: {"employee_number": "M90", "valid_from": "2026-01-01"},
        targeted=False,
    ),
    Endpoint(
        "DELETE",
        "/api/mileage/authorisations/{authorisation}",
        lambda r, t: 404 if r == R.ADMIN else 403,
        targeted=False,
    ),
    Endpoint(
        "PUT",
        "/api/mileage/authorisations/{authorisation}",
        lambda r, t: 404 if r == R.ADMIN else 403,
        body=lambda w: {"employee_number": "M90", "valid_from": "2026-01-01", "workplaces": ["Skolen Vest"]},
        targeted=False,
    ),
    Endpoint("GET", "/api/payroll/exports", only({R.PAYROLL}), targeted=False),
    # Payroll passes the guard and is told there is nothing to export (409) or no such export (404).
    Endpoint(
        "POST",
        "/api/payroll/exports",
        lambda r, t: 409 if r == R.PAYROLL else 403,
        body=lambda w: {"period": "2026-11"},
        targeted=False,
    ),
    Endpoint(
        "GET",
        "/api/payroll/exports/{export}/file",
        lambda r, t: 404 if r == R.PAYROLL else 403,
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/payroll/exports/{export}/paid",
        lambda r, t: 404 if r == R.PAYROLL else 403,
        targeted=False,
    ),
    # --- shift planning (issue 13): planners and leaders of the unit; the rules are in test_shifts.py ---
    Endpoint("GET", "/api/shifts/units/{unit}/types", scoped({R.PLANNER, R.LEADER})),
    Endpoint(
        "POST",
        "/api/shifts/units/{unit}/types",
        lambda r, t: (
            201 if scoped({R.PLANNER, R.LEADER})(r, t) == 200 else scoped({R.PLANNER, R.LEADER})(r, t)
        ),
        body=lambda w: {"name": "Dag", "start": "07:00", "end": "15:00", "break_minutes": 30},
    ),
    Endpoint("GET", "/api/shifts/units/{unit}/week?week=2026-W50", scoped({R.PLANNER, R.LEADER})),
    Endpoint(
        "POST",
        "/api/shifts",
        only({R.PLANNER, R.LEADER}),
        body=lambda w: {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"shift/{w.municipality.id}")),
            "employee": w.in_a1.id,
            "unit": w.units["A1"].id,
            "date": today().isoformat(),
            "start": "07:00",
            "end": "15:00",
        },
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/shifts/open",
        only({R.PLANNER, R.LEADER}),
        body=lambda w: {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"open/{w.municipality.id}")),
            "unit": w.units["A1"].id,
            "date": today().isoformat(),
            "start": "07:00",
            "end": "15:00",
        },
        targeted=False,
    ),
    Endpoint("GET", "/api/shifts/units/{unit}/rules", scoped({R.PLANNER, R.LEADER})),
    Endpoint("PUT", "/api/shifts/units/{unit}/rules", scoped({R.LEADER}), body=lambda w: {"norm_weeks": 4}),
    Endpoint("GET", "/api/shifts/balance", lambda r, t: 200, targeted=False),
    # Swaps are decided per shift and per offer (yours, offered to you): test_shifts.py.
    Endpoint(
        "POST",
        "/api/shifts/swaps",
        lambda r, t: 404,
        body=lambda w: {"id": str(uuid.uuid4()), "shift": str(uuid.uuid4())},
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/shifts/swaps/accept",
        lambda r, t: 404,
        body=lambda w: {"id": str(uuid.uuid4())},
        targeted=False,
    ),
    # Taking is decided per open shift (offered to you or not): test_shifts.py.
    Endpoint(
        "POST",
        "/api/shifts/open/take",
        lambda r, t: 404,
        body=lambda w: {"id": str(uuid.uuid4())},
        targeted=False,
    ),
    # --- laying the plan (issue 13): people's hours and competences, absences, the base plan, 12 weeks ---
    Endpoint("GET", "/api/shifts/units/{unit}/people", scoped({R.PLANNER, R.LEADER})),
    Endpoint(
        "PUT",
        "/api/shifts/units/{unit}/people",
        scoped({R.PLANNER, R.LEADER}),
        body=lambda w: {"employee": w.in_a1.id, "weekly_minutes": 1800, "competences": ["kørekort"]},
    ),
    Endpoint("GET", "/api/shifts/units/{unit}/absences", scoped({R.PLANNER, R.LEADER})),
    Endpoint(
        "POST",
        "/api/shifts/units/{unit}/absences",
        scoped({R.PLANNER, R.LEADER}),
        body=lambda w: {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"absence/{w.municipality.id}")),
            "employee": w.in_a1.id,
            "kind": "ferie",
            "first": today().isoformat(),
            "last": today().isoformat(),
        },
    ),
    Endpoint("DELETE", "/api/shifts/units/{unit}/absences/{record}", scoped({R.PLANNER, R.LEADER})),
    Endpoint("GET", "/api/shifts/absences/mine", lambda r, t: 200, targeted=False),
    Endpoint(
        "GET", "/api/shifts/units", lambda r, t: 200, targeted=False
    ),  # empty for those who plan nothing
    Endpoint("GET", "/api/shifts/units/{unit}/base-plan", scoped({R.PLANNER, R.LEADER})),
    Endpoint(
        "PUT",
        "/api/shifts/units/{unit}/base-plan",
        scoped({R.PLANNER, R.LEADER}),
        body=lambda w: {"weeks": 8, "anchor": "2026-01-05", "slots": []},
    ),
    Endpoint(  # allowed on the own unit, which has no base plan yet: told so in words (400)
        "POST",
        "/api/shifts/units/{unit}/base-plan/rollout",
        lambda r, t: (
            400 if scoped({R.PLANNER, R.LEADER})(r, t) == 200 else scoped({R.PLANNER, R.LEADER})(r, t)
        ),
        body=lambda w: {"first": today().isoformat(), "last": today().isoformat()},
    ),
    Endpoint("GET", "/api/shifts/units/{unit}/plan", scoped({R.PLANNER, R.LEADER})),
    # Weekly approval: the unit's leader only (the list and its approval rules: test_shifts_approval.py).
    Endpoint("GET", "/api/shifts/units/{unit}/approval?week=2026-W50", scoped({R.LEADER})),
    Endpoint(
        "POST",
        "/api/shifts/units/{unit}/approval",
        lambda r, t: (
            400 if scoped({R.LEADER})(r, t) == 200 else scoped({R.LEADER})(r, t)
        ),  # nothing to approve
        body=lambda w: {"week": "2026-W50", "version": 0, "changes": 0},
    ),
    Endpoint("GET", "/api/shifts/approval/{record}", lambda r, t: 404, targeted=False),
    Endpoint("GET", "/api/payroll/unapproved", only({R.PAYROLL}), targeted=False),
    Endpoint("GET", "/api/payroll/wage-types", only({R.ADMIN, R.PAYROLL, R.FINANCE}), targeted=False),
    Endpoint(
        "PUT",
        "/api/payroll/wage-types",
        only({R.ADMIN}),
        body=lambda w: {"mileage_low": "1234"},
        targeted=False,
    ),  # Substitutes' hours: the unit's printable check-in code, for its secretary.
    Endpoint("GET", "/api/substitutes/units/{unit}/checkin.svg", scoped({R.SECRETARY})),
    Endpoint("GET", "/api/substitutes/settings", only({R.ADMIN, R.PAYROLL, R.FINANCE}), targeted=False),
    Endpoint(
        "PUT",
        "/api/substitutes/settings",
        only({R.ADMIN}),
        body=lambda w: {"rates": [], "deadline_day": 5, "deadline_clock": "16:00", "max_months_back": 2},
        targeted=False,
    ),
    # --- facility (issue 15); the public door and links: tests/api/test_facility.py ---
    Endpoint("GET", "/api/facility/buildings", only({R.PROPERTY_OFFICE, R.ADMIN}), targeted=False),
    Endpoint(
        "PUT",
        "/api/facility/buildings",
        lambda r, t: 404 if r in {R.PROPERTY_OFFICE, R.ADMIN} else 403,
        body=lambda w: {"id": 987654, "open_reporting": True},
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/facility/buildings/rotate",
        lambda r, t: 404 if r == R.ADMIN else 403,
        body=lambda w: {"id": 987654},
        targeted=False,
    ),
    Endpoint("GET", "/api/facility/technicians", only({R.PROPERTY_OFFICE}), targeted=False),
    Endpoint(
        "POST",
        "/api/facility/import",
        only({R.PROPERTY_OFFICE, R.ADMIN}),
        body=lambda w: "building;address;unit_code;room\nSkolen;Vej 1;A1;3.A\n",
        targeted=False,
    ),
    Endpoint(
        "GET",
        "/api/facility/labels.pdf?building=987654",
        lambda r, t: 404 if r in {R.PROPERTY_OFFICE, R.ADMIN} else 403,
        targeted=False,
    ),
    # Facility planning (teams, categories, recurring tasks, editing buildings and rooms):
    Endpoint("GET", "/api/facility/teams", only({R.PROPERTY_OFFICE}), targeted=False),
    Endpoint(
        "PUT",
        "/api/facility/teams",
        lambda r, t: 404 if r == R.PROPERTY_OFFICE else 403,
        body=lambda w: {"id": 987654, "name": "Hold", "members": []},
        targeted=False,
    ),
    Endpoint("GET", "/api/facility/teams/mine", only({R.PROPERTY_OFFICE, R.TECHNICIAN}), targeted=False),
    Endpoint("GET", "/api/facility/categories", lambda r, t: 200, targeted=False),
    Endpoint(
        "PUT",
        "/api/facility/categories",
        only({R.PROPERTY_OFFICE, R.ADMIN}),
        body=lambda w: {"key": "matrix", "da": "Matrix", "en": "Matrix"},
        targeted=False,
    ),
    Endpoint("GET", "/api/facility/recurring", only({R.PROPERTY_OFFICE}), targeted=False),
    Endpoint(
        "PUT",
        "/api/facility/recurring",
        lambda r, t: 404 if r == R.PROPERTY_OFFICE else 403,
        body=lambda w: {
            "building_id": 987654,
            "title": "Eftersyn",
            "category": "outdoor",
            "every": 1,
            "unit": "years",
            "start": "2027-01-01",
        },
        targeted=False,
    ),
    Endpoint(
        "PUT",
        "/api/facility/buildings/details",
        lambda r, t: 404 if r in {R.PROPERTY_OFFICE, R.ADMIN} else 403,
        body=lambda w: {"id": 987654, "name": "Skolen"},
        targeted=False,
    ),
    Endpoint(
        "PUT",
        "/api/facility/rooms",
        lambda r, t: 404 if r in {R.PROPERTY_OFFICE, R.ADMIN} else 403,
        body=lambda w: {"building_id": 987654, "name": "3.A"},
        targeted=False,
    ),
    # Facility, part two: signed-in reporting (any employee of the municipality; an unknown code: 404),
    # a report's photos (who may work on it; an unknown report: 404), merging (the property office).
    Endpoint("GET", "/api/facility/rooms/{account}", lambda r, t: 404, targeted=False),
    Endpoint(
        "POST",
        "/api/facility/rooms/{account}/report",
        lambda r, t: 404,
        body=lambda w: {"id": "00000000-0000-4000-8000-000000000002", "fields": {}},
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/facility/rooms/{account}/follow",
        lambda r, t: 404,
        body=lambda w: {"report_id": "00000000-0000-4000-8000-000000000002", "secret": "A" * 24},
        targeted=False,
    ),
    Endpoint("GET", "/api/facility/reports/{record}/photos", lambda r, t: 404, targeted=False),
    Endpoint(
        "GET", "/api/facility/reports/{record}/photo?sha256=" + "0" * 64, lambda r, t: 404, targeted=False
    ),
    Endpoint(
        "POST",
        "/api/facility/reports/merge",
        lambda r, t: 404 if r == R.PROPERTY_OFFICE else 403,
        body=lambda w: {
            "keep": "00000000-0000-4000-8000-000000000002",
            "merge": "00000000-0000-4000-8000-000000000003",
        },
        targeted=False,
    ),
    # Web push: each person's own devices and choices; the reminder days are the municipality's settings.
    Endpoint("GET", "/api/push", lambda r, t: 200, targeted=False),
    Endpoint(
        "PUT",
        "/api/push/choices",
        lambda r, t: 200,
        body=lambda w: {"off": [], "digest": False},
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/push/subscriptions",
        lambda r, t: 200,
        body=lambda w: PUSH_SUBSCRIPTION,
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/push/subscriptions/check",
        lambda r, t: 200,
        body=lambda w: {"endpoint": "https://fcm.googleapis.com/x"},
        targeted=False,
    ),
    Endpoint(
        "POST",
        "/api/push/subscriptions/remove",
        lambda r, t: 200,
        body=lambda w: {"endpoint": "https://fcm.googleapis.com/x"},
        targeted=False,
    ),
    Endpoint("GET", "/api/push/reminder-days", only({R.ADMIN, R.PAYROLL, R.FINANCE}), targeted=False),
    Endpoint("PUT", "/api/push/reminder-days", only({R.ADMIN}), body=lambda w: {}, targeted=False),
    # Substitutes' invitations (issue 14): the unit's secretary; other unit / municipality and the invited
    # outsider herself: tests/api/test_substitute_invitations.py.
    Endpoint("GET", "/api/substitutes/invitations", only({R.SECRETARY}), targeted=False),
    Endpoint(
        "POST",
        "/api/substitutes/invitations",
        only({R.SECRETARY}),
        body=lambda w: {"unit": w.units["A1"].id, "name": "Matrix Vikar", "email": "matrix@example.org"},
        targeted=False,
    ),
    Endpoint("POST", "/api/substitutes/invitations/{invitation}/withdraw", lambda r, t: 404, targeted=False),
]
PUBLIC = {
    ("GET", "/api/health"),
    ("GET", "/auth/municipalities"),
    ("GET", "/auth/login/{slug:str}"),
    ("GET", "/auth/callback"),
    ("POST", "/auth/logout"),
    ("GET", "/auth/demo/users"),
    ("POST", "/auth/demo/login"),
    ("POST", "/api/doors/{record_type:str}/{key:str}"),  # the narrow door: tests/api/test_platform.py
    ("GET", "/api/facility/public/rooms/{code:str}"),  # facility's door: tests/api/test_facility.py
    ("POST", "/api/facility/public/rooms/{code:str}/follow"),
    ("POST", "/api/facility/public/receipts/{report_id:uuid}"),
    ("POST", "/api/facility/public/receipts/{report_id:uuid}/fix-photo"),
    ("POST", "/auth/code"),  # one-time codes for invited outsiders: tests/api/test_substitute_invitations.py
    ("POST", "/auth/code/sign-in"),
    # the reporter's photos through the door (narrow, rate-limited): tests/api/test_facility_photos.py
    ("PUT", "/api/facility/public/reports/{report_id:uuid}/photos/{sha256:str}"),
    ("POST", "/api/facility/public/reports/{report_id:uuid}/my-photos"),
}
# Sync routes are guarded per record, not per endpoint: tests/api/test_sync_api.py checks who sees and
# changes what; here only that they are signed-in only.
SIGNED_IN_ONLY = {
    ("POST", "/api/sync/push"),
    ("GET", "/api/sync/pull"),
    ("HEAD", "/api/sync/blobs/{sha256:str}"),
    ("PUT", "/api/sync/blobs/{sha256:str}"),
    ("GET", "/api/sync/blobs/{sha256:str}"),
    ("GET", "/api/sync/types"),
}


def _path(endpoint: Endpoint, world: World, target: str) -> str:
    unit = {"own": world.units["A1"], "other": world.units["B"], "foreign": world.other_unit}[target]
    user = {"own": world.in_a1, "other": world.in_b, "foreign": world.other_employee}[target]
    return endpoint.path.format(
        unit=unit.id,
        user=user.id,
        account="1-2.9",
        record_type="trip",
        transition="approve",
        export=987654,
        authorisation=987654,
        record="00000000-0000-4000-8000-000000000001",
        standin=987654,
        invitation=987654,
    )


async def _call(client: AsyncTestClient, endpoint: Endpoint, world: World, path: str) -> int:
    body = endpoint.body(world) if endpoint.body else None
    kwargs: dict[str, Any] = {}
    if isinstance(body, str):
        kwargs = {"content": body.encode(), "headers": {"content-type": "text/csv"}}
    elif body is not None:
        kwargs = {"json": body}
    return (await client.request(endpoint.method, path, **kwargs)).status_code


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
async def test_each_role_gets_exactly_its_access(
    endpoint: Endpoint, client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    wrong = []
    for role in Role:
        await sign_in(client, db, world.by_role[role], settings)
        for target in TARGETS if endpoint.targeted else ("own",):
            got = await _call(client, endpoint, world, _path(endpoint, world, target))
            want = endpoint.expect(role, target)
            if got != want:
                wrong.append(f"{role.value:16} {target:8} got {got}, want {want}")
            # Undo a successful deactivation so the next role meets the same world.
            await db.execute(
                update(User).where(User.municipality_id == world.municipality.id).values(active=True)
            )
            await db.commit()
    assert not wrong, f"{endpoint.method} {endpoint.path}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
async def test_signed_out_gets_401(endpoint: Endpoint, client: AsyncTestClient, db: AsyncSession) -> None:
    world = await build_world(db)
    assert await _call(client, endpoint, world, _path(endpoint, world, "own")) == 401


async def test_every_route_is_in_the_matrix_or_public(settings: Settings) -> None:
    """A new endpoint must be added above, with who may use it, before the suite passes."""
    app = create_app(settings)
    routes = {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", set())
        if method not in {"HEAD", "OPTIONS"}
        and not route.path.startswith("/schema")
        and route.path != "/"
        and not route.path.startswith("/{")
    }
    covered = PUBLIC | {
        (
            e.method,
            e.path.replace("{unit}", "{unit_id:int}")
            .replace("{user}", "{user_id:int}")
            .replace("{account}", "{code:str}")
            .replace("{record_type}", "{record_type:str}")
            .replace("{transition}", "{transition:str}")
            .replace("{export}", "{export_id:int}")
            .replace("{authorisation}", "{authorisation_id:int}")
            .replace("{record}", "{record_id:uuid}")
            .replace("{standin}", "{stand_in_id:int}")
            .replace("{invitation}", "{invitation_id:int}")
            .split("?")[0],
        )
        for e in ENDPOINTS
    }
    assert routes - covered - SIGNED_IN_ONLY == set()


@pytest.mark.parametrize("method,path", sorted(SIGNED_IN_ONLY))
async def test_sync_routes_need_a_signed_in_user(method: str, path: str, client: AsyncTestClient) -> None:
    url = path.replace("{sha256:str}", "0" * 64)
    response = await client.request(
        method, url, params={"device_id": str(uuid.uuid4())}, headers={"x-felt-schema": "1"}
    )
    assert response.status_code == 401


async def test_lists_never_show_another_municipality(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    await sign_in(client, db, world.by_role[Role.ADMIN], settings)
    unit_ids = {u["id"] for u in (await client.get("/api/units")).json()}
    assert world.other_unit.id not in unit_ids and world.units["B"].id in unit_ids
    root = next(u for u in world.units.values() if u.parent_id is None)
    staff_ids = {u["id"] for u in (await client.get(f"/api/units/{root.id}/staff")).json()}
    assert world.in_b.id in staff_ids and world.other_employee.id not in staff_ids
    audit = (await client.get("/api/audit?limit=500")).json()
    assert audit and all(
        str(world.other_employee.id) != e["entity_id"] or e["entity"] != "app_user" for e in audit
    )


async def test_units_can_be_narrowed_to_those_whose_staff_i_may_see(
    client: AsyncTestClient, db: AsyncSession, settings: Settings
) -> None:
    world = await build_world(db)
    codes = {}
    for role in (Role.LEADER, Role.PAYROLL, Role.EMPLOYEE):
        await sign_in(client, db, world.by_role[role], settings)
        codes[role] = [u["code"] for u in (await client.get("/api/units?access=view_staff")).json()]
    assert codes[Role.LEADER] == ["A", "A1"]
    assert set(codes[Role.PAYROLL]) == set(world.units) and codes[Role.EMPLOYEE] == []
    assert (await client.get("/api/units?access=everything")).status_code == 400
