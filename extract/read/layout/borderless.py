"""Borderless tables: a page's tabular blocks read as cells.

The stages live in their own modules, in the order they run: ``blocks`` (where tables
are on the page), ``columns`` (their x-ranges, from the fullest data lines, and what each
line holds in each column), ``anchors`` (where the header ends and each row is known to
be: its 序号 or a line of values), then ``rows`` places every column's lines into those
rows by the table's vertical alignment. This module runs them per block, and carries a
table that ran to a page's foot onto the next page: a block at the top of that page
continues it, sharing its columns, its 序号 column and the count of its 序号; a header
repeated there is told from the tail of a row the page break cut.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from extract.read.layout.anchors import (
    centred_on,
    centring,
    first_data_line,
    header_end,
    is_group_line,
    is_value_line,
    lost_first_rows,
    row_anchors,
    starts_cell_of,
)
from extract.read.layout.blocks import (
    INFO_LABELS,
    continuation_block,
    fits_columns,
    split_at_headers,
    table_blocks,
)
from extract.read.layout.chunks import (
    HEADER_LINES,
    SPACES,
    chunks,
    column_gap,
    compact,
    header_cells_only,
    header_hits,
    ink,
    is_mark,
    span_of,
)
from extract.read.layout.columns import (
    MIN_LINES_PER_COLUMN,
    column_bounds,
    column_of,
    column_support,
    is_numbered,
    key_column,
    line_pieces,
    table_columns,
    widened,
)
from extract.read.layout.geom import Box, Char, free_bands, merge_intervals
from extract.read.layout.lines import TextLine, is_page_number
from extract.read.layout.rows import (
    MAX_CELL_LINE_GAP_RATIO,
    Anchor,
    Piece,
    place_rows,
)
from extract.read.layout.settings import PdfSettings


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
    parts = {i: chunks(lines[i].chars, gap) for i in block}  # (cut once, used twice)
    runs = {i: [span_of(ch) for ch in parts[i]] for i in block}
    too_wide = (settings or PdfSettings()).stream_max_cell_width_ratio * (right - left)
    start = first_data_line(lines, block, gap)  # where the header ends, if any
    height = median(c.bottom - c.top for c in chars)
    # A raised footnote mark (率ᵃ, set as a line of its own) is no column.
    col_runs = {i: [span_of(ch) for ch in parts[i] if not is_mark(ch, height)] for i in block}
    cols = table_columns(
        lines, block, col_runs, gap, too_wide, carry.col_bounds if carry else None, start
    )
    key = key_column(lines, block, cols)
    if key is not None:
        # A header cell spanning two columns (实际值 over 2017年 | 2019年) or set in narrow
        # columns bridges a column gap: the numbered rows' first lines decide then.
        numbered = [i for i in block if is_numbered(lines[i], cols, key)]
        data = [sp for i in numbered for sp in runs[i] if sp[1] - sp[0] < too_wide]
        if len(numbered) >= 3 and data:
            major = [
                c
                for c in column_bounds(data + (carry.col_bounds if carry else []), gap)
                # (a column one numbered line alone holds is its word gap)
                if column_support(c, [runs[i] for i in numbered]) >= MIN_LINES_PER_COLUMN
                or (carry is not None and column_support(c, [carry.col_bounds]) > 0)
            ]
            if len(major) > len(cols):
                extents = [sp for i in block for sp in runs[i] if sp[1] - sp[0] < too_wide]
                cols = widened(major, extents)
                key = key_column(lines, block, cols)
    if carry is not None and carry.key is not None:
        # A continuation numbers its rows where the part with the header did (a value
        # column of small whole numbers is no 序号 column).
        a, b = carry.col_bounds[carry.key]
        key = column_of((a + b) / 2, cols)
    if len(cols) < 2:
        return None
    head_end = header_end(lines, block, cols, key, start)
    # (a table that numbers from 1 and whose first 序号 read is 2: row 1's was lost)
    fresh = carry is None and before is None
    lost = lost_first_rows(lines, block, cols, key, head_end, start) if fresh else 0
    if lost:
        head_end = start
    groups = {i for i in block if is_group_line(lines[i], gap)}
    pieces = line_pieces(lines, [i for i in block if i not in groups], parts, cols, too_wide)
    serial = [carry.last_serial if carry is not None else before]  # in: the row before; out: last
    by_align = row_anchors(
        lines, block, head_end, groups, cols, key, pieces, height, serial, lost, carry is not None
    )
    table_top = min(c.top for c in chars)
    table_bottom = max(c.bottom for c in chars)
    first = min(a.top for anchors in by_align.values() for a in anchors if a.takes)
    # (the header ends above the first row's anchor, and above its first line)
    head_limit = min(first, lines[block[head_end]].bbox[1]) if head_end > 0 else -float("inf")
    tail: list[list[Piece]] = [[] for _ in cols]
    # Under a header: its rows (the first alignment's), and the bottoms of its lines of
    # header words (or of the header a continuation repeats).
    rows = sorted((a for a in next(iter(by_align.values())) if a.takes), key=lambda a: a.top)
    said = [lines[i].bbox[3] for i in block[:head_end] if _says_header(lines[i], header_above)]
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
        row1 = rows[0]
        # (a header's own lines, 201 / 7年目标值 wrapped, lie above its last line; its
        # last line of header words ends the header's own text)
        head_bottom = max(lines[i].bbox[3] for i in block[:head_end])
        words_bottom = max(said, default=head_bottom)

        def cut_off(col: Sequence[Piece], j: int) -> bool:
            p = col[j]
            if is_value_line(p):
                return p.top >= head_bottom - 0.5 and not starts_cell_of(col, j, row1, height)
            text = compact(p.chars)
            return (
                bool(header_above)
                and bool(text)
                and p.top >= words_bottom - 0.5
                and text not in header_above
                and not centred_on(col, j, row1, height)
            )

        for k, col in enumerate(pieces):
            tail[k] = [
                p for j, p in enumerate(col) if (p.top + p.bottom) / 2 < first and cut_off(col, j)
            ]
            pieces[k] = [p for p in col if p not in tail[k]]
    limits: float | list[float] = head_limit
    if head_end > 0:
        # (a cell of the first row ends above the second row)
        row2_top = rows[1].top if len(rows) > 1 else float("inf")
        row2_mid = (rows[1].top + rows[1].bottom) / 2 if len(rows) > 1 else float("inf")
        below = max(said, default=-float("inf"))
        limits = [
            _column_head_limit(
                [p for p in col if p.top < row2_top],
                rows[0],
                height,
                head_limit,
                below,
                header_above,
                row2_mid,
            )
            for col in pieces
        ]
    placed = place_rows(pieces, by_align, height, limits, key)
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
        got = [c for cell in row for c in cell if c.text not in SPACES]
        if got:
            cells.append(row)
            bounds.append((min(c.top for c in got), max(c.bottom for c in got)))
    bbox = (cols[0][0], table_top, cols[-1][1], table_bottom)
    own_header = "".join(compact(p.chars) for col in placed.head for p in col)
    header_text = own_header or (carry.header_text if carry is not None else header_above)
    return StreamTable(
        cells, bounds, list(cols), bbox, frozenset(block), key, serial[0], header_text
    )


def _says_header(line: TextLine, header_above: str) -> bool:
    """A line of the header's own words (or of the header a continuation repeats)."""
    return header_hits(line.text) >= 1 or compact(line.chars) in header_above


