"""Applying one mutation to one record, in memory: the state machine wins, drafts merge by field.

Pure: no database and no clock of its own, so every rule here is tested on plain objects.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import msgspec

from sync.merge import merge_fields
from sync.protocol import Mutation, MutationResult, RecordOut, Step
from sync.registry import OWNER, RecordType, Registry, Transition


class Viewer(Protocol):
    """Who is pushing or pulling: the backend's signed-in principal fits this."""

    @property
    def user_id(self) -> int: ...
    @property
    def municipality_id(self) -> int: ...
    @property
    def unit_id(self) -> int | None: ...
    @property
    def unit_path(self) -> str | None: ...

    def can(self, capability: Any, unit_path: str) -> bool: ...

    def scopes(self, capability: Any) -> list[str]: ...


@dataclass
class Record:
    id: UUID
    type: str
    municipality_id: int
    owner_id: int
    unit_id: int | None
    unit_path: str
    state: str
    fields: dict[str, Any]
    version: int
    deleted: bool
    updated_at: datetime
    history: list[dict[str, Any]] = field(default_factory=list)

    def out(self) -> RecordOut:
        return RecordOut(
            id=self.id,
            type=self.type,
            version=self.version,
            state=self.state,
            fields=self.fields,
            owner_id=self.owner_id,
            unit_id=self.unit_id,
            deleted=self.deleted,
            updated_at=self.updated_at,
            history=[msgspec.convert(h, Step) for h in self.history],
        )


@dataclass
class Outcome:
    result: MutationResult
    record: Record | None = None
    """The record as it is now, when the mutation changed it."""
    changed: dict[str, Any] = field(default_factory=dict)
    """What changed, for the audit log."""


class Refusal(Exception):
    def __init__(self, da: str, en: str, *, show: bool = True) -> None:
        super().__init__(da)
        self.da, self.en, self.show = da, en, show


def visible_to(viewer: Viewer, record: Record, record_type: RecordType) -> bool:
    if record.municipality_id != viewer.municipality_id:
        return False
    return record.owner_id == viewer.user_id or (
        record_type.view is not None and viewer.can(record_type.view, record.unit_path)
    )


def _may_move(viewer: Viewer, record: Record, record_type: RecordType, m: Mutation) -> bool:
    """Whoever may make the transition asked for may reach the record for it (payroll exporting a trip)."""
    step = record_type.transition(m.transition or "") if m.kind == "transition" else None
    return (
        step is not None
        and step.by != OWNER
        and record.municipality_id == viewer.municipality_id
        and viewer.can(step.by, record.unit_path)
    )


def _validated(record_type: RecordType, fields: dict[str, Any]) -> dict[str, Any]:
    try:
        value = msgspec.convert(fields, record_type.fields, strict=False)
    except msgspec.ValidationError as exc:
        raise Refusal(f"Ugyldige felter: {exc}", f"Invalid fields: {exc}") from None
    out: dict[str, Any] = msgspec.to_builtins(value)
    if record_type.check and (reason := record_type.check(out)):
        raise Refusal(reason, reason)
    return out


def _put(
    record_type: RecordType, viewer: Viewer, record: Record | None, m: Mutation, now: datetime
) -> Outcome:
    if record is None:
        fields = _validated(record_type, m.fields)
        created = Record(
            id=m.id,
            type=record_type.name,
            municipality_id=viewer.municipality_id,
            owner_id=viewer.user_id,
            unit_id=viewer.unit_id,
            unit_path=viewer.unit_path or "",
            state=record_type.initial_state,
            fields=fields,
            version=1,
            deleted=False,
            updated_at=now,
        )
        return Outcome(MutationResult(m.n, "applied", record=created.out()), created, {"created": fields})
    _require_owner(viewer, record)
    _require_state(record_type, record, record_type.editable_states, "ændres", "changed")
    merged, conflicts = merge_fields(record.fields, m.fields, m.base)
    fields = _validated(record_type, merged)
    changed = {k: [record.fields.get(k), v] for k, v in fields.items() if record.fields.get(k) != v}
    updated = (
        dataclasses.replace(
            record, fields=fields, version=record.version + (1 if changed else 0), updated_at=now
        )
        if changed
        else record
    )
    if conflicts:
        result = MutationResult(
            m.n,
            "conflict",
            reason="Nogen har ændret det samme felt imens. Vælg hvilken værdi der skal gælde.",
            reason_en="Someone changed the same field meanwhile. Choose which value should apply.",
            fields=conflicts,
            record=updated.out(),
        )
    else:
        result = MutationResult(m.n, "applied", record=updated.out())
    return Outcome(result, updated if changed else None, changed)


