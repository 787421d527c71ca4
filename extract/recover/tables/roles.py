"""Column roles of a table part: which column holds 序号, names, units, requirements,
year values, claims — and which rows are header rows."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extract.raw import Column, TableKind
from extract.source import Cell
from schemas.text import key

MIN_HEADER_ROLES = 3  # distinct roles a row needs to count as a header

_YEAR = regex.compile(r"((?:19|20)\d{2})")


def column_role(header: str) -> Column:
    """What a column holds, from its header text (any spacing, wrapped or not)."""
    k = key(header)
    if not k:
        return Column("other", header)
    if "达标" in k:
        return Column("claim", header)
    if "考核" in k and ("是否" in k or k.endswith("考核")):
        return Column("assessed", header)
    if k in ("指标类型", "指标属性", "必选可选", "选择"):
        return Column("assessed", header)
    year = _YEAR.search(k)
    if year and ("年" in k or k.isdigit() or "值" in k):
        return Column("value", header, int(year[1]))
    if k in ("分类", "类别", "指标类别", "类型", "指标分类", "一级指标"):
        return Column("category", header)
    if k in ("序号", "编号", "指标序号", "No", "NO"):
        return Column("number", header)
    if k in ("单位", "计量单位", "指标单位"):
        return Column("unit", header)
    if k in ("要求", "标准要求", "指标要求", "标准值", "要求值", "考核要求", "引领值"):
        return Column("requirement", header)
    if k in ("指标", "指标名称", "考核指标", "评价指标", "名称", "二级指标"):
        return Column("name", header)
    if "目标" in k or k in ("现状值", "指标值", "数值", "实际值", "完成值"):
        return Column("value", header)
    return Column("other", header)


def header_columns(row: Sequence[Cell]) -> list[Column] | None:
    """The row's columns if it is a header row, else None."""
    cols = [column_role(c.text) for c in row]
    roles = {c.role for c in cols} - {"other"}
    if len(roles) >= MIN_HEADER_ROLES and roles & {"name", "number"}:
        return cols
    return None


def merge_subheader(cols: list[Column], row: Sequence[Cell]) -> list[Column] | None:
    """A second header row that names the year columns under a spanning 指标值 cell."""
    sub = [column_role(c.text) for c in row]
    if not any(s.role == "value" and s.year for s in sub):
        return None
    merged = list(cols)
    for i, s in enumerate(sub):
        if s.role == "value" and i < len(merged) and merged[i].role in ("value", "other"):
            merged[i] = s
        elif i >= len(merged) and s.role == "value":
            merged.append(s)
    return merged


def table_kind(cols: Sequence[Column]) -> TableKind | None:
    roles = {c.role for c in cols}
    if "value" in roles:
        return "indicators"
    if "claim" in roles:
        return "claims"
    return None
