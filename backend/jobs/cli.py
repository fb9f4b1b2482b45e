"""`python -m backend worker`: a process that only runs jobs, until it is told to stop (SIGTERM/SIGINT)."""

from __future__ import annotations

import asyncio
import logging
import signal

from backend.db.engine import make_engine
from backend.jobs.worker import run_forever
from backend.platform import Platform
from backend.settings import Settings


async def work(settings: Settings, platform: Platform) -> None:
    """Run `platform`'s jobs until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    engine = make_engine(settings.database_url, settings.database_schema)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await run_forever(engine, platform, stop)
    finally:
        await engine.dispose()
