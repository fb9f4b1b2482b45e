"""The shared mechanisms' own upkeep, declared like a workflow so the job runner treats it alike."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.workflow import Job, Workflow
from backend.platform import Platform
from backend.settings import load_settings
from sync.blobs import BlobStore

ABANDONED_AFTER_S = 2 * 24 * 3600
"""An upload nobody has continued for two days is abandoned (a phone resumes within minutes or hours)."""
log = logging.getLogger("felt.sync")


async def remove_abandoned_uploads(db: AsyncSession, platform: Platform, payload: dict[str, Any]) -> None:
    """Daily: unfinished uploads left in `partial/` are deleted, so they cannot fill the disk."""
    store = BlobStore(load_settings().data_dir / "blobs")
    removed = await asyncio.to_thread(store.remove_abandoned, ABANDONED_AFTER_S)
    log.info("removed %d abandoned uploads", removed)


UPKEEP = Workflow(name="upkeep", jobs=(Job("abandoned-uploads", remove_abandoned_uploads, daily=True),))
