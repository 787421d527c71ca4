"""Where a borderless table's rows are: the header's end, and an anchor per row — its
序号 cell, or where most value columns print a value at one height (wrapped numbers
joined) — with the tests a cut row's tail overleaf is told by."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from statistics import median

import regex

from extract.read.layout.chunks import (
    HEADER_LINES,
    MAX_SERIAL,
    NOT_HAN,
    NUMBER_START,
    SERIAL,
    VALUE_WORD_SET,
    YEAR_LEAD,
    chunks,
    compact,
    header_cells_only,
    header_hits,
    header_words,
    ink,
    is_data_piece,
    is_named,
    is_number_cell,
    span_of,
)
from extract.read.layout.columns import column_of, is_numbered, texts_by_column
from extract.read.layout.geom import Char
from extract.read.layout.lines import TextLine
from extract.read.layout.rows import (
    ALIGNMENTS,
    MAX_CELL_LINE_GAP_RATIO,
    Align,
    Anchor,
    Piece,
)
from schemas.numbers import (
    chinese_numeral,
    parse_serial,
    to_chinese_numeral,
)
from schemas.text import GROUP_ROW, clean, fold_chars

# A wrapped Chinese 序号 (二 / 十 / 一 on three lines) is one row only up to this number.
MAX_WRAPPED_SERIAL = 40


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


def starts_cell_of(col: Sequence[Piece], j: int, row: Anchor, height: float) -> bool:
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


def centred_on(
    col: Sequence[Piece], j: int, row: Anchor, height: float, floor: float = float("inf")
) -> bool:
    """Does a cell of touching lines from ``col[j]`` sit centred on ``row`` — as far
    below the row's centre as it starts above it (a tall remark beside a two-line 序号)?
    ``floor``: the next row's centre, which no cell of ``row`` reaches (that row's own
    cell, centred on it, starts above it: a column of stacked glyphs, 达 / 标 / 情 / 况 over
    未 / 达 / 标 over 达 / 标, may be one even run of lines)."""
    return centring(col, j, row, height, floor) is not None


def centring(
    col: Sequence[Piece], j: int, row: Anchor, height: float, floor: float = float("inf")
) -> float | None:
    """How far off ``row``'s centre the best centred cell from ``col[j]`` is (``centred_on``
    over each end it may take), or None when none is."""
    mid = (row.top + row.bottom) / 2
    reach = 2 * mid - col[j].top
    best: float | None = None
    end = j
    while col[end].bottom <= floor:
        off = abs((col[j].top + col[end].bottom) / 2 - mid)
        if off <= 0.5 * height and (best is None or off < best):
            best = off
        if (
            end + 1 >= len(col)
            or col[end + 1].top - col[end].bottom > MAX_CELL_LINE_GAP_RATIO * height
            or col[end + 1].top > reach
        ):
            break
        end += 1
    return best


def is_value_line(p: Piece) -> bool:
    """A piece that prints a value (5.08, 9.29%), not a header's year (2018年完 / 成值)."""
    t = clean("".join(c.text for c in p.chars)).replace(" ", "")
    return is_data_piece(t) and NUMBER_START.match(t) is not None and not YEAR_LEAD.match(t)


def first_data_line(lines: Sequence[TextLine], block: Sequence[int], gap: float) -> int:
    """Index in ``block`` of the first line below the header: the first one that is no
    header line (three header words) and holds a number, or two data cells (a header set
    vertically in a narrow column has a lone 否 on some line); 0 when the block starts
    with data."""
    for n, i in enumerate(block):
        if header_hits(lines[i].text) >= 3:
            continue
        if header_cells_only(lines[i].text) and any(
            header_hits(lines[k].text) >= 3 for k in block[n + 1 : n + HEADER_LINES]
        ):
            continue  # (a header's upper line, 2017 | 评价, above its line of words)
        parts = chunks(lines[i].chars, gap)
        texts = ["".join(c.text for c in ch) for ch in parts]
        # (digits of a year cut over a narrow header cell's lines are the header's)
        kept = [
            t
            for t, ch in zip(texts, parts, strict=True)
            if (is_data_piece(t) or is_number_cell(t))
            and not _in_cut_year(lines, block, n, ch, gap)
        ]
        found = [t for t in kept if is_data_piece(t)]
        # a number, a requirement (≤0.5), two data cells (达标 | 达标), or a name beside
        # one (综合能耗弹性系数 | 达标, its requirement wrapped around it)
        if len(found) >= 2 or any(is_number_cell(t) for t in kept) or (found and is_named(texts)):
            # Lines just above of long text without header words are the row's too (the
            # upper lines of a requirement centred on it): header lines hold no sentences.
            while n > 0 and header_hits(lines[block[n - 1]].text) == 0:
                above = [
                    "".join(c.text for c in ch) for ch in chunks(lines[block[n - 1]].chars, gap)
                ]
                if not is_named(above):
                    break
                n -= 1
            return n
    return 0


