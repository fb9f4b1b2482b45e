"""What an uploaded file may be, and how it is stored: the type read from its bytes, never its header;
no position kept, whatever the format; bounded in pixels and memory.

- JPEG: metadata segments (EXIF with GPS, XMP, IPTC) are cut out of the file byte by byte, without
  decoding a pixel; the orientation is kept in a minimal EXIF block of its own.
- PNG: text and EXIF chunks (where XMP and positions live) are cut out the same way.
- HEIC/HEIF (iPhones): re-encoded as JPEG, upright, with no metadata; one at a time per process, so
  parallel uploads cannot add up the decoded pixels' memory.
- PDF (e-mailed e-receipts): kept as sent, served only as a download in a sandbox.
Anything else is refused. Pixel counts are read from the header before anything is decoded.
"""

from __future__ import annotations

import struct
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 210_000_000
"""Phones shoot 200 MP (16320 × 12240); a larger image is refused as a likely decompression bomb."""
Image.MAX_IMAGE_PIXELS = MAX_PIXELS // 2  # Pillow refuses twice this: our cap, not its 179 MP
MAX_HEIC_PIXELS = 60_000_000
"""HEIC is decoded to be re-encoded: at most 60 MP (iPhones shoot up to 48 MP) bounds that memory."""
ORIENTATION = 0x0112
HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_HEIC_LOCK = threading.Lock()


class PhotoRefused(ValueError):
    """The file cannot be stored; `da`/`en` say why, `status` is the HTTP status to answer."""

    def __init__(self, da: str, en: str, status: int = 415) -> None:
        super().__init__(en)
        self.da, self.en, self.status = da, en, status


@dataclass(frozen=True)
class Stored:
    media_type: str
    """The type Felt serves it with: image/jpeg, image/png or application/pdf."""


def sniff(head: bytes) -> str | None:
    """The file's type from its first bytes, or None for anything Felt does not read."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _header(path: Path) -> int:
    """The EXIF orientation (1 = upright), read from the header with the size; nothing is decoded.
    Refuses more than MAX_PIXELS and an unreadable file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                orientation = int(image.getexif().get(ORIENTATION, 1))
    except Image.DecompressionBombError:
        raise _too_many() from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise PhotoRefused(
            "Billedet kan ikke læses. Tag billedet igen.", "The image cannot be read. Take it again.", 422
        ) from None
    if width * height > MAX_PIXELS:
        raise _too_many()
    return orientation


def _too_many() -> PhotoRefused:
    return PhotoRefused(
        "Billedet har for mange pixels (over 210 megapixel).",
        "The image has too many pixels (over 210 MP).",
        413,
    )


def strip_jpeg(data: bytes, orientation: int = 1) -> bytes:
    """The JPEG without its APP1 (EXIF, XMP), APP13 (IPTC) and comment segments, byte for byte
    otherwise; an orientation other than 1 is kept in a minimal EXIF block."""
    out = bytearray(data[:2])
    if orientation != 1:
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        block = exif.tobytes()
        out += b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA or 0xD0 <= marker <= 0xD9:  # start of scan: the rest is image data
            break
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker not in (0xE1, 0xED, 0xFE):
            out += data[i : i + 2 + length]
        i += 2 + length
    return bytes(out + data[i:])


def strip_png(data: bytes) -> bytes:
    """The PNG without its eXIf and text chunks (tEXt, zTXt, iTXt, which hold XMP and positions)."""
    out = bytearray(data[:8])
    i = 8
    while i + 12 <= len(data):
        length = struct.unpack(">I", data[i : i + 4])[0]
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if kind not in (b"eXIf", b"tEXt", b"zTXt", b"iTXt"):
            out += data[i:end]
        i = end
    return bytes(out)


def _heic_to_jpeg(path: Path) -> bytes:
    import io

    import pillow_heif

    heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)  # reads the header, decodes nothing yet
    if heif.size[0] * heif.size[1] > MAX_HEIC_PIXELS:
        raise PhotoRefused(
            "HEIC-billedet er for stort (over 60 megapixel). Vælg et mindre billede.",
            "The HEIC image is too large (over 60 MP). Choose a smaller one.",
            413,
        )
    with _HEIC_LOCK:  # one decoded HEIC per process at a time
        image = heif.to_pillow()
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def prepare(path: Path) -> Stored:
    """Check the uploaded file at `path` and rewrite it in place as it is to be kept.

    Raises PhotoRefused (with an HTTP status: 415 not a type Felt reads, 413 too many pixels, 422
    unreadable). Works on the file, not in the web process's memory beyond its bytes (≤ 25 MB).
    """
    with path.open("rb") as f:
        head = f.read(16)
    kind = sniff(head)
    if kind is None:
        raise PhotoRefused(
            "Filen er hverken et billede (JPEG, PNG, HEIC) eller en PDF.",
            "The file is neither an image (JPEG, PNG, HEIC) nor a PDF.",
        )
    if kind == "application/pdf":
        return Stored(kind)
    if kind == "image/heic":
        data = _heic_to_jpeg(path)
        kind = "image/jpeg"
    else:
        orientation = _header(path)
        data = path.read_bytes()
        data = strip_jpeg(data, orientation) if kind == "image/jpeg" else strip_png(data)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return Stored(kind)
