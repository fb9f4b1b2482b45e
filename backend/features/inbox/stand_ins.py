"""Naming, changing and withdrawing stand-ins (stedfortrædere): the rules are stand_in_rules.py.

A leader names a stand-in for a unit they lead (or one below it); an admin may do it for any leader.
The stand-in is an active person of the same municipality, not the leader themself.
"""

from __future__ import annotations

from datetime import date

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Capability, Principal, Role
from backend.clock import today
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.errors import Forbidden, Invalid, NotFound
from backend.features.inbox import stand_in_rules as rules
from backend.features.inbox.models import StandIn
from backend.web.params import BodyId

MAX_CANDIDATES = 500


class StandInOut(msgspec.Struct):
    id: int
    unit_id: int
    unit_name: str
    leader_id: int
    leader_name: str
    stand_in_id: int
    stand_in_name: str
    starts: date
    ends: date
    started: bool
    active: bool


class StandInIn(msgspec.Struct, forbid_unknown_fields=True):
    stand_in_id: BodyId
    starts: date
    ends: date
    unit_id: BodyId | None = None
    """Default: the unit of the leader's (first) leader role."""


class StandInChange(msgspec.Struct, forbid_unknown_fields=True):
    ends: date
    starts: date | None = None


class Person(msgspec.Struct):
    id: int
    name: str
    unit_name: str | None


def _led_units(principal: Principal) -> list[tuple[int, str]]:
    return [
        (g.unit_id, g.unit_path) for g in principal.grants if g.role == Role.LEADER and g.on_behalf_of is None
    ]


def _refused(e: rules.PeriodRefused) -> Invalid:
    return Invalid(e.da, e.en)


async def _out(db: AsyncSession, rows: list[StandIn]) -> list[StandInOut]:
    people = {r.leader_id for r in rows} | {r.stand_in_id for r in rows}
    names: dict[int, str] = {
        i: n for i, n in await db.execute(select(User.id, User.name).where(User.id.in_(people)))
    }
    units = {r.unit_id for r in rows}
    unit_names: dict[int, str] = {
        i: n for i, n in await db.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(units)))
    }
    day = today()
    return [
        StandInOut(
            r.id,
            r.unit_id,
            unit_names.get(r.unit_id, ""),
            r.leader_id,
            names.get(r.leader_id, ""),
            r.stand_in_id,
            names.get(r.stand_in_id, ""),
            r.starts,
            r.ends,
            started=r.starts <= day,
            active=r.starts <= day <= r.ends,
        )
        for r in rows
    ]


async def listed(db: AsyncSession, principal: Principal) -> list[StandInOut]:
    """The periods I named or stand in for, and (for an admin) all of the municipality's; not yet ended."""
    query = select(StandIn).where(
        StandIn.municipality_id == principal.municipality_id, StandIn.ends >= today()
    )
    if not principal.can_anywhere(Capability.MANAGE_STAFF):
        query = query.where(
            or_(StandIn.leader_id == principal.user_id, StandIn.stand_in_id == principal.user_id)
        )
    return await _out(db, list(await db.scalars(query.order_by(StandIn.starts, StandIn.id))))


async def candidates(db: AsyncSession, principal: Principal) -> list[Person]:
    """Who can stand in: the active people of the municipality except me, leaders and my units' staff first."""
    paths = [p for _, p in _led_units(principal)]
    leaders = select(RoleAssignment.user_id).where(RoleAssignment.role == Role.LEADER.value)
    rows = await db.execute(
        select(User.id, User.name, OrgUnit.name, OrgUnit.path, User.id.in_(leaders))
        .outerjoin(OrgUnit, OrgUnit.id == User.unit_id)
        .where(
            User.municipality_id == principal.municipality_id,
            User.active.is_(True),
            User.id != principal.user_id,
        )
        .order_by(User.name)
        .limit(5000)
    )
    people = [
        (not (is_leader or any((path or "").startswith(p) for p in paths)), name, Person(i, name, unit))
        for i, name, unit, path, is_leader in rows
    ]
    return [p for *_, p in sorted(people, key=lambda x: (x[0], x[1]))][:MAX_CANDIDATES]


