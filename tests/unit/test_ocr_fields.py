"""Receipt parsing and checks, on plain text: no imaging, no tesseract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ocr import checks
from ocr.decide import decide
from ocr.fields import (
    Line,
    Word,
    fold,
    lines_from_text,
    merchant_key,
    parse_amount,
    read_all,
    read_cvrs,
    read_dates,
)

TODAY = dt.date(2025, 11, 20)


def _decide(text: str):
    return decide(read_all(lines_from_text(text)), TODAY)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,50 kr", "1234.50"),
        ("1234.50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("kr. 87,00", "87.00"),
        ("DKK 1.234.567,00", "1234567.00"),
        ("RABAT -5,00", "-5.00"),
        ("234, 50", "234.50"),  # OCR split the decimals off
        ("1O4,5O", "104.50"),  # letter O read for a zero
        ("MOMS 25,00% 46,90", "46.90"),  # the rate is not an amount
    ],
)
def test_amounts_are_read_in_danish_and_english_formats(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["03.11.25", "Tlf. 59 43 12 34", "BON 1234", "5701234567890"])
def test_dates_phone_numbers_and_barcodes_are_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "03.11.25 14:32",
        "3/11-2025 kl. 10:14",
        "03-11-2025",
        "2025-11-03",
        "Dato: 03.11.2025",
        "3. nov. 2025",
        "03/11/2025",
    ],
)
def test_danish_date_formats_are_read_day_first(text: str) -> None:
    assert [d.value for d in read_dates([Line.of(text)])] == [dt.date(2025, 11, 3)]


def test_a_return_by_date_is_not_the_purchase_date() -> None:
    assert read_dates([Line.of("Returret til 03-12-2025")]) == []


@pytest.mark.parametrize(
    "text",
    ["CVR-NR: 13748136", "CVR nr. 13 74 81 36", "SE-NR DK13748136", "CVR: DK 13748136", "Cvr.nr.13748136"],
)
def test_cvr_labels_and_spacing_variants(text: str) -> None:
    assert [c.value for c in read_cvrs([Line.of(text)])] == ["13748136"]


def test_cvr_modulus_11_uses_the_official_test_values() -> None:
    assert checks.cvr_valid("13748136")
    assert checks.cvr_valid("24256790")
    assert not checks.cvr_valid("24256791")
    assert not checks.cvr_valid("1374813")
    assert not checks.cvr_valid("1374813x")


def test_vat_is_twenty_percent_of_the_gross_within_rounding() -> None:
    assert checks.expected_vat(Decimal("1234.50")) == Decimal("246.90")
    assert checks.vat_matches(Decimal("234.50"), Decimal("46.90"))
    assert checks.vat_matches(Decimal("234.50"), Decimal("46.91"))  # a till that rounds per line
    assert not checks.vat_matches(Decimal("234.50"), Decimal("58.63"))  # 25% of the gross: wrong


def test_a_date_in_the_future_or_before_2000_is_implausible() -> None:
    assert checks.date_plausible(dt.date(2025, 11, 3), TODAY)
    assert checks.date_plausible(dt.date(2020, 11, 3), TODAY)  # old, but a real date: a warning
    assert not checks.date_plausible(dt.date(2025, 12, 3), TODAY)
    assert not checks.date_plausible(dt.date(1999, 11, 3), TODAY)


def test_cash_payment_matches_the_total_after_change() -> None:
    assert checks.payment_matches(Decimal("234.50"), Decimal("300.00"), Decimal("65.50"))
    assert not checks.payment_matches(Decimal("234.50"), Decimal("300.00"))


SUPERMARKET = """\
REMA 1000
Ahlgade 12
4300 Holbæk
CVR-NR: 13748136
MINIMÆLK 1L 12,95
RUGBRØD 24,00
I ALT 36,95
DANKORT 36,95
MOMS UDGØR 7,39
03.11.25 14:32
"""


def test_a_consistent_receipt_fills_every_field() -> None:
    d = _decide(SUPERMARKET)
    assert d.values == {
        "merchant": "REMA 1000",
        "date": "2025-11-03",
        "total": "36.95",
        "vat": "7.39",
        "cvr": "13748136",
    }
    assert d.reasons == {}
    assert all(c >= 0.9 for c in d.confidence.values())


def test_a_total_without_a_matching_payment_or_vat_is_only_suggested() -> None:
    d = _decide("Café Ellen\nTOTAL 87,00\n03.11.25 10:14")
    assert d.values["total"] is None
    assert d.suggestions["total"] == "87.00"
    assert d.reasons["total"]["code"] == "total_unconfirmed"
    assert d.reasons["total"]["da"] and d.reasons["total"]["en"]


def test_payment_and_vat_do_not_override_a_total_line_that_says_otherwise() -> None:
    d = _decide("Café Ellen\nTOTAL 87,00\nMOBILEPAY 78,00\nHeraf moms 15,60\n03.11.25 10:14")
    assert d.values["total"] is None
    assert d.reasons["total"]["code"] == "total_conflict"
    assert d.values["vat"] is None  # VAT cannot be confirmed against an uncertain total


def test_vat_that_is_not_twenty_percent_is_left_for_the_user() -> None:
    d = _decide("Kiosken\nI ALT 100,00\nDANKORT 100,00\nMOMS 25,00\n03.11.25 10:14")
    assert d.values["total"] == "100.00"
    assert d.values["vat"] is None
    assert d.suggestions["vat"] == "25.00"
    assert d.reasons["vat"]["code"] == "vat_mismatch"


def test_the_vat_table_column_is_picked_by_the_twenty_percent_check() -> None:
    d = _decide("STARK\nTOTAL 1.734,50 kr\nMoms% Grundlag Moms\n25,00 1.387,60 346,90\nDankort 1.734,50")
    assert (d.values["total"], d.values["vat"]) == ("1734.50", "346.90")


def test_a_cvr_failing_modulus_11_is_suggested_not_filled() -> None:
    d = _decide(SUPERMARKET.replace("13748136", "13748138"))
    assert d.values["cvr"] is None
    assert d.suggestions["cvr"] == "13748138"
    assert d.reasons["cvr"]["code"] == "cvr_invalid"


def test_an_implausible_date_is_suggested_not_filled() -> None:
    d = _decide(SUPERMARKET.replace("03.11.25", "03.11.52"))
    assert d.values["date"] is None
    assert d.reasons["date"]["code"] == "date_implausible"


def test_a_doubtful_reading_of_the_date_is_not_filled() -> None:
    lines = lines_from_text(SUPERMARKET)
    lines[-1] = Line((Word("08.11.25", 31.0), Word("14:32", 90.0)))
    d = decide(read_all(lines), TODAY)
    assert d.values["date"] is None
    assert d.suggestions["date"] == "2025-11-08"


def test_vat_free_taxi_ride_gets_zero_vat() -> None:
    d = _decide(
        "Dantaxi\nCVR-nr. 24256790\nDato 03.11.2025\nI ALT kr 312,00\nMoms 0,00 (momsfri)\nBetalt med kort 312,00"
    )
    assert (d.values["total"], d.values["vat"], d.values["cvr"]) == ("312.00", "0.00", "24256790")


def test_cash_with_change_confirms_the_total() -> None:
    d = _decide("Netto\nI ALT 234,50\nKONTANT 300,00\nBYTTEPENGE 65,50\n03.11.25 14:32")
    assert d.values["total"] == "234.50"


def test_two_different_grand_totals_both_confirmed_fill_neither() -> None:
    d = _decide("Netto\nI ALT 100,00\nMOMS 20,00\nAT BETALE 200,00\nDANKORT 200,00\n03.11.25 14:32")
    assert d.values["total"] is None
    assert d.reasons["total"]["code"] == "total_conflict"


def test_merchant_is_a_known_chain_or_the_first_name_like_line() -> None:
    assert _decide("Velkommen til\nDANTAX1\nTlf. 70 25 25 25").values["merchant"] == "Dantaxi"
    assert _decide("Velkommen til\nCafé Ellen\nAhlgade 4\n4300 Holbæk").values["merchant"] == "Café Ellen"
    assert _decide("Start 09:04 Slut 09:20\nKm 12,4").values["merchant"] != "STARK"


def test_no_text_leaves_every_field_empty_with_a_reason() -> None:
    d = _decide("")
    assert set(d.values.values()) == {None}
    assert d.reasons["total"]["code"] == "no_text"


def test_merchant_names_compare_without_case_or_punctuation() -> None:
    assert merchant_key("REMA 1000") == merchant_key("Rema-1000")
    assert merchant_key("føtex") == merchant_key("FØTEX")


def test_old_date_is_filled_with_a_warning() -> None:
    d = _decide(SUPERMARKET.replace("03.11.25", "03.10.24"))
    assert d.values["date"] == "2024-10-03"
    assert d.reasons["date"]["code"] == "date_old"
    assert "over et år gammel" in d.reasons["date"]["da"]
    assert "over a year old" in d.reasons["date"]["en"]


def test_plausibility_is_relative_to_the_today_passed_in() -> None:
    lines = lines_from_text(SUPERMARKET.replace("03.11.25", "12.05.18"))
    then = decide(read_all(lines), dt.date(2018, 6, 30))
    assert then.values["date"] == "2018-05-12" and "date" not in then.reasons
    later = decide(read_all(lines), dt.date(2025, 6, 30))
    assert later.values["date"] == "2018-05-12" and later.reasons["date"]["code"] == "date_old"


def test_an_old_date_is_filled_and_its_warning_reaches_the_receipt() -> None:
    """The server combines a receipt's photos: a date over a year old is filled, with its warning kept."""
    from backend.features.receipts.ocr_job import _combine

    old = {"da": "Datoen er over et år gammel.", "en": "The date is over a year old.", "code": "date_old"}
    read = {"date": "2024-03-01", "confidence": {"date": 0.9}, "reasons": {"date": old}, "suggestions": {}}
    combined = _combine([read])
    assert combined["fields"]["date"] == "2024-03-01" and combined["reasons"]["date"]["code"] == "date_old"


def test_a_greek_or_cyrillic_look_alike_capital_reads_as_its_latin_letter() -> None:
    # PP-OCRv6's multilingual recognizer read the T of "Total" on a real scan as a Greek Γ.
    assert fold("Γotal") == "TOTAL"
    assert fold("ТОТАL") == "TOTAL"  # Cyrillic Т, О, Т, А
    assert fold("Øl Æble") == "OL AEBLE"
