"""One push pipeline, for every way records change: a device's push, a batch of transitions (the
leader's inbox, the payroll export) and a job's server changes.

    apply in memory → the workflows' hooks on the in-memory records (they return effects) →
    the shared payroll feed → write each record once → audit → enqueue jobs → stamp once → commit

The change counter's lock (every push waits for it) is taken by the stamp, the last statement before
the commit, whatever the hooks do. A hook that fails rejects the mutations of the records it was
given (logged; the device's queue moves on); on PostgreSQL it runs in a savepoint, so a failed
statement inside it cannot spoil the rest of the push. When another transaction changed a record
after the batch read it, the whole batch is rolled back and run again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db import audit
from backend.db.models import OrgUnit, User
from backend.db.sync_tables import SYNC
from backend.features.payroll import feed
from backend.features.workflow import Change, Effect, Enqueue, Hook, Refuse
from backend.jobs.queue import enqueue
from backend.platform import Platform
from sync import engine
from sync.apply import Directory, Place, Record
from sync.protocol import Mutation, MutationResult, PushResponse

log = logging.getLogger("felt.sync")
ATTEMPTS = 3


async def directory(db: AsyncSession, people: set[int], units: set[int]) -> Directory:
    """Where the people and units that a batch names are: one query each."""
    found_people = {}
    if people:
        rows = await db.execute(
            select(User.id, User.municipality_id, User.unit_id, OrgUnit.path)
            .outerjoin(OrgUnit, OrgUnit.id == User.unit_id)
            .where(User.id.in_(people), User.active.is_(True))
        )
        found_people = {uid: Place(m, unit, path or "") for uid, m, unit, path in rows}
    found_units = {}
    if units:
        rows = await db.execute(
            select(OrgUnit.id, OrgUnit.municipality_id, OrgUnit.path).where(OrgUnit.id.in_(units))
        )
        found_units = {uid: Place(m, uid, path) for uid, m, path in rows}
    return Directory(found_people, found_units)


def _savepoint(db: AsyncSession) -> AbstractAsyncContextManager[Any]:
    # SQLite's driver cannot nest transactions reliably; there a hook's failed SELECT spoils nothing.
    return db.begin_nested() if db.get_bind().dialect.name == "postgresql" else nullcontext()


async def _call(db: AsyncSession, hook: Hook, records: list[Record]) -> list[Effect]:
    async with _savepoint(db):
        return await hook(db, records)


async def _run_hook(db: AsyncSession, hook: Hook, records: list[Record], failed: set[UUID]) -> list[Effect]:
    """The hook's effects; when it fails, it is tried on each record alone and the failing ones are noted."""
    try:
        return await _call(db, hook, records)
    except Exception:
        log.exception("hook %s failed on %d record(s)", getattr(hook, "__name__", hook), len(records))
    effects: list[Effect] = []
    for record in records if len(records) > 1 else []:
        try:
            effects += await _call(db, hook, [record])
        except Exception:
            log.exception("hook %s failed on %s", getattr(hook, "__name__", hook), record.id)
            failed.add(record.id)
    if len(records) == 1:
        failed.add(records[0].id)
    return effects


def _reject(batch: engine.Batch, failed: set[UUID], reasons: dict[UUID, Refuse] | None = None) -> None:
    """The mutations of records whose hooks failed (or refused them, in words) are refused after all;
    nothing of them is written."""
    reasons = reasons or {}
    numbers = {m.n: m.id for m, _ in batch.applied if m.id in failed}
    for record_id in failed:
        batch.revert(record_id)
    results = batch.response.results
    for i, result in enumerate(results):
        if result.n in numbers and not result.duplicate:
            refusal = reasons.get(numbers[result.n])
            results[i] = (
                engine.server_error(result.n)
                if refusal is None
                else MutationResult(result.n, "rejected", refusal.reason, refusal.reason_en)
            )


async def _effects(db: AsyncSession, platform: Platform, batch: engine.Batch) -> list[Enqueue]:
    """Run each record type's hooks once on the batch's changed records; apply the changes they return."""
    by_type: defaultdict[str, list[Record]] = defaultdict(list)
    for record in batch.changed():
        by_type[record.type].append(record)
    jobs: list[Enqueue] = []
    failed: set[UUID] = set()
    refused: dict[UUID, Refuse] = {}
    for type_name, records in sorted(by_type.items()):
        for hook in platform.hooks.get(type_name, ()):
            live = [batch.records[r.id] for r in records if r.id in batch.touched]
            for effect in await _run_hook(db, hook, live, failed) if live else []:
                if isinstance(effect, Enqueue):
                    jobs.append(effect)
                elif isinstance(effect, Refuse):
                    refused.setdefault(effect.record.id, effect)
                    failed.add(effect.record.id)
                elif effect.record.id not in failed:
                    _apply_change(batch, effect)
    if failed:
        _reject(batch, failed, refused)
    return jobs


def _apply_change(batch: engine.Batch, change: Change) -> None:
    batch.change(
        change.record,
        change.fields,
        state=change.state,
        step=change.step,
        deleted=change.deleted,
        said=change.said,
    )


async def _finish(
    db: AsyncSession,
    platform: Platform,
    principal: Principal | None,
    batch: engine.Batch,
    jobs: list[Enqueue],
) -> None:
    """Payroll, write once, audit, jobs, stamp: everything after the hooks, in that order."""
    if unpaid := await feed.sync(db, platform, batch):
        if principal is None:  # a job's own change: its job fails and is retried, nothing half-done
            raise RuntimeError(f"the payroll feed failed on {sorted(map(str, unpaid))}")
        _reject(batch, unpaid)
    await engine.write(db, SYNC, platform.registry, batch)
    for mutation, outcome in batch.applied:
        audit.record(
            db,
            mutation.transition or mutation.kind,
            municipality_id=principal.municipality_id if principal else None,
            entity=mutation.type,
            entity_id=mutation.id,
            changes=outcome.changed,
        )
    for job in jobs:
        await enqueue(
            db, job.kind, job.payload, dedupe_key=job.dedupe_key, municipality_id=job.municipality_id
        )


