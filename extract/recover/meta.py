"""Report year (from the title), 填报时间, and the park name printed above the annex."""

from __future__ import annotations

from collections.abc import Iterable

import regex

from extract.raw import RawField
from extract.source import Loc
from schemas.text import clean

_TITLE_YEAR = regex.compile(
    r"((?:19|20)\d{2})\s*年\s*度?\s*(?:国家)?生态工业(?:示范)?园区\S{0,8}?评价报告"
)
_TITLE_YEAR_AFTER = regex.compile(r"评价报告\s*[（(]\s*((?:19|20)\d{2})\s*年度?\s*[）)]")
# Any year in a short line that names the report: 国家生态工业示范园区 2020 年度建设评价报告.
_TITLE_YEAR_INSIDE = regex.compile(r"((?:19|20)\d{2})\s*年")
TITLE_MAX_CHARS = 60  # a longer line is narrative that mentions the report
_FILLED = regex.compile(
    r"填报(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})"
)
_PARK_NAME = regex.compile(r"园区名称\s*[:：]\s*(\S+?)(?:\s|填报|$)")


def title_year(texts: Iterable[tuple[str, Loc]]) -> RawField | None:
    for text, loc in texts:
        t = clean(text)
        m = _TITLE_YEAR.search(t) or _TITLE_YEAR_AFTER.search(t)
        if m is None and _is_title(t):
            m = _TITLE_YEAR_INSIDE.search(t)
        if m:
            return RawField(m[1], loc)
    return None


def _is_title(text: str) -> bool:
    return len(text) <= TITLE_MAX_CHARS and "评价报告" in text and "生态工业" in text


def filled_on(texts: Iterable[tuple[str, Loc]]) -> RawField | None:
    """填报时间 as an ISO date string."""
    for text, loc in texts:
        m = _FILLED.search(clean(text))
        if m:
            return RawField(f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}", loc)
    return None


def park_name(texts: Iterable[tuple[str, Loc]]) -> RawField | None:
    for text, loc in texts:
        m = _PARK_NAME.search(clean(text))
        if m:
            return RawField(m[1], loc)
    return None
