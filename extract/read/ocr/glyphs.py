"""Glyph-level repairs of a recogniser's output against the page image.

The recogniser's per-glyph boxes come from CTC time steps: they abut, and a box can
reach over whitespace into the next column or over a tick box the recogniser did not
read. Three repairs, all in the deskewed page's pixels (ink = 255 in ``binary``):

- ``fit_to_ink``: glyph boxes cut at real whitespace and shrunk to their own ink, so
  the borderless-table finder sees the gap between an indicator's number and its name
  (``2 人均工业增加值`` read as one line).
- ``tick_marks``: the box next to each option word of the basic-info table
  (国家级 ☑ / □ / ■ / √) judged by its ink: filled or with ink inside = ticked, a hollow
  square = not ticked. Recognisers drop these glyphs or read them as 口/V/0; the ink is
  what was printed.
- ``missed_ink``: blobs of ink that no detected text line covers (a lone ``1`` or ``7``
  in the 序号 column, a ``—`` in a value cell), to be read by recognition alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np
import numpy.typing as npt

from extract.read.layout.geom import Char
from extract.source import CHECKED, CHOICES, UNCHECKED

Mask = npt.NDArray[np.uint8]
Conf = dict[Char, float]
PixBox = tuple[int, int, int, int]  # x0, top, x1, bottom (exclusive) in pixels

# Options of HJ 274-2015's 信息公开表, every group: a tick box sits next to each.
OPTION_WORDS = tuple(o for group in CHOICES.values() for o in group)
_OPTION = re.compile("|".join(sorted(OPTION_WORDS, key=len, reverse=True)))
# What a recogniser makes of a tick box: these glyphs are the box, not a word's letter.
MARK_READINGS = frozenset("☐☑☒□■▣◼√✓✔口回囗日目団团VvUuOo0D×XxYy")
# Confidence given to a mark judged from the image (not the recogniser's reading).
MARK_CONFIDENCE = 0.99


# --- glyph boxes --------------------------------------------------------------------------

# Full-width brackets and marks: ink on one side of an em, paper on the other.
FULL_WIDTH_MARKS = frozenset("（）【】《》〈〉「」『』〔〕、，。：；！？“”‘’")


def _ink_columns(binary: Mask, box: PixBox) -> npt.NDArray[np.bool_]:
    x0, y0, x1, y1 = box
    band = binary[y0:y1, x0:x1]
    if band.size == 0:
        return np.zeros(max(0, x1 - x0), dtype=bool)
    # Two ink pixels in a column: a lone noise pixel is no glyph.
    counts = np.count_nonzero(band, axis=0)
    out: npt.NDArray[np.bool_] = counts >= 2
    return out


def _gaps(cols: npt.NDArray[np.bool_], min_gap: int) -> list[tuple[int, int]]:
    """Runs of empty columns at least ``min_gap`` wide, as (start, end) offsets."""
    return [(a, b) for a, b in _true_runs(~cols) if b - a >= min_gap]


def _true_runs(flags: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The [start, end) runs of True in ``flags``."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def fit_to_ink(
    lines: Iterable[Sequence[tuple[Char, float]]], binary: Mask, k: float, gap_ratio: float = 0.3
) -> Conf:
    """Each recognised line's glyphs (in points, with their probability) with boxes cut
    at whitespace at least ``gap_ratio`` of the line's height wide and shrunk to the
    ink left inside; glyphs without ink keep their box."""
    out: Conf = {}
    for whole in lines:
        # A vertical line's glyphs (二 / 十 / 三 stacked in a 序号 column) all carry the
        # line's width: each is fitted to the ink of its own box alone (the stack's, padded
        # by half its height, took in the serials above and below and any ink beside).
        stacked = _stacked(whole)
        for line in [[g] for g in whole] if stacked else [whole]:
            _fit_line(line, binary, k, gap_ratio, 0.0 if stacked else 0.5, out)
    return out


def _stacked(line: Sequence[tuple[Char, float]]) -> bool:
    """Glyphs set one under the other (a vertical line), not side by side."""
    return len(line) > 1 and all(
        b.top >= a.bottom - 0.25 * (a.bottom - a.top) for (a, _), (b, _) in pairwise(line)
    )


def _fit_line(
    line: Sequence[tuple[Char, float]],
    binary: Mask,
    k: float,
    gap_ratio: float,
    pad_ratio: float,
    out: dict[Char, float],
) -> None:
    """``fit_to_ink`` for one line (or one glyph of a vertical line): its ink looked for
    ``pad_ratio`` of its height above and below, the glyphs fitted into ``out``."""
    h_img, w_img = binary.shape
    if not line:
        return
    top = min(c.top for c, _ in line)
    bottom = max(c.bottom for c, _ in line)
    pad = (bottom - top) * pad_ratio
    y0, y1 = max(0, int((top - pad) * k)), min(h_img, int((bottom + pad) * k) + 1)
    x0 = max(0, int(min(c.x0 for c, _ in line) * k))
    x1 = min(w_img, int(max(c.x1 for c, _ in line) * k) + 1)
    if x1 <= x0 or y1 <= y0:
        out.update(dict(line))
        return
    cols = _ink_columns(binary, (x0, y0, x1, y1))
    gaps = _gaps(cols, max(2, int(gap_ratio * (y1 - y0) / 2)))
    for c, p in line:
        if c.text in FULL_WIDTH_MARKS:
            # A full-width bracket or mark fills its em with paper on one side: its
            # recognised box is that em, as a text layer's advance box is, so
            # （一）经济发展 stays one run and does not split at the bracket's blank.
            out[c] = p
            continue
        a, b = int(c.x0 * k) - x0, int(c.x1 * k) + 1 - x0
        a, b = max(0, a), min(len(cols), b)
        for g0, g1 in gaps:
            if g1 <= a or g0 >= b:
                continue
            left = int(cols[a:g0].sum()) if g0 > a else 0
            right = int(cols[g1:b].sum()) if b > g1 else 0
            if left >= right and g0 > a:
                b = g0
            elif right > 0:
                a = g1
        inked = np.flatnonzero(cols[a:b]) if b > a else np.array([], dtype=np.int64)
        if inked.size == 0:
            out[c] = p
            continue
        nx0, nx1 = (x0 + a + int(inked[0])) / k, (x0 + a + int(inked[-1]) + 1) / k
        if c.text in SHAPE_MARKS and nx1 - nx0 < MARK_MIN_WIDTH_RATIO * (bottom - top):
            continue  # a speck read as a mark
        out[c._replace(x0=round(nx0, 2), x1=round(nx1, 2))] = p


# Marks drawn as a shape (a box, a tick, a cross) have ink at least this share of their
# line's height wide; one read from a narrower blob is a speck (a dot of noise after a 序号
# read ☑: 8☑ numbered no row).
MARK_MIN_WIDTH_RATIO = 0.25
SHAPE_MARKS = frozenset("☑☒☐□■√✓✔×✗✘")


# --- vertical boxes ------------------------------------------------------------------------

# A vertical line is one glyph wide; a "vertical" box whose ink is wider than this many
# glyph heights is lines set under each other (二十 / 四 in a narrow 序号 column) that the
# detector joined: the recogniser reads down its middle and loses the glyphs beside it.
MAX_VERTICAL_INK_WIDTH = 1.5
# Bands of ink lower than this share of a glyph's height are strokes of one glyph
# (二's two, 三's three), joined to their nearest neighbour before they count as lines.
MIN_LINE_BAND = 0.55
# A pixel column with less ink than this share of a glyph's height holds specks only.
SPECK_SHARE = 0.15


def stacked_lines(binary: Mask, box: Sequence[float], em: float) -> list[tuple[int, int]]:
    """The text lines (top, bottom in pixels) of a vertical box that holds lines set one
    under another, several glyphs wide (二十 / 四 / 二十 / 五); [] for a true vertical line
    (one glyph wide) or a box with fewer than two lines."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = binary[max(0, y0) : y1, max(0, x0) : x1] > 0
    if crop.size == 0 or not crop.any():
        return []
    # (columns of a speck or two at the box's edge are noise, not a glyph's)
    cols = np.flatnonzero(crop.sum(axis=0) >= max(2.0, SPECK_SHARE * em))
    if cols.size == 0 or cols[-1] - cols[0] + 1 <= MAX_VERTICAL_INK_WIDTH * em:
        return []
    rows = crop.any(axis=1)
    bands: list[list[int]] = []
    for y in (int(v) for v in np.flatnonzero(rows)):
        if bands and y == bands[-1][1]:
            bands[-1][1] = y + 1
        else:
            bands.append([y, y + 1])
    while len(bands) > 1:
        low = [k for k, (a, b) in enumerate(bands) if b - a < MIN_LINE_BAND * em]
        if not low:
            break
        k = low[0]
        above = bands[k][0] - bands[k - 1][1] if k > 0 else None
        below = bands[k + 1][0] - bands[k][1] if k + 1 < len(bands) else None
        j = k - 1 if below is None or (above is not None and above <= below) else k + 1
        a, b = min(k, j), max(k, j)
        bands[a : b + 1] = [[bands[a][0], bands[b][1]]]
    top = max(0, y0)
    return [(top + a, top + b) for a, b in bands] if len(bands) > 1 else []


