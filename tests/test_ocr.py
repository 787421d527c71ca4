"""OCR path: triage, deskew, ruling grid with merged cells, number repair, OCR checks,
offline model loading, and one real scanned annex page against the truth.

Structure tests draw their own tables with OpenCV (fast); only two tests run the OCR
engine (a few seconds per page)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from extract.read.ocr.grid import binarize, estimate_skew, find_grids, ink_gray, map_box, rotate
from extract.read.ocr.reader import number_text, page_needs_ocr
from extract.read.ocr.settings import OcrSettings
from tests.truth import same_cell

SCANS = Path(__file__).resolve().parent.parent / "samples" / "scans"


def draw_table(
    rows: int = 5, cols: int = 4, merge_first_col: bool = True, angle: float = 0.0
) -> np.ndarray:
    """A white page with a ruled rows×cols grid; column 0 of rows 1..3 merged."""
    img = np.full((1200, 900), 255, np.uint8)
    x0, y0, cw, rh = 100, 200, 150, 60
    for r in range(rows + 1):
        y = y0 + r * rh
        cv2.line(img, (x0, y), (x0 + cols * cw, y), 0, 2)
    for c in range(cols + 1):
        x = x0 + c * cw
        cv2.line(img, (x, y0), (x, y0 + rows * rh), 0, 2)
    if merge_first_col:  # erase the boundaries inside column 0 between rows 1-3
        for r in (2, 3):
            y = y0 + r * rh
            cv2.line(img, (x0 + 3, y), (x0 + cw - 3, y), 255, 4)
    for r in range(rows):
        for c in range(1, cols):
            cv2.putText(img, f"{r}{c}", (x0 + c * cw + 30, y0 + r * rh + 40), 0, 1.0, 0, 2)
    if angle:
        img, _ = rotate(img, angle)
    return img


def grids_of(img: np.ndarray) -> list:
    s = OcrSettings()
    k = s.px_per_pt
    binary = binarize(img)
    return find_grids(binary, int(s.min_ruling_length * k), 11.0, 11.0, 0.6)


def test_grid_and_merged_cells() -> None:
    (grid,) = grids_of(draw_table())
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (5, 4)
    assert grid.owner[2][0] == (1, 0) and grid.owner[3][0] == (1, 0)
    assert grid.owner[4][0] == (4, 0)
    assert grid.owner[2][1] == (2, 1)
    _, y0, _, y1 = grid.cell_box(1, 0)
    assert y1 - y0 == pytest.approx(180, abs=6)


def test_frame_without_inner_lines_is_no_table() -> None:
    img = np.full((800, 800), 255, np.uint8)
    cv2.rectangle(img, (100, 100), (700, 700), 0, 2)
    assert grids_of(img) == []


@pytest.mark.parametrize("angle", [-2.0, -0.7, 1.3, 2.0])
def test_deskew_recovers_tilt_and_grid(angle: float) -> None:
    tilted = draw_table(angle=angle)
    est = estimate_skew(tilted, 3.0, 0.05)
    assert est == pytest.approx(-angle, abs=0.15)
    level, _ = rotate(tilted, est)
    (grid,) = grids_of(level)
    assert (len(grid.ys) - 1, len(grid.xs) - 1) == (5, 4)


def test_deskew_fills_the_corners_with_the_papers_colour() -> None:
    """A tilted grey page turned level: the corners it uncovers are paper, not a white
    frame whose edge the local threshold turns into a strip of specks."""
    rng = np.random.default_rng(3)
    page = np.clip(rng.normal(200, 6, (600, 400)), 0, 255).astype(np.uint8)
    level, _ = rotate(page, 1.8)
    assert np.count_nonzero(binarize(level)) < 0.002 * level.size


def test_lines_touching_a_whole_pages_edge_are_the_scans_border() -> None:
    from extract.read.ocr.reader import off_edge

    inside = np.array([[100, 100], [300, 100], [300, 130], [100, 130]], np.float32)
    at_edge = np.array([[1620, 400], [1652, 400], [1652, 440], [1620, 440]], np.float32)
    assert [q.tolist() for q in off_edge([inside, at_edge], (2339, 1653), 4.0)] == [inside.tolist()]
    assert len(off_edge([inside, at_edge], (2339, 1653), -1.0)) == 2  # a picture's crop


def test_map_box_round_trip() -> None:
    _, m = rotate(np.zeros((1000, 800), np.uint8), 1.5)
    back = cv2.invertAffineTransform(m)
    box = map_box(map_box((100.0, 200.0, 110.0, 210.0), m), back)
    assert box[0] <= 100 and box[2] >= 110  # the axis-aligned hull contains the original


def test_red_stamp_is_dropped_black_kept() -> None:
    rgb = np.full((10, 10, 3), 255, np.uint8)
    rgb[0, 0] = (200, 40, 40)  # seal ink
    rgb[1, 1] = (0, 0, 0)  # print (also under the seal: multiply keeps it black)
    gray = ink_gray(rgb)
    assert gray[0, 0] == 255 and gray[1, 1] == 0


def test_a_seal_on_tinted_paper_leaves_no_outline() -> None:
    """A red ring on blue paper, its strokes' fringe lighter and less red: gone from the
    gray at the paper's level, nothing of it binarised as ink; print under it stays."""
    rgb = np.full((120, 120, 3), (224, 234, 244), np.uint8)
    cv2.circle(rgb, (60, 60), 40, (200, 60, 60), 5)
    cv2.circle(rgb, (60, 60), 43, (215, 170, 180), 1)  # the fringe
    cv2.circle(rgb, (60, 60), 37, (215, 170, 180), 1)
    rgb[58:62, 10:110] = (30, 10, 10)  # print under the seal
    gray = ink_gray(rgb)
    ink = binarize(gray)
    assert np.count_nonzero(ink[:50]) == 0 and np.count_nonzero(ink[70:]) == 0
    assert gray[60, 30] < 60


