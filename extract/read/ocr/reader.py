"""Scanned pages → the same ``Line``s and ``Table``s a text layer gives, with confidence.

Per page: render (pypdfium2) → drop red ink → estimate and undo the tilt → OCR every
text line once (RapidOCR, per-glyph boxes) → glyph boxes fitted to the ink and tick
boxes next to option words judged from the ink (``extract.read.ocr.glyphs``) → ruled grids
from the image (OpenCV morphology) → glyphs placed into cells by their centres. Glyphs
outside a ruled grid become visual lines in PDF points, and the text-layer reader's own
borderless-table finder (``find_stream_tables``: whitespace columns, rows keyed by 序号)
runs on them, so scans and text PDFs share one notion of a borderless table; on such
pages ink that no detected line covers (a lone 1 in the 序号 column, a —) is read by
recognition alone first.

Working space is the *deskewed* page in PDF points (pixels / (dpi/72)); boxes handed
out are mapped back through the inverse rotation to the page as displayed.
A cell's ``confidence`` is its least certain glyph's probability; an empty-read cell
that holds ink is read again by recognition alone and capped below the threshold.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import regex

from extract.errors import ReadError
from extract.read.layout.anchors import plus_as_ten
from extract.read.layout.borderless import StreamTable, find_stream_tables
from extract.read.layout.chunks import header_hits
from extract.read.layout.geom import Char
from extract.read.layout.lines import TextLine, make_lines, map_checkbox, narrative_lines
from extract.read.layout.settings import PdfSettings
from extract.read.layout.triage import keyword_hits
from extract.read.ocr import engine as ocr_engine
from extract.read.ocr.glyphs import (
    dash_in_cell,
    fit_to_ink,
    mark_shape,
    missed_ink,
    place_marks,
    rule_pieces,
    stacked_lines,
    tick_marks,
)
from extract.read.ocr.grid import (
    Affine,
    PixBox,
    PixGrid,
    binarize,
    drop_cut_columns,
    estimate_skew,
    find_grids,
    ink_ratio,
    invert,
    map_box,
    rotate,
    split_seal,
)
from extract.read.ocr.orient import page_turn, turn_back
from extract.read.ocr.settings import OcrSettings
from extract.source import BBox, Cell, Line, Loc, SourceDoc, Table
from schemas.standard import all_standards

__all__ = ["OcrSettings", "ocr_pages", "page_needs_ocr", "read_scanned_pdf"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u2e80-\u2fdf]")
_LETTER = re.compile(r"[^\W\d_]")
_CID = re.compile(r"\(cid:\d+\)")
_ROW_START = re.compile(r"^\d{1,2}\s+\S")
# Latin-1 letters that GBK bytes decode to when a PDF's font maps Chinese text to a
# single-byte encoding (Ã, Â, Ö, ×...): mojibake, not text.
_MOJIBAKE = re.compile(r"[\u00c0-\u00ff\u0100-\u024f]")

# Share of a detected box's height trimmed off at top and bottom (see ``glyphs``).
BAND_TRIM = 0.2

Rgb = npt.NDArray[np.uint8]
Conf = dict[Char, float]


# --- triage ------------------------------------------------------------------------------


def page_needs_ocr(
    text: str, n_chars: int, page_area: float, settings: OcrSettings | None = None
) -> bool:
    """Does a page's text layer fail to carry its text? No text, (cid:NN) glyph names,
    unmappable code points, or letters that are not Chinese (mojibake) all send the
    page to OCR. ``page_area`` is in pt²; ``n_chars`` the text layer's glyph count."""
    s = settings or OcrSettings()
    bad_cids = len(_CID.findall(text))
    printable = [ch for ch in _CID.sub("", text) if not ch.isspace()]
    if len(printable) + bad_cids < s.min_chars_per_kpt2 * page_area / 1000.0 or n_chars == 0:
        return True
    bad = bad_cids + sum(1 for ch in printable if _unmappable(ch))
    if bad >= s.max_bad_ratio * (len(printable) + bad_cids):
        return True
    letters = [ch for ch in printable if _LETTER.match(ch)]
    if len(letters) >= s.min_letters_for_cjk_test:
        cjk = sum(1 for ch in letters if _CJK.match(ch))
        latin_junk = sum(1 for ch in letters if _MOJIBAKE.match(ch))
        if cjk < s.min_cjk_ratio * len(letters) or latin_junk > max(cjk, 1):
            return True
    return False


def _unmappable(ch: str) -> bool:
    o = ord(ch)
    return ch == "\ufffd" or o < 0x20 or (0xE000 <= o <= 0xF8FF and not 0xF020 <= o <= 0xF0FF)


# --- one page ----------------------------------------------------------------------------