# --- tick marks ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Blob:
    x0: int
    y0: int
    x1: int
    y1: int
    area: int


def _blobs(binary: Mask, box: PixBox, min_area: int) -> list[_Blob]:
    x0, y0, x1, y1 = box
    crop = binary[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    n, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    out = []
    for i in range(1, n):
        bx, by, bw, bh, area = (int(v) for v in stats[i])
        if area >= min_area:
            out.append(_Blob(x0 + bx, y0 + by, x0 + bx + bw, y0 + by + bh, area))
    return out


def judge_mark(binary: Mask, box: PixBox) -> str:
    """CHECKED when the box is filled or has ink inside its border (■, ☑, √), UNCHECKED
    for a hollow square (□)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    crop = binary[y0:y1, x0:x1]
    if crop.size == 0:
        return UNCHECKED
    # On the samples: ■ fills > 0.9 of its box, a thick-bordered □ up to 0.55; the
    # middle of □ holds no ink, of ☑ and √ over 0.2.
    if np.count_nonzero(crop) / crop.size > 0.75:
        return CHECKED
    ix, iy = max(1, round(w * 0.25)), max(1, round(h * 0.25))
    inner = binary[y0 + iy : y1 - iy, x0 + ix : x1 - ix]
    if inner.size and np.count_nonzero(inner) / inner.size > 0.1:
        return CHECKED
    # A hollow square has its sides inked; ink without them is a tick of its own (√).
    left = np.count_nonzero(crop[:, : max(1, w // 6)].any(axis=1)) / h
    top = np.count_nonzero(crop[: max(1, h // 6), :].any(axis=0)) / w
    return UNCHECKED if left > 0.6 and top > 0.6 else CHECKED


def _is_real(c: Char) -> bool:
    return bool(c.text.strip()) and c.text not in MARK_READINGS


def _slot(
    binary: Mask,
    glyphs: Sequence[Char],
    span: tuple[int, int],
    after: bool,
    k: float,
) -> PixBox | None:
    """The ink right after (or before) the option word ``glyphs[span[0]:span[1]]`` that
    makes up its tick box, in pixels, or None when nothing box-sized is there. The slot
    ends at the nearest glyph read as a letter of a word (not as a box)."""
    word = glyphs[span[0] : span[1]]
    n = len(word)
    pitch = (word[-1].x0 - word[0].x0) / (n - 1) if n > 1 else word[0].x1 - word[0].x0
    band = max(c.bottom - c.top for c in word)
    if pitch <= 0 or pitch > 3 * band:
        return None  # glyphs spread over a line whose split failed: no reliable slot
    mid = (min(c.top for c in word) + max(c.bottom for c in word)) / 2
    y0, y1 = int((mid - 0.75 * pitch) * k), int((mid + 0.75 * pitch) * k) + 1
    # The slot begins inside the word's end glyph; strokes of that glyph are cut by
    # the slot's edge or centred on the glyph, and are left out below.
    if after:
        last = word[-1]
        lo, hi = last.x0 + 0.6 * pitch, last.x0 + 2.4 * pitch
        nxt = next((c for c in glyphs[span[1] :] if _is_real(c)), None)
        if nxt is not None:
            hi = min(hi, nxt.x0)
        beyond = min(last.x1, last.x0 + pitch)
    else:
        first = word[0]
        lo, hi = first.x1 - 2.4 * pitch, first.x1 - 0.6 * pitch
        prv = next((c for c in reversed(glyphs[: span[0]]) if _is_real(c)), None)
        if prv is not None:
            lo = max(lo, prv.x1)
        beyond = max(first.x0, first.x1 - pitch)
    if hi - lo < 0.5 * pitch:
        return None
    h_img, w_img = binary.shape
    box = (max(0, int(lo * k)), max(0, y0), min(w_img, int(hi * k) + 1), min(h_img, y1))
    # Specks (scanner noise, JPEG) are far smaller than a tick's stroke.
    min_area = max(6, int((0.12 * pitch * k) ** 2))
    near_edge = 0 if after else 2
    pk = pitch * k
    blobs = [
        b
        for b in _blobs(binary, box, min_area)
        if (b.x0, b.y0, b.x1, b.y1)[near_edge] != box[near_edge]
        and b.y0 != box[1]
        and b.y1 != box[3]
        and ((b.x0 + b.x1) / 2 >= beyond * k if after else (b.x0 + b.x1) / 2 <= beyond * k)
    ]
    blobs.sort(key=lambda b: b.x0 if after else -b.x1)
    if not blobs:
        return None
    first_blob = blobs[0]
    gap = first_blob.x0 - beyond * k if after else beyond * k - first_blob.x1
    if gap > 0.8 * pk:
        return None
    bx0, by0, bx1, by1 = first_blob.x0, first_blob.y0, first_blob.x1, first_blob.y1
    for b in blobs[1:]:
        near = b.x0 <= bx1 + 0.1 * pk if after else b.x1 >= bx0 - 0.1 * pk
        if not near:
            break
        nx0, nx1 = min(bx0, b.x0), max(bx1, b.x1)
        if nx1 - nx0 > 1.3 * pk:
            break
        bx0, by0, bx1, by1 = nx0, min(by0, b.y0), nx1, max(by1, b.y1)
    w, h = bx1 - bx0, by1 - by0
    # Box-sized: a tick box is ~0.8 em either way; commas and 。 are smaller.
    if not (0.55 * pk <= max(w, h) <= 1.3 * pk and min(w, h) >= 0.45 * pk):
        return None
    return (bx0, by0, bx1, by1)


def tick_marks(lines: Iterable[Sequence[Char]], binary: Mask, k: float) -> dict[PixBox, str]:
    """Tick boxes next to option words, judged from the ink: box (pixels) → CHECKED or
    UNCHECKED. ``lines`` are visual lines (glyphs left to right, points)."""
    found: dict[PixBox, str] = {}
    for line in lines:
        glyphs = [c for c in line if c.text.strip()]
        text = "".join(c.text for c in glyphs)
        for m in _OPTION.finditer(text):
            for after in (True, False):
                box = _slot(binary, glyphs, (m.start(), m.end()), after, k)
                if box is not None and not any(_overlap(box, b) for b in found):
                    found[box] = judge_mark(binary, box)
    return found


def _overlap(a: PixBox, b: PixBox) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def place_marks(conf: Mapping[Char, float], marks: Mapping[PixBox, str], k: float) -> Conf:
    """The glyphs with every glyph centred in a mark's box replaced by the mark (kept
    on its line's band, so it joins the option's line)."""
    out: Conf = dict(conf)
    for (x0, y0, x1, y1), mark in marks.items():
        inside = [
            c
            for c in out
            if x0 <= (c.x0 + c.x1) / 2 * k <= x1 and y0 <= (c.top + c.bottom) / 2 * k <= y1
        ]
        for c in inside:
            del out[c]
        top, bottom = y0 / k, y1 / k
        pad = (bottom - top) * 0.2
        out[Char(mark, round(x0 / k, 2), top + pad, round(x1 / k, 2), bottom - pad)] = (
            MARK_CONFIDENCE
        )
    return out


# --- ink no detected line covers -----------------------------------------------------------


def missed_ink(
    binary: Mask,
    covered: Sequence[tuple[float, float, float, float]],
    excluded: Sequence[tuple[float, float, float, float]],
    text_height: float,
) -> list[PixBox]:
    """Word-sized blobs of ink outside every ``covered`` and ``excluded`` box (pixels),
    each as a padded box to read: glyphs the detector did not see."""
    h_img, w_img = binary.shape
    # Rulings are no text. Taken out of the whole page first: blanking the covered
    # boxes first would cut a rule (the running header's) into short pieces that
    # then read as 一.
    long_px = max(8, int(3 * text_height))
    closed_h = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, np.ones((1, 5), np.uint8))
    closed_v = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, np.ones((5, 1), np.uint8))
    lines_h = cv2.morphologyEx(closed_h, cv2.MORPH_OPEN, np.ones((1, long_px), np.uint8))
    lines_v = cv2.morphologyEx(closed_v, cv2.MORPH_OPEN, np.ones((long_px, 1), np.uint8))
    rulings = cv2.dilate(cv2.bitwise_or(lines_h, lines_v), np.ones((3, 3), np.uint8))
    ink = np.asarray(cv2.subtract(binary, rulings), dtype=np.uint8)
    for x0, y0, x1, y1 in (*covered, *excluded):
        ink[max(0, int(y0)) : int(y1) + 1, max(0, int(x0)) : int(x1) + 1] = 0
    # Join a glyph's strokes (and a short word's glyphs) into one blob.
    reach = max(1, int(0.25 * text_height))
    joined = cv2.dilate(ink, np.ones((max(1, reach // 2), reach), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    blobs: list[tuple[int, int, int, int]] = []
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        real = int(np.count_nonzero(ink[y : y + h, x : x + w]))
        if real < max(12, int(0.03 * text_height**2)):
            continue  # noise
        if not _has_stroke(ink[y : y + h, x : x + w], text_height):
            continue  # specks the join made one blob (a grey page's noise read as "2")
        blobs.append((x, y, x + w, y + h))
    out: list[PixBox] = []
    for x0, y0, x1, y1 in stack_strokes(blobs, text_height):
        x, y, w, h = x0, y0, x1 - x0, y1 - y0
        if max(w, h) < 0.4 * text_height or h > 2.0 * text_height or w > 12 * text_height:
            continue
        pad = max(2, int(0.3 * text_height))
        out.append(
            (max(0, x - pad), max(0, y - pad), min(w_img, x + w + pad), min(h_img, y + h + pad))
        )
    return out


# A glyph has a stroke at least this long (of the text height); specks of noise that
# the join dilation made one blob have none.
MIN_STROKE_EXTENT = 0.25


def _has_stroke(ink: Mask, text_height: float) -> bool:
    """Does this blob's ink hold one connected stroke a glyph's part long?"""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return False
    longest = int(np.max(np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])))
    return longest >= MIN_STROKE_EXTENT * text_height


# Flat strokes stacked within one glyph's height are one glyph (二, 三: two or three
# strokes with paper between them, blobs of their own); a dash in each of two rows lies
# a line apart, more than a glyph's height.
STROKE_MAX_HEIGHT = 0.35  # of the text height: a stroke, not a glyph
STACK_MAX_HEIGHT = 1.0  # the strokes' union is at most one glyph high
STACK_MIN_OVERLAP = 0.5  # share of the narrower stroke's width both cover


def stack_strokes(
    blobs: Sequence[tuple[int, int, int, int]], text_height: float
) -> list[tuple[int, int, int, int]]:
    """``blobs`` (x0, y0, x1, y1 pixels) with flat strokes stacked over one another
    within one glyph's height joined into one box."""
    flat = [b for b in blobs if b[3] - b[1] <= STROKE_MAX_HEIGHT * text_height]
    out = [b for b in blobs if b[3] - b[1] > STROKE_MAX_HEIGHT * text_height]
    flat.sort(key=lambda b: b[1])
    groups: list[list[int]] = []
    done: list[list[int]] = []
    reach = STACK_MAX_HEIGHT * text_height
    for x0, y0, x1, y1 in flat:
        # A group that starts more than a glyph's height above this stroke can take no
        # more strokes (they come top to bottom): set aside, so a page of specks is not
        # a pass over every group per speck.
        if groups and groups[0][1] < y0 - reach:
            done += [g for g in groups if g[1] < y0 - reach]
            groups = [g for g in groups if g[1] >= y0 - reach]
        for g in groups:
            gx0, gy0, gx1, gy1 = g
            overlap = min(x1, gx1) - max(x0, gx0)
            narrower = min(x1 - x0, gx1 - gx0)
            if (
                overlap >= STACK_MIN_OVERLAP * narrower
                and max(y1, gy1) - min(y0, gy0) <= STACK_MAX_HEIGHT * text_height
            ):
                g[:] = [min(x0, gx0), min(y0, gy0), max(x1, gx1), max(y1, gy1)]
                break
        else:
            groups.append([x0, y0, x1, y1])
    out += [(g[0], g[1], g[2], g[3]) for g in (*done, *groups)]
    return out