def test_a_glyph_under_a_seal_is_not_trusted_fully() -> None:
    """Taking a seal's ink out may take a stroke of the digit under it (28.5 read 28.3
    at full confidence): glyphs the seal covers are capped below the cell threshold,
    glyphs clear of it keep their confidence."""
    from extract.read.layout.geom import Char
    from extract.read.ocr.grid import split_seal
    from extract.read.ocr.reader import SealCover

    rgb = np.full((200, 400, 3), 245, np.uint8)
    cv2.circle(rgb, (100, 100), 60, (205, 50, 50), 6)
    gray, mask = split_seal(rgb)
    assert mask is not None and gray[100, 160] == 245
    s = OcrSettings()
    cover = SealCover(mask, 1.0, s.seal_min_share, s.seal_confidence_cap)
    under = Char("5", 150.0, 90.0, 165.0, 110.0)  # the ring crosses it
    clear = Char("8", 300.0, 90.0, 315.0, 110.0)
    capped = cover.capped({under: 0.99, clear: 0.99})
    assert capped[under] == s.seal_confidence_cap < s.cell_confidence
    assert capped[clear] == 0.99
    assert split_seal(np.full((50, 50, 3), 245, np.uint8))[1] is None


@pytest.mark.parametrize(
    ("glyphs", "want", "repaired"),
    [
        ("50.39", "50.39", False),
        ("5 0 . 3 9", "50.39", False),  # wide-set digits
        ("8,64", "8.64", True),  # decimal comma
        ("1,234", "1,234", False),  # thousands
        ("11...20", "11.20", True),
        ("6.:04", "6.04", True),
        ("7.", "7", True),
        ("-0.118", "-0.118", False),
        ("−1.47", "-1.47", False),  # U+2212
        ("－1.47", "-1.47", False),  # full-width
        ("‒0.5", "-0.5", False),  # figure dash
        ("一0.5", "-0.5", False),  # PP-OCR's reading of a minus
        ("~0.18", "-0.18", True),  # a blurred minus read as a tilde: signed, doubted
        ("～0.84", "-0.84", True),
        ("〜0.2", "-0.2", True),  # (a wave dash, U+301C)
        ("0.2~", None, False),  # (only a leading one is a sign)
        ("05.30", "05.30", True),  # a leading 0: kept, not trusted
        ("100-0.029", "100-0.029", True),  # two rows' numbers in one cell
        ("≥30", None, False),
        ("具备", None, False),
    ],
)
def test_number_text(glyphs: str, want: str | None, repaired: bool) -> None:
    out = number_text([(ch, 0.99 if ch.isdigit() else 0.5) for ch in glyphs])
    if want is None:
        assert out is None
    else:
        assert out == (want, repaired)


