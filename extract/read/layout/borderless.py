"""Borderless tables: blocks of tabular lines, their columns, and where their rows are.

Columns are the x-ranges the glyphs of a block's fullest data lines cover when projected
onto the x axis; header lines, lone wrapped lines and group rows join a column only where
they lie within one, so header cells set solid or a 「（一）环境保护」 row never fuse two. A
chunk that bridges a gap the other lines leave blank is cut there; runs of text wider than
a column can be (colspan rows, section titles) stay whole in the column where they start.
Rows are anchored on the 序号 cells, or where most value columns print a value at one
height; ``extract.read.layout.rows`` then places every column's lines into those rows by
the table's vertical alignment. A block at the top of a page right after a table that
ran to the previous page's foot continues that table: it shares its columns, its 序号
column and the count of its 序号.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from statistics import median

import regex
import yaml

from extract.read.layout.geom import Box, Char, free_bands, merge_intervals
from extract.read.layout.lines import TextLine, is_page_number
from extract.read.layout.rows import (
    ALIGNMENTS,
    MAX_CELL_LINE_GAP_RATIO,
    Align,
    Anchor,
    Piece,
    place_rows,
)
from extract.read.layout.settings import PdfSettings
from schemas.numbers import (
    NOT_APPLICABLE,
    QUALITATIVE,
    chinese_numeral,
    parse_serial,
    to_chinese_numeral,
)
from schemas.text import GROUP_ROW, clean, fold_chars


@cache
def header_words() -> tuple[str, ...]:
    """Header words (schemas/data/table_headers.yaml), longest first."""
    path = files("schemas").joinpath("data/table_headers.yaml")
    words: list[str] = yaml.safe_load(path.read_text(encoding="utf-8"))["header_words"]
    return tuple(sorted(words, key=len, reverse=True))


# A 序号 as printed: 1, 1., 1、 (the forms schemas.numbers.parse_int reads).
KEY_HEADERS = ("序号", "编号")  # headers of the column that numbers the rows
HEADER_LINES = 8  # lines a wrapped header row may take at the top of a table
# Lines of one header row (是 / 否 / 为 set vertically in a narrow column) are at most this
# many line heights apart; a caption above the table stands farther off.
HEADER_LINE_GAP_RATIO = 0.6
_INDEX = re.compile(r"^(?:(?!0)\d{1,3}[.、．]?|[一二三四五六七八九十]{1,3}[、.．]?)$")
# A wrapped Chinese 序号 (二 / 十 / 一 on three lines) is one row only up to this number.
MAX_WRAPPED_SERIAL = 40
_SPACE = frozenset(" \u3000\u00a0\t")


@dataclass(frozen=True, slots=True)
class StreamTable:
    """A borderless table: cell chars per row and column, plus its geometry."""

    cells: list[list[list[Char]]]  # [row][col] -> chars
    row_bounds: list[tuple[float, float]]
    col_bounds: list[tuple[float, float]]
    bbox: Box
    line_ids: frozenset[int]  # which page lines the table consumed
    key: int | None = None  # the 序号 column, if found
    last_serial: int | None = None  # the last row's 序号 (a continuation's next is one more)
    header_text: str = ""  # its header's text, spaces out (a continuation: the carried one's)


def ink(chars: Sequence[Char]) -> list[Char]:
    return [c for c in chars if c.text not in _SPACE]


def chunks(line: Sequence[Char], min_gap: float) -> list[list[Char]]:
    """Split a line (chars sorted by x0) where the blank between glyphs is wider than
    ``min_gap``: candidate cells. A blank filled by exactly one space character of the
    text (≥ 30, 增长率>0, ≤ 0.3) is a word space inside a cell whatever its width: cells
    are set apart by position, not typed spaces."""
    out: list[list[Char]] = []
    right = -1e9
    spaces = 0
    space_right = -1e9  # where the typed space in the blank ends
    for c in line:
        if c.text in _SPACE:
            spaces += 1
            space_right = c.x1
            continue
        # One typed space that reaches the next glyph: a word space. (A space trailing
        # a cell's text, then a blank to the next cell, is no bridge.)
        spaced = spaces == 1 and c.x0 - space_right <= min_gap
        if out and (c.x0 - right <= min_gap or spaced):
            out[-1].append(c)
            right = max(right, c.x1)
        else:
            out.append([c])
            right = c.x1
        spaces = 0
    return out


# A footnote mark: one or two Latin letters or asterisks in glyphs smaller than the
# table's text (a superscript a, b, *; digits are left alone: an OCR box of a lone 5 is
# smaller than a line of Han).
MARK_HEIGHT_RATIO = 0.9
_MARK = re.compile(r"^[a-zA-Z*]{1,2}$")


def is_mark(chunk: Sequence[Char], height: float) -> bool:
    text = "".join(c.text for c in chunk if c.text not in _SPACE)
    return bool(_MARK.match(text)) and all(
        c.bottom - c.top < MARK_HEIGHT_RATIO * height for c in chunk if c.text not in _SPACE
    )


def is_row_like(line: Sequence[Char], gap: float, min_blank: float) -> bool:
    """Two or more chunks with real whitespace between them: at least ``min_blank`` of
    the line's width. Justified narrative also splits into chunks where spaces around
    numbers stretch, but its gaps are a few percent of the line."""
    parts = chunks(line, gap)
    if len(parts) < 2:
        return False
    left, right = parts[0][0].x0, max(c.x1 for c in parts[-1])
    blank = sum(b[0].x0 - max(c.x1 for c in a) for a, b in itertools.pairwise(parts))
    return right > left and blank >= min_blank * (right - left)


# Share of a line's Han characters its header words must cover: a header row is made
# of column names (set solid or wrapped), a data row's name only holds some by chance
# (单位工业用地面积工业增加值三年年均增长率 holds 单位 and 年).
MIN_HEADER_COVER = 0.4


@lru_cache(maxsize=8192)
def header_hits(text: str) -> int:
    """How many column-name words a line holds (a header row has several), 0 when they
    cover too little of it to be a header. Cached: block finding, header and column
    decisions ask it of the same lines."""
    flat = "".join(text.split())
    covered = [False] * len(flat)
    hits = 0
    for w in header_words():  # longest first: 计量单位 before 单位
        start = flat.find(w)
        if start < 0:
            continue
        hits += 1
        while start >= 0:
            covered[start : start + len(w)] = [True] * len(w)
            start = flat.find(w, start + len(w))
    han = [k for k, ch in enumerate(flat) if _HAN_ONLY.sub("", ch)]
    if han and sum(covered[k] for k in han) < MIN_HEADER_COVER * len(han):
        return 0
    return hits


def column_gap(lines: Sequence[TextLine], settings: PdfSettings) -> float:
    heights = [c.bottom - c.top for ln in lines for c in ink(ln.chars)]
    h = median(heights) if heights else 10.0
    return max(settings.stream_min_col_gap, settings.stream_min_col_gap_ratio * h)


def table_blocks(lines: Sequence[TextLine], settings: PdfSettings, gap: float) -> list[list[int]]:
    """Runs of consecutive lines that look tabular (two or more chunks, or a header of
    column names), allowing short single-chunk lines in between (wrapped cells)."""
    blocks: list[list[int]] = []
    cur: list[int] = []
    width = 0.0
    blank = settings.stream_min_blank_ratio
    for i, ln in enumerate(lines):
        tabular = is_row_like(ln.chars, gap, blank) or header_hits(ln.text) >= 3
        h = ln.bbox[3] - ln.bbox[1]
        if cur:
            prev = lines[cur[-1]]
            close = ln.bbox[1] - prev.bbox[3] <= settings.stream_max_row_gap_ratio * max(h, 1.0)
            short = (ln.bbox[2] - ln.bbox[0]) < 0.7 * width
            if close and (tabular or short):
                cur.append(i)
                width = max(width, ln.bbox[2] - ln.bbox[0])
                continue
            blocks.append(cur)
            cur = []
        if tabular:
            cur = [i]
            width = ln.bbox[2] - ln.bbox[0]
    if cur:
        blocks.append(cur)
    out = []
    for whole in blocks:
        for n, b in enumerate(split_at_headers(lines, whole)):
            b = trim_block(lines, from_header(lines, with_header_above(lines, b)), gap)
            n_tab = sum(1 for i in b if is_row_like(lines[i].chars, gap, blank))
            # (a part after a repeated header may hold a single row under it)
            if n_tab >= (settings.stream_min_rows if n == 0 else 2):
                out.append(b)
    return out


_CONTINUED = regex.compile(r"^\s*续(?:上)?表\s*\d*\s*$")


def split_at_headers(lines: Sequence[TextLine], block: Sequence[int]) -> list[list[int]]:
    """A block that repeats its header below data rows (续表 on the same page) is two
    tables: cut before the repeated header's first line (and drop the 续表 caption)."""
    heads = [k for k, i in enumerate(block) if header_hits(lines[i].text) >= 3]
    parts: list[list[int]] = []
    start = 0
    for k in heads:
        rows_above = [i for i in block[start:k] if _is_data_row(lines[i])]
        if len(rows_above) < MIN_ROWS_BEFORE_REPEAT:
            continue  # (a header's own wrapped lines above its main line: 201 / 9年)
        cut = k
        while cut > start + 1:  # the repeated header's wrapped lines just above it
            above, below = lines[block[cut - 1]], lines[block[cut]]
            height = below.bbox[3] - below.bbox[1]
            if below.bbox[1] - above.bbox[3] > HEADER_LINE_GAP_RATIO * height:
                break
            if _numbered_or_data(above):
                break
            cut -= 1
        parts.append(list(block[start:cut]))
        start = cut
    parts.append(list(block[start:]))
    kept = [[i for i in p if not _CONTINUED.match(lines[i].text)] for p in parts]
    return [p for p in kept if p]


