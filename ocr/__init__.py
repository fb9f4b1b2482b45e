"""Felt's receipt OCR: a phone photo (or PDF) of a receipt in, merchant/date/total/VAT/CVR out.

Modules: ``image`` (safe loading; a PDF's first page rendered), ``tiny`` (PP-OCRv6 tiny through
faster-paddle: the first reading), ``rapid`` (RapidOCR: PP-OCRv6 small on onnxruntime: re-reads
the top lines, or the whole photo when tiny's reading leaves total or date unconfirmed), ``locate``
+ ``read`` (straighten the page,
tesseract: the fallback), ``fields`` (text → candidate readings), ``checks`` (CVR, VAT, tax,
date, payment), ``decide`` (checks → filled fields, suggestions, reasons), ``pipeline``,
``synth`` (test photos in two styles).

Usable on its own (``python -m ocr extract IMAGE... [--today YYYY-MM-DD]``, ``python -m ocr batch
DIR OUT.json [--today ...] [--jobs N]``) and imported by the server. It imports only imaging and
OCR libraries (Pillow, pillow-heif, pypdfium2, OpenCV, NumPy, faster-paddle, rapidocr +
onnxruntime, tesserocr or pytesseract), never the web app. Thread-safe: one engine of each per
process, calls take turns (one onnxruntime thread each); tesseract instances are per thread with ``OMP_THREAD_LIMIT=1``.
Parallelise across processes.

API
---
``extract(source, *, today=None) -> dict`` takes a path or the file's bytes;
``extract_bytes(data, *, today=None) -> dict`` is the same for the server's upload bytes (JPEG,
PNG, HEIC, WebP, or a PDF e-receipt). ``today`` is the day dates are judged against: the upload
day on the server, a fixed day for benchmarks; the clock's date when None. ``warm_up()`` loads the
models now (a worker calls it at start; they stay loaded).
Bad input (neither an image nor a PDF, truncated, a damaged PDF, a decompression bomb, an empty
photo) raises ``OcrInputError``, whose ``message`` is ``{"da": ..., "en": ...}`` for the user.

Result shape (stable; every key is always present)::

    {
      "merchant": str | None,          # as printed, e.g. "REMA 1000"
      "date": "YYYY-MM-DD" | None,
      "total": "1234.50" | None,       # amounts are decimal strings with two decimals
      "vat": "246.90" | None,
      "cvr": "12345678" | None,        # 8 digits, passes modulus 11
      "currency": "DKK",               # ISO code; DKK unless the receipt says otherwise
      "confidence": {field: 0.0..1.0}, # for the five fields above
      "suggestions": {field: value},   # best guess for a field left empty (same formats)
      "reasons": {field: {"da": str, "en": str}},  # why a field is empty or uncertain
      "text": str,                     # the full OCR text, line by line
      "seconds": float,                # time spent on this image
      "debug": {...},                  # how the photo was handled (readers used, readings; with
                                       # tesseract also paper found, deskew): for logs, not users
    }

A field is filled only when its reading is confirmed by a check (CVR modulus 11; a total backed
by two independent pieces of evidence: its label, the payment line or cash minus change, the tax
adding up at Danish 25 % or the printed rate, the items or the lines above adding up, a fuel
slip's volume × price; a date read clearly; the printed company name, a recognised chain, or a
name printed again further down). Otherwise it is ``None``, the best guess
goes to ``suggestions`` and ``reasons`` says why: a wrong total that the user trusts is worse than
an empty field. A filled field can carry a warning in ``reasons`` too: a date more than a year
before ``today`` is filled with the reason ``date_old`` ("over et år gammel"). ``confidence`` is
the pipeline's estimate that the value (filled or suggested) is right; ``bench/ocr.py`` measures
how often filled fields are wrong on synthetic and real receipts.
"""

from ocr.image import OcrInputError
from ocr.pipeline import FIELDS, extract, extract_bytes, warm_up

__all__ = ["FIELDS", "OcrInputError", "extract", "extract_bytes", "warm_up"]
