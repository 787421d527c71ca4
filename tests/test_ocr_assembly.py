"""OCR row and cell assembly: failure classes found on the randomised scans (issue 13).

Each test holds one class: a borderless table's wrapped 序号 on glyph bands, full-width
brackets in ink-fitted boxes, 二 seen as two strokes, a lone 一 in a Chinese-numeral 序号
column, spaces beside a decimal point. No OCR engine runs here: the inputs are drawn, or
the visual lines the reader made of one scanned page (tests/data).
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from extract.read.layout.borderless import find_stream_tables
from extract.read.layout.geom import Char
from extract.read.layout.lines import TextLine, join_line, make_lines
from extract.read.layout.settings import PdfSettings
from extract.read.ocr.glyphs import fit_to_ink, missed_ink, stack_strokes
from extract.read.ocr.reader import (
    TEXT_BOX_GROW,
    cell_reading,
    close_spaced_points,
    numeral_ones,
    text_line,
)
from extract.source import Cell

DATA = Path(__file__).resolve().parent / "data"


def _lines(name: str) -> list[TextLine]:
    raw = json.loads((DATA / name).read_text("utf-8"))["lines"]
    out = []
    for chars in raw:
        cs = tuple(Char(t, x0, top, x1, bottom) for t, x0, top, x1, bottom in chars)
        ink = [c for c in cs if not c.text.isspace()]
        box = (
            min(c.x0 for c in ink),
            min(c.top for c in ink),
            max(c.x1 for c in ink),
            max(c.bottom for c in ink),
        )
        out.append(TextLine(cs, join_line(cs, 0.5 / 0.6), box))
    return out


def _rows(lines: list[TextLine]) -> list[list[str]]:
    ps = PdfSettings()
    (table,) = find_stream_tables(lines, ps, None, 842.0)
    return [
        ["".join(ln.text for ln in make_lines(list(cs), 0.5, 0.5, 1.0)) for cs in row]
        for row in table.cells
    ]


def test_wrapped_serials_stay_one_row_on_glyph_bands() -> None:
    """序号 11, 12, 13 printed over two lines (1 / 1): on OCR's short glyph bands the two
    digits lie further apart than a text layer's glyph boxes and became two rows, the
    values of 绿化覆盖率 landing in neither. Grown to a text layer's height they are one
    row with the row's values."""
    rows = _rows([text_line(ln) for ln in _lines("ocr_lines_wrapped_serials.json")])
    serials = [r[0] for r in rows]
    for n in ("11", "12", "13"):
        assert n in serials, serials
    by_serial = {r[0]: r for r in rows}
    assert "8.44" in by_serial["11"]  # 单位工业增加值废水排放量, evaluation year
    assert "0.298" in by_serial["12"]
    green = by_serial["13"]
    assert "42.66" in green and any("绿化覆盖率" in c for c in green)


def test_text_line_grows_glyphs_about_their_middle() -> None:
    line = TextLine(
        (Char("1", 10.0, 100.0, 14.0, 108.0), Char(" ", 14.0, 100.0, 20.0, 108.0)),
        "1",
        (10.0, 100.0, 14.0, 108.0),
    )
    grown = text_line(line)
    c = grown.chars[0]
    assert (c.top + c.bottom) / 2 == pytest.approx(104.0)
    assert c.bottom - c.top == pytest.approx(8.0 * TEXT_BOX_GROW)
    assert grown.bbox[1] == pytest.approx(c.top) and grown.bbox[3] == pytest.approx(c.bottom)
    assert grown.text == "1" and (grown.bbox[0], grown.bbox[2]) == (10.0, 14.0)


