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


def test_an_item_named_like_a_payment_above_the_total_is_an_item() -> None:
    d = _decide("Shop\nDME IQF CKN TENDER 6.99\nPRIME TENDERLOIN 27.90\nBREAD 2.00\nBALANCE DUE 36.89\n")
    assert d.values["total"] == "36.89"  # the label and the items adding up


def test_a_total_printed_negative_is_the_amount_paid() -> None:
    d = _decide("Bar\nCrostini 7.50\nTiger Prawn 12.95\nSubtotal 20.45\nTotal -20.45\n")
    assert d.values["total"] == "20.45"


def test_fuel_volume_times_price_per_unit_confirms_the_amount_paid() -> None:
    d = _decide("SNAPPY MOBIL\nGALLONS: 10.889\nPRICE/G: 3.399\nFUEL SALE 37.01\nCREDIT $37.01\n")
    assert d.values["total"] == "37.01"
    assert _decide("SNAPPY MOBIL\nGALLONS: 10.889\nPRICE/G: 3.399\nCREDIT $37.02\n").values["total"] is None


def test_a_count_in_front_of_the_total_on_one_line_does_not_hide_it() -> None:
    d = _decide(
        "Taj Mahal\nNan 1 x 2.12 2.12\nTotal No. Items: 24 Total Amount £99.33\nA = VAT @ 17.5 84.54 14.79 99.33\n"
    )
    assert d.values["total"] == "99.33"  # the label, and net + VAT = gross on the tax line
    assert _decide("Shop\nTAX TOTAL 2.00\nTOTAL 12.00\n").values["total"] is None


def test_a_net_total_is_not_the_total() -> None:
    d = _decide(
        "Caffe Nero\n1 Cappuccino 2.30\nCash GBP 6.40\n1.07 VAT 20 6.40\nNet Total: GBP 5.33\n"
        "Subtotal GBP 6.40\nPayment GBP 6.40\n"
    )
    assert d.values["total"] == "6.40"


def test_the_one_labelled_amount_of_a_ticket_with_a_payment_line_is_the_total() -> None:
    assert _decide("Transport Co.\nMode:Cash\nAmount:$ 2.00\nStage:42\n").values["total"] == "2.00"
    assert _decide("Transport Co.\nAmount:$ 2.00\nStage:42\n").values["total"] is None  # no payment line
    assert _decide("Shop\nMode:Cash\nAmount:$ 2.00\nTea 1.50\n").values["total"] is None  # two amounts


def test_an_amount_followed_by_its_tax_added_is_before_tax_whatever_its_label() -> None:
    d = _decide(
        "Salon\nHAIR 1 5500.00 5500.00\nGross Amount : 5500.00\nSer TAX 15% : 825.00\nNet Amount : 6325.00\n"
    )
    assert d.values["total"] is None


def test_totals_in_other_european_languages() -> None:
    assert _decide("Viru\nKOKKU 63.00\nMAKSUSTATAV SUMMA: 63.00\n").values["total"] == "63.00"
    assert _decide("Kafé\nTOTALT 120,00\nKORT 120,00\n").values["total"] == "120.00"


def test_a_name_printed_again_further_down_wins_over_a_half_read_logo() -> None:
    text = "DINING I\n#205\nCee Fine Thai Dining\n9901 Fairfax Blvd.\nThank you for Dining at Cee Fine Thai\nDining, Pls come again"
    assert _decide(text).values["merchant"] == "Cee Fine Thai Dining"
    assert (
        _decide("PYT\n1050 N. Hancock St\nThank You for Visiting, PYT\nAmericas Burgers!").values["merchant"]
        == "PYT"
    )
    # The city in the address is not the name printed again.
    assert _decide("HERMÈS\nDALLAS\nDallas, TX 75205\nSALE").values["merchant"] == "HERMÈS"


def test_a_legal_name_ends_at_its_legal_form() -> None:
    d = _decide("Morrisons Supermarkets plc BD3 7DL\nHadleigh - 01473827021\n")
    assert d.values["merchant"] == "Morrisons Supermarkets plc"


def test_a_chain_named_only_in_running_text_is_a_suggestion_not_the_merchant() -> None:
    # A coupon or survey text at the top names a chain: maybe the shop, maybe a partner's offer.
    text = "FREE COFFEE WITH ANY SANDWICH\nShow this coupon\nRedeem at any participating Netto store.\nTOTAL 12.00"
    d = _decide(text)
    assert d.values["merchant"] is None
    assert d.suggestions["merchant"] == "Netto"
    assert d.reasons["merchant"]["code"] == "merchant_unsure"
    # The same chain as a heading is the merchant, and a heading wins over a mention further down.
    assert _decide("Netto Holbæk\nBrug din bonus i Netto inden 31. maj\nI ALT 12,00").values["merchant"] == (
        "Netto Holbæk"
    )
    assert _decide("Café Ellen ApS\nRedeem at any participating Netto store.\n").values["merchant"] == (
        "Café Ellen ApS"
    )
