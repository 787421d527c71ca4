"""Table structure from a page image: deskew, ruling lines, cell grid with merged cells.

Everything here works on numpy images in pixels of the rendered page, ink = dark.
Rulings are found with OpenCV morphology: opening a binarised page with a long thin
kernel keeps only runs of ink at least that long (table borders), never glyph strokes.
A grid's row and column lines are the rulings' snapped positions; a boundary between
two elementary cells that no ruling covers means the two are one merged cell, kept at
its top-left position (the convention of ``extract.source``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.uint8]
PixBox = tuple[float, float, float, float]
Affine = npt.NDArray[np.float64]  # 2×3


# --- colour and binarisation -------------------------------------------------------------


# Seal ink: clearly redder than green and blue, and light in the red channel: within
# this of the paper's level. Print under a seal stays darker there (grey text under red
# is dark red), and the seal's own strokes are nearly paper. The fringe of a seal's
# strokes (ink thinned by paper, JPEG blur) is less red: the mask is grown by this many
# pixels over light pixels.
SEAL_MIN_REDNESS = 30
SEAL_LIGHT_MARGIN = 75
SEAL_FRINGE_PX = 1


def split_seal(
    rgb: npt.NDArray[np.uint8], min_redness: int = SEAL_MIN_REDNESS
) -> tuple[Gray, Mask | None]:
    """The page as gray with red ink dropped, and where the seal was (None: no seal).
    Official seals are red and printed over the text: in the red channel the seal is
    nearly as light as paper while print (also where the seal covers it) stays dark;
    what is left of the seal, light and clearly red, is set to the paper's level. (Set
    to white, on grey or blue paper each stroke left a hole whose edge the local
    threshold drew as ink: the seal's outline read as 一, 二, A beside the values.)"""
    if rgb.ndim == 2:
        return rgb, None
    gray = np.ascontiguousarray(rgb[:, :, 0])  # a copy: the red channel
    paper = int(np.median(gray[::8, ::8]))
    level = paper - SEAL_LIGHT_MARGIN
    light = gray > level if level >= 0 else np.ones(gray.shape, dtype=bool)
    # Red less the brighter of green and blue, saturated at 0 (only > 0 matters), in
    # 8 bits: the page's full-size int16 copies were most of this function's time.
    redness = cv2.subtract(gray, np.maximum(rgb[:, :, 1], rgb[:, :, 2]))
    seal = ((redness > min_redness) & light).astype(np.uint8)
    if not seal.any():
        return gray, None
    k = 2 * SEAL_FRINGE_PX + 1
    grown = cv2.dilate(seal, np.ones((k, k), np.uint8)).astype(bool) & light
    gray[grown] = paper
    return gray, np.asarray(grown, dtype=np.uint8) * 255


def ink_gray(rgb: npt.NDArray[np.uint8], min_redness: int = SEAL_MIN_REDNESS) -> Gray:
    """The page as gray with red ink dropped (``split_seal``)."""
    return split_seal(rgb, min_redness)[0]


def binarize(gray: Gray) -> Mask:
    """Ink = 255. Local mean thresholding copes with uneven scanner illumination."""
    out = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    return np.asarray(out, dtype=np.uint8)


# --- deskew ------------------------------------------------------------------------------


def _profile_score(binary: Mask, angle: float) -> float:
    """Sharpness of the row-ink profile after rotating by ``angle``: text lines and
    rulings make tall narrow peaks when they are level."""
    h, w = binary.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(binary, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = rot.sum(axis=1, dtype=np.float64)
    return float(np.sum(np.diff(rows) ** 2))


def estimate_skew(gray: Gray, max_skew: float = 3.0, step: float = 0.05) -> float:
    """The rotation (degrees, OpenCV sign: positive = counter-clockwise) that levels the
    page, by a coarse-to-fine search of the projection profile on a downscaled page."""
    scale = min(1.0, 900.0 / max(gray.shape))
    small = np.asarray(
        cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), dtype=np.uint8
    )
    binary = binarize(small)
    if not binary.any():
        return 0.0
    best, span, coarse = 0.0, max_skew, 0.5
    while True:
        angles = np.arange(best - span, best + span + 1e-9, coarse)
        scores = [_profile_score(binary, float(a)) for a in angles]
        best = float(angles[int(np.argmax(scores))])
        if coarse <= step:
            return round(best, 3)
        span, coarse = coarse, max(step, coarse / 5)