def test_full_width_bracket_keeps_its_em() -> None:
    """（一）经济发展: the closing bracket's ink sits at the left of its em; shrunk to the ink
    it left a blank before 经 as wide as a column gap, and the group row split into a
    序号 （一） and a name 经济发展."""
    k = 200 / 72
    binary = np.zeros((80, 400), np.uint8)
    em = 10.0  # points
    glyphs = ["（", "一", "）", "经", "济"]
    line = []
    for i, t in enumerate(glyphs):
        x0 = 10 + i * em
        line.append((Char(t, x0, 10.0, x0 + em, 20.0), 0.99))
        # ink: brackets hug the side of their em nearest the enclosed text
        a, b = {"（": (0.6, 0.9), "）": (0.1, 0.4)}.get(t, (0.1, 0.9))
        cv2.rectangle(
            binary,
            (int((x0 + a * em) * k), int(11 * k)),
            (int((x0 + b * em) * k), int(19 * k)),
            255,
            -1,
        )
    fitted = fit_to_ink([line], binary, k)
    close = next(c for c in fitted if c.text == "）")
    jing = next(c for c in fitted if c.text == "经")
    assert (close.x0, close.x1) == (30.0, 40.0)  # the recognised em, not the ink
    gap = jing.x0 - close.x1
    assert gap < PdfSettings().stream_min_col_gap  # no column gap inside the group title
    # Other glyphs are still fitted to their ink.
    assert jing.x0 == pytest.approx(40 + 0.1 * em, abs=0.5)


def test_stacked_strokes_of_er_are_one_blob() -> None:
    """二 is two flat strokes with paper between them; read one by one they were 一 over
    一 (a two-line 序号 no one printed). A dash in each of two rows stays two."""
    assert stack_strokes([(10, 10, 40, 13), (12, 22, 38, 25)], 30.0) == [(10, 10, 40, 25)]
    two_dashes = [(10, 10, 40, 13), (10, 50, 40, 53)]
    assert sorted(stack_strokes(two_dashes, 30.0)) == two_dashes
    tall = [(100, 10, 110, 40)]  # a glyph, not a stroke
    assert stack_strokes(tall, 30.0) == tall

    binary = np.zeros((200, 300), np.uint8)
    cv2.rectangle(binary, (100, 80), (130, 83), 255, -1)  # 二, upper stroke
    cv2.rectangle(binary, (96, 98), (134, 102), 255, -1)  # 二, lower stroke
    boxes = missed_ink(binary, [], [], 30.0)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert y0 < 80 and y1 > 102 and x0 < 96 and x1 > 134


def test_a_cluster_of_specks_is_no_missed_glyph() -> None:
    """Noise specks close enough for the join to make one blob hold no stroke a glyph
    has: nothing to read (a grey page's specks read as "2"). A lone 1 beside them is."""
    binary = np.zeros((200, 300), np.uint8)
    for i in range(8):
        for j in range(8):
            binary[40 + 3 * i, 40 + 4 * j] = 255
    cv2.rectangle(binary, (200, 40), (203, 68), 255, -1)  # a 1
    (box,) = missed_ink(binary, [], [], 30.0)
    assert box[0] < 200 < box[2]


def test_a_missed_blob_is_read_without_the_detected_words_beside_it() -> None:
    """The padded crop of a missed blob reaches into the detected line next to it; that
    line is painted over as paper first, or its text is read a second time (12.48 12.58
    became 12.481212.5588)."""
    from extract.read.ocr.reader import _Boxes, _without

    gray = np.full((60, 200), 220, np.uint8)
    gray[20:40, 10:90] = 0  # a detected word
    gray[20:40, 120:130] = 0  # the missed blob
    crop = _without(gray, (80, 10, 140, 50), _Boxes([(8.0, 18.0, 92.0, 42.0)]))
    assert crop.shape == (40, 60)
    assert crop[:, :12].min() == 220  # the word's end: paper now
    assert crop[10:30, 40:50].max() == 0  # the blob itself stays


def test_a_minus_wrapped_above_its_number_is_its_sign() -> None:
    """A narrow value column wraps −1.27% as − over 1.27%; OCR reads the minus as 一:
    one signed number, not "一 1.27%" (no value) or a dash and a positive number."""
    ps = PdfSettings()
    minus = [Char("一", 8.0, 0.0, 14.0, 9.0)]
    number = [Char(t, 4.0 + 5 * i, 11.0, 9.0 + 5 * i, 20.0) for i, t in enumerate("1.27%")]
    conf = {c: 0.95 for c in [*minus, *number]}
    assert cell_reading([*minus, *number], conf, ps) == ("-1.27%", 0.95)
    assert cell_reading(number, conf, ps)[0] == "1.27%"
    word = [Char(t, 4.0 + 9 * i, 11.0, 13.0 + 9 * i, 20.0) for i, t in enumerate("具备")]
    assert cell_reading([*minus, *word], conf, ps)[0] == "一\n具备"  # no number: as read


