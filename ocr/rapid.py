"""Read a photo with RapidOCR: PP-OCRv6 small text detection + recognition on onnxruntime.

Since the fourth round of issue 10 it is the second reader: ``ocr.tiny`` reads first, this
module's recognizer re-reads the merchant's lines (``recognize``), and the whole photo is read
here only when tiny's reading leaves total or date unconfirmed (``ocr.pipeline``).

Why PP-OCR and not tesseract: on real phone photos (curled paper, shadows, a hand in the frame)
tesseract's page segmentation drops whole regions, and the total is often among them. PP-OCR's
detector finds every text line wherever it is and its recognizer reads logos, æ/ø/å and shadowed
columns (measured in ``bench/ocr.py``, figures in the README).

The models ship inside the ``rapidocr`` wheel (``rapidocr/models``); :func:`_engine` points the
library at that folder and refuses to start if a model is missing there, so nothing is ever
downloaded at run time. onnxruntime runs with one thread per session: the server parallelises
across receipts (OCR workers), and on a shared 2-core machine one thread per receipt is faster
overall than threads fighting for cores.

Where the time goes (cProfile, 10 wild + 10 sroie + 10 synth photos, before the coarse pass):
91 % inside onnxruntime, the recognizer ~60 % (~20-25 ms per detected line, 25-60 lines) and
the detector ~38 % (~0.6 s CPU on a 1280×960 input, a quarter of it the kernel's page faults
for its buffers); the rest is decoding, resizing and the field rules. The library already sets
the graph optimisation ORT_ENABLE_ALL (EXTENDED was 1.2-1.4× slower), one intra- and one
inter-op thread, sequential execution, and the direction classifier is off. So the saving is in
what the detector is given; ``_read`` runs the library's steps itself (bit-identical text and
boxes) so that a coarse first pass can be measured: detecting at half size and keeping those
boxes when the print is big enough (``COARSE_SCALE``) cost 0.58-0.67× the CPU, but lost wild
totals (92 → 90 %) and made a wild merchant wrong (5.4 → 6.8 %); at a stricter 20 px it still
lost a wild total and a date, so it is off.
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
# The detector's input pixels at most when scaling a photo up (a long receipt scan: ~1.6 M).
DET_MAX_PIXELS = 4_000_000
# Lines read per recognizer call (the library's default). Measured with ``bench/ocr.py
# --engine-ab``: 3 saves ~1-4 % CPU but changes the text read on 10 of 16 photos (the padding
# to a batch's widest line changes what the recognizer sees), so the figures would not hold.
REC_BATCH = 6
# PP-OCR's recognizer reads each detected line at 48 px high; anything the detector finds is
# read, and a score below this is noise (a wood grain, a barcode read as letters).
MIN_SCORE = 0.5
# The detector's coarse first pass (see ``_read``): its share of the usual size, and the height
# (detector input pixels, box incl. PP-OCR's margin) the short quarter of the lines must have
# there for its boxes to be kept. 0: off. Measured at 0.5 / 16 px (``bench/ocr.py --reader-ab
# '{"COARSE_SCALE": 0.5}'``): 0.58-0.67× the CPU on all four sets, text changed on 27 of 32
# photos, and on all 120 wild photos totals 92 → 90 % right, merchants 5.4 → 6.8 % wrong (a
# drive-in's name cut to its first word). At 0.5 / 20 px (``bench/ocr.py --reader-set``) the coarse
# boxes were kept on 50 of 120 wild photos, and a wild total and a date were lost (others gained):
# off until a threshold loses nothing on any set.
COARSE_SCALE = 0.0
COARSE_MIN_LINE_PX = 16.0

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
        _read(_engine(), np.full((64, 256, 3), 255, np.uint8))


def read_boxes(gray: np.ndarray, short_side: int = DET_SHORT_SIDE) -> list[Box]:
    """Every text line the detector finds, with its recognised text and score (0..100).
    ``short_side``: the detector scales a photo's short side up to this (px; the library's
    default unless the caller knows the print is big enough without, see ``ocr.pipeline``)."""
    img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray
    with _run_lock:
        boxes, txts, scores = _read(_engine(), img, short_side)
    out: list[Box] = []
    for quad, text, score in zip(boxes, txts, scores, strict=True):
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


# The detector's input normalised by a table: the library's own arithmetic (float64, then
# float32) for each of the 256 grey levels, so the tensor is bit-identical and ~4× cheaper
# (10 vs 37 ms CPU on a 1280×960 input, ~3 % of a receipt).
_DET_LUT = ((np.arange(256, dtype=np.float32) * (1 / 255.0) - 0.5) / 0.5).astype(np.float32)


def _detect(
    det: Any, img: np.ndarray, scale: float, short_side: int = DET_SHORT_SIDE
) -> tuple[np.ndarray, tuple[int, int]]:
    """Text line boxes (N×4×2, in ``img``'s pixels) from PP-OCR's detector run on ``img`` resized
    as the library does (short side up to ``short_side``, sides multiples of 32), times
    ``scale``; also the detector's input size."""
    h, w = img.shape[:2]
    ratio = short_side / min(h, w) if min(h, w) < short_side else 1.0
    # A strip (20000 × 300 px, fitted to 1280 × 19) would be scaled up 38× to 736 px across:
    # ~50 megapixels and half a minute for nothing. Receipts stay far below this budget.
    ratio = min(ratio, max(1.0, (DET_MAX_PIXELS / (h * w)) ** 0.5))
    size = (
        max(32, round(int(h * ratio * scale) / 32) * 32),
        max(32, round(int(w * ratio * scale) / 32) * 32),
    )
    resized = cv2.resize(img, (size[1], size[0]))
    tensor = _DET_LUT[resized].transpose((2, 0, 1))[np.newaxis]
    boxes, _ = det.postprocess_op(det.session(np.ascontiguousarray(tensor)), (h, w))
    if len(boxes) < 1:
        return np.zeros((0, 4, 2), np.float32), size
    return det.sorted_boxes(np.asarray(boxes)), size


def _line_height(boxes: np.ndarray, img_h: int, det_h: int) -> float:
    """The short quarter of the detected lines' heights, in the detector's input pixels."""
    if len(boxes) == 0:
        return 0.0
    heights = np.linalg.norm(boxes[:, 3] - boxes[:, 0], axis=1) * det_h / img_h
    return float(np.percentile(heights, 25))


def _read(
    engine: Any, img: np.ndarray, short_side: int = DET_SHORT_SIDE
) -> tuple[np.ndarray, tuple[str, ...], tuple[float, ...]]:
    """RapidOCR's steps (resize, detect, crop, recognise, drop low scores) with the detector run
    first at ``COARSE_SCALE`` of its usual size: when even the short quarter of the lines found
    there is ``COARSE_MIN_LINE_PX`` high, the text is big enough and those boxes are kept (the
    detector's cost is ∝ pixels, so a quarter); else it runs at its usual size. Recognition reads
    crops of the same image either way. Boxes come back in ``img``'s pixels."""
    from rapidocr.ch_ppocr_rec import TextRecInput
    from rapidocr.utils.process_img import get_rotate_crop_image, resize_image_within_bounds

    ori_h, ori_w = img.shape[:2]
    small, ratio_h, ratio_w = resize_image_within_bounds(img, 30, DET_LONG_SIDE)
    det, rec = engine._load_det_model(), engine._load_rec_model()
    boxes = np.zeros((0, 4, 2), np.float32)
    if COARSE_SCALE:
        boxes, size = _detect(det, small, COARSE_SCALE, short_side)
        if _line_height(boxes, small.shape[0], size[0]) < COARSE_MIN_LINE_PX:
            boxes = np.zeros((0, 4, 2), np.float32)
    if len(boxes) == 0:
        boxes, _ = _detect(det, small, 1.0, short_side)
    if len(boxes) == 0:
        return boxes, (), ()
    crops = [get_rotate_crop_image(small, box.copy()) for box in boxes]
    result = rec(TextRecInput(img=crops))
    boxes = boxes.astype(np.float32) * np.array([ratio_w, ratio_h], np.float32)
    boxes = np.clip(boxes, 0, [ori_w, ori_h])
    keep = [
        i
        for i, (t, s) in enumerate(zip(result.txts, result.scores, strict=True))
        if t.strip() and s >= MIN_SCORE
    ]
    return boxes[keep], tuple(result.txts[i] for i in keep), tuple(result.scores[i] for i in keep)


def recognize(gray: np.ndarray, quads: list[np.ndarray]) -> list[tuple[str, float]]:
    """PP-OCRv6 small's reading of each line at ``quads`` (each 4×2: top-left, top-right,
    bottom-right, bottom-left, in ``gray``'s pixels): ``(text, score 0..1)`` in their order."""
    from rapidocr.ch_ppocr_rec import TextRecInput
    from rapidocr.utils.process_img import get_rotate_crop_image

    if not quads:
        return []
    # Crop the grey photo and colour only the crops (the same pixels as cropping a colour copy,
    # without copying a 12-megapixel photo three times to read eight lines).
    crops = [get_rotate_crop_image(gray, np.asarray(q, np.float32).copy()) for q in quads]
    crops = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) if c.ndim == 2 else c for c in crops]
    with _run_lock:
        result = _engine()._load_rec_model()(TextRecInput(img=crops))
    return [(str(t), float(sc)) for t, sc in zip(result.txts, result.scores, strict=True)]


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
