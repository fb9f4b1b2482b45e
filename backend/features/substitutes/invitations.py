"""Invitations: a unit's secretary lets a person outside the identity provider (a substitute, a relief
family) register hours at the unit; she signs in with one-time codes by e-mail (code_sign_in.py).

An invitation makes (or reuses) a user whose subject is "invited:<e-mail>" and books her on the unit: the
substitute role there, grant source "invitation". She then reaches only what is open to invited people
(backend.auth.deps.INVITED_OPT): her own entries, on the units she is booked at. People in the
directory (the identity provider or the HR import) are not invited: they sign in as everyone else.
Withdrawing takes the booking away; without any booking left her account is closed. Both are audited;
the mail goes out from a background job, never from the request.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend import mail
from backend.auth.one_time_code import INVITED_SUBJECT, normalise_email
from backend.auth.roles import Principal, Role
from backend.db import audit
from backend.db.base import utcnow
from backend.db.models import OrgUnit, RoleAssignment, User
from backend.deps import AppSettings, DbSession, SignedIn
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.features.org import service as org
from backend.features.substitutes.models import SubstituteInvitation
from backend.features.substitutes.record_type import APPROVE
from backend.features.workflow import Job, JobHandler
from backend.jobs.queue import enqueue
from backend.platform import Platform
from backend.settings import load_settings
from backend.web.params import PathId

GRANT_SOURCE = "invitation"
MAIL_JOB = "substitute_invitation_mail"
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_NOT_SECRETARY = (
    "Kun enhedens sekretær kan invitere vikarer til den.",
    "Only the unit's secretary can invite substitutes to it.",
)


class InvitationIn(msgspec.Struct):
    """`unit` the unit's id; `name` the person's name as the secretary knows her; `email` where codes go."""

    unit: int
    name: str
    email: str


class InvitationOut(msgspec.Struct):
    id: int
    unit_id: int
    unit_name: str
    name: str
    email: str
    invited_at: datetime
    withdrawn_at: datetime | None
    created: bool = False
    """True on the request that made it; False when the same invitation already stood."""


def _out(inv: SubstituteInvitation, unit_name: str, created: bool = False) -> InvitationOut:
    return InvitationOut(
        inv.id, inv.unit_id, unit_name, inv.name, inv.email, inv.created_at, inv.withdrawn_at, created
    )


def checked(data: InvitationIn) -> tuple[str, str]:
    """The name (trimmed) and the e-mail (normalised), or a clear error in words."""
    name = " ".join(data.name.split())
    if not name or len(name) > 200:
        raise Invalid(
            "Skriv personens navn (højst 200 tegn).", "Write the person's name (at most 200 characters)."
        )
    email = normalise_email(data.email)
    if len(email) > 320 or not EMAIL.match(email):
        raise Invalid(
            f"«{data.email.strip()[:80]}» er ikke en e-mailadresse.",
            f"“{data.email.strip()[:80]}” is not an e-mail address.",
        )
    return name, email


async def _secretary_unit(db: AsyncSession, principal: Principal, unit_id: int) -> OrgUnit:
    unit = await org.get_unit(db, principal, unit_id)
    if not principal.can(APPROVE, unit.path):
        raise Forbidden(*_NOT_SECRETARY)
    return unit


async def _invited_user(db: AsyncSession, municipality_id: int, name: str, email: str) -> User:
    """Her user (made on the first invitation); refused for someone in the directory."""
    same_address = await db.scalars(
        select(User).where(User.municipality_id == municipality_id, func.lower(User.email) == email)
    )
    for user in same_address:
        if not (user.subject or "").startswith(INVITED_SUBJECT):
            raise Conflict(
                f"{user.name} ({email}) er i kommunens medarbejderkatalog og logger ind som alle andre: "
                "book hende som vikar i stedet for at invitere hende.",
                f"{user.name} ({email}) is in the municipality's directory and signs in like everyone else: "
                "book her as a substitute instead of inviting her.",
            )
    subject = INVITED_SUBJECT + email
    found = await db.scalar(
        select(User).where(User.municipality_id == municipality_id, User.subject == subject)
    )
    if found is None:
        found = User(municipality_id=municipality_id, subject=subject, name=name, email=email)
        db.add(found)
        await db.flush()
    found.active = True
    return found


async def invite(db: AsyncSession, principal: Principal, data: InvitationIn, base_url: str) -> InvitationOut:
    """Invite (or find the standing invitation of) a person to a unit; safe to send twice."""
    unit = await _secretary_unit(db, principal, data.unit)
    name, email = checked(data)
    user = await _invited_user(db, principal.municipality_id, name, email)
    standing = await db.scalar(
        select(SubstituteInvitation).where(
            SubstituteInvitation.user_id == user.id,
            SubstituteInvitation.unit_id == unit.id,
            SubstituteInvitation.withdrawn_at.is_(None),
        )
    )
    if standing is not None:
        return _out(standing, unit.name)
    invitation = SubstituteInvitation(
        municipality_id=principal.municipality_id,
        unit_id=unit.id,
        user_id=user.id,
        email=email,
        name=name,
        invited_by=principal.user_id,
    )
    db.add(invitation)
    booked = await db.scalar(
        select(RoleAssignment.id).where(
            RoleAssignment.user_id == user.id,
            RoleAssignment.role == Role.SUBSTITUTE.value,
            RoleAssignment.unit_id == unit.id,
            RoleAssignment.source == GRANT_SOURCE,
        )
    )
    if booked is None:
        db.add(
            RoleAssignment(
                municipality_id=principal.municipality_id,
                user_id=user.id,
                role=Role.SUBSTITUTE.value,
                unit_id=unit.id,
                source=GRANT_SOURCE,
            )
        )
    await db.flush()
    audit.record(
        db,
        "invite_substitute",
        municipality_id=principal.municipality_id,
        entity="substitute_invitation",
        entity_id=invitation.id,
        changes={"unit_id": unit.id, "email": email},
    )
    await enqueue(
        db,
        MAIL_JOB,
        {"invitation_id": invitation.id, "base_url": base_url},
        dedupe_key=f"{MAIL_JOB}:{invitation.id}",
        municipality_id=principal.municipality_id,
    )
    return _out(invitation, unit.name, created=True)


async def listed(db: AsyncSession, principal: Principal) -> list[InvitationOut]:
    """The invitations to every unit she approves hours for, newest first (withdrawn ones too)."""
    scopes = principal.scopes(APPROVE)
    if not scopes:
        raise Forbidden(*_NOT_SECRETARY)
    rows = await db.execute(
        select(SubstituteInvitation, OrgUnit.name, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == SubstituteInvitation.unit_id)
        .where(SubstituteInvitation.municipality_id == principal.municipality_id)
        .order_by(SubstituteInvitation.created_at.desc(), SubstituteInvitation.id.desc())
    )
    return [_out(inv, name) for inv, name, path in rows if any(path.startswith(s) for s in scopes)]


async def withdraw(db: AsyncSession, principal: Principal, invitation_id: int) -> InvitationOut:
    """Take the booking away (safe to send twice); with none left, her account is closed."""
    inv = await db.get(SubstituteInvitation, invitation_id)
    if inv is None or inv.municipality_id != principal.municipality_id:
        raise NotFound(
            f"Invitation {invitation_id} findes ikke.", f"Invitation {invitation_id} does not exist."
        )
    unit = await _secretary_unit(db, principal, inv.unit_id)
    if inv.withdrawn_at is not None:
        return _out(inv, unit.name)
    inv.withdrawn_at, inv.withdrawn_by = utcnow(), principal.user_id
    await db.execute(
        delete(RoleAssignment).where(
            RoleAssignment.user_id == inv.user_id,
            RoleAssignment.unit_id == inv.unit_id,
            RoleAssignment.source == GRANT_SOURCE,
        )
    )
    left = await db.scalar(
        select(func.count())
        .select_from(SubstituteInvitation)
        .where(
            SubstituteInvitation.user_id == inv.user_id,
            SubstituteInvitation.withdrawn_at.is_(None),
            SubstituteInvitation.id != inv.id,
        )
    )
    user = await db.get(User, inv.user_id)
    if not left and user is not None:
        user.active = False  # her sessions end with it (auth.sessions.load_principal)
    audit.record(
        db,
        "withdraw_invitation",
        municipality_id=principal.municipality_id,
        entity="substitute_invitation",
        entity_id=inv.id,
        changes={"unit_id": inv.unit_id, "email": inv.email},
    )
    await db.flush()
    return _out(inv, unit.name)


def invitation_text(name: str, unit: str, by: str, link: str) -> tuple[str, str]:
    """The invitation mail's subject and body, Danish first then English."""
    subject = f"Invitation til Felt: vikartimer på {unit} / Invitation to Felt"
    body = (
        f"Hej {name}\n\n{by} har inviteret dig til at registrere dine vikartimer på {unit} i Felt.\n"
        f"Åbn {link} og skriv din e-mailadresse: du får en kode på mail, som du logger ind med.\n\n"
        f"Hello {name}\n\n{by} has invited you to register your substitute hours at {unit} in Felt.\n"
        f"Open {link} and enter your e-mail address: you will get a code by e-mail to sign in with.\n"
    )
    return subject, body


