"""Columns of a borderless block: x-ranges projected from its fullest data lines (header
chunks, lone wrapped lines and group rows join only where they fall within one), the
序号 column, and what each line holds in each column."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence

from extract.read.layout.blocks import is_info_form
from extract.read.layout.chunks import (
    HEADER_LINES,
    KEY_HEADERS,
    MAX_SERIAL,
    NOT_HAN,
    SERIAL,
    header_hits,
    ink,
)
from extract.read.layout.geom import Char, merge_intervals
from extract.read.layout.lines import TextLine
from extract.read.layout.rows import (
    Piece,
)
from schemas.text import fold_chars


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
                *(texts_by_column(lines[i].chars, cols) for i in block[:HEADER_LINES]), strict=True
            )
        ]
        if block
        else []
    )
    for k, text in enumerate(head):
        if any(w in text for w in KEY_HEADERS):
            return k if _holds_serials(lines, block, cols, k) else None
    found: list[list[int]] = [[] for _ in cols]
    han = [0] * len(cols)  # Han characters per column: the names' column has the most
    for i in block:
        for k, txt in enumerate(texts_by_column(lines[i].chars, cols)):
            han[k] += len(NOT_HAN.sub("", txt))
            # (Chinese pieces wrap: header only; a 序号 never passes the rows a table has)
            if txt.isdigit() and SERIAL.match(txt) and int(txt) <= MAX_SERIAL:
                found[k].append(int(txt))
    names = max(range(len(cols)), key=lambda k: han[k]) if cols else 0
    for k, serials in enumerate(found):
        # (a 序号 column stands left of the names; right of them, whole numbers are values)
        if k < names and len(serials) >= 3 and _counts_rows(serials):
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
        if SERIAL.match(texts_by_column(lines[i].chars, cols)[k]):
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


def texts_by_column(chars: Sequence[Char], cols: Sequence[tuple[float, float]]) -> list[str]:
    out = [""] * len(cols)
    for c in ink(chars):
        out[column_of((c.x0 + c.x1) / 2, cols)] += c.text
    return [fold_chars(t) for t in out]  # a Kangxi ⼀ / ⼆ numbers rows as 一 / 二 does


def table_columns(
    lines: Sequence[TextLine],
    block: Sequence[int],
    runs: dict[int, list[tuple[float, float]]],
    gap: float,
    too_wide: float,
    carry: Sequence[tuple[float, float]] | None,
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
    # (under a header, even one or two rows of cells define the columns better than
    # the header's cells, which may be set solid across two of them)
    if len(full) < (1 if start > 0 else 3) or is_info_form(lines, block):
        # (the 信息公开表 is a form, no grid: its values span what its option lists divide)
        return _with_carried(column_bounds([sp for i in block for sp in extents[i]], gap), carry)
    core = split_bridges([sp for i in full for sp in extents[i]], len(full))
    chosen = set(full)
    own = join_crossed(
        split_touching(
            column_bounds(core, gap),
            [extents[i] for i in full],
            [extents[i] for i in block[start:] if i not in chosen],
        ),
        [extents[i] for i in full],
        [extents[i] for i in block if i not in chosen],
    )
    if len(full) >= MIN_LINES_PER_COLUMN + 1:
        # A column one defining line alone holds, under no header word, is that line's
        # word gap (one row's requirement 以上 京津冀 set apart), not a column.
        head_spans = [sp for i in block[:start] for sp in extents[i]]
        defining = [extents[i] for i in full]
        own = [
            c
            for c in own
            if column_support(c, defining) >= MIN_LINES_PER_COLUMN or _overlaps(c, head_spans)
        ] or own
    cols = _with_carried(own, carry)
    fits = []
    heads: list[tuple[float, float]] = []  # header cells: a column of their own may be empty
    for n, i in enumerate(block):
        if i in chosen:
            continue
        up = block[n - 1] if n else None
        for sp in extents[i]:
            # The next line of a left-aligned cell (same left edge as a chunk just above)
            # belongs to that cell, wherever it ends: no column of its own.
            if up is not None and any(abs(a - sp[0]) <= SAME_EDGE for a, _ in runs[up]):
                continue
            if n < start and _spans_two(sp, [extents[j] for j in block[n + 1 : start]]):
                continue  # (a group header, 指标值 over 2016年 | 评价年: no column of its own)
            if _fits_one(sp, cols, gap):
                fits.append(sp)
                if n < start:
                    heads.append(sp)
    if not fits:
        return cols
    # Columns found in free space (a name's wrapped lines, the header 指标 centred over
    # it) are one where lines too wide to define columns cross the hole between them:
    # names set apart from their row's values, long in a narrow table.
    widened = widen_with(own, fits, gap, heads)
    known = [*own, *heads, *(carry or [])]
    return _with_carried(_join_free(widened, own, [runs[i] for i in block], known), carry)


# A column found from the data lines holds a cell in at least this many of them.
MIN_LINES_PER_COLUMN = 2


def column_support(
    col: tuple[float, float], line_spans: Sequence[Sequence[tuple[float, float]]]
) -> int:
    """How many of the lines hold a chunk inside ``col``."""
    return sum(any(col[0] <= a and b <= col[1] for a, b in spans) for spans in line_spans)


def _join_free(
    cols: Sequence[tuple[float, float]],
    own: Sequence[tuple[float, float]],
    lines: Sequence[Sequence[tuple[float, float]]],
    known: Sequence[tuple[float, float]] = (),
) -> list[tuple[float, float]]:
    """Two neighbouring columns that only lines outside the defining ones found (neither
    overlaps ``own``) joined where more lines cross the hole between them than show a
    cell on each side. So is a column found in free space under no header cell and no
    carried column (``known``) with its neighbour: the short last lines of wrapped
    requirements (≤0.6 under 当园区…增长率>0，), left-aligned in a column whose one-line
    cells are centred, are that column's, not one of their own."""

    def free(c: tuple[float, float]) -> bool:
        return not _overlaps(c, own)

    def stray(c: tuple[float, float]) -> bool:
        return free(c) and not _overlaps(c, known)

    def may_join(x: tuple[float, float], y: tuple[float, float]) -> bool:
        return (free(x) and free(y)) or stray(x) or stray(y)

    return join_crossed(cols, lines, lines, may_join)


