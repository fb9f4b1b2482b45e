"""Shift planning's events for the notifications (notify/emit.py): who is told what, each once.

- an open shift offered → the people it is offered to (those who can take it without breaking a rule);
- an open shift taken → the taker, and the others it was offered to are told it is gone;
- a swap offered → the named colleague, or the team's people who can take it;
- a swap accepted, approved or refused → both the offerer and the taker; waiting → the leader;
  withdrawn → the colleagues it was offered to;
- a week of changes waiting for approval → the unit's leader (the "waiting" count, a digest).

Every event has a key (the record and its step), so a retried request or push sends nothing twice.
Changes the server writes through `pipeline.save` run no hooks: `save` here writes them with their week
entries (approval.py) and their events, in one transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.roles import Principal
from backend.db import audit
from backend.db.sync_tables import SYNC
from backend.features.notify.emit import Text, message, to_people, waiting
from backend.features.shifts import approval
from backend.features.shifts.record_type import APPROVE_SWAPS, APPROVE_WEEKS
from backend.features.sync import pipeline
from backend.features.workflow import Change, Effect, Enqueue
from backend.jobs.queue import enqueue
from backend.platform import Platform
from sync import engine
from sync.apply import Record

MY_SHIFTS = "/#/vagter"
APPROVAL = "/#/vagtplan/godkend"


def _when(fields: dict[str, object]) -> Text:
    day, start, end = fields.get("date"), fields.get("start"), fields.get("end")
    return Text(f"{day} kl. {start}–{end}", f"{day} {start}–{end}")


def _summary(record: Record) -> dict[str, object]:
    found = record.fields.get("summary")
    return found if isinstance(found, dict) else record.fields


def open_offered(record: Record) -> list[Enqueue]:
    """An open shift was offered: each person it was offered to is told."""
    when = _when(record.fields)
    msg = message(
        "offers",
        Text("Ledig vagt", "Open shift"),
        Text(f"En ledig vagt {when.da} kan blive din.", f"An open shift {when.en} can be yours."),
        MY_SHIFTS,
        topic=f"open-{record.id}",
    )
    return [
        to_people(
            record.party_ids(), msg, key=f"open:{record.id}:offered", municipality_id=record.municipality_id
        )
    ]


def open_taken(record: Record, taker: int) -> list[Enqueue]:
    """An open shift was taken: the taker is told it is theirs, the others that it is gone."""
    when = _when(record.fields)
    mine = message(
        "offers",
        Text("Vagten er din", "The shift is yours"),
        Text(f"Du har taget den ledige vagt {when.da}.", f"You took the open shift {when.en}."),
        MY_SHIFTS,
        topic=f"open-{record.id}",
    )
    gone = message(
        "offers",
        Text("Vagten er taget", "The shift is taken"),
        Text(
            f"Den ledige vagt {when.da} er taget af en kollega.",
            f"The open shift {when.en} was taken by a colleague.",
        ),
        MY_SHIFTS,
        topic=f"open-{record.id}",
    )
    m = record.municipality_id
    return [
        to_people([taker], mine, key=f"open:{record.id}:taken:mine", municipality_id=m),
        to_people(record.party_ids() - {taker}, gone, key=f"open:{record.id}:taken:gone", municipality_id=m),
    ]


def swap_offered(record: Record) -> list[Enqueue]:
    """A swap was offered: the named colleague, or the team's people who can take it, are told."""
    when = _when(_summary(record))
    msg = message(
        "offers",
        Text("Vagtbytte tilbudt", "Shift swap offered"),
        Text(f"En kollega tilbyder dig vagten {when.da}.", f"A colleague offers you the shift {when.en}."),
        MY_SHIFTS,
        topic=f"swap-{record.id}",
    )
    return [
        to_people(
            record.party_ids(), msg, key=f"swap:{record.id}:offered", municipality_id=record.municipality_id
        )
    ]


SWAP_STEPS = {
    "accepted": (
        Text("Vagtbytte accepteret", "Shift swap accepted"),
        Text(
            "Byttet af vagten {da} er accepteret og venter på lederen.",
            "The swap of the shift {en} was accepted and waits for the manager.",
        ),
    ),
    "approved": (
        Text("Vagtbytte godkendt", "Shift swap approved"),
        Text("Byttet af vagten {da} er godkendt.", "The swap of the shift {en} is approved."),
    ),
    "rejected": (
        Text("Vagtbytte afvist", "Shift swap refused"),
        Text(
            "Byttet af vagten {da} er afvist; vagten bliver, hvor den var.",
            "The swap of the shift {en} was refused; the shift stays where it was.",
        ),
    ),
    "withdrawn": (
        Text("Vagtbytte trukket tilbage", "Shift swap withdrawn"),
        Text("Tilbuddet om vagten {da} er trukket tilbage.", "The offer of the shift {en} was withdrawn."),
    ),
}
"""A swap's state after a step → what both people are told (title, body with the shift's time)."""


