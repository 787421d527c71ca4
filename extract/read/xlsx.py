"""Excel workbooks (.xlsx): annex tables published as spreadsheets, read with openpyxl.

Each worksheet is one table (its used range); its title is a narrative line, so a sheet
named 附件一 对照考核表 says what it holds. A merged range keeps its value at the top-left
cell and leaves the rest empty, as every reader does. A number is given as the sheet
prints it: the cell's number format decides decimals, percent and thousands separators
(0.5 under ``0.0%`` is ``50.0%``), so later stages see what a reader of the sheet sees.
Formulas give their cached value (the one Excel saved), never the formula.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path
from typing import Any

from extract.errors import ReadError
from extract.limits import ReadLimits, read_bounded
from extract.source import Cell, Line, Loc, SourceDoc, Table

_QUOTED = re.compile(r'"([^"]*)"')
_BRACKETS = re.compile(r"\[[^\]]*\]")  # colours, conditions, locales: [Red], [>100], [$-804]
_PLACEHOLDERS = re.compile(r"[0#?,]+(?:\.[0#?]*)?|\.[0#?]+")
_DATE_CODES = re.compile(r"[ymdhs]", re.IGNORECASE)


def _general(value: float) -> str:
    """Excel's General format: an integer without a point, else up to 15 significant
    digits (what it stored)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g")


def format_number(value: float, fmt: str | None) -> str:
    """``value`` as a cell with number format ``fmt`` displays it (the common cases:
    General, 0, 0.00, #,##0.00, 0%, 0.0%, literals such as 0.00"万元", @)."""
    fmt = (fmt or "General").strip()
    if fmt in ("General", "@", ""):
        return _general(value)
    sections = fmt.split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1 and sections[1].strip():
        section, value = sections[1], -value  # the negative section prints its own sign
    elif value == 0 and len(sections) > 2 and sections[2].strip():
        section = sections[2]
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:  # a literal, hidden from the placeholders
        literals.append(match.group(1))
        return f"\x00{len(literals) - 1}\x00"

    body = _BRACKETS.sub("", _QUOTED.sub(keep, section))
    body = re.sub(r"\\(.)", keep, body)  # \- \  escaped single characters
    body = body.replace("_)", "").replace("*", "")
    found = _PLACEHOLDERS.search(body)
    if not found:
        return _general(value)
    pattern = found.group(0)
    percent = body.count("%")
    shown = value * (100**percent)
    decimals = len(pattern.split(".")[1]) if "." in pattern else 0
    integer_part = pattern.split(".")[0]
    grouping = "," in integer_part
    trailing_commas = len(integer_part) - len(integer_part.rstrip(","))
    shown /= 1000**trailing_commas  # 0, scales by a thousand per trailing comma
    number = f"{shown:,.{decimals}f}" if grouping else f"{shown:.{decimals}f}"
    if "#" in pattern and "0" not in integer_part and number.startswith(("0.", "-0.")):
        number = number.replace("0.", ".", 1)  # #.00 prints .50
    text = body[: found.start()] + number + body[found.end() :]
    return re.sub("\x00(\\d+)\x00", lambda m: literals[int(m.group(1))], text).strip()


def printed_text(value: Any, number_format: str | None) -> str:
    """A cell's value as the sheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return format_number(float(value), number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _used_range(ws: Any) -> tuple[int, int]:
    """The last row and column that hold a value (max_row/max_column count formatting)."""
    last_row = last_col = 0
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and str(c.value).strip():
                last_row = max(last_row, c.row)
                last_col = max(last_col, c.column)
    return last_row, last_col


def read_xlsx(path: Path, limits: ReadLimits | None = None) -> SourceDoc:
    """Read a .xlsx workbook; raises ReadError with a plain message when it cannot."""
    from openpyxl import load_workbook  # only when a workbook comes

    limits = limits or ReadLimits()
    data = read_bounded(path, limits)
    try:
        # Not read_only: merged ranges are only known to a fully loaded sheet.
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise ReadError(f"damaged Excel workbook: it cannot be opened ({err})") from err
    except Exception as err:
        raise ReadError(f"damaged Excel workbook: {type(err).__name__}: {err}") from err
    doc = SourceDoc(kind="xlsx")
    for index, ws in enumerate(wb.worksheets, start=1):
        doc.lines.append(Line(ws.title, Loc(sheet=ws.title, table=index)))
        last_row, last_col = _used_range(ws)
        if last_row > limits.max_table_rows or last_col > limits.max_cells_per_row:
            doc.warnings.append(
                f"sheet {ws.title}: {last_row:,} rows × {last_col} columns cut to "
                f"{limits.max_table_rows:,} × {limits.max_cells_per_row}"
            )
            last_row = min(last_row, limits.max_table_rows)
            last_col = min(last_col, limits.max_cells_per_row)
        rows: list[list[Cell]] = []
        for row in ws.iter_rows(min_row=1, max_row=last_row, max_col=last_col):
            cells = [
                Cell(
                    printed_text(c.value, c.number_format),
                    Loc(table=index, row=c.row, cell=c.column, sheet=ws.title),
                )
                for c in row
            ]
            if any(c.text.strip() for c in cells):
                rows.append(cells)
        if rows:
            doc.tables.append(Table(rows, Loc(table=index, sheet=ws.title)))
    wb.close()
    return doc
