"""A reading's reason about a receipt field goes once the employee changes that field (ocr_reasons.py)."""

from __future__ import annotations

from backend.features.receipts.ocr_reasons import still_holding, with_values

OLD = {"da": "Datoen er over et år gammel.", "en": "The date is over a year old.", "code": "date_old"}
UNREAD = {"da": "Beløbet kunne ikke læses.", "en": "The total could not be read.", "code": "unread"}


def test_each_reason_is_kept_with_the_value_its_field_had_when_read() -> None:
    kept = with_values({"date": OLD, "total": UNREAD}, {"date": "2024-03-01", "total": None})
    assert kept == {"date": OLD | {"value": "2024-03-01"}, "total": UNREAD | {"value": None}}


def test_a_warning_goes_once_its_field_is_changed_and_the_others_stay() -> None:
    reasons = with_values({"date": OLD, "total": UNREAD}, {"date": "2024-03-01", "total": None})
    assert still_holding(reasons, {"date": "2025-11-30", "total": None}) == {"total": reasons["total"]}
    assert still_holding(reasons, {"date": "2024-03-01", "total": "10.00"}) == {"date": reasons["date"]}


def test_nothing_changes_while_every_field_has_the_value_read() -> None:
    reasons = with_values({"date": OLD}, {"date": "2024-03-01"})
    assert still_holding(reasons, {"date": "2024-03-01", "purpose": "Kursus"}) is None


def test_a_reason_kept_without_its_value_stays() -> None:
    assert still_holding({"date": OLD}, {"date": "2025-11-30"}) is None
