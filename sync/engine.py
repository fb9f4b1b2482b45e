"""The server side of docs/sync.md: push applies each mutation exactly once, pull sends every visible change.

Works on any SQLAlchemy async session (SQLite or PostgreSQL) inside the caller's transaction; the
caller commits. Mutations are applied in memory by `sync.apply` and written at the end, so one
refused mutation never spoils the batch, and a crash before commit leaves nothing half-done.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, false, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from sync.apply import Outcome, Record, Viewer, apply_mutation, visible_to
from sync.protocol import MAX_BATCH, Mutation, MutationResult, PullResponse, PushResponse
from sync.registry import Registry
from sync.tables import SyncTables


class DeviceRefused(Exception):
    """The device id belongs to another user: the whole request is refused."""


class BatchTooLarge(Exception):
    pass


@dataclass
class Pushed:
    response: PushResponse
    touched: set[UUID] = field(default_factory=set)
    applied: list[tuple[Mutation, Outcome]] = field(default_factory=list)
    """The mutations that changed something, for the caller's audit log."""


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


async def apply_batch(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    device_id: UUID,
    mutations: Sequence[Mutation],
) -> Pushed:
    """Apply a push's mutations and write the records, not yet numbered: call `stamp` last, then commit."""
    if len(mutations) > MAX_BATCH:
        raise BatchTooLarge(f"at most {MAX_BATCH} mutations per push")
    now = datetime.now(UTC)
    last = await _lock_device(db, t, viewer, device_id, now)
    wanted = {m.id for m in mutations if m.n > last}
    rows = (await db.execute(select(t.record).where(t.record.c.id.in_(wanted)))).all() if wanted else []
    records: dict[UUID, Record] = {r.id: load_row(r) for r in rows}
    known = set(records)
    results: list[MutationResult] = []
    pushed = Pushed(PushResponse(last, results))
    refused: list[MutationResult] = []
    for i, m in enumerate(mutations):
        if m.n <= last:
            results.append(MutationResult(m.n, "applied", duplicate=True))
            continue
        if m.n != last + 1:
            results.extend(MutationResult(later.n, "out_of_order") for later in mutations[i:])
            break
        last = m.n
        outcome = apply_mutation(registry, viewer, records.get(m.id), m, now)
        results.append(outcome.result)
        if outcome.result.status != "applied":
            refused.append(outcome.result)
        if outcome.record is not None:
            records[m.id] = outcome.record
            pushed.touched.add(m.id)
            pushed.applied.append((m, outcome))
    pushed.response.last_n = last
    await _replay_refusals(db, t, registry, viewer, device_id, mutations, results)
    await db.execute(
        update(t.device).where(t.device.c.device_id == device_id).values(last_n=last, last_seen_at=now)
    )
    if refused:
        await db.execute(
            insert(t.refusal),
            [{"device_id": device_id, "n": r.n, "result": _refusal_json(r)} for r in refused],
        )
    if pushed.touched:
        await _write(db, t, registry, [records[i] for i in sorted(pushed.touched)], known, now)
    return pushed


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


async def stamp(db: AsyncSession, t: SyncTables, pushed: Pushed) -> None:
    """Number the push's records with the next change number: the last statement before commit.

    The counter row stays locked until commit, so numbers follow commit order; doing this last, in
    one statement on PostgreSQL, keeps that lock short, since every other push waits for it.
    """
    if not pushed.touched:
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
    await db.execute(update(t.record).where(t.record.c.id.in_(pushed.touched)).values(change_seq=seq))


async def push(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    device_id: UUID,
    mutations: Sequence[Mutation],
) -> Pushed:
    """`apply_batch` and `stamp` in one go, for callers with nothing to add to the transaction."""
    pushed = await apply_batch(db, t, registry, viewer, device_id, mutations)
    await stamp(db, t, pushed)
    return pushed


