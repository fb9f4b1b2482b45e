"""Every record type × transition (and seeing, editing, photos) × role × own unit / other unit / other
municipality, through the sync push and pull as a phone or tablet uses them.

The records belong to employees of unit A1 ("own": below A, where the unit-scoped roles are granted),
unit B ("other") and the neighbouring municipality ("foreign"). Who may do what is restated here by
hand from the workflows' declarations, so a change to it must be made in both places.
"""

from __future__ import annotations

import hashlib
import uuid

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Role
from backend.db.models import User
from backend.db.sync_tables import SYNC
from backend.features.sync import pipeline
from backend.features.workflow import Change
from backend.platform import Platform
from backend.settings import Settings
from sync import engine
from tests import images
from tests.api.test_mileage import trip
from tests.api.test_receipt_payment import FIELDS as RECEIPT
from tests.api.test_sync_api import Device, new_id
from tests.conftest import sign_in
from tests.world import World, build_world

pytestmark = pytest.mark.anyio

R = Role
TARGETS = ("own", "other", "foreign")
SUBJECT = "subject"
"""The employee the record is about, beside the ten roles."""


def _covers(roles: set[Role], wide: set[Role]) -> dict[str, set[Role | str]]:
    """Roles granted on unit A reach "own" records; municipality-wide ones "other" too; none "foreign"."""
    return {"own": set(roles), "other": roles & wide, "foreign": set()}


WIDE = {R.PAYROLL, R.FINANCE, R.PROPERTY_OFFICE, R.ADMIN}
REVIEWERS = _covers({R.LEADER, R.FINANCE}, WIDE)
APPROVERS = _covers({R.LEADER}, WIDE)
PAYROLL = _covers({R.PAYROLL}, WIDE)
OWNER_ONLY: dict[str, set[Role | str]] = {t: {SUBJECT} for t in TARGETS}

# (record type, transition or action, the state it starts in) → who may, per target.
MATRIX: dict[tuple[str, str, str], dict[str, set[Role | str]]] = {
    ("receipt", "see", "draft"): {t: REVIEWERS[t] | {SUBJECT} for t in TARGETS},
    ("receipt", "edit", "draft"): OWNER_ONLY,
    ("receipt", "submit", "draft"): OWNER_ONLY,
    ("receipt", "withdraw", "submitted"): OWNER_ONLY,
    ("receipt", "send_to_payroll", "submitted"): PAYROLL,
    ("receipt", "sign_off", "in_review"): REVIEWERS,
    ("receipt", "reject", "in_review"): REVIEWERS,
    ("receipt", "photo", "draft"): {t: REVIEWERS[t] | {SUBJECT} for t in TARGETS},
    ("trip", "see", "draft"): {t: APPROVERS[t] | {SUBJECT} for t in TARGETS},
    ("trip", "edit", "draft"): OWNER_ONLY,
    ("trip", "submit", "draft"): OWNER_ONLY,
    ("trip", "withdraw", "submitted"): OWNER_ONLY,
    ("trip", "approve", "submitted"): APPROVERS,
    ("trip", "reject", "submitted"): APPROVERS,
    ("trip", "send_to_payroll", "approved"): PAYROLL,
    ("trip", "mark_paid", "sent_to_payroll"): PAYROLL,
    ("place", "see", "draft"): OWNER_ONLY,
    ("place", "edit", "draft"): OWNER_ONLY,
    ("no_car_day", "see", "draft"): OWNER_ONLY,
    ("no_car_day", "edit", "draft"): OWNER_ONLY,
}

FORCED = {
    ("receipt", "in_review"): [("send_to_payroll", "paid"), ("draw", "in_review")],
    ("trip", "approved"): [("approve", "approved")],
    ("trip", "sent_to_payroll"): [("approve", "approved"), ("send_to_payroll", "sent_to_payroll")],
}
"""How a record reaches a state the test does not make through people's own steps."""