# --- a sign the recogniser may have dropped ---------------------------------------------

# A dash-shaped blob: at least this long (of the digits' height), at most this tall (of
# its own length and of the digits' height).
DASH_MIN_LENGTH = 0.3
DASH_MAX_ASPECT = 0.5
DASH_MAX_HEIGHT = 0.3
# A blob joined (in the whole cell's ink) to this many times its own ink is part of a
# glyph; a minus stands apart from its number.
DASH_JOINED_RATIO = 1.5


def dash_in_cell(
    binary: Mask, cell: tuple[float, float, float, float], glyphs: Sequence[Char], k: float
) -> bool:
    """Does a ruled cell hold, besides its read glyphs (points; cell in pixels), a flat
    blob of ink shaped like a minus — above or left of the number, as a narrow cell
    wraps or sets it?"""
    digits = [g for g in glyphs if g.text.isdigit()]
    if not digits:
        return False
    h = float(np.median([g.bottom - g.top for g in digits])) * k
    left = min(g.x0 for g in digits) * k
    top = min(g.top for g in digits) * k
    inset = max(2, int(0.15 * h))
    x0, y0, x1, y1 = (int(v) for v in cell)
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 3 or y1 - y0 < 3:
        return False
    cell_ink = binary[y0:y1, x0:x1]
    ink = cell_ink.copy()
    for g in glyphs:
        gx0, gy0 = int(g.x0 * k) - x0 - 1, int(g.top * k) - y0 - 1
        gx1, gy1 = int(g.x1 * k) - x0 + 2, int(g.bottom * k) - y0 + 2
        ink[max(0, gy0) : max(0, gy1), max(0, gx0) : max(0, gx1)] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    whole: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]] | None = None
    for i in range(1, n):
        bx, by, bw, bh, area = (int(v) for v in stats[i])
        if bw < DASH_MIN_LENGTH * h or bh > DASH_MAX_ASPECT * bw or bh > DASH_MAX_HEIGHT * h:
            continue
        if bx == 0 or by == 0 or bx + bw == ink.shape[1] or by + bh == ink.shape[0]:
            continue  # a ruling's edge inside the inset (a tilted page's): no sign floats there
        if whole is None:
            _, whole_labels, whole_stats, _ = cv2.connectedComponentsWithStats(
                cell_ink, connectivity=8
            )
            whole = (np.asarray(whole_labels, np.int32), np.asarray(whole_stats, np.int32))
        # Ink joined to more ink under a glyph's box is that glyph's stroke sticking out
        # of a box placed a few pixels off (the top bar of 7 read as −79.45).
        ys, xs = np.nonzero(labels[by : by + bh, bx : bx + bw] == i)
        joined = int(whole[1][whole[0][by + ys[0], bx + xs[0]], cv2.CC_STAT_AREA])
        if joined > DASH_JOINED_RATIO * area:
            continue
        # before the number: on a line above it, or left of its first digit at the
        # digits' height (a minus sits mid-height, not below the digits)
        above = y0 + by + bh <= top + 0.2 * h
        beside = top <= y0 + by + bh / 2 <= top + h
        if above or (beside and x0 + bx + bw <= left + 0.1 * h):
            return True
    return False


