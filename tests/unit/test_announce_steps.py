"""`announce` tells of the steps made in this batch only, knowing them from what the batch read
(Record.stored_steps): it asks the database nothing (the sync push's hot path)."""

from __future__ import annotations

import uuid
from collections.abc import Coroutine
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.notify.emit import SEND, WAITING, Text, announce
from backend.features.workflow import Effect, Enqueue
from sync.apply import Record
from sync.engine import load_row
from tests.sync_types import NOTE

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HOOK = announce(NOTE, "notes", {"approve": (Text("Godkendt", "Approved"), Text("Se den.", "See it."))})
NO_DATABASE = cast(AsyncSession, None)  # any query would fail: the hook must not make one


def step(transition: str, by: int, state: str) -> dict[str, Any]:
    return {"transition": transition, "by": by, "at": NOW.isoformat(), "state": state}


def note(state: str, history: list[dict[str, Any]], stored_steps: int) -> Record:
    return Record(
        uuid.uuid4(), "note", 1, 7, 5, "1/5/", state, {}, 3, False, NOW, history, stored_steps=stored_steps
    )


def finished(hook_run: Coroutine[Any, Any, list[Effect]]) -> list[Effect]:
    """The hook's effects, run without an event loop: it must finish at its first step, i.e. without
    awaiting anything (no query). Runs beside browser tests, whose event loop holds the thread."""
    try:
        hook_run.send(None)
    except StopIteration as done:
        return cast(list[Effect], done.value)
    hook_run.close()
    raise AssertionError("the hook awaited something (a database query?)")


def test_only_the_steps_after_the_stored_ones_are_announced_without_a_query() -> None:
    submitted = step("submit", 7, "submitted")
    approved = note("approved", [submitted, step("approve", 9, "approved")], stored_steps=1)
    effects = finished(HOOK(NO_DATABASE, [approved]))
    assert [e.kind for e in effects if isinstance(e, Enqueue)] == [SEND]
    [told] = effects
    assert isinstance(told, Enqueue) and told.payload["to"] == [7]
    assert told.dedupe_key == f"{SEND}:{approved.id}:2"


def test_a_record_whose_steps_were_all_stored_is_not_announced_again() -> None:
    seen = note("approved", [step("submit", 7, "submitted"), step("approve", 9, "approved")], stored_steps=2)
    assert finished(HOOK(NO_DATABASE, [seen])) == []


def test_a_new_step_into_a_waiting_state_tells_the_deciders() -> None:
    sent = note("submitted", [step("submit", 7, "submitted")], stored_steps=0)
    [waiting] = finished(HOOK(NO_DATABASE, [sent]))
    assert isinstance(waiting, Enqueue) and waiting.kind == WAITING


def test_a_record_read_from_the_table_knows_how_many_steps_were_stored() -> None:
    row = SimpleNamespace(
        id=uuid.uuid4(),
        type="note",
        municipality_id=1,
        owner_id=7,
        unit_id=5,
        unit_path="1/5/",
        state="approved",
        fields={},
        version=3,
        deleted=False,
        updated_at=NOW,
        history=[step("submit", 7, "submitted"), step("approve", 9, "approved")],
        author_id=7,
        parties=[],
    )
    assert load_row(row).stored_steps == 2
