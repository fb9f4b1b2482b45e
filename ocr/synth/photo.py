"""Turn a printed receipt into a phone photo: on a table, tilted, in perspective, unevenly lit,
blurred, noisy, JPEG-compressed, thermal print faded, sometimes stored sideways with an EXIF
orientation tag (as phones do). Each distortion is drawn from the seeded generator and named in
the ground truth, so the bench can say which ones fail.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

HARD_CASES = ("faded", "strong_shadow", "small", "blur", "white_table", "crumpled", "cut_off", "dim")


def _field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """Smooth random field in [0, 1]: noise on a coarse grid, upscaled."""
    coarse = rng.random((cells, cells)).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def background(rng: np.random.Generator, h: int, w: int, white: bool) -> np.ndarray:
    kind = "white" if white else rng.choice(["wood", "plain", "fabric", "dark"])
    small = (h // 4, w // 4)
    if kind == "wood":
        base = np.array(rng.choice([[120, 80, 45], [160, 115, 70], [95, 60, 35], [180, 140, 95]]), np.float32)
        y = np.linspace(0, 1, small[0], dtype=np.float32)[:, None]
        grain = np.sin((y * rng.uniform(30, 90) + _field(rng, small, 6) * 8) * np.pi) * 0.5 + 0.5
        tex = 0.8 + 0.3 * grain * _field(rng, small, 20)
    elif kind == "fabric":
        base = np.array(rng.choice([[60, 70, 110], [110, 40, 40], [70, 100, 70], [90, 90, 95]]), np.float32)
        tex = 0.85 + 0.3 * rng.random(small, dtype=np.float32)
    elif kind == "dark":
        base = np.array(rng.choice([[40, 40, 45], [25, 30, 35], [60, 55, 50]]), np.float32)
        tex = 0.9 + 0.2 * _field(rng, small, 12)
    elif kind == "white":
        base = np.array([225, 225, 222], np.float32)
        tex = 0.95 + 0.07 * _field(rng, small, 8)
    else:
        base = np.array(rng.choice([[150, 150, 150], [190, 180, 160], [120, 130, 140]]), np.float32)
        tex = 0.9 + 0.15 * _field(rng, small, 10)
    tex = cv2.resize(tex.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    return tex[..., None] * base[None, None, :]


def thermal(paper: np.ndarray, rng: np.random.Generator, fade: float, crumpled: bool) -> np.ndarray:
    """Ink density reduced, dots dropped, head streaks; paper a little off-white. Float 0..255."""
    ink = (255.0 - paper.astype(np.float32)) / 255.0
    h, w = ink.shape
    dropout = (rng.random((h, w), dtype=np.float32) < rng.uniform(0.0, 0.25)).astype(np.float32)
    ink *= 1.0 - 0.6 * cv2.GaussianBlur(dropout, (3, 3), 0)
    streaks = 1.0 - 0.4 * (rng.random(w // 8 + 1, dtype=np.float32) < 0.05)
    ink *= np.repeat(streaks, 8)[:w][None, :]
    level = rng.uniform(232, 250)
    out = level - ink * fade * (level - 25)
    light = 1.0 + 0.06 * (_field(rng, (h, w), 5) - 0.5)
    if crumpled:  # folds: long bright/dark bands at random angles
        for _ in range(int(rng.integers(2, 5))):
            yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
            a = rng.uniform(0, np.pi)
            d = (np.cos(a) * xx + np.sin(a) * yy) - rng.uniform(0, max(h, w))
            light *= 1.0 - 0.18 * np.exp(-((d / rng.uniform(8, 30)) ** 2)) * np.sign(rng.uniform(-1, 1))
    return out * light


def photograph(
    paper: np.ndarray, rng: np.random.Generator, hard: str | None, exif_turn: int, column_shadow: bool = False
) -> tuple[bytes, list[str]]:
    notes: list[str] = []
    fade = rng.uniform(0.22, 0.35) if hard == "faded" else rng.uniform(0.45, 1.0)
    if fade < 0.6:
        notes.append("faded_print")
    sheet = thermal(paper, rng, fade, hard == "crumpled")
    if column_shadow:
        # A cast shadow (the phone, a hand) over the amount column: the right part of the paper,
        # print and all, gets less light, with a soft edge.
        w = sheet.shape[1]
        x = np.arange(w, dtype=np.float32)
        edge = rng.uniform(0.5, 0.7) * w
        depth = rng.uniform(0.4, 0.6)
        sheet = sheet * (1.0 - depth / (1.0 + np.exp(-(x - edge) / rng.uniform(6, 30))))[None, :]
        notes.append("column_shadow")

    long_side = int(rng.integers(1700, 2700))
    H, W = long_side, int(long_side * 3 / 4)
    ph, pw = sheet.shape
    frac = rng.uniform(0.3, 0.4) if hard == "small" else rng.uniform(0.6, 0.92)
    scale = min(frac * H / ph, 0.85 * W / pw)
    rh, rw = ph * scale, pw * scale
    angle = np.deg2rad(rng.uniform(-12, 12))
    cx, cy = W / 2 + rng.uniform(-0.08, 0.08) * W, H / 2 + rng.uniform(-0.06, 0.06) * H
    if hard == "cut_off":
        cy += 0.25 * rh  # the bottom of the receipt runs out of the frame
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    persp = rng.uniform(0.0, 0.07)
    jitter = rng.uniform(-persp, persp, (4, 2)).astype(np.float32)
    while True:
        corners = np.array(
            [[-rw / 2, -rh / 2], [rw / 2, -rh / 2], [rw / 2, rh / 2], [-rw / 2, rh / 2]], np.float32
        )
        dst = corners @ rot.T + np.array([cx, cy], np.float32)
        dst += jitter * np.array([rw, rh], np.float32) * 0.5
        inside = (dst.min(axis=0) >= [0.02 * W, 0.02 * H]).all() and (
            dst.max(axis=0) <= [0.98 * W, 0.98 * H]
        ).all()
        if inside or hard == "cut_off":  # only the named hard case runs out of the frame
            break
        rw, rh = rw * 0.95, rh * 0.95
    # Perspective: the far edge (top) of the receipt is narrower.
    squeeze = rng.uniform(0, 0.08) * rw
    dst[0, 0] += squeeze
    dst[1, 0] -= squeeze
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(sheet, m, (W, H), flags=cv2.INTER_AREA, borderValue=0)
    mask = cv2.warpPerspective(np.ones_like(sheet), m, (W, H), flags=cv2.INTER_LINEAR, borderValue=0)
    notes.append(f"tilt_{abs(np.rad2deg(angle)):.0f}deg")

    bg = background(rng, H, W, hard == "white_table")
    # The paper's soft shadow on the table.
    small = cv2.resize(mask, (W // 4, H // 4), interpolation=cv2.INTER_AREA)
    small = np.roll(small, (int(rng.integers(1, 5)), int(rng.integers(-3, 3))), (0, 1))
    shadow = cv2.resize(cv2.GaussianBlur(small, (0, 0), 3), (W, H), interpolation=cv2.INTER_LINEAR)
    bg *= (1.0 - 0.35 * shadow)[..., None]
    tint = np.array([1.0, rng.uniform(0.97, 1.0), rng.uniform(0.9, 1.0)], np.float32)
    m3 = mask[..., None]
    img = bg * (1 - m3) + warped[..., None] * tint * m3

    # Light: a gradient across the frame, sometimes a hard shadow of the phone or a hand.
    yy, xx = np.mgrid[0:H:8, 0:W:8].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    grad = np.cos(a) * xx / W + np.sin(a) * yy / H
    light = 1.0 - rng.uniform(0.1, 0.4) * (grad - grad.min()) / (np.ptp(grad) + 1e-6)
    if hard in {"strong_shadow"} or rng.random() < 0.3:
        b = rng.uniform(0, 2 * np.pi)
        edge = np.cos(b) * (xx - rng.uniform(0.3, 0.7) * W) + np.sin(b) * (yy - rng.uniform(0.3, 0.7) * H)
        depth = rng.uniform(0.45, 0.6) if hard == "strong_shadow" else rng.uniform(0.15, 0.35)
        light *= 1.0 - depth / (1.0 + np.exp(-edge / rng.uniform(10, 60)))
        notes.append("shadow")
    if hard == "dim":
        light *= 0.45
    light = cv2.resize(light, (W, H), interpolation=cv2.INTER_LINEAR)
    img *= light[..., None]

    sigma = rng.uniform(1.8, 2.4) if hard == "blur" else rng.uniform(0.0, 1.3)
    if sigma > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
        if sigma > 1.0:
            notes.append("blur")
    img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(rng.uniform(2, 7))
    out = Image.fromarray(img.clip(0, 255).astype(np.uint8), "RGB")

    exif = None
    if exif_turn:
        # Phones store the sensor's pixels and say how to turn them: tag 6 = turn 90° clockwise
        # to view, so the stored pixels are the upright picture turned 90° anticlockwise.
        out = out.rotate(90 if exif_turn == 6 else -90, expand=True)
        exif = Image.Exif()
        exif[0x0112] = exif_turn
        notes.append(f"exif_orientation_{exif_turn}")
    buf = io.BytesIO()
    quality = int(rng.integers(55, 92))
    out.save(buf, "JPEG", quality=quality, exif=exif.tobytes() if exif else b"")
    notes.append(f"jpeg_q{quality}")
    return buf.getvalue(), notes
