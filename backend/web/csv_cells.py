"""CSV files that are safe to open in a spreadsheet: formula injection neutralised the OWASP way.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)` in a receipt's merchant runs in finance's
spreadsheet). OWASP's advice (https://owasp.org/www-community/attacks/CSV_Injection): prefix such a
text cell with a single quote, and quote every cell (the csv module does that for separators and
quotes; QUOTE_ALL is not needed for safety).

Numbers stay numbers: a cell that is a Python number, or a string that is exactly a plain decimal
number (`-12.50`, `+3`, `0.6400`), is written as it is, so negative amounts in the payroll file and
the booking file stay usable numbers for the payroll and finance systems that read them. Such a
cell cannot be a formula: it has nothing but digits, one sign and one decimal point.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

CSV = "text/csv"
"""The media type of every CSV download (Litestar adds `; charset=utf-8`), declared on its route."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value: object) -> object:
    """The value to write: numbers as they are, text starting like a formula prefixed with `'`."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """`csv.writer` whose rows pass through `safe_cell`: the only way Felt writes a CSV file."""

    def __init__(self, out: Any, **fmt: Any) -> None:
        self._writer = csv.writer(out, **fmt)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])


def writer(out: Any, *, delimiter: str = ";", lineterminator: str = "\r\n") -> SafeWriter:
    """A CSV writer for a file a person may open in a spreadsheet."""
    return SafeWriter(out, delimiter=delimiter, lineterminator=lineterminator)
