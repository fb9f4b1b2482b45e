"""Printable QR labels per building: an A4 PDF with one label per room (the room, the building, the QR
code of the room's link, a short instruction in Danish), to cut out and put up by the door.

QR codes come from segno (pure Python, maintained, ISO/IEC 18004), drawn as filled squares so they stay
sharp at any print size; the PDF from fpdf2. Error correction level M (15 %): a label may get a
scratch. A label is 105 × 74 mm (A4 in 2 × 4), the code 46 mm wide, well above the 2 cm most phone
cameras need from arm's length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF

LABEL_W, LABEL_H = 105.0, 74.25
"""mm: A4 (210 × 297) in two columns and four rows."""
QR_MM = 46.0
INSTRUCTION = "Scan koden med telefonens kamera for at melde en fejl i rummet."


@dataclass(frozen=True)
class Label:
    room: str
    building: str
    url: str


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    code = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
            else:
                c += 1


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_sheet(labels: Sequence[Label]) -> bytes:
    """The labels laid out on A4 pages (8 a page), as PDF bytes; an empty list gives one empty page."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_title("QR-etiketter")
    pdf.add_page()
    for i, label in enumerate(labels):
        if i and i % 8 == 0:
            pdf.add_page()
        x, y = (i % 2) * LABEL_W, ((i % 8) // 2) * LABEL_H
        pdf.set_draw_color(200)
        pdf.rect(x + 1, y + 1, LABEL_W - 2, LABEL_H - 2)  # a cutting line
        _qr(pdf, label.url, x + 4, y + (LABEL_H - QR_MM) / 2, QR_MM)
        left, width = x + QR_MM + 8, LABEL_W - QR_MM - 12
        pdf.set_xy(left, y + 10)
        pdf.set_font("helvetica", "B", 15)
        pdf.multi_cell(width, 7, _fit(label.room, 60), new_x="LEFT")
        pdf.set_font("helvetica", "", 11)
        pdf.multi_cell(width, 6, _fit(label.building, 80), new_x="LEFT")
        pdf.set_xy(left, pdf.get_y() + 3)
        pdf.set_font("helvetica", "", 9)
        pdf.multi_cell(width, 4.5, INSTRUCTION, new_x="LEFT")
    return bytes(pdf.output())
