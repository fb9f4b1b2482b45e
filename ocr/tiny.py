"""Read a photo with PP-OCRv6 *tiny* (detection + recognition) through ``faster-paddle``.

Why: the recognizer is where a receipt's time goes (~60 % with ``ocr.rapid``'s PP-OCRv6 small,
~20-25 ms per line), and the tiny models (~6 MB, multilingual incl. æ/ø/å) read a phone photo in
about a quarter of the CPU. ``faster-paddle`` ships them inside its wheel (no download at run
time) and runs them on its own linked onnxruntime with Rust pre/post-processing.

It gives each line as an axis-aligned box (no corner points), so the slope ``to_lines`` needs to
keep a tilted photo's label and amount on one line is measured here from the boxes themselves:
see :func:`_slope`.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import cv2
import numpy as np

from ocr.fields import Word
from ocr.locate import ink_copy
from ocr.rapid import MIN_SCORE, Box

_load_lock = threading.Lock()
_shared: Any = None


def _engine() -> Any:
    """One engine per process, one thread (parallelism is across receipts: OCR workers, ``python
    -m ocr batch --jobs N``). Its calls are serialised inside the library."""
    global _shared
    if _shared is None:
        with _load_lock:
            if _shared is None:
                from faster_paddle import OcrEngine

                _shared = OcrEngine(model_size="tiny", threads=1)
    return _shared


def warm_up() -> None:
    """Load the models now (~0.1 s), so the first receipt is not slower."""
    _engine().ocr(_encode(np.full((64, 256), 255, np.uint8)))


def _encode(gray: np.ndarray) -> bytes:
    # BMP: no compression, so encoding a 12-megapixel photo costs a copy (~5 ms), not a PNG's ~0.3 s.
    ok, buf = cv2.imencode(".bmp", gray)
    if not ok:
        raise RuntimeError("could not encode the image for the OCR engine")
    return buf.tobytes()


def read_boxes(gray: np.ndarray) -> list[Box]:
    """Every text line the detector finds, with its recognised text and score (0..100), levelled
    (:func:`level`)."""
    result = _engine().ocr(_encode(gray))
    raw = []
    for b in result["bounds"].values():
        text = str(b["text"]).strip()
        if not text or b["confidence"] < MIN_SCORE:
            continue
        (x1, y1), (x2, y2) = b["topLeftCoord"], b["bottomRightCoord"]
        raw.append((float(x1), float(y1), float(x2), float(y2), Word(text, 100 * float(b["confidence"]))))
    return level(raw, gray)


def level(raw: list[tuple[float, float, float, float, Word]], gray: np.ndarray) -> list[Box]:
    """Axis-aligned boxes (x1, y1, x2, y2 px, word) of ``gray``'s lines → ``Box`` es with the
    page's slope (:func:`_slope`), each narrowed to its line's own height: the axis-aligned box of
    a tilted line is taller than the line by its width × |slope|."""
    slope = _slope(np.array([r[:4] for r in raw], np.float64).reshape(-1, 4), gray)
    out: list[Box] = []
    for x1, y1, x2, y2, word in raw:
        cy, h = (y1 + y2) / 2, max(y2 - y1 - (x2 - x1) * abs(slope), 0.3 * (y2 - y1))
        out.append((x1, cy - h / 2, x2, cy + h / 2, slope, word))
    return out


# The slopes tried (dy/dx): ``to_lines`` allows ±0.35 (a photo turned up to ~19°).
_SLOPES = np.linspace(-0.35, 0.35, 281)


def _slope(boxes: np.ndarray, gray: np.ndarray) -> float:
    """The page's text slope (dy/dx) from axis-aligned line boxes (N×4: x1, y1, x2, y2, px).

    Every two boxes side by side (a label and its amount) vote for the slope through their
    centres, as sharply as their distance allows: pieces of one printed line agree on the page's
    slope, pairs from neighbouring lines scatter, though a column of amounts can make a second
    peak. Of the ``CANDIDATES`` best voted slopes, the one that lines up the photo's rows of ink
    best wins (:func:`_row_sharpness`). 0 when nothing decides (fewer than three pairs)."""
    if len(boxes) < 3:
        return 0.0
    h = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)  # a zero-height box must not divide by zero
    cx, cy = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    left, right = np.nonzero(boxes[:, 2][:, None] < boxes[:, 0][None, :])
    if len(left) < 3:
        return 0.0
    if len(left) > MAX_PAIRS:  # a page of numbers: every MAX_PAIRS-th share, in a fixed order
        keep = np.linspace(0, len(left) - 1, MAX_PAIRS).astype(np.int64)
        left, right = left[keep], right[keep]
    dx = cx[right] - cx[left]
    pair = (cy[right] - cy[left]) / dx
    tol = np.minimum(h[left], h[right]) / 3 / dx
    votes = np.exp(-0.5 * ((_SLOPES[:, None] - pair[None, :]) / tol[None, :]) ** 2).sum(axis=1)
    padded = np.concatenate(([-1.0], votes, [-1.0]))
    peaks = np.nonzero((votes >= padded[:-2]) & (votes > padded[2:]))[0]
    best = peaks[np.argsort(votes[peaks])[::-1][:CANDIDATES]]
    if len(best) == 1:
        return float(_SLOPES[best[0]])
    ink = ink_copy(gray)
    return float(max(_SLOPES[best], key=lambda s: _row_sharpness(ink, float(s))))


CANDIDATES = 3
# Pairs voting at most: the vote costs len(_SLOPES) × pairs (the bench's busiest receipt makes
# 8,430 pairs; a page covered in numbers made 2 million: 4 GB and 30 s before this cap; 20,000:
# ~45 MB and ~0.1 s).
MAX_PAIRS = 20_000


def _row_sharpness(ink: np.ndarray, slope: float) -> float:
    """How spiky the row profile of the photo's ink (``locate.ink_copy``) is once turned to level
    ``slope`` (~2 ms): rows of print only give spikes when level."""
    h, w = ink.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), math.degrees(math.atan(slope)), 1.0)
    return float(np.var(cv2.warpAffine(ink, turn, (w, h)).sum(axis=1)))


def quad(box: Box) -> np.ndarray:
    """The tilted line inside ``box`` (as :func:`read_boxes` gives it) as four corners (4×2:
    top-left, top-right, bottom-right, bottom-left), for cropping it for another recognizer."""
    x1, y1, x2, y2, slope, _ = box
    cx, cy, h = (x1 + x2) / 2, (y1 + y2) / 2, y2 - y1
    left, right = cy - slope * (cx - x1), cy + slope * (x2 - cx)
    return np.array(
        [[x1, left - h / 2], [x2, right - h / 2], [x2, right + h / 2], [x1, left + h / 2]], np.float32
    )