MIN_ROWS_BEFORE_REPEAT = 2  # data rows a header must follow to be a repeated one


def _is_data_row(line: TextLine) -> bool:
    """A row of cells with a number among them (three tokens at least)."""
    return len(line.text.split()) >= 3 and _numbered_or_data(line)


def _numbered_or_data(line: TextLine) -> bool:
    """A line of data rows: a token that is a number (no year: 2016 | 2018 head columns)."""
    if header_hits(line.text) >= 3:
        return False
    tokens = fold_chars(line.text).split()
    return any(_NUMBER_START.match(t) and not _YEAR.match(t) for t in tokens)


def from_header(lines: Sequence[TextLine], block: Sequence[int]) -> list[int]:
    """Start a block at its header row when it has one: lines above it are captions
    (园区名称 … 填报时间 …, the running header), except wrapped header cells that
    begin just above the header line (序 / 号 split over two lines)."""
    heads = [k for k, i in enumerate(block) if header_hits(lines[i].text) >= 3]
    if not heads:
        return list(block)
    k = heads[0]
    while k > 0:
        above, below = lines[block[k - 1]], lines[block[k]]
        height = below.bbox[3] - below.bbox[1]
        if below.bbox[1] - above.bbox[3] > HEADER_LINE_GAP_RATIO * height:
            break
        k -= 1
    return list(block[k:])


def with_header_above(lines: Sequence[TextLine], block: Sequence[int]) -> list[int]:
    """A block that starts with its header row, with the lines touching it from above:
    header cells set vertically centred start higher than the one-line cells (是否为考 /
    核指标 over two lines), and in a scan that first line is a visual line of its own
    without enough whitespace to look tabular."""
    b = list(block)
    # (the block may start at a wrapped header line below the header's first: 序 / 考核)
    if not b or not any(header_hits(lines[i].text) >= 3 for i in b[:HEADER_LINES]):
        return b
    while b[0] > 0:
        above, below = lines[b[0] - 1], lines[b[0]]
        height = below.bbox[3] - below.bbox[1]
        if (
            below.bbox[1] - above.bbox[3] > HEADER_LINE_GAP_RATIO * height
            or above.bbox[2] < below.bbox[0]
            or _CONTINUED.match(above.text)  # the 续表 caption is no part of the header
            # a title or narrative set close above is no header cell (short words only)
            or any(len(_HAN_ONLY.sub("", t)) > MAX_HEADER_CELL_HAN for t in above.text.split())
        ):
            break
        b.insert(0, b[0] - 1)
    return b


MAX_HEADER_CELL_HAN = 8  # Han characters one line of a header cell holds at most


def trim_block(lines: Sequence[TextLine], block: Sequence[int], gap: float) -> list[int]:
    """Drop lines at either end of a block that bridge the column gaps of the rest:
    the caption above a table (园区名称 … 填报时间 …) and the narrative after it."""
    spans = {i: _chunk_spans(lines[i].chars, gap) for i in block}
    b = list(block)
    changed = True
    while changed and len(b) > 2:
        changed = False
        for end in (0, -1):
            i = b[end]
            cols = merge_intervals((sp for j in b if j != i for sp in spans[j]), gap)
            bridging = [k for k, (x0, x1) in enumerate(spans[i]) if _hits(x0, x1, cols) >= 2]
            if not bridging or (end == 0 and _spanning_header(lines, b, gap, bridging)):
                continue
            b.pop(end)
            changed = True
            break
    return b


# Han characters a spanning header cell (完成情况 over 2011 | 2016) holds at most.
MAX_SPANNING_HEADER_HAN = 6


def _spanning_header(
    lines: Sequence[TextLine], block: Sequence[int], gap: float, bridging: Sequence[int]
) -> bool:
    """Is the block's top line the top of its header — short cells spanning columns
    (完成情况) beside cells of one column (201 / 7年目标值), set close above a header
    line — rather than a caption across the table?"""
    top, below = lines[block[0]], lines[block[1]]
    height = below.bbox[3] - below.bbox[1]
    if below.bbox[1] - top.bbox[3] > HEADER_LINE_GAP_RATIO * height:
        return False
    if not any(header_hits(lines[i].text) >= 1 for i in block[1:HEADER_LINES]):
        return False
    parts = chunks(top.chars, gap)
    return len(parts) > len(bridging) and all(
        len(_HAN_ONLY.sub("", "".join(c.text for c in parts[k]))) <= MAX_SPANNING_HEADER_HAN
        for k in bridging
    )


def _chunk_spans(line: Sequence[Char], gap: float) -> list[tuple[float, float]]:
    return [(min(c.x0 for c in ch), max(c.x1 for c in ch)) for ch in chunks(line, gap)]


def _hits(x0: float, x1: float, cols: Sequence[tuple[float, float]]) -> int:
    """How many columns the span [x0, x1] overlaps by more than a point."""
    return sum(1 for a, b in cols if min(b, x1) - max(a, x0) > 1.0)