# --- pieces of rules read as dashes ---------------------------------------------------------

# What a recogniser reads for a short stretch of a horizontal rule (a merged cell's border
# drawn alone where a three-line table breaks across pages).
RULE_READINGS = frozenset("一—-－_–‒﹣~ー")
# A bar row fills at least this share of its glyph box; a rule's column inks all its rows
# but this many (noise and JPEG fray a rule's edges).
BAR_ROW_FILL = 0.8
RULE_ROW_SLACK = 1


def rule_pieces(chars: Iterable[Char], binary: Mask, k: float, min_len_px: int) -> set[Char]:
    """The dash-like glyphs whose ink is a stretch of a horizontal rule, no text: their bar
    runs on, just as thick, for a ruling's length (``min_len_px``: longer than a cell's
    dash), or a ruling that long runs at the very same height and thickness elsewhere on
    the line (the rule a merged cell's border piece belongs to). A dash in a cell sits at
    its text's middle, where no rule of the table runs."""
    out: set[Char] = set()
    height, width = binary.shape[:2]
    for c in chars:
        if c.text not in RULE_READINGS:
            continue
        x0, x1 = max(0, int(c.x0 * k)), min(width, int(c.x1 * k) + 1)
        y0, y1 = max(0, int(c.top * k)), min(height, int(c.bottom * k) + 1)
        if x1 - x0 < 2 or y1 <= y0:
            continue
        rows = np.count_nonzero(binary[y0:y1, x0:x1], axis=1)
        bar = np.nonzero(rows >= BAR_ROW_FILL * (x1 - x0))[0]
        if bar.size == 0:
            continue
        t0, t1 = y0 + int(bar.min()), y0 + int(bar.max()) + 1
        inked = np.count_nonzero(binary[t0:t1, :], axis=0) >= max(1, t1 - t0 - RULE_ROW_SLACK)
        if _gaps(~inked, min_len_px):  # (a run of inked columns that long)
            out.add(c)
    return out


