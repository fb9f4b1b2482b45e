"""Real image and document bytes the tests make themselves (never copied from anywhere)."""

from __future__ import annotations

import io
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(
    size: tuple[int, int] = (64, 48),
    *,
    gps: bool = False,
    orientation: int | None = None,
    noise: bool = False,
    tag: str = "",
) -> bytes:
    """A JPEG photo; `gps` adds a position and a camera maker, `noise` makes it large, `tag` makes it unique."""
    image = Image.effect_noise(size, 64).convert("RGB") if noise else Image.new("RGB", size, "white")
    for i, byte in enumerate(tag.encode()):  # each byte of the tag in a pixel of its own: unique bytes
        image.putpixel((i % size[0], (i // size[0]) % size[1]), (byte, 255 - byte, byte // 2))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"
        exif[GPS_IFD] = {1: "N", 2: (55.0, 40.0, 0.0), 3: "E", 4: (12.0, 34.0, 0.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, **({"exif": exif.tobytes()} if exif else {}))
    return out.getvalue()


def png(size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's shape)."""
    data = bytearray(png((1, 1)))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")  # IHDR's width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # its checksum, so it still parses
    return bytes(data)
