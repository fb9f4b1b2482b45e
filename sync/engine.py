"""The server side of docs/sync.md: push applies each mutation exactly once, pull sends every visible change.

Works on any SQLAlchemy async session (SQLite or PostgreSQL) inside the caller's transaction; the
caller commits. Mutations are applied in memory by `sync.apply` and written at the end, so one
refused mutation never spoils the batch, and a crash before commit leaves nothing half-done.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, false, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from sync.apply import NO_DIRECTORY, Directory, Outcome, Place, Record, Viewer, apply_mutation, visible_to
from sync.protocol import MAX_BATCH, Mutation, MutationResult, PullResponse, PushResponse
from sync.registry import Registry
from sync.tables import SyncTables

log = logging.getLogger("felt.sync")


class DeviceRefused(Exception):
    """The device id belongs to another user: the whole request is refused."""


class BatchTooLarge(Exception):
    pass


class Stale(Exception):
    """A record changed in another transaction after this one read it: roll back and run again."""


DirectoryLookup = Callable[[set[int], set[int]], Awaitable[Directory]]
"""(user ids, unit ids) → their places: how the host tells the engine where people and units are."""


@dataclass
class Batch:
    """One unit of work on records, in memory: a push, a batch of transitions, or a job's changes.

    Apply mutations and server changes to it, then `write` it (each record once) and `stamp` it
    (one change number), then commit. Nothing touches the record table before `write`.
    """

    response: PushResponse = field(default_factory=lambda: PushResponse(0, []))
    records: dict[UUID, Record] = field(default_factory=dict)
    """Every record read for this batch, as it is now in memory."""
    stored_version: dict[UUID, int] = field(default_factory=dict)
    """The version each record had in the database when read (absent: a new record)."""
    originals: dict[UUID, Record] = field(default_factory=dict)
    """Each record as it was read, to forget the batch's changes to it."""
    touched: dict[UUID, None] = field(default_factory=dict)
    """The records the batch changed, in the order it first changed them (a dict kept as an ordered set)."""
    applied: list[tuple[Mutation, Outcome]] = field(default_factory=list)
    """The mutations that changed something, for the caller's audit log and the workflows' hooks."""

    def add(self, record: Record) -> Record:
        """A record read from the database (a hook's neighbour): kept unless the batch has it already."""
        if record.id not in self.records:
            self.records[record.id] = record
            if record.version > 0:  # version 0: a record the server makes now (a planner's shift), new
                self.originals[record.id] = record
                self.stored_version[record.id] = record.version
        return self.records[record.id]

    def change(
        self,
        record: Record,
        fields: dict[str, Any] | None = None,
        *,
        state: str | None = None,
        step: str | None = None,
        deleted: bool = False,
        now: datetime | None = None,
        said: dict[str, Any] | None = None,
    ) -> Record:
        """A change the server makes itself (a calculation, OCR findings, a draw, a deletion), applied to
        the batch's copy of `record`. A change of `state` is kept in the history as `step`, by 0 unless
        `said` names who (and why: {"by": 7, "note": "…"})."""
        current = self.add(record)
        now = now or datetime.now(UTC)
        new_fields = current.fields if fields is None else fields
        history = current.history
        if state is not None and state != current.state:
            history = [
                *history,
                {"transition": step or state, "by": 0, "at": now.isoformat(), "state": state} | (said or {}),
            ]
        if new_fields == current.fields and history is current.history and deleted <= current.deleted:
            return current
        after = dataclasses.replace(
            current,
            fields=new_fields,
            state=state or current.state,
            history=history,
            deleted=deleted or current.deleted,
            version=current.version + (0 if current.id in self.touched and self._unsaved(current) else 1),
            updated_at=now,
        )
        self.records[after.id] = after
        self.touched[after.id] = None
        return after

    def _unsaved(self, record: Record) -> bool:
        """True when the record's in-memory version is already one past what is stored (or new)."""
        return record.version > self.stored_version.get(record.id, 0)

    def changed(self) -> list[Record]:
        return [self.records[i] for i in self.touched]

    def revert(self, record_id: UUID) -> None:
        """Forget the batch's changes to one record (its mutations were rejected after all)."""
        self.touched.pop(record_id, None)
        self.applied = [(m, o) for m, o in self.applied if m.id != record_id]
        if record_id in self.originals:
            self.records[record_id] = self.originals[record_id]
        else:
            self.records.pop(record_id, None)


