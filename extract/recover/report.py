"""SourceDoc → RawReport: find the annex tables, basic info, meta and figures."""

from __future__ import annotations

from collections.abc import Iterator

import extract.recover.basic_info as basic_info
import extract.recover.figures as figures
import extract.recover.meta as meta
import extract.recover.quantities as quantities
from extract.raw import RawReport
from extract.recover.tables import indicator_tables
from extract.source import Loc, SourceDoc


def _texts(doc: SourceDoc) -> Iterator[tuple[str, Loc]]:
    """Every line, then every table cell: the places a title or 填报时间 can stand."""
    for line in doc.lines:
        yield line.text, line.loc
    for table in doc.tables:
        for row in table.rows:
            # Whole rows too: 园区名称：… and 填报时间：… often share a row.
            yield " ".join(c.text for c in row), row[0].loc if row else table.loc
            for cell in row:
                yield cell.text, cell.loc


def _latest_year(report: RawReport) -> int | None:
    years = [c.year for t in report.tables for c in t.columns if c.role == "value" and c.year]
    return max(years) if years else None


def recover(doc: SourceDoc) -> RawReport:
    report = RawReport(kind=doc.kind, pages=doc.pages, lines=doc.lines)
    report.warnings.extend(doc.warnings)
    report.tables = indicator_tables(doc.tables)
    report.title_year = meta.title_year((ln.text, ln.loc) for ln in doc.lines[:80])
    report.filled_on = meta.filled_on(_texts(doc))
    report.park_name_in_annex = meta.park_name(_texts(doc))
    table = basic_info.find_table(doc.tables)
    if table is not None:
        report.basic_info = basic_info.basic_info(table)
    year = int(report.title_year.text) if report.title_year else _latest_year(report)
    report.figures = figures.figure_mentions(doc.lines, year)
    report.quantities = quantities.quantity_mentions(doc.lines, doc.tables, year)
    return report