def _in_cut_year(
    lines: Sequence[TextLine], block: Sequence[int], n: int, chunk: Sequence[Char], gap: float
) -> bool:
    """Is ``chunk`` (on ``lines[block[n]]``) digits of a year a narrow header cell set
    over several lines (规划目标（202 / 1 / 年）, or 201 / 6年 / 目标值 with the 年 on
    the digits' line): the cell's lines above and below it, read down the column, hold
    the year with its 年 there?"""
    own = compact(chunk)
    digits = own.removesuffix("年")
    if not digits or not digits.isdigit() or len(digits) > 4:
        return False
    ink_chars = ink(chunk)
    height = median(c.bottom - c.top for c in ink_chars) if ink_chars else 10.0
    x0, x1 = span_of(chunk)
    top, bottom = min(c.top for c in chunk), max(c.bottom for c in chunk)
    above: list[str] = []
    below: list[str] = []
    for step, stack in ((-1, above), (1, below)):
        edge = top if step < 0 else bottom
        k = n + step
        while 0 <= k < len(block) and len(stack) < HEADER_LINES:
            box = lines[block[k]].bbox
            if (box[1] - edge if step > 0 else edge - box[3]) > MAX_CELL_LINE_GAP_RATIO * height:
                break
            over = [
                ch
                for ch in chunks(lines[block[k]].chars, gap)
                if min(x1, span_of(ch)[1]) - max(x0, span_of(ch)[0]) > 0
            ]
            k += step
            if not over:
                continue  # (a line of other columns only, between the cell's lines)
            if len(over) > 1:
                break
            t, b = min(c.top for c in over[0]), max(c.bottom for c in over[0])
            if (t - edge if step > 0 else edge - b) > MAX_CELL_LINE_GAP_RATIO * height:
                break
            stack.append(compact(over[0]))
            edge = b if step > 0 else t
    head = "".join(reversed(above))
    column = head + own + "".join(below)
    start, end = len(head), len(head) + len(digits)
    return any(m.start() <= start and end <= m.end() - 1 for m in _CUT_YEAR.finditer(column))


# A header's year and its 年, which a cut year's digits are part of.
_CUT_YEAR = regex.compile(r"(?:19|20)\d\d年")


def header_end(
    lines: Sequence[TextLine],
    block: Sequence[int],
    cols: Sequence[tuple[float, float]],
    key: int | None,
    first_data: int,
) -> int:
    """How many of the block's first lines may be header: those above the first numbered
    line (with a 序号 column), else above ``first_data`` — if a header is there."""
    numbered = (
        next((n for n, i in enumerate(block) if is_numbered(lines[i], cols, key)), None)
        if key is not None
        else None
    )
    said = any(header_hits(lines[i].text) >= 1 for i in block[:HEADER_LINES])
    if not said and numbered is not None:
        said = _header_wrapped(lines, block[: min(numbered, HEADER_LINES)])
    if not said:
        return 0
    if key is not None:
        return numbered or 0
    return first_data


# A header whose cells all wrap (指标类 / 别, 序 / 号, 2019年完 / 成值, 数据 / 来源) has no
# line that header words cover enough; the lines above the first numbered row are a
# header still when together they name this many different columns (no row's name and
# no caption names three).
WRAPPED_HEADER_WORDS = 3


def _header_wrapped(lines: Sequence[TextLine], above: Sequence[int]) -> bool:
    flat = "".join("".join(lines[i].text.split()) for i in above)
    return sum(1 for w in header_words() if len(w) >= 2 and w in flat) >= WRAPPED_HEADER_WORDS


# A group row's name set apart from its number is a category's name, this short at most
# (经济发展, 资源节约); a data row's name is longer and has values beside it.
GROUP_NAME_MAX = 8
_HAN_ONLY = regex.compile(r"\p{Han}+")