def swap_step(record: Record) -> list[Enqueue]:
    """A swap reached a new state: both the offerer and the taker are told (the leader's reason follows a
    refusal); one that waits for the leader adds to the leader's waiting count."""
    texts = SWAP_STEPS.get(record.state)
    taker = (record.fields.get("taker") or {}).get("id")
    if texts is None or record.owner_id is None:
        return []
    if record.state == "withdrawn":  # the offerer withdrew it: those it was offered to are told
        told = record.party_ids() - {record.owner_id}
    elif taker:
        told = {record.owner_id, int(taker)}
    else:
        return []
    when = _when(_summary(record))
    title, body = texts
    text = Text(body.da.format(da=when.da), body.en.format(en=when.en))
    note = str((record.history[-1] if record.history else {}).get("note") or "")
    if note:
        text = Text(f"{text.da} Begrundelse: {note}", f"{text.en} Reason: {note}")
    msg = message("decisions", title, text, MY_SHIFTS, topic=f"swap-{record.id}")
    step = len(record.history)
    out = [
        to_people(
            told,
            msg,
            key=f"swap:{record.id}:{step}",
            municipality_id=record.municipality_id,
        )
    ]
    if record.state == "accepted":
        out.append(waiting(record, APPROVE_SWAPS, key=f"swap:{record.id}:{step}"))
    return out


async def swaps_announced(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push and inbox hook on swaps (after the rules): a step made in this batch is told to both people;
    a swap approved here moves its shift, which its unit's week lists as a swap."""
    stored = {r.id: r for r in [await engine.load(db, SYNC, x.id) for x in records] if r is not None}
    effects: list[Effect] = []
    moves: list[tuple[str, Record | None, Record]] = []
    for swap in records:
        before = stored.get(swap.id)
        if before is not None and before.state == swap.state:
            continue
        effects += swap_step(swap)
        taker = (swap.fields.get("taker") or {}).get("id")
        if swap.state == "approved" and taker:
            shift = await engine.load(db, SYNC, UUID(str(swap.fields.get("shift"))))
            if shift is not None and not shift.deleted and shift.owner_id == swap.owner_id:
                after = dataclasses.replace(
                    shift, owner_id=int(taker), fields={**shift.fields, "employee": int(taker)}
                )
                moves.append(("swap", shift, after))
                if shift.state == "approved":
                    effects.append(Change(shift, state="published", step="changed"))
    changes = await approval.logged(db, moves, audit.actor.get())
    return [*effects, *changes, *week_waiting(changes)]


def stepped(change: Change) -> Record:
    """The record as `change` leaves it (fields, state, one more step): what its events describe."""
    history = change.record.history
    if change.state is not None and change.state != change.record.state:
        history = [*history, {"transition": change.step or change.state, "state": change.state}]
    return dataclasses.replace(
        change.record,
        fields=change.fields if change.fields is not None else change.record.fields,
        state=change.state or change.record.state,
        history=history,
    )


def week_waiting(changes: Sequence[Change]) -> list[Enqueue]:
    """Each week record these changes put (or keep) waiting: the unit's leader hears it waits, once per
    time it starts waiting (a digest of the waiting count, notify/jobs.py)."""
    out = []
    for c in changes:
        if c.record.type != "shift_week":
            continue
        fresh = c.record.version == 0 or c.state == "waiting"
        if fresh:
            out.append(waiting(c.record, APPROVE_WEEKS, key=f"week:{c.record.id}:{len(c.record.history)}"))
    return out


async def shifts_logged(db: AsyncSession, records: list[Record]) -> list[Effect]:
    """Push hook on shifts (after the rules): each change is added to its unit's week (approval.py),
    whose leader hears that it waits."""
    effects = await approval.shifts_logged(db, records)
    return [*effects, *week_waiting([e for e in effects if isinstance(e, Change)])]


async def save(
    db: AsyncSession,
    platform: Platform,
    principal: Principal,
    changes: Sequence[Change],
    *,
    kind: str | None = None,
    notices: Sequence[Enqueue] = (),
) -> engine.Batch:
    """Write server-made shift changes (a planner's save, an open shift taken, a swap approved at
    acceptance) as `pipeline.save` does, with their unit weeks' entries (`kind` names them), the
    leader's "waiting", and `notices`, in one transaction, committed. Raises engine.Stale (the caller
    answers in words) after rolling nothing back itself."""
    written = await approval.changes_logged(db, principal, changes, kind)
    batch = await pipeline.save(db, platform, written)
    for job in [*notices, *week_waiting(written)]:
        await enqueue(
            db, job.kind, job.payload, dedupe_key=job.dedupe_key, municipality_id=job.municipality_id
        )
    await db.commit()
    return batch
