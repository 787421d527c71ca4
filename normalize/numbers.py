"""Cell text → value: a number, a qualitative word, a not-applicable mark, or unparsed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex

from normalize.text import clean

ValueKind = Literal["number", "qualitative", "na", "empty", "unparsed"]

# Words a value cell may hold instead of a number (HJ 274-2015 #17, #18, #22 …).
QUALITATIVE = frozenset(
    {
        "达标",
        "全部达标",
        "稳定达标",
        "全部完成",
        "完成",
        "具备",
        "有",
        "是",
        "否",
        "未达标",
        "不达标",
        "未完成",
        "不具备",
        "无",
    }
)
NOT_APPLICABLE = frozenset({"—", "——", "-", "--", "/", "／", "–", "NA", "N/A", "不适用", "暂无"})

# Minus signs seen in reports: hyphen, U+2212, en dash, small hyphen, (full-width is
# folded by clean), and an em dash glued to a digit.
_MINUS = "-−–﹣—"
_NUMBER = regex.compile(
    rf"^(?P<approx>约|大约|近)?\s*(?P<sign>[{_MINUS}+])?\s*"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*(?P<pct>%|‰)?$"
)


@dataclass(frozen=True, slots=True)
class ParsedValue:
    kind: ValueKind
    number: float | None = None
    text: str = ""
    approximate: bool = False
    percent: bool = False


def parse_value(raw: str) -> ParsedValue:
    """Parse a value cell. Never raises; anything unrecognised is ``unparsed``."""
    text = clean(raw)
    if not text:
        return ParsedValue("empty", text=text)
    if text in NOT_APPLICABLE:
        return ParsedValue("na", text=text)
    if text in QUALITATIVE:
        return ParsedValue("qualitative", text=text)
    m = _NUMBER.match(text)
    if m is None:
        return ParsedValue("unparsed", text=text)
    digits = m["int"].replace(",", "") + (m["frac"] or "")
    number = float(digits)
    if m["sign"] and m["sign"] != "+":
        number = -number
    return ParsedValue(
        "number", number=number, text=text, approximate=bool(m["approx"]), percent=bool(m["pct"])
    )


def parse_int(raw: str) -> int | None:
    """A 序号 cell: "1", "１", "1.", "(1)" → 1; anything else → None."""
    m = regex.fullmatch(r"[(（]?\s*(\d{1,3})\s*[)）.、]?", clean(raw))
    return int(m[1]) if m else None


_TRUE = frozenset({"是", "√", "✓", "✔", "Y", "y", "yes", "达标", "必选", "☑"})
_FALSE = frozenset({"否", "×", "✗", "✘", "N", "n", "no", "未达标", "不达标", "可选", "☐"})


def parse_yes_no(raw: str) -> bool | None:
    """是/否 and their marks → bool; anything else → None."""
    text = clean(raw)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None
