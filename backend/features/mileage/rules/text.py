"""Messages in Danish and English, and numbers and dates written the way each language writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Message:
    """One line for a person: `code` is stable for the app (highlighting, filtering), the texts are for reading."""

    code: str
    da: str
    en: str


def number(value: Decimal, places: int, lang: str) -> str:
    text = f"{value:,.{places}f}"  # English: 19,950.0
    if lang == "da":  # Danish swaps the separators: 19.950,0
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def km(value: Decimal, lang: str) -> str:
    """Kilometres with one decimal: "19.950,0 km" / "19,950.0 km"."""
    return f"{number(value, 1, lang)} km"


def kr(value: Decimal, lang: str) -> str:
    """Kroner with øre ("190,50 kr." / "DKK 190.50"); an unrounded part (km × rate can have three decimals) keeps its third decimal."""
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    amount = number(value, places, lang)
    return f"{amount} kr." if lang == "da" else f"DKK {amount}"


def day(value: date, lang: str) -> str:
    """A date in words: "1. maj 2022" / "1 May 2022"."""
    if lang == "da":
        return f"{value.day}. {_MONTHS_DA[value.month - 1]} {value.year}"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def month(year: int, month_number: int, lang: str) -> str:
    """A month in words: "marts 2025" / "March 2025"."""
    names = _MONTHS_DA if lang == "da" else _MONTHS_EN
    return f"{names[month_number - 1]} {year}"