def test_page_needs_ocr() -> None:
    area = 595.0 * 842.0
    text = "国家生态工业示范园区建设评价报告" * 20
    assert not page_needs_ocr(text, len(text), area)
    assert page_needs_ocr("", 0, area)
    assert page_needs_ocr("(cid:123)(cid:77)" * 50, 800, area)
    assert page_needs_ocr("¹ú¼ÒÉú̬¹¤ÒµÊ¾·¶Ô°Çø" * 10, 200, area)  # GBK read as Latin-1
    assert page_needs_ocr("\ufffd" * 300 + "园区", 302, area)


def test_settings_reject_unknown_keys() -> None:
    with pytest.raises(ValueError, match="unknown OCR setting"):
        OcrSettings.from_mapping({"dpi": 150, "dpii": 1})
    assert OcrSettings.from_mapping({"dpi": 150}).dpi == 150


def test_models_are_bundled_and_never_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Explicit model paths inside the wheel: the download helper must not be called."""
    from rapidocr.utils import download_file

    from extract.read.ocr import engine as ocr_engine

    def no_network(*_a: object, **_k: object) -> None:
        raise AssertionError("rapidocr tried to download")

    monkeypatch.setattr(download_file.DownloadFile, "run", classmethod(no_network))
    paths = ocr_engine.bundled_models()
    assert all(p.is_file() and "site-packages" in str(p) for p in paths.values())
    ocr_engine._engine.cache_clear()
    img = np.full((64, 300), 255, np.uint8)
    cv2.putText(img, "12.5", (20, 45), 0, 1.2, 0, 2)
    text, score = ocr_engine.read_line(img)
    assert text.replace(" ", "") == "12.5" and score > 0.5


def test_ocr_checks_flag_confusions() -> None:
    from normalize.ocr_checks import confusable_letters, lost_decimal
    from schemas.record import YearValue

    assert confusable_letters("1O.5") and confusable_letters("9S.04")
    assert not confusable_letters("95.04") and not confusable_letters("达标")
    a = YearValue(year=2016, column="2016年", value=4.6, text="4.6")
    b = YearValue(year=2018, column="2018年", value=779.0, text="779")
    assert lost_decimal(b, [a, b]) and not lost_decimal(a, [a, b])


def test_scanned_annex_page_against_truth() -> None:
    """Page 6 of the Changchun scan: tilted, noisy, a red seal over the value columns."""
    from extract.read.ocr.reader import ocr_pages

    truth = json.loads((SCANS / "changchun_2018_scan.truth.json").read_text("utf-8"))
    lines, tables, warnings = ocr_pages(SCANS / "changchun_2018_scan.pdf", [6])
    assert not warnings
    (table,) = tables
    header = [c.text.replace("\n", "") for c in table.rows[0]]
    assert header[:5] == ["分类", "序号", "指标", "单位", "要求"]
    assert header[-2:] == ["2016年", "2018年"]
    by_number = {r[1].text: r for r in table.rows[1:] if r[1].text.isdigit()}
    want = {t["number"]: t for t in truth["indicators"]}
    checked = 0
    for n in range(1, 16):
        row = by_number[str(n)]
        for col, year in ((6, "2016"), (7, "2018")):
            cell = row[col]
            assert cell.confidence is not None
            ok = same_cell(cell.text, want[n]["values"][year])
            # A wrong reading must never be confident.
            assert ok or cell.confidence < OcrSettings().cell_confidence, (n, year, cell)
            checked += ok
        assert row[5].text == want[n]["assessed"]
    assert checked >= 29  # of 30
    assert any("附件一" in ln.text for ln in lines)
    # bboxes are PDF points of the displayed page
    x0, top, x1, bottom = table.loc.bbox or (0, 0, 0, 0)
    assert 40 < x0 < x1 < 560 and 150 < top < bottom < 800


def _mark_image(kind: str) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A binary (ink = 255) image with one 24 px tick box of ``kind`` at (20, 20)."""
    img = np.zeros((64, 64), np.uint8)
    box = (20, 20, 44, 44)
    if kind in ("empty", "ticked"):
        cv2.rectangle(img, (20, 20), (43, 43), 255, 2)
    if kind == "filled":
        cv2.rectangle(img, (20, 20), (43, 43), 255, -1)
    if kind in ("ticked", "tick"):
        cv2.line(img, (24, 32), (30, 40), 255, 3)
        cv2.line(img, (30, 40), (41, 22), 255, 3)
    return img, box


