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

from sync.fields import FieldError, clean_changes, clean_fields, today_at
from sync.merge import merge_fields
from sync.protocol import Mutation, MutationResult, Party, RecordOut, Step
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


@dataclass(frozen=True)
class Place:
    """A person's or a unit's place in the org: municipality, unit id and the unit's path."""

    municipality_id: int
    unit_id: int | None
    unit_path: str


@dataclass(frozen=True)
class Directory:
    """The people and units a batch's records name (looked up by the caller before applying)."""

    people: dict[int, Place] = field(default_factory=dict)
    units: dict[int, Place] = field(default_factory=dict)
    foreign_blobs: frozenset[str] = frozenset()
    """Hashes of files on the server that this author did not upload: a record may not name them."""


NO_DIRECTORY = Directory()


@dataclass
class Record:
    """A record in memory. `owner_id` is its subject (whom it is about; None for a building's report
    made through a door), `author_id` who created it, `parties` [[user id, part], …] the others."""

    id: UUID
    type: str
    municipality_id: int
    owner_id: int | None
    unit_id: int | None
    unit_path: str
    state: str
    fields: dict[str, Any]
    version: int
    deleted: bool
    updated_at: datetime
    history: list[dict[str, Any]] = field(default_factory=list)
    author_id: int | None = None
    parties: list[list[Any]] = field(default_factory=list)
    stored_steps: int = field(default=0, compare=False)
    """How many steps of `history` were stored when the record was read (0: new in this batch): the
    steps after them were made in this batch. The workflows' hooks read it (a notification per new
    step) instead of asking the database again."""

    def party_ids(self) -> set[int]:
        return {int(p[0]) for p in self.parties}

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
            author_id=self.author_id,
            parties=[Party(int(p[0]), str(p[1])) for p in self.parties],
        )


@dataclass
class Outcome:
    result: MutationResult
    record: Record | None = None
    """The record as it is now, when the mutation changed it."""
    changed: dict[str, Any] = field(default_factory=dict)
    """What changed, for the audit log."""


class Refusal(Exception):
    def __init__(self, da: str, en: str, *, show: bool = True, fields: list[str] | None = None) -> None:
        super().__init__(da)
        self.da, self.en, self.show, self.fields = da, en, show, fields


