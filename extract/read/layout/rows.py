"""Rows of a borderless table: every column's line pieces placed into rows at once.

A borderless row is known by an anchor — its 序号, or the one-line values most of its
value columns print at the same height. What the anchor cannot tell is where the row's
other cells begin and end: a wrapped name or requirement may reach above the anchor
(cells centred vertically, as Word, HTML and most report templates set them) or only
below it (cells set at the top). With no rules and rows set solid, the whitespace
between rows is gone, and nearest-anchor assignment hands the lower lines of a tall
requirement to the next row.

So each column is cut on its own into cells — runs of touching line pieces — such that
every run sits where the table's alignment puts a cell of its row: its centre on the
anchor's centre, or its top on the anchor's top. A small dynamic programme finds, per
column, the cut and the assignment (rows in order, one run per row at most) that fit
best; the alignment that fits the whole table better is the table's. Lines at the top
that sit above the first row's cells are the header (or, on a continued page, the tail
of the row begun overleaf).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from extract.read.layout.chunks import MAX_SERIAL, SERIAL, ink, span_of
from extract.read.layout.geom import Char
from schemas.numbers import parse_serial, parse_value, parse_yes_no

Align = Literal["top", "centre"]
ALIGNMENTS: tuple[Align, ...] = ("top", "centre")

# Consecutive pieces of one column are one cell's lines only if the blank between them is
# at most this share of the line height (interline spacing; rows set solid still touch).
MAX_CELL_LINE_GAP_RATIO = 0.9
# A cell holds at most this many lines (a long requirement in a narrow column).
MAX_CELL_LINES = 14
# Rows farther than this many line heights from a run's position are not candidates.
ROW_WINDOW_RATIO = 4.0
# Leaving a piece out of every row costs this (in line heights).
STRAY_PENALTY = 3.0
SKIP = -1000  # back-pointer mark of a left-out piece
# A text column (names, requirements) leaving a row empty costs this many line heights;
# such a column is one whose lines are at least this share Han characters.
EMPTY_ROW_COST = 0.6
TEXT_COLUMN_HAN = 0.5
# Each extra run costs this (in line heights): of two equal fits, fewer cells win.
RUN_PENALTY = 0.02
# A run's blank between two lines beyond the table's leading costs this much per line
# height: a cell's lines are set at the leading, two rows' one-line values (7.76% of one
# row, 14 of the next one set at its top) further apart.
GAP_COST = 1.0
# The table's leading: this quantile of the blanks between consecutive lines of a column.
LEADING_QUANTILE = 0.25
# In a column of values or claims, a run of two or more lines that does not read as one
# (29.6 / 0% / 10 is 29.60% and the next row's 10; ☑ / ☑) costs this many line heights.
MIXED_CELL_COST = 1.0
# A column is one of values when this share of its lines read as values.
VALUE_COLUMN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Piece:
    """What one visual line holds in one column."""

    chars: tuple[Char, ...]
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a row is known to be: the extent of its anchor cell."""

    top: float
    bottom: float
    takes: bool = True  # False: a group row (（一）经济发展) — a row of its own, no cells join it
    line: int = -1  # the group row's line

    def pos(self, align: Align) -> float:
        return self.top if align == "top" else (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class Placement:
    """Rows as placed: ``cells[row][col]`` pieces; ``head[col]`` the pieces above row 0."""

    head: list[list[Piece]]
    cells: list[list[list[Piece]]]
    anchors: list[Anchor]
    align: Align
    cost: float


def _mid(box: Piece | Anchor) -> float:
    return (box.top + box.bottom) / 2


def _run_pos(run: Sequence[Piece], align: Align) -> float:
    return run[0].top if align == "top" else (run[0].top + run[-1].bottom) / 2


def place_column(
    pieces: Sequence[Piece],
    anchors: Sequence[Anchor],
    align: Align,
    height: float,
    head_limit: float,
    empty_cost: float = 0.0,
    leading: float | None = None,
    values: bool = False,
    serials: bool = False,
) -> tuple[list[Piece], list[list[Piece]], float]:
    """Cut one column's pieces (top to bottom) into runs and give each a row.

    Returns (pieces above the first row, pieces per row, cost). A prefix of pieces
    whose centres lie above ``head_limit`` may stay out of the rows (the header).
    ``empty_cost`` is charged for each row the column leaves empty (a column where every
    row has text: a name may not leave its row to join the next one's). ``leading`` is
    the blank between a cell's lines; wider blanks inside a run cost ``GAP_COST``.
    ``values``: a column of values, where a cell holds one value (``MIXED_CELL_COST``).
    ``serials``: the column that numbers the rows, where a cell holds one 序号 (1 / 2 / 3
    joined would read as the number 123)."""
    inf = float("inf")
    n = len(pieces)
    rows = [r for r, a in enumerate(anchors) if a.takes]
    per_row: list[list[Piece]] = [[] for _ in anchors]
    if n == 0:
        return [], per_row, 0.0
    if not rows:
        return list(pieces), per_row, 0.0
    h = max(height, 1.0)
    max_gap = MAX_CELL_LINE_GAP_RATIO * h
    window = ROW_WINDOW_RATIO * h
    positions = [anchors[r].pos(align) for r in rows]
    # A row's cells lie between its neighbours' anchor cells (group rows included).
    above = [_mid(anchors[r - 1]) if r > 0 else -inf for r in rows]
    below = [_mid(anchors[r + 1]) if r + 1 < len(anchors) else inf for r in rows]
    lead = max_gap if leading is None else leading
    # spread[i]: the cost of the blanks between pieces[0..i], beyond the leading
    spread = [0.0]
    for a, b in itertools.pairwise(pieces):
        spread.append(spread[-1] + GAP_COST * max(0.0, b.top - a.bottom - lead) / h)
    # best[j]: {last row index in ``rows`` (-1: header): (cost, start of run, previous row)}
    best: list[dict[int, tuple[float, int, int]]] = [{} for _ in range(n + 1)]
    best[0][-1] = (0.0, -1, -1)
    for j in range(1, n + 1):
        # A piece no row can take in order (a stray mark, a footer caught in the block)
        # is left out at a price, and goes to its nearest row afterwards.
        for r, (c, _, _) in best[j - 1].items():
            if c + STRAY_PENALTY < best[j].get(r, (inf, 0, 0))[0]:
                best[j][r] = (c + STRAY_PENALTY, j - 1, SKIP)
        # The header: the first j pieces, all above the limit, stay out of the rows.
        if -1 in best[j - 1] and (pieces[j - 1].top + pieces[j - 1].bottom) / 2 < head_limit:
            best[j][-1] = (0.0, j - 1, -1)
        for i in range(j - 1, max(-1, j - 1 - MAX_CELL_LINES), -1):
            if i < j - 1 and pieces[i + 1].top - pieces[i].bottom > max_gap:
                break  # runs are contiguous: a wider blank ends every run through it
            if not best[i]:
                continue
            run = pieces[i:j]
            p = _run_pos(run, align)
            span = run[-1].bottom - run[0].top
            near = [
                k
                for k, q in enumerate(positions)
                if abs(q - p) <= window + span
                and _mid(run[0]) > above[k]
                and _mid(run[-1]) < below[k]
            ]
            for k in near:
                before, last = min(
                    (
                        (c + (k - r - 1) * empty_cost, r)
                        for r, (c, _, _) in best[i].items()
                        if r < k
                    ),
                    default=(inf, -2),
                )
                if before == inf:
                    continue
                inner = spread[j - 1] - spread[i]
                if j - i >= 2 and (
                    (values and not _one_value(run)) or (serials and _two_serials(run))
                ):
                    inner += MIXED_CELL_COST
                cost = before + abs(p - positions[k]) / h + RUN_PENALTY + inner
                if cost < best[j].get(k, (inf, 0, 0))[0]:
                    best[j][k] = (cost, i, last)
    if not best[n]:
        # No cut fits (pieces below every row would need an earlier row): nearest row each.
        for pc in pieces:
            mid = (pc.top + pc.bottom) / 2
            per_row[rows[_nearest(positions, mid)]].append(pc)
        return [], per_row, inf
    last_row = len(rows) - 1
    row, (total, _, _) = min(
        best[n].items(), key=lambda kv: kv[1][0] + (last_row - kv[0]) * empty_cost
    )
    total += (last_row - row) * empty_cost
    head: list[Piece] = []
    strays: list[Piece] = []
    j = n
    while j > 0:
        _, i, prev = best[j][row]
        if prev == SKIP:  # left out: the state's row is unchanged
            strays.append(pieces[i])
            j = i
            continue
        if row == -1:
            head = list(pieces[:j])
            break
        per_row[rows[row]] = list(pieces[i:j])
        j, row = i, prev
    for pc in strays:
        mid = (pc.top + pc.bottom) / 2
        k = rows[_nearest(positions, mid)]
        per_row[k] = sorted([*per_row[k], pc], key=lambda x: x.top)
    return head, per_row, total


def _is_text_column(pieces: Sequence[Piece], rows: int) -> bool:
    """A column of wrapped text in every row (names, requirements): as many lines as rows
    or more, mostly Han characters."""
    if rows == 0 or len(pieces) < rows:
        return False
    text = "".join(c.text for p in pieces for c in p.chars)
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han >= TEXT_COLUMN_HAN * max(1, len(text.replace(" ", "")))


def _text(pieces: Sequence[Piece]) -> str:
    return "".join(c.text for p in pieces for c in p.chars if not c.text.isspace())


@lru_cache(maxsize=4096)
def _reads_as_value(text: str) -> bool:
    """A number, a not-applicable mark, a qualitative value (达标, 全部完成) or a claim's
    mark (是, ☑, ×): what one cell of a value or claim column holds."""
    if parse_value(text).kind in ("number", "na", "qualitative", "range"):
        return True
    return parse_yes_no(text) is not None


def _one_value(run: Sequence[Piece]) -> bool:
    """Do a run's lines, joined as a wrapped cell's are, read as one value? A number
    wraps where its column is full, so no line of it is narrower than the line under
    it by a glyph or more: 100 / 100 / 10.07 (three rows' values set solid) is no
    10010010.07. A sign on a line of its own (− over 0.46) wraps as it likes."""
    if not _reads_as_value(_text(run)):
        return False
    return all(
        _text([a]) in _SIGNS
        or _ink_width(a) + WRAP_WIDTH_SLACK * (b.bottom - b.top) >= _ink_width(b)
        for a, b in itertools.pairwise(run)
    )


_SIGNS = frozenset({"-", "−", "－", "‒", "–", "—", "+", "＋", "~", "～"})


# A number's wrapped line may be this many line heights narrower than the line under it
# (its glyphs' widths differ; the last digit that did not fit is narrower than a line).
WRAP_WIDTH_SLACK = 0.5


def _ink_width(p: Piece) -> float:
    glyphs = ink(p.chars)
    if not glyphs:
        return 0.0
    x0, x1 = span_of(glyphs)
    return x1 - x0


def _two_serials(run: Sequence[Piece]) -> bool:
    """Do two or more of a run's lines each read as a 序号, and all of them together as
    none (1 / 2 / 3 is no 123; 二 / 十 / 一 is the 二十一 a narrow column wraps)?"""
    return _serials_apart(tuple(_text([p]) for p in run))


@lru_cache(maxsize=4096)
def _serials_apart(texts: tuple[str, ...]) -> bool:
    if sum(bool(SERIAL.match(t)) for t in texts) < 2:
        return False
    whole = parse_serial("".join(texts))
    return whole is None or whole > MAX_SERIAL


def _is_value_column(pieces: Sequence[Piece]) -> bool:
    """A column whose lines mostly read as values (numbers, 达标, /)."""
    if not pieces:
        return False
    return sum(_reads_as_value(_text([p])) for p in pieces) >= VALUE_COLUMN_SHARE * len(pieces)


def table_leading(columns: Sequence[Sequence[Piece]], height: float) -> float:
    """The blank between a cell's lines: a low quantile of the blanks between
    consecutive lines of each column that are close enough to be one cell's (the
    smallest ones are wrapped cells' own; rows set solid give the same blank, and then
    no run pays for it)."""
    max_gap = MAX_CELL_LINE_GAP_RATIO * max(height, 1.0)
    gaps = sorted(
        max(0.0, b.top - a.bottom)
        for col in columns
        for a, b in itertools.pairwise(col)
        if b.top - a.bottom <= max_gap
    )
    if not gaps:
        return max_gap
    return gaps[int(LEADING_QUANTILE * (len(gaps) - 1))]


def _nearest(positions: Sequence[float], y: float) -> int:
    return min(range(len(positions)), key=lambda q: abs(positions[q] - y))


def place_rows(
    columns: Sequence[Sequence[Piece]],
    by_align: Mapping[Align, Sequence[Anchor]],
    height: float,
    head_limit: float | Sequence[float],
    key: int | None = None,
) -> Placement:
    """Every column placed under each alignment (with that alignment's anchors); the one
    with the lower total cost is the table's (ties: the first given). ``head_limit``: the
    table's, or one per column (a column whose first row's cell reaches up into the
    header's height). ``key``: the column that numbers the rows."""
    limits = [head_limit] * len(columns) if isinstance(head_limit, float) else list(head_limit)
    leading = table_leading(columns, height)
    values = [_is_value_column(pieces) for pieces in columns]
    best: Placement | None = None
    for align, anchors in by_align.items():
        head: list[list[Piece]] = []
        cells: list[list[list[Piece]]] = [[[] for _ in columns] for _ in anchors]
        total = 0.0
        takes = sum(a.takes for a in anchors)
        for col, pieces in enumerate(columns):
            empty = EMPTY_ROW_COST if _is_text_column(pieces, takes) else 0.0
            top, per_row, cost = place_column(
                pieces,
                anchors,
                align,
                height,
                limits[col],
                empty,
                leading,
                values[col],
                serials=col == key,
            )
            head.append(top)
            for r, got in enumerate(per_row):
                cells[r][col] = got
            total += cost
        if best is None or total < best.cost - 1e-9:
            best = Placement(head, cells, list(anchors), align, total)
    assert best is not None
    return best