@pytest.mark.parametrize(
    ("kind", "want"),
    [("empty", "☐"), ("filled", "☑"), ("ticked", "☑"), ("tick", "☑")],
)
def test_tick_box_judged_by_ink(kind: str, want: str) -> None:
    """□ is unticked; ■, ☑ and a bare √ are ticked, whatever the recogniser read."""
    from extract.read.ocr.glyphs import judge_mark

    img, box = _mark_image(kind)
    if kind == "empty":
        img[31, 31] = 255  # a speck inside an empty box changes nothing
    assert judge_mark(img, box) == want


def test_glyph_boxes_cut_at_whitespace() -> None:
    """The recogniser's glyph boxes abut; cut to the ink, the gap between an index
    number and the name after it comes back (the borderless finder needs it)."""
    from extract.read.layout.geom import Char
    from extract.read.ocr.glyphs import fit_to_ink

    k = 2.0
    img = np.zeros((40, 200), np.uint8)
    img[10:30, 10:20] = 255  # "2"
    img[10:30, 60:80] = 255  # "人"
    img[10:30, 82:102] = 255  # "均"
    line = [
        (Char("2", 5 / k, 12 / k, 58 / k, 28 / k), 0.99),
        (Char("人", 58 / k, 12 / k, 81 / k, 28 / k), 0.98),
        (Char("均", 81 / k, 12 / k, 104 / k, 28 / k), 0.97),
    ]
    fitted = {c.text: c for c in fit_to_ink([line], img, k)}
    assert fitted["2"].x1 == pytest.approx(20 / k) and fitted["2"].x0 == pytest.approx(10 / k)
    assert fitted["人"].x0 == pytest.approx(60 / k)
    assert fitted["人"].x0 - fitted["2"].x1 > 15  # a column gap, in points


def test_a_speck_read_as_a_mark_is_no_glyph() -> None:
    """A dot of noise after a 序号 read as ☑ (8☑ numbers no row): a box, tick or cross
    mark is drawn at least a quarter of its line's height wide; a narrower blob is a speck.
    The same mark drawn at its size stays."""
    from extract.read.layout.geom import Char
    from extract.read.ocr.glyphs import fit_to_ink

    k = 2.0
    img = np.zeros((40, 200), np.uint8)
    img[10:30, 10:20] = 255  # "8"
    img[24:27, 30:33] = 255  # a speck
    img[10:30, 60:78] = 255  # a ticked box drawn at its size
    line = [
        (Char("8", 5 / k, 10 / k, 28 / k, 30 / k), 0.99),
        (Char("☑", 28 / k, 10 / k, 50 / k, 30 / k), 0.46),
        (Char("☑", 58 / k, 10 / k, 80 / k, 30 / k), 0.9),
    ]
    fitted = sorted(fit_to_ink([line], img, k), key=lambda c: c.x0)
    assert [c.text for c in fitted] == ["8", "☑"]
    assert fitted[1].x0 == pytest.approx(60 / k)


