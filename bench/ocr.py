"""OCR benchmark: the Felt pipeline against raw tesseract + simple regexes, same photos, same run.

    .venv/bin/python -m bench.ocr [--count 40] [--seed 7] [--dir DIR] [--no-baseline] [-v]

Generates (or reuses) a seeded set of synthetic Danish receipt photos (``ocr.synth``), runs both
readers on every photo and prints ``name: value`` lines: per field the share right / filled in
wrongly / left empty, how often a *filled* field is wrong, and seconds per receipt. "Right" means
the value equals the truth (merchant: ignoring case, spaces and punctuation); an empty field is
never right when the receipt shows the value. The baseline is what the issue describes: tesseract
(dan+eng, default settings) on the photo file as it is, then the first regex match per field.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import pytesseract

import ocr.read  # noqa: F401  (same tesseract environment for both readers: one thread each)
from ocr import FIELDS, OcrInputError, extract
from ocr.fields import merchant_key
from ocr.synth import generate

GOALS = {"total": 0.95, "date": 0.95, "vat": 0.95, "cvr": 0.95, "merchant": 0.90}
MAX_WRONG = 0.02


# ---- the baseline: raw tesseract + the regexes anyone would write first ----------------------

_AMT = r"(\d{1,3}(?:[.,]\d{3})*[.,]\d{2})"
_B_TOTAL = re.compile(r"(?:I ALT|TOTAL|AT BETALE)[^\n]*?" + _AMT, re.I)
_B_VAT = re.compile(r"(?:MOMS|VAT)[^\n]*?" + _AMT + r"(?!.*\d[.,]\d\d)", re.I)
_B_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b|\b(20\d\d)-(\d\d)-(\d\d)\b")
_B_CVR = re.compile(r"(?:CVR|SE)[^\d\n]{0,12}((?:\d ?){8})", re.I)


def _b_amount(s: str) -> str:
    whole, dec = re.sub(r"[.,]", "", s[:-3]), s[-2:]
    return f"{int(whole)}.{dec}"


def baseline(path: Path) -> dict[str, str | None]:
    text = pytesseract.image_to_string(str(path), lang="dan+eng")
    out: dict[str, str | None] = dict.fromkeys(FIELDS)
    if m := _B_TOTAL.search(text):
        out["total"] = _b_amount(m.group(1))
    if m := _B_VAT.search(text):
        out["vat"] = _b_amount(m.group(1))
    if m := _B_DATE.search(text):
        try:
            if m.group(4):
                y, mo, d = int(m.group(4)), int(m.group(5)), int(m.group(6))
            else:
                d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
                y += 2000 if y < 100 else 0
            out["date"] = f"{y:04d}-{mo:02d}-{d:02d}"
        except ValueError:
            pass
    if m := _B_CVR.search(text):
        out["cvr"] = m.group(1).replace(" ", "")
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 3]
    out["merchant"] = lines[0] if lines else None
    return out


# ---- scoring ---------------------------------------------------------------------------------


def verdict(field: str, got: str | None, want: str | None) -> str:
    if got is None:
        return "right" if want is None else "empty"
    if field == "merchant":
        return "right" if merchant_key(got) == merchant_key(want) else "wrong"
    return "right" if got == want else "wrong"


def score(
    name: str, results: dict[str, dict], truth: dict[str, dict], seconds: list[float]
) -> dict[str, float]:
    n = len(truth)
    figures: dict[str, float] = {}
    for field in FIELDS:
        counts = {"right": 0, "wrong": 0, "empty": 0}
        for file, t in truth.items():
            counts[verdict(field, results[file].get(field), t.get(field))] += 1
        filled = sum(1 for file in truth if results[file].get(field) is not None)
        figures[f"{field}_right"] = counts["right"] / n
        figures[f"{field}_wrong"] = counts["wrong"] / n
        figures[f"{field}_empty"] = counts["empty"] / n
        figures[f"{field}_wrong_when_filled"] = counts["wrong"] / filled if filled else 0.0
    figures["seconds_per_receipt"] = sum(seconds) / n
    for key, value in figures.items():
        print(f"{name}_{key}: {value:.3f}")
    return figures


def cpu() -> float:
    """CPU seconds of this process and its finished children (the tesseract command): unlike
    wall time, not inflated when other work shares the machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ocr")
    p.add_argument("--count", type=int, default=40)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--dir", type=Path, default=None, help="where the photos go (reused if the set matches)")
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true", help="list every wrong or empty field")
    args = p.parse_args(argv)

    out = args.dir or Path(f"/tmp/felt-ocr-bench-s{args.seed}-n{args.count}")
    truth_file = out / "truth.json"
    if truth_file.exists() and len(json.loads(truth_file.read_text())) == args.count:
        truth = json.loads(truth_file.read_text())
    else:
        start = time.perf_counter()
        truth = generate(out, args.count, args.seed)
        print(
            f"generated {args.count} photos in {out} ({time.perf_counter() - start:.0f} s)", file=sys.stderr
        )

    felt: dict[str, dict] = {}
    base: dict[str, dict] = {}
    felt_s: list[float] = []
    base_s: list[float] = []
    felt_cpu: list[float] = []
    base_cpu: list[float] = []
    extract(out / sorted(truth)[0])  # load the tesseract models once, as a server worker does
    for i, file in enumerate(sorted(truth), 1):
        path = out / file
        start, c = time.perf_counter(), cpu()
        try:
            felt[file] = extract(path)
        except OcrInputError as exc:
            felt[file] = {"error": exc.code}
        felt_s.append(time.perf_counter() - start)
        felt_cpu.append(cpu() - c)
        if not args.no_baseline:
            start, c = time.perf_counter(), cpu()
            base[file] = baseline(path)
            base_s.append(time.perf_counter() - start)
            base_cpu.append(cpu() - c)
        print(
            f"{i}/{len(truth)} {file} felt {felt_s[-1]:.1f} s"
            + (f" raw {base_s[-1]:.1f} s" if base_s else ""),
            file=sys.stderr,
        )

    print(f"photos: {len(truth)}")
    print(f"hard_cases: {sum(1 for t in truth.values() if t['hard'])}")
    f = score("felt", felt, truth, felt_s)
    normal = {k: v for k, v in truth.items() if not v["hard"]}
    score(
        "felt_not_hard", felt, normal, [s for k, s in zip(sorted(truth), felt_s, strict=True) if k in normal]
    )
    print(f"felt_cpu_seconds_per_receipt: {sum(felt_cpu) / len(felt_cpu):.3f}")
    if not args.no_baseline:
        b = score("raw", base, truth, base_s)
        print(f"raw_cpu_seconds_per_receipt: {sum(base_cpu) / len(base_cpu):.3f}")
        print(f"speed_ratio_raw_over_felt: {b['seconds_per_receipt'] / f['seconds_per_receipt']:.2f}")
        print(f"cpu_ratio_raw_over_felt: {sum(base_cpu) / sum(felt_cpu):.2f}")
    print(
        f"felt_second_readings: {sum(1 for r in felt.values() if r.get('debug', {}).get('readings') == 2) / len(felt):.3f}"
    )
    fails = [name for name in FIELDS if f[f"{name}_right"] < GOALS[name] or f[f"{name}_wrong"] > MAX_WRONG]
    print(f"goals_missed: {','.join(fails) or 'none'}")
    if args.verbose:
        for file, t in sorted(truth.items()):
            for field in FIELDS:
                got = felt[file].get(field)
                v = verdict(field, got, t.get(field))
                if v != "right":
                    sugg = felt[file].get("suggestions", {}).get(field)
                    print(
                        f"  {file} {t['style']:<11} hard={t['hard']} {field}: {v} got={got!r} suggested={sugg!r} truth={t.get(field)!r}",
                        file=sys.stderr,
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
