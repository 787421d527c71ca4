"""Glyphs → visual lines: grouping by baseline band, spacing from gaps, fake-bold
de-duplication, checkbox glyphs, and running headers/footers.

The reader does not normalise text (Kangxi radicals, full-width forms stay as printed);
the only rewrites here are joining, the checkbox vocabulary and dropping overprints.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from statistics import median
from typing import NamedTuple

from extract.read.layout.geom import Box, Char
from extract.read.layout.settings import PdfSettings
from extract.source import CHECKED, UNCHECKED, Line, Loc

# Ticks as fonts print them: Unicode ballot boxes and check marks, and the private-use
# code points Wingdings/Wingdings 2 glyphs come out as when a PDF maps them verbatim.
CHECKBOX_MAP: dict[str, str] = {
    "☑": CHECKED,
    "☒": CHECKED,
    "■": CHECKED,
    "√": CHECKED,
    "✓": CHECKED,
    "✔": CHECKED,
    "\uf052": CHECKED,  # Wingdings 2 'R': boxed tick
    "\uf0fe": CHECKED,  # Wingdings: boxed tick
    "\uf0fc": CHECKED,  # Wingdings: tick
    "\uf053": CHECKED,  # Wingdings 2 'S': boxed cross
    "☐": UNCHECKED,
    "□": UNCHECKED,
    "\uf0a3": UNCHECKED,  # Wingdings 2: empty box
    "\uf0a8": UNCHECKED,  # Wingdings: empty box
    "\uf06f": UNCHECKED,  # Wingdings 'o': empty box
}

_SPACES = frozenset(" \u3000\u00a0\t")


class TextLine(NamedTuple):
    """A visual line: its chars left to right, its text and box."""

    chars: tuple[Char, ...]
    text: str
    bbox: Box


def map_checkbox(c: Char) -> Char:
    """Replace a tick/box glyph by the shared CHECKED/UNCHECKED mark, in place."""
    mark = CHECKBOX_MAP.get(c.text)
    return c if mark is None else c._replace(text=mark)


def dedupe_chars(chars: Sequence[Char], tolerance: float) -> list[Char]:
    """Drop overprinted copies (fake bold): same text, box within ``tolerance``.

    ``chars`` must be one visual line sorted by x0, so copies are near neighbours.
    """
    out: list[Char] = []
    for c in chars:
        text, x0, top = c[0], c[1], c[2]
        # Look back a few glyphs: triple overprints and interleaved copies exist.
        for prev in out[-4:]:
            if (
                prev[0] == text
                and abs(prev[1] - x0) <= tolerance
                and abs(prev[2] - top) <= tolerance
            ):
                break
        else:
            out.append(c)
    return out


def group_lines(chars: Sequence[Char], overlap_ratio: float) -> list[list[Char]]:
    """Cluster chars into visual lines, top to bottom (chars within a line unsorted).

    A char joins a line if it overlaps the band of the line's tallest char by at least
    ``overlap_ratio`` of the smaller height. Comparing against one reference band, not
    the growing union, keeps staggered table cells from chaining into one line.
    """
    order = sorted(chars, key=_center_y)
    lines: list[list[Char]] = []
    tops: list[float] = []  # reference band per line
    bottoms: list[float] = []
    for c in order:
        c_top, c_bottom = c[2], c[4]
        h = c_bottom - c_top
        k = len(lines) - 1
        # Only the last few lines can overlap a char sorted by its centre.
        stop = k - 3 if k >= 3 else -1
        while k > stop:
            t, b = tops[k], bottoms[k]
            ov = (b if b < c_bottom else c_bottom) - (t if t > c_top else c_top)
            if ov > 0 and ov >= overlap_ratio * (h if h < b - t else b - t):
                lines[k].append(c)
                if h > b - t:
                    tops[k], bottoms[k] = c_top, c_bottom
                break
            k -= 1
        else:
            lines.append([c])
            tops.append(c_top)
            bottoms.append(c_bottom)
    return _closest_lines(lines)


def _closest_lines(lines: list[list[Char]]) -> list[list[Char]]:
    """Each char moved to the neighbouring line whose middle is nearest its own, if that
    is not the line it joined: a glyph whose box is a little shorter (生 of 生态工业链, a
    fallback font's box) can overlap a staggered neighbour line (the row's values, set
    between a name's two lines) by the ratio and its own line's tallest glyph by less."""
    mids = [median(_center_y(c) for c in line) for line in lines]
    moved = False
    out: list[list[Char]] = [[] for _ in lines]
    for k, line in enumerate(lines):
        for c in line:
            y = _center_y(c)
            best = k
            for j in range(max(0, k - 1), min(len(lines), k + 2)):
                if abs(mids[j] - y) < abs(mids[best] - y) - LINE_MOVE_SLACK * (c[4] - c[2]):
                    best = j
            moved = moved or best != k
            out[best].append(c)
    return [line for line in out if line] if moved else lines


# (in double heights: _center_y is top + bottom) a char moves only when another line's
# middle is nearer by this share of its height
LINE_MOVE_SLACK = 0.5


def _center_y(c: Char) -> float:
    return c[2] + c[4]


def join_line(chars: Sequence[Char], word_gap_ratio: float) -> str:
    """Text of one visual line (chars sorted by x0): a space where the gap is wide and
    the PDF has none, a printed space kept once."""
    parts: list[str] = []
    prev_x1 = prev_h = 0.0
    spaced = True  # no space at the start of a line
    for text, x0, top, x1, bottom in chars:
        h = bottom - top
        if text in _SPACES:
            if not spaced:
                parts.append(" ")
                spaced = True
        else:
            if not spaced and x0 - prev_x1 > word_gap_ratio * (h if h > prev_h else prev_h):
                parts.append(" ")
            parts.append(text)
            spaced = False
        prev_x1, prev_h = x1, h
    return "".join(parts).strip()


def make_lines(
    chars: Sequence[Char], overlap_ratio: float, word_gap_ratio: float, dedupe_tol: float
) -> list[TextLine]:
    """Visual lines in top-to-bottom order, checkbox glyphs mapped, overprints dropped."""
    out: list[TextLine] = []
    if not chars:
        return out
    for group in group_lines(chars, overlap_ratio):
        group.sort(key=_x0)
        row = dedupe_chars(group, dedupe_tol) if len(group) > 1 else group
        if any(c.text in CHECKBOX_MAP for c in row):
            row = [map_checkbox(c) for c in row]
        text = join_line(row, word_gap_ratio)
        if not text:
            continue
        out.append(TextLine(tuple(row), text, ink_box(row)))
    return out


def _x0(c: Char) -> float:
    return c[1]


def ink_box(chars: Sequence[Char]) -> Box:
    """Box of the non-space glyphs (all glyphs if there are only spaces)."""
    x0 = top = float("inf")
    x1 = bottom = float("-inf")
    for text, cx0, ctop, cx1, cbottom in chars:
        if text in _SPACES:
            continue
        x0 = cx0 if cx0 < x0 else x0
        top = ctop if ctop < top else top
        x1 = cx1 if cx1 > x1 else x1
        bottom = cbottom if cbottom > bottom else bottom
    if x0 == float("inf"):
        return (chars[0].x0, chars[0].top, chars[-1].x1, chars[-1].bottom)
    return (x0, top, x1, bottom)


_PAGE_NUMBER = re.compile(
    r"^[\s\-—–·•]*(?:第\s*)?[0-9０-９ivxlcdmIVXLCDM]{1,4}(?:\s*页)?"
    r"(?:\s*(?:[/／]|共)\s*(?:共\s*)?[0-9０-９]{1,4}\s*页?)?[\s\-—–·•]*$"
)
_DIGITS = re.compile(r"[0-9０-９]+")


def is_page_number(text: str) -> bool:
    """ "3", "- 3 -", "第 3 页", "3 / 15", "iv": a bare page number."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def repeated_margin_texts(
    page_lines: Sequence[Sequence[str]], margin: int, min_ratio: float
) -> set[str]:
    """Digit-masked texts that sit among the first/last ``margin`` lines of at least
    ``min_ratio`` of the pages (and of two pages or more): running headers/footers."""
    counts: Counter[str] = Counter()
    for texts in page_lines:
        seen = {mask_digits(t) for t in [*texts[:margin], *texts[-margin:]]} if texts else set()
        counts.update(seen)
    need = max(2.0, min_ratio * len(page_lines))
    return {k for k, n in counts.items() if n >= need}


def mask_digits(text: str) -> str:
    return _DIGITS.sub("#", text.replace(" ", ""))


def narrative_lines(
    pages: Sequence[Sequence[TextLine]],
    settings: PdfSettings,
    page_numbers: Sequence[int] | None = None,
) -> list[Line]:
    """Lines of all pages in reading order without running headers/footers and bare
    page numbers, so text flowing over a page break reads on uninterrupted.
    ``page_numbers`` names the pages when they are not 1..N (OCR of some pages only)."""
    texts = [[ln.text for ln in lines] for lines in pages]
    repeated = repeated_margin_texts(texts, settings.margin_lines, settings.repeat_page_ratio)
    out: list[Line] = []
    m = settings.margin_lines
    numbers = page_numbers or range(1, len(pages) + 1)
    for pno, lines in zip(numbers, pages, strict=True):
        n = len(lines)
        for k, ln in enumerate(lines):
            in_margin = k < m or k >= n - m
            if in_margin and (is_page_number(ln.text) or mask_digits(ln.text) in repeated):
                continue
            out.append(Line(ln.text, Loc(page=pno, bbox=ln.bbox)))
    return out
