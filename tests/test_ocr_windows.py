"""A narrative line's re-read at full scale covers its numbers and unsure glyphs only."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extract.read.ocr import windows


def test_a_number_is_read_again_with_two_glyphs_of_context_either_side() -> None:
    glyphs = list("园区生产总值155.44亿元同比增长")
    spans = windows.number_spans(glyphs, [False] * len(glyphs))
    assert spans == [(4, 13)]  # 总值 155.44 亿元
    assert "".join(glyphs[4:14]) == "总值155.44亿元"


def test_marks_join_a_number_only_beside_a_digit() -> None:
    glyphs = list("完成1,205亿元，增长-5%，其余照旧如此")
    spans = windows.number_spans(glyphs, [False] * len(glyphs))
    covered = {k for a, b in spans for k in range(a, b + 1)}
    assert {glyphs.index("-"), glyphs.index("%"), glyphs.index(",")} <= covered
    assert glyphs.index("，") not in covered  # a comma between words is no number's
    assert len(glyphs) - 1 not in covered  # the words after the last number stay


def test_an_unsure_glyph_is_read_again_even_without_a_digit_near() -> None:
    glyphs = list("一二三四五六七八九十甲乙丙丁")
    unsure = [k == 9 for k in range(len(glyphs))]
    assert windows.number_spans(glyphs, unsure) == [(7, 11)]


def _ink(width: int, glyphs: list[tuple[int, int]]) -> np.ndarray:
    ink = np.zeros(width, dtype=np.int64)
    for a, b in glyphs:
        ink[a:b] = 10
    return ink


def test_a_window_is_cut_through_paper_and_widened_past_touching_glyphs() -> None:
    # Ten glyphs 20 px wide with 4 px of paper between them, except glyphs 2 and 3 touch.
    boxes = [(k * 24.0, k * 24.0 + 20.0) for k in range(10)]
    ink_boxes = [(int(a), int(b)) for a, b in boxes]
    ink_boxes[2] = (48, 72)  # runs into glyph 3: no paper between them
    ink = _ink(240, ink_boxes)
    cols = windows.window_columns([(3, 4)], boxes, ink, em=22.0)
    assert cols is not None
    (x0, x1, first, last) = cols[0]
    assert first == 2 and last == 4  # widened left past the touching glyph
    assert ink[x0] <= windows.BLANK_COLUMN_INK and ink[x1 - 1] <= windows.BLANK_COLUMN_INK
    assert x0 < 48 and x1 > 116  # the whole of glyphs 2..4


def test_windows_over_most_of_a_line_read_the_whole_line() -> None:
    boxes = [(k * 24.0, k * 24.0 + 20.0) for k in range(6)]
    ink = _ink(144, [(int(a), int(b)) for a, b in boxes])
    assert windows.window_columns([(0, 4)], boxes, ink, em=22.0) is None


def test_a_window_that_lost_its_edge_glyph_does_not_hold() -> None:
    line = list("典型示范小镇前15")
    assert windows.edges_hold(line, 4, 8, list("小镇前15"))
    assert not windows.edges_hold(line, 4, 8, list("镇前15"))  # cut through 小
    assert windows.edges_hold(line, 4, 8, list("小镇前15"))
    assert windows.edges_hold(list("增长，5%"), 2, 4, list(",5%"))  # width forms aside


def test_splices_right_to_left_keep_the_glyph_numbers() -> None:
    text = "产值 155.44亿元，税收 3.2亿元"
    out = windows.splice(text, 13, 17, "3.25亿元")
    out = windows.splice(out, 2, 9, "1355.44亿元")
    assert out == "产值 1355.44亿元，税收 3.25亿元"


def _line_image() -> np.ndarray:
    img = np.full((60, 900, 3), 236, np.uint8)
    cv2.putText(img, "Output grew to 4743.5 and then the rest", (10, 42), 0, 1.0, (30, 30, 30), 2)
    return img


def test_a_line_read_again_in_windows_reads_as_read_again_whole() -> None:
    """A narrative line first read at half scale, read again at full scale in a window
    around its number (none of its glyphs unsure): the spliced line reads what the
    whole line read again at full scale reads, in a third of its width, and its glyphs
    stand in order."""
    pytest.importorskip("rapidocr")
    from extract.read.ocr import engine

    img = _line_image()
    quads = engine.detect(img, 1, 1280)
    assert len(quads) == 1
    eng = engine.get_engine()
    crops = {0: engine._crop(engine.as_rgb(img), quads[0])}
    first = engine._read(eng, crops, quads, [0], [2.0], engine.Packing(), [32])
    parts = engine._windows_of(eng, crops[0], quads[0], first[0], sure=0.0)
    assert parts is not None and len(parts) == 1
    assert parts[0].x1 - parts[0].x0 < 0.4 * crops[0].shape[1]
    cut = engine._read_windows(eng, crops, quads, first, {0: parts})[0]
    whole = engine._read(eng, crops, quads, [0], [1.0], engine.Packing())[0]
    assert "4743.5" in whole.text
    assert cut.text.replace(" ", "") == whole.text.replace(" ", "")
    assert cut.chars is not None
    assert [c.text for c in cut.chars] == list(cut.text.replace(" ", ""))
    xs = [c.box[0] for c in cut.chars]
    assert xs == sorted(xs)  # the spliced glyphs sit where they stand in the line
