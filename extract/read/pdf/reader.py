"""PDF text-layer reader: a PDF file → ``SourceDoc`` (narrative lines + table grids).

Pass 1 reads every page's glyphs with pypdfium2 (the cheap part) and decides per page
whether it holds a table: table keywords, ruling lines, or rows that start with an
indicator number. Only those pages get table recovery — ruled grids from the page's
vector paths first, whitespace-aligned (borderless) tables from the remaining lines
second. What is left is narrative; running headers, footers and page numbers are
dropped after all pages are read, because "repeats on most pages" needs them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from extract.limits import ReadLimits
from extract.read.layout.borderless import StreamTable, find_stream_tables
from extract.read.layout.chunks import header_hits
from extract.read.layout.geom import Box, Char, Ruling
from extract.read.layout.lines import TextLine, make_lines, narrative_lines
from extract.read.layout.settings import PdfSettings
from extract.read.layout.triage import format_pages, is_garbage, keyword_hits, picture_regions
from extract.read.pdf.pdfium import open_document, page_frame, read_chars, read_rulings
from extract.read.pdf.ruled import Grid, assign_chars, build_grid, connected_groups, snap_and_join
from extract.source import Cell, Loc, SourceDoc, SourceKind, Table

__all__ = ["PdfSettings", "read_pdf"]

# A continuation page of a borderless table repeats no header; its rows start with
# the indicator number.
_ROW_START = re.compile(r"^\d{1,2}\s+\S")


@dataclass(slots=True)
class PageResult:
    lines: list[TextLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    status: str = "ok"  # ok | ocr | empty | garbage | failed
    # A borderless table running to the foot of this page: the next page may continue
    # it without a header.
    carry: StreamTable | None = None
    # Pictures on a page with a text layer that may hold text of their own (an annex
    # table pasted as an image): read by OCR, region by region.
    pictures: list[Box] = field(default_factory=list)
    ocr_regions: int = 0  # how many of them OCR read


def read_pdf(
    path: Path, settings: PdfSettings | None = None, limits: ReadLimits | None = None
) -> SourceDoc:
    """Read a born-digital PDF into lines and table grids with page + bbox provenance.

    Raises ReadError for files that are not PDFs, damaged beyond parsing, or need a
    password. Pages without a usable text layer are named in ``warnings``.
    """
    settings = settings or PdfSettings()
    limits = limits or ReadLimits()
    doc, doc_warnings = open_document(Path(path), limits)
    try:
        results: list[PageResult] = []
        carry: StreamTable | None = None
        for i in range(len(doc)):
            result = _read_page_safely(doc, i, settings, carry)
            if result.status in ("empty", "garbage") and limits.ocr:
                # Only pages without a usable text layer pay for OCR.
                result = _ocr_page_safely(doc, i, settings, carry, result)
            elif result.pictures and limits.ocr:
                # ...and the pictures of text pages that may hold a table.
                _ocr_pictures_safely(doc, i, settings, result)
            results.append(result)
            carry = results[-1].carry
    finally:
        doc.close()
    ocr_done = [i + 1 for i, r in enumerate(results) if r.status == "ocr" or r.ocr_regions]
    full = sum(1 for r in results if r.status == "ocr")
    kind: SourceKind = "scanned-pdf" if results and full == len(results) else "pdf"
    out = SourceDoc(kind=kind, pages=len(results), warnings=doc_warnings, ocr_pages=ocr_done)
    off = "OCR is switched off (--no-ocr)" if not limits.ocr else "OCR found no text"
    for status, what in (
        ("empty", f"no text layer (image-only or blank); {off}"),
        ("garbage", f"unreadable text layer (fonts without a Unicode map); {off}"),
        ("failed", "page could not be parsed"),
    ):
        pages = [i + 1 for i, r in enumerate(results) if r.status == status]
        if pages:
            out.warnings.append(f"pages {format_pages(pages)}: {what}")
    for i, r in enumerate(results):
        out.tables.extend(r.tables)
        if r.pictures and not limits.ocr:
            out.warnings.append(f"page {i + 1}: a picture that may hold a table is not read; {off}")
    out.lines = narrative_lines([r.lines for r in results], settings)
    return out


def _ocr_page_safely(
    doc: Any, index: int, settings: PdfSettings, carry: StreamTable | None, text: PageResult
) -> PageResult:
    """The page read by OCR (the engine loads on first use); the text-layer result stays
    when OCR finds nothing or fails."""
    from extract.read.ocr.reader import (  # onnxruntime only for documents that need it
        ocr_image,
        render,
    )
    from extract.read.ocr.settings import OcrSettings

    ocr_settings = OcrSettings()
    try:
        page = ocr_image(
            render(doc, index, ocr_settings.dpi), index + 1, ocr_settings, carry, settings
        )
    except (pdfium.PdfiumError, MemoryError, ValueError):
        return text
    if not page.lines and not page.tables:
        return text
    return PageResult(lines=page.lines, tables=page.tables, status="ocr", carry=page.carry)


def _ocr_pictures_safely(doc: Any, index: int, settings: PdfSettings, result: PageResult) -> None:
    """OCR each picture region of a text page, rendered on its own (only the region's
    pixels, never the whole page), and add what it holds to the page's lines and tables
    with page-space boxes. A region OCR cannot read is left out quietly."""
    from extract.read.ocr.reader import ocr_image, render_region
    from extract.read.ocr.settings import OcrSettings

    ocr_settings = OcrSettings()
    for box in result.pictures:
        try:
            image = render_region(doc, index, ocr_settings.dpi, box)
            page = ocr_image(
                image,
                index + 1,
                ocr_settings,
                None,
                settings,
                origin=(box[0], box[1]),
                whole_page=False,
            )
        except (pdfium.PdfiumError, MemoryError, ValueError):
            continue
        if not page.lines and not page.tables:
            continue
        result.ocr_regions += 1
        result.tables.extend(page.tables)
        result.lines = sorted([*result.lines, *page.lines], key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    result.tables.sort(key=lambda t: (t.loc.bbox or (0.0, 0.0, 0.0, 0.0))[1])


def _read_page_safely(
    doc: Any, index: int, settings: PdfSettings, carry: StreamTable | None
) -> PageResult:
    try:
        page = doc[index]
    except pdfium.PdfiumError:
        return PageResult(status="failed")
    try:
        return read_page(page, index + 1, settings, carry)
    except pdfium.PdfiumError:
        return PageResult(status="failed")
    finally:
        page.close()


def read_page(
    page: Any, page_no: int, settings: PdfSettings, carry: StreamTable | None = None
) -> PageResult:
    frame = page_frame(page)
    textpage = page.get_textpage()
    try:
        chars, n_bad = read_chars(textpage, frame)
    finally:
        textpage.close()
    if not any(not c.text.isspace() for c in chars):
        return PageResult(status="empty")
    if is_garbage(len(chars), n_bad, settings.garbage_char_ratio):
        return PageResult(status="garbage")
    result = PageResult()
    images: list[Box] = []
    rulings = read_rulings(page, frame, settings, images)
    if images:
        result.pictures = picture_regions(images, chars, frame.size)
    rest = chars
    if len(rulings) >= settings.min_page_rulings:
        tables, rest = ruled_tables(rulings, chars, page_no, settings)
        result.tables.extend(tables)
    lines = make_lines(
        rest, settings.line_overlap_ratio, settings.word_gap_ratio, settings.dedupe_tolerance
    )
    if carry is not None or _may_hold_stream_table(lines, settings):
        found = find_stream_tables(lines, settings, carry, frame.size[1])
        used = {i for st in found for i in st.line_ids}
        result.tables.extend(stream_table(st, page_no, settings) for st in found)
        if found:
            last = found[-1]
            below = [
                ln for k, ln in enumerate(lines) if k not in used and ln.bbox[1] > last.bbox[3]
            ]
            # A table with nothing after it on its page but the folio may continue
            # overleaf (a row too tall for the rest of the page moves whole to the next).
            if len(below) <= settings.margin_lines:
                result.carry = last
        lines = [ln for k, ln in enumerate(lines) if k not in used]
    result.lines = lines
    result.tables.sort(key=lambda t: (t.loc.bbox or (0.0, 0.0, 0.0, 0.0))[1])
    return result


def _may_hold_stream_table(lines: list[TextLine], settings: PdfSettings) -> bool:
    text = "".join(ln.text for ln in lines)
    if keyword_hits(text) >= settings.min_table_keywords:
        return True
    # A repeated header whose words wrap (编 / 号, 考核指 / 标) still names its columns.
    if any(header_hits(ln.text) >= 3 for ln in lines):
        return True
    return sum(1 for ln in lines if _ROW_START.match(ln.text)) >= settings.stream_min_rows


def ruled_tables(
    rulings: list[Ruling], chars: list[Char], page_no: int, settings: PdfSettings
) -> tuple[list[Table], list[Char]]:
    """Tables from the page's ruling sets; returns them and the chars outside them."""
    hs = snap_and_join([r for r in rulings if not r.vertical], settings)
    vs = snap_and_join([r for r in rulings if r.vertical], settings)
    tables: list[Table] = []
    rest = chars
    for group_h, group_v in connected_groups([*hs, *vs], settings.intersection_tolerance):
        grid = build_grid(group_h, group_v, settings)
        if grid is None:
            continue
        inside, outside = assign_chars(grid, rest)
        if not any(c.text.strip() for cs in inside.values() for c in cs):
            continue  # a frame or a drawing without text is no table
        tables.append(grid_table(grid, inside, page_no, settings))
        rest = outside
    tables.sort(key=lambda t: (t.loc.bbox or (0.0, 0.0, 0.0, 0.0))[1])
    return tables, rest


