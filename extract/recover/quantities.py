"""Every amount the narrative states: '新建雨水管线 4.1 公里', '完成投资约 151776.3664 万元',
'汽开区有加油站 21 家'. Headline figures (extract/figures.py) are a few of these with a
known key; here every number followed by a known unit is kept, with the phrase before it
(its subject), the section it stands in, and whether it is a plan rather than a result.

Sections: a heading is a short numbered line (一、 （一） 1. 附件一 第一章) or a short line
without clause punctuation and without an amount. A section whose heading (or a heading
above it) names a plan (工作计划, 下一步打算 …) holds plans, not results.

Prose inside table cells (the 信息公开表 repeats the narrative) is read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import regex

from extract.raw import RawQuantity
from extract.recover.figures import sentences
from extract.source import Line, Loc, Table
from schemas.text import clean

# Longest first, so 平方公里 is not read as 公里 and 万元 not as 元.
UNIT_WORDS = (
    "万亿元", "亿美元", "万美元", "美元", "亿元", "万元", "千元", "元",
    "万吨标准煤", "万吨标煤", "吨标准煤", "吨标煤",
    "亿立方米", "万立方米", "立方米", "万平方米", "平方米", "平方公里", "平方千米",
    "万亩", "亩", "公顷", "千米", "公里", "米",
    "亿吨", "万吨", "吨", "千克", "公斤",
    "%", "‰",
    "个", "户", "家", "项", "次", "条", "座", "台", "套", "处", "起", "件", "所", "人",
    "亿",
)  # fmt: skip
_UNIT = "|".join(regex.escape(u) for u in UNIT_WORDS)
_MENTION = regex.compile(
    r"(?<![\d.,A-Za-z])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"\s*(?P<more>多|余)?\s*(?P<unit>{_UNIT})"
    # 亿元/平方公里, 吨/万元 are intensities and 个百分点 a change: not amounts
    r"(?![/／每]|百分点)"
    # a bare 亿 only when no other unit word follows (亿元, 亿吨 are matched above)
    r"(?(?<=亿)(?![\p{Han}]*?(?:元|吨|立方米)))"
)
_APPROX_BEFORE = regex.compile(r"(约为|大约|约|接近|近|超过|逾)\s*$")
_CLAUSE_END = '，,；;。：:、（()）“”"!?！？'
_OBJECT = regex.compile(r"\s*([\p{Han}]{1,8})")
_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
# Plans and targets: anywhere earlier in the sentence (strong words) or in the clause.
_PLAN_SENTENCE = regex.compile(r"计划|预计|力争|预期|争取|拟|规划到|目标为|目标是")
# 至少: a minimum required ("4 项指标至少选择 1 项达标"), not an amount achieved
_PLAN_CLAUSE = regex.compile(r"目标|将|规划|储备|谋划|至少")
_PLAN_HEADING = regex.compile(r"计划|打算|展望|工作安排|工作思路|目标任务|下一步|下一阶段")

_NUMBERED = (
    (regex.compile(r"^第[一二三四五六七八九十百\d]+[章节部分篇]"), 1),
    (regex.compile(r"^附件[一二三四五六七八九十\d]*"), 1),
    (regex.compile(r"^[一二三四五六七八九十]+[、.．]"), 1),
    (regex.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 2),
    (regex.compile(r"^\d{1,2}\s*[.、．]\s*(?!\d)"), 3),
    (regex.compile(r"^[（(]\d{1,2}[)）]"), 4),
)
MAX_HEADING = 40  # characters; longer lines are paragraphs even when numbered


def heading_level(text: str) -> int | None:
    """1 for 一、/附件/第一章 and unnumbered headings, 2 for （一）, 3 for 1., 4 for (1);
    None for a line of prose."""
    t = clean(text)
    if not t or len(t) > MAX_HEADING:
        return None
    for pattern, level in _NUMBERED:
        if pattern.match(t):
            return level
    # Unnumbered: short, no clause punctuation, no amount (a wrapped last line of a
    # paragraph such as '新建雨水管线 8316 米' is prose, not a heading).
    if regex.search(r"[，,；;。：:、！？!?]", t) or _MENTION.search(t):
        return None
    return 1 if regex.search(r"\p{Han}{4}", t) else None


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    text: str
    loc: Loc


def _sections(lines: Sequence[Line]) -> Iterable[tuple[list[_Heading], list[Line]]]:
    """Lines cut at headings: (the heading stack above the block, the block's lines)."""
    stack: list[_Heading] = []
    block: list[Line] = []
    for line in lines:
        level = heading_level(line.text)
        if level is None:
            block.append(line)
            continue
        if block:
            yield list(stack), block
            block = []
        stack = [h for h in stack if h.level < level] + [
            _Heading(level, clean(line.text), line.loc)
        ]
    if block:
        yield list(stack), block


def _subject(text: str, start: int, floor: int) -> str:
    """The clause before a number: from the last clause mark (or the previous amount)."""
    cut = max(floor, *(text.rfind(p, 0, start) + 1 for p in _CLAUSE_END))
    return text[cut:start]


def _mentions_in(
    text: str, loc: Loc, stack: list[_Heading], default_year: int | None
) -> list[RawQuantity]:
    out: list[RawQuantity] = []
    in_plan = any(_PLAN_HEADING.search(h.text) for h in stack)
    section = stack[-1] if stack else None
    floor = 0
    for m in _MENTION.finditer(text):
        before = _subject(text, m.start(), floor)
        approx_m = _APPROX_BEFORE.search(before)
        approx = approx_m[1] if approx_m else ""
        subject = before[: approx_m.start()] if approx_m else before
        obj_m = _OBJECT.match(text, m.end())
        years = _YEAR.findall(text[: m.start()])
        plan = (
            in_plan
            or bool(_PLAN_SENTENCE.search(text[: m.start()]))
            or bool(_PLAN_CLAUSE.search(before))
        )
        out.append(
            RawQuantity(
                subject=subject.strip(),
                number=m["num"],
                unit=m["unit"],
                approx=approx + (m["more"] or ""),
                obj=obj_m[1] if obj_m and m["unit"] not in ("%", "‰") else "",
                year=int(years[-1]) if years else default_year,
                plan=plan,
                sentence=text,
                loc=loc,
                section=section.text if section else None,
                section_loc=section.loc if section else None,
            )
        )
        floor = m.end()
    return out


def _locate(block: Sequence[Line], start: Loc, q: RawQuantity) -> Loc:
    """The line the amount is printed on (a sentence may wrap onto the next line or page)."""
    first = next((i for i, ln in enumerate(block) if ln.loc is start), 0)
    pattern = regex.compile(rf"(?<![\d.]){regex.escape(q.number)}\s*(?:多|余)?\s*{q.unit}")
    for line in block[first:]:
        if pattern.search(clean(line.text)):
            return line.loc
    return start


def _prose_cells(tables: Sequence[Table]) -> Iterable[list[Line]]:
    """Table cells that hold paragraphs (the 信息公开表's 建设进展), as lines."""
    for table in tables:
        for row in table.rows:
            for cell in row:
                if "。" in cell.text and len(cell.text) >= 40:
                    yield [Line(t, cell.loc) for t in cell.text.split("\n") if t.strip()]


def quantity_mentions(
    lines: Sequence[Line], tables: Sequence[Table], default_year: int | None
) -> list[RawQuantity]:
    """Every amount with a known unit, narrative first, then prose in table cells."""
    out: list[RawQuantity] = []
    for doc_lines in (list(lines), *_prose_cells(tables)):
        for stack, block in _sections(doc_lines):
            for sent in sentences(block):
                for q in _mentions_in(sent.text, sent.loc, stack, default_year):
                    out.append(replace(q, loc=_locate(block, sent.loc, q)))
    return out
