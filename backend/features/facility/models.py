"""The facility workflow's own tables: buildings, their rooms with QR codes, codes that were replaced,
and the reporters' private links (stored as hashes)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, Timestamped


class Building(Timestamped, Base):
    """A building (a school, a daycare); its reports belong to the org unit `unit_id` (the school's)."""

    __tablename__ = "facility_building"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    open_reporting: Mapped[bool] = mapped_column(Boolean, default=False)
    """People who are not logged in may report from its rooms' codes (a setting per building)."""


class Room(Timestamped, Base):
    """A room with its QR code (rules.codes: ≥ 128 random bits)."""

    __tablename__ = "facility_room"
    __audited__: ClassVar[bool] = True

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("facility_building.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(64), unique=True)


class ReplacedCode(Base):
    """A room's code that an admin replaced: an old label answers "this code has been replaced"."""

    __tablename__ = "facility_replaced_code"
    __audited__: ClassVar[bool] = True

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("facility_room.id"), index=True)
    replaced_at: Mapped[datetime]


class FollowLink(Base):
    """A private link to one report (the reporter's receipt, or a follower's): the SHA-256 of its secret."""

    __tablename__ = "facility_follow_link"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    created_at: Mapped[datetime]


class ReportPhoto(Base):
    """A reporter's photo of a report made through the door: the report `record_id` names it in its
    `photos` and its reporter sent the bytes in full (photos.py). The door's only blob owner: the shared
    blob table needs a signed-in uploader, so a door photo is owned by its report instead."""

    __tablename__ = "facility_report_photo"

    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    link_hash: Mapped[str] = mapped_column(String(64))
    """The private link it was sent with (its secret's hash): the reporter's page shows her own only."""
    created_at: Mapped[datetime]


class Follower(Base):
    """A signed-in person who follows a report (its reporter, or "already reported — follow it instead"):
    told of its status changes (followers.py)."""

    __tablename__ = "facility_follower"

    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)
    reporter: Mapped[bool] = mapped_column(Boolean, default=False)
    """True when this person made the report (signed in)."""
    created_at: Mapped[datetime]
