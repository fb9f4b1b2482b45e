"""Read a photo with RapidOCR: PP-OCR text detection + recognition on onnxruntime.

Why it is the first reader: on real phone photos (curled paper, shadows, a hand in the frame)
tesseract's page segmentation drops whole regions, and the total is often among them. PP-OCR's
detector finds every text line wherever it is and its recognizer reads logos, æ/ø/å and shadowed
columns (measured in ``bench/ocr.py``, figures in the README).

The models ship inside the ``rapidocr`` wheel (``rapidocr/models``); :func:`_engine` points the
library at that folder and refuses to start if a model is missing there, so nothing is ever
downloaded at run time. onnxruntime runs with one thread per session: the server parallelises
across receipts (OCR workers), and on a shared 2-core machine one thread per receipt is faster
overall than threads fighting for cores.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocr.fields import Line, Word

# Long side the detector sees. Receipts print ~40 characters across; at 1280 px over the whole
# photo the characters of a phone photo are still ~15 px high, and detection costs ∝ pixels.
DET_LONG_SIDE = 1280
DET_SHORT_SIDE = 736
# Lines read per recognizer call (the library's default). Measured with ``bench/ocr.py
# --engine-ab``: 3 saves ~1-4 % CPU but changes the text read on 10 of 16 photos (the padding
# to a batch's widest line changes what the recognizer sees), so the figures would not hold.
REC_BATCH = 6
# PP-OCR's recognizer reads each detected line at 48 px high; anything the detector finds is
# read, and a score below this is noise (a wood grain, a barcode read as letters).
MIN_SCORE = 0.5

# One engine per process, loaded on first use (or by ``warm_up``) and kept: a server worker pays
# the ~1 s start-up and the ~100 MB of models once. Calls are serialised by a lock, so receipts
# run one at a time per process with one onnxruntime thread; parallelism is across processes
# (OCR workers, ``python -m ocr batch --jobs N``), never threads fighting over two cores.
_load_lock = threading.Lock()
_run_lock = threading.Lock()
_shared: Any = None

Box = tuple[float, float, float, float, float, Word]  # x1, y1, x2, y2, slope, word


def _models_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


def _params() -> dict[str, Any]:
    models = _models_dir()
    det, rec = models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx"
    for path in (det, rec):
        if not path.is_file():  # never let the library fall back to downloading a model
            raise RuntimeError(f"RapidOCR model missing from the installed wheel: {path}")
    return {
        "Global.log_level": "error",
        "Global.use_cls": False,  # receipts are upright after EXIF; the 180° classifier costs time
        "Global.max_side_len": DET_LONG_SIDE,
        "Global.text_score": MIN_SCORE,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # onnxruntime's memory arena (RapidOCR turns it off) would keep each run's buffers for
        # the next: measured with ``bench/ocr.py --engine-ab`` at ~0.88-0.95× the median CPU, the
        # same text read, but ~300 MB more resident per worker (791 vs 476 MB after five
        # receipts). Off.
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
        "Det.model_path": str(det),
        "Rec.model_path": str(rec),
        # The detector scales a small photo's short side up to this (the library's default).
        # Measured: 544 px saves ~a quarter of the detector's CPU but lost 3 points of wild
        # totals and a date (web-sized photos' print gets too small), so it stays.
        "Det.limit_side_len": DET_SHORT_SIDE,
        # Lines are read in batches padded to the widest; the library pads every line to at least
        # 320 px (6.7× its height), so a receipt's many short lines (amounts) cost as much as long
        # ones. A 96 px minimum: ~25 % less CPU per receipt, the same fields read (bench/ocr.py).
        "Rec.rec_batch_num": REC_BATCH,
        "Rec.rec_img_shape": [3, 48, 96],
    }


def _engine() -> Any:
    global _shared
    if _shared is None:
        with _load_lock:
            if _shared is None:
                from rapidocr import RapidOCR

                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
                _shared = RapidOCR(params=_params())
    return _shared


def warm_up() -> None:
    """Load the models now (about 1 s), so the first receipt is not slower."""
    with _run_lock:
        _engine()(np.full((64, 256, 3), 255, np.uint8))


def read_boxes(gray: np.ndarray) -> list[Box]:
    """Every text line the detector finds, with its recognised text and score (0..100)."""
    img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray
    with _run_lock:
        result = _engine()(img)
    if result.boxes is None or result.txts is None or result.scores is None:
        return []
    out: list[Box] = []
    for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        text = str(text).strip()
        if not text:
            continue
        q = np.asarray(quad, np.float32)
        (tlx, tly), (trx, try_) = q[0], q[1]
        slope = float((try_ - tly) / (trx - tlx)) if trx - tlx > 1 else 0.0
        xs, ys = q[:, 0], q[:, 1]
        out.append(
            (
                float(xs.min()),
                float(ys.min()),
                float(xs.max()),
                float(ys.max()),
                slope,
                Word(text, 100 * score),
            )
        )
    return out


def to_lines(boxes: list[Box]) -> list[Line]:
    """Group detected boxes into printed lines (label with its amount), top to bottom.

    A photo taken at an angle tilts every line the same way, so centres are first turned by the
    median slope of the wide boxes; then a box joins the line whose height holds its centre."""
    if not boxes:
        return []
    wide = [b[4] for b in boxes if b[2] - b[0] > 3 * (b[3] - b[1])]
    slope = float(np.median(wide)) if wide else 0.0
    slope = float(np.clip(slope, -0.35, 0.35))

    def level(b: Box, y: float) -> float:
        return y - slope * (b[0] + b[2]) / 2

    rows: list[list[tuple[float, float, float, Box]]] = []  # (top, centre, bottom, box)
    for b in sorted(boxes, key=lambda b: level(b, (b[1] + b[3]) / 2)):
        top, bottom = level(b, b[1]), level(b, b[3])
        centre = (top + bottom) / 2
        home = None
        for row in reversed(rows[-4:]):
            r_top = sum(x[0] for x in row) / len(row)
            r_bottom = sum(x[2] for x in row) / len(row)
            overlaps_x = any(x[3][0] < b[2] - 2 and b[0] < x[3][2] - 2 for x in row)
            if r_top <= centre <= r_bottom and not overlaps_x:
                home = row
                break
        if home is None:
            rows.append([(top, centre, bottom, b)])
        else:
            home.append((top, centre, bottom, b))
    rows.sort(key=lambda row: sum(x[1] for x in row) / len(row))
    return [Line(tuple(x[3][5] for x in sorted(row, key=lambda x: x[3][0]))) for row in rows]


def read_lines(gray: np.ndarray) -> list[Line]:
    return to_lines(read_boxes(gray))
