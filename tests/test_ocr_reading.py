"""How the OCR reader spends its recognition (issue 13, speed): short lines read side by
side in shared strips and given back glyph by glyph, a narrative page read once, spaces
inside numbers only where the recogniser read them, and the geometry steps that look
glyphs up by position rather than pairing everything with everything.

The strip and spacing tests run no engine; two tests read one scanned page each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from extract.read.layout.geom import Char
from extract.read.layout.lines import TextLine
from extract.read.ocr import engine as ocr_engine
from extract.read.ocr.glyphs import stack_strokes
from extract.read.ocr.grid import PixGrid, merge_owners
from extract.read.ocr.reader import _grid_of, recogniser_spacing

SCANS = Path(__file__).resolve().parent.parent / "samples" / "scans"


def _quad(x0: float, y0: float, x1: float, y1: float) -> ocr_engine.Quad:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_shared_strip_gives_each_glyph_back_to_its_line() -> None:
    """Two cells read in one strip (``是`` then ``0.28``, 16 px of paper between): each
    glyph goes to the cell its column lies in, with its box inside that cell's crop,
    and the cell's probability is its own glyphs' alone."""
    from rapidocr.ch_ppocr_rec.typings import WordInfo, WordType

    cal = ocr_engine.get_engine().cal_rec_boxes
    # Cell A: a 30 × 40 px crop scaled to 48 px high (1.2), 36 px wide in the strip;
    # cell B: 80 × 40 px, strip px 52..148. The strip is 148 px, 37 frames of 4 px.
    segs = [
        ocr_engine._Segment(0, 0, 36, 1.2, 40),
        ocr_engine._Segment(1, 52, 148, 1.2, 40),
    ]
    quads = [_quad(100, 200, 130, 240), _quad(300, 200, 380, 240)]
    text = "是0.28"
    info = WordInfo(
        words=[["是"], ["0", ".", "2", "8"]],
        word_cols=[[4], [16, 20, 25, 30]],
        word_types=[WordType.CN, WordType.EN_NUM],
        line_txt_len=37.0,
        confs=[0.99, 0.97, 0.6, 0.98, 0.96],
    )
    strip = np.full((48, 148, 3), 255, dtype=np.uint8)
    got = ocr_engine._split_strip(cal, strip, segs, text, info, quads)
    assert got[0].text == "是" and got[1].text == "0.28"
    assert got[0].least == pytest.approx(0.99) and got[1].least == pytest.approx(0.6)
    for i, (x0, _, x1, _) in ((0, (100, 200, 130, 240)), (1, (300, 200, 380, 240))):
        chars = got[i].chars or ()
        assert chars and all(x0 - 1 <= c.box[0] <= c.box[2] <= x1 + 1 for c in chars), chars
        assert all(c.box[1] >= 199 and c.box[3] <= 241 for c in chars)
    xs = [c.box[0] for c in got[1].chars or ()]
    assert xs == sorted(xs)  # 0 . 2 8 left to right within the cell


def test_shared_strip_that_does_not_spell_its_text_reads_as_nothing() -> None:
    """A column split that does not spell the text gives every line of the strip an
    empty reading (read alone again), never glyphs put in the wrong cell."""
    from rapidocr.ch_ppocr_rec.typings import WordInfo, WordType

    cal = ocr_engine.get_engine().cal_rec_boxes
    segs = [ocr_engine._Segment(0, 0, 40, 1.0, 48), ocr_engine._Segment(1, 56, 96, 1.0, 48)]
    info = WordInfo(words=[["1"]], word_cols=[[2]], word_types=[WordType.EN_NUM], line_txt_len=24.0)
    info.confs = [0.9, 0.9]
    strip = np.full((48, 96, 3), 255, dtype=np.uint8)
    quads = [_quad(0, 0, 40, 48), _quad(56, 0, 96, 48)]
    got = ocr_engine._split_strip(cal, strip, segs, "12", info, quads)
    assert all(r.text == "" and r.least == 0.0 for r in got.values())


def _line(text: str) -> TextLine:
    return TextLine((), text, (0.0, 100.0, 400.0, 110.0))


@pytest.mark.parametrize(
    ("text", "readings", "want"),
    [
        # the recogniser read 386.52 in one run: the space came from a misplaced box
        ("总产值386.5 2亿元", ["产业园实现工业总产值386.52亿元，"], "总产值386.52亿元"),
        ("生产总值1 18.6 亿元", ["完成地区生产总值118.6"], "生产总值118.6 亿元"),
        # the recogniser read the space too: two numbers
        ("2018 2019 年", ["2018 2019 年"], "2018 2019 年"),
        # no reading across the line says so: left as it is
        ("共 3 5 项", ["共3", "项"], "共 3 5 项"),
    ],
)
def test_space_inside_a_number_only_where_the_recogniser_read_it(
    text: str, readings: list[str], want: str
) -> None:
    assert recogniser_spacing(_line(text), readings).text == want


def test_glyphs_go_to_the_first_grid_that_holds_them() -> None:
    def grid(x0: float, y0: float, x1: float, y1: float) -> PixGrid:
        return PixGrid([x0, x1], [y0, y1], merge_owners(1, 1, set(), set()))

    # A tall grid, a short one beside it, a nested one inside the first.
    grids = [grid(0, 0, 100, 1000), grid(200, 100, 300, 150), grid(10, 10, 50, 50)]
    chars = [
        Char("a", 20, 20, 30, 30),  # inside grids 0 and 2: the first in order
        Char("b", 210, 110, 220, 120),  # grid 1
        Char("c", 210, 500, 220, 510),  # below grid 1, beside grid 0: none
        Char("d", 50, 900, 60, 910),  # far down grid 0
    ]
    assert _grid_of(chars, grids, 1.0) == [0, 1, None, 0]
    assert _grid_of(chars, [], 1.0) == [None] * 4


def test_strokes_rows_apart_are_not_stacked() -> None:
    """Dashes of many rows (a column of —, each a flat blob) stay one per row; two
    strokes of one glyph (二) within its height are one."""
    h = 20.0
    dashes = [(100, y, 120, y + 3) for y in range(0, 4000, 40)]
    er = [(300, 0, 320, 3), (298, 12, 322, 15)]
    out = stack_strokes([*dashes, *er], h)
    assert len(out) == len(dashes) + 1
    assert (298, 0, 322, 15) in out


def _count_recognised(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Patch the engine's recognition call to count the strips it is handed."""
    seen: list[int] = []
    real = ocr_engine._recognise

    def counting(engine: Any, crops: Any, pads: Any, words: bool, *args: Any, **kw: Any) -> Any:
        seen.append(len(crops))
        return real(engine, crops, pads, words, *args, **kw)

    monkeypatch.setattr(ocr_engine, "_recognise", counting)
    return seen