def test_glyphs_of_a_vertical_line_are_fitted_to_their_own_ink() -> None:
    """A vertical line (二 / 十 / 三 stacked in a 序号 column) gives every glyph the line's
    width; each is fitted to the ink in its own box, not to the stack's padded ink, which
    holds the wider serial above and ink beside (they bridged the gap to the name column)."""
    from extract.read.layout.geom import Char
    from extract.read.ocr.glyphs import fit_to_ink

    k = 2.0
    img = np.zeros((140, 120), np.uint8)
    img[0:18, 10:70] = 255  # a wide mark above the stack, within half its height
    img[22:38, 30:50] = 255  # "二"
    img[42:58, 31:49] = 255  # "十"
    img[62:78, 30:50] = 255  # "三"
    img[100:116, 20:60] = 255  # wider ink below, within half the stack's height
    line = [
        (Char("二", 14 / k, 20 / k, 66 / k, 40 / k), 0.99),
        (Char("十", 14 / k, 40 / k, 66 / k, 60 / k), 0.99),
        (Char("三", 14 / k, 60 / k, 66 / k, 80 / k), 0.99),
    ]
    fitted = {c.text: c for c in fit_to_ink([line], img, k)}
    assert (fitted["二"].x0, fitted["二"].x1) == (pytest.approx(30 / k), pytest.approx(50 / k))
    assert (fitted["十"].x0, fitted["十"].x1) == (pytest.approx(31 / k), pytest.approx(49 / k))
    assert fitted["三"].top == pytest.approx(60 / k)  # (the glyphs keep their own heights)


def test_lines_set_under_each_other_in_one_vertical_box_are_told_apart() -> None:
    """The detector may join a narrow 序号 column's two-line serials (二十 / 四 / 二十 / 五)
    into one vertical box, which the recogniser reads down its middle (十四十五, the 二s
    lost). Such a box is wider than one glyph; its lines are its bands of ink, the
    strokes of one glyph (二's two) kept together. A true vertical line is one glyph wide."""
    from extract.read.ocr.glyphs import stacked_lines

    em = 20
    img = np.zeros((200, 80), np.uint8)

    def er(top: int, x0: int) -> None:  # 二: two strokes, a blank between them
        img[top + 3 : top + 6, x0 : x0 + 16] = 255
        img[top + 14 : top + 17, x0 - 2 : x0 + 18] = 255

    er(10, 12)
    img[10:30, 32:52] = 255  # 十 beside it
    img[36:56, 22:42] = 255  # 四 under the pair
    er(64, 12)
    img[64:84, 32:52] = 255
    img[90:110, 22:42] = 255  # 五
    img[150:152, 78:80] = 255  # a speck at the box's edge
    assert stacked_lines(img, (0, 0, 80, 120), em) == [(10, 30), (36, 56), (64, 84), (90, 110)]
    one = np.zeros((200, 80), np.uint8)
    for top in (10, 34, 58):
        one[top + 3 : top + 6, 22:38] = 255  # 二 / 二 / 二 stacked one glyph wide
        one[top + 14 : top + 17, 20:40] = 255
    one[100:102, 0:2] = 255  # specks at both edges
    one[100:102, 78:80] = 255
    assert stacked_lines(one, (0, 0, 80, 120), em) == []