def test_a_ruling_read_beside_a_number_is_not_its_text() -> None:
    """A ruled cell's crop catches the ruling beside it, read as a bar: 57.23| and
    |13.52 are the numbers (they were no value at all); a bar alone stays as read."""
    ps = PdfSettings()
    digits = [Char(t, 10.0 + 5 * i, 0.0, 15.0 + 5 * i, 9.0) for i, t in enumerate("57.23")]
    bar = Char("|", 38.0, 0.0, 39.0, 9.0)
    lead = Char("|", 2.0, 0.0, 3.0, 9.0)
    conf = {c: 0.99 for c in [*digits, bar, lead]}
    assert cell_reading([*digits, bar], conf, ps)[0] == "57.23"
    assert cell_reading([lead, *digits], conf, ps)[0] == "57.23"
    assert cell_reading([bar], conf, ps)[0] == "|"


def test_a_speck_read_as_a_point_beside_a_mark_leaves_the_mark_doubted() -> None:
    """A claim cell's cross with a speck after it read X. (no claim at all): the mark,
    at a confidence under the threshold; a mark alone keeps the recogniser's."""
    ps = PdfSettings()
    cross, speck = Char("X", 10.0, 0.0, 18.0, 9.0), Char(".", 19.0, 7.0, 20.0, 9.0)
    conf = {cross: 0.9, speck: 0.8}
    text, confidence = cell_reading([cross, speck], conf, ps)
    assert text == "×" and confidence <= 0.6
    assert cell_reading([cross], conf, ps) == ("×", 0.9)


def test_a_point_hugging_one_digit_with_a_blank_after_it_is_doubted() -> None:
    """95 in spaced glyphs with a speck after the 9 read 9.5 at 0.98: a point set close
    to the digit before it and a digit's blank from the one after is as likely a speck.
    A point set close on both sides (9.5) or apart on both (full-width ９．５) is not."""
    ps = PdfSettings()

    def glyphs(*spec: tuple[str, float, float]) -> list[Char]:
        return [Char(t, x0, 0.0, x1, 14.0) for t, x0, x1 in spec]

    speck = glyphs(("9", 473.8, 478.8), (".", 478.4, 479.5), ("5", 484.9, 489.2))
    solid = glyphs(("9", 470.0, 475.0), (".", 475.4, 476.6), ("5", 477.0, 482.0))
    wide = glyphs(("9", 470.0, 475.0), (".", 480.0, 481.5), ("5", 486.5, 491.5))
    for cell, doubted in ((speck, True), (solid, False), (wide, False)):
        text, confidence = cell_reading(cell, {c: 0.98 for c in cell}, ps)
        assert text == "9.5"
        assert (confidence < 0.9) is doubted


def test_a_tick_carried_as_the_shared_mark_keeps_its_readings_doubt() -> None:
    """Lines carry a read √ as the shared mark ☑ (a new glyph): its cell is as sure as the
    recogniser was of the √, not sure by default (a faint mark read at 0.48 came out a
    confident ☑)."""
    from extract.read.ocr.reader import as_text_boxes

    ps = PdfSettings()
    tick = Char("√", 100.0, 10.0, 108.0, 19.0)
    conf = {tick: 0.48}
    (line,) = make_lines([tick], ps.line_overlap_ratio, ps.word_gap_ratio, 1.0)
    conf.update(as_text_boxes([tick], conf))
    text, confidence = cell_reading(list(text_line(line).chars), conf, ps)
    assert text == "☑"
    assert confidence == 0.48


def test_a_faint_marks_ink_tells_a_tick_from_a_cross_and_from_strokes() -> None:
    """A faint √ on a blurred 150-dpi scan reads at 0.48 and was dropped as noise: kept
    (doubted) where its ink has a mark's shape. A /, a 1, a dash, a V and a blot have
    neither shape."""
    from extract.read.ocr.glyphs import mark_shape

    def ink(*strokes: tuple[int, int, int, int]) -> np.ndarray:
        out = np.zeros((40, 40), np.uint8)
        for x0, y0, x1, y1 in strokes:
            cv2.line(out, (x0, y0), (x1, y1), 255, 3)
        return out

    assert mark_shape(ink((8, 22, 15, 32), (15, 32, 30, 6))) == "√"
    assert mark_shape(ink((8, 8, 30, 30), (30, 8, 8, 30))) == "×"
    for stroke in (
        ink((28, 6, 10, 32)),  # /
        ink((20, 6, 20, 32)),  # 1
        ink((6, 20, 32, 20)),  # —
        ink((8, 6, 18, 32), (18, 32, 28, 6)),  # V
    ):
        assert mark_shape(stroke) is None
    blot = np.zeros((40, 40), np.uint8)
    blot[10:30, 10:30] = 255
    assert mark_shape(blot) is None