def _column_head_limit(
    col: Sequence[Piece],
    row1: Anchor,
    height: float,
    limit: float,
    words: float,
    above: str,
    floor: float = float("inf"),
) -> float:
    """Where one column's header ends. The first row's cell in it may be centred on the
    row from above the other columns' first line (a requirement's four lines beside a
    one-line 序号): such a cell lies below the header's last line of header words and
    holds none itself. A header cell set one short line under another in a narrow column
    may end on the first row's line: the line that closes its bracket (2018年（现状 / 值）)
    is the header's. ``floor``: the second row's centre, which no cell of the first row
    reaches."""
    head: list[Piece] = []
    for j, p in enumerate(col):
        text = compact(p.chars)
        if (p.top + p.bottom) / 2 >= limit:
            opened = "".join(compact(h.chars) for h in head)
            if (
                head
                and p.top - head[-1].bottom <= MAX_CELL_LINE_GAP_RATIO * height
                and _unclosed(opened)
                and _unclosed(opened + text) < _unclosed(opened)
                and (not any(ch.isdigit() for ch in text) or _ends_year(opened, text))
            ):
                return (p.top + p.bottom) / 2 + 0.5
            break
        head.append(p)
        if p.top < words - 0.5 or not text or header_cells_only(text) or (above and text in above):
            continue  # (header words and years are the header's: 2019 under 指标值)
        off = centring(col, j, row1, height, floor)
        if off is None:
            continue
        # (a header set a glyph per line over a stacked cell, 目 / 标 / 值 over 6.3 / 3:
        # its last glyph and the cell may pass as centred on the row, the cell alone
        # sits closer to the row's centre)
        closer = centring(col, j + 1, row1, height, floor) if j + 1 < len(col) else None
        if closer is None or closer >= off:
            return min(limit, p.top)
    return limit


