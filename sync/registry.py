"""Record types: what each workflow registers to get offline capture, sync and conflicts for free.

A type names its fields (a msgspec Struct: validation and defaults), the states in which its
owner may still edit or delete it, its transitions (who may move it from which state to which),
and the capability that lets people other than the owner see it within their units.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec

OWNER = "owner"


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
class RecordType:
    name: str
    fields: type[msgspec.Struct]
    transitions: tuple[Transition, ...] = ()
    initial_state: str = "draft"
    editable_states: frozenset[str] = frozenset({"draft"})
    deletable_states: frozenset[str] = frozenset({"draft"})
    view: str | None = None
    """A capability that lets its holders see others' records in the units it covers."""
    blob_fields: frozenset[str] = frozenset()
    """Fields holding SHA-256 hashes of uploaded blobs (photos)."""
    check: Callable[[dict[str, Any]], str | None] | None = None
    """An extra rule over the whole field set; returns a reason (Danish) when it fails."""
    state_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    """State → (Danish, English) words for messages; defaults to the state's own name."""

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def state_name(self, state: str) -> tuple[str, str]:
        return self.state_names.get(state, (state, state))


class Registry:
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


REGISTRY = Registry()
"""The app's registry: each workflow registers its types here when its module is imported."""
