"""The facility workflow's rules (issue 15), without a database: codes, the repeated fault, what the
reporter sees."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from backend.features.facility.rules import codes
from backend.features.facility.rules.repeat import Closed, repeated_fault
from backend.features.facility.rules.status import public_steps, status_change

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_a_room_code_carries_at_least_128_random_bits_and_is_never_repeated() -> None:
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    for code in list(made)[:50]:
        assert len(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))) * 8 >= 128
        assert codes.looks_like_code(code)


def test_only_code_shaped_keys_reach_the_database() -> None:
    for bad in ("", "short", "../../etc/passwd", "a" * 65, "æøå" * 10, "x y" * 10):
        assert not codes.looks_like_code(bad)


def test_a_private_link_is_stored_only_as_its_hash() -> None:
    secret = codes.new_code()
    digest = codes.secret_hash(secret)
    assert len(digest) == 64 and secret not in digest
    assert codes.same_hash(digest, codes.secret_hash(secret))
    assert not codes.same_hash(digest, codes.secret_hash(codes.new_code()))


def test_repeated_fault_within_30_days_after_closing() -> None:
    closed = [Closed("a", T0)]
    assert repeated_fault(T0 + timedelta(days=30), closed) == closed[0]
    assert repeated_fault(T0 + timedelta(days=30, seconds=1), closed) is None
    assert repeated_fault(T0 - timedelta(seconds=1), closed) is None  # reported before the fix


def test_repeated_fault_names_the_latest_fix() -> None:
    older, newer = Closed("old", T0), Closed("new", T0 + timedelta(days=10))
    assert repeated_fault(T0 + timedelta(days=12), [newer, older]) == newer


def test_the_reporter_sees_each_status_and_a_rejections_reason_but_no_other_note() -> None:
    history = [
        {"transition": "plan", "by": 9, "at": "2026-11-02T08:00:00+00:00", "state": "planned", "note": "intern"},
        {"transition": "reject", "by": 9, "at": "2026-11-03T08:00:00+00:00", "state": "rejected", "note": "Udlejers ansvar"},
    ]  # fmt: skip
    steps = public_steps("2026-11-01T12:00:00+00:00", history)
    assert [(s.state, s.reason) for s in steps] == [
        ("received", None),
        ("planned", None),
        ("rejected", "Udlejers ansvar"),
    ]


def test_a_status_change_is_recognised_once() -> None:
    assert status_change("received", "planned") == ("received", "planned")
    assert status_change("planned", "planned") is None
    assert status_change("planned", "archived") is None