def test_a_slash_read_as_one_is_a_slash() -> None:
    """A not-applicable cell's / reads as 1 with full confidence: its ink leans, a 1's
    stands upright (flag and all)."""
    from extract.read.ocr.reader import slashes

    binary = np.zeros((60, 120), np.uint8)
    cv2.line(binary, (30, 10), (20, 40), 255, 2)  # /
    cv2.line(binary, (80, 10), (80, 40), 255, 2)  # 1: stem,
    cv2.line(binary, (80, 10), (75, 15), 255, 2)  # flag,
    cv2.line(binary, (75, 40), (85, 40), 255, 2)  # foot
    slash, one = Char("1", 18.0, 8.0, 32.0, 42.0), Char("1", 73.0, 8.5, 87.0, 42.0)
    got = slashes({slash: 0.99, one: 0.99}, binary, 1.0)
    assert sorted(c.text for c in got) == ["/", "1"]
    assert next(c for c in got if c.text == "/").x0 == 18.0
    # A 1 inside a number (its fitted box may take a neighbour's leaning stroke) stays.
    two = Char("2", 4.0, 8.0, 17.0, 42.0)
    assert [c.text for c in slashes({two: 0.99, slash: 0.99}, binary, 1.0)] == ["2", "1"]


def test_a_stretch_of_a_rule_read_as_a_dash_is_no_glyph() -> None:
    """Where a three-line table breaks across pages, a merged cell's border is drawn
    alone: a bar as long as a rule, or a short bar at the height and thickness of the rule
    beside it. Read as 一 it was a row's 序号; a cell's dash (—, ——) is shorter and
    thinner and lies at its text's middle, off every rule."""
    from extract.read.ocr.glyphs import rule_pieces

    binary = np.zeros((100, 400), np.uint8)
    binary[20:26, 120:390] = 255  # the table's rule
    binary[20:26, 20:60] = 255  # a stretch of it, set apart
    binary[70:76, 20:100] = 255  # a border drawn alone, as long as a rule
    binary[45:48, 150:175] = 255  # a cell's —
    binary[45:48, 200:255] = 255  # a cell's ——
    stretch, alone = Char("一", 20.0, 18.0, 60.0, 28.0), Char("—", 20.0, 68.0, 100.0, 78.0)
    dash, dashes = Char("—", 150.0, 40.0, 175.0, 52.0), Char("—", 200.0, 40.0, 255.0, 52.0)
    name = Char("二", 20.0, 68.0, 100.0, 78.0)  # (no dash reading: never a rule's)
    got = rule_pieces([stretch, alone, dash, dashes, name], binary, 1.0, 60)
    assert got == {stretch, alone}


def test_a_ruled_cells_slash_read_again_as_one_is_a_slash() -> None:
    """A ruled cell the detector read empty is read again by recognition alone; a faint
    not-applicable slash came back 1 (a number where the page has none). Its main
    stroke, inside the rulings and without the speck beside it, leans; a 1's does not."""
    from extract.read.ocr.reader import _slash_in

    def cell(*strokes: tuple[int, int, int, int]) -> np.ndarray:
        out = np.zeros((50, 80), np.uint8)
        out[0:3, :], out[47:50, :], out[:, 0:3], out[:, 77:80] = 255, 255, 255, 255
        out[22:25, 60:63] = 255  # a speck
        for x0, y0, x1, y1 in strokes:
            cv2.line(out, (x0, y0), (x1, y1), 255, 2)
        return out

    box = (0, 0, 80, 50)
    assert _slash_in(cell((44, 14, 36, 36)), box, 6)
    assert not _slash_in(cell((40, 14, 40, 36), (40, 14, 36, 18)), box, 6)