def rotate(
    image: npt.NDArray[np.uint8], angle: float, fill: int | None = None
) -> tuple[npt.NDArray[np.uint8], Affine]:
    """The image rotated by ``angle`` about its centre (same size, filled with the
    paper's colour) and the affine map from original to rotated pixel coordinates.
    A white fill beside grey or blue paper made a false edge that the local threshold
    turned into a strip of ink specks along the page's border (read as "2")."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    value: int | tuple[int, ...]
    if fill is not None:
        value = fill
    elif image.ndim == 3:
        value = tuple(int(v) for v in np.median(image[::8, ::8].reshape(-1, image.shape[2]), 0))
    else:
        value = int(np.median(image[::8, ::8]))
    out = cv2.warpAffine(
        image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=value
    )
    return np.asarray(out, dtype=np.uint8), np.asarray(m, dtype=np.float64)


def map_box(box: PixBox, m: Affine) -> PixBox:
    """The axis-aligned box around ``box``'s corners mapped by the affine ``m``."""
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
    out = pts @ m.T
    return (
        float(out[:, 0].min()),
        float(out[:, 1].min()),
        float(out[:, 0].max()),
        float(out[:, 1].max()),
    )


def invert(m: Affine) -> Affine:
    return np.asarray(cv2.invertAffineTransform(m), dtype=np.float64)


# --- rulings -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling in pixels: horizontal at y=pos from start to end, or vertical at x=pos."""

    vertical: bool
    pos: float
    start: float
    end: float


def ruling_masks(
    binary: Mask, min_len_px: int, short_len_px: int | None = None
) -> tuple[Mask, Mask, Mask]:
    """Horizontal and vertical ruling ink: runs of at least ``min_len_px``, with small
    breaks (noise, JPEG) closed first so a dashed-looking scan line stays one line; and
    vertical runs of at least ``short_len_px`` (default: the same mask), from the same
    closing (each closing and opening is a full-page pass)."""
    closed_h = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, np.ones((1, 5), np.uint8))
    closed_v = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, np.ones((5, 1), np.uint8))
    horiz = cv2.morphologyEx(closed_h, cv2.MORPH_OPEN, np.ones((1, min_len_px), np.uint8))
    vert = np.asarray(
        cv2.morphologyEx(closed_v, cv2.MORPH_OPEN, np.ones((min_len_px, 1), np.uint8)),
        dtype=np.uint8,
    )
    short = vert
    if short_len_px is not None and short_len_px != min_len_px:
        short = np.asarray(
            cv2.morphologyEx(closed_v, cv2.MORPH_OPEN, np.ones((short_len_px, 1), np.uint8)),
            dtype=np.uint8,
        )
    return np.asarray(horiz, dtype=np.uint8), vert, short


def segments(mask: Mask, vertical: bool, max_thickness_px: float) -> list[Segment]:
    """One segment per connected run of ruling ink, thin ones only."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Segment] = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        thick, length = (w, h) if vertical else (h, w)
        if thick > max_thickness_px * 3 or length < 4 * thick:
            continue  # a filled block (or a dark speck bridging two rulings), not a line
        if vertical:
            out.append(Segment(True, x + w / 2, float(y), float(y + h)))
        else:
            out.append(Segment(False, y + h / 2, float(x), float(x + w)))
    return out


def cluster_positions(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted positions with those within ``tolerance`` of their neighbour merged (mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


# --- grids -------------------------------------------------------------------------------


@dataclass(slots=True)
class PixGrid:
    """A ruled table: row lines ``ys`` and column lines ``xs`` (pixels), and for each
    elementary cell the top-left elementary cell of the merged cell covering it."""

    xs: list[float]
    ys: list[float]
    owner: list[list[tuple[int, int]]]

    @property
    def bbox(self) -> PixBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell_box(self, r: int, c: int) -> PixBox:
        """The box of the merged cell whose top-left elementary cell is (r, c)."""
        rows = [i for i, row in enumerate(self.owner) for o in row if o == (r, c)]
        cols = [j for row in self.owner for j, o in enumerate(row) if o == (r, c)]
        return (
            self.xs[min(cols)],
            self.ys[min(rows)],
            self.xs[max(cols) + 1],
            self.ys[max(rows) + 1],
        )

    def locate_elementary(self, x: float, y: float) -> tuple[int, int] | None:
        """The elementary cell (row, column) holding the point, or None outside."""
        c = int(np.searchsorted(self.xs, x)) - 1
        r = int(np.searchsorted(self.ys, y)) - 1
        if 0 <= r < len(self.ys) - 1 and 0 <= c < len(self.xs) - 1:
            return (r, c)
        return None

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """The owning cell of the point, or None outside the grid."""
        c = int(np.searchsorted(self.xs, x)) - 1
        r = int(np.searchsorted(self.ys, y)) - 1
        if 0 <= r < len(self.ys) - 1 and 0 <= c < len(self.xs) - 1:
            return self.owner[r][c]
        return None


def coverage(mask: Mask, vertical: bool, pos: float, lo: float, hi: float, tol: int) -> float:
    """Share of the span lo..hi along a grid line at ``pos`` that ruling ink covers."""
    p, a, b = round(pos), int(lo), int(hi)
    if b <= a:
        return 0.0
    if vertical:
        band = mask[a:b, max(0, p - tol) : p + tol + 1]
        return float(band.any(axis=1).mean()) if band.size else 0.0
    band = mask[max(0, p - tol) : p + tol + 1, a:b]
    return float(band.any(axis=0).mean()) if band.size else 0.0


def merge_owners(
    n_rows: int, n_cols: int, open_right: set[tuple[int, int]], open_down: set[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Union elementary cells across undrawn boundaries; each gets its group's
    top-left cell. ``open_right`` holds (r, c) whose right boundary is not drawn."""
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(a: tuple[int, int]) -> tuple[int, int]:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the top-left one stays the root

    for r, c in open_right:
        union((r, c), (r, c + 1))
    for r, c in open_down:
        union((r, c), (r + 1, c))
    return [[find((r, c)) for c in range(n_cols)] for r in range(n_rows)]