def _spans_two(sp: tuple[float, float], below: Sequence[Sequence[tuple[float, float]]]) -> bool:
    """Does a header chunk reach over two chunks of one header line below it?"""
    return any(sum(1 for c in line if _overlaps(sp, [c])) >= 2 for line in below)


def _overlaps(c: tuple[float, float], spans: Sequence[tuple[float, float]]) -> bool:
    return any(min(b, c[1]) - max(a, c[0]) > 0 for a, b in spans)


# Lines that must show two cells on either side of a narrow hole for it to part columns.
MIN_HOLE_SUPPORT = 2


MIN_HOLE_SHARE = 0.3  # ... and this share of the defining lines (three 弹性系数 rows' wrapped


# requirement lines agree on a break inside one cell)


def split_touching(
    cols: Sequence[tuple[float, float]],
    line_spans: Sequence[Sequence[tuple[float, float]]],
    other_spans: Sequence[Sequence[tuple[float, float]]] = (),
) -> list[tuple[float, float]]:
    """Columns cut at a hole narrower than the merge gap that no chunk crosses, where
    lines hold a cell on each side of it: a left-aligned requirement starting 2 pt after
    the longest name ends is the next column, not the name's. Where few of the defining
    lines hold both cells, the other data lines (``other_spans``) still tell two columns
    when several hold a cell on one side only and several on the other only (values and
    the remarks beside them, a scan's box of one remark's glyph reaching 4 pt from a
    value): one cell's wrapped lines all start at its left."""
    out: list[tuple[float, float]] = []
    for lo, hi in cols:
        inside = [[sp for sp in spans if lo <= sp[0] and sp[1] <= hi] for spans in line_spans]
        rest = [[sp for sp in spans if lo <= sp[0] and sp[1] <= hi] for spans in other_spans]
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
            if support >= max(MIN_HOLE_SUPPORT, MIN_HOLE_SHARE * len(line_spans)) or (
                support >= MIN_HOLE_SUPPORT
                and _one_side(inside + rest, x, left=True) >= MIN_SIDE_LINES
                and _one_side(inside + rest, x, left=False) >= MIN_SIDE_LINES
            ):
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


# Lines holding a cell on one side of a hole only, on each side, that make it a column break.
MIN_SIDE_LINES = 3


def _one_side(lines: Sequence[Sequence[tuple[float, float]]], x: float, left: bool) -> int:
    """Lines with chunks only left (or only right) of ``x``."""
    return sum(
        1 for spans in lines if spans and all((s1 <= x) if left else (s0 >= x) for s0, s1 in spans)
    )