def test_a_steep_slash_is_a_slash() -> None:
    """Some fonts set / steep (its ink moves 0.22 of its height sideways on a 150-dpi
    scan); it still leans, a 1's stem does not."""
    from extract.read.ocr.reader import leans_right

    steep = np.zeros((40, 20), np.uint8)
    cv2.line(steep, (13, 5), (7, 35), 255, 2)  # / moving 6 px over 30
    ys, xs = np.nonzero(steep)
    assert leans_right(xs, ys)
    upright = np.zeros((40, 20), np.uint8)
    cv2.line(upright, (10, 5), (10, 35), 255, 2)
    cv2.line(upright, (10, 5), (6, 9), 255, 2)  # the flag leans the other way
    ys, xs = np.nonzero(upright)
    assert not leans_right(xs, ys)


def test_a_short_slash_among_specks_is_still_a_slash() -> None:
    """A 150-dpi page's short slash read 1. (a speck for the point), a blob of noise
    beside it in the glyph's box: the lean is the stroke's own (the speck had pulled the
    fitted lean under the threshold and the not-applicable cell read 1), and the point is
    a speck of the slash's line."""
    from extract.read.ocr.reader import slashes

    binary = np.zeros((40, 40), np.uint8)
    cv2.line(binary, (18, 8), (10, 30), 255, 3)  # a short /
    binary[5:11, 2:7] = 255  # a speck in the box's corner
    binary[29:31, 24:26] = 255  # the speck read as a point
    one, point = Char("1", 2.0, 4.0, 20.0, 32.0), Char(".", 20.0, 4.0, 27.0, 32.0)
    got = slashes({one: 0.94, point: 0.96}, binary, 1.0)
    assert [c.text for c in got] == ["/"]
    upright = np.zeros((40, 40), np.uint8)
    cv2.line(upright, (12, 6), (12, 30), 255, 3)
    assert [c.text for c in slashes({one: 0.94, point: 0.96}, upright, 1.0)] == ["1", "."]


def test_a_minus_the_detector_missed_in_a_ruled_cell_is_found() -> None:
    """A narrow ruled cell wraps −0.46 as − over 0.46 and the detector sees only the
    number: a flat blob above (or left of) the digits that no glyph covers is its
    minus. A speck or a glyph's own stroke is not."""
    from extract.read.ocr.glyphs import dash_in_cell

    binary = np.zeros((80, 120), np.uint8)
    digits = [Char(t, 40.0 + 8 * i, 40.0, 47.0 + 8 * i, 60.0) for i, t in enumerate("046")]
    for g in digits:
        cv2.rectangle(binary, (int(g.x0), int(g.top)), (int(g.x1), int(g.bottom)), 255, 1)
    cell = (0.0, 0.0, 120.0, 80.0)
    assert not dash_in_cell(binary, cell, digits, 1.0)
    binary[45:47, 44:48] = 255  # a speck: too short
    assert not dash_in_cell(binary, cell, digits, 1.0)
    # the edge of a ruling reaching past the inset on a tilted page: flat, above the
    # number, but no sign (4 read −4 in a whole column)
    binary[2:5, 0:120] = 255
    assert not dash_in_cell(binary, cell, digits, 1.0)
    # a one-pixel sliver of a ragged top rule reaching past the inset (5, 9, 0.72 of a
    # column read signed)
    binary[5, 30:50] = 255
    assert not dash_in_cell(binary, cell, digits, 1.0)
    # a piece of the row's bottom rule below and left of the number (79.45 read −79.45)
    binary[66:69, 12:36] = 255
    assert not dash_in_cell(binary, cell, digits, 1.0)
    beside = binary.copy()
    beside[49:51, 28:36] = 255  # a minus left of the digits, at their middle
    assert dash_in_cell(beside, cell, digits, 1.0)
    # a 7 whose box was placed a few pixels right of its ink: the top bar sticks out
    # left of the box, flat, at the digits' height, but joined to the 7's stem
    seven = binary.copy()
    seven[41:44, 31:41] = 255
    cv2.line(seven, (40, 43), (44, 58), 255, 2)
    assert not dash_in_cell(seven, cell, digits, 1.0)
    binary[28:30, 48:60] = 255  # the wrapped minus, on its own line above
    assert dash_in_cell(binary, cell, digits, 1.0)


