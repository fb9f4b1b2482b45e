"""What workflows do when their records change or a blob arrives (enqueue OCR, check duplicates).

Hooks run in the push's own transaction, so a job they enqueue exists exactly when the change does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db import audit
from sync.apply import Record
from sync.engine import Pushed

AfterChange = Callable[[AsyncSession, Record], Awaitable[None]]
AfterBatch = Callable[[AsyncSession, list[Record]], Awaitable[None]]
BlobStored = Callable[[AsyncSession, str], Awaitable[None]]

AFTER_CHANGE: defaultdict[str, list[AfterChange]] = defaultdict(list)
AFTER_BATCH: defaultdict[str, list[AfterBatch]] = defaultdict(list)
BLOB_STORED: list[BlobStored] = []


def after_change(record_type: str) -> Callable[[AfterChange], AfterChange]:
    def register(hook: AfterChange) -> AfterChange:
        AFTER_CHANGE[record_type].append(hook)
        return hook

    return register


def after_batch(record_type: str) -> Callable[[AfterBatch], AfterBatch]:
    """Once per push (or batch of transitions), with every record of the type it changed, as they are now:
    for work that looks at a person's records together (recalculating a year's trips)."""

    def register(hook: AfterBatch) -> AfterBatch:
        AFTER_BATCH[record_type].append(hook)
        return hook

    return register


def blob_stored(hook: BlobStored) -> BlobStored:
    BLOB_STORED.append(hook)
    return hook


async def changes_applied(db: AsyncSession, principal: Principal, pushed: Pushed) -> None:
    """Audit each change and run the workflows' hooks: after a push, and after a batch of transitions."""
    for mutation, outcome in pushed.applied:
        audit.record(
            db,
            mutation.transition or mutation.kind,
            municipality_id=principal.municipality_id,
            entity=mutation.type,
            entity_id=mutation.id,
            changes=outcome.changed,
        )
        assert outcome.record is not None
        for hook in AFTER_CHANGE[mutation.type]:
            await hook(db, outcome.record)
    latest: dict[str, dict[object, Record]] = defaultdict(dict)
    for mutation, outcome in pushed.applied:
        assert outcome.record is not None
        latest[mutation.type][outcome.record.id] = outcome.record
    for record_type, records in latest.items():
        for batch_hook in AFTER_BATCH[record_type]:
            await batch_hook(db, list(records.values()))