def column_bounds(extents: Sequence[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Column x-ranges: the projection of the glyphs' (x0, x1) extents, merged across
    gaps up to ``gap`` wide (word spacing inside a cell)."""
    return merge_intervals(extents, gap)


def column_of(x: float, cols: Sequence[tuple[float, float]]) -> int:
    """Index of the column whose range holds x, else the nearest one (``cols`` sorted
    and disjoint, as ``column_bounds`` returns them)."""
    i = bisect_right(cols, (x, float("inf"))) - 1
    if i < 0:
        return 0
    if x <= cols[i][1] or i + 1 >= len(cols):
        return i
    return i if x - cols[i][1] <= cols[i + 1][0] - x else i + 1


def key_column(
    lines: Sequence[TextLine], block: Sequence[int], cols: Sequence[tuple[float, float]]
) -> int | None:
    """The 序号 column: under a 序号 header if present, else the leftmost column holding
    bare small integers on three or more lines."""
    for i in block:
        text = "".join(c.text for c in lines[i].chars)
        at = text.find("序号")
        if at >= 0:
            c = lines[i].chars[at]
            k = column_of((c.x0 + c.x1) / 2, cols)
            return k if _holds_serials(lines, block, cols, k) else None
    # A header wrapped in a narrow column: 序 / 号 (or 编 / 号) on two lines.
    head = (
        [
            "".join(t)
            for t in zip(
                *(_texts_by_column(lines[i].chars, cols) for i in block[:HEADER_LINES]), strict=True
            )
        ]
        if block
        else []
    )
    for k, text in enumerate(head):
        if any(w in text for w in KEY_HEADERS):
            return k if _holds_serials(lines, block, cols, k) else None
    found: list[list[int]] = [[] for _ in cols]
    for i in block:
        for k, txt in enumerate(_texts_by_column(lines[i].chars, cols)):
            if txt.isdigit() and _INDEX.match(txt):  # Chinese pieces wrap: header only
                found[k].append(int(txt))
    for k, serials in enumerate(found):
        if len(serials) >= 3 and _counts_rows(serials):
            return k
    return None


def _holds_serials(
    lines: Sequence[TextLine], block: Sequence[int], cols: Sequence[tuple[float, float]], k: int
) -> bool:
    """The column under a 序号 header holds bare serials on the block's rows (not merged
    with the names beside it: 1 高新技术企业… in one column is no 序号 column)."""
    need = min(3, max(1, len(block) // 4))
    hits = 0
    for i in block:
        if _INDEX.match(_texts_by_column(lines[i].chars, cols)[k]):
            hits += 1
            if hits >= need:
                return True
    return False


def _counts_rows(serials: Sequence[int]) -> bool:
    """Small integers that number rows (1 2 3 …, gaps for omitted rows, restarts per
    group, some reordering), not the values of a column that happen to be whole
    (15 5 100 92 14): most steps go up by a little."""
    small_steps = sum(0 < b - a <= 3 for a, b in itertools.pairwise(serials))
    return small_steps >= 0.5 * (len(serials) - 1)


def continues_serial(so_far: str, piece: str, previous: int | None) -> bool:
    """Whether ``piece`` on the next line completes the 序号 ``so_far`` (十 then 一 is
    十一, 2 then 0 is 20) rather than starting the next row's. When the row should be the one after
    ``previous``, the expected numeral decides; else any numeral up to
    ``MAX_WRAPPED_SERIAL``."""
    joined = so_far + piece
    if joined.isdigit():
        # 2 / 0 in a narrow column is 20 only where 20 is the row that comes next.
        return previous is not None and joined == str(previous + 1)
    if not _CN_NUMERAL.fullmatch(joined):
        return False
    if previous is not None and previous < 99:
        expected = to_chinese_numeral(previous + 1)
        if expected.startswith(so_far):
            return expected.startswith(so_far + piece)
    value = chinese_numeral(so_far + piece)
    return value is not None and value <= MAX_WRAPPED_SERIAL


_CN_NUMERAL = re.compile(r"[一二三四五六七八九十]{2,3}")


def _texts_by_column(chars: Sequence[Char], cols: Sequence[tuple[float, float]]) -> list[str]:
    out = [""] * len(cols)
    for c in ink(chars):
        out[column_of((c.x0 + c.x1) / 2, cols)] += c.text
    return [fold_chars(t) for t in out]  # a Kangxi ⼀ / ⼆ numbers rows as 一 / 二 does


def widest_band(
    spans: Sequence[tuple[float, float]], lo: float, hi: float
) -> tuple[float, float] | None:
    """The widest ink-free band in [lo, hi] (the lowest of equals), if any."""
    bands = free_bands(spans, lo, hi)
    return max(reversed(bands), key=lambda ab: ab[1] - ab[0]) if bands else None


def build_stream_table(
    lines: Sequence[TextLine],
    block: Sequence[int],
    gap: float,
    carry: StreamTable | None = None,
    settings: PdfSettings | None = None,
    overleaf: bool = False,
    before: int | None = None,
    header_above: str = "",
) -> StreamTable | None:
    """Cells of one borderless block. ``carry`` is the table on the previous page this
    block continues: its columns join the projection (so a column empty in this part,
    like a merged 分类, is kept) and its 序号 column stands in for a missing header.
    ``overleaf``: the block opens a page right after a table that ran to the previous
    page's foot (with or without a repeated header); ``before`` the 序号 that table
    ended with, ``header_above`` its header's text (what a repeated header repeats)."""
    # Spaces take part in cells (they are the text's own spacing) but not in geometry.
    chars = [c for i in block for c in ink(lines[i].chars)]
    if not chars:
        return None
    # A chunk wider than a column can be (a colspan row, a section title, the caption
    # of an option list) would bridge column gaps: it does not define columns, and its
    # text stays whole in the column where it starts, like a merged cell.
    left = min(lines[i].bbox[0] for i in block)
    right = max(lines[i].bbox[2] for i in block)
    runs = {i: _chunk_spans(lines[i].chars, gap) for i in block}
    too_wide = (settings or PdfSettings()).stream_max_cell_width_ratio * (right - left)
    start = _first_data_line(lines, block, gap)  # where the header ends, if any
    height = median(c.bottom - c.top for c in chars)
    # A raised footnote mark (率ᵃ, set as a line of its own) is no column.
    col_runs = {
        i: [
            sp
            for sp, ch in zip(runs[i], chunks(lines[i].chars, gap), strict=True)
            if not is_mark(ch, height)
        ]
        for i in block
    }
    cols = _columns(lines, block, col_runs, gap, too_wide, carry, start)
    key = key_column(lines, block, cols)
    if key is not None:
        # A header cell spanning two columns (实际值 over 2017年 | 2019年) or set in narrow
        # columns bridges a column gap: the numbered rows' first lines decide then.
        numbered = [i for i in block if _numbered(lines[i], cols, key)]
        data = [sp for i in numbered for sp in runs[i] if sp[1] - sp[0] < too_wide]
        if len(numbered) >= 3 and data:
            major = column_bounds(data + (carry.col_bounds if carry else []), gap)
            if len(major) > len(cols):
                extents = [sp for i in block for sp in runs[i] if sp[1] - sp[0] < too_wide]
                cols = _widened(major, extents)
                key = key_column(lines, block, cols)
    if carry is not None and carry.key is not None:
        # A continuation numbers its rows where the part with the header did (a value
        # column of small whole numbers is no 序号 column).
        a, b = carry.col_bounds[carry.key]
        key = column_of((a + b) / 2, cols)
    if len(cols) < 2:
        return None
    head_end = _header_end(lines, block, cols, key, start)
    groups = {i for i in block if _is_group_line(lines[i], gap)}
    pieces = _pieces(lines, [i for i in block if i not in groups], runs, cols, too_wide, gap)
    serial = [carry.last_serial if carry is not None else before]  # in: the row before; out: last
    by_align = _anchors(lines, block, head_end, groups, cols, key, pieces, height, serial)
    table_top = min(c.top for c in chars)
    table_bottom = max(c.bottom for c in chars)
    first = min(a.top for anchors in by_align.values() for a in anchors if a.takes)
    # (the header ends above the first row's anchor, and above its first line)
    head_limit = min(first, lines[block[head_end]].bbox[1]) if head_end > 0 else -float("inf")
    tail: list[list[Piece]] = [[] for _ in cols]
    if head_end == 0 and carry is not None and first > table_top + 0.5:
        # Lines above the first row: the tail of a row begun on the previous page if
        # whitespace sets them apart, else the upper half of a row centred vertically.
        spans = merge_intervals(((c.top, c.bottom) for c in chars), 0.0)
        band = widest_band(spans, table_top, first)
        if band and band[1] - band[0] >= 0.4 * height:
            cut = (band[0] + band[1]) / 2
            for k, col in enumerate(pieces):
                tail[k] = [p for p in col if p.bottom <= cut]
                pieces[k] = [p for p in col if p.bottom > cut]
    elif head_end > 0 and overleaf:
        # Under a repeated header, values above the first row are the tail of a row cut
        # by the page break (９ of ０．８１ / ９): no header holds a number. So is text
        # the header did not print overleaf (a requirement's last lines).
        row1 = min((a for a in next(iter(by_align.values())) if a.takes), key=lambda a: a.top)
        # (a header's own lines, 201 / 7年目标值 wrapped, lie above its last line; its
        # last line of header words ends the header's own text)
        head_bottom = max(lines[i].bbox[3] for i in block[:head_end])
        words_bottom = max(
            (
                lines[i].bbox[3]
                for i in block[:head_end]
                if header_hits(lines[i].text) >= 1 or _compact(lines[i].chars) in header_above
            ),
            default=head_bottom,
        )

        def cut_off(col: Sequence[Piece], j: int) -> bool:
            p = col[j]
            if _is_value_line(p):
                return p.top >= head_bottom - 0.5 and not _starts_cell_of(col, j, row1, height)
            text = _compact(p.chars)
            return (
                bool(header_above)
                and bool(text)
                and p.top >= words_bottom - 0.5
                and text not in header_above
                and not _centred_on(col, j, row1, height)
            )

        for k, col in enumerate(pieces):
            tail[k] = [
                p for j, p in enumerate(col) if (p.top + p.bottom) / 2 < first and cut_off(col, j)
            ]
            pieces[k] = [p for p in col if p not in tail[k]]
    placed = place_rows(pieces, by_align, height, head_limit)
    rows_pieces = [placed.head, tail, *placed.cells]
    rows_chars: list[list[list[Char]]] = [
        [[c for p in cell for c in p.chars] for cell in row] for row in rows_pieces
    ]
    for r, anchor in enumerate(placed.anchors):
        if not anchor.takes:
            line = lines[anchor.line]
            k = column_of(min(c.x0 for c in ink(line.chars)) + 1.0, cols)
            rows_chars[r + 2][k] = list(line.chars)
    cells: list[list[list[Char]]] = []
    bounds: list[tuple[float, float]] = []
    for row in rows_chars:
        got = [c for cell in row for c in cell if c.text not in _SPACE]
        if got:
            cells.append(row)
            bounds.append((min(c.top for c in got), max(c.bottom for c in got)))
    bbox = (cols[0][0], table_top, cols[-1][1], table_bottom)
    own_header = "".join(_compact(p.chars) for col in placed.head for p in col)
    header_text = own_header or (carry.header_text if carry is not None else header_above)
    return StreamTable(
        cells, bounds, list(cols), bbox, frozenset(block), key, serial[0], header_text
    )


def _compact(chars: Sequence[Char]) -> str:
    return clean("".join(c.text for c in chars)).replace(" ", "")


def _columns(
    lines: Sequence[TextLine],
    block: Sequence[int],
    runs: dict[int, list[tuple[float, float]]],
    gap: float,
    too_wide: float,
    carry: StreamTable | None,
    start: int,
) -> list[tuple[float, float]]:
    """Column x-ranges. The data lines (from ``start``) with the most chunks define them;
    a header line's chunks, a lone chunk (a group row 「（一）环境保护」, a wrapped line) and the
    carried table's columns join only where they fall within one column or in free
    space: header cells set solid in narrow columns touch each other, a group row
    overlaps the 序号 and name columns, and neither is a column of its own."""
    extents = {i: [sp for sp in runs[i] if sp[1] - sp[0] < too_wide] for i in block}
    data = list(block[start:])
    most = max((len(runs[i]) for i in data), default=0)
    # The fullest lines (a cell in most columns) define columns; a wrapped cell's line
    # with a word space inside (长率>0, ≤0.6) is no row of cells.
    full = [
        i
        for i in data
        if len(runs[i]) >= max(2, (most + 1) // 2) and header_hits(lines[i].text) < 3
    ]  # (a header repeated inside the block, 续表 on the same page, is no data line)
    if len(full) < 3 or _is_info_form(lines, block):
        # (the 信息公开表 is a form, no grid: its values span what its option lists divide)
        return _with_carried(column_bounds([sp for i in block for sp in extents[i]], gap), carry)
    core = split_bridges([sp for i in full for sp in extents[i]], len(full))
    chosen = set(full)
    own = join_crossed(
        split_touching(column_bounds(core, gap), [extents[i] for i in full]),
        [extents[i] for i in full],
        [extents[i] for i in block if i not in chosen],
    )
    cols = _with_carried(own, carry)
    fits = []
    for n, i in enumerate(block):
        if i in chosen:
            continue
        up = block[n - 1] if n else None
        for sp in extents[i]:
            # The next line of a left-aligned cell (same left edge as a chunk just above)
            # belongs to that cell, wherever it ends: no column of its own.
            if up is not None and any(abs(a - sp[0]) <= SAME_EDGE for a, _ in runs[up]):
                continue
            if _fits_one(sp, cols, gap):
                fits.append(sp)
    if not fits:
        return cols
    return _with_carried(widen_with(own, fits, gap), carry)


# Lines that must show two cells on either side of a narrow hole for it to part columns.
MIN_HOLE_SUPPORT = 2
MIN_HOLE_SHARE = 0.3  # ... and this share of the defining lines (three 弹性系数 rows' wrapped
# requirement lines agree on a break inside one cell)


def split_touching(
    cols: Sequence[tuple[float, float]], line_spans: Sequence[Sequence[tuple[float, float]]]
) -> list[tuple[float, float]]:
    """Columns cut at a hole narrower than the merge gap that no chunk crosses, where
    lines hold a cell on each side of it: a left-aligned requirement starting 2 pt after
    the longest name ends is the next column, not the name's."""
    out: list[tuple[float, float]] = []
    for lo, hi in cols:
        inside = [[sp for sp in spans if lo <= sp[0] and sp[1] <= hi] for spans in line_spans]
        cuts: list[float] = []
        edges = sorted({x for spans in inside for sp in spans for x in sp})
        for a, b in itertools.pairwise(edges):
            x = (a + b) / 2
            if any(s0 < x < s1 for spans in inside for s0, s1 in spans):
                continue
            support = sum(
                1
                for spans in inside
                if any(s1 <= x for _, s1 in spans) and any(s0 >= x for s0, _ in spans)
            )
            if support >= max(MIN_HOLE_SUPPORT, MIN_HOLE_SHARE * len(line_spans)):
                cuts.append(x)
        if not cuts:
            out.append((lo, hi))
            continue
        edges_out = [lo, *cuts, hi]
        for a, b in itertools.pairwise(edges_out):
            got = [sp for spans in inside for sp in spans if a <= (sp[0] + sp[1]) / 2 <= b]
            if got:
                out.append((min(sp[0] for sp in got), max(sp[1] for sp in got)))
    return out


def join_crossed(
    cols: Sequence[tuple[float, float]],
    defining: Sequence[Sequence[tuple[float, float]]],
    others: Sequence[Sequence[tuple[float, float]]],
) -> list[tuple[float, float]]:
    """Two neighbouring columns joined where more of the other data lines cross the
    hole between them, with a chunk inside the pair, than defining lines show a cell on
    each side: a letter-spaced category (经 济 / 发 展) whose typed space is missing on
    one line parts nothing the other lines keep whole. A crossing chunk touches neither
    outer neighbour (a group row across 序号 | 名称 is outweighed by every numbered row)."""
    out = [tuple(c) for c in cols]
    k = 0
    while k + 1 < len(out):
        (a, b), (c, d) = out[k], out[k + 1]
        support = sum(
            1
            for spans in defining
            if any(a <= s0 and s1 <= b for s0, s1 in spans)
            and any(c <= s0 and s1 <= d for s0, s1 in spans)
        )
        lo = out[k - 1][1] if k > 0 else -float("inf")
        hi = out[k + 2][0] if k + 2 < len(out) else float("inf")
        crossing = sum(
            1 for spans in others if any(lo < s0 < b and c < s1 < hi for s0, s1 in spans)
        )
        if crossing >= MIN_HOLE_SUPPORT and crossing > 2 * support:
            out[k : k + 2] = [(a, d)]
            continue
        k += 1
    return [(x, y) for x, y in out]


def widen_with(
    cols: Sequence[tuple[float, float]], extents: Sequence[tuple[float, float]], gap: float
) -> list[tuple[float, float]]:
    """Columns widened by the extents that fit one of them (within ``gap``), and extents
    in free space as columns of their own — without ever merging two of ``cols``: a
    header cell widening each of two neighbours must not join them."""
    out = [list(c) for c in cols]
    free: list[tuple[float, float]] = []
    for x0, x1 in extents:
        hit = [k for k, (a, b) in enumerate(out) if min(b + gap, x1) - max(a - gap, x0) > 0]
        if len(hit) == 1:
            k = hit[0]
            lo = out[k - 1][1] + 0.5 if k > 0 else -float("inf")
            hi = out[k + 1][0] - 0.5 if k + 1 < len(out) else float("inf")
            out[k] = [max(lo, min(out[k][0], x0)), min(hi, max(out[k][1], x1))]
        elif not hit:
            free.append((x0, x1))
    merged = [(a, b) for a, b in out]
    for f in column_bounds(free, gap):
        # A column in free space needs two lines at least (its header and a cell): one
        # chunk there is a raised footnote mark (率ᵃ set on a line of its own) or a stray.
        lines_there = sum(1 for x0, x1 in free if f[0] <= x0 and x1 <= f[1])
        if lines_there < MIN_HOLE_SUPPORT:
            continue
        if not any(min(b, f[1]) - max(a, f[0]) > 0 for a, b in merged):
            merged.append(f)
    return sorted(merged)


def _with_carried(
    cols: list[tuple[float, float]], carry: StreamTable | None
) -> list[tuple[float, float]]:
    """This part's columns with the previous page's: a carried column empty here (a
    merged 分类) is kept, and a column here that spans two carried ones is cut between
    them — the part with the header knew the columns better than a part without."""
    if carry is None:
        return cols
    carried = sorted(carry.col_bounds)
    out: list[tuple[float, float]] = []
    for a, b in cols:
        inside = [(x, y) for x, y in carried if min(b, y) - max(a, x) > 1.0]
        if len(inside) < 2:
            out.append((a, b))
            continue
        cuts = [(y0 + x1) / 2 for (_, y0), (x1, _) in itertools.pairwise(inside)]
        edges = [a, *cuts, b]
        out += [(edges[k], edges[k + 1]) for k in range(len(edges) - 1)]
    out += [c for c in carried if not any(min(c[1], y) - max(c[0], x) > 1.0 for x, y in out)]
    return sorted(out)


# A chunk bridges a column gap where at most this many of the defining lines have ink
# (its own line) while, inside the chunk on both sides, at least BRIDGE_HIGH_SHARE of them do.
BRIDGE_LOW = 1
BRIDGE_HIGH_SHARE = 0.3


def split_bridges(
    extents: Sequence[tuple[float, float]], n_lines: int
) -> list[tuple[float, float]]:
    """Extents with the chunks that bridge a column gap cut at the gap: two cells' texts
    set close (27.19 上其他地区达到) would otherwise join two columns in the projection.
    A long name's tail, where fewer and fewer lines reach, has no column after it inside
    the chunk and stays whole."""
    high = max(3.0, BRIDGE_HIGH_SHARE * n_lines)
    xs = sorted({x for sp in extents for x in sp})
    if len(xs) < 2:
        return list(extents)
    cover = [0] * (len(xs) - 1)  # lines with ink over [xs[k], xs[k+1]]
    index = {x: k for k, x in enumerate(xs)}
    for a, b in extents:
        for k in range(index[a], index[b]):
            cover[k] += 1
    out: list[tuple[float, float]] = []
    for a, b in extents:
        ks = range(index[a], index[b])
        low = [k for k in ks if cover[k] <= BRIDGE_LOW]
        cut = next(
            (
                k
                for k in low
                if max((cover[j] for j in range(index[a], k)), default=0) >= high
                and max((cover[j] for j in range(k + 1, index[b])), default=0) >= high
            ),
            None,
        )
        if cut is None:
            out.append((a, b))
            continue
        end = cut
        while end + 1 < index[b] and cover[end + 1] <= BRIDGE_LOW:
            end += 1
        out += [(a, xs[cut]), (xs[end + 1], b)]
    return out


def _fits_one(span: tuple[float, float], cols: Sequence[tuple[float, float]], gap: float) -> bool:
    """Does the chunk lie in free space, or mostly (half its width) in a single column?
    Coming within ``gap`` of a column counts as touching it (the projection would merge
    them): a spanning header 完成情况 set between 2011 and 2016 joins neither."""
    x0, x1 = span
    overlaps = [min(b + gap, x1) - max(a - gap, x0) for a, b in cols]
    hit = [o for o in overlaps if o > 1.0]
    return not hit or (len(hit) == 1 and hit[0] >= 0.5 * (x1 - x0))


# A data cell's first line: a number (95.04, －2.32, 98%, 8.34亿元/平方公里), a mark or a
# qualitative value — not a bare year (2016 is a header's column year).
_DATA_PIECE = regex.compile(
    r"^(?:[-－−+]?[\d０-９][\d０-９,.．]*\s*[%％]?\p{Han}{0,6}(?:/\p{Han}{0,5})?|[-—－/／]"
    r"|全部.*|必选|可选|[√×☑☐✓✗✔✘])$"
)
_HAN_ONLY = regex.compile(r"[^\p{Han}]")
# The words a value cell holds instead of a number, and the not-applicable marks
# (schemas.numbers keeps both lists).
_VALUE_WORD_SET = QUALITATIVE | NOT_APPLICABLE | {"必选", "可选"}
_YEAR = regex.compile(r"^(?:19|20)\d\d年?度?$")


def _is_data_piece(text: str) -> bool:
    if text in _VALUE_WORD_SET:
        return True
    return bool(_DATA_PIECE.match(text)) and not _YEAR.match(text)


def _starts_cell_of(col: Sequence[Piece], j: int, row: Anchor, height: float) -> bool:
    """Is ``col[j]`` the first line of a cell centred on ``row`` (3.1 of 3.1 / 1)?"""
    end = j
    while (
        end + 1 < len(col)
        and col[end + 1].top - col[end].bottom <= MAX_CELL_LINE_GAP_RATIO * height
        and col[end + 1].top < row.bottom
    ):
        end += 1
    centre = (col[j].top + col[end].bottom) / 2
    return abs(centre - (row.top + row.bottom) / 2) <= 0.5 * height


def _centred_on(col: Sequence[Piece], j: int, row: Anchor, height: float) -> bool:
    """Does a cell of touching lines from ``col[j]`` sit centred on ``row`` — as far
    below the row's centre as it starts above it (a tall remark beside a two-line 序号)?"""
    mid = (row.top + row.bottom) / 2
    reach = 2 * mid - col[j].top
    end = j
    while True:
        if abs((col[j].top + col[end].bottom) / 2 - mid) <= 0.5 * height:
            return True
        if (
            end + 1 >= len(col)
            or col[end + 1].top - col[end].bottom > MAX_CELL_LINE_GAP_RATIO * height
            or col[end + 1].top > reach
        ):
            return False
        end += 1


_NUMBER_CELL = regex.compile(
    r"^(?:[≥≤<>＞＜=]\s*)?[-－−+]?[\d０-９][\d０-９,.．]*\s*[%％]?(?:\p{Han}{0,6}(?:/\p{Han}{0,5})?)?$"
)
_YEAR_LEAD = regex.compile(r"^(?:19|20)\d\d(?!\d)")


def _is_number_cell(text: str) -> bool:
    """A value or a requirement (17.2, 39.01万元/人, ≤0.5), not a header's year
    (2016, 2017年目标) nor a leading-zero fragment (017)."""
    t = fold_chars(text).replace(" ", "")
    return (
        bool(_NUMBER_CELL.match(t))
        and _NUMBER_START.match(t) is not None
        and not _YEAR_LEAD.match(t)
    )


def _is_value_line(p: Piece) -> bool:
    """A piece that prints a value (5.08, 9.29%), not a header's year (2018年完 / 成值)."""
    t = clean("".join(c.text for c in p.chars)).replace(" ", "")
    return _is_data_piece(t) and _NUMBER_START.match(t) is not None and not _YEAR_LEAD.match(t)


def _first_data_line(lines: Sequence[TextLine], block: Sequence[int], gap: float) -> int:
    """Index in ``block`` of the first line below the header: the first one that is no
    header line (three header words) and holds a number, or two data cells (a header set
    vertically in a narrow column has a lone 否 on some line); 0 when the block starts
    with data."""
    for n, i in enumerate(block):
        if header_hits(lines[i].text) >= 3:
            continue
        texts = ["".join(c.text for c in ch) for ch in chunks(lines[i].chars, gap)]
        found = [t for t in texts if _is_data_piece(t)]
        # a number, a requirement (≤0.5), two data cells (达标 | 达标), or a name beside
        # one (综合能耗弹性系数 | 达标, its requirement wrapped around it)
        if len(found) >= 2 or any(_is_number_cell(t) for t in texts) or (found and _named(texts)):
            # Lines just above of long text without header words are the row's too (the
            # upper lines of a requirement centred on it): header lines hold no sentences.
            while n > 0 and header_hits(lines[block[n - 1]].text) == 0:
                above = [
                    "".join(c.text for c in ch) for ch in chunks(lines[block[n - 1]].chars, gap)
                ]
                if not _named(above):
                    break
                n -= 1
            return n
    return 0


MIN_NAME_HAN = 6  # Han characters an indicator's name holds at least (绿化覆盖率 aside)


def _named(texts: Sequence[str]) -> bool:
    """Is one of a line's chunks an indicator's name or a requirement's sentence: long,
    and no header words?"""
    return any(len(_HAN_ONLY.sub("", t)) >= MIN_NAME_HAN and header_hits(t) == 0 for t in texts)


# (017 of a header year 2017 wrapped as 2 / 017 is no value: values have no leading zero)
_NUMBER_START = regex.compile(r"^(?:[≥≤<>＞＜=]\s*)?[-－−+]?(?:[1-9１-９]|[0０](?![\d０-９]))")


def _header_end(
    lines: Sequence[TextLine],
    block: Sequence[int],
    cols: Sequence[tuple[float, float]],
    key: int | None,
    first_data: int,
) -> int:
    """How many of the block's first lines may be header: those above the first numbered
    line (with a 序号 column), else above ``first_data`` — if a header is there."""
    if not any(header_hits(lines[i].text) >= 1 for i in block[:HEADER_LINES]):
        return 0
    if key is not None:
        for n, i in enumerate(block):
            if _numbered(lines[i], cols, key):
                return n
        return 0
    return first_data


def _is_group_line(line: TextLine, gap: float) -> bool:
    """A line that is a group row of its own (（一）经济发展): one chunk, numbered as one."""
    parts = chunks(line.chars, gap)
    return len(parts) == 1 and bool(GROUP_ROW.match(clean("".join(c.text for c in parts[0]))))


def _pieces(
    lines: Sequence[TextLine],
    block: Sequence[int],
    runs: dict[int, list[tuple[float, float]]],
    cols: Sequence[tuple[float, float]],
    too_wide: float,
    gap: float,
) -> list[list[Piece]]:
    """Per column, what each line holds there, top to bottom. A chunk of text goes whole
    to a column when it starts where a chunk of the line above began (a left-aligned
    cell's next line, even where it overhangs the column beside) or when nearly all of
    it lies in one column; else (two cells' texts touching) char by char."""
    out: list[list[Piece]] = [[] for _ in cols]
    above: list[tuple[float, int]] = []  # (x0, column) of the chunks of the line above
    above_bottom = -float("inf")
    for i in block:
        line = lines[i]
        by_col: list[list[Char]] = [[] for _ in cols]
        placed: dict[Char, int] = {}
        touching = line.bbox[1] - above_bottom <= 0.9 * max(line.bbox[3] - line.bbox[1], 1.0)
        starts: list[tuple[float, int]] = []
        for part in chunks(line.chars, gap):
            x0, x1 = min(c.x0 for c in part), max(c.x1 for c in part)
            k = _chunk_column(x0, x1, cols, too_wide, above if touching else [])
            starts.append((x0, k if k is not None else column_of((x0 + x1) / 2, cols)))
            for c in part:
                placed[c] = k if k is not None else column_of((c.x0 + c.x1) / 2, cols)
        last = 0
        for c in line.chars:
            last = placed.get(c, last)  # a space stays with the glyph before it
            by_col[last].append(c)
        for k, got in enumerate(by_col):
            inked = ink(got)
            if inked:
                top = min(c.top for c in inked)
                bottom = max(c.bottom for c in inked)
                out[k].append(Piece(tuple(got), top, bottom))
        above, above_bottom = starts, line.bbox[3]
    return out


# A chunk lies in one column when at least this share of its overlap with columns is there.
WHOLE_CHUNK_SHARE = 0.8
SAME_EDGE = 1.5  # points: lines of one left-aligned cell start within this of each other
OWN_COLUMN_SHARE = 0.5  # ... and the cell's column holds this share of the line at least


def _chunk_column(
    x0: float,
    x1: float,
    cols: Sequence[tuple[float, float]],
    too_wide: float,
    above: Sequence[tuple[float, int]],
) -> int | None:
    """The column a chunk goes to whole, or None to place it char by char."""
    if x1 - x0 >= too_wide:
        return column_of(x0 + 1.0, cols)  # spanning text stays in the column it starts in
    overlaps = [max(0.0, min(b, x1) - max(a, x0)) for a, b in cols]
    total = sum(overlaps)
    for ax0, k in above:
        # (an overhang, not three header cells set solid that start where one above did)
        if abs(ax0 - x0) <= SAME_EDGE and overlaps[k] >= OWN_COLUMN_SHARE * total:
            return k
    if total <= 0:
        return None
    best = max(range(len(cols)), key=lambda k: overlaps[k])
    return best if overlaps[best] >= WHOLE_CHUNK_SHARE * total else None


def _anchors(
    lines: Sequence[TextLine],
    block: Sequence[int],
    head_end: int,
    groups: set[int],
    cols: Sequence[tuple[float, float]],
    key: int | None,
    pieces: Sequence[Sequence[Piece]],
    height: float,
    serial: list[int | None],
) -> dict[Align, list[Anchor]]:
    """Where rows are, per alignment: the 序号 cells; without a 序号 column, the heights
    at which most value columns hold a value; failing both, the first column's lines.
    Group rows (（一）经济发展) are rows of their own in every case."""
    data = [i for i in block[head_end:] if i not in groups]
    grouped = [Anchor(lines[i].bbox[1], lines[i].bbox[3], takes=False, line=i) for i in groups]
    found: dict[Align, list[Anchor]] = {}
    y_min = lines[data[0]].bbox[1] - 0.5 if data and head_end > 0 else -float("inf")
    by_value = value_anchors(pieces, y_min, height)
    if key is not None:
        serials, serial[0] = serial_anchors(lines, data, cols, key, height, serial[0])
        if serials:
            found = {a: snap(serials, by_value.get(a, []), a, height) for a in ALIGNMENTS}
    if not found:
        found = by_value
    if not any(found.values()):
        firsts = [Anchor(p.top, p.bottom) for p in pieces[0]] if pieces else []
        found = {
            a: firsts or [Anchor(lines[block[0]].bbox[1], lines[block[0]].bbox[3])]
            for a in ALIGNMENTS
        }
    return {a: sorted([*anchors, *grouped], key=lambda x: x.top) for a, anchors in found.items()}


# A 序号 and the values of its row agree within this many line heights.
SNAP_RATIO = 0.6


def snap(
    serials: Sequence[Anchor], values: Sequence[Anchor], align: Align, height: float
) -> list[Anchor]:
    """The 序号 anchors, each moved onto the value row beside it: a lone numeral's glyph
    box (一 is one stroke) says less about where its row sits than the row's values do.
    A 序号 with no value row within reach keeps its own box."""
    out: list[Anchor] = []
    used: set[int] = set()
    for s in serials:
        near = [
            (abs(v.pos(align) - s.pos(align)), k)
            for k, v in enumerate(values)
            if k not in used and abs(v.pos(align) - s.pos(align)) <= SNAP_RATIO * height
        ]
        if near:
            _, k = min(near)
            used.add(k)
            out.append(values[k])
        else:
            out.append(s)
    return out


def serial_anchors(
    lines: Sequence[TextLine],
    data: Sequence[int],
    cols: Sequence[tuple[float, float]],
    key: int,
    height: float,
    before: int | None = None,
) -> tuple[list[Anchor], int | None]:
    """One anchor per 序号: its cell's extent, over the lines a wrapped 序号 takes (十 /
    一, 1 / 0) — lines that touch; a blank wider than interline spacing starts a row.
    ``before`` is the 序号 of the row before the block (the previous page's last): a
    1 / 2 wrapped in a narrow column is 12 right after 11. Returns the anchors and the
    last row's 序号."""
    out: list[Anchor] = []
    serial_text = ""  # the current row's 序号 as read so far
    last_serial: int | None = before  # the previous row's
    for i in data:
        got = [c for c in ink(lines[i].chars) if column_of((c.x0 + c.x1) / 2, cols) == key]
        piece = fold_chars("".join(c.text for c in got))
        if not piece:
            continue
        top, bottom = min(c.top for c in got), max(c.bottom for c in got)
        touching = bool(out) and top - out[-1].bottom <= MAX_CELL_LINE_GAP_RATIO * height
        if serial_text and touching and continues_serial(serial_text, piece, last_serial):
            serial_text += piece
            out[-1] = Anchor(out[-1].top, bottom)
        elif _INDEX.match(piece):
            if serial_text:
                last_serial = parse_serial(serial_text)
            serial_text = piece
            out.append(Anchor(top, bottom))
    if serial_text:
        last_serial = parse_serial(serial_text)
    return out, last_serial


# A first line that goes on below: 5. / － / 4.66吨/万 / 全部 (of 全部完成) / 必 (of 必选).
_OPEN_END = regex.compile(r"(?:[.．/／、]|^[-－−+])$")
# Han words a narrow cell wraps (全部 / 完成); a dash or NA is no first line of anything.
_VALUE_WORDS = tuple(sorted(w for w in _VALUE_WORD_SET if len(_HAN_ONLY.sub("", w)) >= 2))
# A line within this many line heights of its column's widest is as wide as the column.
WRAP_SLACK_RATIO = 0.6
# ... and the line it wraps is at most this share of the column wide (7 of −0.707).
REMAINDER_RATIO = 0.5
# Cells of one row may print at heights this many line heights apart and still agree.
ANCHOR_TOLERANCE_RATIO = 0.35


def _opens(text: str) -> bool:
    """A value's first line that goes on below (not a name's: 立方米/ ends a name line)."""
    if text not in _VALUE_WORD_SET and any(w.startswith(text) for w in _VALUE_WORDS):
        return True  # (无 is a value of its own, not the start of 无数据)
    return bool(_OPEN_END.search(text)) and (_is_data_piece(text) or text in "-－−+")


def _width(p: Piece) -> float:
    got = ink(p.chars)
    return max(c.x1 for c in got) - min(c.x0 for c in got) if got else 0.0


def value_anchors(
    pieces: Sequence[Sequence[Piece]], y_min: float, height: float
) -> dict[Align, list[Anchor]]:
    """Rows of a table without a 序号 column: in each column that mostly holds values, the
    value cells (a value's wrapped lines joined: 5. / 34, 4.66吨/万 / 元, a number filling
    its column / its last digits); a row is where at least half of those columns agree on
    a cell's position (its top, or its centre). Two such rows are one when a cell known
    to be one (必 / 选, 全部 / 完成) spans both."""
    max_gap = MAX_CELL_LINE_GAP_RATIO * height
    per_col: list[list[tuple[float, float]]] = []
    spanning: list[tuple[float, float]] = []  # cells whose lines are known to belong together
    for col in pieces:
        widest = max((_width(p) for p in col), default=0.0)
        cells: list[tuple[float, float]] = []
        cur: list[float] | None = None  # top, bottom of the open cell
        is_value = False
        opened = False  # the open cell's text goes on below (5. / 必 / 全部)
        wide = False  # the open cell is one number as wide as the column
        joined = False
        text = ""
        for p in [*col, None]:  # None: the column's end closes the open cell
            if p is not None and p.top < y_min:
                continue
            if p is not None:
                t = clean("".join(c.text for c in p.chars)).replace(" ", "")
                touching = cur is not None and p.top - cur[1] <= max_gap
                # A number filling its column may wrap its last digits (−0.70 / 7): a
                # short remainder that keeps it one number.
                wrapped = (
                    wide and _width(p) <= REMAINDER_RATIO * widest and _is_data_piece(text + t)
                )
                if (
                    touching
                    and cur is not None
                    and (opened or wrapped or not (_is_data_piece(t) or _opens(t)))
                ):
                    joined = joined or opened
                    cur[1] = max(cur[1], p.bottom)
                    text += t
                    opened = _opens(text)
                    wide = False
                    continue
            if cur is not None and (is_value or _is_data_piece(text)):
                cells.append((cur[0], cur[1]))
                if joined:
                    spanning.append((cur[0], cur[1]))
            if p is None:
                break
            cur = [p.top, p.bottom]
            text = t
            is_value = _is_data_piece(t)
            opened = _opens(t)
            wide = (
                is_value
                and _NUMBER_START.match(t) is not None
                and _width(p) >= widest - WRAP_SLACK_RATIO * height
            )
            joined = False
        per_col.append(cells)
    most = max((len(c) for c in per_col), default=0)
    voters = [c for c in per_col if len(c) >= 3 and len(c) >= 0.5 * most]
    if not voters:
        return {}
    need = max(1, (len(voters) + 1) // 2)
    tol = ANCHOR_TOLERANCE_RATIO * height
    out: dict[Align, list[Anchor]] = {}
    for align in ALIGNMENTS:
        marks = sorted(
            (Anchor(t, b).pos(align), k, t, b) for k, cells in enumerate(voters) for t, b in cells
        )
        anchors: list[Anchor] = []
        group: list[tuple[float, int, float, float]] = []
        for m in [*marks, None]:
            if m is not None and group and m[0] - group[-1][0] <= tol:
                group.append(m)
                continue
            if group and len({g[1] for g in group}) >= need:
                anchors.append(Anchor(median(g[2] for g in group), median(g[3] for g in group)))
            group = [m] if m is not None else []
        out[align] = _merge_spanned(anchors, spanning)
    return out


def _merge_spanned(anchors: list[Anchor], spanning: Sequence[tuple[float, float]]) -> list[Anchor]:
    """Neighbouring anchors whose centres one known cell covers are one row."""
    out: list[Anchor] = []
    for a in anchors:
        if out:
            prev = out[-1]
            mids = ((prev.top + prev.bottom) / 2, (a.top + a.bottom) / 2)
            if any(t <= mids[0] and mids[1] <= b for t, b in spanning):
                out[-1] = Anchor(min(prev.top, a.top), max(prev.bottom, a.bottom))
                continue
        out.append(a)
    return out


def _widened(
    cols: Sequence[tuple[float, float]], extents: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``cols`` widened by the extents that fall within one of them (a wrapped line of a
    name); an extent over two columns (a spanning header) widens none."""
    out = list(cols)
    for a, b in extents:
        hit = [k for k, (x0, x1) in enumerate(out) if min(x1, b) - max(x0, a) > 0]
        if len(hit) == 1:
            k = hit[0]
            out[k] = (min(out[k][0], a), max(out[k][1], b))
    return out


def _numbered(line: TextLine, cols: Sequence[tuple[float, float]], key: int) -> bool:
    return bool(_INDEX.match(_texts_by_column(line.chars, cols)[key]))


def fits_columns(line: Sequence[Char], cols: Sequence[tuple[float, float]], gap: float) -> bool:
    """Does every chunk of the line sit in one of ``cols`` (a row of that table)?"""
    parts = chunks(line, gap)
    if not parts:
        return False
    return all(_hits(min(c.x0 for c in ch), max(c.x1 for c in ch), cols) == 1 for ch in parts)


def continuation_block(
    lines: Sequence[TextLine], cols: Sequence[tuple[float, float]], gap: float, page_height: float
) -> list[int]:
    """Lines at the top of a page that continue a borderless table of the previous
    page: from the first multi-chunk line fitting its columns (within the upper part
    of the page), as long as lines keep fitting."""
    block: list[int] = []
    for i, ln in enumerate(lines):
        if not block:
            if ln.bbox[1] > 0.4 * page_height:
                break
            if len(chunks(ln.chars, gap)) >= 2 and fits_columns(ln.chars, cols, gap):
                block.append(i)
            continue
        if not fits_columns(ln.chars, cols, gap):
            break
        block.append(i)
    return block


# Field names of the 信息公开表: a borderless block with two of them is that table.
INFO_LABELS = ("园区名称", "通信地址", "邮编", "园区级别", "园区类型", "联系方式", "电子邮箱")


def looks_like_table(lines: Sequence[TextLine], block: Sequence[int], t: StreamTable) -> bool:
    """Aligned whitespace alone also occurs in justified narrative with numbers; an
    annex table also has a header row, a 序号 column, or the info table's labels."""
    if t.key is not None:
        return True
    if any(header_hits(lines[i].text) >= 3 for i in block):
        return True
    # A header whose cells wrap over several lines (指标类 / 别, 指标值（%） / 2013) names
    # its columns in the table's first row as cut.
    if t.cells and header_hits("".join(c.text for cell in t.cells[0] for c in cell)) >= 3:
        return True
    joined = "".join("".join(lines[i].text.split()) for i in block)
    return sum(1 for w in INFO_LABELS if w in joined) >= 2


def _is_info_form(lines: Sequence[TextLine], block: Sequence[int]) -> bool:
    joined = "".join("".join(lines[i].text.split()) for i in block)
    return sum(w in joined for w in INFO_LABELS) >= 2


def _starts_anew(lines: Sequence[TextLine], block: Sequence[int]) -> bool:
    """A block with its own header row or the info table's labels is a table of its
    own, even right below the previous page's table."""
    texts = ["".join(lines[i].text.split()) for i in block]
    joined = "".join(texts)
    return any(header_hits(x) >= 3 for x in texts) or sum(w in joined for w in INFO_LABELS) >= 2


FOLIO_BAND = 0.9  # folios sit below this share of the page height (or above 1 - it)


def _reach_up(lines: Sequence[TextLine], start: int, carry: StreamTable, gap: float) -> int:
    """The first of the lines just above ``start`` that all fit the carried columns."""
    k = start
    while k > 0 and fits_columns(lines[k - 1].chars, carry.col_bounds, gap):
        above, below = lines[k - 1], lines[k]
        if below.bbox[1] - above.bbox[3] > REACH_UP_GAP_RATIO * (below.bbox[3] - below.bbox[1]):
            break  # (a running header stands apart from the table)
        k -= 1
    return k


REACH_UP_GAP_RATIO = 1.5  # line heights of blank that part a table from the lines above


def _centred(line: TextLine, lines: Sequence[TextLine]) -> bool:
    """Is the line centred on the text block (as folios are), not set in a column (the
    last digit of a value wrapped below a table's last row at the page's foot)?"""
    left = min(ln.bbox[0] for ln in lines)
    right = max(ln.bbox[2] for ln in lines)
    mid = (line.bbox[0] + line.bbox[2]) / 2
    return abs(mid - (left + right) / 2) <= FOLIO_CENTRE_SLACK * (right - left)


FOLIO_CENTRE_SLACK = 0.15  # a folio's centre lies within this share of the text width


def find_stream_tables(
    lines: Sequence[TextLine],
    settings: PdfSettings,
    carry: StreamTable | None = None,
    page_height: float = 842.0,
) -> list[StreamTable]:
    """Borderless tables among a page's lines (top to bottom). ``carry`` is the previous
    page's last table if it ran to the page's foot: a block at the top of this page
    continues it, needs no header and may be a single row."""
    gap = column_gap(lines, settings)
    # A folio (- 4 -) under a table that runs to the page's foot is no row of it.
    folios = {
        i
        for i, ln in enumerate(lines)
        if is_page_number(ln.text)
        and (ln.bbox[1] > FOLIO_BAND * page_height or ln.bbox[3] < (1 - FOLIO_BAND) * page_height)
        and _centred(ln, lines)
    }
    blocks = [[i for i in b if i not in folios] for b in table_blocks(lines, settings, gap)]
    top = settings.margin_lines  # lines above a continuation: running header at most
    out: list[StreamTable] = []
    if carry is not None and not (blocks and blocks[0][0] <= top):
        small = continuation_block(lines, carry.col_bounds, gap, page_height)
        if small and _reach_up(lines, small[0], carry, gap) <= top:
            # (a block found on its own that it runs into is the same part, whole — up to
            # a header repeated under the carried rows, 续上表 on this page)
            joined = sorted({*small, *(i for b in blocks if set(b) & set(small) for i in b)})
            rest = [b for b in blocks if not set(b) & set(small)]
            blocks = [*split_at_headers(lines, joined), *rest]
    if carry is not None and blocks and not _starts_anew(lines, blocks[0]):
        # Lines above the first block that fit the carried columns (a requirement's upper
        # lines, its row centred on values further down) are that row's: the part
        # starts there.
        k = _reach_up(lines, blocks[0][0], carry, gap)
        if k <= top:
            blocks[0] = [*range(k, blocks[0][0]), *blocks[0]]
    blocks = [b for b in ([i for i in b if i not in folios] for b in blocks) if b]
    for n, block in enumerate(blocks):
        overleaf = carry is not None and n == 0 and block[0] <= top
        cont = carry if overleaf and not _starts_anew(lines, block) else None
        if cont is None and out and block[0] - max(out[-1].line_ids) <= 2:
            # A header repeated right under the table (续表 on the same page): the same
            # columns, which its few rows alone cannot tell.
            cont = out[-1]
        before = carry.last_serial if overleaf and carry is not None else None
        above = carry.header_text if overleaf and carry is not None else ""
        t = build_stream_table(lines, block, gap, cont, settings, overleaf, before, above)
        if t is not None and (cont is not None or looks_like_table(lines, block, t)):
            out.append(t)
    return out