def test_a_names_bracketed_unit_stays_in_its_cell() -> None:
    """人均工业增加值 (万元/人) is read as one line without the space the text layer
    types; the blank before the bracket gets a space glyph, so the name and its unit are
    one chunk, and a bracket after a number or in another line gets none."""
    from extract.read.layout.chunks import chunks
    from extract.read.ocr.reader import bracket_spaces

    name = [Char(t, 10.0 * i, 0.0, 10.0 * i + 9.5, 10.0) for i, t in enumerate("人均工业增加值")]
    unit = [Char(t, 80.0 + 6 * i, 0.0, 85.0 + 6 * i, 10.0) for i, t in enumerate("(万元/人)")]
    conf = bracket_spaces({c: 0.99 for c in [*name, *unit]})
    line = sorted(conf, key=lambda c: c.x0)
    assert [c.text for c in line].count(" ") == 1
    assert len(chunks(line, 5.0)) == 1
    assert len(chunks([*name, *unit], 5.0)) == 2  # as read: two cells
    other = [Char("9", 0.0, 20.0, 5.0, 30.0), Char("(", 20.0, 20.0, 23.0, 30.0)]
    assert " " not in {c.text for c in bracket_spaces({c: 1.0 for c in other})}


def test_lone_one_in_a_chinese_numeral_serial_column() -> None:
    """A lone 一 reads as a dash in a value cell (not applicable); in a 序号 column of
    Chinese numerals it is the serial 一, and its row keeps its number."""
    ps = PdfSettings()
    one = cell_reading([Char("一", 0.0, 0.0, 8.0, 8.0)], {}, ps)[0]
    assert one == "—"
    rows = [
        [Cell("序号"), Cell("指标"), Cell("2018年")],
        [Cell(one), Cell("高新技术企业工业总产值占园区工业总产值比例"), Cell(one)],
        [Cell("二"), Cell("人均工业增加值"), Cell("35.85")],
        [Cell("三"), Cell("园区工业增加值三年年均增长率"), Cell("23.75")],
    ]
    raw = [[c.text for c in row] for row in rows]
    raw[1] = ["一", rows[1][1].text, "一"]
    numeral_ones(rows, raw)
    assert rows[1][0].text == "一"
    assert rows[1][2].text == "—"  # the value column's dash stays a dash
    # 十 read as a plus sign in the same column: +五 and 二 / + are 十五 and 二十; a + in
    # the value column stays.
    rows += [
        [Cell("+五"), Cell("再生水（中水）回用率"), Cell("+5")],
        [Cell("二\n+"), Cell("x"), Cell("")],
    ]
    raw += [["+五", "", "+5"], ["二\n+", "", ""]]
    numeral_ones(rows, raw)
    assert [rows[4][0].text, rows[5][0].text, rows[4][2].text] == ["十五", "二\n十", "+5"]
    # Arabic serials: nothing to do.
    arabic = [[Cell("1")], [Cell("—")], [Cell("3")]]
    numeral_ones(arabic, [["1"], ["一"], ["3"]])
    assert arabic[1][0].text == "—"
    # ... but a speck read before the next serial (-3 after 2) is that serial.
    specked = [[Cell("1")], [Cell("2")], [Cell("-3")], [Cell("4")], [Cell("-9")]]
    numeral_ones(specked, [[c[0].text] for c in specked])
    assert [r[0].text for r in specked] == ["1", "2", "3", "4", "-9"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("0. 484 吨标煤/万元", "0.484 吨标煤/万元"),
        ("15. 2\n1%", "15.2\n1%"),
        ("1 .5", "1.5"),
        ("65. 02%", "65.02%"),
        ("3.04 2.1", "3.04 2.1"),  # two numbers stay two (an odd form, flagged later)
        ("100 2", "100 2"),
        ("2023 年", "2023 年"),
    ],
)
def test_spaces_beside_a_decimal_point_are_closed(text: str, want: str) -> None:
    assert close_spaced_points(text) == want


