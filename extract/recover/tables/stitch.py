"""Indicator tables from cell grids: rows, and parts stitched across pages.

Readers give one grid per table part (a page of a PDF table, a run of tab rows between
blank lines in Markdown). Here a part either starts a table (it has a header row) or
continues the open one: with its header repeated, or without, in which case columns are
aligned to the open table's by the 序号 column — the natural join key (FIELD-NOTES.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex

from extract.raw import Column, ColumnRole, RawRow, RawTable, TableKind
from extract.recover.tables.names import name_score, repair_names
from extract.recover.tables.roles import (
    header_columns,
    header_year,
    merge_subheader,
    one_column_per_year,
    refine_by_content,
    table_kind,
)
from extract.source import Cell, Loc, Table
from schemas.numbers import parse_serial, parse_value, to_chinese_numeral
from schemas.text import GROUP_ROW, clean, key

MAX_NUMBER = 99  # a 序号 above this is not an indicator number
MAX_ROWS = 60  # rows an annex table without 序号 holds at most (HJ 274-2015 has 32)


def _role_index(cols: Sequence[Column], role: ColumnRole) -> int | None:
    return next((i for i, c in enumerate(cols) if c.role == role), None)


def _cell(row: Sequence[Cell], i: int | None) -> Cell | None:
    if i is None or i >= len(row):
        return None
    return row[i]


def _first_number_index(row: Sequence[Cell]) -> int | None:
    for i, c in enumerate(row[:4]):
        n = parse_serial(c.text)
        if n is not None and 1 <= n <= MAX_NUMBER:
            return i
    return None


def _aligned(row: list[Cell], cols: Sequence[Column], empty: Sequence[int] = ()) -> list[Cell]:
    """Shift a header-less continuation row so its 序号 sits under the table's 序号; a
    row with fewer cells than the table gets blanks where the table's first part had an
    empty column (a borderless part on the next page need not show that column)."""
    if len(row) < len(cols) and empty:
        blank = Cell("", row[0].loc if row else Loc())
        row = list(row)
        for k in sorted(empty)[: len(cols) - len(row)]:
            row.insert(k, blank)
    num_i = _role_index(cols, "number")
    found = _first_number_index(row)
    if num_i is None or found is None or found == num_i:
        return row
    if found > num_i:
        return row[found - num_i :]
    return [Cell("", row[0].loc if row else Loc())] * (num_i - found) + row


# A column a continuation shows beyond the table's may be merged away when at most this
# share of the part's rows have text in it.
SPARSE_SHARE = 0.25


def _narrowed(rows: Sequence[Sequence[Cell]], width: int) -> list[list[Cell]]:
    """A header-less part wider than its table (the reader found a column in a wrapped
    requirement's lines set off its left edge): its sparsest extra columns join the cell
    to their right. Left as it is when the extra columns hold text in many rows."""
    wide = max((len(r) for r in rows), default=0)
    extra = wide - width
    if extra <= 0 or wide < 3:
        return [list(r) for r in rows]
    counts = [sum(1 for r in rows if k < len(r) and clean(r[k].text)) for k in range(wide)]
    drop = sorted(range(1, wide - 1), key=lambda k: counts[k])[:extra]
    if any(counts[k] > SPARSE_SHARE * len(rows) for k in drop):
        return [list(r) for r in rows]
    out: list[list[Cell]] = []
    for r in rows:
        cells = list(r)
        for k in sorted(drop, reverse=True):
            if k + 1 < len(cells):
                if clean(cells[k].text):
                    right = cells[k + 1]
                    cells[k + 1] = _join(cells[k], right) if clean(right.text) else cells[k]
                del cells[k]
        out.append(cells)
    return out


def _is_note(row: Sequence[Cell]) -> bool:
    first = next((c.text.strip() for c in row if c.text.strip()), "")
    return bool(regex.match(r"^(注|备注|说明)\s*[:：1-9a-z]", first))


def _group_category(row: Sequence[Cell]) -> Cell | None:
    """The category a group row names, when ``row`` is one (one text, no values)."""
    filled = [c for c in row if clean(c.text)]
    if not filled or len({clean(c.text) for c in filled}) != 1:
        return None  # a spanning cell may be repeated into every column it covers
    cell = filled[0]
    m = GROUP_ROW.match(clean(cell.text))
    if m is None:
        return None
    return Cell(m["name"], cell.loc, cell.confidence)


@dataclass(slots=True)
class _Open:
    table: RawTable
    category: Cell | None = None
    empty: tuple[int, ...] = ()  # columns without data in the part that had the header
    fresh: bool = True  # no row of the current part read yet


# Cells a row cut by a page break may continue in overleaf, under no name of its own.
_TAIL_ROLES = frozenset({"value", "requirement", "unit"})


def _add_row(state: _Open, row: list[Cell]) -> None:
    table = state.table
    cols = table.columns
    if _is_note(row) or not any(c.text.strip() for c in row):
        return
    group = _group_category(row)
    if group is not None:
        state.category = group
        return
    num_i = _role_index(cols, "number")
    number = parse_serial(row[num_i].text) if num_i is not None and num_i < len(row) else None
    cat_i = _role_index(cols, "category")
    cat = _cell(row, cat_i)
    if cat is not None and cat.text.strip():
        state.category = cat
    named = {
        c.role: row[i]
        for i, c in enumerate(cols)
        if i < len(row) and c.role not in ("value", "target", "notes", "other", "category")
    }
    values = [(c, row[i]) for i, c in enumerate(cols) if c.role == "value" and i < len(row)]
    has_value = any(clean(cell.text) for _, cell in values)
    claim = named.get("claim")
    own = _own_row(named, has_value or (claim is not None and bool(clean(claim.text))))
    if num_i is not None and number is None and own and not clean(row[num_i].text):
        # A scan may set the 序号 into the name cell (二生态工业…: the numeral's glyph
        # placed on the name's ink); it is the row's own when it is the next 序号.
        led = _leading_next_serial(named["name"], table.rows[-1].number if table.rows else 0)
        if led is not None:
            number, named["name"] = led
    if (
        num_i is not None
        and number is None
        and not (own and (clean(row[num_i].text) or not table.rows))
    ):
        # A row without its own 序号: text that wrapped out of the row above — unless
        # its own name and value say its 序号 was lost (garbled, or a light 一 opening
        # the table, which has no row above).
        if table.rows:
            _append_wrapped(table.rows[-1], row, cols)
        return
    if number is not None and table.rows and not _has_name_or_value(row, cols):
        # A 序号 with neither name nor value: the tail of a row a page break cut, 序号
        # included (十 / 五 is 十五).
        prev = table.rows[-1]
        _append_wrapped(prev, row, cols)
        joined = prev.cells.get("number")
        whole = parse_serial(clean(joined.text).replace(" ", "")) if joined else None
        if whole is not None:
            prev.number = whole
        return
    if num_i is None and "name" in named:
        # No 序号 column: a 序号 may still lead the name (one column 编号 指标名称), and a
        # group row (（一）经济发展) may stand in the same cell above the first name.
        group_cat, number, name = _split_name_cell(named["name"])
        if group_cat is not None:
            state.category = group_cat
        named["name"] = name
    if num_i is None and not (named.get("name") and named["name"].text.strip()):
        # No 序号 and no name: the tail of the row above (its values or its requirement's
        # last lines cut by a page break, ９ of ０．８１ / ９), or nothing.
        if table.rows and any(
            c.role in _TAIL_ROLES and i < len(row) and clean(row[i].text)
            for i, c in enumerate(cols)
        ):
            _append_wrapped(table.rows[-1], row, cols)
        return
    # (only a part's first row can be the tail of a row the part before it ended with)
    fresh, state.fresh = state.fresh, False
    whole = _cut_serial(table.rows, row[num_i].text) if num_i is not None and fresh else None
    if whole is not None:
        # A row a page break cut through its wrapped 序号 (1 / 8 of 18 after 17, 二 / 十五
        # of 二十五 after 二十四): its tail overleaf joins it, values paired by column order.
        prev = table.rows[-1]
        _append_wrapped(prev, row, cols)
        prev.number = whole
        return
    loc = next((c.loc for c in row if c.text.strip()), Loc())
    table.rows.append(RawRow(number, named, values, state.category, loc))


def _cut_serial(rows: Sequence[RawRow], text: str) -> int | None:
    """The 序号 the last row's and ``text`` make together, when a page break cut it (the
    last row reads 1 after 17, and 1 then 8 is the 18 that follows; 二 then 十五 is 二十五
    after 二十四); None when they make no such number."""
    if len(rows) < 2:
        return None
    last, before = rows[-1].number, rows[-2].number
    cut = rows[-1].cells.get("number")
    if last is None or before is None or last >= before or cut is None:
        return None
    whole = parse_serial(clean(cut.text + text).replace(" ", "").replace("\n", ""))
    return whole if whole == before + 1 else None


_LEADING_SERIAL = regex.compile(
    r"^\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})[\s、.．]+(?=\p{Han})"
)


def _split_name_cell(cell: Cell) -> tuple[Cell | None, int | None, Cell]:
    """(group category, 序号, name) from a name cell that may carry the group row above
    its name and the 序号 before it."""
    lines = [ln for ln in cell.text.split("\n") if ln.strip()]
    group = None
    while len(lines) > 1 and GROUP_ROW.match(clean(lines[0])):
        m = GROUP_ROW.match(clean(lines.pop(0)))
        assert m is not None
        group = Cell(m["name"], cell.loc, cell.confidence)
    text = "\n".join(lines)
    m = _LEADING_SERIAL.match(text)
    number = parse_serial(m["n"]) if m else None
    name = text[m.end() :] if m and number is not None else text
    return group, number, Cell(name, cell.loc, cell.confidence)


def _leading_next_serial(name: Cell, previous: int | None) -> tuple[int, Cell] | None:
    """(序号, the name after it) when ``name`` opens with the 序号 after ``previous``
    (一 … 九十九 or digits), set solid with the name; None otherwise."""
    if previous is None:
        return None
    text = clean(name.text)
    for serial in (to_chinese_numeral(previous + 1), str(previous + 1)):
        rest = text[len(serial) :].lstrip(" 、.．")
        if text.startswith(serial) and regex.match(r"\p{Han}", rest):
            return previous + 1, Cell(rest, name.loc, name.confidence)
    return None


def _own_row(named: dict[ColumnRole, Cell], has_value: bool) -> bool:
    """A row with a name and a value (or a claim) of its own. Without a 序号 it is a row
    whose number was lost — when its 序号 cell holds something no 序号 reads as (a scan's
    stacked 二十一 read 吉), or it opens the table — not text wrapped out of the row above
    (which has an empty 序号 cell, or no name)."""
    name = named.get("name")
    return name is not None and bool(clean(name.text)) and has_value


def _has_name_or_value(row: Sequence[Cell], cols: Sequence[Column]) -> bool:
    return any(
        c.role in ("name", "value", "target") and i < len(row) and clean(row[i].text)
        for i, c in enumerate(cols)
    )


def _append_wrapped(prev: RawRow, row: Sequence[Cell], cols: Sequence[Column]) -> None:
    """Text that wrapped out of ``prev`` (or was cut by a page break) joined to its cells.
    Value columns pair by their order: a header repeated between the two parts gave the
    table new column objects, the same columns."""
    value_cols = [i for i, c in enumerate(cols) if c.role == "value"]
    for i, col in enumerate(cols):
        if i >= len(row) or not row[i].text.strip():
            continue
        extra = row[i]
        if col.role == "value":
            k = value_cols.index(i)
            if k < len(prev.values):
                c, cell = prev.values[k]
                prev.values[k] = (c, _join(cell, extra))
        elif col.role in prev.cells:
            prev.cells[col.role] = _join(prev.cells[col.role], extra)


def _join(a: Cell, b: Cell) -> Cell:
    bbox = a.loc.bbox
    if a.loc.bbox and b.loc.bbox and a.loc.page == b.loc.page:
        x0, t0, x1, b0 = a.loc.bbox
        bx0, bt, bx1, bb = b.loc.bbox
        bbox = (min(x0, bx0), min(t0, bt), max(x1, bx1), max(b0, bb))
    return Cell(f"{a.text}\n{b.text}", Loc(a.loc.page, bbox, a.loc.line), a.confidence)


# Han characters a name cell holds at least (a continuation without 序号 shows its rows
# by the names in the open table's name column).
MIN_NAME_CHARS = 5


def _looks_like_rows(rows: Sequence[Sequence[Cell]], open_: _Open) -> bool:
    """A header-less part continues the open table: its rows carry 序号, or, in a table
    without a 序号 column, they are as wide as the table with names in its name column."""
    if any(_first_number_index(r) is not None for r in rows):
        return True
    cols = open_.table.columns
    name_i = _role_index(cols, "name")
    if _role_index(cols, "number") is not None or name_i is None:
        return False
    named = [
        r
        for r in rows
        if len(r) == len(cols) and len(regex.findall(r"\p{Han}", r[name_i].text)) >= MIN_NAME_CHARS
    ]
    return len(named) >= max(1, len(rows) // 2)


def _continues(open_: _Open | None, kind: TableKind | None, cols: Sequence[Column]) -> bool:
    """A part with a header continues the open table (a header repeated on the next page):
    its 序号 go on, or, in a table without 序号, its columns have the same roles."""
    if open_ is None or kind != open_.table.kind:
        return False
    numbers = [r.number for r in open_.table.rows if r.number is not None]
    if numbers:
        return max(numbers) < MAX_NUMBER
    # (an empty column the reader split off one part is no difference)
    same = _known_roles(open_.table.columns) == _known_roles(cols)
    return (same or _cut_short(open_.table.columns, cols)) and 0 < len(open_.table.rows) < MAX_ROWS


def _cut_short(old: Sequence[Column], new: Sequence[Column]) -> bool:
    """A repeated header that lost some cells' words (a two-row header cut by the page
    break: 单位 | 要求 left on the page before, the lower row's 目标值 | 2021年 here): as
    many columns as the first header, each role it names the first header's there, the
    name column among them."""
    if len(old) != len(new):
        return False
    named = [(a, b) for a, b in zip(old, new, strict=True) if b.role not in ("other", "category")]
    return (
        len(named) >= MIN_CUT_SHORT_ROLES
        and any(b.role == "name" for _, b in named)
        and all(a.role == b.role for a, b in named)
    )


# Roles a repeated header cut short still names, the name among them.
MIN_CUT_SHORT_ROLES = 3


def _known_roles(cols: Sequence[Column]) -> list[str]:
    # (nor is a category column the reader cut in two, 环 | 境 set letter-spaced, and
    # read as two columns of no role)
    return [c.role for c in cols if c.role not in ("other", "category")]


def indicator_tables(tables: Sequence[Table]) -> list[RawTable]:
    """All indicator (value) and pass/fail (claim) tables, parts stitched, in order."""
    out: list[RawTable] = []
    open_: _Open | None = None
    cut_header: Sequence[Cell] | None = None  # a header row that ended the last part
    for part in tables:
        rows = part.rows
        if cut_header is not None and rows and _header_tail(cut_header, rows[0]):
            # A header row a page break cut (序 | … at one page's foot, 号 | … on top of
            # the next): its two halves are one header for this part.
            rows = [_joined_header(cut_header, rows[0]), *rows[1:]]
        cut_header = rows[-1] if rows and header_columns(rows[-1]) is not None else None
        part_started = False
        i = 0
        while i < len(rows):
            row = rows[i]
            cols = header_columns(row)
            if cols is not None:
                if i + 1 < len(rows):
                    merged = merge_subheader(cols, rows[i + 1])
                    if merged is not None:
                        cols, i = merged, i + 1
                cols = one_column_per_year(refine_by_content(cols, rows[i + 1 :]))
                if open_ is not None:
                    cols = _uncut(open_.table.columns, cols)
                empty = _empty_columns(rows[i + 1 :], len(cols))
                if (
                    open_ is not None
                    and len(rows) - (i + 1) < MIN_CONTENT_ROWS
                    and table_kind(cols) == open_.table.kind
                ):
                    # A header with (almost) no rows under it: content cannot refine its
                    # roles, the open table's stand (so it can continue that table).
                    cols = _keep_years(open_.table.columns, cols, len(rows) - (i + 1))
                kind = table_kind(cols)
                if i + 1 == len(rows) and open_ is not None and kind in (None, open_.table.kind):
                    # A header alone at a part's end, of the open table's kind or of none
                    # yet (完成 | 情况 over columns whose years are overleaf): the open table
                    # stays open, and the part overleaf (its rows, or the header's lower
                    # half with them) decides.
                    pass
                elif kind is None:
                    open_ = None
                elif _continues(open_, kind, cols) and open_ is not None and not part_started:
                    open_.table.parts += 1
                    open_.fresh = True
                    # A repeated header may differ slightly (wrapped otherwise, its year
                    # set apart): what the first header said of a column's year stays.
                    open_.table.columns = _keep_years(
                        open_.table.columns, cols, len(rows) - (i + 1)
                    )
                    open_.empty = empty
                else:
                    table = RawTable(kind, cols, loc=row[0].loc if row else part.loc)
                    open_ = _Open(table, empty=empty)
                    out.append(open_.table)
                part_started = True
                i += 1
                continue
            if open_ is not None and not part_started:
                # A part with no header of its own: a continuation or something else.
                if not _looks_like_rows(rows, open_):
                    open_ = None
                    break
                open_.table.parts += 1
                open_.fresh = True
                part_started = True
                rows = [*rows[:i], *_narrowed(rows[i:], len(open_.table.columns))]
                row = rows[i]
                if len(open_.table.rows) < MIN_CONTENT_ROWS:
                    # The header stood alone (at a page's foot): the first rows under it
                    # are here, and their content may correct what its words said
                    # (考核指标 over 是/否 is the assessed column, not a second name).
                    width = len(open_.table.columns)
                    fitting = [r for r in rows[i:] if len(r) == width]
                    open_.table.columns = refine_by_content(open_.table.columns, fitting)
            if open_ is not None:
                _add_row(open_, _aligned(list(row), open_.table.columns, open_.empty))
            i += 1
    for table in out:
        _drop_local_numbers(table)
        repair_names(table.rows)
    return out


def _header_tail(head: Sequence[Cell], row: Sequence[Cell]) -> bool:
    """Is ``row`` the rest of the header ``head`` (no header of its own, no data)? A row
    of header words that names no name column (号 | 为考核指标 | 基准年（2018年）) is no
    header of its own: the lower half of one."""
    cols = header_columns(row)
    if cols is not None and any(c.role == "name" for c in cols):
        return False
    if len(head) != len(row) and not all(c.loc.bbox for c in (*head, *row)):
        return False
    texts = [clean(c.text) for c in row]
    return any(texts) and not any(
        (parse_value(t).kind == "number" and header_year(t) is None)
        or name_score(t) >= DATA_NAME_SCORE  # (an indicator's name: the first row overleaf)
        for t in texts
    )


DATA_NAME_SCORE = 85  # a cell this like an indicator's name is a data row's


def _joined_header(head: Sequence[Cell], row: Sequence[Cell]) -> list[Cell]:
    """The two halves of a cut header row as one, in the lower half's columns: each upper
    cell joins the first lower cell under it (a spanning 指标值（%） its first column)."""
    if len(head) == len(row):
        return [_join(a, b) for a, b in zip(head, row, strict=True)]
    out = list(row)
    for a in head:
        assert a.loc.bbox is not None
        ax0, _, ax1, _ = a.loc.bbox
        under = [
            k
            for k, b in enumerate(row)
            if b.loc.bbox and ax0 - 1 <= (b.loc.bbox[0] + b.loc.bbox[2]) / 2 <= ax1 + 1
        ]
        if under and clean(a.text):
            out[under[0]] = _join(a, out[under[0]])
    return out


def _uncut(old: Sequence[Column], new: Sequence[Column]) -> list[Column]:
    """A repeated header cut short at the page's top (2025年目 of 2025年目标值): a column
    whose header is the start of the first header's is that header's column."""
    if len(old) != len(new):
        return list(new)
    return [
        replace(a, header=b.header)
        if b.role != a.role and key(b.header) and key(a.header).startswith(key(b.header))
        else b
        for a, b in zip(old, new, strict=True)
    ]


def _keep_years(old: Sequence[Column], new: Sequence[Column], data_rows: int) -> list[Column]:
    """A repeated header's columns, keeping what the first header's part knew: a column's
    year, the role of a column the repeated header names nothing for, and — when the new
    part has too few rows for its content to decide (a header left alone at a page's
    foot) — the roles content gave (考核指标 over 是/否 is assessed)."""
    out = list(new)
    if len(old) != len(new):
        return out
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        # (a column whose header words the page break took keeps the first header's role)
        if b.role != a.role and (data_rows < MIN_CONTENT_ROWS or b.role == "other"):
            out[i] = replace(b, role=a.role, year=a.year if b.year is None else b.year)
        elif b.role == a.role and b.year is None and a.year is not None:
            out[i] = replace(b, year=a.year)
    return out


MIN_CONTENT_ROWS = 3  # data rows a part needs before its content may overrule its header


def _empty_columns(rows: Sequence[Sequence[Cell]], width: int) -> tuple[int, ...]:
    if not rows:
        return ()
    return tuple(k for k in range(width) if all(k >= len(r) or not clean(r[k].text) for r in rows))


def _drop_local_numbers(table: RawTable) -> None:
    """序号 that restart in every group (（一）经济发展 1 2 3 4, （二）产业共生 1 2 3) are
    not the standard's numbers: the rows are then known by their names alone. Unique
    numbers out of order (rows reordered) stay: they are still the standard's."""
    numbers = [r.number for r in table.rows if r.number is not None]
    if len(numbers) != len(set(numbers)):
        for r in table.rows:
            r.number = None