def visible_to(viewer: Viewer, record: Record, record_type: RecordType) -> bool:
    """Its subject, its author and its parties see it, and those whose `view` capability covers its unit."""
    if record.municipality_id != viewer.municipality_id:
        return False
    return (
        viewer.user_id in (record.owner_id, record.author_id)
        or viewer.user_id in record.party_ids()
        or (record_type.view is not None and viewer.can(record_type.view, record.unit_path))
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


def _cleaned(
    record_type: RecordType, incoming: dict[str, Any], now: datetime, *, new: bool
) -> dict[str, Any]:
    """A new record's fields (`new`), or a put's changes, in their stored form; server-owned ones ignored."""
    clean = clean_fields if new else clean_changes
    try:
        return clean(record_type.fields, incoming, today_at(now)).fields
    except FieldError as exc:
        raise Refusal(exc.da, exc.en, fields=[exc.field] if exc.field else None) from None


def _check(record_type: RecordType, fields: dict[str, Any]) -> None:
    if record_type.check and (reasons := record_type.check(fields)):
        raise Refusal(*reasons)


def _person(directory: Directory, viewer: Viewer, value: Any) -> tuple[int, Place]:
    place = directory.people.get(value) if isinstance(value, int) and not isinstance(value, bool) else None
    if place is None or place.municipality_id != viewer.municipality_id:
        raise Refusal("Personen findes ikke.", "That person does not exist.")
    return value, place


def _place(
    record_type: RecordType, viewer: Viewer, fields: dict[str, Any], directory: Directory
) -> tuple[int, Place, list[list[Any]]]:
    """The subject, the unit and the parties of a record with these fields, checked against the
    author's rights: placing it on someone else or on another unit needs `placement.by` there."""
    p = record_type.placement
    own = Place(viewer.municipality_id, viewer.unit_id, viewer.unit_path or "")
    subject, subject_place = viewer.user_id, own
    if p.subject is not None:
        if fields.get(p.subject) is None:
            raise Refusal(
                f"Vælg {record_type.fields[p.subject].label[0].lower()}.",
                f"Choose the {record_type.fields[p.subject].label[1].lower()}.",
            )
        if fields[p.subject] != viewer.user_id:
            subject, subject_place = _person(directory, viewer, fields[p.subject])
    unit = subject_place
    if p.unit is not None and fields.get(p.unit) is not None:
        found = directory.units.get(fields[p.unit]) if isinstance(fields[p.unit], int) else None
        if found is None or found.municipality_id != viewer.municipality_id:
            raise Refusal("Enheden findes ikke.", "That unit does not exist.")
        unit = found
    if (subject != viewer.user_id or unit.unit_path != own.unit_path) and not (
        p.by is not None and viewer.can(p.by, unit.unit_path)
    ):
        raise Refusal(
            "Du har ikke ret til at oprette den for en anden eller en anden enhed.",
            "You may not create it for someone else or for another unit.",
        )
    parties: list[list[Any]] = []
    for name, part in p.parties:
        value = fields.get(name)
        for person in value if isinstance(value, list) else [] if value is None else [value]:
            parties.append([_person(directory, viewer, person)[0], part])
    return subject, unit, parties


def _blobs(record_type: RecordType, fields: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for name in record_type.blob_fields:
        value = fields.get(name)
        found.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
    return found


def _require_own_blobs(
    record_type: RecordType, before: dict[str, Any], after: dict[str, Any], directory: Directory
) -> None:
    """A photo's hash is no key: naming a file someone else uploaded (and this author did not) is refused."""
    if (_blobs(record_type, after) - _blobs(record_type, before)) & directory.foreign_blobs:
        raise Refusal(
            "Billedet findes ikke. Tag billedet igen fra din telefon.",
            "The photo does not exist. Take it again from your phone.",
        )


def _put(
    record_type: RecordType,
    viewer: Viewer,
    record: Record | None,
    m: Mutation,
    now: datetime,
    directory: Directory,
) -> Outcome:
    if record is None:
        fields = _cleaned(record_type, m.fields, now, new=True)
        _check(record_type, fields)
        _require_own_blobs(record_type, {}, fields, directory)
        subject, unit, parties = _place(record_type, viewer, fields, directory)
        created = Record(
            id=m.id,
            type=record_type.name,
            municipality_id=viewer.municipality_id,
            owner_id=subject,
            unit_id=unit.unit_id,
            unit_path=unit.unit_path,
            state=record_type.initial_state,
            fields=fields,
            version=1,
            deleted=False,
            updated_at=now,
            author_id=viewer.user_id,
            parties=parties,
        )
        return Outcome(MutationResult(m.n, "applied", record=created.out()), created, {"created": fields})
    _require_editor(record_type, viewer, record)
    _require_state(record_type, record, record_type.editable_states, "ændres", "changed")
    fields, conflicts = merge_fields(record.fields, _cleaned(record_type, m.fields, now, new=False), m.base)
    _check(record_type, fields)
    _require_own_blobs(record_type, record.fields, fields, directory)
    changed = {k: [record.fields.get(k), v] for k, v in fields.items() if record.fields.get(k) != v}
    updated = record
    if changed:
        updated = dataclasses.replace(record, fields=fields, version=record.version + 1, updated_at=now)
        if any(name in changed for name in record_type.placement.fields()):
            subject, unit, parties = _place(record_type, viewer, fields, directory)
            updated = dataclasses.replace(
                updated, owner_id=subject, unit_id=unit.unit_id, unit_path=unit.unit_path, parties=parties
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
        raise Refusal("Kun den, posten gælder, kan gøre det.", "Only the person it is about can do that.")


def _require_editor(record_type: RecordType, viewer: Viewer, record: Record) -> None:
    if record_type.edit_by == OWNER:
        if record.owner_id != viewer.user_id:
            raise Refusal(
                "Kun den, der oprettede posten, kan ændre den.",
                "Only the person who created it can change it.",
            )
    elif not viewer.can(record_type.edit_by, record.unit_path):
        raise Refusal("Du har ikke ret til at ændre den.", "You may not change it.")


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
    # A stand-in (stedfortræder) decides on behalf of the leader whose grant they borrow.
    behalf = getattr(viewer, "on_behalf_of", None)
    leader = behalf(step.by, record.unit_path) if callable(behalf) and step.by != OWNER else None
    history = [
        *record.history,
        {"transition": step.name, "by": viewer.user_id, "at": now.isoformat(), "state": step.target}
        | ({"note": note} if note else {})
        | ({"on_behalf_of": leader} if leader else {}),
    ]
    moved = dataclasses.replace(
        record, state=step.target, version=record.version + 1, updated_at=now, history=history
    )
    changed: dict[str, Any] = {"state": [record.state, step.target]} | (
        {"on_behalf_of": leader} if leader else {}
    )
    return Outcome(MutationResult(m.n, "applied", record=moved.out()), moved, changed)


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
    _require_editor(record_type, viewer, record)
    _require_state(record_type, record, record_type.deletable_states, "slettes", "deleted")
    gone = dataclasses.replace(record, deleted=True, version=record.version + 1, updated_at=now)
    return Outcome(MutationResult(m.n, "applied", record=gone.out()), gone, {"deleted": True})


def apply_mutation(
    registry: Registry,
    viewer: Viewer,
    record: Record | None,
    m: Mutation,
    now: datetime,
    directory: Directory = NO_DIRECTORY,
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
            return _put(record_type, viewer, record, m, now, directory)
        if m.kind == "transition":
            return _transition(record_type, viewer, record, m, now)
        return _delete(record_type, viewer, record, m, now)
    except Refusal as refusal:
        shown = record.out() if record is not None and refusal.show else None
        return Outcome(
            MutationResult(
                m.n, "rejected", reason=refusal.da, reason_en=refusal.en, fields=refusal.fields, record=shown
            )
        )