def test_column_line_through_glyph_stems_is_dropped() -> None:
    """Stems of a monospaced column of names, row over row, closed into a long vertical
    run: a column line through the middle of the names that split 园区环境风险防控 |
    体系建设完善度 and shifted every later column of a continued table part by one. A
    line that cuts glyphs in many rows is dropped; a real ruling that a few glyph boxes
    took in at a 序号 stays."""
    from extract.read.ocr.grid import PixGrid, cut_columns, drop_cut_columns, merge_owners

    xs, ys = [0.0, 50.0, 300.0, 400.0, 500.0], [float(y) for y in range(0, 420, 40)]
    rows = len(ys) - 1
    grid = PixGrid(xs, ys, merge_owners(rows, len(xs) - 1, set(), set()))
    # glyphs 26 px wide set solid along each row's name; the line at x=300 cuts one per row
    names = [
        (float(x), y + 10.0, float(x) + 26.0, y + 30.0) for y in ys[:-1] for x in range(60, 340, 26)
    ]
    serials = [(40.0, 10.0, 56.0, 30.0), (42.0, 90.0, 58.0, 110.0)]  # took in the x=50 ruling
    assert cut_columns(grid, names + serials) == [2]
    fixed = drop_cut_columns(grid, names + serials)
    assert fixed.xs == [0.0, 50.0, 400.0, 500.0]
    assert all(len(set(row)) == 3 for row in fixed.owner)  # rows stay apart
    assert fixed.owner[0][1] == (0, 1) and fixed.owner[1][1] == (1, 1)


def test_a_page_of_unnumbered_rows_under_a_header_of_column_names_is_searched() -> None:
    """A table part without 序号 whose header names its columns with words the keyword
    list holds once (类别 指标名称 标准值 考核指标 …): searched for a borderless table (the
    page of 22 indicators was read as narrative); a page of prose naming 指标 is not."""
    from extract.read.ocr.reader import _may_hold_stream_table

    ps = PdfSettings()

    def line(text: str, top: float) -> list[Char]:
        return [Char(t, 10.0 * i, top, 10.0 * i + 9, top + 9) for i, t in enumerate(text)]

    header = line("类别 指标名称 标准值 考核指标 2014年完成值", 0)
    rows = [line(f"单位工业增加值综合能耗 ≤0.5 否 0.10{k}", 12.0 * (k + 1)) for k in range(3)]
    lines = make_lines([*header, *(c for r in rows for c in r)], 0.5, 0.5, 1.0)
    assert _may_hold_stream_table(lines, ps)
    prose = make_lines(line("园区各项指标稳步提升，资源节约成效明显。", 0), 0.5, 0.5, 1.0)
    assert not _may_hold_stream_table(prose, ps)


def test_a_units_slash_read_as_a_stroke_is_put_back_and_doubted() -> None:
    """A value printed with its unit, 10.79万元/人, read 10.79 万元 1人 (no value at all):
    the standards' unit with its slash, the cell doubted; words that make no such unit
    stay as read."""
    ps = PdfSettings()

    def glyphs(text: str) -> list[Char]:
        return [Char(t, 8.0 * i, 0.0, 8.0 * i + 7, 9.0) for i, t in enumerate(text)]

    cell = glyphs("10.79万元1人")
    text, confidence = cell_reading(cell, {c: 0.97 for c in cell}, ps)
    assert text == "10.79万元/人" and confidence <= 0.6
    other = glyphs("10.79万元1吨")
    assert cell_reading(other, {c: 0.97 for c in other}, ps)[0] == "10.79万元1吨"


def test_a_header_row_over_lines_of_values_is_read_again_as_a_table() -> None:
    """The first, coarse reading of a landscape table page missed its lone 序号 digits and
    set its cells too close to part (no table found in it: the page's seven rows were
    never read again at the cells' scale). A header row of column names over lines of
    values is enough; a header row over prose is not."""
    from extract.read.ocr.reader import _stream_tables_found

    ps = PdfSettings()

    def line(text: str, top: float) -> list[Char]:
        return [Char(t, 6.0 * i, top, 6.0 * i + 5.5, top + 9) for i, t in enumerate(text)]

    header = line("指标类别 编号 指标名称 指标要求 是否为考核指标 2019年 2022年完成值", 0)
    rows = [
        line(f"经济发展 人均工业增加值 ≥15 是 49.0{k} 54.06 17.79", 12.0 * (k + 1))
        for k in range(3)
    ]
    chars = [*header, *(c for r in rows for c in r)]
    assert _stream_tables_found(chars, ps, ps, 600.0)
    prose = [
        line(f"园区坚持绿色发展理念，推进循环化改造第{k}项工作。", 12.0 * (k + 1)) for k in range(3)
    ]
    assert not _stream_tables_found([*header, *(c for r in prose for c in r)], ps, ps, 600.0)
