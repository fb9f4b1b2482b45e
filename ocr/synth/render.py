"""Print a synthetic receipt: rows of text on thermal paper, as a grayscale image.

Thermal tills print a fixed-width font at 203 dpi, 576 dots across 80 mm; we render at twice that
for a clean source and let ``photo`` degrade it. Fonts are DejaVu and Liberation (Debian packages
fonts-dejavu-core and fonts-liberation).
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.synth.content import Receipt

WIDTH = 1152  # 80 mm thermal paper at 406 dpi
MARGIN = 48
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
MONO = (
    ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf"),
)
# The second style's tills: all-bold print, a slanted mono face, and a dot-matrix look (below).
OTHER_MONO = (
    ("LiberationMono-Bold.ttf", "LiberationMono-Bold.ttf"),
    ("DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf"),
    ("LiberationMono-Italic.ttf", "LiberationMono-BoldItalic.ttf"),
    ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
)
PROPORTIONAL = (
    ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
)


def _find(name: str) -> Path:
    for d in FONT_DIRS:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(f"font {name} not found: install fonts-dejavu-core and fonts-liberation")


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_find(name)), size)


def render(receipt: Receipt, rng: random.Random) -> np.ndarray:
    """White paper, black print, uint8 grayscale."""
    other = "other_layout" in receipt.notes
    mono = receipt.style != "cafe" or rng.random() < 0.5
    regular, bold = rng.choice(OTHER_MONO if other else MONO if mono else PROPORTIONAL)
    band = other and rng.random() < 0.6  # the shop's name white on a black band
    dots = other and rng.random() < 0.35  # a dot-matrix printer: every stroke made of dots
    usable = WIDTH - 2 * MARGIN
    # Fit ``chars`` monospace characters across the paper, as the till does.
    size = 10
    while _font(regular, size + 1).getlength("M" * receipt.chars) <= usable:
        size += 1
    line_h = int(size * rng.uniform(1.25, 1.5))
    height = MARGIN * 3 + sum(line_h * (2 if r.kind in {"big", "center_big"} else 1) for r in receipt.rows)
    img = Image.new("L", (WIDTH, height), 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN * 2
    for row in receipt.rows:
        if row.kind == "blank":
            y += line_h
            continue
        if row.kind == "rule":
            draw.text((MARGIN, y), "-" * receipt.chars, font=_font(regular, size), fill=0)
            y += line_h
            continue
        big = row.kind in {"big", "center_big"}
        font = _font(bold if big or row.kind == "bold" else regular, int(size * (1.8 if big else 1)))
        if row.kind.startswith("center"):
            w = font.getlength(row.left)
            if w > usable:  # a long name in the big font: shrink to fit the paper
                font = _font(bold, max(size, int(font.size * usable / w)))
                w = font.getlength(row.left)
            if band and big:
                draw.rectangle(
                    (MARGIN // 2, y - line_h // 4, WIDTH - MARGIN // 2, y + int(line_h * 1.9)), fill=0
                )
                draw.text(((WIDTH - w) / 2, y), row.left, font=font, fill=255)
            else:
                draw.text(((WIDTH - w) / 2, y), row.left, font=font, fill=0)
        else:
            draw.text((MARGIN, y), row.left, font=font, fill=0)
            if row.right:
                draw.text((WIDTH - MARGIN - font.getlength(row.right), y), row.right, font=font, fill=0)
        y += line_h * (2 if big else 1)
    out = np.asarray(img)
    if dots:
        # Ink only where the print head's pins are: a grid of round dots 4 px apart.
        yy, xx = np.mgrid[0 : out.shape[0], 0 : out.shape[1]]
        pins = ((yy % 4 - 1.5) ** 2 + (xx % 4 - 1.5) ** 2) <= 2.6
        out = np.where(pins, out, 255).astype(np.uint8)
    return out
