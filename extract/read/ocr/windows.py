"""Which stretch of a line to read again, and how its new reading goes back in.

A narrative line first read at half scale is read again at full scale when it holds a
digit and an unsure glyph (half scale merges repeated digits: 1355.44 read 155.44). The
words around the numbers read the same at either scale, so only the numbers (with a
few glyphs of context) and the unsure glyphs are read again: on the Changchun scan
the full-scale re-reads of whole lines were a fifth of the run's time. Pure functions
over glyph strings and column spans in the line's upright crop (pixels from its left).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

# Glyphs that belong to a number when they touch a digit: decimal point, thousands
# comma, percent and per mille, signs and ranges.
NUMBER_MARKS = frozenset(".,，．%％‰-−－‒+~～")
# Glyphs of context kept either side of a number: the recogniser reads a glyph by its
# neighbours, and a merged digit's ink can lie under the glyph next to the number.
CONTEXT_GLYPHS = 2
# A cut between two glyphs goes through a blank column (no more than this many ink
# pixels) found within this many em of the middle of the gap between their boxes.
BLANK_COLUMN_INK = 1
CUT_SEARCH_EM = 0.35
# Paper added either side of a window, in em: the ~0.4 em the detector's box leaves.
EDGE_PAPER_EM = 0.4
# Not worth cutting: a window that would cover this share of the line's width or more
# is the whole line read again.
WHOLE_LINE_SHARE = 0.7


def number_spans(glyphs: Sequence[str], unsure: Sequence[bool]) -> list[tuple[int, int]]:
    """Glyph index ranges ``(first, last)`` to read again: every run of digits with the
    number marks that touch it, and every unsure glyph, each widened by
    ``CONTEXT_GLYPHS`` either side; ranges that overlap or touch merged."""
    n = len(glyphs)
    hot = [g.isdigit() or u for g, u in zip(glyphs, unsure, strict=True)]
    # A mark joins a number only where a digit stands on one side of it.
    for k, g in enumerate(glyphs):
        if g in NUMBER_MARKS and (
            (k > 0 and glyphs[k - 1].isdigit()) or (k + 1 < n and glyphs[k + 1].isdigit())
        ):
            hot[k] = True
    spans: list[tuple[int, int]] = []
    for k in (k for k in range(n) if hot[k]):
        lo, hi = max(0, k - CONTEXT_GLYPHS), min(n - 1, k + CONTEXT_GLYPHS)
        if spans and lo <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def ink_columns(crop: npt.NDArray[np.uint8], drop: int = 60) -> npt.NDArray[np.int64]:
    """Ink pixels per column of a line's crop (gray or RGB): darker than its paper (the
    median of its top and bottom rows) by ``drop`` or more."""
    gray = crop if crop.ndim == 2 else crop.mean(axis=2)
    paper = float(np.median(np.concatenate([gray[0], gray[-1]])))
    out: npt.NDArray[np.int64] = (gray < paper - drop).sum(axis=0)
    return out


def blank_cut(ink: npt.NDArray[np.int64], left: float, right: float, em: float) -> int | None:
    """A blank column (``BLANK_COLUMN_INK``) between a glyph ending at ``left`` and the
    next starting at ``right`` (crop px), the one nearest the middle of the gap within
    ``CUT_SEARCH_EM``; None when there is none (the cut would go through ink)."""
    mid = (left + right) / 2.0
    reach = max(1.0, CUT_SEARCH_EM * em, (right - left) / 2.0)
    lo, hi = max(0, int(np.floor(mid - reach))), min(len(ink) - 1, int(np.ceil(mid + reach)))
    blank = [x for x in range(lo, hi + 1) if ink[x] <= BLANK_COLUMN_INK]
    if not blank:
        return None
    return min(blank, key=lambda x: abs(x - mid))


def window_columns(
    spans: Sequence[tuple[int, int]],
    boxes: Sequence[tuple[float, float]],
    ink: npt.NDArray[np.int64],
    em: float,
) -> list[tuple[int, int, int, int]] | None:
    """The crop columns ``(x0, x1, first, last)`` to read again for ``spans`` of glyphs
    whose column spans are ``boxes``: each cut through a blank column, widened a glyph
    at a time until one is found (the line's ends need none); spans that meet after
    widening merged. None when the windows together are most of the line
    (``WHOLE_LINE_SHARE``): the whole line is read again instead."""
    n, width = len(boxes), len(ink)
    out: list[tuple[int, int, int, int]] = []
    for first, last in spans:
        x0 = 0
        while first > 0:
            cut = blank_cut(ink, boxes[first - 1][1], boxes[first][0], em)
            if cut is not None:
                x0 = cut
                break
            first -= 1
        x1 = width
        while last < n - 1:
            cut = blank_cut(ink, boxes[last][1], boxes[last + 1][0], em)
            if cut is not None:
                x1 = cut + 1
                break
            last += 1
        if out and first <= out[-1][3] + 1:
            a0, _, f0, _ = out[-1]
            out[-1] = (a0, x1, f0, last)
        else:
            out.append((x0, x1, first, last))
    if sum(x1 - x0 for x0, x1, _, _ in out) >= WHOLE_LINE_SHARE * width:
        return None
    return out


def edges_hold(glyphs: Sequence[str], first: int, last: int, reading: Sequence[str]) -> bool:
    """Whether a window's ``reading`` (its glyphs) begins with the line's glyph ``first``
    and ends with its glyph ``last`` where the window was cut (not at the line's ends),
    width forms aside: a cut through a glyph loses or splits it."""
    if not reading:
        return False
    if first > 0 and not _same(reading[0], glyphs[first]):
        return False
    return last >= len(glyphs) - 1 or _same(reading[-1], glyphs[last])


def _same(a: str, b: str) -> bool:
    return unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)


def splice(text: str, first: int, last: int, reading: str) -> str:
    """``text`` with its glyphs ``first``..``last`` (counted without spaces) replaced by
    ``reading``."""
    solid = [k for k, ch in enumerate(text) if not ch.isspace()]
    return text[: solid[first]] + reading.strip() + text[solid[last] + 1 :]
