"""Unit tests of the PDF reader's geometry and text helpers on plain tuples, plus the
reader's handling of bad input on tiny hand-written PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.errors import ReadError
from extract.read.layout.borderless import find_stream_tables
from extract.read.layout.chunks import chunks
from extract.read.layout.columns import column_bounds
from extract.read.layout.geom import (
    Char,
    PageFrame,
    Ruling,
    box_to_display,
    cluster_values,
    covered_length,
    free_bands,
    merge_intervals,
    to_display,
)
from extract.read.layout.lines import (
    dedupe_chars,
    group_lines,
    is_page_number,
    join_line,
    make_lines,
    repeated_margin_texts,
)
from extract.read.layout.settings import PdfSettings
from extract.read.layout.triage import format_pages, is_garbage, keyword_hits
from extract.read.pdf.pdfium import rulings_from_polygon, thin_box_ruling
from extract.read.pdf.reader import read_pdf
from extract.read.pdf.ruled import assign_chars, build_grid, connected_groups, snap_and_join
from extract.source import CHECKED, UNCHECKED

S = PdfSettings()


def ch(text: str, x0: float, top: float, w: float = 10.0, h: float = 10.0) -> Char:
    return Char(text, x0, top, x0 + w, top + h)


def word(text: str, x0: float, top: float, w: float = 10.0) -> list[Char]:
    return [ch(t, x0 + i * w, top, w) for i, t in enumerate(text)]


# --- display space ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rotation", "point", "expected"),
    [
        (0, (10, 20), (10, 180)),  # y flips: origin moves to the top-left
        (90, (10, 20), (20, 10)),  # bottom-left corner lands top-left
        (180, (10, 20), (90, 20)),
        (270, (10, 20), (180, 90)),  # bottom-left corner lands bottom-right
    ],
)
def test_to_display_rotations(
    rotation: int, point: tuple[float, float], expected: tuple[float, float]
) -> None:
    frame = PageFrame(0, 0, 100, 200, rotation)
    assert to_display(frame, *point) == pytest.approx(expected)


def test_display_size_swaps_for_quarter_turns() -> None:
    assert PageFrame(0, 0, 100, 200, 90).size == (200, 100)
    assert PageFrame(0, 0, 100, 200, 180).size == (100, 200)


def test_crop_box_offset_and_box_order() -> None:
    frame = PageFrame(50, 50, 150, 250, 0)
    assert box_to_display(frame, 60, 60, 70, 80) == pytest.approx((10, 170, 20, 190))


# --- 1-D helpers -----------------------------------------------------------------------


def test_cluster_values_single_linkage() -> None:
    assert cluster_values([10, 1, 2, 11, 30], 1.5) == [[1, 2], [10, 11], [30]]


def test_merge_intervals_bridges_small_gaps() -> None:
    assert merge_intervals([(5, 6), (0, 2), (2.5, 4)], 0.8) == [(0, 4), (5, 6)]
    assert merge_intervals([(0, 2), (2.5, 4)], 0.0) == [(0, 2), (2.5, 4)]


def test_covered_length_and_free_bands() -> None:
    spans = [(0.0, 2.0), (5.0, 6.0)]
    assert covered_length(spans, 1, 5.5) == pytest.approx(1.5)
    assert free_bands(merge_intervals([(0, 2), (1, 3), (5, 6)], 0), 0, 10) == [(3, 5), (6, 10)]
    assert free_bands([(0, 2), (5, 6)], 5.5, 10) == [(6, 10)]
    assert free_bands([(0, 10)], 2, 8) == []


# --- rulings and grids -----------------------------------------------------------------


def test_thin_filled_rect_is_one_ruling() -> None:
    pts = [(0, 10), (100, 10), (100, 10.5), (0, 10.5)]
    assert rulings_from_polygon(pts, filled=True, stroked=False, max_thickness=3) == [
        Ruling(False, 10.25, 0, 100)
    ]


def test_stroked_rect_gives_four_edges() -> None:
    pts = [(0, 0), (50, 0), (50, 20), (0, 20), (0, 0)]
    out = rulings_from_polygon(pts, filled=False, stroked=True, max_thickness=3)
    assert sorted(out) == sorted(
        [
            Ruling(False, 0, 0, 50),
            Ruling(True, 50, 0, 20),
            Ruling(False, 20, 0, 50),
            Ruling(True, 0, 0, 20),
        ]
    )


def test_diagonal_segments_are_no_rulings() -> None:
    assert rulings_from_polygon([(0, 0), (10, 10)], False, True, 3) == []


def test_snap_and_join_merges_per_cell_borders() -> None:
    pieces = [Ruling(False, 100.0, 0, 50), Ruling(False, 101.0, 51, 100), Ruling(False, 200, 0, 1)]
    assert snap_and_join(pieces, S) == [Ruling(False, 100.5, 0, 100)]


def grid_rulings(xs: list[float], ys: list[float]) -> list[Ruling]:
    hs = [Ruling(False, y, xs[0], xs[-1]) for y in ys]
    vs = [Ruling(True, x, ys[0], ys[-1]) for x in xs]
    return hs + vs


def test_connected_groups_separates_tables() -> None:
    a = grid_rulings([0, 10, 20], [0, 10, 20])
    b = grid_rulings([0, 10, 20], [100, 110, 120])
    groups = connected_groups(a + b, 3.0)
    assert len(groups) == 2


def test_grid_with_rowspan_puts_text_in_top_row() -> None:
    # 3 columns x 3 rows; the first column's middle ruling is missing from row 1 to
    # row 2, so (1, 0) and (2, 0) are one merged cell like a 分类 cell.
    xs, ys = [0.0, 40.0, 60.0, 100.0], [0.0, 20.0, 40.0, 60.0]
    hs = [Ruling(False, 0, 0, 100), Ruling(False, 20, 0, 100), Ruling(False, 60, 0, 100)]
    hs.append(Ruling(False, 40, 40, 100))  # not across column 0
    vs = [Ruling(True, x, 0, 60) for x in xs]
    grid = build_grid(hs, vs, S)
    assert grid is not None
    assert grid.xs == tuple(xs) and grid.ys == tuple(ys)
    assert grid.owner[2][0] == (1, 0)
    assert grid.owner[2][1] == (2, 1)
    assert grid.cell_box(1, 0) == (0, 20, 40, 60)
    inside, outside = assign_chars(grid, [ch("经", 5, 45), ch("x", 200, 5)])
    assert [c.text for c in inside[(1, 0)]] == ["经"]
    assert [c.text for c in outside] == ["x"]


def test_a_glyph_run_past_its_cells_rule_stays_in_the_cell() -> None:
    # 能耗（吨标煤/万元） set without wrap: the closing ） crosses the rule at x = 100 and
    # touches 元; the next cell's ≤0.5 keeps its padding off the rule.
    hs = [Ruling(False, y, 0, 200) for y in (0, 20)]
    vs = [Ruling(True, x, 0, 20) for x in (0, 100, 200)]
    grid = build_grid(hs, vs, S)
    assert grid is not None
    name = [*word("万元", 78, 5), ch("）", 98, 5)]  # its centre at 103, over the rule
    inside, _ = assign_chars(grid, [*name, *word("≤0.5", 112, 5, 6)])
    assert "".join(c.text for c in inside[(0, 0)]) == "万元）"
    assert "".join(c.text for c in inside[(0, 1)]) == "≤0.5"


def test_grid_without_side_borders_uses_ruling_ends() -> None:
    hs = [Ruling(False, y, 0, 100) for y in (0, 20, 40)]
    vs = [Ruling(True, 50, 0, 40)]
    grid = build_grid(hs, vs, S)
    assert grid is not None and grid.xs == (0, 50, 100)


def test_too_small_ruling_set_is_no_grid() -> None:
    assert (
        build_grid([Ruling(False, 0, 0, 10), Ruling(False, 10, 0, 10)], [Ruling(True, 0, 0, 10)], S)
        is None
    )


# --- text lines ------------------------------------------------------------------------


def test_group_lines_keeps_superscript_and_splits_lines() -> None:
    line1 = word("利用率", 0, 0)
    sup = Char("a", 30, -2, 34, 4)  # raised, smaller, overlapping the line
    line2 = word("吨", 0, 14)
    lines = group_lines([*line2, sup, *line1], 0.5)
    assert [sorted(c.text for c in ln) for ln in lines] == [sorted("利用率a"), ["吨"]]


def test_a_glyph_with_a_shorter_box_stays_on_its_words_line() -> None:
    # A row's values set between a name's two lines overlap each by about half; the
    # first glyph of the second line (生, a box a little shorter than its neighbours')
    # overlaps the values' line by the ratio, its own line's tallest glyph by less.
    first = [Char(t, 120 + 10 * k, 209.8, 130 + 10 * k, 220.3) for k, t in enumerate("建设规划")]
    values = [Char("≥", 280, 216.5, 287, 227.0), Char("6", 291, 216.5, 297, 228.5)]
    second = [Char("生", 120, 223.7, 130, 232.9)]
    second += [Char(t, 130 + 10 * k, 223.3, 140 + 10 * k, 233.8) for k, t in enumerate("态工业链")]
    lines = group_lines([*first, *values, *second], 0.5)
    assert ["".join(sorted(c.text for c in ln)) for ln in lines] == [
        "".join(sorted("建设规划")),
        "".join(sorted("≥6")),
        "".join(sorted("生态工业链")),
    ]


def test_join_line_spaces_from_gaps_only() -> None:
    chars = [*word("661", 0, 0, 5), *word("亿元", 21, 0)]
    assert join_line(chars, 0.5) == "661 亿元"
    assert join_line(word("生产总值", 0, 0), 0.5) == "生产总值"
    spaced = [ch("a", 0, 0), ch(" ", 10, 0), ch("b", 13, 0)]
    assert join_line(spaced, 0.5) == "a b"


def test_dedupe_fake_bold() -> None:
    bold = sorted([*word("附件", 0, 0), *word("附件", 0.4, 0.2)], key=lambda c: c.x0)
    assert "".join(c.text for c in dedupe_chars(bold, 1.0)) == "附件"
    assert "".join(c.text for c in dedupe_chars(word("11", 0, 0), 1.0)) == "11"


def test_checkbox_glyphs_become_shared_marks_in_place() -> None:
    chars = [*word("国家级", 0, 0), ch("\uf052", 36, 0), *word("省级", 52, 0), ch("\uf0a3", 78, 0)]
    (line,) = make_lines(chars, 0.5, 0.5, 1.0)
    assert line.text == f"国家级 {CHECKED} 省级 {UNCHECKED}"
    (line,) = make_lines([*word("是", 0, 0), ch("■", 10, 0), ch("□", 30, 0)], 0.5, 0.5, 1.0)
    assert line.text == f"是{CHECKED} {UNCHECKED}"


@pytest.mark.parametrize("text", ["3", "- 3 -", "第 3 页", "3 / 15", "第3页 共15页", "iv"])
def test_page_numbers(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2018 年", "3. 坚持高质量发展", "661 亿元"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def test_repeated_margin_texts_masks_digits() -> None:
    pages = [["XX园区2018年报告", "一", "正文", "二", f"第{i}页"] for i in range(1, 5)]
    pages.append(["封面"])
    found = repeated_margin_texts(pages, 2, 0.5)
    assert "XX园区#年报告" in found and "第#页" in found and "正文" not in found


# --- borderless helpers ----------------------------------------------------------------


def test_chunks_split_at_column_gaps() -> None:
    line = [*word("序号", 0, 0), *word("指标", 40, 0)]
    assert ["".join(c.text for c in k) for k in chunks(line, 6.0)] == ["序号", "指标"]


def test_column_bounds_projection() -> None:
    chars = [
        *word("1", 0, 0),
        *word("人均", 30, 0),
        *word("12", 0, 20),
        *word("绿化覆盖率", 30, 20),
    ]
    assert column_bounds([(c.x0, c.x1) for c in chars], 6.0) == [(0, 20), (30, 80)]


# --- triage and settings ---------------------------------------------------------------


def test_triage_helpers() -> None:
    assert keyword_hits("分类 序号 指 标 单位 要 求") >= 3
    assert keyword_hits("全区地区生产总值完成 661 亿元") == 0
    assert is_garbage(100, 40, 0.3) and not is_garbage(100, 5, 0.3) and not is_garbage(0, 0, 0.3)
    assert format_pages([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"


def test_settings_reject_unknown_keys() -> None:
    assert PdfSettings.from_mapping({"snap_tolerance": 2.0}).snap_tolerance == 2.0
    with pytest.raises(ValueError, match="snap_tolerence"):
        PdfSettings.from_mapping({"snap_tolerence": 2.0})


# --- bad input -------------------------------------------------------------------------


def minimal_pdf(encrypt: bool = False) -> bytes:
    """A one-page blank PDF; with ``encrypt`` a Standard security handler whose user
    password is not empty (the /U entry matches no password we know)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    if encrypt:
        objs.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <"
            + b"11" * 32
            + b"> /U <"
            + b"22" * 32
            + b"> /P -4 >>"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if encrypt:
        trailer += b" /Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">]"
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(minimal_pdf(encrypt=True))
    with pytest.raises(ReadError, match="encrypted: a password is needed"):
        read_pdf(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello, this is no PDF\n" * 20, "not a PDF"),
        (b"", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "damaged or truncated"),
    ],
)
def test_unreadable_files(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(ReadError, match=message):
        read_pdf(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read file"):
        read_pdf(tmp_path / "nope.pdf")


def test_blank_page_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(minimal_pdf())
    doc = read_pdf(path)
    assert doc.pages == 1 and doc.lines == [] and doc.tables == []
    assert doc.kind == "pdf"
    assert doc.warnings and doc.warnings[0].startswith("pages 1:")


def test_thin_box_ruling() -> None:
    assert thin_box_ruling((0, 10, 100, 11), 3) == Ruling(False, 10.5, 0, 100)
    assert thin_box_ruling((5, 0, 6, 50), 3) == Ruling(True, 5.5, 0, 50)
    assert thin_box_ruling((0, 0, 50, 50), 3) is None
    assert thin_box_ruling((0, 0, 1, 1), 3) is None  # a dot is no line


def test_borderless_table_rows_follow_the_number_column() -> None:
    # 序号 | 指标 | 2018年, with row 2's label wrapped over two lines around its number.
    chars = [
        *word("序号", 0, 0),
        *word("指标", 40, 0),
        *word("2018年", 200, 0, 6),
        *word("1", 0, 20, 6),
        *word("人均工业增加值", 40, 20),
        *word("39.01", 200, 20, 6),
        *word("单位工业用地面积", 40, 40),
        *word("2", 0, 50, 6),
        *word("32.47", 200, 50, 6),
        *word("工业增加值", 40, 60),
        *word("3", 0, 80, 6),
        *word("绿化覆盖率", 40, 80),
        *word("26.28", 200, 80, 6),
    ]
    lines = make_lines(chars, 0.5, 0.5, 1.0)
    (table,) = find_stream_tables(lines, S)
    texts = [["".join(c.text for c in cell) for cell in row] for row in table.cells]
    assert [row[0] for row in texts] == ["序号", "1", "2", "3"]
    assert texts[2] == ["2", "单位工业用地面积工业增加值", "32.47"]
    assert table.key == 0
    assert table.line_ids == frozenset(range(len(lines)))


def test_borderless_block_starts_at_header_not_caption() -> None:
    caption = [*word("园区名称：某园区", 0, -30), *word("填报时间：2019年", 150, -30)]
    rows = [*word("序号", 0, 0), *word("指标", 40, 0), *word("要求", 200, 0), *word("单位", 240, 0)]
    for k in range(1, 4):
        rows += [
            *word(str(k), 0, 20 * k, 6),
            *word("指标名称", 40, 20 * k),
            *word("≥30", 200, 20 * k, 6),
        ]
    lines = make_lines([*caption, *rows], 0.5, 0.5, 1.0)
    (table,) = find_stream_tables(lines, S)
    assert 0 not in table.line_ids  # the caption line stays narrative
    assert len(table.cells) == 4
