"""Record types: what each workflow declares to get offline capture, sync and conflicts for free.

A type names its typed fields (`sync.fields`: validation, one stored form, server-owned fields),
where a new record belongs and whom it is about (`Placement`), the states in which it may still be
edited or deleted, its transitions (who may move it from which state to which), and the capability
that lets people other than its subject see it within their units.

Words used throughout: the **author** created the record; the **subject** (`owner_id`) is the person
it is about — whose pay, whose shift, whose approval; the **parties** are further people with a part
in it (a swap's counterpart, a task's assignee, a report's follower). Visibility, the four-eyes rule,
the inbox and payroll use the subject, not the author.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.fields import Field

OWNER = "owner"
"""A step (or edit) the record's subject makes themself."""


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset[str]
    target: str
    by: str = OWNER
    """OWNER, or a capability the actor needs over the record's unit (e.g. "approve_mileage")."""
    guard: Callable[[dict[str, Any]], tuple[str, str] | None] | None = field(default=None, compare=False)
    """What must hold of the fields first (e.g. a receipt needs a total to be submitted):
    returns (Danish, English) reasons when it does not."""
    note_required: bool = False
    """The actor must say why (a rejection's reason): the mutation's `fields["note"]`, kept in the history."""
    four_eyes: bool = True
    """Nobody may make it on their own record (an approval must be someone else's control)."""
    waits: bool = True
    """A record in a source state waits for this transition's actors (their inbox); False for steps a
    batch process makes (a payroll export), which would otherwise flood the inbox."""


@dataclass(frozen=True)
class Placement:
    """Where a new record belongs (its unit) and whom it is about (its subject and parties).

    By default a record is about its author and belongs to the author's unit (a receipt, a trip).
    A type can instead read them from fields holding ids: a planner's shift names the employee
    (`subject="employee"`) and the unit (`unit="unit"`); a swap names a counterpart
    (`parties={"counterpart": "counterpart"}`). Placing a record on another person or another unit
    needs the capability `by` over the record's unit; a subject must belong to the author's
    municipality, and the unit defaults to the subject's own.
    """

    subject: str | None = None
    """Field holding the subject's user id; None: the author."""
    unit: str | None = None
    """Field holding the unit id; None: the subject's own unit."""
    parties: tuple[tuple[str, str], ...] = ()
    """(field, part): a field holding a user id (or a list of them) and the part those people have."""
    by: str | None = None
    """The capability the author needs over the unit to place a record on someone else or elsewhere."""

    def fields(self) -> list[str]:
        return [f for f in (self.subject, self.unit, *(f for f, _ in self.parties)) if f]


@dataclass(frozen=True)
class RecordType:
    name: str
    fields: Mapping[str, Field]
    """Field name → its type (sync.fields): the stored form, limits, and which the server owns."""
    transitions: tuple[Transition, ...] = ()
    initial_state: str = "draft"
    editable_states: frozenset[str] = frozenset({"draft"})
    deletable_states: frozenset[str] = frozenset({"draft"})
    view: str | None = None
    """A capability that lets its holders see others' records in the units it covers."""
    edit_by: str = OWNER
    """Who may edit and delete it in its editable states: its subject (OWNER) or a capability over its
    unit (a planner edits the shifts of the units she plans)."""
    placement: Placement = field(default_factory=Placement)
    door: bool = False
    """True when people who are not logged in may create it through a narrow door (a QR report)."""
    check: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None
    """An extra rule over the whole field set; returns (Danish, English) reasons when it fails."""
    state_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    """State → (Danish, English) words for messages; defaults to the state's own name."""

    @property
    def blob_fields(self) -> frozenset[str]:
        """Fields holding SHA-256 hashes of uploaded blobs (photos)."""
        return frozenset(name for name, f in self.fields.items() if f.kind == "blobs")

    def capabilities(self) -> set[str]:
        """Every capability the type asks for: a workflow must give each to some role."""
        wanted = {t.by for t in self.transitions} | {self.edit_by, self.view, self.placement.by}
        return {c for c in wanted if c and c != OWNER}

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def state_name(self, state: str) -> tuple[str, str]:
        return self.state_names.get(state, (state, state))


class Registry:
    """The record types one app knows, built from its workflows (no module-level registry)."""

    def __init__(self, types: Iterable[RecordType] = ()) -> None:
        self._types: dict[str, RecordType] = {}
        for record_type in types:
            self.register(record_type)

    def register(self, record_type: RecordType) -> RecordType:
        known = self._types.get(record_type.name)
        if known is not None and known != record_type:
            raise ValueError(f"record type {record_type.name!r} is registered twice")
        self._types[record_type.name] = record_type
        return record_type

    def get(self, name: str) -> RecordType | None:
        return self._types.get(name)

    def names(self) -> list[str]:
        return sorted(self._types)

    def viewable_by(self, capability: str) -> list[str]:
        return sorted(n for n, t in self._types.items() if t.view == capability)

    def view_capabilities(self) -> set[str]:
        return {t.view for t in self._types.values() if t.view}

    def describe(self) -> dict[str, Any]:
        """Every type's declared fields, as the PWA validates its forms (GET /api/sync/types)."""
        return {
            name: {"fields": {f: spec.describe() for f, spec in t.fields.items()}}
            for name, t in sorted(self._types.items())
        }