def cell_text(chars: list[Char], settings: PdfSettings) -> str:
    """A cell's visual lines joined with newlines."""
    if not chars:
        return ""
    lines = make_lines(
        chars, settings.line_overlap_ratio, settings.word_gap_ratio, settings.dedupe_tolerance
    )
    return "\n".join(ln.text for ln in lines)


def grid_table(
    grid: Grid, cell_chars: dict[tuple[int, int], list[Char]], page_no: int, settings: PdfSettings
) -> Table:
    """A Table from a ruled grid: merged cells hold their text at the top-left position;
    covered positions are empty cells with their own elementary box."""
    rows: list[list[Cell]] = []
    for r in range(len(grid.ys) - 1):
        row: list[Cell] = []
        for c in range(len(grid.xs) - 1):
            if grid.owner[r][c] == (r, c):
                text = cell_text(cell_chars.get((r, c), []), settings)
                row.append(Cell(text, Loc(page=page_no, bbox=grid.cell_box(r, c))))
            else:
                box = (grid.xs[c], grid.ys[r], grid.xs[c + 1], grid.ys[r + 1])
                row.append(Cell("", Loc(page=page_no, bbox=box)))
        rows.append(row)
    return Table(rows=rows, loc=Loc(page=page_no, bbox=grid.bbox))


def stream_table(st: StreamTable, page_no: int, settings: PdfSettings) -> Table:
    rows: list[list[Cell]] = []
    for (top, bottom), row_chars in zip(st.row_bounds, st.cells, strict=True):
        row = []
        for (x0, x1), chars in zip(st.col_bounds, row_chars, strict=True):
            text = cell_text(chars, settings)
            row.append(Cell(text, Loc(page=page_no, bbox=(x0, top, x1, bottom))))
        rows.append(row)
    return Table(rows=rows, loc=Loc(page=page_no, bbox=st.bbox))
