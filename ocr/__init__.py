"""Felt's receipt OCR: a phone photo of a Danish receipt in, merchant/date/total/VAT/CVR out.

Modules: ``image`` (safe loading), ``locate`` (find, straighten, flatten the receipt), ``read``
(tesseract), ``fields`` (text → candidate readings), ``checks`` (CVR, VAT, date, payment),
``decide`` (checks → filled fields, suggestions, reasons), ``pipeline``, ``synth`` (test photos).

Usable on its own (``python -m ocr extract IMAGE...``) and imported by the server. It imports only
imaging and OCR libraries (Pillow, pillow-heif, OpenCV, NumPy, tesserocr or pytesseract), never
the web app. Thread-safe: each thread keeps its own tesseract instance.

API
---
``extract(source, *, today=None) -> dict`` takes a path or the file's bytes;
``extract_bytes(data, *, today=None) -> dict`` is the same for the server's upload bytes.
Bad input (not an image, truncated, a decompression bomb, an empty photo) raises
``OcrInputError``, whose ``message`` is ``{"da": ..., "en": ...}`` for the user.

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
      "debug": {...},                  # how the photo was handled (paper found, turned, deskew
                                       # angle, scale, number of readings): for logs, not for users
    }

A field is filled only when its reading is confirmed by a check (CVR modulus 11, VAT = 20% of the
total, the total equals the payment line, a plausible date, a recognised merchant). Otherwise it
is ``None``, the best guess goes to ``suggestions`` and ``reasons`` says why: a wrong total that
the user trusts is worse than an empty field. When a first reading (tesseract's single-column
mode) leaves the total, date, VAT or CVR unconfirmed, a second reading (block mode) is made and the
checks choose per field; two readings that confirm different values fill neither. ``confidence`` is the pipeline's estimate that the
value (filled or suggested) is right; ``bench/ocr.py`` measures how often filled fields are wrong.
"""

from ocr.image import OcrInputError
from ocr.pipeline import FIELDS, extract, extract_bytes, warm_up

__all__ = ["FIELDS", "OcrInputError", "extract", "extract_bytes", "warm_up"]