def test_narrative_page_naming_indicators_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Page 3 of the Changchun scan is narrative that names indicators (国家标准, 指标):
    its lines are recognised once, not again at the cells' scale — only a line holding a
    digit and an unsure glyph is read a second time, at full scale — and its figures
    (661亿元, 4743.5亿元) come out whole."""
    from extract.read.ocr.reader import ocr_pages
    from extract.read.ocr.settings import OcrSettings

    pads: list[float] = []
    real = ocr_engine._recognise

    def recording(engine: Any, crops: Any, p: Any, words: bool, *args: Any, **kw: Any) -> Any:
        pads.extend(p)
        return real(engine, crops, p, words, *args, **kw)

    monkeypatch.setattr(ocr_engine, "_recognise", recording)
    lines, tables, _ = ocr_pages(SCANS / "changchun_2018_scan.pdf", [3])
    assert not tables
    # Read at half scale, then (numbers with an unsure glyph) at full scale: never at the
    # cells' scale, which the page read again for a borderless table would be.
    assert pads and OcrSettings().cell_pad not in pads
    text = "".join(ln.text for ln in lines)
    assert "661亿元" in text and "4743.5亿元" in text


def test_cells_read_in_shared_strips_read_as_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The annex page of the Changchun scan read with and without shared strips: the
    cells read the same (the recogniser's batches differ, so a line or two may too), in
    far fewer strips, and every glyph lies in its own line's box."""
    import pypdfium2 as pdfium

    from extract.read.ocr.grid import ink_gray
    from extract.read.ocr.reader import render
    from extract.read.ocr.settings import OcrSettings

    s = OcrSettings()
    doc = pdfium.PdfDocument(str(SCANS / "changchun_2018_scan.pdf"))
    try:
        gray = ink_gray(render(doc, 5, s.dpi))
    finally:
        doc.close()
    quads = ocr_engine.detect(gray)
    seen = _count_recognised(monkeypatch)
    alone = ocr_engine.read_quads(gray, quads, s.cell_pad, sure=s.cell_sure)
    n_alone = sum(seen)
    seen.clear()
    packed = ocr_engine.read_quads(gray, quads, s.cell_pad, sure=s.cell_sure, packing=s.packing)
    n_packed = sum(seen)
    assert n_packed < 0.75 * n_alone
    a = {tuple(map(tuple, b.quad)): b.text for b in alone}
    b = {tuple(map(tuple, b.quad)): b for b in packed}
    same = sum(1 for q, t in a.items() if q in b and b[q].text == t)
    assert same >= len(a) - 4, [(t, b[q].text if q in b else None) for q, t in a.items()]
    for box in packed:
        x0, y0, x1, y1 = box.bbox
        for c in box.chars:
            mid_x, mid_y = (c.box[0] + c.box[2]) / 2, (c.box[1] + c.box[3]) / 2
            assert x0 - 2 <= mid_x <= x1 + 2 and y0 - 2 <= mid_y <= y1 + 2, (box.text, c)


def test_strip_reading_that_leaves_its_picture_unread_is_unsure() -> None:
    """必选 达标 达标 read in one strip as 必选达标标: the last line, two glyphs wide,
    got one; it is unsure (read again alone) whatever its probability."""
    from rapidocr.ch_ppocr_rec.typings import WordInfo, WordType

    cal = ocr_engine.get_engine().cal_rec_boxes
    # Three crops 43 px high read at 1/1.33 (scale 0.84): about 20 px an em; each line
    # two glyphs (40 px of ink) plus its margins, 57 px in the strip.
    segs = [ocr_engine._Segment(i, 73 * i, 73 * i + 57, 0.84, 43) for i in range(3)]
    quads = [
        np.array([[x, 0], [x + 68, 0], [x + 68, 43], [0 + x, 43]], dtype=np.float32)
        for x in (0, 100, 200)
    ]
    info = WordInfo(
        words=[["必", "选", "达", "标", "标"]],
        word_cols=[[2, 5, 11, 14, 23]],
        word_types=[WordType.CN],
        line_txt_len=25.0,
        confs=[0.99, 0.99, 0.99, 0.99, 0.98],
    )
    strip = np.full((48, 203, 3), 255, dtype=np.uint8)
    got = ocr_engine._split_strip(cal, strip, segs, "必选达标标", info, quads)
    assert got[0].text == "必选" and got[0].least > 0.9
    assert got[2].text == "标" and got[2].least == 0.0