def is_group_line(line: TextLine, gap: float) -> bool:
    """A line that is a group row of its own (（一）经济发展): one chunk, numbered as one;
    or the number and a short name in two chunks (an OCR'd ) fitted to its ink leaves
    the blank a full-width ） fills in a text layer)."""
    parts = [clean("".join(c.text for c in p)) for p in chunks(line.chars, gap)]
    if len(parts) == 1:
        return bool(GROUP_ROW.match(parts[0]))
    if len(parts) != 2:
        return False
    m = GROUP_ROW.match(parts[0] + parts[1])
    return (
        m is not None
        and m.start("name") == len(parts[0])
        and len(parts[1]) <= GROUP_NAME_MAX
        and bool(_HAN_ONLY.fullmatch(parts[1]))
    )


# A table's first rows whose 序号 the scan lost (a light 一) are found only this few.
MAX_LOST_FIRST_ROWS = 2


def lost_first_rows(
    lines: Sequence[TextLine],
    block: Sequence[int],
    cols: Sequence[tuple[float, float]],
    key: int | None,
    head_end: int,
    first_data: int,
) -> int:
    """Rows between the header and the first numbered line of a table that numbers from 1:
    the first 序号 read is N > 1 and the lines above it, below the header, hold a row's
    name and a value — the first N - 1 rows' 序号 were not read (a light 一 the scan
    lost). 0 when nothing is missing."""
    if key is None or not 0 < head_end < len(block) or first_data >= head_end:
        return 0
    first = parse_serial(texts_by_column(lines[block[head_end]].chars, cols)[key])
    if first is None or not 1 < first <= MAX_LOST_FIRST_ROWS + 1:
        return 0
    between = [t for i in block[first_data:head_end] for t in texts_by_column(lines[i].chars, cols)]
    return first - 1 if is_named(between) and any(is_number_cell(t) for t in between) else 0


def row_anchors(
    lines: Sequence[TextLine],
    block: Sequence[int],
    head_end: int,
    groups: set[int],
    cols: Sequence[tuple[float, float]],
    key: int | None,
    pieces: Sequence[Sequence[Piece]],
    height: float,
    serial: list[int | None],
    lost: int = 0,
    continued: bool = False,
) -> dict[Align, list[Anchor]]:
    """Where rows are, per alignment: the 序号 cells; without a 序号 column, the heights
    at which most value columns hold a value; failing both, the first column's lines.
    Group rows (（一）经济发展) are rows of their own in every case. ``lost``: rows above
    the first 序号 whose own were not read (``lost_first_rows``): the value rows there.
    ``continued``: the block goes on with a table of the page before, so it may hold as
    few rows as a part under a header."""
    data = [i for i in block[head_end:] if i not in groups]
    grouped = [Anchor(lines[i].bbox[1], lines[i].bbox[3], takes=False, line=i) for i in groups]
    found: dict[Align, list[Anchor]] = {}
    y_min = lines[data[0]].bbox[1] - 0.5 if data and head_end > 0 else -float("inf")
    by_value = value_anchors(pieces, y_min, height, short=continued)
    if key is not None:
        serials, serial[0] = serial_anchors(lines, data, cols, key, height, serial[0], groups)
        if serials:
            found = {a: snap(serials, by_value.get(a, []), a, height) for a in ALIGNMENTS}
            for a, anchors in found.items():
                above = [v for v in by_value.get(a, []) if v.bottom < anchors[0].top]
                found[a] = [*above[:lost], *anchors]
    if not found:
        found = by_value
    if not any(found.values()) and _header_only(lines, block):
        # A header repeated at a page's foot with its rows overleaf (续上表): one row,
        # however its wrapped cells stagger.
        whole = Anchor(lines[block[0]].bbox[1], max(lines[i].bbox[3] for i in block))
        found = {a: [whole] for a in ALIGNMENTS}
    if not any(found.values()):
        firsts = [Anchor(p.top, p.bottom) for p in pieces[0] if p.top >= y_min] if pieces else []
        found = {
            a: firsts or [Anchor(lines[block[0]].bbox[1], lines[block[0]].bbox[3])]
            for a in ALIGNMENTS
        }
    return {a: sorted([*anchors, *grouped], key=lambda x: x.top) for a, anchors in found.items()}


def _header_only(lines: Sequence[TextLine], block: Sequence[int]) -> bool:
    """A block of header lines alone: header words, no value (a year's digits cut short,
    202 / 6年, are the header's), no indicator's name."""
    if not any(header_hits(lines[i].text) >= 3 for i in block):
        return False
    return not any(
        (is_number_cell(t) and not _YEAR_DIGITS.match(t)) or is_named([t])
        for i in block
        for t in lines[i].text.split()
    )


