"""The engine's tables, defined on the host application's MetaData (so one Alembic history covers all).

The host names its own user, municipality and unit tables; the engine only needs their ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Uuid


@dataclass(frozen=True)
class SyncTables:
    record: Table
    device: Table
    counter: Table
    blob: Table
    record_blob: Table
    refusal: Table
    party: Table


def define_tables(
    metadata: MetaData,
    *,
    users: str = "app_user",
    municipalities: str = "municipality",
    units: str = "org_unit",
) -> SyncTables:
    record = Table(
        "sync_record",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("type", String(60), nullable=False),
        Column("municipality_id", ForeignKey(f"{municipalities}.id"), nullable=False),
        # The subject: whom the record is about (None: a building's report made through a door).
        Column("owner_id", ForeignKey(f"{users}.id"), nullable=True, index=True),
        Column("author_id", ForeignKey(f"{users}.id"), nullable=True, index=True),
        Column("parties", JsonB, nullable=False, server_default="[]"),
        Column("unit_id", ForeignKey(f"{units}.id")),
        Column("unit_path", String(1000), nullable=False),
        Column("state", String(40), nullable=False),
        Column("fields", JsonB, nullable=False),
        Column("history", JsonB, nullable=False),
        Column("version", Integer, nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("change_seq", BigInteger, nullable=False),
        Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        Index("ix_sync_record_feed", "municipality_id", "change_seq", "id"),
    )
    device = Table(
        "sync_device",
        metadata,
        Column("device_id", Uuid, primary_key=True),
        Column("user_id", ForeignKey(f"{users}.id"), nullable=False, index=True),
        Column("last_n", BigInteger, nullable=False),
        Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        Column("last_seen_at", DateTimeUTC(timezone=True), nullable=False),
    )
    counter = Table(
        "sync_counter",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("value", BigInteger, nullable=False),
    )
    blob = Table(
        "sync_blob",
        metadata,
        # One row per uploader: the bytes are stored once, but each person proves they have them.
        Column("sha256", String(64), primary_key=True),
        Column("uploaded_by", ForeignKey(f"{users}.id"), primary_key=True),
        Column("municipality_id", ForeignKey(f"{municipalities}.id"), nullable=False),
        Column("size", BigInteger, nullable=False),
        Column("content_type", String(100), nullable=False),
        Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    )
    record_blob = Table(
        "sync_record_blob",
        metadata,
        Column("record_id", ForeignKey("sync_record.id"), primary_key=True),
        Column("sha256", String(64), primary_key=True, index=True),
    )
    refusal = Table(
        # The answer to each refused or conflicting mutation, replayed when the device sends it again.
        "sync_refusal",
        metadata,
        Column("device_id", ForeignKey("sync_device.device_id"), primary_key=True),
        Column("n", BigInteger, primary_key=True),
        Column("result", JsonB, nullable=False),
    )
    party = Table(
        # The parties of each record again, one row each, so "records I have a part in" is an index look-up.
        "sync_record_party",
        metadata,
        Column("record_id", ForeignKey("sync_record.id"), primary_key=True),
        Column("user_id", ForeignKey(f"{users}.id"), primary_key=True, index=True),
        Column("part", String(40), primary_key=True),
    )
    return SyncTables(record, device, counter, blob, record_blob, refusal, party)
