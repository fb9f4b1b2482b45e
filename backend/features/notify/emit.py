"""How a workflow emits events: its hooks return these `Enqueue` effects (or it adds `announce(...)` to
its hooks). Nothing is sent in the request: the effect becomes a job in the same transaction as the
change, and the job sends (backend/features/notify/jobs.py). README, "Adding a workflow", step 5.

    hooks={"trip": (calculation.trips_changed, announce(TRIP, "koersel", DECIDED))}

A message is plain data, so it survives the job queue: {"category", "title": [da, en], "body": [da, en],
"url", "topic"}. The categories are what a person can switch off in their profile (CATEGORIES).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.features.workflow import Effect, Enqueue, Hook
from sync.apply import Record
from sync.registry import OWNER, RecordType

SEND = "notify.send"
WAITING = "notify.waiting"

CATEGORIES: dict[str, tuple[str, str]] = {
    "decisions": (
        "Svar på det, du har sendt (godkendt, afvist)",
        "Answers to what you sent (approved, rejected)",
    ),
    "waiting": ("Ting, der venter på din beslutning", "Items waiting for your decision"),
    "reminders": ("Påmindelser før lønstop", "Reminders before the payroll cut-off"),
    "offers": ("Ledige vagter og vagtbytte", "Open shifts and shift swaps"),
    "follows": ("Nyt om det, du følger (f.eks. en fejlmelding)", "News on what you follow (e.g. a report)"),
}
"""What a person can switch off, with its Danish and English label; a new kind of event is one line."""


@dataclass(frozen=True)
class Text:
    """A message line in Danish and English."""

    da: str
    en: str


def message(category: str, title: Text, body: Text, url: str, *, topic: str | None = None) -> dict[str, Any]:
    """A message as the send job takes it. `url` is the screen it opens ("/#/koersel/<id>"); `topic`
    lets a newer message with the same topic replace an older one not yet delivered (RFC 8030 §5.4).
    Raises ValueError for an unknown category (a typo would otherwise never be delivered)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown notification category {category!r}; add it to CATEGORIES")
    return {
        "category": category,
        "title": [title.da, title.en],
        "body": [body.da, body.en],
        "url": url,
        "topic": topic,
    }


def to_people(
    user_ids: Iterable[int],
    msg: dict[str, Any],
    *,
    key: str | None = None,
    municipality_id: int | None = None,
) -> Enqueue:
    """Send `msg` (see `message`) to each of `user_ids`, on every device they subscribed, unless they
    switched its category off (then nothing) or chose the digest (then it waits for the morning).
    `key` makes it once: the same key enqueued twice is one job."""
    return Enqueue(
        SEND,
        {"to": sorted(set(user_ids)), "message": msg},
        dedupe_key=f"{SEND}:{key}" if key else None,
        municipality_id=municipality_id,
    )


def waiting(record: Record, capability: str, *, key: str | None = None) -> Enqueue:
    """`record` now waits for a decision by someone holding `capability` over its unit: whoever
    decides for the unit today (backend.features.inbox.deciders) hears how many items wait for them."""
    return Enqueue(
        WAITING,
        {"unit_id": record.unit_id, "capability": str(capability), "municipality_id": record.municipality_id},
        dedupe_key=f"{WAITING}:{key}" if key else None,
        municipality_id=record.municipality_id,
    )


def waits_for(record_type: RecordType, state: str) -> str | None:
    """The capability a record in `state` waits for (a transition out of it made by someone else that
    puts it in an inbox), or None."""
    for t in record_type.transitions:
        if t.waits and t.by != OWNER and state in t.source:
            return str(t.by)
    return None


def announce(record_type: RecordType, screen: str, decided: Mapping[str, tuple[Text, Text]]) -> Hook:
    """A hook for `record_type`: when a step made in this batch puts a record in a waiting state, the
    deciders hear of it; when the step is one of `decided` (transition → (title, body)) and made by
    someone else than the record's subject, the subject is told (the step's note, e.g. a rejection's
    reason, follows the body). `screen` is the PWA route of one record ("koersel" → /#/koersel/<id>).
    Each step is announced once however often the batch is retried (its key is the record and step)."""

    async def announce_steps(db: AsyncSession, records: list[Record]) -> list[Effect]:
        effects: list[Effect] = []
        for record in records:
            done = record.stored_steps  # as read by the batch: no second look at the stored history
            if len(record.history) <= done or record.deleted:
                continue
            capability = waits_for(record_type, record.state)
            if capability is not None and record.unit_id is not None:
                effects.append(waiting(record, capability, key=f"{record.id}:{len(record.history)}"))
            for n, step in enumerate(record.history[done:], start=done + 1):
                texts = decided.get(str(step.get("transition")))
                if not texts or record.owner_id is None or step.get("by") == record.owner_id:
                    continue
                title, body = texts
                if note := str(step.get("note") or ""):
                    body = Text(f"{body.da} Begrundelse: {note}", f"{body.en} Reason: {note}")
                msg = message("decisions", title, body, f"/#/{screen}/{record.id}")
                key = f"{record.id}:{n}"
                effects.append(
                    to_people([record.owner_id], msg, key=key, municipality_id=record.municipality_id)
                )
        return effects

    announce_steps.__name__ = f"announce_{record_type.name}"
    return announce_steps
