"""Reading a truth file and turning it into what a renderer prints.

The truth file is the input: every printed cell comes from it (``printed`` wins over
``values``), every label from its ``table_columns``.  Nothing here invents data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from samples.generate.standard import INDICATORS

PDF_DIR = Path(__file__).resolve().parent.parent / "pdf"

LEVELS = ["国家级", "省级", "省级以下"]
TYPES = [
    "经济技术开发区",
    "高新技术产业开发区",
    "保税区",
    "出口加工区",
    "边境经济合作区",
    "经济开发区",
    "其他",
]

# Ideographs that a Chromium print of a page set in a CJK font often maps back (through the
# font's cmap) to Kangxi radicals (U+2F00–) or CJK radicals supplement (U+2E80–).
RADICALS = {
    "用": "⽤",
    "行": "⾏",
    "工": "⼯",
    "人": "⼈",
    "生": "⽣",
    "大": "⼤",
    "力": "⼒",
    "水": "⽔",
    "方": "⽅",
    "高": "⾼",
    "长": "⻓",
    "门": "⻔",
    "车": "⻋",
    "见": "⻅",
    "一": "⼀",
    "二": "⼆",
    "十": "⼗",
    "入": "⼊",
    "小": "⼩",
    "山": "⼭",
    "心": "⼼",
    "文": "⽂",
    "日": "⽇",
    "月": "⽉",
    "石": "⽯",
    "金": "⾦",
    "色": "⾊",
    "立": "⽴",
    "比": "⽐",
    "西": "⻄",
    "风": "⻛",
    "自": "⾃",
}
_RADICAL_TABLE = str.maketrans(RADICALS)


def to_radicals(text: str) -> str:
    return text.translate(_RADICAL_TABLE)


@dataclass
class Column:
    role: str  # category|number|name|unit|requirement|assessed|target|year|claim
    header: str
    year: int | None = None


FIXED_ROLES = {
    "分类": "category",
    "序号": "number",
    "指标": "name",
    "单位": "unit",
    "要求": "requirement",
    "是否为考核指标": "assessed",
    "目标值": "target",
    "是否达标": "claim",
}


class Truth:
    def __init__(self, data: dict, path: Path | None = None):
        self.data = data
        self.path = path

    @classmethod
    def load(cls, path: Path) -> Truth:
        return cls(json.loads(path.read_text(encoding="utf-8")), path)

    # -- simple accessors -------------------------------------------------
    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def layouts(self) -> set[str]:
        return set(self.data["layouts"])

    def has(self, layout: str) -> bool:
        return layout in self.layouts

    @property
    def park(self) -> dict:
        return self.data["park"]

    @property
    def year(self) -> int:
        return self.data["report_year"]

    @property
    def indicators(self) -> list[dict]:
        return self.data["indicators"]

    @property
    def filled_on_cn(self) -> str:
        d = date.fromisoformat(self.data["filled_on"])
        return f"{d.year}年{d.month}月{d.day}日"

    # -- tables -------------------------------------------------------------
    def annex1_columns(self) -> list[Column]:
        years = {c["header"]: c["year"] for c in self.data["year_columns"]}
        cols = []
        for h in self.data["table_columns"]:
            if h in FIXED_ROLES:
                cols.append(Column(FIXED_ROLES[h], h))
            elif h in years:
                cols.append(Column("year", h, years[h]))
            else:
                raise ValueError(f"{self.id}: unknown column header {h!r}")
        return cols

    def compliance_columns(self) -> list[Column]:
        """三、标准达标情况: same fixed columns as 附件一 minus years/target, plus 是否达标
        (last, also when 附件一 has its own 是否达标 column)."""
        cols = [c for c in self.annex1_columns() if c.role not in ("year", "target", "claim")]
        order = ["category", "number", "name", "unit", "requirement", "assessed"]
        cols.sort(key=lambda c: order.index(c.role))
        return [*cols, Column("claim", "是否达标")]

    @property
    def year_group_header(self) -> str | None:
        """``two_row_header``: the label printed over the year columns (e.g. 指标值)."""
        return self.data.get("year_group_header")

    @staticmethod
    def cell(ind: dict, col: Column, *, compliance: bool = False) -> str:
        if col.role == "year":
            key = str(col.year)
            return ind.get("printed", {}).get(key, ind["values"][key])
        if col.role == "category":
            # 达标情况 table uses the standard's category (the seed prints #29 differently in 附件一)
            return INDICATORS[ind["number"]][0] if compliance else ind["category"]
        if col.role == "number":
            return str(ind["number"])
        if col.role == "assessed":
            return ind["assessed"] or ""
        return str(ind.get(col.role) or "")

    # -- narrative helpers ---------------------------------------------------
    def figure_sentences(self) -> list[str]:
        seen: list[str] = []
        for f in self.data["figures"].values():
            if f["sentence"] not in seen:
                seen.append(f["sentence"])
        return seen

    def value(self, number: int, year: int | None = None) -> str:
        return self.indicators[number - 1]["values"][str(year or self.year)]


def split_requirement(req: str) -> list[str]:
    """Where a renderer may break a long requirement: between the two conditions (#10/13/25)
    and between the three regional tiers (#16)."""
    parts = re.split(r"\s+(?=当园区|京津冀|其他地区)", req)
    return [p for p in parts if p]


def checkbox_line(
    options: list[str], chosen: str, on: str, off: str, sep: str = "  ", *, before: bool = False
) -> str:
    """``国家级■  省级□`` — or, with ``before`` (layout ``tick_before_option``), ``√国家级 □省级``."""
    if before:
        return sep.join(f"{on if o == chosen else off}{o}" for o in options)
    return sep.join(f"{o}{on if o == chosen else off}" for o in options)


def all_truths() -> list[Truth]:
    return [Truth.load(p) for p in sorted(PDF_DIR.glob("*.truth.json"))]