FIELDS = {
    "receipt": {**RECEIPT, "account": "1-2.9"},
    "trip": trip(),
    "place": {"name": "Hjem", "kind": "home", "km_to_work": "12"},
    "no_car_day": {"date": "2025-03-10", "workplace": "Skolen Vest"},
}
EDIT = {"place": {"name": "Ændret"}, "no_car_day": {"workplace": "Ændret"}}


def _subject(world: World, target: str) -> User:
    return {"own": world.in_a1, "other": world.in_b, "foreign": world.other_employee}[target]


def _actors(world: World, target: str) -> list[tuple[Role | str, User]]:
    return [(SUBJECT, _subject(world, target)), *((role, world.by_role[role]) for role in Role)]


async def _record(
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
    subject: User,
    kind: str,
    state: str,
) -> str:
    """A record of `kind` about `subject`, made as their phone would, then moved to `state`."""
    await sign_in(client, db, subject, settings)
    device, rid = Device(client, kind), new_id()
    steps = [device.put(rid, FIELDS[kind])]
    if state != "draft":
        steps.append(device.move(rid, "submit"))
    answer = await device.push(*steps)
    assert all(r["status"] == "applied" for r in answer["results"]), answer
    for step, reached in FORCED.get((kind, state), ()):  # the server's own steps: payroll's, the draw's
        record = await engine.load(db, SYNC, uuid.UUID(rid))
        assert record is not None
        await pipeline.save(
            db, platform, [Change(record, record.fields, state=reached, step=step)], commit=True
        )
    return rid


async def _may(client: AsyncTestClient, kind: str, action: str, rid: str, sha: str | None) -> bool:
    device = Device(client, kind)
    if action == "see":
        return rid in await device.pull()
    if action == "photo":
        return (await client.get(f"/api/sync/blobs/{sha}")).status_code == 200
    if action == "edit":
        mutation = device.put(rid, EDIT.get(kind, {"purpose": "Ændret"}))
    else:
        mutation = device.move(rid, action)
        mutation["fields"] = {"note": "Begrundelse"}
    result = (await device.push(mutation))["results"][0]
    return bool(result["status"] == "applied")


@pytest.mark.parametrize(("kind", "action", "state"), sorted(MATRIX), ids=lambda v: str(v))
async def test_each_role_may_exactly_what_the_record_type_declares(
    kind: str,
    action: str,
    state: str,
    client: AsyncTestClient,
    db: AsyncSession,
    settings: Settings,
    platform: Platform,
) -> None:
    world = await build_world(db)
    wrong = []
    for target in TARGETS:
        subject = _subject(world, target)
        shared = None
        if action in ("see", "photo"):
            shared = await _record(client, db, settings, platform, subject, kind, state)
        sha = None
        if action == "photo":
            photo = images.jpeg(tag=f"{target}-{uuid.uuid4()}")
            sha = hashlib.sha256(photo).hexdigest()
            await sign_in(client, db, subject, settings)
            assert (await client.put(f"/api/sync/blobs/{sha}", content=photo)).status_code == 200
            device = Device(client, kind)
            await device.push(device.put(shared or "", {"photos": [sha]}))
        for who, user in _actors(world, target):
            rid = shared or await _record(client, db, settings, platform, subject, kind, state)
            await sign_in(client, db, user, settings)
            got = await _may(client, kind, action, rid, sha)
            want = who in MATRIX[(kind, action, state)][target]
            if got != want:
                wrong.append(
                    f"{who!s:16} {target:8} got {'yes' if got else 'no'}, want {'yes' if want else 'no'}"
                )
    assert not wrong, f"{kind} {action} (from {state}):\n" + "\n".join(wrong)


def test_the_matrix_names_every_transition_of_every_record_type(platform: Platform) -> None:
    """A new transition must be added above, with who may make it, before the suite passes."""
    declared = {
        (name, t.name)
        for name in platform.registry.names()
        if name in FIELDS
        for t in platform.registry.get(name).transitions  # type: ignore[union-attr]
    }
    assert declared <= {(kind, action) for kind, action, _ in MATRIX}
    assert {
        name for name in platform.registry.names() if name in ("receipt", "trip", "place", "no_car_day")
    } == set(FIELDS)
