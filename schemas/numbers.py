"""Cell text → value: a number, a range, a qualitative word, a not-applicable mark, or
unparsed.

Numbers as reports print them: decimals, thousands separators (1,234.5), a percent or
per-mille sign, negative forms (-, −, –, —, ﹣, full-width －, 负), approximations
(约, 近, 大约 before; 多, 余 after), ranges (10-15, 10～15, 10至15). The not-applicable marks
(—, /, -, 不适用 …) are ``na``. 无 is read as a qualitative word, not as NA: on #19 (event
count) it means zero events, so the checker decides what it means per indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex

from schemas.text import clean

ValueKind = Literal["number", "range", "qualitative", "na", "empty", "unparsed"]

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
        "未全部完成",
        "不具备",
        "无",
    }
)
NOT_APPLICABLE = frozenset(
    {
        "—",
        "——",
        "-",
        "--",
        "/",
        "／",
        "–",
        "NA",
        "N/A",
        "不适用",
        "暂无",
        "未统计",
        "暂未统计",
        "无数据",
        "暂无数据",
        "不涉及",
    }
)

# Minus signs seen in reports: hyphen, U+2212, en dash, small hyphen, (full-width is
# folded by clean), and an em dash glued to a digit.
_MINUS = "-−–﹣—"
_NUM = r"(?P<sign{i}>[{m}+]|负)?\s*(?P<int{i}>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac{i}>\.\d+)?"
# A unit printed in the cell after the number (39.01万元/人, 10个, 8.34亿元/平方公里, 51.42万):
# letters and Han characters, with / between parts; no digits but ² and ³.
_UNIT = r"(?P<unit>[\p{Han}A-Za-z²³℃°·]{1,8}(?:\s*[/／]\s*[\p{Han}A-Za-z²³·]{1,8}){0,2})"
_NUMBER = regex.compile(
    r"^(?P<approx>约|大约|近|接近|约为)?\s*"
    + _NUM.format(i="", m=_MINUS)
    + r"\s*(?P<more>多|余)?\s*(?:(?P<pct>%|‰)|"
    + _UNIT
    + r")?$"
)
_RANGE = regex.compile(
    r"^(?P<approx>约|大约)?\s*"
    + _NUM.format(i="", m=_MINUS)
    + r"\s*(?P<pct1>%|‰)?\s*(?:~|～|〜|至|到|-|–|—)\s*"
    + _NUM.format(i="2", m=_MINUS)
    + r"\s*(?P<pct>%|‰)?$"
)


@dataclass(frozen=True, slots=True)
class ParsedValue:
    kind: ValueKind
    number: float | None = None
    text: str = ""
    approximate: bool = False
    percent: bool = False
    low: float | None = None  # a range's bounds (number is None for a range)
    high: float | None = None
    unit: str | None = None  # a unit printed in the cell itself, after the number


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
    if m is not None:
        return ParsedValue(
            "number",
            number=_number(m, ""),
            text=text,
            approximate=bool(m["approx"] or m["more"]),
            percent=bool(m["pct"]),
            unit=m["unit"],
        )
    r = _RANGE.match(text)
    if r is not None:
        low, high = sorted((_number(r, ""), _number(r, "2")))
        return ParsedValue(
            "range",
            text=text,
            approximate=bool(r["approx"]),
            percent=bool(r["pct"] or r["pct1"]),
            low=low,
            high=high,
        )
    return ParsedValue("unparsed", text=text)


def _number(m: regex.Match[str], i: str) -> float:
    number = float(m["int" + i].replace(",", "") + (m["frac" + i] or ""))
    sign = m["sign" + i]
    return -number if sign and sign != "+" else number


def parse_number(raw: str) -> float | None:
    """The number a cell holds, or None (ranges, words and marks are not one number)."""
    return parse_value(raw).number


def decimals(number_text: str) -> int:
    """Digits after the decimal point as printed: '15.2' → 1, '8316' → 0, '6.30' → 2."""
    m = regex.search(r"\.(\d+)", number_text)
    return len(m[1]) if m else 0


def parse_int(raw: str) -> int | None:
    """A 序号 cell: "1", "１", "1.", "(1)" → 1; anything else → None."""
    m = regex.fullmatch(r"[(（]?\s*(\d{1,3})\s*[)）.、]?", clean(raw))
    return int(m[1]) if m else None


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numeral(text: str) -> int | None:
    """一 … 九十九 → 1 … 99 (十二, 二十, 三十二); anything else → None."""
    m = regex.fullmatch(r"([二三四五六七八九]?)(十?)([一二三四五六七八九]?)", text)
    if not text or m is None:
        return None
    if m[1] and not m[2]:  # 二 alone: the greedy first group took the units digit
        return None if m[3] else _CN_DIGITS[m[1]]
    tens = (_CN_DIGITS[m[1]] if m[1] else 1) if m[2] else 0
    return tens * 10 + (_CN_DIGITS[m[3]] if m[3] else 0) or None


def to_chinese_numeral(n: int) -> str:
    """1 … 99 → 一 … 九十九, as 序号 columns print them."""
    digits = " 一二三四五六七八九"
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[units] if units else "")


def parse_serial(raw: str) -> int | None:
    """A 序号 as printed: Arabic ("1", "(1)", "1.") or Chinese ("一", "三十二", "（十）",
    "十二、") numerals; anything else → None."""
    n = parse_int(raw)
    if n is not None:
        return n
    m = regex.fullmatch(r"[(（]?\s*([一二三四五六七八九十]{1,3})\s*[)）.、]?", clean(raw))
    return chinese_numeral(m[1]) if m else None


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