_YEAR_DIGITS = re.compile(r"^\d{1,4}年?$")


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


_NUMERAL_OR_PLUS = re.compile(r"[一二三四五六七八九十+＋\n]+")


def plus_as_ten(text: str) -> str:
    """A + among Chinese numerals (or alone on a wrapped serial's line) in a 序号 is the
    recogniser's reading of 十: no report numbers its rows with a plus sign."""
    if ("+" in text or "＋" in text) and _NUMERAL_OR_PLUS.fullmatch(text):
        return text.replace("+", "十").replace("＋", "十")
    return text


def serial_anchors(
    lines: Sequence[TextLine],
    data: Sequence[int],
    cols: Sequence[tuple[float, float]],
    key: int,
    height: float,
    before: int | None = None,
    groups: Collection[int] = (),
) -> tuple[list[Anchor], int | None]:
    """One anchor per 序号: its cell's extent, over the lines a wrapped 序号 takes (十 /
    一, 1 / 0) — lines that touch; a blank wider than interline spacing starts a row.
    ``before`` is the 序号 of the row before the block (the previous page's last): a
    1 / 2 wrapped in a narrow column is 12 right after 11 — but not after a group row
    (``groups``: （五）信息公开), where the numbering may start again at 1. Returns the
    anchors and the last row's 序号."""
    out: list[Anchor] = []
    serial_text = ""  # the current row's 序号 as read so far
    last_serial: int | None = before  # the previous row's
    last_line = -1  # the line the current 序号 began on
    lo, hi = cols[key][0] - height / 2, cols[key][1] + height / 2
    for i in data:
        # (glyphs half a char height or more beyond the 序号 column's edges are another's: a
        # category column too sparse to be found, 环境保 set close left of 16)
        got = [
            c
            for c in ink(lines[i].chars)
            if lo <= (mid := (c.x0 + c.x1) / 2) <= hi and column_of(mid, cols) == key
        ]
        piece = plus_as_ten(fold_chars("".join(c.text for c in got)))
        if not piece:
            continue
        top, bottom = min(c.top for c in got), max(c.bottom for c in got)
        # (a group row since the last 序号: the numbering may start again)
        restart = any(last_line < g < i for g in groups)
        touching = bool(out) and top - out[-1].bottom <= MAX_CELL_LINE_GAP_RATIO * height
        # (a speck after a wrapped serial's last line reads as its point: 2 / 5. is 25)
        core = piece.rstrip(".．、") if serial_text.isdigit() else piece
        if serial_text and touching and core and continues_serial(serial_text, core, last_serial):
            serial_text += core
            out[-1] = Anchor(out[-1].top, bottom)
        elif (
            serial_text
            and out
            and _lost_ten(serial_text, piece, last_serial, top - out[-1].bottom, height)
        ):
            serial_text += "十" + piece
            out[-1] = Anchor(out[-1].top, bottom)
        elif SERIAL.match(piece):
            if serial_text:
                last_serial = None if restart else parse_serial(serial_text)
            serial_text = _cut_overleaf(before, piece) if not out else piece
            last_line = i
            out.append(Anchor(top, bottom))
    if serial_text:
        last_serial = parse_serial(serial_text)
    return out, last_serial


# A wrapped Chinese 序号's middle line (the 十 of 二 / 十 / 五) the scan lost leaves a blank
# of at most this many line heights between the lines kept.
LOST_LINE_GAP_RATIO = 2.0


def _lost_ten(so_far: str, piece: str, previous: int | None, gap: float, height: float) -> bool:
    """Do ``so_far`` and ``piece``, a line's blank apart, make the 序号 after ``previous``
    with its middle 十 lost (二 and 五 after 二十四 are 二十五, not rows 2 and 5)?"""
    if previous is None or not previous < 99 or gap > LOST_LINE_GAP_RATIO * height:
        return False
    return to_chinese_numeral(previous + 1) == f"{so_far}十{piece}"


def _cut_overleaf(before: int | None, piece: str) -> str:
    """The 序号 a continued part's first row counts as: a narrow column wraps 14 as 1 / 4,
    and a page break between the lines leaves 1 as the last part's serial and 4 at the
    top of this one. 4 is then not the row after 1 but 14's tail, and the rows below are
    15, 16 (wrapped 1 / 5, 1 / 6), not 5 and 6 after 4."""
    if before is None or not piece.isdigit() or int(piece) == before + 1:
        return piece
    whole = f"{before}{piece}"
    return whole if int(whole) <= MAX_SERIAL else piece


