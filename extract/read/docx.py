"""Word documents (.docx): the document's own paragraphs and tables, read exactly from its
XML with python-docx — no layout guessing, nothing printed and read back.

- Narrative: every body paragraph in order, ``Loc(line=n)`` (n = the paragraph's number).
- Tables: every body table as a grid; ``Loc(table, row, cell)`` 1-based, ``cell`` being
  the grid column. A merged cell keeps its text at its first position and leaves the
  positions it covers empty (``gridSpan`` across, ``vMerge`` down, ``gridBefore`` at a
  row's start), as every reader does.
- Text: ``w:t`` runs, tabs and breaks; Wingdings check boxes (``w:sym``) become ☑/☐; deleted
  text and field codes are not text. Headers and footers are not part of the body.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from extract.errors import ReadError
from extract.limits import ReadLimits, read_bounded
from extract.source import CHECKED, UNCHECKED, Cell, Line, Loc, SourceDoc, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
# Wingdings / Wingdings 2 code points of box glyphs (w:sym w:char, with or without F0xx).
SYMBOL_BOXES = {
    "FE": CHECKED,  # Wingdings þ: box with tick
    "78": CHECKED,  # Wingdings 2 x-box
    "52": CHECKED,  # Wingdings 2 R: box with tick
    "53": CHECKED,  # Wingdings 2 S: box with cross
    "A8": UNCHECKED,  # Wingdings ¨: empty box
    "6F": UNCHECKED,  # Wingdings o: empty box
    "A3": UNCHECKED,  # Wingdings 2 £: empty box
}


def _symbol(el: Any) -> str:
    code = (el.get(f"{W}char") or "").upper()
    return SYMBOL_BOXES.get(code[-2:], "")


def paragraph_text(p: Any) -> str:
    """A paragraph's text as Word shows it, from its XML (document order)."""
    out: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}sym":
            out.append(_symbol(el))
    return "".join(out)


def cell_text(tc: Any) -> str:
    """A cell's paragraphs joined by line breaks (a nested table's cells flattened in)."""
    parts: list[str] = []
    for child in tc.iterchildren():
        if child.tag == f"{W}p":
            parts.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for tr in child.iterchildren(f"{W}tr"):
                parts.extend(cell_text(inner) for inner in tr.iterchildren(f"{W}tc"))
    return "\n".join(parts).strip("\n")


def _int_attr(el: Any, name: str, default: int) -> int:
    node = el.find(name)
    if node is None:
        return default
    try:
        return max(1, int(node.get(f"{W}val") or default))
    except ValueError:
        return default


def _vmerge(tc: Any) -> str | None:
    """'restart', 'continue' or None (w:vMerge without a value means continue)."""
    node = tc.find(f"{W}tcPr/{W}vMerge")
    if node is None:
        return None
    return node.get(f"{W}val") or "continue"


def table_rows(tbl: Any, index: int, limits: ReadLimits, doc: SourceDoc) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for r, tr in enumerate(tbl.iterchildren(f"{W}tr"), start=1):
        if len(rows) >= limits.max_table_rows:
            doc.warnings.append(f"table {index}: cut to {limits.max_table_rows:,} rows")
            break
        row: list[Cell] = []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        if before is not None:
            row.extend(
                Cell("", Loc(table=index, row=r, cell=c + 1))
                for c in range(int(before.get(f"{W}val") or 0))
            )
        for tc in tr.iterchildren(f"{W}tc"):
            span = _int_attr(tc, f"{W}tcPr/{W}gridSpan", 1)
            col = len(row) + 1
            text = "" if _vmerge(tc) == "continue" else cell_text(tc)
            row.append(Cell(text, Loc(table=index, row=r, cell=col)))
            row.extend(Cell("", Loc(table=index, row=r, cell=col + k)) for k in range(1, span))
        if len(row) > limits.max_cells_per_row:
            doc.warnings.append(f"table {index} row {r}: cut to {limits.max_cells_per_row} cells")
            row = row[: limits.max_cells_per_row]
        if any(c.text.strip() for c in row):
            rows.append(row)
    return rows


def read_docx(path: Path, limits: ReadLimits | None = None) -> SourceDoc:
    """Read a .docx file; raises ReadError with a plain message when it cannot."""
    import io

    from docx import Document  # python-docx: only when a Word document comes

    limits = limits or ReadLimits()
    data = read_bounded(path, limits)
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ReadError(f"damaged Word document: it cannot be opened ({err})") from err
    except Exception as err:  # lxml errors and the like: a broken part
        raise ReadError(f"damaged Word document: {type(err).__name__}: {err}") from err
    doc = SourceDoc(kind="docx")
    paragraph = table = 0
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}p":
            paragraph += 1
            text = paragraph_text(block)
            if len(text) > limits.max_line_chars:
                doc.warnings.append(
                    f"paragraph {paragraph}: {len(text):,} characters, cut to "
                    f"{limits.max_line_chars:,}"
                )
                text = text[: limits.max_line_chars]
            for part in text.split("\n"):
                if part.strip():
                    doc.lines.append(Line(part, Loc(line=paragraph)))
        elif block.tag == f"{W}tbl":
            table += 1
            rows = table_rows(block, table, limits, doc)
            if rows:
                doc.tables.append(Table(rows, Loc(table=table)))
    return doc
