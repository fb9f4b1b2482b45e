"""The wire format of docs/sync.md, as msgspec structs (validated on the way in)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

SCHEMA_VERSION = 1
"""What this server speaks. Bump when a change would make an older client misread data."""
MIN_CLIENT_SCHEMA = 1
"""Clients older than this are told to update (HTTP 426), and send nothing until they have."""
MAX_BATCH = 500
DEFAULT_PULL_LIMIT = 1000
MAX_PULL_LIMIT = 5000

Kind = Literal["put", "transition", "delete"]
Status = Literal["applied", "rejected", "conflict", "out_of_order"]


class Mutation(msgspec.Struct, forbid_unknown_fields=True):
    n: int
    kind: Kind
    type: str
    id: UUID
    fields: dict[str, Any] = msgspec.field(default_factory=dict)
    base: dict[str, Any] = msgspec.field(default_factory=dict)
    base_version: int = 0
    transition: str | None = None


class PushRequest(msgspec.Struct, forbid_unknown_fields=True):
    device_id: UUID
    mutations: list[Mutation]


class Step(msgspec.Struct):
    """One move of a record's state machine: who made it and when (the approval trail)."""

    transition: str
    by: int
    at: datetime
    state: str
    note: str | None = None
    """Why, when the transition asks for it (a rejection's reason)."""
    on_behalf_of: int | None = None
    """The leader a stand-in (stedfortræder) decided for, when it was a stand-in's decision."""


class Party(msgspec.Struct):
    """A person with a part in a record besides its subject: {"user_id": 7, "part": "counterpart"}."""

    user_id: int
    part: str


class RecordOut(msgspec.Struct):
    id: UUID
    type: str
    version: int
    state: str
    fields: dict[str, Any]
    owner_id: int | None
    """The subject: whom the record is about (None for a report made without logging in)."""
    unit_id: int | None
    deleted: bool
    updated_at: datetime
    history: list[Step] = msgspec.field(default_factory=list)
    author_id: int | None = None
    """Who created it (a planner, for a shift about Anna)."""
    parties: list[Party] = msgspec.field(default_factory=list)


class MutationResult(msgspec.Struct, omit_defaults=True):
    n: int
    status: Status
    reason: str | None = None
    reason_en: str | None = None
    fields: list[str] | None = None
    duplicate: bool = False
    record: RecordOut | None = None


class PushResponse(msgspec.Struct):
    last_n: int
    results: list[MutationResult]


class PullResponse(msgspec.Struct):
    cursor: str
    has_more: bool
    reset: bool
    last_n: int
    records: list[RecordOut]
