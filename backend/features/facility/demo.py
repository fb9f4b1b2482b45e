"""Demo facility data: Nordskolen and Børnehuset Solsikken with rooms (open to reports without log-in),
Jens the technician covering Børn og Unge, and reports in every state for Ida's board and Jens's list
(received; planned, the urgent one due today; in progress; done with a photo of the fix, drawn by
demo_photos, whose reporter's private link is DONE_LINK; rejected with a reason); the daycares' flying
team (Jens on it) with a report planned for it, and a yearly playground inspection.

Reports go in through the door and the push pipeline, as a phone would send them. Idempotent: fixed
report ids and fixed devices; buildings are made once.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import today
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.features.facility import recurring, service, teams
from backend.features.facility.demo_photos import cistern_fixed, store_upload
from backend.features.facility.models import Building, Room
from backend.features.facility.planning_models import Schedule
from backend.features.facility.record_type import REPORT
from backend.features.facility.rules.codes import new_code
from backend.features.sync import pipeline
from backend.platform import Platform
from backend.seed.people import principal_of, push_as
from backend.settings import load_settings
from sync.protocol import Mutation

NAMESPACE = uuid.UUID("0b7d8f52-4f0e-4c1e-a3a4-9d8c2f1e6b30")

BUILDINGS = [
    ("SKOLE", "Nordskolen", "Skolevej 10, Bogense", ["Klasse 3.A", "Klasse 4.B", "Faglokale fysik", "Gymnastiksal", "Toiletter ved aulaen"]),
    ("DAG", "Børnehuset Solsikken", "Solsikkevej 2, Bogense", ["Stue Mælkebøtten", "Stue Kornblomsten", "Legepladsen", "Køkkenet"]),
]  # fmt: skip

REPORTS = [
    # (building, room, category, text, urgency, steps)
    (0, 0, "electricity", "Lysstofrøret over tavlen blinker hele tiden.", "normal", []),
    (0, 3, "doors_windows", "Nødudgangsdøren lukker ikke af sig selv.", "urgent", ["plan"]),
    (1, 2, "outdoor", "Gyngens kæde er rusten og knirker.", "normal", ["plan", "start"]),
    (1, 3, "plumbing", "Opvaskemaskinen lækker lidt.", "low", ["reject"]),
    (0, 4, "plumbing", "Toilettet løber hele tiden; det suser i hele aulaen.", "normal", ["plan", "start", "finish"]),
]  # fmt: skip
DONE = 4
"""The report Jens finished with a photo of the fix (REPORTS' index)."""
DONE_SECRET = base64.urlsafe_b64encode(hashlib.sha256(b"felt demo: done report").digest()[:18]).decode()
"""The private link of the done report's reporter, fixed so the demo can be shown: open
`#/kvittering/{DONE_LINK}`. Demo data only; a real link's secret is made on the reporter's phone."""


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))


DONE_LINK = f"{_id('report', DONE)}/{DONE_SECRET}"


async def _user(db: AsyncSession, municipality_id: int, number: str) -> User:
    return (
        await db.scalars(
            select(User).where(User.municipality_id == municipality_id, User.employee_number == number)
        )
    ).one()