def _show_final(batch: engine.Batch) -> None:
    """Each applied result carries the record as written, server changes included (one version)."""
    results = batch.response.results
    for i, result in enumerate(results):
        if result.record is not None and result.record.id in batch.touched:
            results[i] = _with_record(result, batch.records[result.record.id].out())


def _with_record(result: MutationResult, record: Any) -> MutationResult:
    return MutationResult(
        result.n, result.status, result.reason, result.reason_en, result.fields, result.duplicate, record
    )


async def _run(
    db: AsyncSession,
    platform: Platform,
    principal: Principal | None,
    make: Callable[[], Awaitable[engine.Batch]],
    after_write: Callable[[engine.Batch], Awaitable[None]] | None = None,
) -> engine.Batch:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            batch = await _through(db, platform, principal, await make(), after_write)
        except engine.Stale:
            await db.rollback()
            if attempt == ATTEMPTS:
                raise
            continue
        await db.commit()
        return batch
    raise AssertionError("unreachable")


async def _through(
    db: AsyncSession,
    platform: Platform,
    principal: Principal | None,
    batch: engine.Batch,
    after_write: Callable[[engine.Batch], Awaitable[None]] | None = None,
) -> engine.Batch:
    """Everything after applying: hooks, payroll, one write, audit, jobs, one stamp (not the commit)."""
    jobs = await _effects(db, platform, batch)
    await _finish(db, platform, principal, batch, jobs)
    if after_write is not None:
        await after_write(batch)
    _show_final(batch)
    await engine.stamp(db, SYNC, batch)
    return batch


async def push(
    db: AsyncSession, platform: Platform, principal: Principal, device_id: UUID, mutations: Sequence[Mutation]
) -> PushResponse:
    """A device's push, committed. Raises engine.DeviceRefused / engine.BatchTooLarge for the request."""

    async def make() -> engine.Batch:
        return await engine.apply_batch(
            db,
            SYNC,
            platform.registry,
            principal,
            device_id,
            mutations,
            lambda people, units: directory(db, people, units),
        )

    async def refusals(batch: engine.Batch) -> None:
        await engine.record_refusals(db, SYNC, device_id, batch)

    return (await _run(db, platform, principal, make, refusals)).response


async def transition(
    db: AsyncSession,
    platform: Platform,
    principal: Principal,
    record_type: str,
    ids: Sequence[UUID],
    name: str,
    note: str | None = None,
    *,
    commit: bool = True,
) -> list[MutationResult]:
    """One transition on many records (approve a month; the payroll export's step), each decided by its
    own state machine; a result per id, in order. Committed unless `commit` is False (the caller
    has more to write in the same transaction and stamps nothing itself: see `transition_in`)."""

    async def make() -> engine.Batch:
        return await engine.transition_many(
            db, SYNC, platform.registry, principal, record_type, ids, name, note
        )

    if commit:
        return (await _run(db, platform, principal, make)).response.results
    return (await _through(db, platform, principal, await make())).response.results


async def through_door(
    db: AsyncSession, platform: Platform, record_type: str, key: str, record_id: UUID, fields: dict[str, Any]
) -> MutationResult | None:
    """A record made by someone not logged in, placed by the workflow's door for `key`; None when no
    door of that type knows the key. Committed; safe to send twice (same id: nothing new)."""
    resolve = platform.doors.get(record_type)
    place = await resolve(db, key) if resolve is not None else None
    if place is None:
        return None

    async def make() -> engine.Batch:
        return await engine.through_door(db, SYNC, platform.registry, record_type, record_id, fields, place)

    return (await _run(db, platform, None, make)).response.results[0]


async def save(
    db: AsyncSession, platform: Platform, changes: Sequence[Change], *, commit: bool = False
) -> engine.Batch:
    """Server changes a job makes (OCR findings, a draw, a deletion): written once, paid through the
    feed, stamped once. Raises engine.Stale when a record changed since it was read (reload, decide
    again). The caller commits unless `commit`."""
    batch = engine.Batch()
    for change in changes:
        _apply_change(batch, change)
    await _finish(db, platform, None, batch, [])
    await engine.stamp(db, SYNC, batch)
    if commit:
        await db.commit()
    return batch


async def blob_stored(db: AsyncSession, platform: Platform, sha256: str) -> None:
    """An upload completed: the workflows' blob hooks may queue work (a receipt's OCR) and change the
    records waiting for it (marked "queued"), in the upload's transaction (the caller commits)."""
    changes: list[Change] = []
    for hook in platform.blob_hooks:
        for effect in await hook(db, sha256):
            if isinstance(effect, Enqueue):
                await enqueue(
                    db,
                    effect.kind,
                    effect.payload,
                    dedupe_key=effect.dedupe_key,
                    municipality_id=effect.municipality_id,
                )
            elif isinstance(effect, Change):  # an upload has no mutation a Refuse could refuse
                changes.append(effect)
    if not changes:
        return
    try:
        async with _savepoint(db):
            await save(db, platform, changes)
    except engine.Stale:  # a device changed the record meanwhile: the job is queued all the same
        log.info("blob %s: a record changed meanwhile; the job marks it when it starts", sha256)
