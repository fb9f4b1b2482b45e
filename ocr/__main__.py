"""Command line: ``python -m ocr extract IMAGE...`` and ``python -m ocr batch DIR OUT.json``.

``--today YYYY-MM-DD`` sets the day dates are judged against (an old date is filled with a
warning, a future one refused); the clock's date by default. ``batch --jobs N`` reads N receipts
at once in separate processes (each engine single-threaded).

``extract`` prints one JSON object per image (``{"file": ..., **result}`` or
``{"file": ..., "error": {"code", "da", "en"}}``), one per line. ``batch`` writes
``{file name: result}`` for every .jpg/.jpeg/.png in DIR, with progress on stderr.
Exit status: 0 when every image was read, 1 when some were refused as bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ocr import OcrInputError, extract, warm_up

SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".webp", ".pdf"}


def _one(path: Path, today: dt.date | None = None) -> dict[str, Any]:
    try:
        return extract(path, today=today)
    except OcrInputError as exc:
        return {"error": {"code": exc.code, **exc.message}}
    except OSError as exc:  # missing file, permissions: say so, go on with the next image
        return {
            "error": {
                "code": "unreadable",
                "da": f"Filen kan ikke læses: {exc.strerror}",
                "en": f"Cannot read the file: {exc.strerror}",
            }
        }


def cmd_extract(paths: list[Path], today: dt.date | None = None) -> int:
    status = 0
    for path in paths:
        result = _one(path, today)
        status |= "error" in result
        print(json.dumps({"file": str(path), **result}, ensure_ascii=False))
    return status


def cmd_batch(directory: Path, out: Path, today: dt.date | None = None, jobs: int = 1) -> int:
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    results: dict[str, Any] = {}
    status = 0
    start = time.perf_counter()
    if jobs > 1:
        with ProcessPoolExecutor(jobs, initializer=warm_up) as pool:
            outcomes = pool.map(_one, files, [today] * len(files))
            for i, (path, result) in enumerate(zip(files, outcomes, strict=True), 1):
                results[path.name] = result
                print(f"{i}/{len(files)} {path.name} {time.perf_counter() - start:.1f} s", file=sys.stderr)
    else:
        for i, path in enumerate(files, 1):
            start = time.perf_counter()
            results[path.name] = _one(path, today)
            print(f"{i}/{len(files)} {path.name} {time.perf_counter() - start:.1f} s", file=sys.stderr)
    status = int(any("error" in r for r in results.values()))
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return status


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ocr", description="Read Danish receipts from photos.")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="print JSON per image")
    e.add_argument("images", nargs="+", type=Path)
    b = sub.add_parser("batch", help="write {file name: result} for every image or PDF in DIR")
    b.add_argument("directory", type=Path)
    b.add_argument("out", type=Path)
    b.add_argument("--jobs", type=int, default=1, help="receipts read at once (processes)")
    for cmd in (e, b):
        cmd.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
    args = p.parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args.images, args.today)
    return cmd_batch(args.directory, args.out, args.today, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
