"""Find the receipt in the photo, straighten it and even out the light, for tesseract.

Steps, each cheap (all the searching happens on an 800-px copy):
1. ``find_quad``: the paper is the largest bright region; its outline, simplified to four corners,
   gives the perspective (phones photograph receipts at an angle).
2. ``warp``: map those corners to an upright rectangle (or, with no clear outline, keep the photo
   and only deskew it by the angle that makes the text rows line up best).
3. ``flatten``: divide by the estimated paper brightness, so shadows and a light gradient vanish
   and faded thermal print gets its contrast back.
4. ``text_scale``: measure the characters and resize so capitals are ~``TARGET_CHAR_PX`` high:
   tesseract reads best around that size, and smaller means faster.
"""

from __future__ import annotations

import cv2
import numpy as np

FIND_SIDE = 800  # long side of the copy used to find the paper
MIN_PAPER_SHARE = 0.08  # of the photo's area: smaller "papers" are labels, logos or glare
QUAD_GROW = 0.02
TARGET_CHAR_PX = 21.0  # measured: 26 px reads no better and costs ~25% more tesseract time


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _masks(small: np.ndarray) -> list[np.ndarray]:
    """Ways of telling paper from table; each fails somewhere (a shadow across the receipt
    splits a global threshold, a wood grain confuses edges), so all are tried and scored."""
    blur = cv2.GaussianBlur(small, (7, 7), 0)
    _, global_otsu = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # The same after dividing out the light falling across the whole scene (shadow, gradient).
    # (blurred at 1/8 size: a sigma of 80 px at full size would cost a second)
    tiny = cv2.resize(blur, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    light = cv2.resize(cv2.GaussianBlur(tiny, (0, 0), max(tiny.shape) / 10), (small.shape[1], small.shape[0]))
    flat = cv2.normalize(  # type: ignore[call-overload]  # OpenCV's stubs lack dst=None
        blur.astype(np.float32) / (light.astype(np.float32) + 1), None, 0, 255, cv2.NORM_MINMAX
    )
    _, flat_otsu = cv2.threshold(flat.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Edges: the paper's outline closed into a filled shape.
    edges = cv2.dilate(cv2.Canny(blur, 20, 60), np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(edges)
    cv2.drawContours(filled, contours, -1, 255, cv2.FILLED)
    return [global_otsu, flat_otsu, filled]


def _quad_of(contour: np.ndarray) -> np.ndarray:
    """Four corners for the outline: the polygon simplification when it finds four, else the hull
    points furthest towards each corner. Of those, the larger wins: a quad that cuts a corner off
    the paper cuts the first digits off the dates printed there. A plain rotated rectangle is the
    last resort (it cannot follow perspective)."""
    hull = cv2.convexHull(contour)
    pts = hull.reshape(-1, 2).astype(np.float32)
    options = [_order(pts)]  # extreme points: min/max of x+y and y−x
    for eps in (0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            options.append(_order(approx.reshape(4, 2).astype(np.float32)))
            break
    options = [q for q in options if len({(round(x), round(y)) for x, y in q}) == 4]
    if not options:
        return _order(cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32))
    return max(options, key=cv2.contourArea)


def _paper_score(contour: np.ndarray, quad: np.ndarray, frame_area: int) -> float:
    """Large, and filling a four-cornered shape with near-right angles; 0 if not paper-like."""
    quad_area = cv2.contourArea(quad)
    if not MIN_PAPER_SHARE * frame_area < quad_area < 0.97 * frame_area:
        return 0.0
    if len({(round(x), round(y)) for x, y in quad}) < 4 or not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return 0.0
    for i in range(4):
        a, b, c = quad[i - 1], quad[i], quad[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-6))
        if abs(cos) > 0.55:  # an angle outside ~57..123 degrees: not a photographed rectangle
            return 0.0
    fill = cv2.contourArea(contour) / max(quad_area, 1.0)
    if fill < 0.65:  # a shadow across the paper can bite a big notch out of the bright region
        return 0.0
    return fill * (quad_area / frame_area) ** 0.5


def find_quad(gray: np.ndarray) -> np.ndarray | None:
    """The receipt's four corners in ``gray``'s coordinates, or None if no paper stands out."""
    scale = FIND_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    best, best_score = None, 0.0
    for mask in _masks(small):
        # Close the gaps that lines of print cut into the paper's outline; drop specks.
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            quad = _quad_of(c)
            score = _paper_score(c, quad, small.size)
            if score > best_score:
                best, best_score = quad, score
    if best is None:
        return None
    # The outline found at 800 px sits a little inside the paper (blur, closing, corner
    # rounding); cutting off the right margin cuts the last digit off every amount. Grow it.
    centre = best.mean(axis=0)
    return (centre + (best - centre) * (1 + QUAD_GROW)) / scale


def warp(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = quad
    w = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    h = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    return cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def ink_copy(gray: np.ndarray, side: int = 600) -> np.ndarray:
    """Where the print is (255 = ink, 0 = paper, float32) on a copy with the long side ``side`` px: dark marks
    against their surroundings, so shadows and grey paper do not count."""
    scale = side / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    return mask.astype(np.float32)


def skew_angle(gray: np.ndarray, limit: float = 15.0) -> float:
    """The rotation (degrees) that makes text rows sharpest: rows of print give a spiky
    horizontal projection only when level."""
    ink = ink_copy(gray)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        rot = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), (w, h))
        return float(np.var(rot.sum(axis=1)))

    best = max(np.arange(-limit, limit + 0.1, 1.0), key=sharpness)
    fine = max(np.arange(best - 1, best + 1.01, 0.25), key=sharpness)
    return float(np.clip(fine, -limit, limit))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.2:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(gray, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def sideways(gray: np.ndarray) -> bool:
    """Text runs vertically: the column profile is spikier than the row profile."""
    ink = ink_copy(gray)
    rows, cols = ink.sum(axis=1), ink.sum(axis=0)
    return float(np.var(cols) / (cols.mean() ** 2 + 1)) > 1.5 * float(np.var(rows) / (rows.mean() ** 2 + 1))


def flatten(gray: np.ndarray, char_px: float) -> np.ndarray:
    """Divide out the paper's brightness (shadow, gradient, grey thermal paper) and stretch the
    contrast so the faintest print is still dark."""
    # Estimate the paper at quarter size (16× fewer pixels; the light changes slowly anyway):
    # a max-filter wider than a stroke removes the print and leaves the paper; blur smooths it.
    f = 4
    small = cv2.resize(
        gray, (max(1, gray.shape[1] // f), max(1, gray.shape[0] // f)), interpolation=cv2.INTER_AREA
    )
    k = max(5, int(char_px * 1.5 / f) | 1)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 2)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    ratio = gray.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    dark = np.percentile(_core(ratio)[::4, ::4], 1.0)
    # Ratios near 1 are paper; the darkest 1% are ink. Map [dark, 0.92] → [0, 255].
    lo, hi = min(dark, 0.75), 0.92
    out = (ratio - lo) * (255.0 / (hi - lo))
    return out.clip(0, 255).astype(np.uint8)


def _core(img: np.ndarray, margin: float = 0.06) -> np.ndarray:
    """The page without its outer strip, where a sliver of table may show (the paper's outline
    is grown a little so as not to cut print off): measure print and ink here only."""
    h, w = img.shape[:2]
    return img[int(h * margin) : h - int(h * margin), int(w * margin) : w - int(w * margin)]


def char_height(gray: np.ndarray) -> float | None:
    """Median height of character-like blobs, in pixels (None if there is no print)."""
    _, ink = cv2.threshold(_core(gray), 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w, area = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_AREA]
    ok = (h >= 6) & (h <= gray.shape[0] / 8) & (w <= 2.0 * h) & (w >= 2) & (area >= 12)
    if ok.sum() < 10:
        return None
    # Capitals and digits are the tall blobs; take the upper half's median so punctuation and
    # lower-case letters don't shrink the estimate.
    hs = np.sort(h[ok])
    return float(np.median(hs[len(hs) // 2 :]))


def _has_print(gray: np.ndarray) -> bool:
    scale = min(1.0, 1000 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return char_height(flatten(small, 15)) is not None


def prepare(gray: np.ndarray, find_paper: bool = True) -> tuple[np.ndarray, dict]:
    """Photo (grayscale, upright per EXIF) → a flat, straight, well-sized page for tesseract.
    ``find_paper=False`` skips the outline (the fallback when a wrong outline skewed the page)."""
    info: dict = {}
    quad = find_quad(gray) if find_paper else None
    page = gray
    if quad is not None:
        page = warp(gray, quad)
        if not _has_print(page):  # a bright patch of table, not the receipt
            page, quad = gray, None
    info["found_paper"] = quad is not None
    if sideways(page):
        page = np.ascontiguousarray(np.rot90(page, 1))
        info["turned"] = 90
    # Even a found outline can be off by a few degrees (a torn or shadowed corner): search wide.
    angle = skew_angle(page, limit=10.0 if quad is not None else 15.0)
    page = rotate(page, angle)
    info["deskew"] = round(angle, 2)
    # Measure print size on a rough flat copy, then scale and flatten at the final size.
    rough_scale = min(1.0, 1400 / max(page.shape))
    rough = cv2.resize(page, None, fx=rough_scale, fy=rough_scale, interpolation=cv2.INTER_AREA)
    ch = char_height(flatten(rough, 20))
    scale = TARGET_CHAR_PX / (ch / rough_scale) if ch else min(1.0, 1600 / max(page.shape))
    scale = float(np.clip(scale, 0.25, 3.0))
    page = cv2.resize(
        page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    )
    info["scale"] = round(scale, 3)
    flat = flatten(page, TARGET_CHAR_PX)
    if quad is not None:
        flat = clear_border(flat)
    return flat, info


def clear_border(page: np.ndarray) -> np.ndarray:
    """Paint white whatever dark touches the page's edge: the sliver of table and the paper's
    shadowed rim left by growing the outline. Left there, tesseract takes the dark band for a
    column divider and drops the amounts printed next to it."""
    dark = (page < 128).astype(np.uint8)
    n, labels = cv2.connectedComponents(dark, connectivity=8)
    if n <= 1:
        return page
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    edge = edge[edge != 0]
    if not len(edge):
        return page
    out = page.copy()
    out[np.isin(labels, edge)] = 255
    return out
