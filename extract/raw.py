"""RawReport: what extract/ recovers from a SourceDoc, before normalisation.

Everything is still text as printed, each piece with its ``Loc``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extract.source import Cell, Line, Loc, SourceKind

ColumnRole = Literal[
    "category",
    "number",
    "name",
    "unit",
    "requirement",
    "assessed",
    "value",
    "target",  # a planned or target value (2022年目标值): never a year's value
    "claim",
    "notes",  # 备注, 数据来源: prose, numbers in it are not values
    "other",
]
TableKind = Literal["indicators", "claims"]


@dataclass(frozen=True, slots=True)
class Column:
    role: ColumnRole
    header: str  # as printed, cleaned
    year: int | None = None  # for value and target columns
    unit: str | None = None  # a unit printed in the header itself: 指标值（%）


@dataclass(slots=True)
class RawRow:
    """One indicator row. ``cells`` maps a role to its cell; value columns are in
    ``values`` in column order."""

    number: int | None
    cells: dict[ColumnRole, Cell]
    values: list[tuple[Column, Cell]]
    category: Cell | None = None
    loc: Loc = field(default_factory=Loc)


@dataclass(slots=True)
class RawTable:
    kind: TableKind
    columns: list[Column]
    rows: list[RawRow] = field(default_factory=list)
    parts: int = 1
    loc: Loc = field(default_factory=Loc)


@dataclass(frozen=True, slots=True)
class RawField:
    text: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class RawFigure:
    key: str
    label: str
    number: str
    unit: str
    year: int | None
    sentence: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class RawQuantity:
    """One amount in the narrative: '新建雨水管线 4.1 公里' → subject '新建雨水管线',
    number '4.1', unit '公里'. ``obj`` is what a count counts when it follows the unit
    ('22 条街路' → '街路'). ``section`` is the nearest heading above (text, Loc)."""

    subject: str
    number: str
    unit: str
    approx: str  # 约 / 近 / 多 / 余 … as printed, '' when exact
    obj: str
    year: int | None
    plan: bool  # a plan or target (计划, 预计, a 工作计划 section …), not an achieved amount
    sentence: str
    loc: Loc
    section: str | None = None
    section_loc: Loc | None = None


@dataclass(slots=True)
class RawReport:
    kind: SourceKind
    pages: int | None
    title_year: RawField | None = None
    filled_on: RawField | None = None
    park_name_in_annex: RawField | None = None
    basic_info: dict[str, RawField] = field(default_factory=dict)
    tables: list[RawTable] = field(default_factory=list)
    figures: list[RawFigure] = field(default_factory=list)
    quantities: list[RawQuantity] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
