"""OCR benchmark: Felt's pipeline against raw tesseract, on every set, in one run and one table.

    .venv/bin/python -m bench.ocr [--sets synth,synth2,sroie,wild] [--limit N] [-v]

Sets:

- ``synth``: 40 generated Danish phone photos (``ocr.synth``, the classic style, seed 7);
- ``synth2``: 40 generated photos in the second style (other mono fonts, white-on-dark name band,
  a shadow across the amount column, "Cyr.nr.", space thousands, other layouts; seed 8);
- ``sroie``: 100 real scans, ``wild``: 120 real phone photos, from ``../shared/ocr-dev`` (or
  ``$FELT_OCR_DEV``); skipped when absent. Research data: read from there, never copied here.
- ``synth@3``, ``synth2@9``: 40 more of each synthetic style from other seeds, never looked at
  while the field rules were written (the four sets above were): a check for over-fitting.

Each receipt is read one at a time (``--jobs 1``, the default; engines single-threaded) and timed;
the baseline is raw tesseract (dan+eng, ``OMP_THREAD_LIMIT=1``, default page segmentation) on the
same file with the first-regex-match rules anyone would write, timed in the same run. Scoring
follows ``shared/ocr-dev/score.py``: a total compares as a decimal, a date exactly, a merchant
case-insensitively, right when the truth is contained in the prediction or the two are ≥ 80 %
similar; a field the truth lacks is not scored; an empty field is a miss, a filled wrong one
"wrong". ``today`` is fixed per set (the synthetic photos are dated relative to it; the real
sets are from 2002-2018, so 2018-12-31), so results do not depend on the day the bench runs.

``--cache DIR`` keeps each reader's lines per image so the field logic can be re-run in seconds
while it is being worked on; timings are meaningless then and are not printed. ``--reader-set``
runs everything with other ``ocr.rapid`` settings (cached apart), to measure their fields.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import re
import resource
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before tesseract is loaded: one thread each

import cv2
import numpy as np
import pytesseract

from ocr import OcrInputError, extract, pipeline, warm_up
from ocr.synth import generate

SYNTH_TODAY = dt.date(2026, 11, 30)
REAL_TODAY = dt.date(2018, 12, 31)
REPO = Path(__file__).resolve().parent.parent
DEV = Path(os.environ.get("FELT_OCR_DEV", REPO.parent / "shared" / "ocr-dev"))
FIELDS = ("total", "date", "merchant", "vat", "cvr")
# The goals: (right ≥, wrong ≤) per field; the first synthetic style is held to more.
GOALS = {
    "total": (0.90, 0.03),
    "date": (0.90, 0.03),
    "merchant": (0.85, 0.05),
    "vat": (0.90, 0.03),
    "cvr": (0.90, 0.03),
}
STRICT = (0.95, 0.02)
MEDIAN_GOAL_S, P95_GOAL_S = 1.0, 2.5


# ---- the sets ---------------------------------------------------------------------------------


def synth_set(variant: str, seed: int, count: int) -> tuple[Path, dict[str, dict]]:
    out = Path(f"/tmp/felt-ocr-bench-{variant}-s{seed}-n{count}-{SYNTH_TODAY}")
    truth_file = out / "truth.json"
    if truth_file.exists() and len(json.loads(truth_file.read_text())) == count:
        return out, json.loads(truth_file.read_text())
    start = time.perf_counter()
    truth = generate(out, count, seed, today=SYNTH_TODAY, variant=variant)
    print(
        f"generated {count} {variant} photos in {out} ({time.perf_counter() - start:.0f} s)", file=sys.stderr
    )
    return out, truth


def real_set(name: str) -> tuple[Path, dict[str, dict]] | None:
    folder = DEV / name
    if not (folder / "truth.json").exists():
        print(f"{name}: {folder} not found, skipped", file=sys.stderr)
        return None
    return folder / "img", json.loads((folder / "truth.json").read_text())


def load_sets(names: list[str], limit: int | None) -> dict[str, tuple[Path, dict[str, dict], dt.date]]:
    sets: dict[str, tuple[Path, dict[str, dict], dt.date]] = {}
    for name in names:
        base, _, seed = name.partition("@")  # "synth@3": the same style, other receipts
        if base in ("synth", "synth2"):
            variant = "classic" if base == "synth" else "other"
            folder, truth = synth_set(variant, int(seed or (7 if base == "synth" else 8)), 40)
            today = SYNTH_TODAY
        else:
            found = real_set(name)
            if found is None:
                continue
            (folder, truth), today = found, REAL_TODAY
        if limit:
            truth = dict(sorted(truth.items())[:limit])
        sets[name] = (folder, truth, today)
    return sets


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
            out["date"] = dt.date(y, mo, d).isoformat()
        except ValueError:
            pass
    if m := _B_CVR.search(text):
        out["cvr"] = m.group(1).replace(" ", "")
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 3]
    out["merchant"] = lines[0] if lines else None
    return out


# ---- scoring (the rules of shared/ocr-dev/score.py) -------------------------------------------


def _decimal(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _norm(s: Any) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(s or "")).casefold().split())


def right(field: str, got: Any, want: Any) -> bool:
    """``shared/ocr-dev/score.py``'s rule, exactly: a merchant contains the truth only when it is
    name-sized (at most twice the truth's length + 12), else it must be ≥ 80 % similar."""
    if field == "total" or field == "vat":
        return _decimal(got) is not None and _decimal(got) == _decimal(want)
    if field == "merchant":
        g, w = _norm(got), _norm(want)
        return bool(g) and (
            (w in g and len(g) <= 2 * len(w) + 12) or SequenceMatcher(None, w, g).ratio() >= 0.8
        )
    return _norm(got) == _norm(want)


def half(name: str) -> str:
    """A fixed split of a real set by file-name hash: "a" or "b" (60/60 on wild)."""
    return "b" if hashlib.sha1(name.encode()).digest()[0] % 2 else "a"


def score(results: dict[str, dict], truth: dict[str, dict]) -> dict[str, tuple[int, int, int]]:
    """Per field: (right, wrong, scored receipts)."""
    out = {}
    for field in FIELDS:
        scored = [f for f, t in truth.items() if t.get(field) not in (None, "")]
        ok = sum(
            1
            for f in scored
            if results[f].get(field) not in (None, "") and right(field, results[f][field], truth[f][field])
        )
        filled = sum(1 for f in scored if results[f].get(field) not in (None, ""))
        out[field] = (ok, filled - ok, len(scored))
    return out


# ---- running ------------------------------------------------------------------------------------


def cached(name: str, reader: Callable, cache: Path, settings: dict[str, Any] | None = None) -> Callable:
    """``reader`` with its output kept in ``cache``, keyed by the image, its other arguments and
    the ``--reader-set`` settings it runs with (so a run with other settings never reuses
    another's readings)."""
    salt = json.dumps(settings, sort_keys=True).encode() if settings else b""

    def read(gray: Any, *args: Any) -> Any:
        key = hashlib.sha1(gray.tobytes() + repr(gray.shape).encode() + pickle.dumps(args) + salt).hexdigest()
        path = cache / f"{name}-{key}.pickle"
        if path.exists():
            return pickle.loads(path.read_bytes())
        value = reader(gray, *args)
        path.write_bytes(pickle.dumps(value))
        return value

    return read


def _init(cache: str | None, settings: dict[str, Any] | None = None) -> None:
    """Set up this process (the main one, or each worker): ``settings`` for ``ocr.rapid``,
    ``ocr.tiny`` or ``ocr.pipeline`` (``--reader-set``, keys like ``"pipeline.MERCHANT_BOXES"``),
    the readers cached, or else the models loaded before timing."""
    import importlib

    for k, v in (settings or {}).items():
        module_name, _, attr = k.rpartition(".")
        module = importlib.import_module(f"ocr.{module_name or 'rapid'}")
        if not hasattr(module, attr):
            raise SystemExit(f"--reader-set: {module.__name__} has no setting {attr}")
        setattr(module, attr, v)
    if cache:
        Path(cache).mkdir(parents=True, exist_ok=True)
        for name, reader in list(pipeline.READERS.items()):
            pipeline.READERS[name] = cached(name, reader, Path(cache), settings)
    else:
        warm_up()


def run_one(
    path: Path, today: dt.date, with_baseline: bool
) -> tuple[dict, float, dict | None, float, float, float]:
    start, c = time.perf_counter(), cpu()
    try:
        result = extract(path, today=today)
    except OcrInputError as exc:
        result = {"error": exc.code}
    felt_s, felt_cpu = time.perf_counter() - start, cpu() - c
    base, base_s, base_cpu = None, 0.0, 0.0
    if with_baseline:
        start, c = time.perf_counter(), cpu()
        base = baseline(path)
        base_s, base_cpu = time.perf_counter() - start, cpu() - c
    return result, felt_s, base, base_s, felt_cpu, base_cpu


def cpu() -> float:
    """CPU seconds of this process and its finished children (the tesseract command): unlike
    wall time, not inflated when other work shares the machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def rss_mb() -> float:
    """Resident memory now (MB), from /proc; the peak where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "–"


def engine_ab(sets: dict[str, tuple[Path, dict[str, dict], dt.date]], other: dict[str, Any]) -> None:
    """RapidOCR as the pipeline sets it up (A) against the same with ``other`` parameters (B),
    each photo read by both in turn in this one process, so the machine's load falls on both
    alike: CPU and wall time ratios B ÷ A, and how often B's text differs."""
    from rapidocr import RapidOCR

    from ocr import rapid
    from ocr.image import load_gray, read_source

    engines = {"A": RapidOCR(params=rapid._params()), "B": RapidOCR(params={**rapid._params(), **other})}
    for e in engines.values():
        e(np.full((64, 256, 3), 255, np.uint8))
    for name, (folder, truth, _) in sets.items():
        times: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
        differ = 0
        for i, f in enumerate(sorted(truth)):
            img = cv2.cvtColor(load_gray(read_source(folder / f)), cv2.COLOR_GRAY2BGR)
            texts = {}
            for key in "AB" if i % 2 else "BA":  # alternate who goes first
                start, c = time.perf_counter(), time.process_time()
                out = engines[key](img)
                times[key].append((time.perf_counter() - start, time.process_time() - c))
                texts[key] = tuple(out.txts or ())
            differ += texts["A"] != texts["B"]
        _print_ab(name, times, differ, len(truth))


def reader_ab(sets: dict[str, tuple[Path, dict[str, dict], dt.date]], other: dict[str, Any]) -> None:
    """Felt's RapidOCR reading (``ocr.rapid.read_boxes``) as set up (A) against the same with
    ``other`` module settings of ``ocr.rapid`` (B, e.g. ``{"COARSE_SCALE": 0}``), each photo read
    by both in turn in this one process: CPU and wall time ratios B ÷ A, and how often B's text
    differs (then the fields must be measured again with B before it is adopted)."""
    from ocr import rapid
    from ocr.image import load_gray, read_source

    settings = {"A": {k: getattr(rapid, k) for k in other}, "B": other}
    rapid.warm_up()
    for name, (folder, truth, _) in sets.items():
        times: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
        differ = 0
        for i, f in enumerate(sorted(truth)):
            gray = load_gray(read_source(folder / f))
            texts = {}
            for key in "AB" if i % 2 else "BA":  # alternate who goes first
                for k, v in settings[key].items():
                    setattr(rapid, k, v)
                start, c = time.perf_counter(), time.process_time()
                out = rapid.read_boxes(gray)
                times[key].append((time.perf_counter() - start, time.process_time() - c))
                texts[key] = tuple(b[5].text for b in out)
            differ += texts["A"] != texts["B"]
        for k, v in settings["A"].items():
            setattr(rapid, k, v)
        _print_ab(name, times, differ, len(truth))


def _print_ab(name: str, times: dict[str, list[tuple[float, float]]], differ: int, n: int) -> None:
    wall = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
    cpu_t = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
    print(
        f"{name}: median wall A {wall['A']:.2f} s B {wall['B']:.2f} s (B÷A {wall['B'] / wall['A']:.2f}); "
        f"median CPU A {cpu_t['A']:.2f} s B {cpu_t['B']:.2f} s (B÷A {cpu_t['B'] / cpu_t['A']:.2f}); "
        f"total CPU B÷A {sum(t[1] for t in times['B']) / sum(t[1] for t in times['A']):.2f}; "
        f"text differs on {differ}/{n}"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.ocr")
    p.add_argument("--sets", default="synth,synth2,sroie,wild,synth@3,synth2@9")
    p.add_argument("--limit", type=int, default=None, help="first N receipts of each set (while iterating)")
    p.add_argument("--jobs", type=int, default=1, help="receipts read at once (timings only with 1)")
    p.add_argument("--cache", default=None, help="keep the readers' output here (for tuning; no timings)")
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--dump", type=Path, default=None, help="write every result here as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="list every wrong or empty field")
    p.add_argument(
        "--engine-ab",
        type=json.loads,
        default=None,
        help="time RapidOCR as set up against other parameters, e.g. '{\"Det.limit_side_len\": 736}'",
    )
    p.add_argument(
        "--reader-ab",
        type=json.loads,
        default=None,
        help="time ocr.rapid as set against other module settings, e.g. '{\"COARSE_SCALE\": 0}'",
    )
    p.add_argument(
        "--reader-set",
        type=json.loads,
        default=None,
        help="run the whole bench with other ocr.rapid settings, e.g. '{\"COARSE_SCALE\": 0.5}'",
    )
    args = p.parse_args(argv)
    if args.reader_ab is not None:
        reader_ab(load_sets(args.sets.split(","), args.limit), args.reader_ab)
        return 0
    if args.engine_ab is not None:
        engine_ab(load_sets(args.sets.split(","), args.limit), args.engine_ab)
        return 0
    timed = args.jobs == 1 and not args.cache
    with_baseline = not args.no_baseline and not args.cache
    sets = load_sets(args.sets.split(","), args.limit)

    if args.jobs == 1:
        _init(args.cache, args.reader_set)
    pool = (
        ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(args.cache, args.reader_set))
        if args.jobs > 1
        else None
    )
    rss_loaded = rss_mb()
    rows: list[str] = []
    speed: list[str] = []
    missed: list[str] = []
    dump: dict[str, dict] = {}
    for name, (folder, truth, today) in sets.items():
        files = sorted(truth)
        jobs = [(folder / f, today, with_baseline) for f in files]
        if pool:
            outs = list(pool.map(run_one, *zip(*jobs, strict=True)))
        else:
            outs = []
            for i, job in enumerate(jobs, 1):
                outs.append(run_one(*job))
                print(
                    f"{name} {i}/{len(jobs)} {job[0].name} felt {outs[-1][1]:.2f} s raw {outs[-1][3]:.2f} s",
                    file=sys.stderr,
                )
        felt = {f: o[0] for f, o in zip(files, outs, strict=True)}
        dump[name] = felt
        fs = score(felt, truth)
        bs = (
            score({f: o[2] or {} for f, o in zip(files, outs, strict=True)}, truth) if with_baseline else None
        )
        cells = []
        for field in FIELDS:
            ok, wrong, n = fs[field]
            if not n:
                cells.append("–")
                continue
            cell = f"{pct(ok, n)} / {pct(wrong, n)}"
            if bs:
                cell += f" ({pct(bs[field][0], n)} / {pct(bs[field][1], n)})"
            cells.append(cell)
            goal_right, goal_wrong = STRICT if name.partition("@")[0] == "synth" else GOALS[field]
            if ok / n < goal_right or wrong / n > goal_wrong:
                missed.append(f"{name}.{field} {pct(ok, n)}/{pct(wrong, n)}")
        rows.append(f"| {name} ({len(files)}) | " + " | ".join(cells) + " |")
        if name in ("sroie", "wild"):  # the halves: rules tuned on one can be checked on the other
            for h in "ab":
                part = {f: t for f, t in truth.items() if half(f) == h}
                hs = score({f: felt[f] for f in part}, part)
                cells = [
                    f"{pct(hs[fd][0], hs[fd][2])} / {pct(hs[fd][1], hs[fd][2])}" if hs[fd][2] else "–"
                    for fd in FIELDS
                ]
                rows.append(f"| {name}[{h}] ({len(part)}) | " + " | ".join(cells) + " |")
        for field in FIELDS:
            ok, wrong, n = fs[field]
            print(f"{name}_{field}_right: {ok / n if n else 0:.3f}")
            print(f"{name}_{field}_wrong: {wrong / n if n else 0:.3f}")
        full = [("small" in r.get("debug", {}).get("readers", [])) for r in felt.values()]
        print(f"{name}_read_twice_share: {sum(full) / len(full):.3f}")
        if timed:
            felt_t = sorted(o[1] for o in outs)
            med, p95 = statistics.median(felt_t), felt_t[min(len(felt_t) - 1, int(0.95 * len(felt_t)))]
            cpu_t = sorted(o[4] for o in outs)
            cpu_med, cpu_p95 = statistics.median(cpu_t), cpu_t[min(len(cpu_t) - 1, int(0.95 * len(cpu_t)))]
            line = f"| {name} | {med:.2f} s | {p95:.2f} s | {cpu_med:.2f} s | {cpu_p95:.2f} s |"
            if with_baseline:
                raw_med = statistics.median(o[3] for o in outs)
                raw_cpu = statistics.median(o[5] for o in outs)
                line += (
                    f" {raw_med:.2f} s | {raw_cpu:.2f} s | {med / raw_med:.2f}× | {cpu_med / raw_cpu:.2f}× |"
                )
            speed.append(line)
            print(f"{name}_median_s: {med:.3f}")
            print(f"{name}_p95_s: {p95:.3f}")
            print(f"{name}_cpu_median_s: {cpu_med:.3f}")
            if med > MEDIAN_GOAL_S or p95 > P95_GOAL_S:
                missed.append(f"{name}.speed {med:.2f}/{p95:.2f} s")
        if args.verbose:
            for f in files:
                for field in FIELDS:
                    want = truth[f].get(field)
                    got = felt[f].get(field)
                    if want in (None, "") or (got not in (None, "") and right(field, got, want)):
                        continue
                    sugg = felt[f].get("suggestions", {}).get(field)
                    kind = "empty" if got in (None, "") else "WRONG"
                    print(
                        f"  {name} {f} {field}: {kind} got={got!r} sugg={sugg!r} truth={want!r}",
                        file=sys.stderr,
                    )
    if pool:
        pool.shutdown()

    print()
    print("| set (receipts) | total | date | merchant | VAT | CVR |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(
        "\nright / filled in wrongly" + (" (raw tesseract + regexes: right / wrong)" if with_baseline else "")
    )
    if speed:
        print(
            "\n| set | median | p95 | CPU median | CPU p95 | raw median | raw CPU median | ÷ raw | CPU ÷ raw CPU |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        print("\n".join(speed))
    if args.jobs == 1:
        print(f"\nrss_models_loaded_mb: {rss_loaded:.0f}")
        print(f"rss_after_run_mb: {rss_mb():.0f}")
        print(f"rss_peak_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    print(f"load_average_1_5_15: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"goals_missed: {'; '.join(missed) or 'none'}")
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