def load_row(row: Any) -> Record:
    """A record from a row of the record table (or a select that includes its columns)."""
    return Record(
        id=row.id,
        type=row.type,
        municipality_id=row.municipality_id,
        owner_id=row.owner_id,
        unit_id=row.unit_id,
        unit_path=row.unit_path,
        state=row.state,
        fields=dict(row.fields),
        version=row.version,
        deleted=row.deleted,
        updated_at=row.updated_at,
        history=list(row.history),
        author_id=row.author_id,
        parties=list(row.parties or []),
        stored_steps=len(row.history),
    )


async def _next_seq(db: AsyncSession, t: SyncTables) -> int:
    """The next change number. The counter row stays locked until commit, so numbers follow commit order."""
    return int(
        (
            await db.execute(
                update(t.counter)
                .where(t.counter.c.id == 1)
                .values(value=t.counter.c.value + 1)
                .returning(t.counter.c.value)
            )
        ).scalar_one()
    )


async def _lock_device(
    db: AsyncSession, t: SyncTables, viewer: Viewer, device_id: UUID, now: datetime
) -> int:
    """The device's last processed mutation number, with its row locked until commit.

    The lock serialises two deliveries of the same batch: the second sees the first's number. A new
    device's row is created first (two first deliveries racing both end up waiting on one row).
    """
    dialect = db.get_bind().dialect.name
    insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
    await db.execute(
        insert_(t.device)
        .values(device_id=device_id, user_id=viewer.user_id, last_n=0, created_at=now, last_seen_at=now)
        .on_conflict_do_nothing(index_elements=["device_id"])
    )
    d = t.device.c
    row = (
        await db.execute(select(d.user_id, d.last_n).where(d.device_id == device_id).with_for_update())
    ).one()
    if row.user_id != viewer.user_id:
        raise DeviceRefused(str(device_id))
    return int(row.last_n)


async def _read(db: AsyncSession, t: SyncTables, ids: set[UUID], batch: Batch) -> None:
    if ids:
        for row in (await db.execute(select(t.record).where(t.record.c.id.in_(ids)))).all():
            batch.add(load_row(row))


def _id_like(value: Any) -> bool:
    """A value that could be a row id: the look-up must not hand the database a bool or an overflow."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


async def _directory(
    registry: Registry, mutations: Iterable[Mutation], lookup: DirectoryLookup | None
) -> Directory:
    """The people and units the batch's mutations name in placement fields, in one look-up."""
    people: set[int] = set()
    units: set[int] = set()
    for m in mutations:
        record_type = registry.get(m.type)
        if record_type is None or m.kind != "put":
            continue
        p = record_type.placement
        for name in (p.subject, *(f for f, _ in p.parties)):
            value = m.fields.get(name) if name else None
            candidates: list[Any] = value if isinstance(value, list) else [value]
            people.update(v for v in candidates if _id_like(v))
        if p.unit and _id_like(m.fields.get(p.unit)):
            units.add(m.fields[p.unit])
    if lookup is None or not (people or units):
        return NO_DIRECTORY
    return await lookup(people, units)


