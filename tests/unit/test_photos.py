"""How uploaded files are kept: no position in any format, nothing decoded that need not be (plain files)."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from backend.features.sync import photos
from backend.features.sync.upkeep import ABANDONED_AFTER_S
from sync.blobs import BlobStore
from tests import images


def _stored(tmp_path: Path, data: bytes) -> tuple[photos.Stored, bytes]:
    path = tmp_path / "blob"
    path.write_bytes(data)
    stored = photos.prepare(path)
    return stored, path.read_bytes()


def _claiming(jpeg: bytes, width: int, height: int) -> bytes:
    """The JPEG with its frame header (SOF0) claiming another size: its pixels were never there."""
    at = jpeg.index(b"\xff\xc0")
    return jpeg[: at + 5] + height.to_bytes(2, "big") + width.to_bytes(2, "big") + jpeg[at + 9 :]


def test_a_jpeg_loses_its_position_and_camera_but_keeps_its_orientation(tmp_path: Path) -> None:
    stored, data = _stored(tmp_path, images.jpeg(gps=True, orientation=6))
    assert stored.media_type == "image/jpeg"
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {images.ORIENTATION: 6}


def test_a_12000_by_12000_jpeg_is_stripped_without_decoding_a_pixel(tmp_path: Path) -> None:
    """Four such uploads once took the server from 0.5 to 2.6 GB: now each costs about its own bytes."""
    huge = _claiming(images.jpeg(gps=True, noise=True, size=(256, 256)), 12_000, 12_000)
    tracemalloc.start()
    stored, data = _stored(tmp_path, huge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.media_type == "image/jpeg" and peak < 5 * len(huge) + 2_000_000
    with pytest.warns(Image.DecompressionBombWarning):  # 144 MP is over Pillow's own warning line
        assert images.GPS_IFD not in Image.open(io.BytesIO(data)).getexif()


def test_a_png_loses_its_text_and_exif_chunks(tmp_path: Path) -> None:
    out = io.BytesIO()
    info = PngInfo()
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta><exif:GPSLatitude>55,40N</exif:GPSLatitude></x:xmpmeta>")
    Image.new("RGB", (8, 8), "white").save(out, "PNG", pnginfo=info)
    stored, data = _stored(tmp_path, out.getvalue())
    assert (
        stored.media_type == "image/png"
        and b"GPS" not in data
        and Image.open(io.BytesIO(data)).size == (8, 8)
    )


def test_an_iphone_heic_is_kept_as_a_jpeg_without_its_position(tmp_path: Path) -> None:
    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[images.GPS_IFD] = {1: "N", 2: (55.0, 40.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(out, "HEIF", exif=exif.tobytes())
    stored, data = _stored(tmp_path, out.getvalue())
    assert stored.media_type == "image/jpeg"
    kept = Image.open(io.BytesIO(data))
    assert kept.format == "JPEG" and kept.size == (64, 48) and images.GPS_IFD not in kept.getexif()


def test_a_pdf_receipt_is_kept_as_sent(tmp_path: Path) -> None:
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert _stored(tmp_path, pdf) == (photos.Stored("application/pdf"), pdf)


@pytest.mark.parametrize(
    "data",
    [b"<html><script>alert(1)</script>", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"GIF89a", b""],
)
def test_anything_felt_does_not_read_is_refused_as_an_unsupported_type(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(photos.PhotoRefused) as refused:
        _stored(tmp_path, data)
    assert refused.value.status == 415


def test_a_200_megapixel_phone_photo_is_accepted_and_a_bomb_is_not(tmp_path: Path) -> None:
    phone = _claiming(images.jpeg(size=(64, 48)), 16_320, 12_240)
    assert _stored(tmp_path, phone)[0].media_type == "image/jpeg"
    with pytest.raises(photos.PhotoRefused) as refused:
        _stored(tmp_path, images.png_claiming(50_000, 50_000))
    assert refused.value.status == 413


def test_an_upload_nobody_continued_for_two_days_is_removed_and_a_fresh_one_kept(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    old, fresh = tmp_path / "partial" / ("a" * 64 + ".1"), tmp_path / "partial" / ("b" * 64 + ".1")
    old.write_bytes(b"half a photo")
    fresh.write_bytes(b"half a photo")
    now = time.time()
    os.utime(old, (now - ABANDONED_AFTER_S - 60, now - ABANDONED_AFTER_S - 60))
    assert store.remove_abandoned(ABANDONED_AFTER_S, now) == 1
    assert not old.exists() and fresh.exists()
