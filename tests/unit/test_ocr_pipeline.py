"""The OCR pipeline end to end on generated phone photos, and every kind of bad upload."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from ocr import FIELDS, OcrInputError, extract, extract_bytes
from ocr.__main__ import main as cli
from ocr.synth import generate, generate_one

TODAY = dt.date(2025, 11, 20)
SEED = 11
COUNT = 6  # one of each till style, plus one


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    out = tmp_path_factory.mktemp("receipts")
    return out, generate(out, COUNT, SEED, today=TODAY)


@pytest.fixture(scope="module")
def results(photos: tuple[Path, dict[str, dict]]) -> dict[str, dict]:
    out, truth = photos
    return {name: extract(out / name, today=TODAY) for name in truth}


def test_generated_photos_are_read_right(
    photos: tuple[Path, dict[str, dict]], results: dict[str, dict]
) -> None:
    _, truth = photos
    right = {f: sum(results[n][f] == truth[n][f] for n in truth) for f in ("date", "total", "vat", "cvr")}
    assert all(count >= COUNT - 1 for count in right.values()), right


def test_a_filled_field_is_never_wrong(
    photos: tuple[Path, dict[str, dict]], results: dict[str, dict]
) -> None:
    _, truth = photos
    for name, result in results.items():
        for field in ("date", "total", "vat", "cvr"):
            assert result[field] in (None, truth[name][field]), (name, field)


def test_results_have_the_documented_shape(results: dict[str, dict]) -> None:
    for result in results.values():
        assert set(FIELDS) | {"currency", "confidence", "suggestions", "reasons", "text"} <= set(result)
        assert set(result["confidence"]) == set(FIELDS)
        assert result["currency"] == "DKK"
        for field, reason in result["reasons"].items():
            assert field in FIELDS and reason["da"] and reason["en"]
        if result["total"] is not None:
            assert result["total"].count(".") == 1 and len(result["total"].split(".")[1]) == 2


def test_batch_writes_a_result_per_image(photos: tuple[Path, dict[str, dict]], tmp_path: Path) -> None:
    out, truth = photos
    target = tmp_path / "out.json"
    assert cli(["batch", str(out), str(target)]) == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    assert set(written) == set(truth)


def _photo(index: int = 0) -> tuple[bytes, dict]:
    return generate_one(SEED, index, TODAY)


def test_a_sideways_photo_with_an_exif_orientation_is_turned_upright() -> None:
    data, truth = _photo(0)
    img = Image.open(io.BytesIO(data))
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view": store the picture turned anticlockwise
    buf = io.BytesIO()
    img.rotate(90, expand=True).save(buf, "JPEG", quality=90, exif=exif.tobytes())
    assert extract_bytes(buf.getvalue(), today=TODAY)["total"] == truth["total"]


def test_an_iphone_heic_photo_is_read() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    data, truth = _photo(1)
    buf = io.BytesIO()
    pillow_heif.from_pillow(Image.open(io.BytesIO(data))).save(buf, quality=90)
    assert extract_bytes(buf.getvalue(), today=TODAY)["cvr"] == truth["cvr"]


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and header claiming width × height pixels, with almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"%PDF-1.7 a damaged pdf", "pdf_unreadable"),
        (b"Kvittering: 123,00 kr\n", "not_an_image"),  # neither an image nor a PDF
        (b"GIF89a" + b"\0" * 100, "not_an_image"),
        (_png_header_only(60_000, 60_000), "too_many_pixels"),  # decompression bomb
        (_png(Image.new("L", (20, 20), 255)), "too_small"),
        (_png(Image.new("RGB", (1200, 1600), (250, 250, 250))), "blank"),
    ],
    ids=["empty", "damaged-pdf", "text", "bad-gif", "bomb", "tiny", "blank"],
)
def test_bad_uploads_give_a_clear_message_in_danish_and_english(data: bytes, code: str) -> None:
    with pytest.raises(OcrInputError) as err:
        extract_bytes(data)
    assert err.value.code == code
    assert err.value.message["da"] and err.value.message["en"]


def test_a_truncated_jpeg_is_reported_as_damaged() -> None:
    data, _ = _photo(2)
    with pytest.raises(OcrInputError) as err:
        extract_bytes(data[: len(data) // 2])
    assert err.value.code == "corrupt"


def test_the_cli_reports_bad_files_without_crashing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not a photo")
    assert cli(["extract", str(bad)]) == 1
    line = json.loads(capsys.readouterr().out)
    assert line["error"]["code"] == "not_an_image"


def test_a_108_megapixel_phone_photo_is_read_reduced_not_refused() -> None:
    """Phones shoot 108 and 200 MP: a JPEG that large is decoded at 1/8 (draft mode), never in full."""
    from ocr.image import WORK_LONG_SIDE, load_gray

    photo = Image.new("L", (9000, 12000), 200)
    photo.paste(0, (2000, 3000, 7000, 9000))  # something on it: not a blank photo
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=50)
    gray = load_gray(out.getvalue())
    assert max(gray.shape) <= WORK_LONG_SIDE


def test_a_16_bit_grey_scan_is_scaled_to_8_bits_not_refused_as_blank() -> None:
    import numpy as np

    from ocr.image import load_gray

    page = np.full((400, 300), 250, np.uint8)
    page[100:120, 50:250] = 20  # a line of print
    out = io.BytesIO()
    Image.fromarray(page.astype(np.uint16) * 257).save(out, "PNG")  # mode I;16
    assert Image.open(io.BytesIO(out.getvalue())).mode == "I;16"
    assert (load_gray(out.getvalue()) == page).all()


def test_print_drawn_only_in_a_transparent_pngs_alpha_lies_on_white_paper() -> None:
    import numpy as np

    from ocr.image import load_gray

    rgba = np.zeros((400, 300, 4), np.uint8)  # black everywhere, transparent but for the print
    rgba[100:120, 50:250, 3] = 255
    out = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(out, "PNG")
    gray = load_gray(out.getvalue())
    assert gray[110, 150] == 0 and gray[300, 150] == 255