async def _foreign_blobs(
    db: AsyncSession, t: SyncTables, registry: Registry, viewer: Viewer, mutations: Iterable[Mutation]
) -> frozenset[str]:
    """The hashes the batch names that are on the server but were not uploaded by the viewer."""
    named: set[str] = set()
    for m in mutations:
        record_type = registry.get(m.type)
        for name in record_type.blob_fields if record_type and m.kind == "put" else ():
            value = m.fields.get(name)
            named.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    if not named:
        return frozenset()
    rows = await db.execute(select(t.blob.c.sha256, t.blob.c.uploaded_by).where(t.blob.c.sha256.in_(named)))
    uploaders: dict[str, set[int]] = {}
    for sha, user_id in rows:
        uploaders.setdefault(sha, set()).add(user_id)
    return frozenset(sha for sha, users in uploaders.items() if viewer.user_id not in users)


def _apply(
    batch: Batch, registry: Registry, viewer: Viewer, m: Mutation, now: datetime, directory: Directory
) -> MutationResult:
    try:
        outcome = apply_mutation(registry, viewer, batch.records.get(m.id), m, now, directory)
    except Exception:  # a bug in a rule must not block the device's queue: refuse, log, go on
        log.exception("applying mutation %s (%s %s) failed", m.n, m.kind, m.type)
        return server_error(m.n)
    if outcome.record is not None:
        batch.records[m.id] = outcome.record
        batch.touched[m.id] = None
        batch.applied.append((m, outcome))
    return outcome.result


def server_error(n: int) -> MutationResult:
    return MutationResult(
        n,
        "rejected",
        reason="Serveren kunne ikke gemme denne ændring. Den er sprunget over; prøv igen senere.",
        reason_en="The server could not save this change. It was skipped; try again later.",
    )


async def apply_batch(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    device_id: UUID,
    mutations: Sequence[Mutation],
    directory: DirectoryLookup | None = None,
) -> Batch:
    """Apply a push's mutations in memory and record the device's progress; write nothing else yet.

    The caller runs the workflows' hooks on the batch, then `write`, `record_refusals`, `stamp`, commit.
    """
    if len(mutations) > MAX_BATCH:
        raise BatchTooLarge(f"at most {MAX_BATCH} mutations per push")
    now = datetime.now(UTC)
    last = await _lock_device(db, t, viewer, device_id, now)
    batch = Batch(PushResponse(last, []))
    await _read(db, t, {m.id for m in mutations if m.n > last}, batch)
    todo = [m for m in mutations if m.n > last]
    places = dataclasses.replace(
        await _directory(registry, todo, directory),
        foreign_blobs=await _foreign_blobs(db, t, registry, viewer, todo),
    )
    results = batch.response.results
    for i, m in enumerate(mutations):
        if m.n <= last:
            results.append(MutationResult(m.n, "applied", duplicate=True))
            continue
        if m.n != last + 1:
            results.extend(MutationResult(later.n, "out_of_order") for later in mutations[i:])
            break
        last = m.n
        results.append(_apply(batch, registry, viewer, m, now, places))
    batch.response.last_n = last
    await _replay_refusals(db, t, registry, viewer, device_id, mutations, results)
    await db.execute(
        update(t.device).where(t.device.c.device_id == device_id).values(last_n=last, last_seen_at=now)
    )
    return batch


async def record_refusals(db: AsyncSession, t: SyncTables, device_id: UUID, batch: Batch) -> None:
    """Keep the answer of each refused mutation of this push, to replay it when the device resends."""
    refused = [r for r in batch.response.results if r.status in ("rejected", "conflict") and not r.duplicate]
    if refused:
        await db.execute(
            insert(t.refusal),
            [{"device_id": device_id, "n": r.n, "result": _refusal_json(r)} for r in refused],
        )


def _refusal_json(result: MutationResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "reason": result.reason,
        "reason_en": result.reason_en,
        "fields": result.fields,
    }