async def _leader_unit(db: AsyncSession, principal: Principal, unit_id: int | None) -> tuple[int, int]:
    """(leader id, unit id) the period is for: a unit the signed-in leader leads."""
    led = _led_units(principal)
    if not led:
        raise Forbidden("Kun en leder kan udpege en stedfortræder.", "Only a leader can name a stand-in.")
    if unit_id is None:
        return principal.user_id, led[0][0]
    unit = await db.get(OrgUnit, unit_id)
    if (
        unit is None
        or unit.municipality_id != principal.municipality_id
        or not any(unit.path.startswith(p) for _, p in led)
    ):
        raise NotFound("Enheden findes ikke.", "The unit does not exist.")
    return principal.user_id, unit.id


async def _person(db: AsyncSession, principal: Principal, user_id: int) -> User:
    person = await db.get(User, user_id)
    if person is None or person.municipality_id != principal.municipality_id or not person.active:
        raise NotFound("Personen findes ikke.", "The person does not exist.")
    return person


async def create(db: AsyncSession, principal: Principal, data: StandInIn) -> StandInOut:
    """Name a stand-in; the same period named twice is one period (safe to send twice)."""
    leader_id, unit_id = await _leader_unit(db, principal, data.unit_id)
    if data.stand_in_id == leader_id:
        raise Invalid("Du kan ikke være din egen stedfortræder.", "You cannot be your own stand-in.")
    await _person(db, principal, data.stand_in_id)
    try:
        rules.check_new(rules.Period(data.starts, data.ends), today())
    except rules.PeriodRefused as e:
        raise _refused(e) from None
    same = await db.scalar(
        select(StandIn).where(
            StandIn.leader_id == leader_id,
            StandIn.unit_id == unit_id,
            StandIn.stand_in_id == data.stand_in_id,
            StandIn.starts == data.starts,
            StandIn.ends == data.ends,
        )
    )
    if same is None:
        overlapping = await db.scalar(
            select(StandIn.id).where(
                StandIn.leader_id == leader_id,
                StandIn.unit_id == unit_id,
                StandIn.starts <= data.ends,
                StandIn.ends >= data.starts,
            )
        )
        if overlapping is not None:
            raise Invalid(
                "Der er allerede en stedfortræder i en del af perioden.",
                "There is already a stand-in for part of the period.",
            )
        same = StandIn(
            municipality_id=principal.municipality_id,
            unit_id=unit_id,
            leader_id=leader_id,
            stand_in_id=data.stand_in_id,
            starts=data.starts,
            ends=data.ends,
            created_by=principal.user_id,
        )
        db.add(same)
        await db.commit()
    return (await _out(db, [same]))[0]


async def _own(db: AsyncSession, principal: Principal, stand_in_id: int) -> StandIn:
    row = await db.get(StandIn, stand_in_id)
    mine = (
        row is not None
        and row.municipality_id == principal.municipality_id
        and (row.leader_id == principal.user_id or principal.can_anywhere(Capability.MANAGE_STAFF))
    )
    if row is None or not mine:
        raise NotFound("Stedfortræderen findes ikke.", "The stand-in does not exist.")
    return row


async def change(db: AsyncSession, principal: Principal, stand_in_id: int, data: StandInChange) -> StandInOut:
    """Change a period's dates: once it has started, only its end date."""
    row = await _own(db, principal, stand_in_id)
    old = rules.Period(row.starts, row.ends)
    new = rules.Period(data.starts or row.starts, data.ends)
    try:
        rules.check_change(old, new, today())
    except rules.PeriodRefused as e:
        raise _refused(e) from None
    row.starts, row.ends = new.starts, new.ends
    await db.commit()
    return (await _out(db, [row]))[0]


async def withdraw(db: AsyncSession, principal: Principal, stand_in_id: int) -> None:
    """Withdraw a period that has not started (audited as a deletion)."""
    row = await _own(db, principal, stand_in_id)
    try:
        rules.check_withdraw(rules.Period(row.starts, row.ends), today())
    except rules.PeriodRefused as e:
        raise _refused(e) from None
    await db.delete(row)
    await db.commit()