# A first line that goes on below: 5. / － / 4.66吨/万 / 全部 (of 全部完成) / 必 (of 必选).
_OPEN_END = regex.compile(r"(?:[.．/／、]|^[-－−+])$")


# Han words a narrow cell wraps (全部 / 完成); a dash or NA is no first line of anything.
_VALUE_WORDS = tuple(sorted(w for w in VALUE_WORD_SET if len(NOT_HAN.sub("", w)) >= 2))


# A line within this many line heights of its column's widest is as wide as the column.
WRAP_SLACK_RATIO = 0.6


# A number ending in its point (5. of 5. / 34) wraps there only if it is within this many
# line heights of its column's widest line.
POINT_WRAP_SLACK_RATIO = 1.2


# ... and the line it wraps is at most this share of the column wide (7 of −0.707).
REMAINDER_RATIO = 0.5


# Cells of one row may print at heights this many line heights apart and still agree.
ANCHOR_TOLERANCE_RATIO = 0.35


def _opens(text: str) -> bool:
    """A value's first line that goes on below (not a name's: 立方米/ ends a name line)."""
    if text not in VALUE_WORD_SET and any(w.startswith(text) for w in _VALUE_WORDS):
        return True  # (无 is a value of its own, not the start of 无数据)
    return bool(_OPEN_END.search(text)) and (is_data_piece(text) or text in "-－−+")


def _width(p: Piece) -> float:
    got = ink(p.chars)
    return max(c.x1 for c in got) - min(c.x0 for c in got) if got else 0.0


def value_anchors(
    pieces: Sequence[Sequence[Piece]], y_min: float, height: float, short: bool = False
) -> dict[Align, list[Anchor]]:
    """Rows of a table without a 序号 column: in each column that mostly holds values, the
    value cells (a value's wrapped lines joined: 5. / 34, 4.66吨/万 / 元, a number filling
    its column / its last digits); a row is where at least half of those columns agree on
    a cell's position (its top, or its centre). Two such rows are one when a cell known
    to be one (必 / 选, 全部 / 完成) spans both. ``short``: the part may be a row or two
    without a header of its own (overleaf)."""
    max_gap = MAX_CELL_LINE_GAP_RATIO * height
    per_col: list[list[tuple[float, float]]] = []
    spanning: list[tuple[float, float]] = []  # cells whose lines are known to belong together
    for col in pieces:
        # (the column's width as its cells fill it: a header wider than them is no measure)
        widest = max((_width(p) for p in col if p.top >= y_min), default=0.0)
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
                wrapped = wide and _width(p) <= REMAINDER_RATIO * widest and is_data_piece(text + t)
                if (
                    touching
                    and cur is not None
                    and (opened or wrapped or not (is_data_piece(t) or _opens(t)))
                ):
                    joined = joined or opened
                    cur[1] = max(cur[1], p.bottom)
                    text += t
                    opened = _opens(text)
                    wide = False
                    continue
            if cur is not None and (is_value or is_data_piece(text)):
                cells.append((cur[0], cur[1]))
                if joined:
                    spanning.append((cur[0], cur[1]))
            if p is None:
                break
            cur = [p.top, p.bottom]
            text = t
            is_value = is_data_piece(t)
            # (a number's point wraps only where the number fills its column: a narrow
            # 1. is a speck read as a point after the 1, and opens nothing)
            opened = _opens(t) and not (
                t[-1] in ".．" and _width(p) < widest - POINT_WRAP_SLACK_RATIO * height
            )
            wide = (
                is_value
                and NUMBER_START.match(t) is not None
                and _width(p) >= widest - WRAP_SLACK_RATIO * height
            )
            joined = False
        per_col.append(cells)
    most = max((len(c) for c in per_col), default=0)
    # (a part of one or two rows under its header, or ``short``: overleaf, has that few
    # cells per column; a block without a header, an info form, needs columns of values
    # to have rows by them)
    fewest = min(MIN_VOTES, most) if y_min > -float("inf") or short else MIN_VOTES
    voters = [c for c in per_col if len(c) >= fewest and len(c) >= 0.5 * most]
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


MIN_VOTES = 3  # value cells a column needs to vote on rows (fewer if the part is that short)


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