async def transition_many(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    viewer: Viewer,
    record_type: str,
    ids: Sequence[UUID],
    transition: str,
    note: str | None = None,
) -> Pushed:
    """One transition on many records (a leader approving a month) by the state machine of a push.

    Each record is decided on its own, exactly as a pushed `transition` mutation would be (the
    result's `n` is its place in `ids`); no device is involved. Call `stamp` last, then commit.
    """
    if len(ids) > MAX_BATCH:
        raise BatchTooLarge(f"at most {MAX_BATCH} records at a time")
    now = datetime.now(UTC)
    rows = (await db.execute(select(t.record).where(t.record.c.id.in_(set(ids))))).all() if ids else []
    records: dict[UUID, Record] = {r.id: load_row(r) for r in rows}
    known = set(records)
    pushed = Pushed(PushResponse(0, []))
    fields = {"note": note} if note else {}
    for n, record_id in enumerate(ids, start=1):
        m = Mutation(n, "transition", record_type, record_id, fields=fields, transition=transition)
        outcome = apply_mutation(registry, viewer, records.get(record_id), m, now)
        pushed.response.results.append(outcome.result)
        if outcome.record is not None:
            records[record_id] = outcome.record
            pushed.touched.add(record_id)
            pushed.applied.append((m, outcome))
    if pushed.touched:
        await _write(db, t, registry, [records[i] for i in sorted(pushed.touched)], known, now)
    return pushed


async def _write(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    changed: list[Record],
    known: set[UUID],
    now: datetime,
) -> None:
    new = [r for r in changed if r.id not in known]
    if new:
        await db.execute(
            insert(t.record),
            [
                {
                    "id": r.id,
                    "type": r.type,
                    "municipality_id": r.municipality_id,
                    "owner_id": r.owner_id,
                    "unit_id": r.unit_id,
                    "unit_path": r.unit_path,
                    "created_at": now,
                    **_values(r),
                }
                for r in new
            ],
        )
    for record in changed:
        if record.id in known:
            await db.execute(update(t.record).where(t.record.c.id == record.id).values(**_values(record)))
        await _link_blobs(db, t, registry, record, replace=record.id in known)


def _values(record: Record) -> dict[str, Any]:
    return {
        "state": record.state,
        "fields": record.fields,
        "history": record.history,
        "version": record.version,
        "deleted": record.deleted,
        "change_seq": 0,  # numbered by `stamp` at the end of the transaction
        "updated_at": record.updated_at,
    }


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


async def save_server_change(
    db: AsyncSession,
    t: SyncTables,
    registry: Registry,
    before: Record,
    fields: dict[str, Any],
    *,
    state: str | None = None,
    step: str | None = None,
    deleted: bool = False,
) -> Record | None:
    """Write a change the server makes itself (OCR results, a check's flag, a record drawn for review,
    one deleted by retention) as a new version that devices pull. A change of `state` is recorded in
    the record's history as `step`, made by the server (by 0).

    Optimistic: if someone changed the record since `before` was read, nothing is written and None
    is returned, so the caller reloads and decides again rather than overwriting their edit.
    """
    now = datetime.now(UTC)
    history = before.history
    if state is not None and state != before.state:
        history = [*history, {"transition": step or state, "by": 0, "at": now.isoformat(), "state": state}]
    after = dataclasses.replace(
        before,
        fields=fields,
        state=state or before.state,
        history=history,
        deleted=deleted or before.deleted,
        version=before.version + 1,
        updated_at=now,
    )
    seq = await _next_seq(db, t)
    written = await db.execute(
        update(t.record)
        .where(t.record.c.id == before.id, t.record.c.version == before.version)
        .values({**_values(after), "change_seq": seq})
    )
    if written.rowcount != 1:  # type: ignore[attr-defined]
        return None
    await _link_blobs(db, t, registry, after)
    return after


def visibility(t: SyncTables, registry: Registry, viewer: Viewer) -> Any:
    """SQL for "records this viewer may see": their own, and those their roles cover by unit."""
    clauses = [t.record.c.owner_id == viewer.user_id]
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
        return int(seq), last_id, fp
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