async def _replay_refusals(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    device_id: UUID,
    mutations: Sequence[Mutation],
    results: list[MutationResult],
) -> None:
    """A resent mutation that was refused keeps its answer: a lost reply must not turn a conflict silent."""
    duplicates = {r.n for r in results if r.duplicate}
    if not duplicates:
        return
    rows = await db.execute(
        select(t.refusal.c.n, t.refusal.c.result).where(
            t.refusal.c.device_id == device_id, t.refusal.c.n.in_(duplicates)
        )
    )
    stored: dict[int, dict[str, Any]] = {n: result for n, result in rows}
    if not stored:
        return
    by_n = {m.n: m for m in mutations}
    for i, result in enumerate(results):
        answer = stored.get(result.n)
        if answer is None:
            continue
        current = await load(db, t, by_n[result.n].id)
        record_type = registry.get(current.type) if current else None
        shown = (
            current.out() if current and record_type and visible_to(viewer, current, record_type) else None
        )
        results[i] = MutationResult(
            result.n,
            answer["status"],
            reason=answer["reason"],
            reason_en=answer["reason_en"],
            fields=answer["fields"],
            duplicate=True,
            record=shown,
        )


async def stamp(db: AsyncSession, t: SyncTables, batch: Batch) -> None:
    """Number the batch's records with the next change number: the last statement before commit.

    The counter row stays locked until commit, so numbers follow commit order; doing this last, in
    one statement on PostgreSQL, keeps that lock short, since every other push waits for it.
    """
    if not batch.touched:
        return
    if db.get_bind().dialect.name == "postgresql":
        counter = (
            update(t.counter)
            .where(t.counter.c.id == 1)
            .values(value=t.counter.c.value + 1)
            .returning(t.counter.c.value)
            .cte("next_seq")
        )
        seq: Any = select(counter.c.value).scalar_subquery()
    else:  # SQLite has one writer at a time and no UPDATE inside WITH
        seq = await _next_seq(db, t)
    await db.execute(update(t.record).where(t.record.c.id.in_(list(batch.touched))).values(change_seq=seq))


async def through_door(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    record_type: str,
    record_id: UUID,
    fields: dict[str, Any],
    place: Place,
) -> Batch:
    """A record made by someone who is not logged in (a QR report), placed where the door says.

    The narrow door: only types declared `door=True`, only creation (sending the same id again
    changes nothing and answers `duplicate`), fields cleaned like any push; the record has no
    subject and no author, and no device history. Nothing is written yet (see `write`).
    """
    batch = Batch()
    await _read(db, t, {record_id}, batch)
    found = registry.get(record_type)
    m = Mutation(1, "put", record_type, record_id, fields=fields)
    if record_id in batch.records:
        existing = batch.records[record_id]
        same = existing.type == record_type and existing.owner_id is None and existing.author_id is None
        batch.response.results.append(
            MutationResult(1, "applied", duplicate=True)
            if same
            else MutationResult(1, "rejected", reason="Findes allerede.", reason_en="Already exists.")
        )
        return batch
    if found is None or not found.door:
        batch.response.results.append(
            MutationResult(1, "rejected", reason="Ukendt type.", reason_en="Unknown type.")
        )
        return batch
    result = _apply(batch, registry, DoorViewer(place), m, datetime.now(UTC), NO_DIRECTORY)
    if record_id in batch.records:
        batch.records[record_id] = dataclasses.replace(
            batch.records[record_id], owner_id=None, author_id=None
        )
    batch.response.results.append(result)
    return batch


@dataclass(frozen=True)
class DoorViewer:
    """The anonymous author behind a door: no user, placed at the door's unit, allowed nothing else."""

    place: Place
    user_id: int = 0

    @property
    def municipality_id(self) -> int:
        return self.place.municipality_id

    @property
    def unit_id(self) -> int | None:
        return self.place.unit_id

    @property
    def unit_path(self) -> str | None:
        return self.place.unit_path

    def can(self, capability: Any, unit_path: str) -> bool:
        return False

    def scopes(self, capability: Any) -> list[str]:
        return []