def test_mixed_text_and_scanned_report_reads_completely() -> None:
    """The 15-page Nanchang report with its annex pages (11-15) scanned back in: the
    narrative comes from the text layer, the annexes and the basic-info table (ticks,
    postcode) from OCR, and the record holds everything the truth says."""
    from ecopark.pipeline import process
    from tests.truth import compare

    pdf = SCANS / "mixed_nanchang_ganxi_2021.pdf"
    truth = json.loads(pdf.with_name(pdf.stem + ".truth.json").read_text("utf-8"))
    report = process(pdf)
    assert report.source.kind == "pdf"
    assert report.status == "ok", report.errors
    ocr_note = next(f for f in report.findings if f.kind == "low_confidence" and not f.indicator)
    assert ocr_note.evidence["pages"] == truth["scanned_pages"]
    assert compare(report, truth) == []


def test_low_confidence_reading_confirmed_by_the_claim_is_info() -> None:
    from normalize.ocr_checks import OcrCheckSettings, load_plausibility, value_reasons
    from normalize.ocr_checks import _cross_checked as cross_checked
    from schemas.record import Indicator, YearValue

    def ind(claimed: bool, computed: bool) -> tuple[Indicator, YearValue]:
        yv = YearValue(year=2022, column="2022年", value=100.0, text="100", computed_pass=computed)
        return Indicator(
            number=30,
            name="重点企业环境信息公开率",
            raw_name="重点企业环境信息公开率",
            category="信息公开",
            unit="%",
            requirement="100",
            mandatory=True,
            assessed=True,
            values=[yv],
            claimed_pass=claimed,
        ), yv

    s, rules = OcrCheckSettings(), load_plausibility()
    agree, yv = ind(True, True)
    why = value_reasons(agree, yv, 0.55, 2022, rules, s)
    assert len(why) == 1 and cross_checked(agree, yv, 2022, why)
    flip, yv2 = ind(True, False)
    why2 = value_reasons(flip, yv2, 0.55, 2022, rules, s)
    assert "contradicts the printed 是否达标" in why2 and not cross_checked(flip, yv2, 2022, why2)


def test_odd_number_form_is_low_confidence() -> None:
    """A confident recogniser does not make an odd form trustworthy: 05.3 or two
    numbers in one cell get a low_confidence reason; plain values do not."""
    from normalize.ocr_checks import OcrCheckSettings, load_plausibility, value_reasons
    from schemas.record import Indicator, YearValue

    def reasons(text: str, value: float | None) -> list[str]:
        yv = YearValue(year=2018, column="2018年", value=value, text=text)
        ind = Indicator(
            number=2,
            name="人均工业增加值",
            raw_name="人均工业增加值",
            category="经济发展",
            unit="万元/人",
            requirement="≥15",
            mandatory=False,
            assessed=True,
            values=[yv],
        )
        return value_reasons(ind, yv, 0.99, 2018, load_plausibility(), OcrCheckSettings())

    assert any("odd number form" in r for r in reasons("05.3", 5.3))
    assert any("odd number form" in r for r in reasons("100-0.029", None))
    assert reasons("21.40", 21.4) == []
    assert not any("odd" in r for r in reasons("-0.19", -0.19))