def _ends_year(opened: str, text: str) -> bool:
    """Does ``text`` finish a year the header cell left cut (基准年（202 / 1年）)?"""
    return "年" in text and _YEAR.search(opened + text) is not None and not _YEAR.search(opened)


_YEAR = re.compile(r"(?:19|20)\d\d年")


def _unclosed(text: str) -> int:
    """Brackets opened and not closed in ``text`` (a header cell cut mid-bracket)."""
    return max(0, sum(text.count(b) for b in "（(") - sum(text.count(b) for b in "）)"))


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
    while k > 0 and _fits_carried(lines[k - 1].chars, carry.col_bounds, gap):
        above, below = lines[k - 1], lines[k]
        if below.bbox[1] - above.bbox[3] > REACH_UP_GAP_RATIO * (below.bbox[3] - below.bbox[1]):
            break  # (a running header stands apart from the table)
        k -= 1
    return k


REACH_UP_GAP_RATIO = 1.5  # line heights of blank that part a table from the lines above

# Two narrow columns' cells may be set closer than a column gap (a 序号 and the category
# beside it: 十资源); a blank of this share of the gap at their columns' boundary parts them.
BOUNDARY_BLANK_RATIO = 0.5


def _fits_carried(line: Sequence[Char], cols: Sequence[tuple[float, float]], gap: float) -> bool:
    """``fits_columns``, where a chunk may also span two neighbouring columns when its
    glyphs part by a blank at their boundary (十 | 资源 set close)."""
    if fits_columns(line, cols, gap):
        return True
    for ch in chunks(line, gap):
        x0, x1 = span_of(ch)
        hit = [n for n, (a, b) in enumerate(cols) if min(b, x1) - max(a, x0) > 1.0]
        if len(hit) == 1:
            continue
        if len(hit) != 2 or hit[1] != hit[0] + 1:
            return False
        edge = (cols[hit[0]][1] + cols[hit[1]][0]) / 2
        glyphs = ink(ch)
        left = [c for c in glyphs if (c.x0 + c.x1) / 2 < edge]
        right = [c for c in glyphs if (c.x0 + c.x1) / 2 >= edge]
        if not left or not right:
            return False
        if min(c.x0 for c in right) - max(c.x1 for c in left) < BOUNDARY_BLANK_RATIO * gap:
            return False
    return True


def _bridge(
    lines: Sequence[TextLine], a: Sequence[int], b: Sequence[int], settings: PdfSettings
) -> list[int] | None:
    """The lines between blocks ``a`` and ``b`` when they join them into one: at most
    ``MAX_BRIDGE_LINES``, each set as close to the line above as a table's rows are, and
    no header in either block (a header opens a part of its own: 续表)."""
    between = list(range(a[-1] + 1, b[0]))
    if len(between) > MAX_BRIDGE_LINES:
        return None
    if any(header_hits(lines[i].text) >= 3 for i in [*a, *between, *b[:HEADER_LINES]]):
        return None
    run = [a[-1], *between, b[0]]
    for upper, lower in itertools.pairwise(run):
        h = max(lines[lower].bbox[3] - lines[lower].bbox[1], 1.0)
        if lines[lower].bbox[1] - lines[upper].bbox[3] > settings.stream_max_row_gap_ratio * h:
            return None
    return between


# Lines (a group row, a name's upper lines) that may stand between a continuation's
# opening tail and the rest of its rows.
MAX_BRIDGE_LINES = 3


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
    blocks = table_blocks(lines, settings, gap, folios)
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
    if carry is not None and len(blocks) > 1 and blocks[0][0] <= top:
        # A continuation opening with a row's tail (a requirement's last lines, in one
        # narrow column), then a group row and a name's upper line, single chunks wider
        # than that tail: the lines between the two blocks are the table's too.
        bridge = _bridge(lines, blocks[0], blocks[1], settings)
        if bridge is not None:
            blocks = [[*blocks[0], *bridge, *blocks[1]], *blocks[2:]]
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
