"""The dataset's tables out of DuckDB for other tools: Parquet, CSV (optionally with a BOM
for Excel) and one Excel workbook.

Spreadsheets run text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (OWASP "CSV injection"); such text in CSV and xlsx is written with a
leading apostrophe. Numbers are never touched: a negative value stays a number.
"""

from __future__ import annotations

import csv
import json
import math
import os
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ecopark.store import DB_NAME, TABLES

FORMATS = ("parquet", "csv", "xlsx")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60  # characters; long messages wrap in the cell instead


class ExportError(ValueError):
    """Why an export cannot be made, in one line."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe;
    text that is a plain number (``-1.18``) is left as it is."""
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text.strip()):
        return "'" + text
    return text


def cell_value(value: Any) -> Any:
    """A database value as a spreadsheet cell: numbers and booleans as they are, lists as
    JSON, text neutralised; None/NaN empty."""
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, list | tuple):
        return neutralise(json.dumps(list(value), ensure_ascii=False))
    return neutralise(str(value))


def _rows(con: Any, table: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    cur = con.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cur.description]

    def gen() -> Iterator[tuple[Any, ...]]:
        while batch := cur.fetchmany(2048):
            yield from batch

    return names, gen()


def _open(outdir: Path) -> Any:
    import duckdb

    db = outdir / DB_NAME
    if not outdir.is_dir():
        raise ExportError(f"{outdir}: no such folder")
    if not db.is_file():
        raise ExportError(
            f"{outdir}: no dataset here ({DB_NAME} is missing); write one with ecopark run"
        )
    try:
        con = duckdb.connect(str(db), read_only=True)
        present = {
            row[0]
            for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        missing = [t for t in TABLES if t not in present]
    except duckdb.Error as err:
        raise ExportError(f"{db}: not a readable dataset ({err}); run ecopark run again") from err
    if missing:
        con.close()
        raise ExportError(f"{db}: tables missing ({', '.join(missing)}); run ecopark run again")
    return con


def _csv(con: Any, table: str, tmp: Path, bom: bool) -> None:
    names, rows = _rows(con, table)
    with tmp.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if (v := cell_value(x)) is None else v for x in row])


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx(con: Any, tmp: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for table in TABLES:
        ws = wb.create_sheet(table)
        names, rows = _rows(con, table)
        ws.append(names)
        widths = [display_width(n) for n in names]
        for row in rows:
            values = [cell_value(x) for x in row]
            ws.append(values)
            for i, v in enumerate(values):
                if v is not None:
                    widths[i] = max(widths[i], display_width(str(v)))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"  # the header row stays in view
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(w + 2, MAX_COLUMN_WIDTH)
    wb.save(tmp)


def export(outdir: Path, fmt: str = "parquet", bom: bool = False) -> list[Path]:
    """Every table of the dataset under OUTDIR/export/: ``<table>.parquet`` or
    ``<table>.csv``, or one ``ecopark.xlsx`` with a sheet per table. Nothing is created
    when the folder holds no dataset (ExportError)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    if bom and fmt != "csv":
        raise ExportError("--bom applies to --format csv only")
    con = _open(outdir)
    dest = outdir / "export"
    written: list[Path] = []
    try:
        dest.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            path, tmp = dest / "ecopark.xlsx", dest / ".ecopark.xlsx.tmp"
            _xlsx(con, tmp)
            os.replace(tmp, path)
            return [path]
        for table in TABLES:
            path, tmp = dest / f"{table}.{fmt}", dest / f".{table}.{fmt}.tmp"
            if fmt == "parquet":
                con.execute(f"COPY \"{table}\" TO '{tmp}' (FORMAT parquet)")
            else:
                _csv(con, table, tmp, bom)
            os.replace(tmp, path)
            written.append(path)
    finally:
        con.close()
    return written


def tables(outdir: Path, names: Sequence[str] = TABLES) -> dict[str, Any]:
    """The dataset's tables as pandas DataFrames, by table name."""
    con = _open(outdir)
    try:
        return {t: con.execute(f'SELECT * FROM "{t}"').df() for t in names}
    finally:
        con.close()
