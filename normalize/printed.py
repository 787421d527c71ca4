"""A standard built from one document's own indicator table: each row's printed 要求
parsed into a rule (normalize/requirements.py), its category, unit and 必选 as printed,
and the category-minimum rules it prints ("4 项指标至少选择 1 项达标").

This is the only rule there is where a document's standard is not encoded (HJ 274-2009,
a provincial scheme): the checker judges each value against the requirement printed
beside it and says that this is its basis. Numbering is the document's 序号, or the row
order when the 序号 is missing or repeats (numbering restarted per category).
"""

from __future__ import annotations

import regex

from extract.raw import RawReport, RawRow, RawTable
from normalize.doctype import PrintedMinimum, category_minimums, load_document_types, parts_of
from normalize.labels import split_footnote
from normalize.requirements import parse_requirement
from schemas.standard import (
    DEFAULT_STANDARD,
    CategoryMinimum,
    Evaluation,
    IndicatorSpec,
    Standard,
    load_standard,
)
from schemas.text import clean, clean_requirement

PRINTED_PREFIX = "printed: "


def _table(raw: RawReport) -> RawTable | None:
    for kind in ("indicators", "claims"):
        table = next((t for t in raw.tables if t.kind == kind and t.rows), None)
        if table is not None:
            return table
    return None


def _text(row: RawRow, role: str) -> str:
    cell = row.cells.get(role)  # type: ignore[call-overload]
    return clean(cell.text) if cell is not None else ""


def _numbers(rows: list[RawRow]) -> list[int]:
    printed = [r.number for r in rows]
    if all(n is not None for n in printed) and len(set(printed)) == len(printed):
        return [n for n in printed if n is not None]
    return list(range(1, len(rows) + 1))


def printed_standard(raw: RawReport, label: str) -> tuple[Standard, list[PrintedMinimum]] | None:
    """The document's own table as a standard (rows whose requirement does not read as a
    rule have none); None when it has no indicator rows."""
    table = _table(raw)
    if table is None:
        return None
    rows = [r for r in table.rows if _text(r, "name")]
    if not rows:
        return None
    categories: list[str] = []
    current = ""
    for row in rows:
        if row.category is not None and clean(row.category.text):
            current = clean(row.category.text)
        categories.append(current)
    parts = parts_of(raw)
    # a note wraps across lines on a page: each line also with the next one
    joined = [(a + b, pa) for (a, pa), (b, _) in zip(parts.text, parts.text[1:], strict=False)]
    minimums = category_minimums([*parts.text, *joined, *parts.tables], categories)
    ruled = {m.category for m in minimums}
    specs = []
    for number, row, category in zip(_numbers(rows), rows, categories, strict=True):
        requirement = (
            clean_requirement(row.cells["requirement"].text) if "requirement" in row.cells else ""
        )
        assessed = _text(row, "assessed")
        specs.append(
            IndicatorSpec(
                number=number,
                category=category,
                name=split_footnote(_text(row, "name"))[0],
                unit=_text(row, "unit"),
                requirement=requirement,
                # every indicator counts unless its category has a minimum rule; a printed
                # 必选 counts everywhere
                mandatory=category not in ruled or assessed == "必选",
                rule=parse_requirement(requirement) if requirement else None,
            )
        )
    growth = load_document_types().growth_proxy_name
    proxy = next((s.number for s in specs if regex.search(growth, s.name)), None)
    national = load_standard(DEFAULT_STANDARD)
    evaluation = evaluation_for(minimums, proxy)
    std = Standard(
        id=PRINTED_PREFIX + label,
        title=label,
        encoded=True,
        printed=True,
        note="the requirements printed in the document",
        categories=tuple(dict.fromkeys(c for c in categories if c)),
        evaluation=evaluation,
        regions=dict(national.regions),  # tier names for a printed #16-style requirement
        indicators=tuple(specs),
    )
    return std, minimums


def evaluation_for(minimums: list[PrintedMinimum], proxy: int | None) -> Evaluation:
    """Category minimums when the document prints them; else every indicator counts."""
    if not minimums:
        return Evaluation(
            mode="all", min_optional_assessed_status="document", growth_proxy_indicator=proxy
        )
    return Evaluation(
        mode="category_minimums",
        category_minimums=tuple(
            CategoryMinimum(category=m.category, min_met=m.min_met, of=m.of, text=m.text)
            for m in minimums
        ),
        min_optional_assessed_status="document",
        growth_proxy_indicator=proxy,
    )
