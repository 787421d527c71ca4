"""A borderless table's raw material: a line's chunks (candidate cells, cut where the
blank between glyphs is wider than the column gap) and what their texts read as — header
words, numbers, requirements, value words, footnote marks, indicator names."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib.resources import files
from statistics import median

import regex
import yaml

from extract.read.layout.geom import Char
from extract.read.layout.lines import TextLine
from extract.read.layout.settings import PdfSettings
from schemas.numbers import (
    NOT_APPLICABLE,
    QUALITATIVE,
)
from schemas.text import clean, fold_chars


@cache
def header_words() -> tuple[str, ...]:
    """Header words (schemas/data/table_headers.yaml), longest first."""
    path = files("schemas").joinpath("data/table_headers.yaml")
    words: list[str] = yaml.safe_load(path.read_text(encoding="utf-8"))["header_words"]
    return tuple(sorted(words, key=len, reverse=True))


# A 序号 as printed: 1, 1., 1、 (the forms schemas.numbers.parse_int reads).
KEY_HEADERS = ("序号", "编号")  # headers of the column that numbers the rows


HEADER_LINES = 8  # lines a wrapped header row may take at the top of a table


# Lines of one header row (是 / 否 / 为 set vertically in a narrow column) are at most this
# many line heights apart; a caption above the table stands farther off.
HEADER_LINE_GAP_RATIO = 0.6


MAX_SERIAL = 40  # the largest 序号 a table of 32 indicators (and a few more) prints


SERIAL = re.compile(r"^(?:(?!0)\d{1,3}[.、．]?|[一二三四五六七八九十]{1,3}[、.．]?)$")


SPACES = frozenset(" \u3000\u00a0\t")


def ink(chars: Sequence[Char]) -> list[Char]:
    return [c for c in chars if c.text not in SPACES]


COMPARISON_SIGNS = frozenset("≥≤><＞＜≧≦=＝")
COMPARISON_GAP_RATIO = 1.0  # glyph heights of blank a sign may stand off its number


def chunks(line: Sequence[Char], min_gap: float) -> list[list[Char]]:
    """Split a line (chars sorted by x0) where the blank between glyphs is wider than
    ``min_gap``: candidate cells. A blank filled by exactly one space character of the
    text (≥ 30, 增长率>0, ≤ 0.3) is a word space inside a cell whatever its width: cells
    are set apart by position, not typed spaces."""
    out: list[list[Char]] = []
    right = -1e9
    spaces = 0
    space_left = space_right = -1e9  # where the typed space in the blank starts and ends
    for c in line:
        if c.text in SPACES:
            spaces += 1
            space_left, space_right = c.x0, c.x1
            continue
        # One typed space that reaches from the last glyph to the next: a word space. (A
        # space trailing a cell's text, then a blank to the next cell, is no bridge; nor
        # is one leading a cell's line after a blank, 二十 | ␣护 of a letter-spaced 环 境 保 护.)
        joins = bool(out) and (
            c.x0 - right <= min_gap
            or (spaces == 1 and c.x0 - space_right <= min_gap and space_left - right <= min_gap)
            # A bare comparison sign belongs to the number it compares (≥ 30 set with a
            # space the text layer does not carry, wider than the column gap).
            or (
                len(out[-1]) == 1
                and out[-1][0].text in COMPARISON_SIGNS
                and c.x0 - right <= COMPARISON_GAP_RATIO * (c.bottom - c.top)
            )
        )
        if joins:
            out[-1].append(c)
            right = max(right, c.x1)
        else:
            out.append([c])
            right = c.x1
        spaces = 0
    return _join_spaced_numbers(out)


# A number set in spaced glyphs (full-width digits ８７．５１, read from a scan as 8 7 . 5 1
# with the width of their em boxes between the inked glyphs): the blank between two of its
# glyphs is at least this share of their height, and at most SPACED_NUMBER_MAX_BLANK of it.
SPACED_NUMBER_MIN_BLANK = 0.25
SPACED_NUMBER_MAX_BLANK = 1.0
SPACED_NUMBER_MIN_GLYPHS = 3


_NUMBER_GLYPHS = frozenset("0123456789.%")
_ONE_NUMBER = re.compile(r"^\d+(?:\.\d+)?%?$|^\d+\.$|^\.\d+%?$")


def _blanks(part: Sequence[Char]) -> list[float]:
    inked = [c for c in part if c.text not in SPACES]
    return [b.x0 - a.x1 for a, b in itertools.pairwise(inked)]


def _spaced(part: Sequence[Char], height: float) -> bool:
    """Are the part's glyphs all number glyphs, set apart like a spaced number's?"""
    if any(c.text not in _NUMBER_GLYPHS for c in part if c.text not in SPACES):
        return False
    return all(b >= SPACED_NUMBER_MIN_BLANK * height for b in _blanks(part))


def _join_spaced_numbers(parts: list[list[Char]]) -> list[list[Char]]:
    """Runs of neighbouring parts that are pieces of one spaced number joined back: each
    part spaced itself (a single glyph is), the blanks between them a spaced number's,
    three glyphs at least (two lone digits 0.6 em apart are two cells' as likely), and
    together one number. Two cells' numbers are no spaced run: within each the glyphs
    nearly touch (1 0 0 set solid beside 9 0)."""
    out: list[list[Char]] = []
    run: list[list[Char]] = []

    def close() -> None:
        glyphs = [c for p in run for c in p if c.text not in SPACES]
        text = "".join(c.text for c in glyphs)
        if len(run) > 1 and len(glyphs) >= SPACED_NUMBER_MIN_GLYPHS and _ONE_NUMBER.match(text):
            out.append([c for p in run for c in p])
        else:
            out.extend(run)
        run.clear()

    for part in parts:
        if run:
            last = run[-1]
            height = median([c.bottom - c.top for c in (*last, *part)])
            blank = part[0].x0 - max(c.x1 for c in last)
            if (
                SPACED_NUMBER_MIN_BLANK * height <= blank <= SPACED_NUMBER_MAX_BLANK * height
                and _spaced(last, height)
                and _spaced(part, height)
            ):
                run.append(part)
                continue
            close()
        run.append(part)
    close()
    return out


# A footnote mark: one or two Latin letters or asterisks in glyphs smaller than the
# table's text (a superscript a, b, *; digits are left alone: an OCR box of a lone 5 is
# smaller than a line of Han).
MARK_HEIGHT_RATIO = 0.9


_MARK = re.compile(r"^[a-zA-Z*]{1,2}$")


def is_mark(chunk: Sequence[Char], height: float) -> bool:
    text = "".join(c.text for c in chunk if c.text not in SPACES)
    if not _MARK.match(text):
        return False
    # (a browser's superscript may keep the body's glyph height, raised: a lone small
    # letter, narrow beside the table's square glyphs, is a mark all the same)
    if len(text) == 1 and text.islower() and chunk[-1].x1 - chunk[0].x0 < MARK_WIDTH_RATIO * height:
        return True
    return all(c.bottom - c.top < MARK_HEIGHT_RATIO * height for c in chunk if c.text not in SPACES)


MARK_WIDTH_RATIO = 0.6  # a lone lowercase letter narrower than this share of a line's height


def is_row_like(line: Sequence[Char], gap: float, min_blank: float) -> bool:
    """Two or more chunks with real whitespace between them: at least ``min_blank`` of
    the line's width. Justified narrative also splits into chunks where spaces around
    numbers stretch, but its gaps are a few percent of the line."""
    parts = chunks(line, gap)
    if len(parts) < 2:
        return False
    left, right = parts[0][0].x0, max(c.x1 for c in parts[-1])
    blank = sum(b[0].x0 - max(c.x1 for c in a) for a, b in itertools.pairwise(parts))
    return right > left and blank >= min_blank * (right - left)


# Share of a line's Han characters its header words must cover: a header row is made
# of column names (set solid or wrapped), a data row's name only holds some by chance
# (单位工业用地面积工业增加值三年年均增长率 holds 单位 and 年).
MIN_HEADER_COVER = 0.4


@lru_cache(maxsize=8192)
def header_hits(text: str) -> int:
    """How many column-name words a line holds (a header row has several), 0 when they
    cover too little of it to be a header. Cached: block finding, header and column
    decisions ask it of the same lines."""
    flat = "".join(text.split())
    covered = [False] * len(flat)
    hits = 0
    for w in header_words():  # longest first: 计量单位 before 单位
        start = flat.find(w)
        if start < 0:
            continue
        hits += 1
        # (a one-character word, 年, covers nothing: names are full of 年 and 单)
        while start >= 0 and len(w) >= 2:
            covered[start : start + len(w)] = [True] * len(w)
            start = flat.find(w, start + len(w))
    han = [k for k, ch in enumerate(flat) if NOT_HAN.sub("", ch)]
    if han and sum(covered[k] for k in han) < MIN_HEADER_COVER * len(han):
        return 0
    return hits


def header_cells_only(text: str) -> bool:
    """A line whose every cell is a header word or a year (完成情况 | 2017, 评价): no row's
    text (a name's wrapped last line, 成情况, holds no header word of its own)."""
    tokens = text.split()
    return bool(tokens) and all(
        header_hits(t) >= 1 or YEAR_CELL.match(fold_chars(t)) for t in tokens
    )


def column_gap(lines: Sequence[TextLine], settings: PdfSettings) -> float:
    heights = [c.bottom - c.top for ln in lines for c in ink(ln.chars)]
    h = median(heights) if heights else 10.0
    return max(settings.stream_min_col_gap, settings.stream_min_col_gap_ratio * h)


CONTINUED_CAPTION = regex.compile(r"^\s*续(?:上)?表\s*\d*\s*$")


def span_of(chunk: Sequence[Char]) -> tuple[float, float]:
    return min(c.x0 for c in chunk), max(c.x1 for c in chunk)


def chunk_spans(line: Sequence[Char], gap: float) -> list[tuple[float, float]]:
    return [span_of(ch) for ch in chunks(line, gap)]


def column_hits(x0: float, x1: float, cols: Sequence[tuple[float, float]]) -> int:
    """How many columns the span [x0, x1] overlaps by more than a point."""
    return sum(1 for a, b in cols if min(b, x1) - max(a, x0) > 1.0)


def compact(chars: Sequence[Char]) -> str:
    return clean("".join(c.text for c in chars)).replace(" ", "")


# A data cell's first line: a number (95.04, －2.32, 98%, 8.34亿元/平方公里), a mark or a
# qualitative value — not a bare year (2016 is a header's column year).
_DATA_PIECE = regex.compile(
    r"^(?:[-－−+]?[\d０-９][\d０-９,.．]*\s*[%％]?\p{Han}{0,6}(?:/\p{Han}{0,5})?|[-—－/／]"
    r"|全部.*|必选|可选|[√×☑☐✓✗✔✘])$"
)


NOT_HAN = regex.compile(r"[^\p{Han}]")


# The words a value cell holds instead of a number, and the not-applicable marks
# (schemas.numbers keeps both lists).
VALUE_WORD_SET = QUALITATIVE | NOT_APPLICABLE | {"必选", "可选"}


YEAR_CELL = regex.compile(r"^(?:19|20)\d\d年?度?$")


def is_data_piece(text: str) -> bool:
    if text in VALUE_WORD_SET:
        return True
    return (
        bool(_DATA_PIECE.match(text))
        and not YEAR_CELL.match(text)
        and not _YEAR_HEADER_CELL.match(text)
    )


# A year column's header cell: 2015年完成值, 2018年目标值, 2021年（现状值）.
_YEAR_HEADER_CELL = regex.compile(
    r"^(?:19|20)\d\d年?[（(]?(?:完成|实际|现状|目标|规划|指标)值[）)]?$"
)


_NUMBER_CELL = regex.compile(
    r"^(?:[≥≤<>＞＜=]\s*)?[-－−+]?[\d０-９][\d０-９,.．]*\s*[%％]?(?:\p{Han}{0,6}(?:/\p{Han}{0,5})?)?$"
)


YEAR_LEAD = regex.compile(r"^(?:19|20)\d\d(?!\d)")


def is_number_cell(text: str) -> bool:
    """A value or a requirement (17.2, 39.01万元/人, ≤0.5), not a header's year
    (2016, 2017年目标) nor a leading-zero fragment (017)."""
    t = fold_chars(text).replace(" ", "")
    return (
        bool(_NUMBER_CELL.match(t)) and NUMBER_START.match(t) is not None and not YEAR_LEAD.match(t)
    )


MIN_NAME_HAN = 6  # Han characters an indicator's name holds at least (绿化覆盖率 aside)


def is_named(texts: Sequence[str]) -> bool:
    """Is one of a line's chunks an indicator's name or a requirement's sentence: long,
    and no header words?"""
    return any(len(NOT_HAN.sub("", t)) >= MIN_NAME_HAN and header_hits(t) == 0 for t in texts)


# (017 of a header year 2017 wrapped as 2 / 017 is no value: values have no leading zero)
NUMBER_START = regex.compile(r"^(?:[≥≤<>＞＜=]\s*)?[-－−+]?(?:[1-9１-９]|[0０](?![\d０-９]))")
