"""What workflows do when their records change or a blob arrives (enqueue OCR, check duplicates).

Hooks run in the push's own transaction, so a job they enqueue exists exactly when the change does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from sync.apply import Record

AfterChange = Callable[[AsyncSession, Record], Awaitable[None]]
BlobStored = Callable[[AsyncSession, str], Awaitable[None]]

AFTER_CHANGE: defaultdict[str, list[AfterChange]] = defaultdict(list)
BLOB_STORED: list[BlobStored] = []


def after_change(record_type: str) -> Callable[[AfterChange], AfterChange]:
    def register(hook: AfterChange) -> AfterChange:
        AFTER_CHANGE[record_type].append(hook)
        return hook

    return register


def blob_stored(hook: BlobStored) -> BlobStored:
    BLOB_STORED.append(hook)
    return hook
