"""Narrative amounts → comparable quantities, and the pairs that contradict each other.

Two mentions state the same quantity when they are achieved amounts (not plans) of the
same year, in the same dimension (counts: the same unit word), about the same subject:
equal subject keys, or the shorter key (≥ MIN_SUFFIX characters) ends the longer one
('新建雨水管线' and '汽开区新建雨水管线'). A cumulative subject (累计, 以来 …) never matches an
annual one.

Two amounts agree when they differ by at most half a unit of the last printed digit of
the less precise one (15.2 亿 covers 15.15–15.25 亿, so 151776.3664 万元 agrees); an
approximate amount (约, 近, 多, 余) widens that to APPROX_TOLERANCE of its value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extract.raw import RawQuantity
from normalize.units import parse_unit
from schemas.numbers import decimals
from schemas.text import clean

MIN_SUFFIX = 4  # characters a shorter subject needs to match as the end of a longer one
MIN_KEY = 2  # subjects shorter than this say nothing ('', '共')
APPROX_TOLERANCE = 0.1  # relative, for 约/近/多/余

_LEAD = regex.compile(
    r"^(?:(?:19|20)\d{2}年度?(?:\d{1,2}月份?)?(?:底|末|初)?|全年|当年|年内|本年|今年|"
    r"全区|全园|园区内?|区内|此外|同时|另外|并且?|共|完成了?|实现了?)"
)
_TRAIL = regex.compile(r"(?:完成了?|达到了?|实现了?|达|为|约|有|的|了|共|总计|合计|共计)+$")
_CUMULATIVE = regex.compile(r"累计|累积|共计|总计|合计|以来|历年|其中")
# A change or a bare comparison says how much something moved, not what it is.
_ANAPHORIC = regex.compile(
    r"^(?:同比|比上年|较上年|比去年|较去年|年均|环比)?(?:增长|增加|下降|减少|提高|降低|提升|增幅|降幅|上升)?$"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A mention in base units: value ± tolerance, dimension, subject key."""

    mention: RawQuantity
    value: float
    tolerance: float
    dimension: str
    key: str
    cumulative: bool


def subject_key(subject: str, obj: str = "") -> str:
    """'2018 年汽开区新建雨水管线' → '汽开区新建雨水管线'; '完成投资' → '投资';
    a count's object is appended ('全面完成了' + '街路' → '全面街路')."""
    s = regex.sub(r"\s+", "", clean(subject))
    for _ in range(4):  # leading time/scope words and verbs, a few deep
        stripped = _LEAD.sub("", s)
        if stripped == s:
            break
        s = stripped
    s = _TRAIL.sub("", s)
    return s + regex.sub(r"\s+", "", clean(obj))


# A subject that compares (较2018年下降, 分别…) or only names a rate (三年年均增长率) does not
# say what it measures: two such mentions are not the same quantity.
_RELATIVE = regex.compile(r"^(?:较|比|同比|环比)|分别")
_BARE_MEASURE = ("率", "比例", "比重", "占比", "度", "系数")


def to_quantity(m: RawQuantity) -> Quantity | None:
    """None when the unit is unknown or the subject says nothing comparable."""
    unit = parse_unit(m.unit)
    if unit is None:
        return None
    try:
        number = float(m.number.replace(",", ""))
    except ValueError:
        return None
    key = subject_key(m.subject, m.obj)
    if len(key) < MIN_KEY or _ANAPHORIC.match(key) or _RELATIVE.search(key):
        return None
    value = number * unit.factor
    tol = 0.5 * 10.0 ** -decimals(m.number) * unit.factor
    if m.approx:
        tol = max(tol, APPROX_TOLERANCE * abs(value))
    return Quantity(m, value, tol, unit.dimension, key, bool(_CUMULATIVE.search(m.subject)))


def same_subject(a: Quantity, b: Quantity) -> bool:
    if a.dimension != b.dimension or a.mention.year != b.mention.year:
        return False
    if a.cumulative != b.cumulative:
        return False
    short, long = sorted((a.key, b.key), key=len)
    if short == long:
        return True
    # 新建雨水管线 ~ 汽开区新建雨水管线, but a bare rate (三年年均增长率) belongs to
    # whatever precedes it, so it matches only itself.
    return len(short) >= MIN_SUFFIX and long.endswith(short) and not short.endswith(_BARE_MEASURE)


def same_amount(a: Quantity, b: Quantity) -> bool:
    """Within half a unit of the last printed digit of the less precise one."""
    return abs(a.value - b.value) <= max(a.tolerance, b.tolerance) * (1 + 1e-9)


def contradictions(
    mentions: Sequence[RawQuantity], skip: frozenset[tuple[str, str]] = frozenset()
) -> list[tuple[Quantity, Quantity]]:
    """(first, later) pairs that state one quantity with different amounts. Plans and
    mentions in ``skip`` ((sentence, number), e.g. headline figures checked elsewhere)
    are left out; each later amount is reported once against the first mention."""
    groups: list[list[Quantity]] = []
    out: list[tuple[Quantity, Quantity]] = []
    for m in mentions:
        if m.plan or (m.sentence, m.number) in skip:
            continue
        q = to_quantity(m)
        if q is None:
            continue
        group = next((g for g in groups if same_subject(g[0], q)), None)
        if group is None:
            groups.append([q])
            continue
        first = group[0]
        if not same_amount(first, q) and not any(same_amount(q, p) for f, p in out if f is first):
            out.append((first, q))
        group.append(q)
    return out
