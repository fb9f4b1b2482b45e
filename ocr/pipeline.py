"""image bytes → result dict (shape documented in ``ocr/__init__.py``).

Read once with tesseract's single-column mode; when a field is still unconfirmed, read again in
block mode and let the checks choose per field between the two readings.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from ocr.decide import FIELDS, Decision, decide
from ocr.fields import Line, read_all
from ocr.image import load_gray, read_source
from ocr.locate import prepare
from ocr.read import read_lines

__all__ = ["FIELDS", "extract", "extract_bytes"]
# Fields worth a second reading when the first left them unconfirmed (merchant alone is not).
RETRY_FIELDS = ("total", "date", "cvr", "vat")


def extract(source: str | Path | bytes, *, today: dt.date | None = None) -> dict[str, Any]:
    return extract_bytes(read_source(source), today=today)


def extract_bytes(data: bytes, *, today: dt.date | None = None) -> dict[str, Any]:
    start = time.perf_counter()
    gray = load_gray(read_source(data))
    page, info = prepare(gray)
    lines = read_lines(page, "column")
    readings = read_all(lines)
    decision = decide(readings, today)
    info["readings"] = 1
    if any(decision.values[f] is None for f in RETRY_FIELDS) and lines:
        second_lines = read_lines(page, "block")
        second = decide(read_all(second_lines), today)
        if _filled(second) > _filled(decision):
            lines = second_lines  # the text shown to the user: the better reading
        decision = merge(decision, second)
        info["readings"] = 2
    if info["found_paper"] and _filled(decision) <= 2:
        # Almost nothing read: the outline found was probably wrong (a shadow or the table taken
        # for a corner) and bent the print. Read the whole photo, deskewed, instead.
        page2, _ = prepare(gray, find_paper=False)
        whole_lines = read_lines(page2, "column")
        whole = decide(read_all(whole_lines), today)
        if _filled(whole) > _filled(decision):
            decision, lines, readings = whole, whole_lines, read_all(whole_lines)
        info["readings"] += 1
    return {
        **decision.as_dict(),
        "currency": readings.currency,
        "text": _text(lines),
        "seconds": round(time.perf_counter() - start, 3),
        "debug": info,
    }


def _filled(d: Decision) -> int:
    return sum(v is not None for v in d.values.values())


def _text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def merge(a: Decision, b: Decision) -> Decision:
    """Per field: a confirmed value beats an unconfirmed one; two different confirmed values
    contradict each other, so neither is filled."""
    out = Decision()
    for f in FIELDS:
        va, vb = a.values[f], b.values[f]
        if f == "merchant" and va != vb and va is not None and vb is not None:
            # A recognised chain name beats a top line read differently.
            best = a if a.confidence[f] >= b.confidence[f] else b
            if abs(a.confidence[f] - b.confidence[f]) >= 0.1:
                out.fill(f, best.values[f], best.confidence[f], best.support[f])
                continue
        if f == "date" and (va is None) != (vb is None):
            # A date has no check digit: when the other reading saw a different date (even one
            # it was unsure of), the two readings contradict each other.
            filled, other = (a, b) if va is not None else (b, a)
            if other.suggestions.get(f) not in (None, filled.values[f]):
                out.suggest(f, filled.values[f], 0.5, "readings_conflict")
                continue
        if va is not None and vb is not None and va != vb:
            best = a if a.confidence[f] >= b.confidence[f] else b
            out.suggest(f, best.values[f], 0.5, "readings_conflict")
            continue
        src = (
            a
            if va is not None
            else b
            if vb is not None
            else (a if f in a.suggestions or f not in b.suggestions else b)
        )
        if src.values[f] is not None:
            conf = max(a.confidence[f], b.confidence[f]) if va == vb else src.confidence[f]
            out.fill(f, src.values[f], conf, src.support[f])
        else:
            if f in src.suggestions:
                out.suggestions[f] = src.suggestions[f]
                out.confidence[f] = src.confidence[f]
            if f in src.reasons:
                out.reasons[f] = src.reasons[f]
    return out
