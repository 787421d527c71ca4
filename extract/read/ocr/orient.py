"""Page orientation: is a scanned page upright, or fed sideways or upside down?

Decided from what the page's one detection + recognition pass already gives, so an
upright page pays nothing: text lines of Chinese reports run horizontally, so when
most elongated detection boxes stand upright the page lies on its side; the direction
(90° or 270°) is the one under which a few of its longest lines read with the higher
recognition score. A page of a few lines, all standing, is turned only when they read
clearly better so. An upright-looking page whose lines read with a low score is tried
upside down the same way. Turns are numpy's ``rot90`` counts (counter-clockwise
quarter turns that make the page upright).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from extract.read.ocr.engine import OcrBox

Gray = npt.NDArray[np.uint8]
ReadLine = Callable[[Gray], tuple[str, float]]

# A box counts as a text line when its long side is this many times its short side.
LINE_ASPECT = 2.5
# Sideways when upright line boxes outnumber lying ones by this factor (and there are
# at least MIN_LINES of them): tables' narrow headers (是否为/考核/指标) stand upright
# too, but never most of a page.
SIDEWAYS_RATIO = 2.0
MIN_LINES = 4
# An upright page is tried upside down only when its lines read this badly (median
# recognition score of multi-glyph lines).
UPSIDE_DOWN_SCORE = 0.75
# How many of the longest lines are read under each candidate turn.
PROBE_LINES = 6
# A turn wins only by this much mean score (ties keep the page as it is).
MIN_GAIN = 0.05


def _shape(b: OcrBox) -> tuple[float, float]:
    return (b.bbox[2] - b.bbox[0], b.bbox[3] - b.bbox[1])


def _lying_and_standing(boxes: Sequence[OcrBox]) -> tuple[int, int]:
    """How many of the boxes are text lines lying, and how many standing."""
    lying = standing = 0
    for b in boxes:
        w, h = _shape(b)
        if w >= LINE_ASPECT * h:
            lying += 1
        elif h >= LINE_ASPECT * w:
            standing += 1
    return lying, standing


def is_sideways(boxes: Sequence[OcrBox]) -> bool:
    """Do most of the page's text-line boxes stand upright?"""
    lying, standing = _lying_and_standing(boxes)
    return standing >= MIN_LINES and standing >= SIDEWAYS_RATIO * max(lying, 1)


# A page with no lying line and at least this many standing ones may be sideways.
MIN_UPRIGHT_LINES = 2


def _few_and_upright(boxes: Sequence[OcrBox]) -> bool:
    lying, standing = _lying_and_standing(boxes)
    return lying == 0 and standing >= MIN_UPRIGHT_LINES


def reads_badly(boxes: Sequence[OcrBox]) -> bool:
    """Multi-glyph lines read with a low median score: upside down, or not text."""
    scores = [b.confidence for b in boxes if len(b.text.strip()) >= 2]
    return len(scores) >= MIN_LINES and float(np.median(scores)) < UPSIDE_DOWN_SCORE


def _probe(gray: Gray, boxes: Sequence[OcrBox], standing: bool) -> list[Gray]:
    def length(b: OcrBox) -> float:
        w, h = _shape(b)
        return h if standing else w

    picked = sorted(boxes, key=length, reverse=True)[:PROBE_LINES]
    crops = []
    for b in picked:
        x0, y0, x1, y1 = (int(v) for v in b.bbox)
        crop = gray[max(0, y0) : y1, max(0, x0) : x1]
        if crop.size:
            crops.append(crop)
    return crops


def _score(crops: Sequence[Gray], k: int, read: ReadLine) -> float:
    if not crops:
        return 0.0
    return float(np.mean([read(np.ascontiguousarray(np.rot90(c, k)))[1] for c in crops]))


def page_turn(gray: Gray, boxes: Sequence[OcrBox], read: ReadLine) -> int:
    """The ``rot90`` count (0–3) that makes the page upright, from its detected lines;
    ``read`` recognises one line crop (text, score)."""
    if is_sideways(boxes):
        crops = _probe(gray, boxes, standing=True)
        ccw, cw = _score(crops, 1, read), _score(crops, 3, read)
        return 1 if ccw >= cw else 3
    if _few_and_upright(boxes):
        # Too few lines to tell by their shapes (a page holding a landscape table's last
        # two rows), none lying: turned only when its lines read clearly better so.
        crops = _probe(gray, boxes, standing=True)
        scores = {k: _score(crops, k, read) for k in (1, 3)}
        best = max(scores, key=lambda k: scores[k])
        if scores[best] > _score(crops, 0, read) + MIN_GAIN:
            return best
    if reads_badly(boxes):
        crops = _probe(gray, boxes, standing=False)
        if _score(crops, 2, read) > _score(crops, 0, read) + MIN_GAIN:
            return 2
    return 0


def turn_back(k: int, width: int, height: int) -> npt.NDArray[np.float64]:
    """3×3 map from pixels of ``np.rot90(image, k)`` back to pixels of ``image``
    (``width`` × ``height``, the unturned image)."""
    w, h = width - 1, height - 1
    maps = {
        0: [[1, 0, 0], [0, 1, 0]],
        1: [[0, -1, w], [1, 0, 0]],  # turned (x', y') = (y, w - x)
        2: [[-1, 0, w], [0, -1, h]],
        3: [[0, 1, 0], [-1, 0, h]],  # turned (x', y') = (h - y, x)
    }
    m = np.array([*maps[k % 4], [0, 0, 1]], dtype=np.float64)
    return m