def _require_owner(viewer: Viewer, record: Record) -> None:
    if record.owner_id != viewer.user_id:
        raise Refusal(
            "Kun den, der oprettede posten, kan ændre den.", "Only the person who created it can change it."
        )


def _require_state(
    record_type: RecordType, record: Record, states: frozenset[str], verb_da: str, verb_en: str
) -> None:
    if record.state not in states:
        da, en = record_type.state_name(record.state)
        raise Refusal(
            f"Posten er {da} og kan ikke længere {verb_da}.", f"It is {en} and can no longer be {verb_en}."
        )


def _transition(
    record_type: RecordType, viewer: Viewer, record: Record | None, m: Mutation, now: datetime
) -> Outcome:
    step = record_type.transition(m.transition or "")
    if record is None or step is None:
        raise Refusal(f"Ukendt handling: {m.transition}.", f"Unknown action: {m.transition}.")
    if step.by == OWNER:
        _require_owner(viewer, record)
    elif not viewer.can(step.by, record.unit_path) or (step.four_eyes and record.owner_id == viewer.user_id):
        # Nobody approves their own record: the control must be someone else's.
        raise Refusal("Du har ikke ret til denne handling.", "You are not allowed to do this.")
    if record.state not in step.source:
        da, en = record_type.state_name(record.state)
        raise Refusal(
            f"Posten er {da}; det kan ikke lade sig gøre nu.", f"It is {en}; that cannot be done now."
        )
    if step.guard is not None and (missing := step.guard(record.fields)):
        raise Refusal(*missing)
    note = _note(step, m.fields.get("note"))
    history = [
        *record.history,
        {"transition": step.name, "by": viewer.user_id, "at": now.isoformat(), "state": step.target}
        | ({"note": note} if note else {}),
    ]
    moved = dataclasses.replace(
        record, state=step.target, version=record.version + 1, updated_at=now, history=history
    )
    return Outcome(
        MutationResult(m.n, "applied", record=moved.out()), moved, {"state": [record.state, step.target]}
    )


MAX_NOTE = 500


def _note(step: Transition, value: Any) -> str | None:
    note = value.strip() if isinstance(value, str) else ""
    if step.note_required and not note:
        raise Refusal("Skriv en begrundelse.", "Give a reason.")
    if len(note) > MAX_NOTE:
        raise Refusal(
            f"Begrundelsen må højst være {MAX_NOTE} tegn.",
            f"The reason can be at most {MAX_NOTE} characters.",
        )
    return note or None


def _delete(
    record_type: RecordType, viewer: Viewer, record: Record | None, m: Mutation, now: datetime
) -> Outcome:
    if record is None:
        return Outcome(MutationResult(m.n, "applied"))  # nothing to delete is what was asked for
    _require_owner(viewer, record)
    _require_state(record_type, record, record_type.deletable_states, "slettes", "deleted")
    gone = dataclasses.replace(record, deleted=True, version=record.version + 1, updated_at=now)
    return Outcome(MutationResult(m.n, "applied", record=gone.out()), gone, {"deleted": True})


def apply_mutation(
    registry: Registry, viewer: Viewer, record: Record | None, m: Mutation, now: datetime
) -> Outcome:
    """The outcome of one mutation; a refused one is `rejected` with a reason, never an exception."""
    record_type = registry.get(m.type)
    try:
        if record_type is None:
            raise Refusal(
                f"Ukendt type: {m.type}. Opdater appen.", f"Unknown type: {m.type}. Update the app."
            )
        if record is not None and (
            record.type != m.type
            or not (visible_to(viewer, record, record_type) or _may_move(viewer, record, record_type, m))
        ):
            # Someone else's record (or another municipality's) answers like a missing one.
            raise Refusal("Posten findes ikke.", "It does not exist.", show=False)
        if record is not None and record.deleted:
            if m.kind == "delete":
                return Outcome(MutationResult(m.n, "applied"))
            raise Refusal("Posten er slettet.", "It has been deleted.")
        if m.kind == "put":
            return _put(record_type, viewer, record, m, now)
        if m.kind == "transition":
            return _transition(record_type, viewer, record, m, now)
        return _delete(record_type, viewer, record, m, now)
    except Refusal as refusal:
        shown = record.out() if record is not None and refusal.show else None
        return Outcome(MutationResult(m.n, "rejected", reason=refusal.da, reason_en=refusal.en, record=shown))
