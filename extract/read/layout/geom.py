"""Plain geometry shared by the PDF reader's stages.

Everything here works on tuples in *display space*: PDF points, origin at the top-left
of the page as a viewer shows it (after /Rotate), ``(x0, top, x1, bottom)`` boxes — the
convention of ``extract.source``. Nothing here touches pypdfium2.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

Box = tuple[float, float, float, float]


class Char(NamedTuple):
    """One glyph as printed: its text and its box in display space."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


class Ruling(NamedTuple):
    """A horizontal (``vertical=False``: at y=pos from x=start to x=end) or vertical
    (at x=pos from top=start to bottom=end) line in display space."""

    vertical: bool
    pos: float
    start: float
    end: float


class PageFrame(NamedTuple):
    """What is needed to map PDF user space to display space: the crop box (what a
    viewer shows) and the clockwise /Rotate in degrees."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @property
    def size(self) -> tuple[float, float]:
        """Displayed (width, height)."""
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)


def to_display(frame: PageFrame, x: float, y: float) -> tuple[float, float]:
    """Map a point of PDF user space (origin bottom-left, y up) to display space.

    /Rotate turns the page clockwise for display: at 90 the crop box's bottom-left
    corner lands at the displayed top-left, at 270 at the displayed bottom-right.
    """
    u = x - frame.left
    v = y - frame.bottom
    w = frame.right - frame.left
    h = frame.top - frame.bottom
    r = frame.rotation
    if r == 90:
        return v, u
    if r == 180:
        return w - u, v
    if r == 270:
        return h - v, w - u
    return u, h - v


def box_to_display(frame: PageFrame, left: float, bottom: float, right: float, top: float) -> Box:
    """Map a user-space rectangle (left, bottom, right, top) to a display-space box."""
    ax, ay = to_display(frame, left, bottom)
    bx, by = to_display(frame, right, top)
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def cluster_values(values: Sequence[float], tolerance: float) -> list[list[float]]:
    """Group sorted-able numbers into runs whose neighbours differ by at most
    ``tolerance`` (single linkage along the line)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tolerance:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def merge_intervals(
    intervals: Iterable[tuple[float, float]], gap: float
) -> list[tuple[float, float]]:
    """Union of 1-D intervals, also bridging holes up to ``gap`` wide."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + gap:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def covered_length(intervals: Sequence[tuple[float, float]], a: float, b: float) -> float:
    """How much of [a, b] the (merged, non-overlapping) ``intervals`` cover."""
    total = 0.0
    for s, e in intervals:
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            total += hi - lo
    return total


def free_bands(
    merged: Sequence[tuple[float, float]], lo: float, hi: float
) -> list[tuple[float, float]]:
    """The parts of [lo, hi] that no interval covers (whitespace between text), in
    order. ``merged`` must be sorted and disjoint (``merge_intervals`` output)."""
    out: list[tuple[float, float]] = []
    cur = lo
    start = bisect_right(merged, (lo, float("inf"))) - 1
    for s, e in merged[max(start, 0) :]:
        if e <= cur:
            continue
        if s >= hi:
            break
        if s > cur:
            out.append((cur, min(s, hi)))
        cur = max(cur, e)
        if cur >= hi:
            break
    if cur < hi:
        out.append((cur, hi))
    return out