def test_two_rows_in_one_merged_cell_are_split_back() -> None:
    """A row ruling the scan lost in the value columns merges two rows' cells; their
    values go back to the rows whose rulings hold them. A merged category cell holding
    words stays merged."""
    from extract.read.layout.geom import Char
    from extract.read.layout.settings import PdfSettings
    from extract.read.ocr.grid import PixGrid
    from extract.read.ocr.reader import split_row_merges

    # 3 rows × 3 columns (category, name, value) at 1 px = 1 pt; the value column's
    # rows 0 and 1 are one merged cell, the category column's rows 0-2 too.
    grid = PixGrid(
        xs=[0.0, 40.0, 140.0, 200.0],
        ys=[0.0, 20.0, 40.0, 60.0],
        owner=[[(0, 0), (0, 1), (0, 2)], [(0, 0), (1, 1), (0, 2)], [(0, 0), (2, 1), (2, 2)]],
    )

    def word(text: str, x: float, y: float) -> list[Char]:
        return [Char(ch, x + 6 * i, y, x + 6 * (i + 1), y + 8) for i, ch in enumerate(text)]

    by_elem = {
        (0, 2): word("100", 150, 6),
        (1, 2): word("-0.029", 150, 26),
        (0, 0): word("资源", 5, 16),
        (1, 0): word("节约", 5, 30),
    }
    conf = {c: 0.99 for cs in by_elem.values() for c in cs}
    split = split_row_merges(grid, by_elem, conf, PdfSettings())
    assert split == {(0, 2), (1, 2)}

    # A 编号 column in Chinese numerals whose row rulings the scan lost: 十 / 一 is one
    # row's 十一 wrapped in the narrow cell, 十二 the next row's.
    by_elem = {(0, 0): word("十", 5, 3) + word("一", 5, 12), (1, 0): word("十二", 5, 26)}
    conf = {c: 0.99 for cs in by_elem.values() for c in cs}
    assert split_row_merges(grid, by_elem, conf, PdfSettings()) == {(0, 0), (1, 0), (2, 0)}


def _row(tables: list, number: str) -> list[str]:
    """The texts of the first table row whose cells include ``number`` (a 序号)."""
    for t in tables:
        for row in t.rows:
            if any(c.text.strip() == number for c in row):
                return [c.text for c in row]
    return []


def test_table_pasted_as_a_picture_into_a_text_pdf_is_read(tmp_path: Path) -> None:
    """A text PDF whose last annex page holds the table as a picture (the text around
    it keeps its text layer): the picture is OCR'd, its cells carry page and a bbox
    inside the picture, and the text pages stay text."""
    from extract.read.pdf.reader import read_pdf
    from tests.scan_inputs import SAMPLES, pasted_table

    out = tmp_path / "pasted.pdf"
    (box,) = pasted_table(SAMPLES / "hebei_bohai_2019.pdf", out, [7]).values()
    doc = read_pdf(out)
    assert doc.kind == "pdf" and doc.ocr_pages == [7]
    # Page 7 is the 标准达标情况 table: #28 is claimed to fail.
    row = _row([t for t in doc.tables if t.loc.page == 7], "28")
    assert row[1:] == ["28", "单位工业增加值固废产生量", "吨/万元", "≤0.1", "否", "否"], row
    ocr_cells = [c for t in doc.tables for r in t.rows for c in r if c.confidence is not None]
    assert ocr_cells and all(c.loc.page == 7 and c.loc.bbox for c in ocr_cells)
    for c in ocr_cells:
        x0, y0, x1, y1 = c.loc.bbox  # type: ignore[misc]
        assert box[0] - 3 <= x0 < x1 <= box[2] + 3 and box[1] - 3 <= y0 < y1 <= box[3] + 3
    # The text-layer pages keep their own table (no OCR confidence on them).
    assert _row([t for t in doc.tables if t.loc.page == 6], "2")


def test_page_fed_sideways_is_turned_and_read(tmp_path: Path) -> None:
    """An annex page scanned turned by 270° reads like the upright page."""
    from extract.read.pdf.reader import read_pdf
    from tests.scan_inputs import SAMPLES, sideways_scan

    out = sideways_scan(SAMPLES / "hebei_bohai_2019.pdf", tmp_path / "side.pdf", [7], 270)
    doc = read_pdf(out)
    assert doc.kind == "scanned-pdf"
    row = _row(doc.tables, "27")
    # The page prints the name with a footnote mark (废水排放量 a): read or not, the
    # rest of the row must be exact.
    row[2] = row[2].removesuffix("a").rstrip()
    assert row[1:] == ["27", "单位工业增加值废水排放量", "吨/万元", "≤7", "否", "是"], row


