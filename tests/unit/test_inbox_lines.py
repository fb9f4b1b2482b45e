"""The inbox lines of trips and receipts (issue 16): what blocks "Godkend alle", without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from backend.features.mileage.inbox_line import trip_line
from backend.features.receipts.inbox_line import receipt_line
from sync.apply import Record


def record(type_name: str, fields: dict[str, Any]) -> Record:
    return Record(uuid.uuid4(), type_name, 1, 2, 3, "1/3/", "submitted", fields, 1, False, datetime.now(UTC))


def test_a_trip_with_a_note_for_the_leader_is_decided_on_its_own() -> None:
    flag = {"code": "over_trip_limit", "da": "Over kommunens grænse", "en": "Over the limit"}
    warning = {"code": "sixty_days_warning", "da": "Dag 55 af 60", "en": "Day 55 of 60"}
    line = trip_line(
        record(
            "trip",
            {"date": "2025-03-10", "purpose": "Møde", "calc": {"amount": "111.50", "flags": [flag, warning]}},
        )
    )
    assert line.title == ("10.03.2025 · Møde", "10.03.2025 · Møde") and line.day == date(2025, 3, 10)
    assert line.amount == Decimal("111.50") and line.pays
    assert [(b.code, b.blocking) for b in line.badges] == [
        ("over_trip_limit", True)
    ]  # the employee's warning is not the leader's


def test_a_trip_without_notes_is_rule_clean() -> None:
    line = trip_line(
        record("trip", {"date": "2025-03-10", "purpose": "Møde", "calc": {"amount": "50.00", "flags": []}})
    )
    assert line.badges == ()


def test_a_receipt_drawn_as_a_suspected_duplicate_blocks_one_over_the_limit_is_marked_one_drawn_at_random_is_clean() -> (
    None
):
    drawn = {"rule": "random_share", "reason": "Udtaget tilfældigt.", "reason_en": "Drawn at random."}
    clean = receipt_line(
        record("receipt", {"merchant": "Netto", "date": "2025-02-03", "total": "249.90", "review": drawn})
    )
    assert clean.title[0] == "Netto · 03.02.2025" and clean.amount == Decimal("249.90") and not clean.pays
    assert clean.badges == ()  # how it was drawn is not a finding about the receipt
    over = {"rule": "over_amount_limit", "reason": "Beløbet er over 5000 kr.", "reason_en": "Over DKK 5000."}
    marked = receipt_line(record("receipt", {"total": "6000.00", "review": over}))
    assert [(b.code, b.blocking) for b in marked.badges] == [("over_amount_limit", False)]
    twice = receipt_line(record("receipt", {"total": "10.00", "duplicate_of": ["x"], "review": drawn}))
    assert [(b.code, b.blocking) for b in twice.badges] == [("suspected_duplicate", True)]
