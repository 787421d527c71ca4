"""Rows of borderless tables set solid: cells centred or top-aligned, no 序号, group rows.

Lines are 12 pt apart with 10 pt glyphs (touching rows leave a 2 pt blank, the same as
between the lines of one cell), so whitespace cannot tell rows apart; only alignment can.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from extract.read.layout.borderless import find_stream_tables
from extract.read.layout.chunks import header_hits
from extract.read.layout.geom import Char
from extract.read.layout.lines import make_lines
from extract.read.layout.rows import Anchor, Piece, place_column
from extract.read.layout.settings import PdfSettings

S = PdfSettings()
PITCH = 12.0


def word(text: str, x0: float, line: float, w: float = 10.0) -> list[Char]:
    top = line * PITCH
    return [Char(t, x0 + i * w, top, x0 + (i + 1) * w, top + 10.0) for i, t in enumerate(text)]


def texts(table_cells: list[list[list[Char]]]) -> list[list[str]]:
    return [["".join(c.text for c in cell) for cell in row] for row in table_cells]


def centred_table() -> list[Char]:
    """指标 | 要求 | 2018年 | 2019年 with row 1's requirement on five lines centred on its
    one-line values (line 3), and row 2 (two-line name, one-line values) right below."""
    return [
        *word("指标名称", 0, 0),
        *word("指标要求", 120, 0),
        *word("2018年", 260, 0, 6),
        *word("2019年", 320, 0, 6),
        *word("要求一行", 120, 1.5),
        *word("要求二行", 120, 2.5),
        *word("新鲜水耗弹性系数", 0, 3.5),
        *word("要求三行", 120, 3.5),
        *word("0.63", 260, 3.5, 6),
        *word("0.83", 320, 3.5, 6),
        *word("要求四行", 120, 4.5),
        *word("要求五行", 120, 5.5),
        *word("单位工业增加值", 0, 6.5),
        *word("≤8", 120, 7.0, 6),
        *word("5.34", 260, 7.0, 6),
        *word("12.71", 320, 7.0, 6),
        *word("新鲜水耗", 0, 7.5),
        *word("工业用水重复利用率", 0, 8.5),
        *word("≥75", 120, 8.5, 6),
        *word("67.22", 260, 8.5, 6),
        *word("89.57", 320, 8.5, 6),
    ]


def test_centred_cells_keep_their_lines_without_a_number_column() -> None:
    lines = make_lines(centred_table(), 0.5, 0.5, 1.0)
    (table,) = find_stream_tables(lines, S)
    got = texts(table.cells)
    assert got[0] == ["指标名称", "指标要求", "2018年", "2019年"]
    assert got[1] == [
        "新鲜水耗弹性系数",
        "要求一行要求二行要求三行要求四行要求五行",
        "0.63",
        "0.83",
    ]
    assert got[2] == ["单位工业增加值新鲜水耗", "≤8", "5.34", "12.71"]
    assert got[3] == ["工业用水重复利用率", "≥75", "67.22", "89.57"]
    assert len(got) == 4


def test_top_aligned_cells_hang_below_their_number() -> None:
    chars = [
        *word("序号", 0, 0),
        *word("指标", 40, 0),
        *word("2018年", 260, 0, 6),
        *word("1", 0, 1, 6),
        *word("人均工业", 40, 1),
        *word("39.01", 260, 1, 6),
        *word("增加值", 40, 2),
        *word("2", 0, 3, 6),
        *word("绿化覆盖率", 40, 3),
        *word("26.28", 260, 3, 6),
    ]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[1:] == [["1", "人均工业增加值", "39.01"], ["2", "绿化覆盖率", "26.28"]]


def test_a_number_wrapped_in_a_narrow_column_stays_one_cell() -> None:
    # −0.70 fills the value columns and its last digit wraps: one row, not two.
    chars = [
        *word("指标名称", 0, 0),
        *word("2016年", 200, 0, 6),
        *word("2017年", 240, 0, 6),
        *word("是否考核", 290, 0),
        *word("绿化覆盖率", 0, 1),
        *word("38.45", 200, 1, 6),
        *word("12.80", 240, 1, 6),
        *word("必选", 290, 1),
        *word("主要污染物排放", 0, 2),
        *word("−0.70", 200, 2, 6),
        *word("−0.43", 240, 2, 6),
        *word("必", 290, 2),
        *word("弹性系数", 0, 3),
        *word("7", 200, 3, 6),
        *word("8", 240, 3, 6),
        *word("选", 290, 3),
        *word("环境管理能力", 0, 4),
        *word("97", 200, 4, 6),
        *word("96", 240, 4, 6),
        *word("必选", 290, 4),
    ]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[2] == ["主要污染物排放弹性系数", "−0.707", "−0.438", "必选"]
    assert len(got) == 4


def test_a_group_row_is_a_row_of_its_own_and_no_column() -> None:
    # （一）环境保护 overlaps the 编号 and name columns; it must not merge them.
    chars = [
        *word("编号", 6, 0),
        *word("指标名称", 60, 0),
        *word("2019年", 260, 0, 6),
        *word("（一）环境保护", 0, 1.5),
    ]
    for k, (name, value) in enumerate([("环境管理能力完善度", "96"), ("绿化覆盖率", "24.47")]):
        chars += [
            *word(str(k + 1), 10, 3 + k, 6),
            *word(name, 60, 3 + k),
            *word(value, 260, 3 + k, 6),
        ]
    chars += [
        *word("（二）产业共生", 0, 5.5),
        *word("1", 10, 7, 6),
        *word("再生资源循环利用率", 60, 7),
    ]
    chars += word("77.68", 260, 7, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0] == ["编号", "指标名称", "2019年"]
    assert got[1][0] == "（一）环境保护" and got[1][1:] == ["", ""]
    assert got[2] == ["1", "环境管理能力完善度", "96"]
    assert got[4][0] == "（二）产业共生"
    assert got[5] == ["1", "再生资源循环利用率", "77.68"]


def test_a_group_row_read_as_two_chunks_is_still_a_row_of_its_own() -> None:
    # OCR fits (一) to its ink: the blank a full-width ） fills in a text layer parts
    # the number from 经济发展, set in the name column. Rows are set solid.
    chars = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("2019年", 260, 0, 6)]
    rows = [
        ("(一)", "经济发展", None),
        ("1", "高新技术企业工业总产值占园区工业总产值比例", "36.91"),
        ("2", "人均工业增加值", "24.81"),
        ("(二)", "产业共生", None),
        ("1", "工业固体废物综合利用率", "57.92"),
    ]
    for k, (number, name, value) in enumerate(rows):
        line = 1.3 + k
        chars += [*word(number, 4, line, 5), *word(name, 40, line)]
        if value is not None:
            chars += word(value, 260, line, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[1][0] == "(一)经济发展" or got[1][:2] == ["(一)", "经济发展"]
    assert got[2] == ["1", "高新技术企业工业总产值占园区工业总产值比例", "36.91"]
    assert got[3] == ["2", "人均工业增加值", "24.81"]
    assert got[5] == ["1", "工业固体废物综合利用率", "57.92"]


def test_a_serial_set_a_numeral_per_line_with_ten_read_as_plus() -> None:
    # 二十三 / 二十四 in a one-glyph-wide 序号 column, 十 read as + by OCR: each serial's
    # three lines are one row (names on two lines centred on them).
    chars = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("2019年", 260, 0, 6)]
    rows = [
        ("二十三", "主要污染物排放", "弹性系数", "0.518"),
        ("二+四", "单位工业增加值", "二氧化碳排放量年均削减率", "-0.68"),
    ]
    for k, (serial, name1, name2, value) in enumerate(rows):
        top = 1.2 + 3 * k
        for n, numeral in enumerate(serial):
            chars += word(numeral, 4, top + n)
        chars += [*word(name1, 40, top + 0.5), *word(name2, 40, top + 1.5)]
        chars += word(value, 260, top + 1, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert len(got) == 3
    assert got[2][1:] == ["单位工业增加值二氧化碳排放量年均削减率", "-0.68"]


def test_a_piece_no_row_can_take_goes_to_its_nearest_row() -> None:
    pieces = [Piece((), 0, 10), Piece((), 100, 110), Piece((), 12, 22)]  # out of order
    anchors = [Anchor(0, 10), Anchor(100, 110)]
    head, per_row, cost = place_column(pieces, anchors, "centre", 10.0, -1e9)
    assert head == []
    assert [len(r) for r in per_row] == [2, 1]
    assert cost < float("inf")


def test_a_number_in_spaced_glyphs_is_one_cell() -> None:
    """Full-width digits (８７．５１) read from a scan: the inked glyphs stand half an em
    apart, each blank wider than the column gap; they are one number, not a column per
    digit (the last one made a column of its own: 87.51 read 87.5, no finding). Numbers
    set solid stay apart however close, and so do two lone digits."""
    from extract.read.layout.chunks import chunks

    def at(t: str, x0: float, w: float) -> Char:
        return Char(t, x0, 0.0, x0 + w, 11.0)

    spaced = [at("8", 501.8, 5.1), at("7", 512.6, 4.7), at(".", 521.6, 3.6)]
    spaced += [at("5", 533.5, 4.7), at("1", 544.3, 6.5)]
    assert ["".join(c.text for c in p) for p in chunks(spaced, 5.2)] == ["87.51"]
    solid = [at("1", 0, 5), at("0", 5.5, 5), at("0", 11, 5), at("9", 22, 5), at("0", 27.5, 5)]
    assert len(chunks(solid, 5.2)) == 2  # 100 beside 90
    assert len(chunks([at("9", 0, 5), at("3", 11, 5)], 5.2)) == 2
    words = [at("8", 0, 5), at("期", 11, 10), at("5", 27, 5)]
    assert len(chunks(words, 5.2)) == 3  # only number glyphs are a spaced number


def test_a_serial_cell_holds_one_serial() -> None:
    """序号 1 / 2 / 3 on consecutive lines of rows set solid, the rows centred on them:
    one run of the three lines reads as the number 123 and fitted the middle row's centre
    better than three runs whose lines sit a little off their rows' centres (the first
    and third rows lost their 序号 and, with it, their values)."""
    pieces = [
        Piece((Char("1", 70, 132.5, 76, 146.1),), 132.5, 146.1),
        Piece((Char("2", 72, 148.3, 79, 161.3),), 148.3, 161.3),
        Piece((Char("3", 72, 167.8, 77, 177.7),), 167.8, 177.7),
    ]
    anchors = [Anchor(132.4, 143.9), Anchor(149.3, 160.6), Anchor(167.8, 178.1)]
    _, merged, _ = place_column(pieces, anchors, "centre", 12.3, -1e9, 0.0, 5.2, True)
    assert [len(r) for r in merged] == [0, 3, 0]  # what the column alone would make of it
    _, rows, _ = place_column(pieces, anchors, "centre", 12.3, -1e9, 0.0, 5.2, True, serials=True)
    assert [len(r) for r in rows] == [1, 1, 1]
    # a 序号 a narrow column wraps over three lines (二 / 十 / 一) is one serial, one row's
    wrapped = [
        Piece((Char(t, 70, 100 + 11 * n, 79, 110 + 11 * n),), 100 + 11 * n, 110 + 11 * n)
        for n, t in enumerate("二十一")
    ]
    one = [Anchor(80, 90), Anchor(100, 132), Anchor(140, 150)]
    _, rows, _ = place_column(wrapped, one, "centre", 10.0, -1e9, 0.0, 1.0, True, serials=True)
    assert [len(r) for r in rows] == [0, 3, 0]


def test_one_rows_word_gap_is_no_column() -> None:
    """A requirement set with a word gap wider than the column gap (缺水城市达到20%以上
    京津…) in one row, under no header word of its own: it stays in its cell, not a
    column of one cell (that column cut every wrapped requirement through it)."""
    rows = [
        ("1", "污染源排放达标", ("达标",), "是"),
        ("2", "绿化覆盖率", ("≥15",), "是"),
        ("3", "再生水回用率", ("缺水城市达到20%以上", "京津"), "否"),
        ("4", "信息公开率", ("100",), "是"),
    ]
    chars = [*word("序号", 0, 0), *word("指标", 40, 0), *word("考核要求", 200, 0)]
    chars += word("达标情况", 330, 0)
    for n, (serial, name, req, claim) in enumerate(rows):
        top = 2 * (n + 1)
        chars += [*word(serial, 4, top), *word(name, 40, top), *word(claim, 340, top)]
        chars += word(req[0], 200, top, 5)
        if len(req) > 1:
            chars += word(req[1], 200 + 5 * len(req[0]) + 8, top)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0] == ["序号", "指标", "考核要求", "达标情况"]
    assert got[3] == ["3", "再生水回用率", "缺水城市达到20%以上京津", "否"]


def test_a_narrow_number_ending_in_a_point_opens_no_wrapped_cell() -> None:
    """A table with no 序号, rows set close: a speck after a lone 1 read as 1. looked like
    a number wrapped at its point (5. / 34), joined the next row's 100% and made the two
    rows one (both indicators lost). A point wraps only a number that fills its column."""
    rows = [
        ("生态工业主题宣传活动", "≥2", "1.", "9", "11"),
        ("生态工业信息平台完善程度", "100", "100%", "100%", "100%"),
        ("重点企业环境信息公开率", "100", "100%", "90%", "100%"),
        ("再生资源循环利用率", "≥80", "59.79%", "87.45%", "86.08%"),
    ]
    chars = [*word("指标名称", 0, 0), *word("标准值", 150, 0), *word("2021年", 220, 0, 6)]
    chars += [*word("2023年", 290, 0, 6), *word("2024年", 360, 0, 6)]
    for n, (name, req, *values) in enumerate(rows):
        top = 1.5 * (n + 1)
        chars += [*word(name, 0, top), *word(req, 150, top, 6)]
        for x, v in zip((220, 290, 360), values, strict=True):
            chars += word(v, x, top, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert len(got) == 5
    assert got[1][:3] == ["生态工业主题宣传活动", "≥2", "1."]
    assert got[2][2] == "100%"


def test_a_two_digit_serial_cut_by_the_page_break_keeps_the_count_overleaf() -> None:
    """A narrow 编号 column wraps 14 as 1 / 4 and the page break fell between: the last
    part ends with 1, this part starts with 4. The rows below (1 / 5, 1 / 6) are 15 and
    16, one row each; counted on from 4 they were 1 and 5, 1 and 6: every row split in
    two and its cells scattered (21 cells lost)."""
    from extract.read.layout.anchors import serial_anchors

    pieces = ["4", "1", "5", "1", "6"]
    chars = [c for n, t in enumerate(pieces) for c in word(t, 4, n, 6)]
    chars += [*word("指标一", 40, 1.5), *word("指标二", 40, 3.5)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    cols = [(0.0, 12.0), (40.0, 80.0)]
    anchors, last = serial_anchors(lines, range(len(lines)), cols, 0, 10.0, before=1)
    assert len(anchors) == 3 and last == 16
    anchors, _ = serial_anchors(lines, range(len(lines)), cols, 0, 10.0, before=3)
    assert len(anchors) == 5  # 4 after 3 is the next row: no cut to join


def test_a_typed_space_joins_a_cell_and_a_blank_alone_parts_cells() -> None:
    from extract.read.layout.chunks import chunks

    def at(t: str, x0: float, w: float) -> Char:
        return Char(t, x0, 0.0, x0 + w, 10.0)

    with_space = [at("≥", 0, 5), at(" ", 5, 5), at("3", 10, 5)]
    assert len(chunks(with_space, 3.5)) == 1  # ≥ 3: one requirement
    apart = [at("9", 0, 5), at("必", 10, 10)]
    assert len(chunks(apart, 3.5)) == 2  # the same blank without a typed space: two cells
    two_spaces = [at("a", 0, 5), at(" ", 5, 5), at(" ", 10, 5), at("b", 15, 5)]
    assert len(chunks(two_spaces, 3.5)) == 2  # spaces padding columns apart
    trailing = [at("3", 0, 5), at(" ", 5, 5), at("9", 30, 5)]
    assert len(chunks(trailing, 3.5)) == 2  # a space ending a cell's line bridges nothing
    leading = [at("十", 0, 5), at(" ", 20, 5), at("护", 26, 5)]
    assert len(chunks(leading, 3.5)) == 2  # nor one leading the next cell's line (␣护)


def test_a_comparison_sign_stays_with_its_number_across_a_wide_blank() -> None:
    from extract.read.layout.chunks import chunks

    def at(t: str, x0: float, w: float) -> Char:
        return Char(t, x0, 0.0, x0 + w, 8.4)

    # ≥ 30 set with a space the text layer does not carry, wider than the column gap
    assert len(chunks([at("≥", 298, 8), at("3", 311, 4), at("0", 315, 4)], 3.85)) == 1
    # a number and the next cell are still two cells, however close a sign would be
    assert len(chunks([at("9", 298, 5), at("3", 308, 4)], 3.85)) == 2
    # a sign far off its neighbour (a lone ≥ in another column) stays apart
    assert len(chunks([at("≥", 298, 8), at("3", 330, 4)], 3.85)) == 2


def test_a_lone_narrow_lowercase_letter_is_a_footnote_mark_at_the_bodys_height() -> None:
    from extract.read.layout.chunks import is_mark

    # a browser's superscript a: raised, the body's height, half as wide as a Han glyph
    assert is_mark([Char("a", 150.6, 254.1, 155.4, 264.0)], 10.5)
    # a Latin word at the body's height is no mark
    assert not is_mark([Char("N", 150, 254, 157, 264), Char("o", 157, 254, 163, 264)], 10.5)


def test_a_page_whose_repeated_header_wraps_its_keywords_is_searched_for_tables() -> None:
    from extract.read.pdf.reader import _may_hold_stream_table

    chars = [*word("编", 40, 0), *word("考核指", 300, 0)]
    chars += [*word("类别", 0, 1), *word("指标", 60, 1), *word("标准值", 150, 1)]
    chars += [*word("计量单位", 220, 1), *word("2016年实", 360, 1, 6)]
    chars += [*word("号", 40, 2), *word("标", 300, 2)]
    chars += [
        *word("八", 40, 3),
        *word("单位工业用地面积工业增加值", 60, 3),
        *word("17.45", 360, 3, 6),
    ]
    assert _may_hold_stream_table(make_lines(chars, 0.5, 0.5, 1.0), S)


def test_a_header_repeated_under_the_rows_starts_a_second_table_with_the_same_columns() -> None:
    def header(line: float) -> list[Char]:
        return [
            *word("序号", 0, line),
            *word("指标名称", 40, line),
            *word("标准值", 200, line),
            *word("基准年", 260, line),
            *word("2021年", 320, line, 6),
        ]

    chars = header(0)
    for k, name in enumerate(["人均工业增加值", "绿化覆盖率", "再生资源循环利用率"], 1):
        chars += [*word(str(k), 0, k, 6), *word(name, 40, k), *word("≥15", 200, k, 6)]
        chars += [*word("44.63", 260, k, 6), *word("57.83", 320, k, 6)]
    chars += [*word("续表1", 0, 4.5), *header(5.5)]
    chars += [
        *word("4", 0, 6.5, 6),
        *word("环境管理能力完善度", 40, 6.5),
        *word("100", 200, 6.5, 6),
    ]
    chars += [*word("96", 260, 6.5, 6), *word("98", 320, 6.5, 6)]
    first, second = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    assert len(first.cells) == 4 and "续表" not in "".join(texts(first.cells)[-1])
    assert texts(second.cells) == [
        ["序号", "指标名称", "标准值", "基准年", "2021年"],
        ["4", "环境管理能力完善度", "100", "96", "98"],
    ]


def test_a_header_repeated_after_a_single_row_under_a_continued_caption_is_a_new_table() -> None:
    def header(line: float) -> list[Char]:
        out = [*word("序号", 0, line), *word("指标名称", 40, line), *word("标准值", 200, line)]
        return [*out, *word("2018年", 260, line, 6)]

    def row(n: str, name: str, req: str, v: str, line: float) -> list[Char]:
        out = [*word(n, 0, line, 6), *word(name, 40, line), *word(req, 200, line, 6)]
        return [*out, *word(v, 260, line, 6)]

    above = [*header(0), *row("16", "绿化覆盖率", "≥15", "26.1", 1)]
    above += [*row("17", "环境管理能力", "100", "97", 2), *row("18", "工业用水", "≥75", "81", 3)]
    (carried,) = find_stream_tables(make_lines(above, 0.5, 0.5, 1.0), S, None, 60.0)
    # overleaf: the header repeated, one row (its name wrapped), 续表, the header again
    chars = [*header(0), *word("工业园区内企事业单位", 40, 1), *row("19", "", "0", "0", 1.5)]
    chars += [*word("发生突发环境事件数量", 40, 2), *word("续表", 0, 3.5), *header(4.5)]
    chars += [*row("20", "环境管理能力完善度", "100", "96", 5.5)]
    chars += [*row("21", "污水集中处理设施", "100", "98", 6.5)]
    first, second = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S, carried, 400.0)
    assert texts(first.cells)[-1][0] == "19"
    assert [r[0] for r in texts(second.cells)] == ["序号", "20", "21"]


def _serial_header() -> list[Char]:
    head = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("单位", 200, 0)]
    return [*head, *word("2019年", 260, 0, 6)]


def _serial_row(
    serial: Sequence[str], name: str, value: str, line: float, digit_w: float = 6
) -> list[Char]:
    """A row whose 序号 is set a piece per line (``serial``) in a narrow column."""
    out = [*word(name, 40, line + 0.5), *word("%", 200, line + 0.5)]
    out += word(value, 260, line + 0.5, 6)
    return out + [c for k, d in enumerate(serial) for c in word(d, 4, line + k, digit_w)]


def test_a_serial_wrapped_in_a_narrow_column_overleaf_follows_the_last_page() -> None:
    header, row = _serial_header, _serial_row
    first = header()
    for k, n in enumerate(range(9, 12)):
        first += row(str(n), f"指标名称{n}", f"{n}.5", 2.5 + 2.5 * k)
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 120.0)
    assert t1.last_serial == 11
    second = header()
    for k, n in enumerate(range(12, 15)):
        second += row(str(n), f"指标名称{n}", f"{n}.5", 2.5 + 2.5 * k)
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 120.0)
    assert [r[0] for r in texts(t2.cells)[1:]] == ["12", "13", "14"]


def test_header_cells_widening_two_columns_never_join_them() -> None:
    from extract.read.layout.columns import widen_with

    cols = [(449.0, 472.0), (498.0, 520.0)]
    got = widen_with(cols, [(439.0, 486.0), (490.0, 528.0)], 4.5)
    assert len(got) == 2 and got[0][1] < got[1][0]
    # free space: a column where two lines have a chunk (its header and a cell), never
    # where one has (a raised footnote mark, a stray)
    assert widen_with(cols, [(600.0, 620.0), (602.0, 618.0)], 4.5)[-1] == (600.0, 620.0)
    assert widen_with(cols, [(600.0, 620.0)], 4.5) == cols
    # ... unless that one chunk is a header cell over a column the part leaves empty
    assert widen_with(cols, [(600.0, 620.0)], 4.5, [(600.0, 620.0)])[-1] == (600.0, 620.0)


def test_a_hole_narrower_than_the_gap_parts_columns_where_lines_show_both_cells() -> None:
    from extract.read.layout.columns import split_touching

    names_end = [
        [(111.0, 245.0)],
        [(111.0, 213.0), (247.0, 334.0)],
        [(111.0, 200.0), (247.0, 330.0)],
    ]
    assert split_touching([(111.0, 334.0)], names_end) == [(111.0, 245.0), (247.0, 334.0)]
    one_line = [[(111.0, 245.0)], [(111.0, 213.0), (247.0, 334.0)]]
    assert split_touching([(111.0, 334.0)], one_line) == [(111.0, 334.0)]  # one line: no proof


def test_values_and_the_remarks_beside_them_are_two_columns() -> None:
    """A 2019 column (438-469) and a 备注 column (476-533) the projection joined through
    one remark glyph's box reaching 473: few defining lines hold both cells (19 lines, 4
    with both), but several lines hold only a value and several only a remark. Lines of
    one wrapped cell all start at its left and part nothing."""
    from extract.read.layout.columns import split_touching

    full = [[(439.0, 469.0)]] * 15 + [[(439.0, 469.0), (477.0, 533.0)]] * 3
    full = [*full, [(446.0, 460.0), (473.0, 485.0)]]
    remarks = [[(477.0, 525.0)], [(476.0, 530.0)], [(477.0, 532.0)]]
    assert split_touching([(438.0, 533.0)], full) == [(438.0, 533.0)]
    assert split_touching([(438.0, 533.0)], full, remarks) == [(439.0, 469.0), (473.0, 533.0)]
    wrapped = [[(438.0, 460.0)], [(438.0, 452.0)], [(438.0, 455.0)]]  # one cell's lines
    assert split_touching([(438.0, 533.0)], full, wrapped) == [(438.0, 533.0)]


def test_a_digit_wrapped_under_the_last_row_at_the_foot_is_no_folio() -> None:
    chars = [*word("指标名称", 0, 0), *word("要求", 150, 0), *word("2018年", 220, 0, 6)]
    chars += [*word("2019年", 280, 0, 6)]
    for k, (name, v) in enumerate(
        [("绿化覆盖率", "38.45"), ("环境管理能力", "97"), ("工业用水", "81.2")]
    ):
        chars += [*word(name, 0, 2 * k + 1), *word("≥75", 150, 2 * k + 1, 6)]
        chars += [*word("12.5", 220, 2 * k + 1, 6), *word(v, 280, 2 * k + 1, 6)]
    chars += word("6", 292, 6, 6)  # 81.26 wrapped: its last digit alone at the foot
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S, None, 78.0)
    assert texts(table.cells)[-1][-1] == "81.26"


def test_a_continuation_overleaf_may_open_with_the_upper_lines_of_a_centred_row() -> None:
    def row(name: str, value: str, line: float) -> list[Char]:
        out = [*word(name, 0, line), *word("≥9", 150, line, 6)]
        return [*out, *word("12.5", 220, line, 6), *word(value, 280, line, 6)]

    first = [*word("指标名称", 0, 0), *word("指标要求", 150, 0), *word("2018年", 220, 0, 6)]
    first += word("2019年", 280, 0, 6)
    first += [
        *row("绿化覆盖率", "38.45", 1),
        *row("环境管理能力", "97", 2),
        *row("工业用水", "81", 3),
    ]
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 60.0)
    # 新鲜水耗弹性系数's requirement, four lines centred on its values (line 1.5): the page
    # opens with two of them, single chunks above the row's first line with cells.
    second = [*word("当园区工", 150, 0), *word("业增加值", 150, 1)]
    second += [*word("新鲜水耗弹性系数", 0, 1.5), *word("12.5", 220, 1.5, 6)]
    second += [*word("0.68", 280, 1.5, 6), *word("建设期年", 150, 2), *word("均增长", 150, 3)]
    second += [*row("单位工业增加值新鲜水耗", "8.79", 6), *row("可再生能源使用比例", "9.1", 7)]
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 200.0)
    got = texts(t2.cells)
    assert got[0][0] == "新鲜水耗弹性系数" and got[0][1].startswith("当园区工")
    assert [r[0] for r in got] == [
        "新鲜水耗弹性系数",
        "单位工业增加值新鲜水耗",
        "可再生能源使用比例",
    ]


def test_a_continuation_opening_with_a_tail_then_a_group_row_stays_one_table() -> None:
    # Overleaf: the last row's requirement ends in its column (以上 京津冀区域达 / 到30%以上
    # 其他地 / 区达到10%以上), then a group row and the next row's name's upper line, single
    # chunks wider than that tail, then the numbered row: one continuation, its first
    # row whole.
    def row(n: str, name: str, line: float, need: str = "≥9") -> list[Char]:
        out = [*word(n, 0, line, 6), *word(name, 40, line), *word(need, 180, line, 6)]
        return [*out, *word("12.5", 280, line, 6), *word("13.1", 340, line, 6)]

    first = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("指标要求", 180, 0)]
    first += [*word("2018年", 280, 0, 6), *word("2019年", 340, 0, 6)]
    first += [*row("1", "绿化覆盖率", 1), *row("2", "环境管理能力", 2)]
    first += row("3", "再生水回用率", 3, "缺水城市达到20%以上京津冀")
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 60.0)
    second = [*word("以上", 180, 0, 6), *word("京津冀区域达", 200, 0, 6)]
    second += [*word("到30%以上", 180, 1, 6), *word("其他地", 226, 1, 6)]
    second += word("区达到10%以上", 180, 1.8, 6)
    second += [*word("（四）环境保护", 0, 2.8), *word("工业园区重点污染源稳定排", 40, 3.8)]
    second += [*word("1", 0, 4.3, 6), *word("达标", 180, 4.3), *word("达标", 280, 4.3)]
    second += [*word("达标", 340, 4.3), *word("放达标情况", 40, 4.8)]
    second += [*row("2", "环境管理能力完善度", 6), *row("3", "工业用水重复利用率", 7)]
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 200.0)
    got = texts(t2.cells)
    names = [r[1] for r in got]
    assert "工业园区重点污染源稳定排放达标情况" in names
    assert names[-2:] == ["环境管理能力完善度", "工业用水重复利用率"]


def test_a_header_wrapped_over_lines_with_few_words_each_still_makes_a_table() -> None:
    chars = [*word("指标类", 0, 0), *word("指标值（%）", 260, 0)]
    chars += [*word("指标", 60, 0.7), *word("要求", 180, 0.7)]
    chars += [*word("别", 10, 1.4), *word("2013", 250, 1.4, 6), *word("2018年", 300, 1.4, 6)]
    for k, name in enumerate(["单位工业用地面积工业增加值", "可再生能源使用比例", "绿化覆盖率"]):
        chars += [*word(name, 40, 3 + k), *word("≥9", 180, 3 + k, 6)]
        chars += [*word("29.96", 250, 3 + k, 6), *word("28.89", 300, 3 + k, 6)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    assert all(header_hits(ln.text) < 3 for ln in lines)
    (table,) = find_stream_tables(lines, S)
    assert texts(table.cells)[-1][-3:] == ["≥9", "29.96", "28.89"]


def test_a_folio_stays_out_of_a_continuation_found_overleaf() -> None:
    def row(n: int, line: float) -> list[Char]:
        return [
            *word(str(n), 0, line, 6),
            *word(f"指标名称{n}", 40, line),
            *word("≥9", 150, line, 6),
        ]

    first = [
        *word("序号", 0, 0),
        *word("指标名称", 40, 0),
        *word("要求", 150, 0),
        *word("2019年", 260, 0, 6),
    ]
    for k in range(1, 4):
        first += [*row(k, k), *word(f"{k}.5", 260, k, 6)]
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 60.0)
    second: list[Char] = []
    for k in range(4, 7):
        second += [*row(k, k - 4), *word(f"{k}.5", 260, k - 4, 6)]
    second += word("—5—", 130, 3.2)  # the folio, centred, just under the last row
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 42.0)
    assert "5—" not in "".join(c.text for row in t2.cells for cell in row for c in cell)


def test_a_column_one_line_parts_while_other_lines_cross_the_hole_is_one_column() -> None:
    from extract.read.layout.columns import join_crossed

    # 经 济 / 发 展 letter-spaced: one line lost its typed space and shows two chunks
    cols = [(62.0, 69.0), (73.0, 81.0), (88.0, 200.0)]
    defining = [[(62.0, 69.0), (73.0, 81.0), (88.0, 150.0)], [(88.0, 190.0)]]
    crossed = [[(60.0, 79.0), (88.0, 201.0)], [(62.0, 81.0), (88.0, 133.0)]] * 2
    assert join_crossed(cols, defining, crossed) == [(62.0, 81.0), (88.0, 200.0)]
    # a 序号 | 名称 hole many defining lines show stays, whatever a header line crosses
    many = [[(62.0, 69.0), (73.0, 81.0)]] * 5
    assert join_crossed(cols, many, crossed) == cols


def test_a_data_row_whose_name_holds_header_words_is_no_header() -> None:
    assert header_hits("指标类别 指标名称 标准值 计量单位 考核指标 是否达标") >= 3
    assert header_hits("序号指标名称计量单位标准值") >= 3  # set solid
    assert header_hits("单位工业用地面积工业增加值三年年均增长率 ≥ 6 % 否 达标") == 0
    # 年 is everywhere in names and remarks: a one-character word covers nothing
    assert header_hits("园区工业增加值三年年均增长率 % 19.58% ≥15 达标 数据来源于2022年统计年") == 0
    # the last line of indicator 18's name (…控制指标完成情况) beside a remark's last line
    assert header_hits("放总量控制指标完成情况 年鉴") < 3
    # header words of a two-level header's lines
    assert header_hits("为考 基准年 2021年") >= 1 and header_hits("2017 评价") >= 1


def test_a_raised_footnote_mark_is_no_column() -> None:
    chars = [
        *word("指标名称", 0, 0),
        *word("标准值", 120, 0),
        *word("2018年", 260, 0, 6),
    ]
    rows = [
        ("工业用水重复利用率", "≥75", "67.22"),
        ("绿化覆盖率", "≥15", "30.1"),
        ("单位工业增加值新鲜水耗", "≤8", "5.34"),
        ("可再生能源使用比例", "≥9", "12.5"),
    ]
    for k, (name, req, value) in enumerate(rows):
        line = 1.5 * (k + 1)
        chars += [*word(name, 0, line), *word(req, 120, line, 6), *word(value, 260, line, 6)]
    # a superscript a after two names, raised onto lines of their own, small glyphs, at
    # one x (in free space between the name and requirement columns)
    for k in (1, 3):
        top = 1.5 * k * PITCH - 5.0
        chars.append(Char("a", 112.0, top, 115.0, top + 6.0))
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    (table,) = find_stream_tables(lines, S)
    assert len(table.col_bounds) == 3


def test_a_value_cell_holds_one_value_not_the_next_rows_top_line() -> None:
    # Rows set solid: row 1's value wraps (29.6 / 0%) and row 2's one-line value sits at
    # its row's top, touching row 1's last line; row 2's anchor (its wrapped 序号) is lower.
    col = [
        Piece(tuple(word("29.6", 0, 0.0, 6)), 0.0, 10.0),
        Piece(tuple(word("0%", 0, 1.0, 6)), 12.0, 22.0),
        Piece(tuple(word("10", 0, 2.0, 6)), 24.0, 34.0),
    ]
    anchors = [Anchor(0.0, 22.0), Anchor(30.0, 52.0)]
    _, rows, _ = place_column(col, anchors, "centre", 10.0, -1e9, values=True)
    assert ["".join(c.text for p in r for c in p.chars) for r in rows] == ["29.60%", "10"]
    _, rows, _ = place_column(col, anchors, "centre", 10.0, -1e9)
    assert ["".join(c.text for p in r for c in p.chars) for r in rows] == ["29.60%10", ""]


def test_a_first_row_of_a_name_and_a_claim_beside_a_wrapped_requirement_is_data() -> None:
    # 指标 | 指标要求 | 是否达标 with the first row's requirement on three lines centred on
    # its name and claim, and no number on the name's line: still the first row.
    chars = [
        *word("指标", 0, 0),
        *word("指标要求", 120, 0),
        *word("是否达标", 260, 0),
        *word("当园区工业增加值", 120, 1.5),
        *word("综合能耗弹性系数", 0, 2.5),
        *word("增长率大于零时", 120, 2.5),
        *word("达标", 260, 2.5),
        *word("不超过零点六", 120, 3.5),
    ]
    for k, (name, req, claim) in enumerate(
        [("可再生能源使用比例", "≥9", "未达标"), ("工业用水重复利用率", "≥75", "达标")]
    ):
        line = 5.0 + 1.5 * k
        chars += [*word(name, 0, line), *word(req, 120, line, 6), *word(claim, 260, line)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    (table,) = find_stream_tables(lines, S)
    got = texts(table.cells)
    assert got[0] == ["指标", "指标要求", "是否达标"]
    assert got[1][0] == "综合能耗弹性系数" and got[1][2] == "达标"


def test_a_claim_cell_holds_one_mark_not_the_next_rows_too() -> None:
    from extract.read.layout.rows import _is_value_column

    # Top-aligned rows 15 pt apart with one-line cells: joining two rows' ☑ costs no
    # whitespace beyond the leading, yet a claim cell holds one mark.
    marks = [
        Piece(tuple(word(m, 0, k * 1.25)), k * 15.0, k * 15.0 + 9.0) for k, m in enumerate("×☑☑×")
    ]
    anchors = [Anchor(k * 15.0, k * 15.0 + 9.0) for k in range(4)]
    assert _is_value_column(marks)
    _, rows, _ = place_column(marks, anchors, "top", 9.0, -1e9, leading=6.0, values=True)
    assert ["".join(c.text for p in r for c in p.chars) for r in rows] == list("×☑☑×")


def test_a_value_column_of_whole_numbers_past_any_serial_is_no_serial_column() -> None:
    from extract.read.layout.columns import key_column

    def column_of_numbers(values: list[str]) -> int | None:
        names = ["绿化覆盖率", "环境管理能力完善度", "重点企业环境信息公开率"]
        chars: list[Char] = []
        for k, (name, value) in enumerate(zip(names, values, strict=True)):
            chars += [*word(value, 0, k * 1.5, 6), *word(name, 40, k * 1.5)]
        lines = make_lines(chars, 0.5, 0.5, 1.0)
        return key_column(lines, list(range(len(lines))), [(0.0, 20.0), (40.0, 300.0)])

    assert column_of_numbers(["1", "2", "3"]) == 0
    assert column_of_numbers(["91", "93", "94"]) is None  # values, past any 序号

    # small whole values right of the names (项目数量 7, 10, 12) are values too
    chars: list[Char] = []
    for k, (name, value) in enumerate(
        [("新增项目数量", "7"), ("宣传活动次数", "8"), ("平台完善", "9")]
    ):
        chars += [*word(name, 0, k * 1.5), *word(value, 200, k * 1.5, 6)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    assert key_column(lines, list(range(len(lines))), [(0.0, 60.0), (200.0, 212.0)]) is None


def test_a_header_repeated_at_the_page_foot_without_rows_is_one_row() -> None:
    from extract.read.layout.anchors import row_anchors

    # 续上表's header alone at a page's foot, its wrapped cells staggered (202 / 6年 目标值,
    # 是否 / 为考核指标); the rows it heads are overleaf: no 序号, no values, one row.
    chars = [*word("202", 260, 0, 6), *word("是否", 200, 0.8)]
    chars += [*word("编", 0, 1.6), *word("6年", 260, 1.6, 6), *word("2020", 340, 1.6, 6)]
    chars += [*word("号", 0, 2.6), *word("指标名称", 40, 2.6), *word("目标值", 260, 2.6)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    block = list(range(len(lines)))
    cols = [(0.0, 10.0), (40.0, 80.0), (200.0, 220.0), (260.0, 290.0), (340.0, 364.0)]
    found = row_anchors(lines, block, 0, set(), cols, None, [[] for _ in cols], 10.0, [None])
    assert [len(a) for a in found.values()] == [1, 1]
    whole = found["top"][0]
    assert whole.top == lines[0].bbox[1] and whole.bottom == max(ln.bbox[3] for ln in lines)


def test_a_header_alone_at_the_page_foot_is_a_table_of_one_row() -> None:
    # The pass table's header at the foot of a page, its rows overleaf: a table to carry.
    chars = [*word("园区环境基础设施不断完善，全年新建污水管网二十公里。", 0, 0)]
    chars += [*word("是否达", 300, 2.0), *word("是否为考", 200, 2.5)]
    chars += [*word("分类", 0, 3.0), *word("序号", 40, 3.0), *word("指标名称", 80, 3.0)]
    chars += [*word("到标准", 300, 3.0), *word("核指标", 200, 3.5), *word("要求", 300, 4.0)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    (table,) = find_stream_tables(lines, S)
    assert len(table.cells) == 1
    assert "".join(c.text for c in table.cells[0][-1]) == "是否达到标准要求"


def test_a_header_cell_left_of_the_first_header_line_still_joins_the_header() -> None:
    from extract.read.layout.blocks import with_header_above

    # 规划目标 / （2024年） over one column, its first line higher than, and left of, the
    # first line the block starts with (2019年（ | 2021年实 | 2022年实)
    chars = [*word("规划目标", 384, 0)]
    chars += [*word("2019年（", 430, 0.6, 6), *word("2021年实", 480, 0.6, 6)]
    chars += [*word("类别", 0, 1.2), *word("序号", 40, 1.2), *word("指标", 80, 1.2)]
    chars += [*word("指标要求", 200, 1.2), *word("（2024", 384, 1.2, 6)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    first = next(k for k, ln in enumerate(lines) if ln.text.startswith("2019"))
    got = with_header_above(lines, list(range(first, len(lines))))
    assert lines[got[0]].text == "规划目标"


def test_header_cells_first_lines_set_solid_across_columns_stay_in_the_header() -> None:
    from extract.read.layout.blocks import _solid_header

    cols = [(450.0, 490.0), (495.0, 530.0)]
    # 是否为考 | 是否达 touching over the assessed and claim columns: both name a column
    (solid,) = make_lines(word("是否为考是否达", 456, 0, 10.5), 0.5, 0.5, 1.0)
    assert _solid_header(solid, cols)
    # a spanning 指标值 over two year columns cut in two leaves fragments naming nothing
    (spanning,) = make_lines(word("指标值", 470, 0, 12), 0.5, 0.5, 1.0)
    assert not _solid_header(spanning, cols)


def test_a_first_rows_cell_centred_on_it_from_above_is_the_rows_not_the_headers() -> None:
    # A requirement of five lines centred on row 1's one-line 序号, name and value: its
    # first two lines lie above the 序号, below the header's last line of words.
    chars = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("标准值", 200, 0)]
    chars += [*word("2018年", 300, 0, 6)]
    for k, req in enumerate(["缺水城市达到", "百分之二十", "京津冀区域", "其他地区达", "百分之十"]):
        chars += word(req, 200, 1 + k)
    chars += [*word("1", 0, 3, 6), *word("再生水回用率", 40, 3), *word("30.16", 300, 3, 6)]
    for n, line in ((2, 6.5), (3, 8)):
        chars += [*word(str(n), 0, line, 6), *word("绿化覆盖率", 40, line)]
        chars += [*word("≥15", 200, line, 6), *word("26.12", 300, line, 6)]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0] == ["序号", "指标名称", "标准值", "2018年"]
    assert got[1] == [
        "1",
        "再生水回用率",
        "缺水城市达到百分之二十京津冀区域其他地区达百分之十",
        "30.16",
    ]


def test_an_upper_header_line_of_a_year_and_header_words_is_no_data_row() -> None:
    # 完成情况's year and 评价 (of 评价 / 结果) on a line above the header's line of words,
    # farther off than the header's leading: header, not a first row of data.
    from extract.read.layout.anchors import first_data_line
    from extract.read.layout.blocks import split_at_headers

    head = [*word("2017", 300, 0, 6), *word("评价", 360, 0)]
    head += [*word("分类", 0, 1.5), *word("指标名称", 40, 1.5), *word("标准值", 200, 1.5)]
    head += [*word("结果", 360, 1.5)]
    rows: list[Char] = []
    for k, (name, v) in enumerate(
        [("绿化覆盖率", "26.1"), ("环境管理能力", "97"), ("工业用水", "81")]
    ):
        rows += [*word(name, 40, 2.5 + k), *word("≥15", 200, 2.5 + k, 6)]
        rows += [*word(v, 300, 2.5 + k, 6), *word("√", 360, 2.5 + k, 6)]
    lines = make_lines(head + rows, 0.5, 0.5, 1.0)
    assert first_data_line(lines, list(range(len(lines))), 4.0) == 2
    # the same header repeated under the rows (续上表 on the page): cut above its upper line
    again = [Char(c.text, c.x0, c.top + 6 * PITCH, c.x1, c.bottom + 6 * PITCH) for c in head]
    lines = make_lines(head + rows + again, 0.5, 0.5, 1.0)
    parts = split_at_headers(lines, list(range(len(lines))))
    assert [lines[p[0]].text for p in parts] == ["2017 评价", "2017 评价"]


def test_a_part_of_two_rows_under_its_header_has_rows_by_its_values() -> None:
    # No 序号; a category set one character per line (环 / 保 / 护) beside two rows whose
    # values stagger (-0.67 / 3 centred, 0.155 on one line): rows come from the values,
    # not from the category's lines.
    chars = [*word("分类", 0, 0), *word("指标名称", 40, 0), *word("2016", 200, 0, 6)]
    chars += [*word("2017", 260, 0, 6), *word("结果", 320, 0)]
    chars += [*word("环", 0, 1.2), *word("-0.67", 200, 1.2, 6)]
    chars += [*word("保", 0, 1.7), *word("主要污染物排放弹性系数", 40, 1.7)]
    chars += [*word("0.155", 260, 1.7, 6), *word("☑", 320, 1.7, 6)]
    chars += [*word("护", 0, 2.2), *word("3", 212, 2.2, 6)]
    chars += [*word("二氧化碳削减率", 40, 3.7), *word("3.78", 200, 3.7, 6)]
    chars += [*word("13.92", 260, 3.7, 6), *word("☑", 320, 3.7, 6)]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S, None, 60.0)
    got = texts(table.cells)
    assert [r[1] for r in got] == ["指标名称", "主要污染物排放弹性系数", "二氧化碳削减率"]
    assert got[1][2:] == ["-0.673", "0.155", "☑"]


def test_a_header_cell_closing_its_bracket_on_the_first_rows_line_is_the_headers() -> None:
    # 2018年（现状 / 值） set a short line per line in a narrow column: its last line 值）
    # is on the first row's top line, its values one line lower (115,10 / 0) than the
    # neighbour's (256,90 / 0), all centred on the one-line name.
    chars = [*word("指标名称", 40, 0), *word("2015", 200, 0, 6), *word("2018", 260, 0, 6)]
    chars += [*word("标准值", 320, 0), *word("年（现状", 260, 1)]
    chars += [*word("256,90", 200, 2, 6), *word("值）", 260, 2), *word("115,10", 260, 3, 6)]
    chars += [*word("人均工业增加值", 40, 3), *word("≥15", 320, 3, 6)]
    chars += [*word("0", 200, 3, 6), *word("0", 260, 4, 6)]
    for k, (name, v) in enumerate(
        [("绿化覆盖率", "26.1"), ("环境管理能力", "97"), ("工业用水", "81")]
    ):
        chars += [*word(name, 40, 5 + k), *word(v, 200, 5 + k, 6), *word(v, 260, 5 + k, 6)]
        chars += word("≥15", 320, 5 + k, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0][2] == "2018年（现状值）"
    assert "115,100" in [r[2] for r in got[1:]]


def test_a_number_filling_its_column_under_a_wider_header_keeps_its_wrapped_digits() -> None:
    # 256,90 / 0 fills the value column; the header above (完成情况2015年) is wider than any
    # value, and must not be the measure of a full column. (Set mid-page: a lone 0 near
    # the top of a page would be its folio.)
    y = 20
    chars = [*word("指标名称", 0, y), *word("完成情况2015年", 150, y), *word("标准值", 260, y)]
    chars += [*word("256,90", 150, y + 1.5, 6), *word("0", 150, y + 2.5, 6)]
    chars += [*word("人均工业增加值", 0, y + 2), *word("≥15", 260, y + 2, 6)]
    rows = [("绿化覆盖率", "26.1"), ("环境管理能力", "97"), ("工业用水", "81")]
    for k, (name, v) in enumerate(rows):
        line = y + 4 + k
        chars += [*word(name, 0, line), *word(v, 150, line, 6), *word("≥15", 260, line, 6)]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[1] == ["人均工业增加值", "256,900", "≥15"]


def test_year_cells_under_a_spanning_header_stay_in_the_header() -> None:
    # 指标值 alone on its line over 2019 | 2021, the years on a line of their own under
    # the header's words, then rows numbered 一 二 三 (a 编号 column) or not numbered.
    def table(numbered: bool) -> list[list[str]]:
        x = 40 if numbered else 0
        chars = [*word("指标值", 312, 0)]
        chars += [*word("指标名称", x, 0.8), *word("标准值", 200, 0.8)]
        chars += [*word("2019", 280, 1.6, 6), *word("2021", 340, 1.6, 6)]
        chars += word("编号", 0, 0.8) if numbered else []
        rows = [
            ("一", "绿化覆盖率", "66.08%"),
            ("二", "环境管理能力", "97"),
            ("三", "工业用水", "81"),
        ]
        for k, (n, name, v) in enumerate(rows):
            line = 3 + k
            chars += [*word(name, x, line), *word("≥15", 200, line, 6)]
            chars += [*word(v, 280, line, 6), *word("58.92", 340, line, 6)]
            chars += word(n, 0, line) if numbered else []
        (found,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
        return texts(found.cells)

    for numbered in (True, False):
        got = table(numbered)
        assert "".join(got[0][-2:]) == "指标2019值2021"
        assert got[1][-4:] == ["绿化覆盖率", "≥15", "66.08%", "58.92"]


def test_a_serial_after_a_group_row_starts_again_and_joins_no_next_line() -> None:
    # … 10, 11, then （五）信息公开 and rows 1 and 2 set solid: 1 / 2 is no 12 wrapped.
    chars = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("2018年", 260, 0, 6)]
    rows = [("10", "绿化覆盖率", "26.1", 1), ("11", "环境管理能力", "97", 2)]
    rows += [("1", "重点企业环境信息公开率", "100", 4), ("2", "生态工业信息平台完善程度", "92", 5)]
    for n, name, v, line in rows:
        chars += [*word(n, 0, line, 6), *word(name, 40, line), *word(v, 260, line, 6)]
    chars += word("（五）信息公开", 0, 3)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert [r[0] for r in got[-2:]] == ["1", "2"]
    assert got[-1][1] == "生态工业信息平台完善程度"


def test_names_too_wide_to_define_columns_still_make_one_name_column() -> None:
    # A narrow pass table: each name (wider than a cell can be, 0.3 of the table) on its
    # own line above its row's 序号, requirement and claim; the header 指标 centred over
    # the names and their short wrapped tails make two columns in free space — one.
    chars = [*word("序", 0, 0), *word("指标", 100, 0.6), *word("要求", 250, 0.6)]
    chars += [*word("评价", 330, 0), *word("号", 0, 1.2), *word("结果", 330, 1.2)]
    names = [
        "高新技术企业工业总产值占园",
        "资源再生利用产业增加值占园",
        "单位工业用地面积工业增加值",
    ]
    for k, name in enumerate(names):
        line = 2.5 + 3 * k
        chars += [*word(name, 20, line)]
        chars += [*word(str(k + 1), 0, line + 0.6, 6), *word("≥30", 250, line + 0.6, 6)]
        chars += [*word("☑", 330, line + 0.6), *word("区比例（%）", 20, line + 1.2)]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    assert len(table.col_bounds) == 4
    got = texts(table.cells)
    assert got[1][1] == "高新技术企业工业总产值占园区比例（%）"


def test_a_header_years_last_line_above_the_first_row_stays_in_the_header() -> None:
    # 基准年（202 / 1年） wrapped: its last line alone between the header's line and row 1
    # (a 序号 column) — the header's, not the first line of row 1's value.
    chars = [*word("序号", 0, 0), *word("指标", 40, 0), *word("基准年（202", 200, 0, 7)]
    chars += [*word("2023年", 300, 0, 6), *word("1年）", 214, 1, 7)]
    rows = [("1", "人均工业增加值", "47.36"), ("2", "绿化覆盖率", "22.39"), ("3", "工业用水", "81")]
    for k, (n, name, v) in enumerate(rows):
        line = 2.4 + 1.4 * k
        chars += [*word(n, 0, line, 6), *word(name, 40, line), *word(v, 214, line, 6)]
        chars += word("10.5", 300, line, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0][2] == "基准年（2021年）"
    assert got[1] == ["1", "人均工业增加值", "47.36", "10.5"]


def test_a_vertical_header_under_a_continued_caption_starts_a_new_table() -> None:
    # 续上表 and a header whose cells are set a character or a word per line (序 / 号,
    # 指标 and 要求 on one line, 2015 / 年): no line holds three header words.
    def header(line: float) -> list[Char]:
        out = [*word("序", 0, line), *word("指标", 40, line + 1), *word("要求", 200, line + 1)]
        return [*out, *word("号", 0, line + 2), *word("2015", 260, line + 1, 6)]

    def row(n: str, name: str, v: str, line: float) -> list[Char]:
        out = [*word(n, 0, line, 6), *word(name, 40, line), *word("≥15", 200, line, 6)]
        return [*out, *word(v, 260, line, 6)]

    chars = [*header(0), *row("1", "绿化覆盖率", "26.1", 3.5), *row("2", "环境管理能力", "97", 4.5)]
    chars += [*row("3", "工业用水重复利用率", "81", 5.5), *word("续上表", 0, 7)]
    chars += [*header(8.5), *row("4", "单位工业增加值新鲜水耗", "8.29", 12)]
    chars += [*row("5", "再生水回用率", "10.68", 13)]
    first, second = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    assert [r[0] for r in texts(first.cells)][-1] == "3"
    assert [r[0] for r in texts(second.cells)] == ["序号", "4", "5"]


def test_a_note_under_the_table_above_the_folio_is_no_part_of_the_last_row() -> None:
    # 注：… set close under the last row, narrower than the table (a short line may be a
    # wrapped cell's), and the folio close under the note.
    chars = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("标准值", 200, 0)]
    chars += [*word("2018年", 260, 0, 6), *word("数据来源", 420, 0)]
    rows = [("6", "工业固体废物综合利用率", "94.44"), ("7", "再生资源循环利用率", "97.52")]
    for k, (n, name, v) in enumerate(rows):
        line = 1 + k
        chars += [*word(n, 0, line, 6), *word(name, 40, line), *word("≥70", 200, line, 6)]
        chars += [*word(v, 260, line, 6), *word("园区统计", 420, line)]
    chars += word("注：以上为经济发展与产业共生类指标，其余指标见下表。", 0, 3.2, 9)
    chars += word("第4页", 220, 4.2, 6)  # the folio, centred, at the page's foot
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S, None, 55.0)
    assert texts(table.cells)[-1][0] == "7"


def test_a_header_line_of_year_columns_named_with_their_values_is_no_data_row() -> None:
    # 2015年完成值 | 2016年完成值 (and 标值 of 2018年目 / 标值) on the header's second line:
    # header cells, not a first row of values.
    from extract.read.layout.anchors import first_data_line

    chars = [*word("指标类别", 0, 0), *word("指标名称", 60, 0), *word("标准值", 200, 0)]
    chars += [*word("2018年目", 260, 0, 7), *word("标值", 266, 1), *word("2015年完成值", 320, 1, 7)]
    chars += [*word("2016年完成值", 400, 1, 7), *word("标准要求", 480, 1)]
    for k, v in enumerate(["58.67%", "12.41", "15.65%"]):
        chars += [*word("绿化覆盖率", 60, 2 + k), *word("≥30", 200, 2 + k, 6)]
        chars += [*word(v, 266, 2 + k, 6), *word("61.48", 330, 2 + k, 6), *word("☑", 490, 2 + k)]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    assert first_data_line(lines, list(range(len(lines))), 4.0) == 2


@pytest.mark.parametrize(
    "target", [("202", "1", "年"), ("202", "1年")], ids=["year-word-below", "year-word-beside"]
)
def test_a_year_cut_over_the_lines_of_a_narrow_header_cell_is_no_data_row(
    target: tuple[str, ...],
) -> None:
    # Header cells set a character or two per line in narrow columns, centred on the
    # header: 规划目标（2021年） runs 规 / 划 / 目 / 标 / （ / 202 / 1 / 年 / ）, and its 202 and
    # 1 share lines with 是否为考核指标's 核 / 指 and 评价年（2020年）'s 2020 / 年）. Those
    # lines hold numbers yet are the header's: read down the column, the digits are a year
    # (1 and its 年 on one line too: 201 / 6年 / 目标值).
    chars: list[Char] = []
    for k, ch in enumerate("是否为考核指标"):
        chars += word(ch, 100, 1 + k)
    for k, t in enumerate(["评价", "年", "（", "2020", "年）"]):
        chars += word(t, 200, 2 + k, 6)
    for k, t in enumerate(["规", "划", "目", "标", "（", *target, "）"]):
        chars += word(t, 260, 1 + k, 6)
    chars += [*word("指标", 0, 4), *word("2017", 150, 4, 6), *word("要求", 300, 4)]
    rows = [("人均工业增加值", "38.42", "20.3", "27.75"), ("绿化覆盖率的值", "26.1", "30", "35")]
    rows += [("工业用水重复率", "81", "83.5", "90")]
    for k, (name, *vs) in enumerate(rows):
        line = 11 + 2 * k
        chars += [*word(name, 0, line), *word("是", 100, line), *word("≥15", 300, line, 6)]
        for x, v in zip((150, 200, 260), vs, strict=True):
            chars += word(v, x, line, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0][1] == "是否为考核指标"
    assert got[0][3] == "评价年（2020年）"
    assert got[0][4] == "规划目标（2021年）"
    assert got[1] == ["人均工业增加值", "是", "38.42", "20.3", "27.75", "≥15"]
    assert len(got) == 4


def test_a_first_row_whose_serial_was_not_read_is_no_header() -> None:
    # 序号 | 指标 | 2018年 | 2023年 with row 1's light 一 lost to the scan: the first
    # numbered line reads 2, yet the name and values above it, under the header words,
    # are row 1 — not the header's lower lines (its name's second line is row 1's too).
    chars = [*word("序号", 0, 0), *word("指标", 40, 0), *word("2018年", 260, 0, 6)]
    chars += word("2023年", 320, 0, 6)
    chars += [*word("高新技术企业工业总产值占", 40, 1.5), *word("27.76", 320, 2, 6)]
    chars += word("园区工业总产值比例", 40, 2.5)
    rows = [
        ("2", "人均工业增加值", "53.05", "53.57"),
        ("3", "园区工业增加值增长率", "4.52", "2.53"),
    ]
    for k, (n, name, a, b) in enumerate(rows):
        line = 4 + 1.5 * k
        chars += [*word(n, 0, line, 6), *word(name, 40, line), *word(a, 260, line, 6)]
        chars += word(b, 320, line, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert got[0] == ["序号", "指标", "2018年", "2023年"]
    assert got[1] == ["", "高新技术企业工业总产值占园区工业总产值比例", "", "27.76"]
    assert got[2] == ["2", "人均工业增加值", "53.05", "53.57"]
    assert len(got) == 4


def test_a_names_last_line_set_close_above_a_continued_caption_stays_in_its_row() -> None:
    # No 序号; the last row's name wraps (工业固体废物（含危险废物） / 处置利用率) and 续上表
    # follows right under its second line, then the header again: the lines above the
    # caption end the first part — 处置利用率 is no upper line of the repeated header.
    def header(line: float) -> list[Char]:
        out = [*word("指标名称", 0, line), *word("计量单位", 160, line), *word("标准值", 220, line)]
        return [*out, *word("2017年", 280, line, 6)]

    def row(name: str, v: str, line: float) -> list[Char]:
        return [
            *word(name, 0, line),
            *word("%", 160, line, 6),
            *word("100", 220, line, 6),
            *word(v, 280, line, 6),
        ]

    chars = [*header(0), *row("环境管理能力完善度", "97", 1), *row("绿化覆盖率的值", "96", 2)]
    chars += [*row("园区环境风险防控体系", "98", 3), *word("工业固体废物（含危险废物）", 0, 4)]
    chars += [*word("%", 160, 4.5, 6), *word("100", 220, 4.5, 6), *word("95", 280, 4.5, 6)]
    chars += [*word("处置利用率", 0, 5), *word("续上表", 0, 6.1), *header(7.2)]
    chars += [*row("主要污染物排放弹性", "0.3", 8.2), *row("单位工业增加值碳排", "3.1", 9.2)]
    first, second = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S, None, 400.0)
    assert texts(first.cells)[-1][0] == "工业固体废物（含危险废物）处置利用率"
    assert texts(second.cells)[0][0] == "指标名称"


def test_a_wrapped_chinese_serial_that_lost_its_middle_ten_is_one_serial() -> None:
    # 二 / 十 / 五 set a numeral per line, its 十 lost to the scan: after 二十四, 二 and 五
    # a line apart are 二十五 (one row, its claim 未 / 达 / 标 whole), not rows 2 and 5.
    def row(serial: str, name: str, claim: str, line: float) -> list[Char]:
        out = [*word(name, 40, line + 1), *word("%", 200, line + 1)]
        out += [c for k, d in enumerate(serial) for c in word(d, 4, line + k, 6) if d != " "]
        return out + [c for k, d in enumerate(claim) for c in word(d, 260, line + k, 8)]

    chars = [*word("序号", 0, 0), *word("指标名称", 40, 0), *word("单位", 200, 0)]
    chars += word("达标情况", 260, 0)
    chars += row("二十三", "单位增加值排放", "达标", 1.5)
    chars += row("二十四", "固体废物处置", "达标", 5.5)
    chars += row("二 五", "排放弹性系数", "未达标", 9.5)
    chars += row("二十六", "单位碳排放量", "达标", 13.5)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    assert [r[0] for r in got[1:]] == ["二十三", "二十四", "二五", "二十六"]
    assert got[3][3] == "未达标"


def test_a_continued_rows_first_line_with_two_cells_set_close_is_reached() -> None:
    # Overleaf, a row's first line sets its 序号 and category closer than a column gap
    # (十资源 | 单位工业增加值新鲜水耗, too little blank to look tabular), its values half
    # a line lower: the line is the row's (its cells part at the carried columns'
    # boundary), not a running header's; its name was lost.
    def row(
        serial: str, cat: str, name: str, v: str, line: float, cat_x: float = 14, **kw: float
    ) -> list[Char]:
        out = [*word(serial[0], 0, line, kw.get("serial_w", 6)), *word(cat[:2], cat_x, line, 8)]
        out += [*word(serial[1:], 0, line + 1, 6), *word(cat[2:], cat_x, line + 1, 8)]
        out += word(name, kw.get("name_x", 50), line)
        return [*out, *word(v, 260, line + kw.get("drop", 0), 6)]

    head = [*word("序号", 0, 0, 6), *word("类别", 20, 0, 8), *word("指标名称", 50, 0)]
    first = [*head, *word("2019年", 260, 0, 6)]
    for k, (n, name) in enumerate((("十一", "人均工业增加值"), ("十二", "绿化覆盖率值"))):
        first += row(n, "资源节约", name, f"{k}.5", 1.5 + 2.5 * k)
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 120.0)
    second = word("成都北部化工园区国家生态工业示范园区建设年度评价报告", 0, -1.5, 5)
    name = "单位工业增加值新鲜水耗"
    second += row("十四", "资源节约", name, "5.21", 1, 12, drop=0.5, serial_w=9, name_x=40)
    second += row("十五", "资源节约", "工业用水重复", "90.65", 3.5)
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 120.0)
    got = texts(t2.cells)
    assert got[0][2:] == [name, "5.21"]


def test_a_speck_after_a_wrapped_serials_last_digit_keeps_it_one_serial() -> None:
    # 序号 wrapped a digit per line in a narrow column; a speck after row 25's 5 reads as
    # its point (2 / 5.): still 25, and the rows after it stay 26, 27 (not 5, then 2 / 6
    # read as a new row 2 and a 6, every row below shifted).
    header = _serial_header

    def row(serial: str, name: str, value: str, line: float) -> list[Char]:
        return _serial_row(serial.split("/"), name, value, line, digit_w=5)

    first = header()
    for k, (n, name) in enumerate([("21", "人均工业增加值"), ("22", "绿化覆盖率值")]):
        first += row(n, name, f"{k}.5", 1.5 + 2.5 * k)
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 120.0)
    rows = [("2/3", "单位工业增加值"), ("2/4", "园区环境风险防控"), ("2/5.", "主要污染物排放")]
    rows += [("2/6", "二氧化碳削减率"), ("2/7", "废水排放量指标")]
    second = header()
    for k, (n, name) in enumerate(rows):
        second += row(n, name, f"{k}.5", 1.5 + 2.5 * k)
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 120.0)
    got = texts(t2.cells)
    assert [r[0] for r in got[1:]] == ["23", "24", "25.", "26", "27"]
    assert [r[1] for r in got[1:]] == [name for _, name in rows]


def _box(text: str, x0: float, top: float, height: float = 10.0, w: float = 10.0) -> list[Char]:
    return [Char(t, x0 + i * w, top, x0 + (i + 1) * w, top + height) for i, t in enumerate(text)]


def test_a_claim_header_set_a_glyph_per_line_keeps_its_last_glyph_over_stacked_cells() -> None:
    # 达 / 标 / 情 / 况 over claim cells of a glyph per line at the same pitch (未 / 达 / 标
    # centred on row 1, 达 / 标 on row 2), boxed as OCR boxes glyphs (taller than their
    # pitch): no blank parts the header from row 1 or row 1 from row 2. 况 + 未达标 + row
    # 2's 达 sits as far above row 1's centre as below it, but reaches past row 2's centre.
    tops = [172, 183, 193, 203, 216, 229.5, 241, 253, 265]
    chars = [*_box("序号", 0, 190), *_box("指标名称", 40, 190), *_box("要求", 200, 190)]
    for g, t in zip("达标情况未达标达标", tops, strict=True):
        chars += _box(g, 300, t, 15.0, 12.0)
    for n, (a, b) in enumerate([(230.7, 240.3), (259.7, 270.4)], start=1):
        chars += [*_box(str(n), 0, a, b - a, 6), *_box("绿化覆盖率", 40, a, b - a)]
        chars += _box("≥15", 200, a, b - a, 6)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    assert [row[3] for row in texts(table.cells)] == ["达标情况", "未达标", "达标"]


def test_a_category_in_spaced_glyphs_overleaf_stays_in_the_carried_column() -> None:
    # Page 1's 类别 column holds 资源节约 set solid; overleaf, a part of two rows prints
    # its category 公  开 in glyphs spaced wider than a column gap: one carried column.
    def row(n: int, cat: str, name: str, line: float) -> list[Char]:
        out = [*word(str(n), 0, line, 6), *word(cat, 30, line), *word(name, 100, line)]
        return [*out, *word("%", 260, line, 6), *word("100", 320, line, 6)]

    first = [*word("序号", 0, 0), *word("类别", 30, 0), *word("指标名称", 100, 0)]
    first += [*word("单位", 260, 0), *word("要求", 320, 0)]
    for k, n in enumerate(range(27, 31)):
        first += row(n, "资源节约", f"指标名称{n}", 1.5 + 1.5 * k)
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 120.0)
    second = [*row(31, "", "生态工业信息平台", 0), *word("公", 30, 0), *word("开", 60, 0)]
    second += row(32, "", "生态工业宣传活动", 1.5)
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 120.0)
    assert [r[:3] for r in texts(t2.cells)] == [
        ["31", "公开", "生态工业信息平台"],
        ["32", "", "生态工业宣传活动"],
    ]


def test_a_header_glyph_over_a_stacked_value_stays_the_headers_where_the_value_centres_closer() -> (
    None
):
    from extract.read.layout.borderless import _column_head_limit

    # 目 / 标 / 值 set a glyph per line in a narrow column over 6.3 / 3 (6.33 wrapped),
    # centred on row 1's two-line 序号 (1 / 2): 值 + 6.3 + 3 passes as centred on the row
    # too, but 6.3 / 3 alone sits closer to its centre.
    spans = [(227.4, 237.7), (240.7, 252.1), (255.9, 266.6), (271.6, 282.3), (286.0, 296.3)]
    col = [
        Piece((Char(t, 300.0, a, 310.0, b),), a, b)
        for t, (a, b) in zip(["目", "标", "值", "6.3", "3"], spans, strict=True)
    ]
    got = _column_head_limit(col, Anchor(272.2, 289.7), 11.7, 270.4, 246.4, "", 338.7)
    zhi, value = col[2], col[3]
    assert (zhi.top + zhi.bottom) / 2 < got <= (value.top + value.bottom) / 2


def test_a_header_whose_every_cell_wraps_is_told_from_the_rows_it_names() -> None:
    # 指标类 / 别, 序 / 号, 2019年完 / 成值, 达到 / 标准, 数据 / 来源: no line of the
    # header is covered enough by header words to be one, together they name 指标, 要求
    # and 单位; row 1 must not take the header's lines into its cells.
    chars = [
        *word("指标类", 0, 0),
        *word("序", 40, 0),
        *word("达到", 380, 0),
        *word("数据", 420, 0),
    ]
    chars += [*word("别", 0, 1), *word("号", 40, 1), *word("指标", 60, 1), *word("要求", 200, 1)]
    chars += [*word("计量单位", 250, 1, 8), *word("2019年完", 320, 1, 6)]
    chars += [*word("标准", 380, 1), *word("来源", 420, 1), *word("成值", 320, 2)]
    for k, name in enumerate(["人均工业增加值", "工业用水重复利用率", "绿化覆盖率"]):
        line = 3.5 + 1.5 * k
        chars += [*word(str(k + 1), 40, line, 6), *word(name, 60, line)]
        chars += [*word("≥15", 200, line, 6), *word("%", 250, line, 6)]
        chars += [*word(f"2{k}.18", 320, line, 6), *word("√", 380, line, 6)]
        chars += word("统计", 420, line)
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    rows = texts(table.cells)
    serials = [r[1] for r in rows]
    assert serials[-3:] == ["1", "2", "3"]
    assert "序号" in serials[0] and "指标" not in "".join(rows[1])


def test_wrapped_requirements_short_last_lines_overleaf_stay_in_the_requirement_column() -> None:
    # Page 1's 要求 column holds centred one-line cells (≥15). Overleaf two requirements
    # wrap left-aligned, wider than the column, and end in a short line (≤0.6) that
    # stops before the column's one-line cells begin: no column of their own.
    def row(n: int, name: str, req: str, line: float) -> list[Char]:
        out = [*word(str(n), 0, line, 6), *word(name, 30, line), *word(req, 172, line, 6)]
        return [*out, *word("%", 222, line, 6), *word(f"{n}.5", 280, line, 6)]

    first = [*word("序号", 0, 0), *word("指标名称", 30, 0), *word("要求", 170, 0)]
    first += [*word("单位", 220, 0), *word("2019年", 280, 0, 6)]
    for k in range(4):
        first += row(k + 1, f"指标名称{k + 1}", "≥15", 1.5 + 1.5 * k)
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 120.0)
    second = [*row(5, "工业用水重复利用率", "≥75", 0), *row(6, "绿化覆盖率", "≥15", 1.5)]
    for k, n in enumerate((7, 8)):
        top = 3 + 7 * k
        for j, sign in enumerate("><"):
            second += word("当园区工业增加值建", 130, top + 3 * j, 8)
            second += word(f"设期年均增长率{sign}0,", 130, top + 3 * j + 1, 8)
            second += word("≤0.6" if j == 0 else "≥0.6", 133, top + 3 * j + 2, 6)
        # (the row's one-line cells centred on its six lines of requirement)
        second += [*word(str(n), 0, top + 2.5, 6), *word(f"弹性系数{n}", 30, top + 2.5)]
        second += [*word("—", 222, top + 2.5, 6), *word("0.27", 280, top + 2.5, 6)]
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 120.0)
    assert len(t2.col_bounds) == len(t1.col_bounds)
    rows = texts(t2.cells)
    assert [r[0] for r in rows] == ["5", "6", "7", "8"]
    assert (
        rows[2][2]
        == "当园区工业增加值建设期年均增长率>0,≤0.6当园区工业增加值建设期年均增长率<0,≥0.6"
    )


def test_a_group_header_over_two_narrow_value_columns_is_no_column_of_its_own() -> None:
    # 指标值 (%) centred over 2016年（基准年）| 评价年（2020年）, whose values (1, 100)
    # are far narrower than their headers: the group header sits in the free space
    # between the two value columns and must not part them with a column of its own.
    chars = [*word("指标值(%)", 330, 0, 7)]
    chars += [*word("序号", 0, 1), *word("指标", 40, 1), *word("考核要求", 160, 1)]
    chars += [*word("2016年（基准年）", 265, 1, 7), *word("评价年（2020年）", 350, 1, 7)]
    names = ["环境管理能力完善度", "工业园区重点企业清洁生产审核实施率", "污水集中处理设施"]
    values = zip(names, ["99", "96", "1"], ["100", "98", "0"], strict=True)
    for k, (name, a, b) in enumerate(values):
        line = 2.5 + 1.5 * k
        chars += [*word(str(k + 1), 0, line, 6), *word(name, 40, line, 6)]
        chars += [*word("100", 175, line, 6), *word(a, 300, line, 6), *word(b, 390, line, 6)]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    rows = texts(table.cells)
    assert len(table.col_bounds) == 5
    assert [r[3:] for r in rows[-3:]] == [["99", "100"], ["96", "98"], ["1", "0"]]


def test_three_rows_values_set_solid_are_not_joined_into_one_number() -> None:
    # 100 / 100 / 10.07 in one column, three rows set solid, the outer two centred a
    # hair inside the rows next to the middle one: joined they would read 10010010.07
    # and sit on row 2. A number wraps where its column is full, so no line of it is
    # narrower than the line under it by a glyph: three cells.
    def piece(text: str, top: float, bottom: float, right: float = 331.0) -> Piece:
        w = 5.5
        x0 = right - w * len(text)
        chars = tuple(
            Char(t, x0 + i * w, top, x0 + (i + 1) * w, bottom) for i, t in enumerate(text)
        )
        return Piece(chars, top, bottom)

    pieces = [piece("100", 65.1, 75.3), piece("100", 79.0, 89.3), piece("10.07", 93.4, 103.3)]
    anchors = [Anchor(65.4, 74.6), Anchor(79.2, 89.3), Anchor(93.4, 103.5)]
    _, per_row, _ = place_column(pieces, anchors, "centre", 10.6, -float("inf"), values=True)
    assert [["".join(c.text for c in p.chars) for p in row] for row in per_row] == [
        ["100"],
        ["100"],
        ["10.07"],
    ]


def test_a_minus_wrapped_over_its_number_stays_one_value() -> None:
    from extract.read.layout.rows import _one_value

    def piece(text: str, top: float, x0: float = 300.0) -> Piece:
        chars = tuple(
            Char(t, x0 + i * 5.5, top, x0 + (i + 1) * 5.5, top + 10) for i, t in enumerate(text)
        )
        return Piece(chars, top, top + 10)

    assert _one_value([piece("−", 100.0), piece("0.46", 111.0)])
    assert _one_value([piece("1517", 100.0), piece("76.3", 111.0)])
    assert not _one_value([piece("100", 100.0), piece("10.07", 111.0)])


def test_a_serial_set_close_right_of_a_sparse_category_still_anchors_its_row() -> None:
    # 序号 | 指标名称 | years, and a category column too sparse to be a column of its own
    # (环境保 / 护 once, set close left of 16): 16 still starts its row, not read as 环境保16
    # and its row merged into the one above.
    chars = [*word("序号", 98, 0, 6), *word("指标名称", 118, 0), *word("2018年", 300, 0, 6)]
    chars += word("2019年", 350, 0, 6)
    names = ["绿化覆盖率", "再生水回用率", "环境管理能力", "污染源稳定排放情况", "工业用水重复率"]
    for k, name in enumerate(names):
        line = 1 + 1.5 * k
        chars += [*word(str(14 + k), 98, line, 6), *word(name, 118, line)]
        chars += [*word(f"{20 + k}.5", 300, line, 6), *word(f"{30 + k}.5", 350, line, 6)]
    chars += [*word("环境保", 62, 4), *word("护", 72, 4.6)]
    (table,) = find_stream_tables(make_lines(chars, 0.5, 0.5, 1.0), S)
    got = texts(table.cells)
    rows = {r[1]: r for r in got[1:]}
    assert list(rows) == names
    assert rows["环境管理能力"][-2:] == ["22.5", "32.5"]


def test_a_last_row_overleaf_beside_a_category_set_a_glyph_a_line_is_one_row() -> None:
    # No 序号; the table's last row went overleaf beside its category set vertically (信 /
    # 息 / 公 / 开, a glyph a line): one row of values is a row, not each glyph of the
    # category a row of its own splitting the name from its unit and its values.
    def row(cat: str, name: str, line: float) -> list[Char]:
        out = [*word(cat, 0, line), *word(name, 40, line), *word("≥2", 180, line, 6)]
        return [*out, *word("3", 240, line, 6), *word("4", 300, line, 6)]

    first = [*word("分类", 0, 0), *word("指标名称", 40, 0), *word("指标要求", 180, 0)]
    first += [*word("2018年", 240, 0, 6), *word("2019年", 300, 0, 6)]
    first += [*row("环境", "绿化覆盖率", 1), *row("", "环境管理能力", 2), *row("", "工业用水", 3)]
    (t1,) = find_stream_tables(make_lines(first, 0.5, 0.5, 1.0), S, None, 60.0)
    second = [*word("信", 2, 0), *word("息", 2, 1.3), *word("生态工业主题宣传活动", 40, 1.3)]
    second += [*word("≥2", 180, 1.8, 6), *word("3", 240, 1.8, 6), *word("4", 300, 1.8, 6)]
    second += [*word("公", 2, 2.4), *word("（次/年）", 40, 2.4), *word("开", 2, 3.6)]
    (t2,) = find_stream_tables(make_lines(second, 0.5, 0.5, 1.0), S, t1, 200.0)
    got = texts(t2.cells)
    named = [r[1:] for r in got if r[1]]
    assert named == [["生态工业主题宣传活动（次/年）", "≥2", "3", "4"]]