def test_tables_of_a_page_fed_sideways_keep_their_reading_order(tmp_path: Path) -> None:
    """A page holding the info form and, below it, the pass table's header, scanned
    turned by 270°: the tables come in the upright page's order (its page boxes run
    across the sheet; sorted by them, the pass table's first part came before the form
    and the part overleaf could no longer continue it)."""
    from extract.read.pdf.reader import read_pdf
    from tests.scan_inputs import SAMPLES, sideways_scan

    out = sideways_scan(SAMPLES / "hebei_bohai_2019.pdf", tmp_path / "side.pdf", [5], 270)
    doc = read_pdf(out)
    firsts = ["".join(c.text for c in t.rows[0]) for t in doc.tables]
    form = next(i for i, t in enumerate(firsts) if "园区基本" in t)
    passes = next(i for i, t in enumerate(firsts) if "是否达" in t)
    assert form < passes, firsts


def test_orientation_from_line_boxes_and_turn_map() -> None:
    """Upright line boxes mean a page on its side; a map from the turned image's
    pixels back to the given image's pixels is exact for every quarter turn."""
    from extract.read.ocr.engine import OcrBox
    from extract.read.ocr.orient import is_sideways, turn_back

    def box(w: float, h: float) -> OcrBox:
        return OcrBox("文字", (), (0.0, 0.0, w, h), 0.99)

    assert is_sideways([box(30, 400)] * 8 + [box(300, 30)])
    assert not is_sideways([box(400, 30)] * 8 + [box(30, 300)] * 3)
    img = np.arange(12 * 7, dtype=np.int64).reshape(12, 7)  # height 12, width 7
    for k in range(4):
        turned = np.rot90(img, k)
        m = turn_back(k, 7, 12)
        for y, x in ((0, 0), (3, 5), (turned.shape[0] - 1, turned.shape[1] - 1)):
            ox, oy, _ = m @ np.array([x, y, 1.0])
            assert img[round(oy), round(ox)] == turned[y, x]


def test_a_sideways_page_of_a_few_standing_lines_turns_when_they_read_better() -> None:
    """A page holding a landscape table's last two rows, fed sideways: two standing
    lines and no lying one are too few for the shape count; they are read as given and
    turned each way, and the turn under which they read clearly better wins. Lines that
    read as well as given keep the page upright."""
    from extract.read.ocr.engine import OcrBox
    from extract.read.ocr.orient import page_turn

    gray = np.full((400, 300), 255, np.uint8)
    gray[20:380, 40:60] = 0  # two standing lines of text
    gray[20:300, 90:110] = 0
    boxes = [
        OcrBox("", (), (40.0, 20.0, 60.0, 380.0), 0.0),
        OcrBox("", (), (90.0, 20.0, 110.0, 300.0), 0.0),
    ]

    def read(crop: np.ndarray) -> tuple[str, float]:  # reads well only when turned
        return ("文字", 0.95 if crop.shape[1] > crop.shape[0] else 0.3)

    assert page_turn(gray, boxes, read) in (1, 3)
    assert page_turn(gray, boxes, lambda crop: ("文字", 0.9)) == 0


def test_extract_command_stops_a_long_scan_at_its_time_limit(tmp_path: Path) -> None:
    """`ecopark extract` has `run`'s per-document time limit: a scanned report that
    takes longer is stopped, recorded as failed with the reason, and the command says
    so in its exit code."""
    from typer.testing import CliRunner

    from ecopark.cli import app

    scan = SCANS / "changchun_2018_scan.pdf"  # 11 pages to OCR
    out = tmp_path / "out"
    args = ["extract", str(scan), "-o", str(out), "--no-html", "--timeout", "0.5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    (record,) = [json.loads(p.read_text("utf-8")) for p in (out / "records").glob("*.json")]
    assert record["status"] == "failed"
    assert "timeout: more than 0.5 s" in record["errors"][0]["message"]
