"""Where borderless tables are on a page: runs of tabular lines, cut at a header repeated
under the rows, started at their header (with its wrapped lines above), trimmed of
captions and narrative, and the block that continues a table at the top of a page."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import regex

from extract.read.layout.chunks import (
    CONTINUED_CAPTION,
    HEADER_LINE_GAP_RATIO,
    HEADER_LINES,
    NOT_HAN,
    NUMBER_START,
    YEAR_CELL,
    chunk_spans,
    chunks,
    column_hits,
    header_cells_only,
    header_hits,
    is_row_like,
)
from extract.read.layout.geom import Char, merge_intervals
from extract.read.layout.lines import TextLine
from extract.read.layout.settings import PdfSettings
from schemas.text import fold_chars


def table_blocks(
    lines: Sequence[TextLine], settings: PdfSettings, gap: float, skip: Collection[int] = ()
) -> list[list[int]]:
    """Runs of consecutive lines that look tabular (two or more chunks, or a header of
    column names), allowing short single-chunk lines in between (wrapped cells). Lines
    in ``skip`` (folios) take no part: a folio under a table would shield the note
    above it (注：…) from being trimmed off the block's end."""
    blocks: list[list[int]] = []
    cur: list[int] = []
    width = 0.0
    blank = settings.stream_min_blank_ratio
    for i, ln in enumerate(lines):
        if i in skip:
            continue
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
            # (a part after a repeated header may hold a single row under it; a header
            # at the page's foot may hold none, its rows overleaf)
            at_foot = bool(b) and len(lines) - 1 - b[-1] <= settings.margin_lines
            header = any(header_hits(lines[i].text) >= 3 for i in b)
            need = settings.stream_min_rows if n == 0 else 2
            if n_tab >= (1 if at_foot and header else need):
                out.append(b)
    return out


def split_at_headers(lines: Sequence[TextLine], block: Sequence[int]) -> list[list[int]]:
    """A block that repeats its header below data rows (续表 on the same page) is two
    tables: cut before the repeated header's first line (and drop the 续表 caption)."""
    heads = [k for k, i in enumerate(block) if header_hits(lines[i].text) >= 3]
    # A header set a word or two per line (vertical cells) under a 续表 caption: the
    # caption and a few header words in the lines under it make it one.
    heads += [
        k + 1
        for k, i in enumerate(block[:-1])
        if CONTINUED_CAPTION.match(lines[i].text)
        and sum(header_hits(lines[j].text) for j in block[k + 1 : k + 1 + HEADER_LINES])
        >= MIN_CAPTIONED_HEADER_WORDS
        and k + 1 not in heads
    ]
    heads.sort()
    parts: list[list[int]] = []
    start = 0
    for k in heads:
        rows_above = [i for i in block[start:k] if _is_data_row(lines[i])]
        # (a 续表 caption above it says so even after a single row)
        captioned = bool(rows_above) and any(
            CONTINUED_CAPTION.match(lines[i].text) for i in block[start:k]
        )
        if len(rows_above) < MIN_ROWS_BEFORE_REPEAT and not captioned:
            continue  # (a header's own wrapped lines above its main line: 201 / 9年)
        cut = k
        while cut > start + 1:  # the repeated header's wrapped lines just above it
            above, below = lines[block[cut - 1]], lines[block[cut]]
            height = below.bbox[3] - below.bbox[1]
            # (an upper header line of words or years may stand farther off: a cell
            # centred over a two-level header, 评价 of 评价 / 结果 above 完成情况's years)
            words = header_cells_only(above.text)
            reach = (HEADER_WORDS_GAP_RATIO if words else HEADER_LINE_GAP_RATIO) * height
            if below.bbox[1] - above.bbox[3] > reach:
                break
            if _numbered_or_data(above) and not words:
                break
            cut -= 1
            if CONTINUED_CAPTION.match(above.text):
                break  # (the lines above a 续表 caption end the part before: 处置利用率)
        parts.append(list(block[start:cut]))
        start = cut
    parts.append(list(block[start:]))
    kept = [[i for i in p if not CONTINUED_CAPTION.match(lines[i].text)] for p in parts]
    return [p for p in kept if p]


MIN_ROWS_BEFORE_REPEAT = 2  # data rows a header must follow to be a repeated one
MIN_CAPTIONED_HEADER_WORDS = 2  # header words under a 续表 caption that make a header

# An upper header line of header words alone may lie this many line heights above the
# next header line (cells of one header row centred on different heights).
HEADER_WORDS_GAP_RATIO = 2.0


def _is_data_row(line: TextLine) -> bool:
    """A row of cells with a number among them (three tokens at least)."""
    return len(line.text.split()) >= 3 and _numbered_or_data(line)


