"""image bytes → result dict (shape documented in ``ocr/__init__.py``).

One good reading decides, and the cheap one goes first (measured in ``bench/ocr.py`` on all sets;
figures in the README, issue 10):

1. PP-OCRv6 tiny (``ocr.tiny``, ~0.3 s) reads the whole photo and the checks decide;
2. when that confirms total and date, PP-OCRv6 small's recognizer (``ocr.rapid``) re-reads only
   the top ``MERCHANT_BOXES`` lines, where the merchant's name is (tiny misreads logos and big
   print); the result is that reading merged with the first;
3. otherwise PP-OCRv6 small detects and reads the whole photo (tiny's detector misses faint print)
   and the two readings merge (``merge``);
4. tesseract (on the straightened page, ``ocr.locate`` + ``ocr.read``) reads only when PP-OCR
   finds almost no text (``MIN_LINES``): as a second reading it cost more fields than it gained.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ocr import rapid, tiny
from ocr import read as tesseract
from ocr.decide import FIELDS, Decision, decide
from ocr.fields import Line, Word, read_all
from ocr.image import load_gray, read_source
from ocr.locate import prepare

__all__ = ["FIELDS", "extract", "extract_bytes", "warm_up"]
# Fields worth a second reading when the first left them unconfirmed (merchant alone is not).
RETRY_FIELDS = ("total", "date")


def _reread(gray: np.ndarray, boxes: list[rapid.Box], which: tuple[int, ...]) -> list[rapid.Box]:
    """``boxes`` with the lines at ``which`` read again by PP-OCRv6 small (a line it reads below
    its ``MIN_SCORE`` keeps the tiny reading)."""
    out = list(boxes)
    for i, (text, score) in zip(
        which, rapid.recognize(gray, [tiny.quad(boxes[i]) for i in which]), strict=True
    ):
        if text.strip() and score >= rapid.MIN_SCORE:
            out[i] = (*boxes[i][:5], Word(text.strip(), 100 * score))
    return out


def _tesseract(gray: np.ndarray) -> list[Line]:
    page, _ = prepare(gray)
    return tesseract.read_lines(page, "column")


# The readers, a module-level table so the bench can time each one and cache their output while
# the field logic is being tuned.
READERS: dict[str, Callable[..., Any]] = {
    "tiny": tiny.read_boxes,
    "reread": _reread,
    "small": rapid.read_boxes,
    "tesseract": _tesseract,
}
MIN_LINES = 3  # fewer lines than this from PP-OCR: tesseract reads too
# When the tiny reading confirmed total and date, the small recognizer re-reads only the top of
# the receipt, where the merchant's name is (logos and big print, which tiny misreads most). 16
# boxes: one more sroie merchant right, every other field the same, for twice the re-reading.
MERCHANT_BOXES = 8
# Settings kept measurable (``bench/ocr.py --reader-set '{"pipeline.OWN_DETECTOR": false}'``):
# - OWN_DETECTOR: an unconfirmed receipt is read in full by the small detector + recognizer;
#   False: by the small recognizer on tiny's boxes, which lost sroie totals (91 → 84 %): tiny's
#   detector misses faint print.
# - DET_LINE_PX: the line height (px) in the small detector's input above which a photo's short
#   side is not scaled up further (``_short_side``); 0: always to 736 px. 24 read as well as 0 on
#   every set at a third of the detector's pixels on long scans; 20 lost a sroie total.
# - KEEP_FIRST: the second reading's decision is merged with tiny's; False lost wild totals
#   (91 → 89 %) and sroie dates.
OWN_DETECTOR = True
DET_LINE_PX = 24.0
KEEP_FIRST = True


def warm_up() -> None:
    """Load the OCR models in this process now (~1 s, ~460 MB resident: tiny, and PP-OCRv6 small's
    detector and recognizer), so no job a server worker takes pays a start-up; they stay loaded.
    Tesseract, for photos where PP-OCR finds almost no text, loads on first use (~0.3 s, ~35 MB)."""
    tiny.warm_up()
    rapid.warm_up()


def extract(source: str | Path | bytes, *, today: dt.date | None = None) -> dict[str, Any]:
    return extract_bytes(read_source(source), today=today)


def _short_side(gray: np.ndarray, boxes: list[rapid.Box]) -> int:
    """The short side the small detector scales a photo up to: its default, or less when the
    tiny reading's lines would come out taller than ``DET_LINE_PX`` there (a long scan upscaled
    to 736 px across gets 1.7× taller lines and 3× the pixels, for nothing)."""
    if not boxes or not DET_LINE_PX:
        return rapid.DET_SHORT_SIDE
    h, w = gray.shape[:2]
    fit = min(1.0, rapid.DET_LONG_SIDE / max(h, w))  # the library's first resize
    short = min(h, w) * fit
    if short >= rapid.DET_SHORT_SIDE:
        return rapid.DET_SHORT_SIDE
    line = float(np.median([b[3] - b[1] for b in boxes])) * fit
    up = max(1.0, min(rapid.DET_SHORT_SIDE / short, DET_LINE_PX / line))
    return int(short * up)


def _top(boxes: list[rapid.Box], n: int) -> tuple[int, ...]:
    """The ``n`` boxes highest on the page (centres levelled by the page's slope)."""
    order = sorted(
        range(len(boxes)),
        key=lambda i: (boxes[i][1] + boxes[i][3]) / 2 - boxes[i][4] * (boxes[i][0] + boxes[i][2]) / 2,
    )
    return tuple(sorted(order[:n]))


def extract_bytes(data: bytes, *, today: dt.date | None = None) -> dict[str, Any]:
    """Read one receipt (photo or PDF). ``today`` is the day plausibility is judged against (the
    upload date on the server; a fixed day for a benchmark); the clock's date when None."""
    start = time.perf_counter()
    gray = load_gray(read_source(data))
    info: dict[str, Any] = {"readers": ["tiny"]}
    boxes = READERS["tiny"](gray)
    first = decide(read_all(rapid.to_lines(boxes)), today)
    confirmed = all(first.values[f] is not None for f in RETRY_FIELDS)
    if confirmed or not OWN_DETECTOR:
        which = _top(boxes, MERCHANT_BOXES) if confirmed else tuple(range(len(boxes)))
        boxes = READERS["reread"](gray, boxes, which)
    else:
        boxes = READERS["small"](gray, _short_side(gray, boxes))
    info["readers"].append("small-top" if confirmed else "small")
    lines = rapid.to_lines(boxes)
    readings = read_all(lines)
    decision = decide(readings, today)
    if KEEP_FIRST:
        decision = merge(decision, first)
    currency = readings.currency
    if len(lines) < MIN_LINES:
        new_lines = READERS["tesseract"](gray)
        info["readers"].append("tesseract")
        readings = read_all(new_lines)
        new = decide(readings, today)
        if _filled(new) > _filled(decision):
            lines, currency = new_lines, readings.currency
        decision = merge(decision, new)
    info["readings"] = len(info["readers"])
    return {
        **decision.as_dict(),
        "currency": currency,
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
            # Not money: no conflict. The better supported reading wins; on a tie, the first.
            best = a if (a.support[f], a.confidence[f]) >= (b.support[f], b.confidence[f]) else b
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
            if f in src.reasons:  # a warning on a filled field ("over et år gammel")
                out.reasons[f] = src.reasons[f]
        else:
            if f in src.suggestions:
                out.suggestions[f] = src.suggestions[f]
                out.confidence[f] = src.confidence[f]
            if f in src.reasons:
                out.reasons[f] = src.reasons[f]
    return out
