"""Typed fields and the plug-in point, on plain objects: no database, no web framework."""

from __future__ import annotations

from datetime import date

import pytest

from backend.features.workflow import Payable, Workflow
from backend.platform import HalfRegistered, build
from backend.workflows import WORKFLOWS
from sync import fields
from sync.fields import FieldError, clean_changes, clean_fields
from sync.registry import RecordType, Transition

TODAY = date(2026, 11, 30)
TOTAL = fields.money("Beløb", "Amount", min="0.01", max="100000.00")
DAY = fields.day("Dato", "Date", past_days=365, future_days=0)


@pytest.mark.parametrize(
    "typed", ["187,50", "1e3", "NaN", "Infinity", "-187.50", " 187.50 ", "0", "1.005", ""]
)
def test_money_is_a_positive_decimal_string_with_at_most_two_places(typed: str) -> None:
    with pytest.raises(FieldError):
        TOTAL.clean(typed, TODAY)


def test_money_is_stored_with_exactly_two_places() -> None:
    assert [TOTAL.clean(v, TODAY) for v in ("187.5", "187", "0.01")] == ["187.50", "187.00", "0.01"]


@pytest.mark.parametrize(
    "typed", ["i går", "26/11/2026", "2026-02-30", "2026-12-01", "2025-11-29", "20261130"]
)
def test_a_date_is_real_not_in_the_future_and_inside_its_window(typed: str) -> None:
    with pytest.raises(FieldError):
        DAY.clean(typed, TODAY)


def test_today_and_the_oldest_day_of_the_window_are_accepted() -> None:
    assert DAY.clean("2026-11-30", TODAY) == "2026-11-30" and DAY.clean("2025-11-30", TODAY) == "2025-11-30"


def test_the_refusal_names_the_field_in_danish_and_english() -> None:
    with pytest.raises(FieldError) as refused:
        clean_changes(
            {"km": fields.decimal("Antal km", "Distance", min="0.1", max="1500", places=1)},
            {"km": "0"},
            TODAY,
        )
    assert (refused.value.da, refused.value.en, refused.value.field) == (
        "Antal km skal være mindst 0,1.",
        "Distance must be at least 0.1.",
        "km",
    )


def test_server_owned_fields_are_ignored_and_unknown_fields_refused() -> None:
    spec = {"title": fields.text("Titel", "Title"), "calc": fields.server_data("Beregning", "Calculation")}
    cleaned = clean_fields(spec, {"title": "Bus", "calc": {"amount": "9999"}}, TODAY)
    assert cleaned.fields == {"title": "Bus", "calc": {}} and cleaned.ignored == ["calc"]
    with pytest.raises(FieldError):
        clean_fields(spec, {"tilte": "Bus"}, TODAY)


def test_text_is_limited_in_length_and_holds_no_nul() -> None:
    short = fields.text("Formål", "Purpose", max_length=5)
    for bad in ("x" * 6, "a\x00b", 5):
        with pytest.raises(FieldError):
            short.clean(bad, TODAY)


def test_every_record_type_publishes_its_fields_for_the_forms() -> None:
    described = build(WORKFLOWS).registry.describe()
    assert described["trip"]["fields"]["km"] == {
        "kind": "decimal",
        "label": {"da": "Antal km", "en": "Distance (km)"},
        "places": 1,
        "min": "0.1",
        "max": "1500",
    }
    assert described["receipt"]["fields"]["ocr"]["server"] is True


def _type(**kw: object) -> RecordType:
    return RecordType(name="thing", fields={"title": fields.text("Titel", "Title")}, **kw)  # type: ignore[arg-type]


def test_a_transition_needing_a_capability_no_role_has_fails_at_start() -> None:
    lonely = _type(
        transitions=(Transition("approve", frozenset({"draft"}), "approved", by="approve_things"),)
    )
    with pytest.raises(HalfRegistered, match="approve_things"):
        build([Workflow("things", record_types=(lonely,))])


def test_payroll_for_a_state_the_type_never_reaches_fails_at_start() -> None:
    payable = Payable(frozenset({"approved"}), lines=lambda r: [], decided_at=lambda r: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(HalfRegistered, match="never reaches"):
        build([Workflow("things", record_types=(_type(),), payables={"thing": payable})])


def test_hooks_for_a_type_nobody_declared_fail_at_start() -> None:
    with pytest.raises(HalfRegistered, match="unknown record type"):
        build([Workflow("things", hooks={"ghost": ()})])


def test_two_workflows_cannot_declare_the_same_record_type() -> None:
    with pytest.raises(HalfRegistered, match="declared twice"):
        build([Workflow("a", record_types=(_type(),)), Workflow("b", record_types=(_type(),))])


def test_the_apps_own_workflows_hold_together() -> None:
    platform = build(WORKFLOWS)
    assert {"receipt", "trip", "place"} <= set(platform.registry.names())
    assert platform.daily == [
        "abandoned-uploads",
        "facility-recurring",
        "notify.daily",
        "receipt-retention",
        "receipt-review-draw",
    ]
    assert {"receipt_outlay", "mileage_high", "mileage_low", "mileage_bicycle"} <= set(platform.wage_types)
