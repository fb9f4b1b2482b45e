"""Run tesseract (Danish + English, LSTM) on the prepared page; return lines with word confidences.

tesserocr keeps the models loaded in the worker process, which saves ~0.3 s of start-up per
receipt compared with running the tesseract command (pytesseract); pytesseract is the fallback
when tesserocr is not installed. Both read the Debian tessdata (tesseract-ocr-dan, -eng).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.fields import Line, Word

# Several OCR workers share the server's cores; tesseract's OpenMP threads then fight each
# other and make every job slower. One thread per tesseract; parallelism is per job.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

try:
    import tesserocr
except ImportError:  # pragma: no cover - a declared dependency
    tesserocr = None

LANG = "dan+eng"
# psm 4, a single column of text of varying sizes: a till receipt, with its big bold name.
# psm 6 (one uniform block) is the second reading: it keeps label and amount on one line better
# on wide layouts but drops a big heading.
MODES = {"column": 4, "block": 6}
_local = threading.local()


def _tessdata() -> str | None:
    for candidate in (
        os.environ.get("TESSDATA_PREFIX"),
        "/usr/share/tesseract-ocr/5/tessdata",
        "/usr/share/tessdata",
    ):
        if candidate and (Path(candidate) / "dan.traineddata").exists():
            return str(candidate)
    return None


def _api(psm: int):
    """One tesseract instance per thread and page mode, created on first use."""
    apis = getattr(_local, "apis", None)
    if apis is None:
        apis = _local.apis = {}
    if psm not in apis:
        apis[psm] = tesserocr.PyTessBaseAPI(
            path=_tessdata() or "", lang=LANG, psm=psm, oem=tesserocr.OEM.LSTM_ONLY
        )
    return apis[psm]


# Long receipts are cut in two at a blank row and both halves read at once: tesserocr releases
# the GIL, so on the server's two cores a receipt comes back in about half the time.
PARTS = 2
MIN_SPLIT_HEIGHT = 500
_pool = ThreadPoolExecutor(max_workers=PARTS, thread_name_prefix="ocr-read")


def split_rows(page: np.ndarray, parts: int = PARTS) -> list[np.ndarray]:
    """Cut the page into horizontal bands at rows without print, near equal heights."""
    h = page.shape[0]
    if parts < 2 or h < MIN_SPLIT_HEIGHT:
        return [page]
    ink = (page < 128).sum(axis=1)
    blank = np.flatnonzero(ink <= max(1, page.shape[1] // 400))
    cuts = []
    for k in range(1, parts):
        target = h * k // parts
        near = blank[np.abs(blank - target) < h // 6]
        if len(near):
            cuts.append(int(near[np.argmin(np.abs(near - target))]))
    bounds = [0, *sorted(set(cuts)), h]
    return [page[a:b] for a, b in pairwise(bounds) if b - a > 10]


def read_lines(page: np.ndarray, mode: str = "column") -> list[Line]:
    psm = MODES[mode]
    if tesserocr is None:
        return to_lines(_words_pytesseract(page, psm))
    bands = split_rows(page)
    offsets = np.cumsum([0] + [b.shape[0] for b in bands[:-1]])
    words: list[Box] = []
    for band_words, dy in zip(_pool.map(lambda band: _words(band, psm), bands), offsets, strict=True):
        words += [(x1, y1 + dy, x2, y2 + dy, w) for x1, y1, x2, y2, w in band_words]
    return to_lines(words)


Box = tuple[int, int, int, int, Word]  # x1, y1, x2, y2, word


def to_lines(words: list[Box]) -> list[Line]:
    """Group words into printed lines by position, top to bottom, left to right. Tesseract's own
    reading order sometimes puts a left-aligned column before a centred heading, or a right-hand
    amount in a block of its own; a receipt is read line by line, label with amount."""
    lines: list[list[Box]] = []
    for box in sorted(words, key=lambda b: (b[1] + b[3]) / 2):
        centre = (box[1] + box[3]) / 2
        if lines:
            last = lines[-1]
            top = sum(b[1] for b in last) / len(last)
            bottom = sum(b[3] for b in last) / len(last)
            if top <= centre <= bottom:
                last.append(box)
                continue
        lines.append([box])
    return [Line(tuple(b[4] for b in sorted(line, key=lambda b: b[0]))) for line in lines]


def _words(page: np.ndarray, psm: int) -> list[Box]:
    api = _api(psm)
    api.SetImage(Image.fromarray(page))
    api.Recognize()
    out: list[Box] = []
    level = tesserocr.RIL.WORD
    for r in tesserocr.iterate_level(api.GetIterator(), level):
        try:
            text = r.GetUTF8Text(level)
        except RuntimeError:  # an empty page: tesserocr raises instead of returning ""
            break
        box = r.BoundingBox(level)
        if text and text.strip() and box:
            out.append((*box, Word(text.strip(), float(r.Confidence(level)))))
    api.Clear()
    return out


def _words_pytesseract(page: np.ndarray, psm: int) -> list[Box]:
    import pytesseract

    data = pytesseract.image_to_data(
        page, lang=LANG, config=f"--oem 1 --psm {psm}", output_type=pytesseract.Output.DICT
    )
    out: list[Box] = []
    for text, conf, x, y, w, h in zip(
        data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"], strict=True
    ):
        if text and text.strip():
            out.append((x, y, x + w, y + h, Word(text.strip(), float(conf))))
    return out
