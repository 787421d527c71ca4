"""Ruled tables: rulings → grid lines → (merged) cells → text.

A ruled table is a connected set of horizontal and vertical rulings. Its distinct
x positions and y positions cut it into elementary cells; where the ruling between two
neighbouring elementary cells is missing they form one merged cell (a rowspan such as
the 分类 column, or a colspan). A merged cell's text goes to its top-left position; the
positions it covers stay as empty cells, so every row keeps the same column count.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from extract.read.layout.geom import (
    Box,
    Char,
    Ruling,
    cluster_values,
    covered_length,
    merge_intervals,
)
from extract.read.layout.settings import PdfSettings


def snap_and_join(rulings: Sequence[Ruling], settings: PdfSettings) -> list[Ruling]:
    """Rulings of one orientation with near-equal positions snapped to their mean and
    collinear pieces joined across small gaps; short leftovers dropped."""
    mean_of: dict[float, float] = {}
    for group in cluster_values([r.pos for r in rulings], settings.snap_tolerance):
        mean = sum(group) / len(group)
        mean_of.update((v, mean) for v in group)
    by_pos: dict[float, list[Ruling]] = defaultdict(list)
    for r in rulings:
        by_pos[mean_of[r.pos]].append(r)
    out: list[Ruling] = []
    for pos, members in by_pos.items():
        vertical = members[0].vertical
        for a, b in merge_intervals(((r.start, r.end) for r in members), settings.join_tolerance):
            if b - a >= settings.min_ruling_length:
                out.append(Ruling(vertical, pos, a, b))
    return out


def intersects(h: Ruling, v: Ruling, tolerance: float) -> bool:
    """Does the horizontal ruling ``h`` meet the vertical ruling ``v`` (with slack)?"""
    return (
        h.start - tolerance <= v.pos <= h.end + tolerance
        and v.start - tolerance <= h.pos <= v.end + tolerance
    )


def connected_groups(
    rulings: Sequence[Ruling], tolerance: float
) -> list[tuple[list[Ruling], list[Ruling]]]:
    """Split rulings into sets that touch each other: one set per table."""
    hs = [r for r in rulings if not r.vertical]
    vs = [r for r in rulings if r.vertical]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if intersects(h, v, tolerance):
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Ruling], list[Ruling]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


@dataclass(frozen=True, slots=True)
class Grid:
    """Grid lines of one ruled table and the merged cell each elementary cell belongs
    to. ``owner[r][c]`` is the (row, col) of the top-left elementary cell of the merged
    cell covering (r, c)."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    owner: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def bbox(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell_box(self, r: int, c: int) -> Box:
        """Box of the merged cell anchored at (r, c) (elementary box if not an anchor)."""
        r1, c1 = r, c
        while r1 + 1 < len(self.ys) - 1 and self.owner[r1 + 1][c] == (r, c):
            r1 += 1
        while c1 + 1 < len(self.xs) - 1 and self.owner[r][c1 + 1] == (r, c):
            c1 += 1
        return (self.xs[c], self.ys[r], self.xs[c1 + 1], self.ys[r1 + 1])

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """The merged cell (its anchor) holding point (x, y), or None if outside."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        r = min(bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        return self.owner[r][c]


def grid_lines(
    hs: Sequence[Ruling], vs: Sequence[Ruling], min_gap: float, tolerance: float
) -> tuple[list[float], list[float]]:
    """Distinct x and y positions of a table's grid lines. Where rows stick out past the
    outermost vertical ruling (tables drawn without side borders) the rulings' ends
    act as the missing outer lines; likewise for columns. It takes two rulings sticking
    out: one long line is a running-header rule touching the table, not a border."""
    xs = [v.pos for v in vs]
    ys = [h.pos for h in hs]
    xs += _open_sides([(h.start, h.end) for h in hs], min(xs), max(xs), tolerance)
    ys += _open_sides([(v.start, v.end) for v in vs], min(ys), max(ys), tolerance)
    # Lines closer than a minimal cell are one line (double borders, thick frames).
    return (
        [sum(g) / len(g) for g in cluster_values(xs, min_gap)],
        [sum(g) / len(g) for g in cluster_values(ys, min_gap)],
    )


def _open_sides(
    extents: Sequence[tuple[float, float]], lo: float, hi: float, tolerance: float
) -> list[float]:
    """Outer edges implied by rulings that run past the outermost crossing lines
    [lo, hi] on either side (at least two must agree)."""
    out = []
    before = sorted(a for a, _ in extents if a < lo - tolerance)
    after = sorted((b for _, b in extents if b > hi + tolerance), reverse=True)
    if len(before) >= 2:
        out.append(before[1])  # the second-outermost: a lone longer line does not count
    if len(after) >= 2:
        out.append(after[1])
    return out


def build_grid(hs: Sequence[Ruling], vs: Sequence[Ruling], settings: PdfSettings) -> Grid | None:
    """The grid of one connected ruling set, or None if it is too small for a table."""
    tol = settings.snap_tolerance
    xs, ys = grid_lines(hs, vs, max(tol, 4.0), settings.intersection_tolerance)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < max(settings.min_grid_rows, 1) or n_cols < max(settings.min_grid_cols, 1):
        return None
    v_at = [_rulings_near(vs, x, tol) for x in xs]
    h_at = [_rulings_near(hs, y, tol) for y in ys]
    ratio = settings.min_boundary_coverage
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root stays the top-left cell

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not drawn(v_at[c + 1], ys[r], ys[r + 1], ratio):
                join(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and not drawn(h_at[r + 1], xs[c], xs[c + 1], ratio):
                join(r * n_cols + c, (r + 1) * n_cols + c)
    owner = tuple(
        tuple(divmod(find(r * n_cols + c), n_cols) for c in range(n_cols)) for r in range(n_rows)
    )
    return Grid(tuple(xs), tuple(ys), owner)


def _rulings_near(rulings: Sequence[Ruling], pos: float, tol: float) -> list[tuple[float, float]]:
    return merge_intervals(((r.start, r.end) for r in rulings if abs(r.pos - pos) <= tol), tol)


def drawn(intervals: Sequence[tuple[float, float]], a: float, b: float, ratio: float) -> bool:
    """Is the boundary segment [a, b] covered by rulings for at least ``ratio``?"""
    return b > a and covered_length(intervals, a, b) >= ratio * (b - a)


def assign_chars(
    grid: Grid, chars: Sequence[Char]
) -> tuple[dict[tuple[int, int], list[Char]], list[Char]]:
    """Chars by the merged cell their centre falls in; chars outside the grid apart. A
    cell's text run past its right rule (a name's closing ） set over the border, no
    wrap) stays in the cell: the glyph touches the one before it, drawn just before it,
    where the next cell's own text keeps its padding off the rule."""
    inside: dict[tuple[int, int], list[Char]] = defaultdict(list)
    outside: list[Char] = []
    prev: Char | None = None
    prev_key: tuple[int, int] | None = None
    for ch in chars:
        key = grid.locate((ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2)
        if key is not None and prev is not None and prev_key is not None and key != prev_key:
            h = ch.bottom - ch.top
            if (
                abs(ch.top - prev.top) <= OVERFLOW_LINE_SLACK * h
                and 0 <= ch.x0 - prev.x1 <= OVERFLOW_GAP_RATIO * h
            ):
                key = prev_key
        if key is None:
            outside.append(ch)
        else:
            inside[key].append(ch)
        if ch.text.strip():
            prev, prev_key = ch, key
    return inside, outside


# A glyph that overflows its cell touches the glyph before it: within this share of its
# height horizontally, on the same line (tops within this share).
OVERFLOW_GAP_RATIO = 0.15
OVERFLOW_LINE_SLACK = 0.3
