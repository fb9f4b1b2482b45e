"""The sync engine's rules on plain objects: field merge, state machine, who may do what."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from sync.apply import Record, apply_mutation
from sync.blobs import BlobError, content_range
from sync.merge import merge_fields
from sync.protocol import Mutation
from sync.registry import Registry, Transition
from tests.sync_types import NOTE

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
REGISTRY = Registry([NOTE])


@dataclass(frozen=True)
class Person:
    user_id: int
    municipality_id: int = 1
    unit_id: int | None = 5
    unit_path: str | None = "1/5/"
    leads: str | None = None

    def can(self, capability: str, unit_path: str) -> bool:
        return capability == "view_staff" and self.leads is not None and unit_path.startswith(self.leads)

    def scopes(self, capability: str) -> list[str]:
        return [self.leads] if self.leads and capability == "view_staff" else []


ANNA, BO, LEADER, ABROAD = (
    Person(1),
    Person(2, unit_path="1/6/"),
    Person(3, leads="1/"),
    Person(4, municipality_id=2, leads="9/"),
)


def _note(state: str = "draft", **fields: object) -> Record:
    values = {"title": "Taxi", "body": "", "done": False, "photo": None, **fields}
    return Record(uuid.uuid4(), "note", 1, ANNA.user_id, 5, "1/5/", state, values, 1, False, NOW)


def test_different_fields_merge() -> None:
    merged, conflicts = merge_fields({"a": 1, "b": 2}, {"b": 3}, {"b": 2})
    assert (merged, conflicts) == ({"a": 1, "b": 3}, [])


def test_the_same_field_changed_by_someone_else_is_a_conflict_and_keeps_the_server_value() -> None:
    merged, conflicts = merge_fields({"a": "theirs"}, {"a": "mine"}, {"a": "original"})
    assert (merged, conflicts) == ({"a": "theirs"}, ["a"])


def test_making_the_same_change_twice_is_no_conflict() -> None:
    assert merge_fields({"a": "same"}, {"a": "same"}, {"a": "old"}) == ({"a": "same"}, [])


def test_a_field_without_a_base_takes_the_new_value() -> None:
    assert merge_fields({"a": 1}, {"a": 2}, {}) == ({"a": 2}, [])


def test_creating_sets_owner_unit_and_initial_state() -> None:
    out = apply_mutation(
        REGISTRY, ANNA, None, Mutation(1, "put", "note", uuid.uuid4(), {"title": "Bus"}), NOW
    )
    assert out.record is not None and out.result.status == "applied"
    assert (out.record.owner_id, out.record.unit_path, out.record.state, out.record.version) == (
        1,
        "1/5/",
        "draft",
        1,
    )


def test_editing_outside_the_editable_states_is_refused_with_the_reason() -> None:
    note = _note(state="approved")
    out = apply_mutation(
        REGISTRY, ANNA, note, Mutation(2, "put", "note", note.id, {"title": "Fly"}, {"title": "Taxi"}), NOW
    )
    assert (
        out.result.status == "rejected"
        and out.result.reason == "Posten er godkendt og kan ikke længere ændres."
    )
    assert out.record is None and out.result.record is not None


def test_nobody_approves_their_own_record() -> None:
    note = _note(state="submitted")
    own = Person(1, leads="1/")
    out = apply_mutation(
        REGISTRY, own, note, Mutation(3, "transition", "note", note.id, transition="approve"), NOW
    )
    assert out.result.status == "rejected"


def test_a_leader_over_the_unit_approves_and_the_trail_says_who_and_when() -> None:
    note = _note(state="submitted")
    out = apply_mutation(
        REGISTRY, LEADER, note, Mutation(3, "transition", "note", note.id, transition="approve"), NOW
    )
    assert out.record is not None and out.record.state == "approved" and out.record.version == 2
    assert out.record.history == [
        {"transition": "approve", "by": 3, "at": NOW.isoformat(), "state": "approved"}
    ]


def test_someone_elses_record_is_refused_without_revealing_it() -> None:
    note = _note()
    for stranger in (BO, ABROAD):
        out = apply_mutation(
            REGISTRY, stranger, note, Mutation(1, "put", "note", note.id, {"title": "x"}), NOW
        )
        assert (
            out.result.status == "rejected"
            and out.result.record is None
            and out.result.reason == "Posten findes ikke."
        )


def test_invalid_fields_and_unknown_types_are_rejected_not_raised() -> None:
    bad = apply_mutation(
        REGISTRY, ANNA, None, Mutation(1, "put", "note", uuid.uuid4(), {"done": "maybe"}), NOW
    )
    assert bad.result.status == "rejected" and bad.result.fields == ["done"]
    assert bad.result.reason == "Færdig skal være ja eller nej." and "Done" in (bad.result.reason_en or "")
    unknown = apply_mutation(REGISTRY, ANNA, None, Mutation(2, "put", "trip", uuid.uuid4(), {}), NOW)
    assert unknown.result.status == "rejected" and "Opdater appen" in (unknown.result.reason or "")


def test_deleting_twice_is_fine() -> None:
    note = _note()
    gone = apply_mutation(REGISTRY, ANNA, note, Mutation(1, "delete", "note", note.id), NOW)
    assert gone.record is not None and gone.record.deleted
    again = apply_mutation(REGISTRY, ANNA, gone.record, Mutation(2, "delete", "note", note.id), NOW)
    assert again.result.status == "applied"


def _step_type(**step: object) -> Registry:
    """The note type with one more transition, by a capability the LEADER holds (view_staff)."""
    extra = Transition("close", frozenset({"submitted"}), "closed", by="view_staff", **step)  # type: ignore[arg-type]
    return Registry([replace(NOTE, name="ticket", transitions=(*NOTE.transitions, extra))])


def _ticket(owner: Person) -> Record:
    return Record(uuid.uuid4(), "ticket", 1, owner.user_id, 5, "1/5/", "submitted", {}, 1, False, NOW)


def test_a_transition_that_needs_a_reason_keeps_it_in_the_history() -> None:
    registry, record = _step_type(note_required=True), _ticket(ANNA)
    move = Mutation(1, "transition", "ticket", record.id, transition="close")
    refused = apply_mutation(registry, LEADER, record, move, NOW).result
    assert refused.status == "rejected" and refused.reason == "Skriv en begrundelse."
    with_note = Mutation(
        1, "transition", "ticket", record.id, fields={"note": " Forkert dato "}, transition="close"
    )
    done = apply_mutation(registry, LEADER, record, with_note, NOW)
    assert done.record is not None and done.record.history[-1]["note"] == "Forkert dato"


def test_a_step_without_four_eyes_may_be_made_on_ones_own_record() -> None:
    own = _ticket(LEADER)
    move = Mutation(1, "transition", "ticket", own.id, transition="close")
    assert apply_mutation(_step_type(), LEADER, own, move, NOW).result.status == "rejected"
    assert apply_mutation(_step_type(four_eyes=False), LEADER, own, move, NOW).result.status == "applied"


def test_an_upload_chunk_goes_where_its_content_range_says_and_no_header_is_the_whole_blob() -> None:
    assert content_range("bytes 0-9/25", 10) == (0, 25)
    assert content_range("bytes 10-24/25", 15) == (10, 25)
    assert content_range(None, 7) == (0, 7)


@pytest.mark.parametrize(
    ("header", "length", "da"),
    [
        ("bytes 0-9", 10, "Ugyldig Content-Range."),
        ("bytes a-9/20", 10, "Ugyldig Content-Range."),
        ("bytes -1-9/20", 11, "Ugyldig Content-Range."),
        ("items 0-9/20", 10, "Content-Range passer ikke til data."),
        ("bytes 0-9/20", 9, "Content-Range passer ikke til data."),  # the chunk is shorter than it says
        ("bytes 10-19/19", 10, "Content-Range passer ikke til data."),  # it ends beyond the blob
    ],
)
def test_a_content_range_that_cannot_be_read_or_does_not_fit_the_chunk_is_refused_in_words(
    header: str, length: int, da: str
) -> None:
    with pytest.raises(BlobError) as refused:
        content_range(header, length)
    assert refused.value.da == da
