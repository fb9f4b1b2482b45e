"""The payroll month rules (backend/features/payroll/cutoff.py): which salary run pays an approval, which
run payroll should export next, and when its cut-off falls — without a database."""

from __future__ import annotations

from datetime import date

from backend.features.payroll.cutoff import (
    Month,
    cutoff_date,
    first_open_month,
    next_cutoff,
    next_run,
    paid_in,
)


def test_an_approval_after_its_months_export_is_paid_with_the_next_salary_run() -> None:
    # 30 November, after the cut-off: December's run; December exported already → January.
    assert paid_in(date(2026, 11, 30), 18, exported={"2026-11", "2026-12"}) == Month(2027, 1)


def test_an_approval_is_paid_in_its_cutoff_month_while_that_run_is_not_exported() -> None:
    assert paid_in(date(2026, 11, 17), 18, exported={"2026-10"}) == Month(2026, 11)
    assert paid_in(date(2026, 11, 18), 18, exported=set()) == Month(2026, 12)


def test_the_first_open_month_skips_every_exported_run_in_a_row() -> None:
    assert first_open_month(Month(2026, 11), {"2026-11", "2026-12", "2027-01"}) == Month(2027, 2)
    assert first_open_month(Month(2026, 11), {"2026-10", "2027-01"}) == Month(2026, 11)


def test_the_next_run_is_the_earliest_month_with_lines_waiting() -> None:
    # A missed October line waits: October is the next run, even on 30 November.
    assert next_run(date(2026, 11, 30), 18, pending=["2026-10", "2026-12"], exported=set()) == Month(2026, 10)


def test_the_next_run_is_the_month_approvals_go_to_today_when_nothing_earlier_waits() -> None:
    # On 30 November approvals go to December: December is next, not November, nor January.
    assert next_run(date(2026, 11, 30), 18, pending=[], exported={"2026-11"}) == Month(2026, 12)
    assert next_run(date(2026, 11, 10), 18, pending=["2026-12"], exported=set()) == Month(2026, 11)


def test_the_next_run_is_never_a_month_already_exported() -> None:
    assert next_run(date(2026, 11, 30), 18, pending=["2027-01"], exported={"2026-12"}) == Month(2027, 1)


def test_the_next_cutoff_is_never_in_the_past() -> None:
    assert next_cutoff(date(2026, 11, 30), 18) == date(2026, 12, 18)
    assert next_cutoff(date(2026, 11, 17), 18) == date(2026, 11, 18)
    assert next_cutoff(date(2026, 11, 18), 18) == date(2026, 12, 18)  # on the cut-off day: next month's
    assert next_cutoff(date(2026, 12, 31), 18) == date(2027, 1, 18)


def test_a_cutoff_day_the_month_lacks_falls_on_its_last_day() -> None:
    assert cutoff_date(Month(2027, 2), 31) == date(2027, 2, 28)
    assert cutoff_date(Month(2028, 2), 30) == date(2028, 2, 29)
    assert cutoff_date(Month(2026, 4), 31) == date(2026, 4, 30)


def test_a_payroll_month_reads_and_writes_as_yyyy_mm() -> None:
    assert Month.parse("2026-09") == Month(2026, 9)
    assert str(Month.parse("2026-09")) == "2026-09"