def build_grid(
    hsegs: Sequence[Segment],
    vsegs: Sequence[Segment],
    hmask: Mask,
    vmask: Mask,
    snap_px: float,
    min_coverage: float,
    min_rows: int = 2,
    min_cols: int = 2,
) -> PixGrid | None:
    """The grid of one connected set of rulings, or None when it is no table."""
    ys = cluster_positions([s.pos for s in hsegs], snap_px)
    xs = cluster_positions([s.pos for s in vsegs], snap_px)
    ys = open_edges(ys, len(xs), vsegs, snap_px)
    if len(ys) - 1 < min_rows or len(xs) - 1 < min_cols:
        return None
    tol = max(2, int(snap_px))
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    open_right: set[tuple[int, int]] = set()
    open_down: set[tuple[int, int]] = set()
    for r in range(n_rows):
        for c in range(n_cols - 1):
            if coverage(vmask, True, xs[c + 1], ys[r], ys[r + 1], tol) < min_coverage:
                open_right.add((r, c))
    for r in range(n_rows - 1):
        for c in range(n_cols):
            if coverage(hmask, False, ys[r + 1], xs[c], xs[c + 1], tol) < min_coverage:
                open_down.add((r, c))
    grid = PixGrid(xs, ys, merge_owners(n_rows, n_cols, open_right, open_down))
    return _drop_empty_margins(grid)