@dataclass(slots=True)
class OcrPage:
    """What OCR made of one page, in the PDF reader's terms: narrative lines (display
    space, not yet stripped of running headers), tables, and a borderless table that
    ran to the foot of the page (the next page may continue it)."""

    lines: list[TextLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    skew: float = 0.0
    carry: StreamTable | None = None
    turn: int = 0  # degrees counter-clockwise the page was turned to read upright


@dataclass(frozen=True, slots=True)
class _Frame:
    """Pixels of the deskewed image → PDF points of the displayed page."""

    px_per_pt: float
    back: Affine  # deskewed pixels → original pixels
    # Where the image's top-left corner lies on the page (pt): a picture region of a
    # text page is rendered on its own.
    origin: tuple[float, float] = (0.0, 0.0)

    def page_box(self, box_pt: BBox) -> BBox:
        k = self.px_per_pt
        x0, y0, x1, y1 = map_box(
            (box_pt[0] * k, box_pt[1] * k, box_pt[2] * k, box_pt[3] * k), self.back
        )
        ox, oy = self.origin
        return (
            round(x0 / k + ox, 2),
            round(y0 / k + oy, 2),
            round(x1 / k + ox, 2),
            round(y1 / k + oy, 2),
        )


def glyph_lines(
    boxes: Iterable[ocr_engine.OcrBox], px_per_pt: float
) -> list[list[tuple[Char, float]]]:
    """Every recognised glyph as a ``Char`` in deskewed PDF points with its probability,
    one list per detected line. A line without usable per-glyph boxes is spread evenly
    over its box."""
    out: list[list[tuple[Char, float]]] = []
    k = px_per_pt
    for b in boxes:
        # Detected boxes are grown beyond the ink (PP-OCR's unclip); neighbouring lines
        # of a wrapped cell would overlap and merge into one line. Keep the middle band.
        pad = (b.bbox[3] - b.bbox[1]) * BAND_TRIM
        top, bottom = (b.bbox[1] + pad) / k, (b.bbox[3] - pad) / k
        line: list[tuple[Char, float]] = []
        if b.chars and "".join(c.text for c in b.chars) == b.text.replace(" ", ""):
            # A vertical line of text (序/号 stacked in a narrow header) keeps each
            # glyph's own height, so the glyphs read top to bottom.
            vertical = _is_vertical(b)
            for c in b.chars:
                t, bt = (c.box[1] / k, c.box[3] / k) if vertical else (top, bottom)
                line.append((Char(c.text, c.box[0] / k, t, c.box[2] / k, bt), c.confidence))
        elif b.text:
            text = b.text
            x0, _y0, x1, _y1 = b.bbox
            w = (x1 - x0) / len(text)
            for i, ch in enumerate(text):
                box = ((x0 + i * w) / k, top, (x0 + (i + 1) * w) / k, bottom)
                line.append((Char(ch, *box), b.confidence))
        if line:
            out.append(line)
    return out


# A text layer's glyph box is the font's ascent to descent (~1.2 em); the band OCR keeps
# of a detected line (BAND_TRIM) is ~0.9 em. Outside ruled grids glyphs are grown to the
# text layer's height about their middle, so the line, word-gap, column-gap and row
# tolerances of the shared borderless reader (ratios of glyph height, tuned on text
# layers) mean the same on a scan: a 序号 wrapped over two lines (1 / 1) stays one serial.
TEXT_BOX_GROW = 1.35


def text_box(c: Char) -> Char:
    """``c`` grown about its middle to a text layer's glyph height."""
    mid, half = (c.top + c.bottom) / 2, (c.bottom - c.top) * TEXT_BOX_GROW / 2
    return c._replace(top=round(mid - half, 2), bottom=round(mid + half, 2))


def text_line(line: TextLine) -> TextLine:
    """``line`` with its glyphs grown by ``text_box``."""
    chars = tuple(text_box(c) for c in line.chars)
    x0, _, x1, _ = line.bbox
    grown = [c for c in chars if not c.text.isspace()] or list(chars)
    return line._replace(
        chars=chars,
        bbox=(x0, min(c.top for c in grown), x1, max(c.bottom for c in grown)),
    )


def as_text_boxes(chars: Iterable[Char], conf: Conf | None = None) -> Conf:
    """The glyphs grown by ``text_box`` with their probabilities (from ``conf``, else
    the mapping ``chars`` itself when it is one)."""
    source: Conf = conf if conf is not None else dict(chars) if isinstance(chars, dict) else {}
    out: Conf = {}
    for c in chars:
        p = source.get(c, 1.0)
        out[text_box(c)] = p
        # (lines carry a tick as the shared mark, √ as ☑: that glyph is as sure as the
        # reading, not sure by default)
        out[text_box(map_checkbox(c))] = p
    return out


def glyphs(boxes: Iterable[ocr_engine.OcrBox], px_per_pt: float) -> Conf:
    """All glyphs of ``glyph_lines`` in one mapping (glyph → probability)."""
    return {c: p for line in glyph_lines(boxes, px_per_pt) for c, p in line}


# Marks a recogniser reads for a decimal point, or for specks and gaps between digits.
_POINTS = frozenset(".,:·．，：'`")
# Minus forms a report prints or a recogniser reads before digits: hyphen, U+2212,
# full-width, figure dash, en/em dash, small hyphen; 一 (the numeral one) is what
# PP-OCR often makes of a minus. Only a leading one is a sign.
MINUS_FORMS = frozenset("-−－‒–—﹣一")
# A minus a blurred scan's recogniser reads as a tilde (~0.18): a sign only before the
# digits, and a repair (the cell is doubted).
TILDE_MINUS = frozenset("~～〜∼")
_NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９+%％") | _POINTS | MINUS_FORMS
# Readings of a lone tick in a claim cell (√ comes out as V more often than not).
_TICKS = frozenset({"√", "V", "v", "✓", "✔", "√√"})
_CROSSES = frozenset({"×", "x", "X", "✗", "✘", "乂"})
# Confidence of a reading we repaired: never above the low-confidence threshold.
REPAIRED_CONFIDENCE = 0.6
# What a recogniser reads for a lone dash (— in a value cell: not applicable).
_DASHES = frozenset({"一", "-", "—", "–", "－", "_", "~", "一一", "——", "--", "ー"})


def number_text(glyphs: Sequence[tuple[str, float]]) -> tuple[str, bool] | None:
    """A numeric cell's text from its glyphs (reading order, spaces left out), and
    whether it was repaired; None when the cell is not a number.

    Wide-set (full-width) digits come out with gaps, so spaces are dropped. Specks and
    gaps read as extra points ("11...20", "6.:04") keep only the surest point; a lone
    comma before 1–2 digits is a decimal point; points at either end go. Repairs are
    returned so the caller can lower the cell's confidence."""
    chars = [(t, c) for t, c in glyphs if not t.isspace()]
    if chars and chars[0][0] in TILDE_MINUS:
        chars = [("-", chars[0][1]), *chars[1:]]
    if not chars or any(t not in _NUMBER_CHARS for t, _ in chars):
        return None
    if not any(t.isdigit() for t, _ in chars):
        return None
    if chars[0][0] in MINUS_FORMS:
        chars = [("-", chars[0][1]), *chars[1:]]
    if any(t in MINUS_FORMS for t, _ in chars[1:]):
        # A sign inside the digits: two numbers run together (100-0.029), not one.
        return "".join(t for t, _ in chars), True
    while chars and chars[0][0] in _POINTS:
        chars = chars[1:]
    while chars and chars[-1][0] in _POINTS:
        chars = chars[:-1]
    points = [i for i, (t, _) in enumerate(chars) if t in _POINTS]
    plain = "".join(t for t, _ in chars)
    if len(points) == 1:
        i = points[0]
        tail = sum(1 for t, _ in chars[i + 1 :] if t.isdigit())
        if chars[i][0] in ",，" and tail == 3:
            return plain, plain != "".join(t for t, _ in glyphs if not t.isspace())
        text = plain[:i] + "." + plain[i + 1 :]
    elif points:
        keep = max(points, key=lambda i: (chars[i][0] in ".．", chars[i][1]))
        text = "".join(
            ("." if i == keep else "") if t in _POINTS else t for i, (t, _) in enumerate(chars)
        )
    else:
        text = plain
    original = "".join(t for t, _ in glyphs if not t.isspace())
    original = "-" + original[1:] if original[:1] in MINUS_FORMS else original
    # A leading 0 before more digits (05.30, 012) is no way to print a number: a speck
    # or a lost point; the reading stands, its confidence does not.
    odd = bool(re.match(r"-?0\d", text))
    return text, text != original or odd


def _center(c: Char) -> tuple[float, float]:
    return ((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2)


def _text_of(chars: Sequence[Char], ps: PdfSettings) -> str:
    lines = make_lines(chars, ps.line_overlap_ratio, ps.word_gap_ratio, ps.dedupe_tolerance)
    return "\n".join(ln.text for ln in lines)


# A gap the glyph boxes left beside a decimal point inside a number ("0. 484 吨标煤/万元",
# "15. 2" of a wrapped 15.21%): ink-fitted boxes make the point's gap look like a word
# space; no report prints a space inside a number.
_SPACED_POINT = re.compile(r"(?<=\d)(?: +[.．]|[.．] +| +[.．] +)(?=\d)")


def close_spaced_points(text: str) -> str:
    """``text`` with the spaces beside a decimal point between two digits removed."""
    return _SPACED_POINT.sub(".", text)


# What a recogniser reads for a ruling caught at the edge of a cell's crop.
_RULINGS = frozenset("|｜丨ǀ")


def _without_rulings(chars: Sequence[Char]) -> Sequence[Char]:
    """A ruled cell's glyphs without a ruling read at either end of a number (57.23|,
    |13.52): no number is printed with a bar beside it."""
    ordered = sorted(chars, key=lambda c: c.x0)
    a, b = 0, len(ordered)
    while a < b and ordered[a].text in _RULINGS:
        a += 1
    while b > a and ordered[b - 1].text in _RULINGS:
        b -= 1
    if (a, b) == (0, len(ordered)) or not any(c.text.isdigit() for c in ordered[a:b]):
        return chars
    kept = set(ordered[a:b])
    return [c for c in chars if c in kept]


def cell_reading(chars: Sequence[Char], conf: Conf, ps: PdfSettings) -> tuple[str, float]:
    """A cell's text and confidence (its least certain glyph; capped when a number had
    to be repaired)."""
    chars = _without_rulings(chars)
    confidence = min((conf.get(c, 1.0) for c in chars), default=1.0)
    text = close_spaced_points(_text_of(chars, ps))
    if text in _DASHES:
        return "—", confidence  # a dash alone in a cell: not applicable
    if text in _TICKS:
        return "√", confidence
    if text in _CROSSES:
        return "×", confidence
    mark = text.strip("".join(_POINTS) + " ")
    if mark != text and (mark in _TICKS or mark in _CROSSES):
        # A speck beside a lone mark read as a point (X.): the mark, doubted.
        return ("√" if mark in _TICKS else "×"), min(confidence, REPAIRED_CONFIDENCE)
    slashed = _unit_slash(text)
    if slashed is not None:
        return slashed, min(confidence, REPAIRED_CONFIDENCE)
    ordered: list[Char] | None = None
    if text and "\n" not in text:
        ordered = sorted(chars, key=lambda c: c.x0)
    elif text.count("\n") == 1 and text.split("\n")[0].strip() in _DASHES:
        # A minus wrapped onto a line of its own above its number in a narrow column
        # (− / 1.27%): one signed number, as a text layer's two lines are.
        lines = make_lines(chars, ps.line_overlap_ratio, ps.word_gap_ratio, ps.dedupe_tolerance)
        if len(lines) == 2:
            ordered = [*lines[0].chars, *sorted(lines[1].chars, key=lambda c: c.x0)]
    if ordered is not None:
        number = number_text([(c.text, conf.get(c, 1.0)) for c in ordered])
        if number is not None:
            text, repaired = number
            if repaired or _lopsided_point(ordered):
                confidence = min(confidence, REPAIRED_CONFIDENCE)
    return text, confidence


@cache
def _intensity_units() -> frozenset[str]:
    """The standards' units with a slash (万元/人, 吨/万元, 亿元/平方公里)."""
    return frozenset(i.unit for std in all_standards() for i in std.indicators if "/" in i.unit)


# A value printed with its unit, whose slash was read as a stroke: 10.79 万元 1人.
_UNIT_SLASH_READ = regex.compile(
    r"^(?P<num>[-−]?\d[\d.,]*)\s*(?P<a>\p{Han}+)\s*[1lI|丨]\s*(?P<b>\p{Han}+)$"
)


def _unit_slash(text: str) -> str | None:
    """``text`` with the slash of its unit back (10.79万元/人), or None when it is no value
    and unit read that way."""
    m = _UNIT_SLASH_READ.match(text.replace("\n", ""))
    if m is None or f"{m['a']}/{m['b']}" not in _intensity_units():
        return None
    return f"{m['num']}{m['a']}/{m['b']}"


# A decimal point is set close on both sides (9.5) or, in full-width digits (９．５), apart
# on both; one hugging the digit before it with a digit's blank after is as likely a speck
# the recogniser took for a point (95 read 9.5 at 0.98): the cell is doubted.
POINT_HUG_RATIO = 0.1
POINT_BLANK_RATIO = 0.35


def _lopsided_point(ordered: Sequence[Char]) -> bool:
    inked = [c for c in ordered if c.text.strip()]
    for before, point, after in zip(inked, inked[1:], inked[2:], strict=False):
        if point.text not in _POINTS or not (before.text.isdigit() and after.text.isdigit()):
            continue
        em = max(after.bottom - after.top, 1.0)
        if (
            point.x0 - before.x1 <= POINT_HUG_RATIO * em
            and after.x0 - point.x1 >= POINT_BLANK_RATIO * em
        ):
            return True
    return False


# A 序号 printed in Chinese numerals (二, 十一, 二十三): a column holding such serials
# numbers its rows in words, and a lone stroke read there is 一, not a dash.
_CN_SERIAL = re.compile(r"[一二三四五六七八九十]{1,3}")
_CN_SERIALS_FOR_COLUMN = 2


_ARABIC_SERIAL = re.compile(r"\d{1,2}")
# A speck or a stroke of the ruling read before a serial: -3, .3, 一3.
_SPECKED_SERIAL = re.compile(r"[-—一.·,'`]+\s*(\d{1,2})")
_ARABIC_SERIALS_FOR_COLUMN = 3


def _arabic_serials(rows: list[list[Cell]], column: Sequence[tuple[int, Cell]], j: int) -> None:
    """In a column of arabic serials, a cell read as a speck before the serial that
    comes next (-3 after 2) is that serial: read with the speck it was no serial, and
    its row joined the one above (49.58-3.95)."""
    texts = [c.text.replace("\n", "") for _, c in column]
    if sum(1 for t in texts if _ARABIC_SERIAL.fullmatch(t)) < _ARABIC_SERIALS_FOR_COLUMN:
        return
    previous: int | None = None
    for (i, c), t in zip(column, texts, strict=True):
        if _ARABIC_SERIAL.fullmatch(t):
            previous = int(t)
            continue
        m = _SPECKED_SERIAL.fullmatch(t)
        if m is not None and previous is not None and int(m[1]) == previous + 1:
            rows[i][j] = Cell(m[1], c.loc, c.confidence)
            previous = int(m[1])


def numeral_ones(rows: list[list[Cell]], raw: Sequence[Sequence[str]]) -> None:
    """In a column of Chinese-numeral serials, cells whose reading was a lone 一 (made
    a dash by ``cell_reading``: in a value cell that is what it means) read 一 again,
    and a 十 read as + (+五, 二 / +) is 十: a serial that does not read as one joins
    its row to the row above. ``raw`` holds each cell's text before that mapping."""
    width = max((len(r) for r in rows), default=0)
    for j in range(width):
        column = [(i, row[j]) for i, row in enumerate(rows) if j < len(row)]
        serials = sum(
            1
            for _, c in column
            if _CN_SERIAL.fullmatch(c.text.replace("\n", "")) and c.text.replace("\n", "") != "一"
        )
        if serials < _CN_SERIALS_FOR_COLUMN:
            _arabic_serials(rows, column, j)
            continue
        for i, c in column:
            if c.text == "—" and j < len(raw[i]) and raw[i][j].strip() == "一":
                rows[i][j] = Cell("一", c.loc, c.confidence)
            elif (ten := plus_as_ten(c.text)) != c.text and _CN_SERIAL.fullmatch(
                ten.replace("\n", "")
            ):
                rows[i][j] = Cell(ten, c.loc, c.confidence)


# A number as read without a sign.
_UNSIGNED = re.compile(r"\d[\d.,]*\s*[%％‰]?")


def grid_table(
    grid: PixGrid,
    chars: Sequence[Char],
    conf: Conf,
    page_no: int,
    frame: _Frame,
    reread: Any,
    ps: PdfSettings,
    sign_lost: Callable[[PixBox, Sequence[Char]], bool] | None = None,
    sign_cap: float = 1.0,
) -> Table:
    """A Table from an image grid: text at each merged cell's top-left position, covered
    positions empty; confidence = the least certain glyph (``reread(box_px)`` gives
    text and confidence for a cell with ink but no detected text, or None)."""
    k = frame.px_per_pt
    by_elem: dict[tuple[int, int], list[Char]] = {}
    for g in chars:
        x, y = _center(g)
        at = grid.locate_elementary(x * k, y * k)
        if at is not None:
            by_elem.setdefault(at, []).append(g)
    split = split_row_merges(grid, by_elem, conf, ps)
    owner = [
        [(r, c) if (r, c) in split else o for c, o in enumerate(row)]
        for r, row in enumerate(grid.owner)
    ]
    by_cell: dict[tuple[int, int], list[Char]] = {}
    for at, gs in by_elem.items():
        by_cell.setdefault(owner[at[0]][at[1]], []).extend(gs)
    rows: list[list[Cell]] = []
    raw: list[list[str]] = []
    for r in range(len(grid.ys) - 1):
        row: list[Cell] = []
        raw.append([_text_of(by_cell.get((r, c), []), ps) for c in range(len(grid.xs) - 1)])
        for c in range(len(grid.xs) - 1):
            if (r, c) in split:
                # An elementary cell split back out of a merge the scan made up.
                box = (grid.xs[c] / k, grid.ys[r] / k, grid.xs[c + 1] / k, grid.ys[r + 1] / k)
                text, confidence = cell_reading(by_cell.get((r, c), []), conf, ps)
                row.append(
                    Cell(text, Loc(page=page_no, bbox=frame.page_box(box)), round(confidence, 4))
                )
                continue
            if owner[r][c] != (r, c):
                box = (grid.xs[c] / k, grid.ys[r] / k, grid.xs[c + 1] / k, grid.ys[r + 1] / k)
                row.append(Cell("", Loc(page=page_no, bbox=frame.page_box(box)), 1.0))
                continue
            px = grid.cell_box(r, c)
            box = (px[0] / k, px[1] / k, px[2] / k, px[3] / k)
            inside = by_cell.get((r, c), [])
            text, confidence = cell_reading(inside, conf, ps)
            if not text.strip():
                again = reread(px)
                if again is not None:
                    text, confidence = again
            elif sign_lost is not None and _UNSIGNED.fullmatch(text) and sign_lost(px, inside):
                # A minus the detector did not see (a narrow cell wraps −0.46 as − over
                # 0.46, and a thin − is no line to it): the sign, and a doubt.
                text, confidence = "-" + text, min(confidence, sign_cap)
            row.append(
                Cell(text, Loc(page=page_no, bbox=frame.page_box(box)), round(confidence, 4))
            )
        rows.append(row)
    numeral_ones(rows, raw)
    gb = grid.bbox
    return Table(
        rows=rows,
        loc=Loc(page=page_no, bbox=frame.page_box((gb[0] / k, gb[1] / k, gb[2] / k, gb[3] / k))),
    )


# What one row's cell of a value, assessed, claim or 序号 column holds: a number (with a
# unit sign), a yes/no word, a mark or a serial in Chinese numerals (十一 wraps to two
# lines in a narrow 编号 column, still one row's). Text of this kind is never spread
# over rows.
_VALUE_LIKE = re.compile(
    r"[-−－+]?[\d.,]+\s*[%％‰]?|[是否√×]|必选|达标|未达标|—|/|[一二三四五六七八九十]{1,3}"
)


def split_row_merges(
    grid: PixGrid, by_elem: dict[tuple[int, int], list[Char]], conf: Conf, ps: PdfSettings
) -> set[tuple[int, int]]:
    """The elementary cells of false merges, to be read one by one. A row ruling the scan lost makes
    two rows' cells one merged cell (``3.04% 必选`` over ``必选``, ``100`` over
    ``-0.029``); a merged cell whose text sits in two or more of its elementary rows and
    is, in each, a value-like token is split back into its elementary cells, so every
    value stays in the row whose rulings hold it. Merged category and name cells (words,
    or one line of text) are left as printed."""
    out: set[tuple[int, int]] = set()
    span: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r, row in enumerate(grid.owner):
        for c, o in enumerate(row):
            span.setdefault(o, []).append((r, c))
    for elems in span.values():
        if len({r for r, _ in elems}) < 2:
            continue
        filled = [e for e in elems if by_elem.get(e)]
        if len({r for r, _ in filled}) < 2:
            continue
        texts = [cell_reading(by_elem[e], conf, ps)[0] for e in filled]
        if not all(_VALUE_LIKE.fullmatch(t.replace("\n", "").strip()) for t in texts):
            continue
        out.update(elems)
    return out


def stream_table(
    st: StreamTable, conf: Conf, page_no: int, frame: _Frame, ps: PdfSettings
) -> Table:
    rows: list[list[Cell]] = []
    for (top, bottom), row_chars in zip(st.row_bounds, st.cells, strict=True):
        row = []
        for (x0, x1), chars in zip(st.col_bounds, row_chars, strict=True):
            text, confidence = cell_reading(chars, conf, ps)
            loc = Loc(page=page_no, bbox=frame.page_box((x0, top, x1, bottom)))
            row.append(Cell(text, loc, round(confidence, 4)))
        rows.append(row)
    numeral_ones(rows, [[_text_of(chars, ps) for chars in rc] for rc in st.cells])
    return Table(rows=rows, loc=Loc(page=page_no, bbox=frame.page_box(st.bbox)))


def _may_hold_stream_table(lines: Sequence[TextLine], ps: PdfSettings) -> bool:
    """Table keywords, numbered lines, or a header row of column names (类别 指标名称 标准值
    考核指标 2014年完成值 over unnumbered rows: keywords the page holds once each)."""
    if keyword_hits("".join(ln.text for ln in lines)) >= ps.min_table_keywords:
        return True
    if any(header_hits(ln.text) >= HEADER_ROW_WORDS for ln in lines):
        return True
    return sum(1 for ln in lines if _ROW_START.match(ln.text)) >= ps.stream_min_rows


# Column names a line holds at least to be a table's header row (as blocks are found).
HEADER_ROW_WORDS = 3


def _stream_tables_found(
    chars: Sequence[Char], ps: PdfSettings, ts: PdfSettings, height: float
) -> bool:
    """Does the text outside the grids, as first read (narrative scale), hold a
    borderless table? Only then are its lines read again at the cells' scale and its
    uncovered ink read: a narrative page that merely names indicators pays neither. A
    header row of column names over lines of values is one even when the first reading
    finds no table in it (its lone 序号 digits are what the coarse reading misses)."""
    lines = make_lines(chars, ps.line_overlap_ratio, ps.word_gap_ratio, ps.dedupe_tolerance)
    if not _may_hold_stream_table(lines, ps):
        return False
    if find_stream_tables([text_line(ln) for ln in lines], ts, None, height):
        return True
    heads = [n for n, ln in enumerate(lines) if header_hits(ln.text) >= HEADER_ROW_WORDS]
    below = lines[heads[0] + 1 :] if heads else []
    return sum(1 for ln in below if _VALUE_LINE.search(ln.text)) >= ps.stream_min_rows


# A line of a table's values: a number standing apart (26.27, 44.08), as rows print them.
_VALUE_LINE = re.compile(r"(?:^|\s)[-−]?\d+(?:\.\d+)?%?(?:\s|$)")


# Readings of a lone upright stroke; a slash is told from them by its lean.
_ONE_LIKE = frozenset({"1", "l", "I", "|", "丨"})
# A stroke whose ink moves right by at least this share of its height going up is a
# slash: a 1 stands upright (its flag leans the other way; a deskewed page's tilt left
# is under 0.01). Some fonts' / is steep: 0.22 on a 150-dpi scan's slash.
SLASH_LEAN = 0.15


def leans_right(xs: npt.NDArray[Any], ys: npt.NDArray[Any]) -> bool:
    """Does this ink (pixel coordinates) lean like /, its top right of its bottom?"""
    height = int(ys.max()) - int(ys.min())
    if height < 4 or xs.size < 4:
        return False
    slope = float(np.polyfit(ys.astype(np.float64), xs.astype(np.float64), 1)[0])
    return -slope >= SLASH_LEAN


_HAN_GLYPH = re.compile(r"[\u3400-\u9fff]")


def bracket_spaces(conf: Conf) -> Conf:
    """``conf`` with a space glyph in the blank before a bracket that one recognised
    line reads straight after Han text (人均工业增加值 (万元/人)): a name's unit, in its
    cell — a text layer types that space, and a blank holding one typed space parts no
    columns. (The recogniser leaves it out, and the blank made the units a column.)"""
    items = list(conf.items())
    out: Conf = {}
    for n, (c, p) in enumerate(items):
        if n and c.text in "(（":
            prev, _ = items[n - 1]
            if _same_line(prev, c) and _HAN_GLYPH.fullmatch(prev.text) and c.x0 > prev.x1:
                out[Char(" ", prev.x1, c.top, c.x0, c.bottom)] = p
        out[c] = p
    return out


def slashes(conf: Conf, binary: npt.NDArray[np.uint8], k: float) -> Conf:
    """``conf`` with a lone 1 whose ink leans like / read as /: the recogniser reads a
    not-applicable cell's slash as 1, a confident number where the page has none. Only a
    1 standing alone in its recognised line, or with specks read as points beside it
    (1.): inside a number (2021) the ink fitted to a 1 may take a neighbour's stroke and
    lean."""
    items = list(conf.items())
    out: Conf = {}
    for line in _line_runs(items):
        inked = [(c, p) for c, p in line if c.text.strip()]
        ones = [c for c, _ in inked if c.text in _ONE_LIKE]
        if len(ones) == 1 and all(c.text in _ONE_LIKE or c.text in _POINTS for c, _ in inked):
            c = ones[0]
            x0, x1 = max(0, int(c.x0 * k)), int(c.x1 * k) + 1
            y0, y1 = max(0, int(c.top * k)), int(c.bottom * k) + 1
            ys, xs = _main_stroke(binary[y0:y1, x0:x1])
            if xs.size and leans_right(xs, ys):
                out.update(
                    {
                        (g._replace(text="/") if g is c else g): p
                        for g, p in line
                        if g is c or g.text not in _POINTS
                    }
                )
                continue
        out.update(dict(line))
    return out


def _line_runs(items: Sequence[tuple[Char, float]]) -> list[list[tuple[Char, float]]]:
    """``conf``'s items cut into its recognised lines (consecutive glyphs of one line)."""
    runs: list[list[tuple[Char, float]]] = []
    for item in items:
        if runs and _same_line(runs[-1][-1][0], item[0]):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _main_stroke(crop: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """The pixels of the largest connected blob of ink in ``crop``: the glyph's stroke,
    without the specks of a noisy page beside it (one pulled a short slash's fitted lean
    from 0.4 to 0.19, and the slash stayed a 1)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    if n <= 2:
        ys_all, xs_all = np.nonzero(crop)
        return ys_all, xs_all
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    ys, xs = np.nonzero(labels == biggest)
    return ys, xs


def _slash_in(binary: npt.NDArray[np.uint8], px: PixBox, inset: int) -> bool:
    """Does the main stroke of the ink inside a ruled cell (``inset`` pixels in from its
    rulings) lean like /?"""
    x0, y0, x1, y1 = (int(v) for v in px)
    ys, xs = _main_stroke(binary[y0 + inset : y1 - inset, x0 + inset : x1 - inset])
    return bool(xs.size) and leans_right(xs, ys)


def _main_blob(crop: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """``crop`` with only its largest blob of ink (``_main_stroke``) left."""
    ys, xs = _main_stroke(crop)
    out = np.zeros_like(crop)
    out[ys, xs] = 255
    return out


def _same_line(a: Char, b: Char) -> bool:
    """Are two glyphs of ``conf`` (one recognised line's glyphs come together, each on
    that line's band) of one line?"""
    return a.top == b.top and a.bottom == b.bottom


class _Boxes:
    """Pixel boxes looked up by the band they cross, through their tops sorted."""

    def __init__(self, boxes: Sequence[PixBox]) -> None:
        self.given = list(boxes)
        self.order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
        self.boxes = [boxes[i] for i in self.order]
        self.tops = [b[1] for b in self.boxes]
        self.tallest = max((b[3] - b[1] for b in self.boxes), default=0.0)

    def indices(self, box: PixBox) -> list[int]:
        """Where in the given boxes those crossing ``box`` are."""
        lo = bisect_left(self.tops, box[1] - self.tallest)
        hi = bisect_left(self.tops, box[3])
        return [
            self.order[n]
            for n in range(lo, hi)
            if self.boxes[n][3] > box[1] and self.boxes[n][0] < box[2] and self.boxes[n][2] > box[0]
        ]

    def crossing(self, box: PixBox) -> list[PixBox]:
        return [self.given[i] for i in self.indices(box)]


def _without(gray: npt.NDArray[np.uint8], box: PixBox, covered: _Boxes) -> npt.NDArray[np.uint8]:
    """The crop ``box`` of ``gray`` with the detected lines in it painted over as paper:
    read on its own, a missed blob's padded crop took in the covered text beside it
    and read it a second time (12.48 12.58 became 12.481212.5588)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = gray[y0:y1, x0:x1].copy()
    paper = int(np.median(crop)) if crop.size else 255
    for bx0, by0, bx1, by1 in covered.crossing(box):
        crop[
            max(0, int(by0) - y0) : max(0, int(by1) + 1 - y0),
            max(0, int(bx0) - x0) : max(0, int(bx1) + 1 - x0),
        ] = paper
    return crop


def _read_missed(
    gray: npt.NDArray[np.uint8],
    binary: npt.NDArray[np.uint8],
    boxes: Sequence[ocr_engine.OcrBox],
    grids: Sequence[PixGrid],
    s: OcrSettings,
    edge_px: float,
) -> Conf:
    """Glyphs for ink outside ruled grids that no detected line covers (a lone 1 or 7
    in a borderless 序号 column, a — in a value cell), read by recognition alone; their
    confidence is capped below the threshold unless they read as a dash or a bare
    integer of one or two digits (an index). Ink within ``edge_px`` of the image's
    border is the scan's, not the page's."""
    if not boxes:
        return {}
    k = s.px_per_pt
    height = float(np.median([b.bbox[3] - b.bbox[1] for b in boxes])) / 1.4
    covered = _Boxes([b.bbox for b in boxes])
    out: Conf = {}
    for x0, y0, x1, y1 in missed_ink(
        binary, [b.bbox for b in boxes], [g.bbox for g in grids], height
    ):
        text, score = ocr_engine.read_line(
            _without(gray, (x0, y0, x1, y1), covered), s.threads, s.det_limit_px, s.runtime
        )
        text = text.strip().replace(" ", "")
        mark = text in _TICKS or text in _CROSSES or text in _DASHES
        if not text or score < (s.missed_mark_min_score if mark else s.missed_min_score):
            # (a faint mark reads low: kept, doubted, where its ink has its shape)
            shape = "√" if text in _TICKS else "×" if text in _CROSSES else None
            if (
                shape is None
                or score < s.missed_shaped_mark_min_score
                or mark_shape(_main_blob(binary[y0:y1, x0:x1])) != shape
            ):
                continue
            text = shape
        ys, xs = np.nonzero(binary[y0:y1, x0:x1])
        if xs.size == 0:
            continue
        if text in _ONE_LIKE:
            stroke_ys, stroke_xs = _main_stroke(binary[y0:y1, x0:x1])
            if leans_right(stroke_xs, stroke_ys):
                text = "/"  # the slash of a not-applicable cell, read as 1 (specks left out)
        ink_box = (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()), y0 + int(ys.max()))
        h_img, w_img = binary.shape
        if (
            min(ink_box[0], ink_box[1]) <= edge_px
            or ink_box[2] >= w_img - 1 - edge_px
            or ink_box[3] >= h_img - 1 - edge_px
        ):
            continue
        ix0, ix1 = (x0 + int(xs.min())) / k, (x0 + int(xs.max()) + 1) / k
        mid = (y0 + (int(ys.min()) + int(ys.max())) / 2) / k
        half = max((int(ys.max()) - int(ys.min())) / 2 / k, 0.3 * height / k)
        # An index or a dash standing alone is what the detector misses; ink beside a
        # detected word (within a glyph's height) is more likely a seal's stroke or a
        # speck joining that word (31.51 became 311.51).
        alone = not covered.crossing(
            (ink_box[0] - height, ink_box[1], ink_box[2] + height, ink_box[3])
        )
        trusted = alone and (text in _DASHES or bool(re.fullmatch(r"\d{1,2}", text)))
        p = score if trusted else min(score, s.reread_confidence_cap)
        w = (ix1 - ix0) / len(text)
        for i, ch in enumerate(text):
            out[Char(ch, ix0 + i * w, mid - half, ix0 + (i + 1) * w, mid + half)] = p
    return out


def _is_vertical(b: ocr_engine.OcrBox) -> bool:
    """A detected line of glyphs set one under another (a narrow column's 序 / 号)."""
    glyph_count = len(b.text.replace(" ", ""))
    return (b.bbox[3] - b.bbox[1]) > 1.5 * (b.bbox[2] - b.bbox[0]) and glyph_count > 1


def _read_stacks(
    gray: npt.NDArray[np.uint8],
    binary: npt.NDArray[np.uint8],
    boxes: list[ocr_engine.OcrBox],
    s: OcrSettings,
) -> list[ocr_engine.OcrBox]:
    """``boxes`` with each vertical box that holds lines set one under another several
    glyphs wide (二十 / 四 / 二十 / 五: two-line 序号 the detector joined into one
    column, read down its middle as 十四十五…) replaced by those lines, each read on its
    own with the other lines' ink painted out."""
    flat = [b.bbox[3] - b.bbox[1] for b in boxes if not _is_vertical(b)]
    if not flat or not any(_is_vertical(b) for b in boxes):
        return boxes  # (the same list: nothing to read again)
    em = float(np.median(flat)) / 1.4  # (a detected box is grown beyond its glyphs)
    out: list[ocr_engine.OcrBox] = []
    changed = False
    for n, b in enumerate(boxes):
        bands = stacked_lines(binary, b.bbox, em) if _is_vertical(b) else []
        if not bands:
            out.append(b)
            continue
        covered = _Boxes([o.bbox for m, o in enumerate(boxes) if m != n])
        x0, _, x1, _ = b.bbox
        pad = 0.2 * em
        crops = [(x0, max(0.0, y0 - pad), x1, y1 + pad) for y0, y1 in bands]
        reads = ocr_engine.read_lines(
            [_without(gray, c, covered) for c in crops], s.threads, s.det_limit_px, s.runtime
        )
        changed = True
        for (cx0, cy0, cx1, cy1), (text, score) in zip(crops, reads, strict=True):
            text = text.strip()
            if text:
                quad = ((cx0, cy0), (cx1, cy0), (cx1, cy1), (cx0, cy1))
                out.append(ocr_engine.OcrBox(text, quad, (cx0, cy0, cx1, cy1), score))
    return out if changed else boxes


def _to_page(line: TextLine, frame: _Frame) -> TextLine:
    return line._replace(bbox=frame.page_box(line.bbox))


# A run of digits and points with spaces inside (386.5 2, 1 18.6).
_SPACED_NUMBER = re.compile(r"[\d.．]+(?: +[\d.．]+)+")


def recogniser_spacing(line: TextLine, readings: Sequence[str]) -> TextLine:
    """``line`` with the spaces inside a number that the recogniser did not read taken
    out. A narrative line's spaces come from its glyph boxes, and boxes read at the
    narrative scale can sit a glyph's width off (the 2 of 386.52 placed against 亿):
    a space between two digits stands only where one of ``readings`` (the recogniser's
    text of the detected lines across it) has it too."""

    def join(m: re.Match[str]) -> str:
        run = m.group(0)
        tight = run.replace(" ", "")
        hit = any(tight in t for t in readings) and not any(run in t for t in readings)
        return tight if hit else run

    return line._replace(text=_SPACED_NUMBER.sub(join, line.text))


class _ByTop:
    """Detected lines' texts looked up by the band (points) they cross."""

    def __init__(self, boxes: Sequence[ocr_engine.OcrBox], k: float) -> None:
        self.index = _Boxes([b.bbox for b in boxes])
        self.text = [b.text for b in boxes]
        self.k = k

    def texts(self, top: float, bottom: float) -> list[str]:
        band = (-float("inf"), top * self.k, float("inf"), bottom * self.k)
        return [self.text[i] for i in self.index.indices(band)]


def _respaced(
    lines: Sequence[TextLine], boxes: Sequence[ocr_engine.OcrBox], k: float
) -> list[TextLine]:
    """``recogniser_spacing`` on the lines that have a space inside a number."""
    index: _ByTop | None = None
    out = []
    for ln in lines:
        if _SPACED_NUMBER.search(ln.text):
            index = index or _ByTop(boxes, k)
            ln = recogniser_spacing(ln, index.texts(ln.bbox[1], ln.bbox[3]))
        out.append(ln)
    return out


def _grid_of(chars: Sequence[Char], grids: Sequence[PixGrid], k: float) -> list[int | None]:
    """For each glyph, the first of ``grids`` whose box holds its centre (or None).
    Grids are looked up by their tops (sorted; only those that start at most the
    tallest grid's height above a glyph can hold it), not tried one by one per glyph."""
    if not grids:
        return [None] * len(chars)
    order = sorted(range(len(grids)), key=lambda g: grids[g].bbox[1])
    tops = [grids[g].bbox[1] for g in order]
    tallest = max(g.bbox[3] - g.bbox[1] for g in grids)
    out: list[int | None] = []
    for c in chars:
        x, y = (v * k for v in _center(c))
        hits = [
            order[n]
            for n in range(bisect_left(tops, y - tallest), bisect_right(tops, y))
            if grids[order[n]].bbox[0] <= x <= grids[order[n]].bbox[2]
            and y <= grids[order[n]].bbox[3]
        ]
        out.append(min(hits) if hits else None)
    return out


def _inside_any(quad: npt.NDArray[Any], grids: Sequence[PixGrid]) -> bool:
    """Does a detected line's centre lie inside a ruled grid?"""
    x, y = float(np.mean(quad[:, 0])), float(np.mean(quad[:, 1]))
    return any(g.bbox[0] <= x <= g.bbox[2] and g.bbox[1] <= y <= g.bbox[3] for g in grids)


class SealCover:
    """Where a seal was printed, for judging glyphs: a digit read where seal ink was
    taken out may have lost a stroke with it (28.5 read 28.3, 11.29 read 11.24, each
    at full confidence), so a glyph whose box the seal covers by ``min_share`` or more
    is at most ``cap`` sure — below the cell threshold: the cell gets its finding."""

    def __init__(self, mask: npt.NDArray[np.uint8], k: float, min_share: float, cap: float):
        self.sums = cv2.integral((mask > 0).astype(np.uint8))
        self.k, self.min_share, self.cap = k, min_share, cap

    def share(self, c: Char) -> float:
        h, w = self.sums.shape[0] - 1, self.sums.shape[1] - 1
        x0, x1 = max(0, int(c.x0 * self.k)), min(w, int(c.x1 * self.k) + 1)
        y0, y1 = max(0, int(c.top * self.k)), min(h, int(c.bottom * self.k) + 1)
        if x1 <= x0 or y1 <= y0:
            return 0.0
        s = self.sums
        inside = int(s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0])
        return float(inside / ((x1 - x0) * (y1 - y0)))

    def capped(self, conf: Conf) -> Conf:
        return {
            c: min(p, self.cap) if c.text.strip() and self.share(c) >= self.min_share else p
            for c, p in conf.items()
        }


def _glyphs_outside(
    boxes: Sequence[ocr_engine.OcrBox],
    binary: npt.NDArray[np.uint8],
    grids: Sequence[PixGrid],
    k: float,
    ps: PdfSettings,
    min_rule_px: int,
    seal: SealCover | None = None,
) -> tuple[Conf, list[Char]]:
    """Every glyph fitted to the ink (tick boxes next to option words judged from the
    image), and those outside every grid; glyphs a seal covers no surer than its cap.
    Outside the grids, a stretch of a rule read as a dash (``rule_pieces``: rules are at
    least ``min_rule_px`` long) is left out."""
    conf = bracket_spaces(slashes(fit_to_ink(glyph_lines(boxes, k), binary, k), binary, k))
    if seal is not None:
        conf = seal.capped(conf)
    marks = tick_marks(
        [ln.chars for ln in make_lines(list(conf), ps.line_overlap_ratio, 0.5, 0.0)], binary, k
    )
    if marks:
        conf = place_marks(conf, marks, k)
    chars = list(conf)
    rest = [c for c, g in zip(chars, _grid_of(chars, grids, k), strict=True) if g is None]
    # (a rule's stretch read as 一 would be a row's 序号 or a value's dash; ruled cells
    # have their own test, ``dash_in_cell``)
    ruled = rule_pieces(rest, binary, k, min_rule_px)
    if ruled:
        conf = {c: p for c, p in conf.items() if c not in ruled}
        rest = [c for c in rest if c not in ruled]
    return conf, rest


def off_edge(quads: Sequence[Any], shape: tuple[int, ...], margin_px: float) -> list[Any]:
    """The detected lines that do not touch the image's border (``margin_px``)."""
    h, w = shape[:2]
    out = []
    for q in quads:
        a = np.asarray(q)
        x0, y0 = float(a[:, 0].min()), float(a[:, 1].min())
        x1, y1 = float(a[:, 0].max()), float(a[:, 1].max())
        if x0 > margin_px and y0 > margin_px and x1 < w - margin_px and y1 < h - margin_px:
            out.append(q)
    return out


def _turned_page(
    rgb: Rgb,
    turn: int,
    page_no: int,
    s: OcrSettings,
    carry: StreamTable | None,
    pdf_settings: PdfSettings | None,
    origin: tuple[float, float],
    whole_page: bool,
) -> OcrPage:
    """A page fed sideways or upside down, read again turned upright, boxes mapped back
    to the page as it was given."""
    h, w = rgb.shape[:2]
    upright = np.ascontiguousarray(np.rot90(rgb, turn))
    page = ocr_image(
        upright, page_no, s, carry, pdf_settings, origin, turn_back(turn, w, h), whole_page
    )
    page.turn = 90 * turn
    return page


def ocr_image(
    rgb: Rgb,
    page_no: int,
    settings: OcrSettings | None = None,
    carry: StreamTable | None = None,
    pdf_settings: PdfSettings | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
    _turned: npt.NDArray[np.float64] | None = None,
    whole_page: bool = True,
) -> OcrPage:
    """OCR one rendered page image (RGB or gray, ``settings.dpi``) into lines and tables.
    ``origin`` is where the image's top-left corner lies on the page (pt), for a region
    rendered on its own; boxes handed out are in page points either way. A whole page's
    lines touching its edge are the scan's border (a picture cut from a page may hold
    text up to its edge: ``whole_page=False``)."""
    s = settings or OcrSettings()
    ps = pdf_settings or PdfSettings()
    # A glyph's band is the middle of its detected line (BAND_TRIM), shorter than the
    # glyph: scale the word gap so that a space means what it means in a text layer
    # (glyph boxes fitted to the ink would otherwise split 2016年 into "2016 年").
    ps = ps.with_(word_gap_ratio=ps.word_gap_ratio / (1 - 2 * BAND_TRIM))
    k = s.px_per_pt
    gray, seal = split_seal(rgb)
    skew = estimate_skew(gray, s.max_skew, s.skew_step)
    if abs(skew) >= s.min_skew:
        gray, fwd = rotate(gray, skew)
        if seal is not None:
            seal = rotate(seal, skew, fill=0)[0]
    else:
        skew, fwd = 0.0, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    back = invert(fwd)
    if _turned is not None:  # pixels of the turned page → pixels of the page as given
        back = (_turned @ np.vstack([back, [0.0, 0.0, 1.0]]))[:2]
    frame = _Frame(k, back, origin)
    binary = binarize(gray)
    cover = (
        SealCover(seal, k, s.seal_min_share, s.seal_confidence_cap) if seal is not None else None
    )
    min_rule = max(10, int(s.min_ruling_length * k))
    grids = find_grids(
        binary,
        min_rule,
        s.max_ruling_thickness * k,
        s.snap_tolerance * k,
        s.min_boundary_coverage,
        s.min_grid_rows,
        s.min_grid_cols,
        max(4, int(s.min_anchored_ruling_length * k)),
    )
    # Ruled cells and a table carried over hold small print: the detector's full
    # resolution; other pages are detected coarser first (``narrative_det_limit_px``).
    coarse = not grids and carry is None and s.narrative_det_limit_px < s.det_limit_px
    limit = s.narrative_det_limit_px if coarse else s.det_limit_px
    edge = s.page_edge_pt * k if whole_page else -1.0
    quads = off_edge(
        ocr_engine.detect(gray, s.threads, s.det_limit_px, limit, s.runtime), gray.shape, edge
    )

    def read(crop: npt.NDArray[np.uint8]) -> tuple[str, float]:
        return ocr_engine.read_line(crop, s.threads, s.det_limit_px, s.runtime)

    if _turned is None and s.detect_orientation:
        # Sideways is told from the detected lines' shapes alone: such a page is turned
        # before anything on it is read.
        turn = page_turn(gray, ocr_engine.unread(quads), read)
        if turn:
            return _turned_page(rgb, turn, page_no, s, carry, pdf_settings, origin, whole_page)
    in_grid = [_inside_any(q, grids) for q in quads]
    # Lines outside ruled grids are narrative on most pages: read at a smaller scale
    # than table cells (see ``OcrSettings.cell_pad``).
    pads = [s.cell_pad if g else s.line_pad for g in in_grid]
    sure = [s.cell_sure if g else s.line_sure for g in in_grid]
    boxes = ocr_engine.read_quads(
        gray,
        quads,
        pads,
        s.threads,
        s.det_limit_px,
        sure,
        packing=s.packing,
        digits_only=[not g for g in in_grid],
        runtime=s.runtime,
        heights=[ocr_engine.REC_HEIGHT if g else s.line_strip_px for g in in_grid],
    )
    if _turned is None and s.detect_orientation:
        turn = page_turn(gray, boxes, read)  # upright-looking lines that read badly
        if turn:
            return _turned_page(rgb, turn, page_no, s, carry, pdf_settings, origin, whole_page)
    conf, rest = _glyphs_outside(boxes, binary, grids, k, ps, min_rule, cover)
    ts = pdf_settings or PdfSettings()
    height = gray.shape[0] / k
    stream = carry is not None or _stream_tables_found(rest, ps, ts, height)
    if stream and (s.line_pad > s.cell_pad or coarse):
        # A borderless table stands outside the grids: its lines are found at the
        # detector's full resolution and its values read at the scale of a ruled table's.
        if coarse:
            quads = off_edge(
                ocr_engine.detect(gray, s.threads, s.det_limit_px, runtime=s.runtime),
                gray.shape,
                edge,
            )
            in_grid = [False] * len(quads)
        outside = [q for q, g in zip(quads, in_grid, strict=True) if not g]
        boxes = [b for b in boxes if _inside_any(np.asarray(b.quad), grids)]
        boxes += ocr_engine.read_quads(
            gray,
            outside,
            s.cell_pad,
            s.threads,
            s.det_limit_px,
            s.cell_sure,
            packing=s.packing,
            runtime=s.runtime,
        )
        boxes = _read_stacks(gray, binary, boxes, s)
        conf, rest = _glyphs_outside(boxes, binary, grids, k, ps, min_rule, cover)
    elif stream:
        stacked = _read_stacks(gray, binary, boxes, s)
        if stacked is not boxes:
            boxes = stacked
            conf, rest = _glyphs_outside(boxes, binary, grids, k, ps, min_rule, cover)
    # Column lines that run through recognised glyphs are glyph stems, not rulings.
    glyph_px = [(c.x0 * k, c.top * k, c.x1 * k, c.bottom * k) for c in conf if c.text.strip()]
    grids = [drop_cut_columns(g, glyph_px) for g in grids]

    def reread(px: PixBox) -> tuple[str, float] | None:
        if ink_ratio(binary, px, inset=3 * k) < s.missed_ink_ratio:
            return None
        x0, y0, x1, y1 = (int(v) for v in px)
        text, score = ocr_engine.read_line(
            gray[y0 + 2 : y1 - 1, x0 + 2 : x1 - 1], s.threads, s.det_limit_px, s.runtime
        )
        if not text.strip():
            # A lone mark (×, √) in a wide cell is too little for the recogniser; read
            # it again cropped to its ink.
            inset = int(3 * k)
            ys, xs = np.nonzero(binary[y0 + inset : y1 - inset, x0 + inset : x1 - inset])
            if xs.size:
                pad = int(2 * k)
                ix0, ix1 = x0 + inset + int(xs.min()) - pad, x0 + inset + int(xs.max()) + pad
                iy0, iy1 = y0 + inset + int(ys.min()) - pad, y0 + inset + int(ys.max()) + pad
                text, score = ocr_engine.read_line(
                    gray[max(0, iy0) : iy1 + 1, max(0, ix0) : ix1 + 1],
                    s.threads,
                    s.det_limit_px,
                    s.runtime,
                )
        mark = text.strip().strip("".join(_POINTS))  # specks read beside the mark
        if mark in _TICKS or mark in _CROSSES:
            text = "√" if mark in _TICKS else "×"
        elif mark in _ONE_LIKE and _slash_in(binary, px, int(3 * k)):
            text = "/"  # a not-applicable cell's slash, read as 1 (specks left out)
        return (text, min(score, s.reread_confidence_cap)) if text.strip() else None

    page = OcrPage(skew=skew)
    # Tables in reading order: by their tops in the upright image (page boxes of a page
    # fed sideways run across it, and the info form came before the pass table it follows).
    placed: list[tuple[float, Table]] = []
    in_grids: dict[int | None, list[Char]] = {}
    for c, g in zip(conf, _grid_of(list(conf), grids, k), strict=True):
        in_grids.setdefault(g, []).append(c)
    for n, grid in enumerate(grids):
        if n in in_grids:  # a frame or drawing without text is no table
            table = grid_table(
                grid,
                in_grids[n],
                conf,
                page_no,
                frame,
                reread,
                ps,
                lambda px, inside: dash_in_cell(binary, px, inside, k),
                s.lost_sign_confidence_cap,
            )
            placed.append((grid.bbox[1] / k, table))
    rest = in_grids.get(None, [])
    # Outside ruled grids the text layer's own line and borderless-table logic runs, on
    # glyphs as tall as a text layer's (``as_text_boxes``) and with its own tolerances.
    # Lines are made from the trimmed bands (grown glyphs of a wrapped cell's lines would
    # overlap and join), then their glyphs grown.
    lines = make_lines(rest, ps.line_overlap_ratio, ps.word_gap_ratio, ps.dedupe_tolerance)
    if stream:
        found_again = _read_missed(gray, binary, boxes, grids, s, edge)
        if cover is not None:
            found_again = cover.capped(found_again)
        ruled = rule_pieces(found_again, binary, k, min_rule)
        found_again = {c: p for c, p in found_again.items() if c not in ruled}
        if found_again:
            conf.update(found_again)
            rest = [*rest, *found_again]
            lines = make_lines(rest, ps.line_overlap_ratio, ps.word_gap_ratio, ps.dedupe_tolerance)
        conf.update(as_text_boxes(rest, conf))
        grown = [text_line(ln) for ln in lines]
        found = find_stream_tables(grown, ts, carry, height)
        used = {i for st in found for i in st.line_ids}
        placed += [(st.bbox[1], stream_table(st, conf, page_no, frame, ts)) for st in found]
        if found:
            last = found[-1]
            below = [
                ln for n, ln in enumerate(lines) if n not in used and ln.bbox[1] > last.bbox[3]
            ]
            if len(below) <= ts.margin_lines:
                page.carry = last
        lines = [ln for n, ln in enumerate(lines) if n not in used]
    page.tables = [t for _, t in sorted(placed, key=lambda tt: tt[0])]
    page.lines = [_to_page(ln, frame) for ln in _respaced(lines, boxes, k)]
    ocr_engine.release_freed_memory()  # a page's buffers, before the next page's
    return page


# --- documents ---------------------------------------------------------------------------


def render(pdf: Any, index: int, dpi: int) -> Rgb:
    """The displayed page (after /Rotate) as RGB at ``dpi``."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)
        arr: Rgb = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])
        return arr
    finally:
        page.close()


def render_region(pdf: Any, index: int, dpi: int, box: BBox) -> Rgb:
    """Only ``box`` (display space, pt) of the displayed page, as RGB at ``dpi``."""
    page = pdf[index]
    try:
        w, h = page.get_size()
        if page.get_rotation() in (90, 270):
            w, h = h, w
        x0, top, x1, bottom = box
        # pdfium's crop is what to cut off each side (left, bottom, right, top), in pt
        # of the page as displayed.
        crop = (max(0.0, x0), max(0.0, h - bottom), max(0.0, w - x1), max(0.0, top))
        bitmap = page.render(scale=dpi / 72.0, crop=crop, rev_byteorder=True)
        arr: Rgb = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])
        return arr
    finally:
        page.close()


def drop_running_lines(
    pages: Sequence[tuple[int, Sequence[TextLine]]], ps: PdfSettings
) -> list[Line]:
    """Narrative ``Line``s in page order without running headers/footers and bare page
    numbers: the text-layer reader's rule, with the real page numbers."""
    return narrative_lines([lines for _, lines in pages], ps, [n for n, _ in pages])


def _open(path: Path) -> Any:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        raise ReadError(f"not a readable PDF: {err}") from err


def ocr_pages(
    pdf_path: Path,
    pages: Sequence[int],
    settings: OcrSettings | None = None,
    *,
    on_page: Callable[[int, float], None] | None = None,
) -> tuple[list[Line], list[Table], list[str]]:
    """OCR the given 1-based pages of a PDF: narrative lines in reading order, one Table
    per table part per page (cells with confidence, bboxes in PDF points of the
    displayed page) and warnings for pages that could not be read. ``on_page(page,
    seconds)`` is called after each page (progress, benchmarks)."""
    s = settings or OcrSettings()
    ps = PdfSettings()
    pdf = _open(Path(pdf_path))
    warnings: list[str] = []
    per_page: list[tuple[int, Sequence[TextLine]]] = []
    tables: list[Table] = []
    carry: StreamTable | None = None
    prev = -1
    try:
        for page_no in sorted(set(pages)):
            if not 1 <= page_no <= len(pdf):
                warnings.append(f"page {page_no}: no such page (OCR)")
                continue
            started = time.perf_counter()
            try:
                img = render(pdf, page_no - 1, s.dpi)
            except pdfium.PdfiumError as err:
                warnings.append(f"page {page_no}: could not be rendered for OCR ({err})")
                continue
            # A borderless table continues only onto the very next page.
            result = ocr_image(img, page_no, s, carry if page_no == prev + 1 else None, ps)
            if on_page is not None:
                on_page(page_no, time.perf_counter() - started)
            carry, prev = result.carry, page_no
            per_page.append((page_no, result.lines))
            tables.extend(result.tables)
    finally:
        pdf.close()
    return drop_running_lines(per_page, ps), tables, warnings


def read_scanned_pdf(path: Path, settings: OcrSettings | None = None) -> SourceDoc:
    """A whole image-only PDF through OCR, as a ``SourceDoc`` of kind "scanned-pdf"."""
    pdf = _open(Path(path))
    n = len(pdf)
    pdf.close()
    lines, tables, warnings = ocr_pages(Path(path), range(1, n + 1), settings)
    return SourceDoc(kind="scanned-pdf", pages=n, lines=lines, tables=tables, warnings=warnings)
