"""The field rules that must hold on any receipt, Danish or foreign: plain text in, no imaging."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ocr import checks
from ocr.decide import decide
from ocr.fields import Line, amounts_in, lines_from_text, parse_amount, read_all, read_cvrs, read_dates

TODAY = dt.date(2018, 6, 30)


def _decide(text: str, today: dt.date = TODAY):
    return decide(read_all(lines_from_text(text)), today)


def test_space_thousands_separator_is_one_amount() -> None:
    assert parse_amount("I ALT 3 038,15") == Decimal("3038.15")
    assert parse_amount("TOTAL 12 345 678.00") == Decimal("12345678.00")
    d = _decide("XL-BYG\nTOTAL 3 038,15\nMASTERCARD 3 038,15\nMoms 607,63")
    assert d.values["total"] == "3038.15"
    assert d.values["vat"] == "607.63"


def test_a_quantity_before_an_amount_stays_a_separate_number() -> None:
    assert [a.value for a in amounts_in(Line.of("1 7.42 7.42"), 0)] == [Decimal("7.42"), Decimal("7.42")]
    assert [a.value for a in amounts_in(Line.of("25,00 1.387,60 346,90"), 0)] == [
        Decimal("25.00"),
        Decimal("1387.60"),
        Decimal("346.90"),
    ]


def test_a_spaced_total_that_nothing_confirms_is_left_empty_with_a_reason() -> None:
    d = _decide("Butik\nI ALT 3 038,15\n")
    assert d.values["total"] is None
    assert d.suggestions["total"] == "3038.15"
    assert d.reasons["total"]["code"] == "total_unconfirmed"


def test_subtotal_plus_tax_confirms_a_foreign_total() -> None:
    d = _decide("SUPER FOODS\nApple Pies 2.78\nSubtotal 2.78\nTax 0.25\nTOTAL 3.03\n")
    assert d.values["total"] == "3.03"


def test_items_summing_to_the_total_confirm_it() -> None:
    d = _decide("Cafe\nCoffee 3.50\nMuffin 2.25\nTOTAL 5.75\n")
    assert d.values["total"] == "5.75"


def test_a_printed_tax_rate_confirms_the_total() -> None:
    d = _decide("KEDAI\nTotal Sales (Inclusive of GST) 7.42\nGST 6% 0.42\n")
    assert d.values["total"] == "7.42"
    assert checks.tax_matches(Decimal("7.42"), Decimal("0.42"), Decimal("6"))
    assert not checks.tax_matches(Decimal("7.42"), Decimal("0.70"), Decimal("6"))


def test_card_payment_confirms_the_labelled_total() -> None:
    d = _decide("SUPER A FOODS\nBALANCE DUE 1.48\nVISA 1.48\nCHANGE 0.00\n")
    assert d.values["total"] == "1.48"


def test_subtotal_tax_savings_rounding_and_tendered_cash_are_never_the_total() -> None:
    text = (
        "SYARIKAT ABC SDN BHD\n"
        "Total Excl. GST 50.00\n"
        "GST 6% 3.00\n"
        "Rounding Adj 0.00\n"
        "You saved 4.00\n"
        "CASH 100.00\n"
        "CHANGE 47.00\n"
    )
    r = read_all(lines_from_text(text))
    assert {a.value for a, _ in r.totals} == set()
    d = decide(r, TODAY)
    assert d.values["total"] in (None, "53.00")  # only cash minus change, never one of the lines


def test_the_label_alone_is_not_enough() -> None:
    d = _decide("Shop\nTOTAL 12.00\n")
    assert d.values["total"] is None
    assert d.suggestions["total"] == "12.00"


def test_english_month_names_are_read() -> None:
    got = {x.value for text in ("Dec 12, 2014 16:45", "12DEC2014 16:45:09", "Oct.10'15 (Sat)11:01")
           for x in read_dates([Line.of(text)])}  # fmt: skip
    assert got == {dt.date(2014, 12, 12), dt.date(2015, 10, 10)}


def test_a_dollar_receipt_reads_dates_month_first() -> None:
    lines = lines_from_text("TOTAL $12.00\n04/07/2017 10:14")
    assert [x.value for x in read_dates(lines)] == [dt.date(2017, 4, 7)]
    assert [x.value for x in read_dates(lines_from_text("I ALT 12,00\n04/07/2017 10:14"))] == [
        dt.date(2017, 7, 4)
    ]


def test_a_date_in_the_future_is_refused_relative_to_today() -> None:
    d = _decide("REMA 1000\n12.07.18 10:14\n")
    assert d.values["date"] is None
    assert d.reasons["date"]["code"] == "date_implausible"


def test_cyr_misread_of_the_cvr_label_is_still_a_cvr() -> None:
    assert [c.value for c in read_cvrs([Line.of("Cyr.nr. DK66148742")])] == ["66148742"]


def test_vat_included_at_the_printed_rate_confirms_the_total() -> None:
    assert _decide("Bistro\nTotal:R288.40\nR35.42 V.A.T Included @ 14%\n").values["total"] == "288.40"


def test_the_lines_above_a_total_adding_up_confirm_it() -> None:
    d = _decide("Cafe\nBar Subtotal: 7.98\nFood Subtotal: 21.17\nTax 1: 1.90\nTOTAL: $31.05\n")
    assert d.values["total"] == "31.05"


def test_cash_minus_change_confirms_the_total_in_other_languages() -> None:
    assert _decide("Cafe\nTOTAL: 5.58\nEspeces 5.70\nRENDU 0.12\n").values["total"] == "5.58"


def test_money_handed_over_is_not_the_total_when_change_is_given() -> None:
    d = _decide("Cafe\nTotal: 72.93\nRND ADJ 0.02\nTotal After Rnd 72.95\nPayment 73.00\nChange Due 0.05\n")
    assert d.values["total"] == "72.95"