async def push(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    device_id: UUID,
    mutations: Sequence[Mutation],
    directory: DirectoryLookup | None = None,
) -> Batch:
    """A whole push for hosts with no workflow hooks: apply, write, keep refusals, stamp (then commit)."""
    batch = await apply_batch(db, t, registry, viewer, device_id, mutations, directory)
    await write(db, t, registry, batch)
    await record_refusals(db, t, device_id, batch)
    await stamp(db, t, batch)
    return batch


async def transition_many(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    record_type: str,
    ids: Sequence[UUID],
    transition: str,
    note: str | None = None,
) -> Batch:
    """One transition on many records (a leader approving a month) by the state machine of a push.

    Each record is decided on its own, exactly as a pushed `transition` mutation would be (the
    result's `n` is its place in `ids`); no device is involved. Nothing is written yet.
    """
    now = datetime.now(UTC)
    batch = Batch()
    await _read(db, t, set(ids), batch)
    fields = {"note": note} if note else {}
    for n, record_id in enumerate(ids, start=1):
        m = Mutation(n, "transition", record_type, record_id, fields=fields, transition=transition)
        batch.response.results.append(_apply(batch, registry, viewer, m, now, NO_DIRECTORY))
    return batch


async def write(db: AsyncSession, t: SyncTables, registry: Registry, batch: Batch) -> None:
    """Write each changed record once: new ones inserted, known ones updated if nobody else changed them.

    Raises Stale when another transaction changed a record after this batch read it (the caller rolls
    back and runs the batch again). Change numbers come later, from `stamp`.
    """
    changed = batch.changed()
    new = [r for r in changed if r.id not in batch.stored_version]
    now = datetime.now(UTC)
    if new:
        await db.execute(
            insert(t.record),
            [
                {
                    "id": r.id,
                    "type": r.type,
                    "municipality_id": r.municipality_id,
                    "created_at": now,
                    **_values(r),
                }
                for r in new
            ],
        )
    for record in changed:
        known = record.id in batch.stored_version
        if known:
            written = await db.execute(
                update(t.record)
                .where(t.record.c.id == record.id, t.record.c.version == batch.stored_version[record.id])
                .values(**_values(record))
            )
            if written.rowcount != 1:  # type: ignore[attr-defined]
                raise Stale(str(record.id))
        await _link_blobs(db, t, registry, record, replace=known)
        await _link_parties(db, t, record, replace=known)
    for record in changed:
        batch.stored_version[record.id] = record.version


def _values(record: Record) -> dict[str, Any]:
    return {
        "owner_id": record.owner_id,
        "author_id": record.author_id,
        "unit_id": record.unit_id,
        "unit_path": record.unit_path,
        "parties": record.parties,
        "state": record.state,
        "fields": record.fields,
        "history": record.history,
        "version": record.version,
        "deleted": record.deleted,
        "change_seq": 0,  # numbered by `stamp` at the end of the transaction
        "updated_at": record.updated_at,
    }


async def _link_parties(db: AsyncSession, t: SyncTables, record: Record, *, replace: bool) -> None:
    if replace:
        await db.execute(t.party.delete().where(t.party.c.record_id == record.id))
    rows = {(int(user_id), str(part)) for user_id, part in record.parties}
    if rows:
        await db.execute(
            insert(t.party), [{"record_id": record.id, "user_id": u, "part": p} for u, p in sorted(rows)]
        )


async def _link_blobs(
    db: AsyncSession, t: SyncTables, registry: Registry, record: Record, *, replace: bool = True
) -> None:
    record_type = registry.get(record.type)
    if record_type is None or not record_type.blob_fields:
        return
    hashes: set[str] = set()
    for name in record_type.blob_fields:
        value = record.fields.get(name)
        hashes.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    if replace:
        await db.execute(t.record_blob.delete().where(t.record_blob.c.record_id == record.id))
    if hashes:
        await db.execute(
            insert(t.record_blob), [{"record_id": record.id, "sha256": h} for h in sorted(hashes)]
        )


