"""python -m ocr.synth OUT_DIR --count N --seed S"""

from __future__ import annotations

import argparse
import sys
import time

from ocr.synth import generate


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m ocr.synth", description="Generate synthetic Danish receipt photos."
    )
    p.add_argument("out_dir")
    p.add_argument("--count", type=int, default=40)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    start = time.perf_counter()
    truth = generate(args.out_dir, args.count, args.seed)
    print(
        f"{len(truth)} photos and truth.json in {args.out_dir} ({time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