def open_edges(
    ys: list[float], n_cols: int, vsegs: Sequence[Segment], snap_px: float
) -> list[float]:
    """Row lines with an undrawn top or bottom edge added: a table part continued from
    (or onto) another page may have no ruling above its first row (below its last), yet
    its column lines run there. When most column lines run on beyond the outer row line
    by more than a few snaps, their ends are the edge."""
    if not ys or n_cols < 2:
        return ys
    need = max(2, (n_cols + 1) // 2)
    above = [s.start for s in vsegs if ys[0] - s.start > 3 * snap_px]
    below = [s.end for s in vsegs if s.end - ys[-1] > 3 * snap_px]
    out = list(ys)
    if len(above) >= need:
        out.insert(0, float(np.median(above)))
    if len(below) >= need:
        out.append(float(np.median(below)))
    return out


def _drop_empty_margins(grid: PixGrid) -> PixGrid | None:
    """A grid whose every cell is one merged cell is a frame, not a table."""
    owners = {o for row in grid.owner for o in row}
    return grid if len(owners) > 1 else None


def _touches(mask: Mask, x: float, y: float, reach: int) -> bool:
    """Is there ruling ink within ``reach`` pixels of the point?"""
    h, w = mask.shape
    xi, yi = round(x), round(y)
    y0, y1 = max(0, yi - reach), min(h, yi + reach + 1)
    x0, x1 = max(0, xi - reach), min(w, xi + reach + 1)
    return bool(mask[y0:y1, x0:x1].any()) if y1 > y0 and x1 > x0 else False


def anchored(
    segs: Sequence[Segment], cross: Mask, long_px: float, reach: int, long_needs_one: bool = False
) -> list[Segment]:
    """Long segments, and short ones whose both ends meet a crossing ruling: a border
    of one low row (邮编 | 061113) is short, a glyph's stroke of the same length
    floats free of the table's lines. With ``long_needs_one`` a long segment must meet
    a crossing ruling at one end at least: the aligned bottom strokes of a line of
    glyphs (工业园区…), closed into one run, make a long horizontal that touches no
    column line and would cut a wrapped row in two."""
    out: list[Segment] = []
    for sg in segs:
        a = (sg.pos, sg.start) if sg.vertical else (sg.start, sg.pos)
        b = (sg.pos, sg.end) if sg.vertical else (sg.end, sg.pos)
        if sg.end - sg.start >= long_px:
            if not long_needs_one or _touches(cross, *a, reach) or _touches(cross, *b, reach):
                out.append(sg)
            continue
        if not (_touches(cross, *a, reach) and _touches(cross, *b, reach)):
            continue
        if long_needs_one and _crosses(cross, sg, reach):
            # A border of one low row runs from one row line to the next; a run that
            # crosses a row line is strokes of glyphs aligned in two rows (量ª over 量ª)
            # closed through the ruling between them.
            continue
        out.append(sg)
    return out


def _clear_sides(binary: Mask, sg: Segment, offset: int) -> bool:
    """Is there paper on at least one side of a vertical segment, ``offset`` pixels
    away, along most of its inside? A ruling is a line with paper beside it; a dark
    speck closed into a run between two rulings has ink on both sides."""
    lo, hi = int(sg.start) + offset, int(sg.end) - offset
    p = round(sg.pos)
    if hi <= lo:
        return True
    sides = []
    for x in (p - offset, p + offset):
        if 0 <= x < binary.shape[1]:
            sides.append(float(np.count_nonzero(binary[lo:hi, x])) / (hi - lo))
    return not sides or min(sides) < 0.3


def _crosses(cross: Mask, sg: Segment, reach: int) -> bool:
    """Does a crossing ruling meet the segment between its ends (beyond ``reach``)?"""
    lo, hi = int(sg.start) + 2 * reach + 1, int(sg.end) - 2 * reach - 1
    if hi <= lo:
        return False
    p = round(sg.pos)
    band = (
        cross[lo:hi, max(0, p - 1) : p + 2] if sg.vertical else cross[max(0, p - 1) : p + 2, lo:hi]
    )
    return bool(band.any())


def find_grids(
    binary: Mask,
    min_len_px: int,
    max_thickness_px: float,
    snap_px: float,
    min_coverage: float,
    min_rows: int = 1,
    min_cols: int = 2,
    short_len_px: int | None = None,
) -> list[PixGrid]:
    """Every ruled table on a (deskewed) page, top to bottom. Rulings shorter than
    ``min_len_px`` (down to ``short_len_px``) count only where both ends meet a
    crossing ruling."""
    short = short_len_px or min_len_px
    # Short pieces are taken for vertical rulings only (the borders of one low row,
    # 邮编 | 061113); a table's horizontal rulings span at least a column.
    long_h, long_v, short_v = ruling_masks(binary, min_len_px, min(short, min_len_px))
    hmask = long_h
    vmask = short_v
    both = cv2.bitwise_or(long_h, long_v)
    # Rulings of one table touch (or nearly: a scanner breaks joints), so a table is a
    # connected component of the slightly dilated ruling ink.
    joined = cv2.dilate(both, np.ones((5, 5), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    reach = max(2, int(snap_px / 2))
    grids: list[PixGrid] = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < min_len_px or h < 2:
            continue
        # Work on the component's bounding box only (a full-page pass per component
        # cost ~3 s on a page with many short strokes).
        box = (slice(y, y + h), slice(x, x + w))
        hm, vm = hmask[box], vmask[box]
        # Anchor short pieces on long rulings only: glyph strokes would anchor each other.
        hs = anchored(
            segments(hm, False, max_thickness_px),
            long_v[box],
            min_len_px,
            reach,
            bool(long_v[box].any()),
        )
        # Verticals anchor on the horizontals kept: a glyph's closed strokes (园区's
        # tops and bottoms) would otherwise hold a stroke of 区 up as a column line.
        kept_h = _draw(hs, hm.shape) if hs else long_h[box]
        vs = anchored(
            segments(vm, True, max_thickness_px),
            np.asarray(cv2.dilate(kept_h, np.ones((3, 3), np.uint8)), dtype=np.uint8),
            min_len_px,
            reach,
            bool(kept_h.any()),
        )
        ink = binary[box]
        vs = [sg for sg in vs if sg.end - sg.start >= min_len_px or _clear_sides(ink, sg, reach)]
        grid = build_grid(
            hs,
            vs,
            _draw(hs, hm.shape),
            _draw(vs, vm.shape),
            snap_px,
            min_coverage,
            min_rows,
            min_cols,
        )
        if grid is not None:
            grid.xs = [v + x for v in grid.xs]
            grid.ys = [v + y for v in grid.ys]
            grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _draw(segs: Sequence[Segment], shape: tuple[int, ...]) -> Mask:
    """A mask holding only the kept segments (2 px wide), for boundary coverage."""
    mask = np.zeros(shape[:2], np.uint8)
    for sg in segs:
        p, a, b = round(sg.pos), int(sg.start), int(sg.end)
        if sg.vertical:
            mask[a:b, max(0, p - 1) : p + 2] = 255
        else:
            mask[max(0, p - 1) : p + 2, a:b] = 255
    return mask


def ink_ratio(binary: Mask, box: PixBox, inset: float) -> float:
    """Share of ink pixels inside ``box`` shrunk by ``inset`` (keeps rulings out)."""
    x0, y0, x1, y1 = (
        int(box[0] + inset),
        int(box[1] + inset),
        int(box[2] - inset),
        int(box[3] - inset),
    )
    if x1 <= x0 or y1 <= y0:
        return 0.0
    return float(np.count_nonzero(binary[y0:y1, x0:x1])) / ((x1 - x0) * (y1 - y0))


# --- false column lines ----------------------------------------------------------------

# A glyph is cut by a column line that passes through it this far inside its ink box
# (share of its width from either side): a real ruling passes between glyphs, and a
# glyph box fitted to ink next to a ruling ends at it or takes it in at its edge.
GLYPH_CUT_MARGIN = 0.15
# Column lines that cut this many glyphs, and in this share of the grid's rows, are
# glyph stems, not a ruling: stems line up row over row down a column of names, while a
# glyph box that took in a real ruling's ink (a 序号 set close to its line) is rare.
MIN_CUT_GLYPHS = 4
MIN_CUT_ROW_SHARE = 0.3


def cut_columns(grid: PixGrid, glyph_boxes: Sequence[PixBox]) -> list[int]:
    """Interior column lines (indexes into ``grid.xs``) that run through recognised
    glyphs. The stems of a monospaced column of names, stacked row over row, close into
    a long vertical run that looks like a ruling (园区环境风险防控 | 体系建设完善度)."""
    _, gy0, _, gy1 = grid.bbox
    boxes = np.asarray(glyph_boxes, dtype=np.float64).reshape(-1, 4)
    mid = (boxes[:, 1] + boxes[:, 3]) / 2
    boxes = boxes[(gy0 <= mid) & (mid <= gy1)]
    m = GLYPH_CUT_MARGIN * (boxes[:, 2] - boxes[:, 0])
    lo, hi = boxes[:, 0] + m, boxes[:, 2] - m
    keep = lo < hi
    # Glyphs a line at x runs through: those starting left of x less those ending at or
    # left of it (sorted ends, not a pass over every glyph per line).
    starts, ends = np.sort(lo[keep]), np.sort(hi[keep])
    xs = np.asarray(grid.xs[1:-1], dtype=np.float64)
    through = np.searchsorted(starts, xs, side="left") - np.searchsorted(ends, xs, side="right")
    need = max(MIN_CUT_GLYPHS, MIN_CUT_ROW_SHARE * (len(grid.ys) - 1))
    return [j + 1 for j, n in enumerate(through.tolist()) if n >= need]


def without_column(grid: PixGrid, j: int) -> PixGrid:
    """``grid`` with interior column line ``j`` removed: the cells either side of it
    are one. A row boundary stays only where it was drawn on both sides."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 2
    own = grid.owner

    def old(c: int) -> list[int]:
        return [c] if c < j - 1 else [j - 1, j] if c == j - 1 else [c + 1]

    open_right = {
        (r, c)
        for r in range(n_rows)
        for c in range(n_cols - 1)
        if own[r][old(c)[-1]] == own[r][old(c)[-1] + 1]
    }
    open_down = {
        (r, c)
        for r in range(n_rows - 1)
        for c in range(n_cols)
        if all(own[r][o] == own[r + 1][o] for o in old(c))
    }
    xs = grid.xs[:j] + grid.xs[j + 1 :]
    return PixGrid(xs, list(grid.ys), merge_owners(n_rows, n_cols, open_right, open_down))


def drop_cut_columns(grid: PixGrid, glyph_boxes: Sequence[PixBox]) -> PixGrid:
    """``grid`` without the column lines that run through glyphs (``cut_columns``)."""
    for j in reversed(cut_columns(grid, glyph_boxes)):
        grid = without_column(grid, j)
    return grid
