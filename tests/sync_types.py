"""Record types the tests register until the workflows bring their own (FELT_EXTRA_RECORD_TYPES=tests.sync_types)."""

from __future__ import annotations

import msgspec

from sync.registry import REGISTRY, RecordType, Transition


class NoteFields(msgspec.Struct, forbid_unknown_fields=True):
    title: str = ""
    body: str = ""
    done: bool = False
    photo: str | None = None


def _check(fields: dict[str, object]) -> str | None:
    return "Titlen må højst være 200 tegn." if len(str(fields.get("title", ""))) > 200 else None


NOTE = REGISTRY.register(
    RecordType(
        name="note",
        fields=NoteFields,
        transitions=(
            Transition("submit", frozenset({"draft"}), "submitted"),
            Transition("approve", frozenset({"submitted"}), "approved", by="view_staff"),
            Transition("reject", frozenset({"submitted"}), "draft", by="view_staff"),
        ),
        view="view_staff",
        blob_fields=frozenset({"photo"}),
        check=_check,
        state_names={
            "draft": ("en kladde", "a draft"),
            "submitted": ("indsendt", "submitted"),
            "approved": ("godkendt", "approved"),
        },
    )
)