async def load(db: AsyncSession, t: SyncTables, record_id: UUID) -> Record | None:
    row = (await db.execute(select(t.record).where(t.record.c.id == record_id))).one_or_none()
    return load_row(row) if row else None


def visibility(t: SyncTables, registry: Registry, viewer: Viewer) -> Any:
    """SQL for "records this viewer may see": those about them, made by them, or with a part for them,
    and those their roles cover by unit."""
    clauses = [
        t.record.c.owner_id == viewer.user_id,
        t.record.c.author_id == viewer.user_id,
        t.record.c.id.in_(select(t.party.c.record_id).where(t.party.c.user_id == viewer.user_id)),
    ]
    for capability in sorted(registry.view_capabilities()):
        types = registry.viewable_by(capability)
        for path in viewer.scopes(capability):
            clauses.append(
                and_(t.record.c.type.in_(types), t.record.c.unit_path.startswith(path, autoescape=True))
            )
    return and_(t.record.c.municipality_id == viewer.municipality_id, or_(*clauses) if clauses else false())


def fingerprint(viewer: Viewer, grants: Iterable[object], registry: Registry) -> str:
    """Changes when what the viewer may see could change: their roles and units, or the record types."""
    text = f"{viewer.user_id}|{sorted(map(str, grants))}|{registry.names()}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@cache
def _pull_head(t: SyncTables) -> Any:
    """The change counter and the device's last mutation number, in one statement built once."""
    d = t.device.c
    return (
        select(t.counter.c.value, d.user_id, d.last_n)
        .select_from(
            t.counter.outerjoin(t.device, d.device_id == bindparam("device_id", type_=d.device_id.type))
        )
        .where(t.counter.c.id == 1)
    )


def _parse_cursor(cursor: str | None) -> tuple[int, str, str] | None:
    try:
        seq, last_id, fp = (cursor or "").split(".")
        if last_id:
            UUID(last_id)  # a malformed cursor starts over, never a 500
        return (int(seq), last_id, fp) if 0 <= int(seq) < 2**63 else None
    except ValueError:
        return None


async def pull(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    device_id: UUID,
    cursor: str | None,
    limit: int,
    fp: str,
) -> PullResponse:
    parsed = _parse_cursor(cursor)
    reset = cursor is not None and (parsed is None or parsed[2] != fp)
    seq, last_id = (parsed[0], parsed[1]) if parsed and not reset else (0, "")
    # One statement: the change counter and this device's last mutation number. Every change
    # numbered up to the counter's committed value is committed and visible now.
    head = (await db.execute(_pull_head(t), {"device_id": device_id})).one()
    if head.user_id is not None and head.user_id != viewer.user_id:
        raise DeviceRefused(str(device_id))
    counter, last_n = int(head.value), int(head.last_n or 0)
    if seq >= counter and not last_id and not reset:
        return PullResponse(f"{seq}..{fp}", False, False, last_n, [])  # nothing new: the cheap answer
    after = t.record.c.change_seq > seq
    if last_id:
        after = or_(after, and_(t.record.c.change_seq == seq, t.record.c.id > UUID(last_id)))
    rows = (
        await db.execute(
            select(t.record)
            .where(visibility(t, registry, viewer), after)
            .order_by(t.record.c.change_seq, t.record.c.id)
            .limit(limit + 1)
        )
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    if has_more:
        next_cursor = f"{rows[-1].change_seq}.{rows[-1].id}.{fp}"
    else:
        # All of each transaction's rows become visible at once, so nothing below this is still to come.
        next_cursor = f"{max([counter, seq, *(r.change_seq for r in rows)])}..{fp}"
    return PullResponse(next_cursor, has_more, reset, last_n, [load_row(r).out() for r in rows])
