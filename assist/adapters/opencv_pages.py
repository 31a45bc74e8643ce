"""A phone photo of a page made flat before OCR, on OpenCV (the opencv wheel that rapidocr-onnxruntime brings):
the page's four corners found against the desk and warped to a rectangle, a small leftover rotation undone, and
shadow and uneven light divided out. A scan (the page fills the frame, even light) passes through almost unchanged.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

# The page must cover this much of the frame to be taken as the page (less: a card, a stamp, a bright object).
MIN_PAGE_AREA = 0.25
# The page's outline must fill its hull this well, and four corners must cover it to within QUAD_SLACK.
MIN_SOLIDITY = 0.97
QUAD_SLACK = 0.03
# Detection runs on a copy this size; the warp runs on the full image.
WORK_SIDE = 1000
# The skew search runs on a smaller copy still: row profiles need few pixels.
SKEW_SIDE = 600
# Rotations tried when straightening what is left after the warp, in degrees either way.
MAX_SKEW = 6.0
SKEW_STEP = 0.25


def flatten_page(rgb: Any) -> Any:
    """An RGB uint8 array (H, W, 3) in, the page flattened, straightened and evenly lit out (RGB uint8)."""
    gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    quad = page_quad(gray)
    if quad is not None:
        gray = warp(gray, quad)
    angle = skew_angle(gray)
    if abs(angle) >= SKEW_STEP:
        gray = rotate(gray, angle)
    gray = even_light(gray)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)


def page_quad(gray: Any) -> Any | None:
    """The page's corners (top-left, top-right, bottom-right, bottom-left) in full-image pixels, or None when no
    page stands out from a darker background (a scan, or a page filling the photo)."""
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    # text would split the page into pieces: a wide closing paints it over with paper
    k = max(3, int(0.03 * max(small.shape)) | 1)
    paper = cv2.morphologyEx(cv2.GaussianBlur(small, (5, 5), 0), cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    # shadow and uneven light change the paper's brightness more than they change its edge: threshold each region
    # against its neighbourhood first, then keep the largest bright blob
    _, mask = cv2.threshold(paper, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    page = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(page) / float(small.shape[0] * small.shape[1])
    if area < MIN_PAGE_AREA:
        return None
    x, y, bw, bh = cv2.boundingRect(page)
    sh, sw = small.shape
    if x <= 1 and y <= 1 and x + bw >= sw - 2 and y + bh >= sh - 2:
        return None                                   # touches every edge: no desk around it, nothing to warp
    hull = cv2.convexHull(page).reshape(-1, 2).astype(np.float64)
    s, d = hull.sum(axis=1), hull[:, 0] - hull[:, 1]
    corners = np.array([hull[s.argmin()], hull[d.argmax()], hull[s.argmax()], hull[d.argmin()]])
    # a shadow darker than the desk bites a piece out of the page: its outline is then no quadrilateral, and a warp
    # to the wrong corners would fold text away. Warp only when four corners explain the outline.
    blob = cv2.contourArea(page)
    quad_area = cv2.contourArea(corners.astype(np.float32))
    if blob < MIN_SOLIDITY * cv2.contourArea(hull.astype(np.float32)) or not (
            1 - QUAD_SLACK <= quad_area / max(blob, 1.0) <= 1 + QUAD_SLACK):
        return None
    return corners / scale


def warp(gray: Any, quad: Any) -> Any:
    """The quadrilateral ``quad`` of ``gray`` as an upright rectangle of its own size."""
    tl, tr, br, bl = quad
    width = int(max(np.hypot(*(tr - tl)), np.hypot(*(br - bl))))
    height = int(max(np.hypot(*(bl - tl)), np.hypot(*(br - tr))))
    if width < 32 or height < 32:
        return gray
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(gray, m, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def skew_angle(gray: Any) -> float:
    """The rotation (degrees, counter-clockwise positive) that makes text rows horizontal: the angle whose row
    profile of ink is sharpest."""
    h, w = gray.shape
    scale = min(1.0, SKEW_SIDE / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    if ink.sum() < 0.002 * ink.size:
        return 0.0
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, SKEW_STEP):
        # rotating the ink (interpolated) rather than binning rotated pixel positions: binning favours 0° by aliasing
        rows = rotate(ink.astype(np.float32), float(angle), border=cv2.BORDER_CONSTANT).sum(axis=1)
        score = float(np.square(rows - rows.mean()).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def rotate(gray: Any, angle: float, border: int = cv2.BORDER_REPLICATE) -> Any:
    """``gray`` turned ``angle`` degrees counter-clockwise about its centre, same size."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=border)


def even_light(gray: Any) -> Any:
    """Divide by the paper's own brightness (ink removed by a wide closing, then smoothed): shadows and a brighter
    side become even white, ink stays dark. A page already evenly lit is left as it is."""
    h, w = gray.shape
    k = max(15, int(0.02 * max(h, w)) | 1)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.GaussianBlur(background, (0, 0), k)
    lo, hi = np.percentile(background, (5, 95))
    if hi - lo < 12:
        return gray
    out = gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)