def join_crossed(
    cols: Sequence[tuple[float, float]],
    defining: Sequence[Sequence[tuple[float, float]]],
    others: Sequence[Sequence[tuple[float, float]]],
    may_join: Callable[[tuple[float, float], tuple[float, float]], bool] = lambda a, b: True,
) -> list[tuple[float, float]]:
    """Two neighbouring columns joined where more of the other data lines cross the
    hole between them, with a chunk inside the pair, than defining lines show a cell on
    each side: a letter-spaced category (经 济 / 发 展) whose typed space is missing on
    one line parts nothing the other lines keep whole. A crossing chunk touches neither
    outer neighbour (a group row across 序号 | 名称 is outweighed by every numbered row)."""
    out = [(a, b) for a, b in cols]
    k = 0
    while k + 1 < len(out):
        (a, b), (c, d) = out[k], out[k + 1]
        if not may_join(out[k], out[k + 1]):
            k += 1
            continue
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
    cols: Sequence[tuple[float, float]],
    extents: Sequence[tuple[float, float]],
    gap: float,
    heads: Sequence[tuple[float, float]] = (),
) -> list[tuple[float, float]]:
    """Columns widened by the extents that fit one of them (within ``gap``), and extents
    in free space as columns of their own — without ever merging two of ``cols``: a
    header cell widening each of two neighbours must not join them. ``heads``: the
    header's extents, a column on their own (分类 over a part whose rows leave it empty)."""
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
        headed = any(f[0] <= x0 and x1 <= f[1] for x0, x1 in heads)
        if lines_there < MIN_HOLE_SUPPORT and not headed:
            continue
        if not _overlaps(f, merged):
            merged.append(f)
    return sorted(merged)


def _with_carried(
    cols: list[tuple[float, float]], carry: Sequence[tuple[float, float]] | None
) -> list[tuple[float, float]]:
    """This part's columns with the previous page's: a carried column empty here (a
    merged 分类) is kept, a column here that spans two carried ones is cut between
    them, and neighbouring columns here inside one carried column are one (a category
    set in spaced glyphs, 公  开, on a part of two rows) — the part with the header knew
    the columns better than a part without."""
    if carry is None:
        return cols
    carried = sorted(carry)
    out: list[tuple[float, float]] = []
    for a, b in _joined_within(cols, carried):
        inside = [(x, y) for x, y in carried if min(b, y) - max(a, x) > 1.0]
        if len(inside) < 2:
            out.append((a, b))
            continue
        cuts = [(y0 + x1) / 2 for (_, y0), (x1, _) in itertools.pairwise(inside)]
        edges = [a, *cuts, b]
        out += [(edges[k], edges[k + 1]) for k in range(len(edges) - 1)]
    out += [c for c in carried if not any(min(c[1], y) - max(c[0], x) > 1.0 for x, y in out)]
    return sorted(out)


def _joined_within(
    cols: Sequence[tuple[float, float]], carried: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Neighbouring columns that both lie inside one carried column (and touch no other)
    joined into one."""

    def home(c: tuple[float, float]) -> tuple[float, float] | None:
        hit = [(x, y) for x, y in carried if min(c[1], y) - max(c[0], x) > 1.0]
        if len(hit) != 1:
            return None
        x, y = hit[0]
        return hit[0] if x - 1.0 <= c[0] and c[1] <= y + 1.0 else None

    out: list[tuple[float, float]] = []
    for c in sorted(cols):
        if out and home(out[-1]) is not None and home(out[-1]) == home(c):
            out[-1] = (out[-1][0], max(out[-1][1], c[1]))
        else:
            out.append(c)
    return out


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


def line_pieces(
    lines: Sequence[TextLine],
    block: Sequence[int],
    parts: Mapping[int, Sequence[Sequence[Char]]],
    cols: Sequence[tuple[float, float]],
    too_wide: float,
) -> list[list[Piece]]:
    """Per column, what each line (cut into ``parts``, its chunks) holds there, top to
    bottom. A chunk of text goes whole
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
        for part in parts[i]:
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


def widened(
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


def is_numbered(line: TextLine, cols: Sequence[tuple[float, float]], key: int) -> bool:
    return bool(SERIAL.match(texts_by_column(line.chars, cols)[key]))