async def _send_invitation(db: AsyncSession, _platform: Platform, payload: dict[str, Any]) -> None:
    inv = await db.get(SubstituteInvitation, int(payload["invitation_id"]))
    if inv is None or inv.withdrawn_at is not None:
        return
    unit = await db.get(OrgUnit, inv.unit_id)
    by = await db.get(User, inv.invited_by) if inv.invited_by else None
    settings = load_settings()
    link = f"{settings.public_url or payload['base_url']}/#/kode"
    subject, body = invitation_text(inv.name, unit.name if unit else "?", by.name if by else "Felt", link)
    await mail.send(settings, mail.message(settings, inv.email, subject, body))


MAIL_HANDLER: JobHandler = _send_invitation
JOBS = (Job(MAIL_JOB, MAIL_HANDLER),)


class InvitationsController(Controller):
    path = "/api/substitutes/invitations"
    tags = ["substitutes"]  # noqa: RUF012

    @get("", operation_id="listSubstituteInvitations")
    async def list_invitations(self, db_session: DbSession, principal: SignedIn) -> list[InvitationOut]:
        """The invitations to the units she approves hours for (withdrawn ones too)."""
        return await listed(db_session, principal)

    @post("", operation_id="inviteSubstitute", status_code=200)
    async def invite(
        self,
        request: Request,
        db_session: DbSession,
        principal: SignedIn,
        settings: AppSettings,
        data: JSONBody[InvitationIn],
    ) -> InvitationOut:
        """Invite a person outside the directory to register hours at a unit; the mail goes out from a
        job. Sending it again answers the standing invitation (`created` false)."""
        base_url = settings.public_url or str(request.base_url).rstrip("/")
        return await invite(db_session, principal, data, base_url)

    @post("/{invitation_id:int}/withdraw", operation_id="withdrawSubstituteInvitation", status_code=200)
    async def withdraw(
        self, db_session: DbSession, principal: SignedIn, invitation_id: PathId
    ) -> InvitationOut:
        """Withdraw an invitation: her booking on the unit ends (safe to send twice)."""
        return await withdraw(db_session, principal, invitation_id)
