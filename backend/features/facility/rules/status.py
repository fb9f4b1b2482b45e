"""What the reporter sees of a report: its status in plain words, to the end, without internal notes.

The issue's list (issue 15, "Reporter"): received, planned, in progress, done (with a photo of the
fix), or rejected with the reason. A reporter never sees the internal note, who was assigned, or any
other field the property office writes; the public view is built here, from the state and the
history's steps, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATES = ("received", "planned", "in_progress", "done", "rejected")
OPEN = frozenset({"received", "planned", "in_progress"})
"""States in which a report is still open: shown as "already reported" and open to followers."""


@dataclass(frozen=True)
class Step:
    """One status the reporter sees: `state`, when (ISO 8601 UTC), and the reason of a rejection."""

    state: str
    at: str
    reason: str | None = None


def public_steps(created_at: str, history: list[dict[str, Any]]) -> list[Step]:
    """The report's status steps, first "received" at `created_at`, then each state change of the
    history; a rejection keeps its reason (the step's note), every other note is left out."""
    steps = [Step("received", created_at)]
    for h in history:
        state = h.get("state")
        if state not in STATES:
            continue
        reason = h.get("note") if state == "rejected" else None
        steps.append(Step(state, str(h.get("at", "")), reason))
    return steps


def status_change(before: str | None, after: str) -> tuple[str, str] | None:
    """(from, to) when a report's state changed in a way followers are told about; None otherwise.

    This is the one place a status change is recognised (issue 15: push to followers hooks here)."""
    if before == after or after not in STATES:
        return None
    return (before or "", after)
