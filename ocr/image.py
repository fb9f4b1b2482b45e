"""Load a receipt photo safely: JPEG, PNG, HEIC/HEIF (iPhone), WebP; EXIF orientation applied.
A PDF (an e-mailed e-receipt) is rendered with pypdfium2 (PDFium, Chrome's PDF engine): its first
page, at print resolution, goes through the same pipeline as a photo.

Everything a user can upload that is not a usable photo ends in ``OcrInputError`` with a message
in Danish and English, never in a stack trace: not an image, a truncated or corrupt file, a
decompression bomb (a small file that claims billions of pixels), a blank photo. Nothing is
stripped here (GPS removal is the server's job when it stores the photo).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC from iPhones; the opener registers itself with Pillow.
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - a declared dependency; keep JPEG/PNG working without it
    pass

MAX_BYTES = 40 * 1024 * 1024  # a 48-megapixel HEIC/JPEG is ~15 MB
MAX_PIXELS = 64_000_000  # decoded at most: a 48-MP phone sensor plus margin
MAX_JPEG_PIXELS = 210_000_000
"""A JPEG is decoded reduced (draft mode, 1/2 to 1/8), so phones' 108 and 200 MP photos are read; more is a bomb."""
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS // 2  # Pillow refuses twice this; our own caps below decide
MIN_SIDE = 64  # smaller than this cannot hold a readable receipt
# Decode big JPEGs at a reduced scale (libjpeg's DCT scaling is nearly free): the receipt needs
# ~1000 px across for tesseract, so a photo with this long side is plenty.
WORK_LONG_SIDE = 2600
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "HEIF", "AVIF", "WEBP", "TIFF", "BMP"}


class OcrInputError(ValueError):
    """The upload is not a photo the OCR can read. ``message`` holds {"da", "en"} for the user."""

    def __init__(self, code: str, da: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.message = {"da": da, "en": en}


def _error(code: str) -> OcrInputError:
    da, en = _MESSAGES[code]
    return OcrInputError(code, da, en)


_MESSAGES = {
    "empty_file": ("Filen er tom.", "The file is empty."),
    "too_large_file": ("Filen er for stor (over 40 MB).", "The file is too large (over 40 MB)."),
    "not_an_image": (
        "Filen er hverken et billede eller en PDF, vi kan læse (JPEG, PNG, HEIC eller PDF).",
        "The file is neither an image nor a PDF we can read (JPEG, PNG, HEIC or PDF).",
    ),
    "pdf_unreadable": (
        "PDF-filen er beskadiget, krypteret eller uden sider.",
        "The PDF file is damaged, encrypted or has no pages.",
    ),
    "corrupt": (
        "Billedet er beskadiget eller ufuldstændigt. Tag billedet igen.",
        "The image is damaged or incomplete. Please take the photo again.",
    ),
    "too_many_pixels": (
        "Billedet har for mange pixels til at blive læst.",
        "The image has too many pixels to be read.",
    ),
    "too_small": (
        "Billedet er for lille til at kunne læses.",
        "The image is too small to be read.",
    ),
    "blank": (
        "Billedet er tomt (ens farve overalt). Tag et billede af kvitteringen.",
        "The image is blank (one colour throughout). Please photograph the receipt.",
    ),
}


def read_source(source: str | Path | bytes) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        if path.stat().st_size > MAX_BYTES:
            raise _error("too_large_file")
        data = path.read_bytes()
    if not data:
        raise _error("empty_file")
    if len(data) > MAX_BYTES:
        raise _error("too_large_file")
    return data


# A PDF page is rendered so that its long side is about this many pixels: a till receipt's
# characters are then 20-30 px high, as in a good photo.
PDF_LONG_SIDE = 2000


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def render_pdf(data: bytes) -> Image.Image:
    """The first page of a PDF as a grayscale image (white behind transparent parts)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _error("pdf_unreadable") from exc
    try:
        if len(pdf) == 0:
            raise _error("pdf_unreadable")
        page = pdf[0]
        w, h = page.get_size()
        if min(w, h) <= 0:
            raise _error("pdf_unreadable")
        scale = min(PDF_LONG_SIDE / max(w, h), 8.0)
        if w * h * scale * scale > MAX_PIXELS:
            raise _error("too_many_pixels")
        return page.render(scale=scale, grayscale=True, fill_color=(255, 255, 255, 255)).to_pil().convert("L")
    except pdfium.PdfiumError as exc:
        raise _error("pdf_unreadable") from exc
    finally:
        pdf.close()


def load_gray(data: bytes) -> np.ndarray:
    """Decode, apply the EXIF orientation, and return an 8-bit grayscale array (upright as the
    phone showed it), reduced to at most ``WORK_LONG_SIDE`` on the long side. A PDF's first page
    is rendered instead."""
    if is_pdf(data):
        return _checked(render_pdf(data))
    with warnings.catch_warnings():
        # Pillow warns between MAX_IMAGE_PIXELS and twice that; the caps below decide instead.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except UnidentifiedImageError as exc:
            raise _error("not_an_image") from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _error("too_many_pixels") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise _error("corrupt") from exc
        if img.format not in ALLOWED_FORMATS:
            raise _error("not_an_image")
        w, h = img.size
        jpeg = img.format in {"JPEG", "MPO"}
        if w * h > (MAX_JPEG_PIXELS if jpeg else MAX_PIXELS):
            raise _error("too_many_pixels")
        if min(w, h) < MIN_SIDE:
            raise _error("too_small")
        try:
            if jpeg:
                scale = max(w, h) / WORK_LONG_SIDE
                if scale >= 2:
                    img.draft("L", (int(w / scale), int(h / scale)))
                if img.size[0] * img.size[1] > MAX_PIXELS:  # draft reduces by 8 at most
                    raise _error("too_many_pixels")
            gray = _to_gray(ImageOps.exif_transpose(img))
            gray.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _error("too_many_pixels") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            # Truncated JPEGs fail here ("image file is truncated"), not at open.
            raise _error("corrupt") from exc
    return _checked(gray)


def _to_gray(img: Image.Image) -> Image.Image:
    """8-bit grey as the photo looks on a white page: transparent parts are paper (Pillow's plain
    conversion drops alpha, so black text drawn only in alpha vanished), and 16/32-bit grey is
    scaled to 8 bits (Pillow clips it, so a 16-bit scan turned all white)."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        a = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or a.max() > 255 else 255.0
        return Image.fromarray(np.clip(a * (255.0 / top), 0, 255).astype(np.uint8), "L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        page = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(page, rgba).convert("L")
    return img.convert("L")


def _checked(gray: Image.Image) -> np.ndarray:
    if min(gray.size) < MIN_SIDE:
        raise _error("too_small")
    if max(gray.size) > WORK_LONG_SIDE:
        gray.thumbnail((WORK_LONG_SIDE, WORK_LONG_SIDE), Image.Resampling.LANCZOS)
    arr = np.asarray(gray)
    # A photo of nothing (lens covered, empty PNG): no contrast anywhere.
    if float(arr[:: max(1, arr.shape[0] // 200), :: max(1, arr.shape[1] // 200)].std()) < 2.0:
        raise _error("blank")
    return arr
