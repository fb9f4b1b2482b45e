"""Export file formats behind one small interface: a writer turns wage lines into a file's bytes.

Add a format (KMD OPUS IND01, SD Løn) by writing a class with the same four members and listing it
in WRITERS. The CSV layout is documented in docs/payroll-export.md.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from backend.web import csv_cells


@dataclass(frozen=True)
class OutLine:
    """One wage line as it leaves Felt."""

    employee_number: str
    wage_type: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    period: str
    reference: str
    flag: str = ""
    """A mark payroll must act on (e.g. "monthly_pay_right:2026-11-03"), or empty."""


class Writer(Protocol):
    name: str
    media_type: str
    extension: str

    def write(self, lines: Sequence[OutLine]) -> str: ...


class CsvWriter:
    """UTF-8, `;`-separated, a header row, `.` as decimal point, one wage line per row."""

    name = "csv"
    media_type = "text/csv"
    extension = "csv"
    header = ("employee_number", "wage_type", "quantity", "rate", "amount", "period", "reference", "flag")

    def write(self, lines: Sequence[OutLine]) -> str:
        out = io.StringIO()
        w = csv_cells.writer(out)
        w.writerow(self.header)
        for line in lines:
            w.writerow(
                (
                    line.employee_number,
                    line.wage_type,
                    f"{line.quantity:.2f}",
                    f"{line.rate:.4f}",
                    f"{line.amount:.2f}",
                    line.period,
                    line.reference,
                    line.flag,
                )
            )
        return out.getvalue()


WRITERS: dict[str, Writer] = {"csv": CsvWriter()}