# --- the shape of a claim's mark -----------------------------------------------------------

# Bands of a mark's ink box, as shares of its height (top and bottom) or width (sides).
MARK_BAND = 0.25
# A √'s vertex (its lowest ink) lies this far in from either side of its box at least; a /
# ends at its box's left side.
TICK_VERTEX_INSET = 0.2
# A mark's ink box is this wide for its height (a √ set narrow, a × square).
MARK_ASPECT = (0.4, 2.0)


def mark_shape(ink: Mask) -> str | None:
    """The mark, √ or ×, whose shape the ink has (one mark, 255 = ink), else None. A
    √: its top only on the right half, its lowest ink (the vertex) inside the box, its
    left arm low. A ×: two strokes, so ink at both sides of its top and of its bottom
    and none in their middle."""
    ys, xs = np.nonzero(ink)
    if xs.size < 8:
        return None
    x0, x1, y0, y1 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
    w, h = x1 - x0, y1 - y0
    if w < 4 or h < 4 or not MARK_ASPECT[0] <= w / h <= MARK_ASPECT[1]:
        return None  # (a stroke or a dash, no mark)
    rx, ry = (xs - x0) / w, (ys - y0) / h
    top, bottom = rx[ry < MARK_BAND], rx[ry >= 1 - MARK_BAND]
    left = ry[rx < MARK_BAND]
    if not top.size or not bottom.size or not left.size:
        return None
    if (
        top.min() >= 0.5
        and TICK_VERTEX_INSET <= float(np.median(bottom)) <= 1 - TICK_VERTEX_INSET
        and left.min() >= 0.4
    ):
        return "√"
    # (a ×'s two strokes part at its top and bottom: ink at both sides, none between)
    if all(
        band.min() < MARK_BAND
        and band.max() > 1 - MARK_BAND
        and not np.any(np.abs(band - 0.5) < MARK_BAND / 2)
        for band in (top, bottom)
    ):
        return "×"
    return None
