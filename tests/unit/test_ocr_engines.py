"""The readers and the inputs around them: RapidOCR without downloads and on one thread, boxes
grouped into printed lines, PDF receipts, the merchant rules. Inputs are made here."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr import OcrInputError, extract_bytes, pipeline, rapid, tiny
from ocr.__main__ import main as cli
from ocr.decide import decide
from ocr.fields import Line, Word, lines_from_text, read_all
from ocr.synth.content import make_receipt
from ocr.synth.render import render

TODAY = dt.date(2025, 11, 20)
FIVE = ("merchant", "date", "total", "vat", "cvr")


def test_rapidocr_models_ship_in_the_wheel_and_nothing_is_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from rapidocr import RapidOCR
    from rapidocr.utils import download_file

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("RapidOCR tried to download a model")

    monkeypatch.setattr(download_file.DownloadFile, "run", no_network)
    params = rapid._params()
    for key in ("Det.model_path", "Rec.model_path"):
        assert str(params[key]).startswith(str(rapid._models_dir()))
    engine = RapidOCR(params=params)  # loads both models from the wheel
    assert engine(np.full((48, 160, 3), 255, np.uint8)).txts in (None, ())


def test_engines_run_single_threaded() -> None:
    params = rapid._params()
    assert params["EngineConfig.onnxruntime.intra_op_num_threads"] == 1
    assert tiny._engine().config["threads"] == 1
    assert params["EngineConfig.onnxruntime.inter_op_num_threads"] == 1
    assert os.environ["OMP_THREAD_LIMIT"] == "1"  # tesseract: set when ocr.read is imported


def _box(x1: float, y1: float, x2: float, y2: float, text: str, slope: float = 0.0) -> rapid.Box:
    return (x1, y1, x2, y2, slope, Word(text, 95.0))


def test_label_and_amount_in_separate_boxes_are_one_line_on_a_tilted_photo() -> None:
    # The photo is turned ~6°: the amount 480 px to the right sits 48 px lower than its label,
    # lower than the next line's label.
    slope = 0.1
    boxes = [
        _box(100, 100, 300, 130, "I ALT", slope),
        _box(600, 148, 760, 178, "36,95", slope),
        _box(100, 140, 320, 170, "DANKORT", slope),
        _box(600, 188, 760, 218, "36,95", slope),
    ]
    assert [line.text for line in rapid.to_lines(boxes)] == ["I ALT 36,95", "DANKORT 36,95"]


def _tilted(slope: float, lines: list[tuple[str, str]]) -> tuple[np.ndarray, list[tuple]]:
    """A page with a label at the left and its amount at the right of each line, turned so that
    its text runs at ``slope``, and the axis-aligned boxes a detector gives for it."""
    import cv2

    page = np.full((900, 900), 255, np.uint8)
    boxes: list[tuple] = []
    for i, (label, amount) in enumerate(lines):
        y = 150 + 40 * i
        for x, text in ((100, label), (600, amount)):
            cv2.putText(page, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    turn = cv2.getRotationMatrix2D((450, 450), -np.degrees(np.arctan(slope)), 1.0)
    page = cv2.warpAffine(page, turn, (900, 900), borderValue=255)
    for i, (label, amount) in enumerate(lines):
        y = 150 + 40 * i - 11
        for x, w, text in ((100, 20 * len(label), label), (600, 20 * len(amount), amount)):
            corners = (
                np.array([[x, y - 12, 1], [x + w, y - 12, 1], [x + w, y + 12, 1], [x, y + 12, 1]]) @ turn.T
            )
            (x1, y1), (x2, y2) = corners.min(axis=0), corners.max(axis=0)
            boxes.append((float(x1), float(y1), float(x2), float(y2), Word(text, 95.0)))
    return page, boxes


@pytest.mark.parametrize("slope", [-0.2, -0.08, 0.0, 0.08, 0.2])
def test_the_slope_of_a_tilted_photo_is_found_from_level_boxes(slope: float) -> None:
    rows = [
        ("KAFFE", "32,00"),
        ("BOLLER", "18,50"),
        ("AVIS", "25,00"),
        ("I ALT", "75,50"),
        ("DANKORT", "75,50"),
    ]
    page, boxes = _tilted(slope, rows)
    level = tiny.level(boxes, page)
    assert level[0][4] == pytest.approx(slope, abs=0.02)
    assert [line.text for line in rapid.to_lines(level)] == [f"{a} {b}" for a, b in rows]


def test_the_small_recognizer_reads_a_tilted_line_from_its_level_box() -> None:
    page, boxes = _tilted(0.15, [("KAFFE", "32,00"), ("BOLLER", "18,50"), ("TOTAL", "50,50")])
    quads = [tiny.quad(b) for b in tiny.level(boxes, page)]
    assert [t for t, _ in rapid.recognize(page, quads)] == [
        "KAFFE",
        "32,00",
        "BOLLER",
        "18,50",
        "TOTAL",
        "50,50",
    ]


def test_a_receipt_the_tiny_reading_confirms_is_not_read_again_in_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paper, truth = _paper_receipt()
    buf = io.BytesIO()
    Image.fromarray(paper).save(buf, "PNG")
    out = extract_bytes(buf.getvalue(), today=TODAY)
    assert out["debug"]["readers"] == ["tiny", "small-top"]
    assert (out["date"], out["total"], out["merchant"]) == (truth["date"], truth["total"], truth["merchant"])

    def unconfirmed(gray: np.ndarray) -> list[rapid.Box]:
        return [b for b in tiny.read_boxes(gray) if not b[5].text.replace(",", "").replace(".", "").isdigit()]

    monkeypatch.setitem(pipeline.READERS, "tiny", unconfirmed)  # the amounts unread: nothing adds up
    again = extract_bytes(buf.getvalue(), today=TODAY)
    assert again["debug"]["readers"] == ["tiny", "small"]
    assert (again["date"], again["total"]) == (truth["date"], truth["total"])


def _paper_receipt(seed: int = 3) -> tuple[np.ndarray, dict]:
    rng = random.Random(seed)
    receipt = make_receipt(rng, "supermarket", TODAY)
    return render(receipt, rng), receipt.truth


def test_a_pdf_receipt_goes_through_the_same_pipeline() -> None:
    paper, truth = _paper_receipt()
    buf = io.BytesIO()
    Image.fromarray(paper).save(buf, "PDF", resolution=406)  # an e-mailed e-receipt
    result = extract_bytes(buf.getvalue(), today=TODAY)
    assert result["total"] == truth["total"]
    assert result["date"] == truth["date"]


def test_a_file_that_is_neither_image_nor_pdf_is_refused_in_danish_and_english() -> None:
    with pytest.raises(OcrInputError) as err:
        extract_bytes(b"<html><body>kvittering</body></html>")
    assert err.value.code == "not_an_image"
    assert "PDF" in err.value.message["da"] and "PDF" in err.value.message["en"]


def test_a_pdf_without_pages_is_refused() -> None:
    with pytest.raises(OcrInputError) as err:
        extract_bytes(b"%PDF-1.4\n%%EOF\n")
    assert err.value.code == "pdf_unreadable"


def test_printed_company_name_is_not_overridden_by_the_chain_list() -> None:
    d = decide(read_all(lines_from_text("Shell\nHolbæk Tankstation ApS\nHolbækvej 2\nI ALT 100,00")), TODAY)
    assert d.values["merchant"] == "Shell (Holbæk Tankstation ApS)"
    d = decide(read_all(lines_from_text("Holbæk Tankstation ApS\nHolbækvej 2\nShell\nI ALT 100,00")), TODAY)
    assert d.values["merchant"] == "Holbæk Tankstation ApS"


def test_a_chain_is_given_as_printed() -> None:
    d = decide(read_all(lines_from_text("Circle K Holbæk\nHolbækvej 2\nI ALT 100,00")), TODAY)
    assert d.values["merchant"] == "Circle K Holbæk"


def test_handwriting_above_the_print_is_not_the_merchant() -> None:
    lines = [Line((Word("Mette", 41.0), Word("Hansen", 38.0))), *lines_from_text("Café Ellen\nAhlgade 3")]
    d = decide(read_all(lines), TODAY)
    assert d.values["merchant"] == "Café Ellen"


def test_a_chain_name_that_is_a_common_word_needs_the_line_to_be_the_name() -> None:
    d = decide(read_all(lines_from_text("BAJA FRESH\nNormal price 12.00\nTOTAL 12.00")), TODAY)
    assert d.values["merchant"] == "BAJA FRESH"


def test_the_cli_judges_dates_against_the_today_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, truth = _paper_receipt()
    path = tmp_path / "receipt.png"
    Image.fromarray(paper).save(path)
    day = dt.date.fromisoformat(truth["date"])
    assert cli(["extract", str(path), "--today", (day + dt.timedelta(days=800)).isoformat()]) == 0
    late = json.loads(capsys.readouterr().out)
    assert late["date"] == truth["date"] and late["reasons"]["date"]["code"] == "date_old"
    assert cli(["extract", str(path), "--today", (day - dt.timedelta(days=30)).isoformat()]) == 0
    early = json.loads(capsys.readouterr().out)
    assert early["date"] is None and early["reasons"]["date"]["code"] == "date_implausible"


def test_the_detectors_input_table_is_the_librarys_own_arithmetic() -> None:
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    grey = np.arange(256, dtype=np.uint8).reshape(16, 16)
    img = np.stack([grey] * 3, axis=-1)
    library = DetPreProcess(736, "min").normalize(img).astype(np.float32)
    assert np.array_equal(rapid._DET_LUT[img], library)


def test_felts_reading_steps_read_exactly_what_rapidocr_reads_without_the_coarse_pass() -> None:
    paper, _ = _paper_receipt()
    img = np.stack([paper] * 3, axis=-1) if paper.ndim == 2 else paper
    assert rapid.COARSE_SCALE == 0
    with rapid._run_lock:
        boxes, txts, scores = rapid._read(rapid._engine(), img)
        library = rapid._engine()(img)
    assert txts == tuple(library.txts) and scores == pytest.approx(tuple(library.scores))
    assert np.allclose(boxes, np.asarray(library.boxes, np.float32), atol=1e-3)


def test_big_print_is_detected_at_half_size_and_reads_the_same_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paper, truth = _paper_receipt()
    buf = io.BytesIO()
    Image.fromarray(paper).save(buf, "PNG")
    calls: list[float] = []
    detect = rapid._detect

    def spy(
        det: object, img: np.ndarray, scale: float, short_side: int
    ) -> tuple[np.ndarray, tuple[int, int]]:
        calls.append(scale)
        return detect(det, img, scale, short_side)

    monkeypatch.setattr(rapid, "_detect", spy)
    monkeypatch.setattr(rapid, "COARSE_SCALE", 0.5)  # off in production (README), kept measurable
    coarse = decide(read_all(rapid.read_lines(paper)), TODAY)
    assert calls == [0.5]  # the coarse boxes were kept: one detector run
    monkeypatch.setattr(rapid, "COARSE_SCALE", 0)
    full = decide(read_all(rapid.read_lines(paper)), TODAY)
    assert [coarse.values[f] for f in FIVE] == [full.values[f] for f in FIVE]
    assert (coarse.values["date"], coarse.values["total"]) == (truth["date"], truth["total"])


def test_small_print_is_detected_again_at_the_usual_size() -> None:
    lines = np.array([[[0, y], [300, y], [300, y + 12], [0, y + 12]] for y in range(0, 600, 20)], np.float32)
    assert rapid._line_height(lines, 1280, 640) < rapid.COARSE_MIN_LINE_PX  # 12 × 640/1280 = 6
    assert rapid._line_height(lines * 3, 1280, 640) >= rapid.COARSE_MIN_LINE_PX
    assert rapid._line_height(np.zeros((0, 4, 2), np.float32), 1280, 640) == 0.0


def _boxes_of_height(h: float, n: int = 20) -> list[rapid.Box]:
    return [_box(50, 60 * i, 400, 60 * i + h, f"LINE {i}") for i in range(n)]


def test_a_long_scan_with_tall_print_is_not_upscaled_for_the_small_detector() -> None:
    scan = np.full((2600, 871), 255, np.uint8)  # the library first fits it to 1280 × 429
    side = pipeline._short_side(scan, _boxes_of_height(40))  # lines ~20 px there
    assert 429 < side < rapid.DET_SHORT_SIDE
    assert 40 * 1280 / 2600 * side / 429 == pytest.approx(pipeline.DET_LINE_PX, abs=1)


def test_a_small_photo_with_small_print_is_still_upscaled_as_the_library_does() -> None:
    web = np.full((800, 600), 255, np.uint8)
    assert pipeline._short_side(web, _boxes_of_height(16)) == rapid.DET_SHORT_SIDE
    assert pipeline._short_side(web, []) == rapid.DET_SHORT_SIDE
    assert (
        pipeline._short_side(np.full((2000, 1500), 255, np.uint8), _boxes_of_height(60))
        == rapid.DET_SHORT_SIDE
    )


def test_the_slope_vote_samples_a_page_of_numbers_and_still_finds_the_slope(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [(f"VARE {i}", f"{i},95") for i in range(12)]
    page, boxes = _tilted(0.1, rows)
    monkeypatch.setattr(tiny, "MAX_PAIRS", 40)  # fewer than the page's side-by-side pairs
    assert tiny.level(boxes, page)[0][4] == pytest.approx(0.1, abs=0.02)


def test_a_strip_is_not_scaled_up_past_the_detectors_pixel_budget() -> None:
    strip = np.full((19, 1280, 3), 255, np.uint8)  # 20000 × 300 px fitted to 1280 px
    with rapid._run_lock:
        _, (h, w) = rapid._detect(rapid._engine()._load_det_model(), strip, 1.0)
    assert h * w <= rapid.DET_MAX_PIXELS * 1.1 and h < rapid.DET_SHORT_SIDE