async def seed_facility(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    """Buildings, rooms, Jens's technician grant over Børn og Unge, and a report in each open state."""
    rooms: list[list[Room]] = []
    for unit_code, name, address, names in BUILDINGS:
        unit = (
            await db.scalars(
                select(OrgUnit).where(OrgUnit.municipality_id == municipality_id, OrgUnit.code == unit_code)
            )
        ).one()
        building = (
            await db.scalars(
                select(Building).where(Building.municipality_id == municipality_id, Building.name == name)
            )
        ).one_or_none()
        if building is None:
            building = Building(
                municipality_id=municipality_id,
                unit_id=unit.id,
                name=name,
                address=address,
                open_reporting=True,
            )
            db.add(building)
            await db.flush()
            db.add_all(
                Room(municipality_id=municipality_id, building_id=building.id, name=n, code=new_code())
                for n in names
            )
            await db.flush()
        rooms.append(
            list(
                (
                    await db.scalars(select(Room).where(Room.building_id == building.id).order_by(Room.id))
                ).all()
            )
        )
    jens = await _user(db, municipality_id, "1010")
    area = (
        await db.scalars(
            select(OrgUnit).where(OrgUnit.municipality_id == municipality_id, OrgUnit.code == "BORN")
        )
    ).one()
    if not (
        await db.scalars(
            select(RoleAssignment).where(RoleAssignment.user_id == jens.id, RoleAssignment.unit_id == area.id)
        )
    ).first():
        db.add(
            RoleAssignment(
                municipality_id=municipality_id,
                user_id=jens.id,
                role="technician",
                unit_id=area.id,
                source="demo",
            )
        )
    await db.commit()

    for i, (b, r, category, text, urgency, _) in enumerate(REPORTS):
        fields = {"code": rooms[b][r].code, "category": category, "text": text, "urgency": urgency}
        await pipeline.through_door(db, platform, REPORT, rooms[b][r].code, _id("report", i), fields)
    await service.follow(db, rooms[0][4], _id("report", DONE), DONE_SECRET)
    await db.commit()
    ida = await principal_of(db, platform, municipality_id, "1009")
    mutations: list[Mutation] = []
    for i, (*_, urgency, steps) in enumerate(REPORTS):
        rid = _id("report", i)
        if "plan" in steps and i != DONE:
            due = (today() + timedelta(days=0 if urgency == "urgent" else 7)).isoformat()
            mutations.append(Mutation(0, "put", REPORT, rid, fields={"assignee": jens.id, "due": due}))
            mutations.append(Mutation(0, "transition", REPORT, rid, transition="plan"))
        if "reject" in steps:
            mutations.append(
                Mutation(
                    0,
                    "transition",
                    REPORT,
                    rid,
                    transition="reject",
                    fields={"note": "Køkkenet er lejet ud; udlejer sørger for det."},
                )
            )
    await push_as(db, platform, ida, _id("device", "ida"), mutations)
    me = await principal_of(db, platform, municipality_id, "1010")
    starts = [
        Mutation(0, "transition", REPORT, _id("report", i), transition="start")
        for i, (*_, s) in enumerate(REPORTS)
        if "start" in s and i != DONE
    ]
    await push_as(db, platform, me, _id("device", "jens"), starts)
    await _done_with_a_photo(db, platform, municipality_id, jens.id)
    await seed_planning(db, platform, municipality_id)


async def _done_with_a_photo(db: AsyncSession, platform: Platform, municipality_id: int, jens: int) -> None:
    """The done report: planned by Ida for Jens (due yesterday), started and finished by Jens with a photo
    of the fix he uploaded; pushed from devices of its own, so an older demo database gains it too."""
    rid = _id("report", DONE)
    due = (today() - timedelta(days=1)).isoformat()
    ida = await principal_of(db, platform, municipality_id, "1009")
    plan = [
        Mutation(0, "put", REPORT, rid, fields={"assignee": jens, "due": due}),
        Mutation(0, "transition", REPORT, rid, transition="plan"),
    ]
    await push_as(db, platform, ida, _id("device", "ida-done"), plan)
    sha = await store_upload(db, load_settings().data_dir, municipality_id, jens, cistern_fixed())
    me = await principal_of(db, platform, municipality_id, "1010")
    work = [
        Mutation(0, "transition", REPORT, rid, transition="start"),
        Mutation(0, "put", REPORT, rid, fields={"fix_photos": [sha]}),
        Mutation(0, "transition", REPORT, rid, transition="finish"),
    ]
    await push_as(db, platform, me, _id("device", "jens-done"), work)
    await db.commit()


TEAM = "Flyverholdet – daginstitutioner"
PLAYGROUND = "Årligt eftersyn af legepladsens redskaber"
TEAM_REPORT = ("Stue Mælkebøtten", "heating", "Radiatoren under vinduet er kold.", "normal")
"""A daycare report planned for the flying team: (room, category, text, urgency)."""


async def seed_planning(db: AsyncSession, platform: Platform, municipality_id: int) -> None:
    """Ida's planning: the daycares' flying team with Jens on it, a report planned for the team, and a
    yearly playground inspection (a recurring task) whose next occurrence the daily job makes now."""
    jens = await _user(db, municipality_id, "1010")
    team = await teams.save(db, municipality_id, None, TEAM, True, [jens.id])
    assert team is not None
    daycare = (
        await db.scalars(
            select(Building).where(
                Building.municipality_id == municipality_id, Building.name == BUILDINGS[1][1]
            )
        )
    ).one()
    rooms = (await db.scalars(select(Room).where(Room.building_id == daycare.id).order_by(Room.id))).all()
    playground = next(r for r in rooms if r.name == "Legepladsen")
    day = today()
    made = await db.scalar(
        select(Schedule.id).where(Schedule.municipality_id == municipality_id, Schedule.title == PLAYGROUND)
    )
    if made is None:  # made once: its start stays the day it was first seeded
        await recurring.save_schedule(
            db,
            municipality_id,
            recurring.ScheduleIn(
                None,
                daycare.id,
                playground.id,
                PLAYGROUND,
                "outdoor",
                1,
                "years",
                day + timedelta(days=10),
                team.id,
                None,
                True,
            ),
            day,
        )
    await db.commit()
    await recurring.run(db, platform, day)
    await db.commit()

    room_name, category, text, urgency = TEAM_REPORT
    room = next(r for r in rooms if r.name == room_name)
    rid = _id("team-report")
    fields = {"code": room.code, "category": category, "text": text, "urgency": urgency}
    await pipeline.through_door(db, platform, REPORT, room.code, rid, fields)
    ida = await principal_of(db, platform, municipality_id, "1009")
    due = (day + timedelta(days=3)).isoformat()
    await push_as(
        db,
        platform,
        ida,
        _id("device", "ida-team"),
        [
            Mutation(0, "put", REPORT, rid, fields={"team": team.id, "due": due}),
            Mutation(0, "transition", REPORT, rid, transition="plan"),
        ],
    )
