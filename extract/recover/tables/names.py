"""Name lines put back in their rows, with the standard's indicator names as the anchor.

Where a reader cannot see row boundaries (a borderless or three-line table whose cells
are centred vertically, an OCR'd grid), the first line of a wrapped name can land at the
end of the row above: ``工业园区重点污染源稳定排放达标情况⏎工业园区国家重点污染物排放总量控制``
then ``指标及地方特征污染物排放总量控制指标完成情况``. Moving whole lines between two
neighbouring rows' name cells is kept only when both names then read as indicator names
and match better than before: a row whose name already matches is never touched.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

from rapidfuzz import fuzz

from extract.raw import RawRow
from extract.source import Cell
from schemas.standard import DEFAULT_STANDARD, load_standard
from schemas.text import key, strip_footnote

# A name reads as an indicator's at this rapidfuzz ratio (normalize/labels.py trusts 85).
NAME_MATCH = 85.0
# Lines a name may lend to or borrow from a neighbour: a wrapped cell's first or last two.
MAX_MOVED_LINES = 2


@cache
def _names() -> tuple[str, ...]:
    std = load_standard(DEFAULT_STANDARD)
    return tuple(key(n) for spec in std.indicators for n in (spec.name, *spec.aliases))


def name_score(text: str) -> float:
    """How well ``text`` reads as one of the standard's indicator names (0–100)."""
    k = key(strip_footnote(text)[0])
    if not k:
        return 0.0
    return max(100.0 if k == n else float(fuzz.ratio(k, n)) for n in _names())


def _lines(row: RawRow) -> list[str]:
    cell = row.cells.get("name")
    return [ln for ln in cell.text.split("\n") if ln.strip()] if cell else []


def _set(row: RawRow, lines: Sequence[str]) -> None:
    cell = row.cells["name"]
    row.cells["name"] = Cell("\n".join(lines), cell.loc, cell.confidence)


def repair_names(rows: Sequence[RawRow]) -> None:
    """Move name lines between neighbouring rows where that makes both names read as
    indicator names (in place)."""
    for above, below in itertools.pairwise(rows):
        up, down = _lines(above), _lines(below)
        if not up or not down:
            continue
        before = (name_score("".join(up)), name_score("".join(down)))
        if min(before) >= NAME_MATCH:
            continue
        best: tuple[float, list[str], list[str]] | None = None
        for j in range(1, MAX_MOVED_LINES + 1):
            for new_up, new_down in (
                (up[:-j], up[-j:] + down),  # the row above took the start of the next name
                (up + down[:j], down[j:]),  # the row below took the end of the name above
            ):
                if not new_up or not new_down:
                    continue
                scores = (name_score("".join(new_up)), name_score("".join(new_down)))
                better = min(scores) >= NAME_MATCH and sum(scores) > sum(before) + 1.0
                if better and (best is None or sum(scores) > best[0]):
                    best = (sum(scores), new_up, new_down)
        if best is not None:
            _set(above, best[1])
            _set(below, best[2])
