"""Headline economic figures from the narrative: 地区生产总值 661 亿元 and the like.

Lines are joined into paragraphs (a line that does not end a sentence continues on
the next one: PDF lines wrap, and converters split paragraphs at page breaks), cut into
sentences, and each sentence is searched for a figure label followed closely by an
amount of money. Plans and targets (计划, 预计 …) are not figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extract.raw import RawFigure
from extract.source import Line, Loc
from schemas.text import clean

# key → label pattern. Order matters where labels overlap (工业总产值 before 工业增加值).
FIGURE_LABELS: dict[str, str] = {
    "gdp": r"地区生产总值|国内生产总值|生产总值|GDP",
    "industrial_output": r"规模以上工业(?:总)?产值|规上工业(?:总)?产值|工业总产值",
    "fixed_asset_investment": r"(?:全社会)?固定资产投资(?:总)?额?",
    "fiscal_revenue": (
        r"地方级财政收入|地方财政收入|地方(?:财政)?一般(?:公共)?预算收入|一般公共预算收入"
        r"|财政总收入|地方级收入|(?:区级|全口径|公共)?财政收入"
    ),
    "industrial_value_added": r"(?<!人均|单位|占园区)(?:规模以上)?工业增加值",
}
MONEY_UNITS = r"万亿元|亿元|万元|元|亿美元|万美元|美元"
MAX_GAP = 12  # characters allowed between a label and its amount
# An amount: digits with thousands separators (11,773,000 万元) or without, decimals optional.
AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = {
    k: regex.compile(
        rf"(?P<label>{pat})(?P<gap>[^。；，,：:]{{0,{MAX_GAP}}}?)"
        # (an amount starts where a number does: the gap takes no digit, so a misread
        # grouping, 8458,400 万元, is no 458,400 万元)
        rf"(?<![\d.．,，])(?P<num>{AMOUNT})\s*(?P<unit>{MONEY_UNITS})(?![/／每])"
    )
    for k, pat in FIGURE_LABELS.items()
}
_NOT_ACTUAL = regex.compile(r"计划|预计|目标|力争|预期|拟|争取|储备")
_GAP_NOT_ACTUAL = regex.compile(r"增长|增加|下降|减少|提高|比|占")
_SENTENCE_END = "。！？!?"
_HEADING = regex.compile(
    # '1.' / '1、' opens a numbered heading; '19.85 公里' (a decimal) does not
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、](?!\d)|第.+[章节])"
)
_YEAR_IN = regex.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    loc: Loc


def sentences(lines: Sequence[Line]) -> list[Sentence]:
    """Lines → sentences; each sentence carries the Loc of the line it starts on."""
    out: list[Sentence] = []
    buf = ""
    buf_loc: Loc | None = None
    for line in lines:
        text = clean(line.text)
        if not text:
            continue
        if buf and _HEADING.match(text):
            out.append(Sentence(buf, buf_loc or line.loc))
            buf, buf_loc = "", None
        start = 0
        for i, ch in enumerate(text):
            if ch in _SENTENCE_END:
                piece = text[start : i + 1]
                out.append(Sentence(buf + piece, buf_loc or line.loc))
                buf, buf_loc, start = "", None, i + 1
        rest = text[start:]
        if rest:
            if not buf:
                buf_loc = line.loc
            buf += rest
            if _HEADING.match(text) and len(text) < 40:
                out.append(Sentence(buf, buf_loc or line.loc))
                buf, buf_loc = "", None
    if buf:
        out.append(Sentence(buf, buf_loc or Loc()))
    return out


def figure_mentions(lines: Sequence[Line], default_year: int | None) -> list[RawFigure]:
    """Every figure mention, in document order (duplicates included)."""
    out: list[RawFigure] = []
    for sent in sentences(lines):
        taken: list[tuple[int, int]] = []
        for key, pattern in _FIGURE.items():
            for m in pattern.finditer(sent.text):
                span = m.span("num")
                if any(a <= span[0] < b for a, b in taken):
                    continue
                clause_start = max(sent.text.rfind(p, 0, m.start()) for p in "，,；;") + 1
                clause = sent.text[clause_start : m.start()]
                if _NOT_ACTUAL.search(clause) or _GAP_NOT_ACTUAL.search(m["gap"]):
                    continue
                years = _YEAR_IN.findall(sent.text[: m.start()])
                year = int(years[-1]) if years else default_year
                taken.append(span)
                out.append(
                    RawFigure(key, m["label"], m["num"], m["unit"], year, sent.text, sent.loc)
                )
    return out
