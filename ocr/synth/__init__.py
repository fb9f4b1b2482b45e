"""Synthetic Danish receipt photos with ground truth, for tests and the bench.

``generate(out_dir, count, seed)`` writes ``receipt_NNN.jpg`` and ``truth.json``; the same seed
gives the same receipts (dates are relative to ``today``). CLI: ``python -m ocr.synth OUT --count N
--seed S``. About one in seven photos is a named hard case (faded, strong shadow, small in the
frame, blurred, on a white table, crumpled, cut off, dim): kept on purpose, the OCR should leave
fields empty there rather than guess.

``variant="other"`` is the second style, made to test that the OCR is not tied to this generator:
other mono faces (all-bold, slanted, dot-matrix), the name white on a black band, a shadow cast
across the amount column, "Cyr.nr." for "CVR-nr.", thousands separated by a space, the total's
amount on the line below its label (``content.other_layout``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import numpy as np

from ocr.synth.content import STYLES, make_receipt
from ocr.synth.photo import HARD_CASES, photograph
from ocr.synth.render import render

HARD_SHARE = 0.15
EXIF_SHARE = 0.15


def generate_one(seed: int, index: int, today: dt.date, variant: str = "classic") -> tuple[bytes, dict]:
    rng = random.Random(f"{seed}-{index}")
    nrng = np.random.default_rng([seed, index])
    style = STYLES[index % len(STYLES)]
    receipt = make_receipt(rng, style, today, variant)
    paper = render(receipt, rng)
    hard = rng.choice(HARD_CASES) if rng.random() < HARD_SHARE else None
    exif_turn = rng.choice([6, 8]) if rng.random() < EXIF_SHARE else 0
    data, notes = photograph(
        paper, nrng, hard, exif_turn, column_shadow=variant == "other" and rng.random() < 0.5
    )
    truth = {**receipt.truth, "style": style, "hard": hard, "distortions": notes}
    return data, truth


def generate(
    out_dir: str | Path, count: int, seed: int = 0, today: dt.date | None = None, variant: str = "classic"
) -> dict[str, dict]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    today = today or dt.date.today()
    truth = {}
    for i in range(count):
        data, t = generate_one(seed, i, today, variant)
        name = f"receipt_{i:03d}.jpg"
        (out / name).write_bytes(data)
        truth[name] = t
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8")
    return truth
