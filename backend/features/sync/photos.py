"""Photos are kept without their GPS position: nobody needs to know where a receipt was photographed."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

GPS_IFD = 0x8825


def strip_gps(path: Path) -> bool:
    """Rewrite a JPEG in place without its GPS EXIF block; True when there was one to remove."""
    try:
        with Image.open(path) as image:
            if image.format != "JPEG":
                return False
            exif = image.getexif()
            if GPS_IFD not in exif:
                return False
            del exif[GPS_IFD]
            image.load()
            image.save(
                path.with_suffix(".tmp"),
                "JPEG",
                quality=95,
                exif=exif.tobytes(),
                icc_profile=image.info.get("icc_profile"),
            )
    except (UnidentifiedImageError, OSError):
        return False
    path.with_suffix(".tmp").replace(path)
    return True