def _numbered_or_data(line: TextLine) -> bool:
    """A line of data rows: a token that is a number (no year: 2016 | 2018 head columns,
    2017年实 of a header's 2017年实际值)."""
    if header_hits(line.text) >= 3:
        return False
    tokens = fold_chars(line.text).split()
    return any(
        NUMBER_START.match(t) and not YEAR_CELL.match(t) and not _YEAR_FRAGMENT.match(t)
        for t in tokens
    )


# A header's year cell cut short (2017年实 of 2017年实际值, 2019年）, 202 / 6年 of
# 2026年目标值): no data, unlike a remark that begins with a year (2017年新增3项).
_YEAR_FRAGMENT = regex.compile(
    r"^(?:(?:19|20)\d\d年?[\p{Han}（）()]{0,2}|(?:19|20)\d|\d{1,3}年[\p{Han}（）()]{0,2})$"
)


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
        if below.bbox[1] - above.bbox[3] > HEADER_LINE_GAP_RATIO * height or _long_words(above):
            break
        k -= 1
    return list(block[k:])


def _long_words(line: TextLine) -> bool:
    """Does the line hold a word longer than a header cell's line (a caption, a title)?"""
    return any(len(NOT_HAN.sub("", t)) > MAX_HEADER_CELL_HAN for t in line.text.split())


def with_header_above(lines: Sequence[TextLine], block: Sequence[int]) -> list[int]:
    """A block that starts with its header row, with the lines touching it from above:
    header cells set vertically centred start higher than the one-line cells (是否为考 /
    核指标 over two lines), and in a scan that first line is a visual line of its own
    without enough whitespace to look tabular."""
    b = list(block)
    # (the block may start at a wrapped header line below the header's first: 序 / 考核)
    if not b or not any(header_hits(lines[i].text) >= 3 for i in b[:HEADER_LINES]):
        return b
    left = min(lines[i].bbox[0] for i in b)  # (the table's left edge, not one line's)
    while b[0] > 0:
        above, below = lines[b[0] - 1], lines[b[0]]
        height = below.bbox[3] - below.bbox[1]
        if (
            below.bbox[1] - above.bbox[3] > HEADER_LINE_GAP_RATIO * height
            or above.bbox[2] < left
            or CONTINUED_CAPTION.match(above.text)  # the 续表 caption is no part of the header
            # a title or narrative set close above is no header cell (short words only)
            or _long_words(above)
        ):
            break
        b.insert(0, b[0] - 1)
    return b


MAX_HEADER_CELL_HAN = 8  # Han characters one line of a header cell holds at most


def trim_block(lines: Sequence[TextLine], block: Sequence[int], gap: float) -> list[int]:
    """Drop lines at either end of a block that bridge the column gaps of the rest:
    the caption above a table (园区名称 … 填报时间 …) and the narrative after it."""
    spans = {i: chunk_spans(lines[i].chars, gap) for i in block}
    b = list(block)
    changed = True
    while changed and len(b) > 2:
        changed = False
        for end in (0, -1):
            i = b[end]
            cols = merge_intervals((sp for j in b if j != i for sp in spans[j]), gap)
            bridging = [k for k, (x0, x1) in enumerate(spans[i]) if column_hits(x0, x1, cols) >= 2]
            if not bridging or (
                end == 0
                and (_spanning_header(lines, b, gap, bridging) or _solid_header(lines[i], cols))
            ):
                continue
            b.pop(end)
            changed = True
            break
    return b


def _solid_header(line: TextLine, cols: Sequence[tuple[float, float]]) -> bool:
    """Is the line the first lines of header cells set solid across columns (是否为考 |
    是否达): cut at the columns, every piece names a column? (A spanning 指标值 cut so
    leaves fragments that name nothing.)"""
    pieces: dict[int, str] = {}
    for c in line.chars:
        if c.text.strip():
            k = min(
                range(len(cols)),
                key=lambda j: abs((cols[j][0] + cols[j][1]) / 2 - (c.x0 + c.x1) / 2),
            )
            pieces[k] = pieces.get(k, "") + c.text
    return len(pieces) >= 2 and all(header_hits(t) >= 1 for t in pieces.values())


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
    texts = ["".join(c.text for c in parts[k]) for k in bridging]
    # (alone on its line, a spanning cell names its columns: 指标值 over 2019 | 2021)
    named = len(parts) > len(bridging) or all(header_hits(t) >= 1 for t in texts)
    return named and all(len(NOT_HAN.sub("", t)) <= MAX_SPANNING_HEADER_HAN for t in texts)


def fits_columns(line: Sequence[Char], cols: Sequence[tuple[float, float]], gap: float) -> bool:
    """Does every chunk of the line sit in one of ``cols`` (a row of that table)?"""
    parts = chunks(line, gap)
    if not parts:
        return False
    return all(column_hits(min(c.x0 for c in ch), max(c.x1 for c in ch), cols) == 1 for ch in parts)


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


def is_info_form(lines: Sequence[TextLine], block: Sequence[int]) -> bool:
    joined = "".join("".join(lines[i].text.split()) for i in block)
    return sum(w in joined for w in INFO_LABELS) >= 2
