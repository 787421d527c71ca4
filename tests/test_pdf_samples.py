"""The PDF reader on every committed sample PDF, checked against its truth file:
every value cell in a row with the right 序号, every claimed 是否达标 in such a row,
the headline-figure sentences in the narrative lines, and provenance on everything."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from extract.read.pdf.reader import read_pdf
from extract.source import SourceDoc, Table

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples" / "pdf").glob("*.pdf"))


def squash(text: str) -> str:
    """Compare as a reader of the page would: no layout whitespace. (NFKC here only
    because truth files hold plain ideographs where the PDF prints radicals.)"""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@cache
def read(path: Path) -> SourceDoc:
    return read_pdf(path)


def truth_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    return data


def key_column(table: Table) -> int | None:
    """The 序号 column: under a 序号 header, else the column with most bare numbers."""
    for row in table.rows[:4]:
        for k, cell in enumerate(row):
            if squash(cell.text) == "序号":
                return k
    counts: dict[int, int] = defaultdict(int)
    for row in table.rows:
        for k, cell in enumerate(row):
            if re.fullmatch(r"\d{1,2}", squash(cell.text)):
                counts[k] += 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def rows_by_number(doc: SourceDoc) -> dict[int, list[list[str]]]:
    out: dict[int, list[list[str]]] = defaultdict(list)
    for table in doc.tables:
        key = key_column(table)
        if key is None:
            continue
        for row in table.rows:
            if key < len(row) and re.fullmatch(r"\d{1,2}", squash(row[key].text)):
                out[int(squash(row[key].text))].append([squash(c.text) for c in row])
    return out


def test_there_are_samples() -> None:
    assert SAMPLES, "no samples/pdf/*.pdf found"


@pytest.mark.parametrize("pdf", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_value_cells_in_the_right_row(pdf: Path) -> None:
    truth = truth_of(pdf)
    doc = read(pdf)
    if any("OCR needed" in w for w in doc.warnings):
        pytest.fail(f"text layer unreadable: {doc.warnings}")
    rows = rows_by_number(doc)
    missing = []
    for ind in truth["indicators"]:
        n = ind["number"]
        cells = {c for row in rows.get(n, []) for c in row}
        for col in truth["year_columns"]:
            year = str(col["year"])
            want = ind.get("printed", {}).get(year, ind["values"][year])
            if squash(want) not in cells:
                missing.append((n, year, want))
        if ind.get("claim") and squash(ind["claim"]) not in cells:
            missing.append((n, "claim", ind["claim"]))
    assert not missing, f"{len(missing)} value cells not in their 序号 row: {missing[:8]}"


@pytest.mark.parametrize("pdf", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_year_values_in_their_column(pdf: Path) -> None:
    """Where a table part has the truth's column count, the value sits in its column."""
    truth = truth_of(pdf)
    ncols = len(truth["table_columns"])
    index = {c["year"]: truth["table_columns"].index(c["header"]) for c in truth["year_columns"]}
    checked = 0
    for row in (r for rs in rows_by_number(read(pdf)).values() for r in rs):
        if len(row) != ncols:
            continue
        checked += 1
    assert checked >= 32, "annex table rows were not recovered with the truth's column count"
    by_number = rows_by_number(read(pdf))
    for ind in truth["indicators"]:
        full = [r for r in by_number[ind["number"]] if len(r) == ncols]
        for year, k in index.items():
            want = squash(ind.get("printed", {}).get(str(year), ind["values"][str(year)]))
            assert any(r[k] == want for r in full), (ind["number"], year, want, full)


@pytest.mark.parametrize("pdf", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_headline_sentences_in_lines(pdf: Path) -> None:
    truth = truth_of(pdf)
    doc = read(pdf)
    text = squash("".join(line.text for line in doc.lines))
    sentences = {f["sentence"] for f in truth["figures"].values()}
    missing = [s for s in sentences if squash(s) not in text]
    assert not missing, missing


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Displayed (width, height) per page: pdfium swaps them for /Rotate 90/270."""
    pdf = pdfium.PdfDocument(path, password="")
    try:
        return [tuple(page.get_size()) for page in pdf]  # type: ignore[misc]
    finally:
        pdf.close()


def inside(bbox: tuple[float, float, float, float] | None, size: tuple[float, float]) -> bool:
    if bbox is None:
        return False
    x0, top, x1, bottom = bbox
    return -1 <= x0 <= x1 <= size[0] + 1 and -1 <= top <= bottom <= size[1] + 1


@pytest.mark.parametrize("pdf", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_provenance_and_no_running_headers(pdf: Path) -> None:
    doc = read(pdf)
    sizes = page_sizes(pdf)
    assert doc.kind == "pdf" and doc.pages == len(sizes)
    assert doc.tables and doc.lines
    for line in doc.lines:
        assert line.loc.page and inside(line.loc.bbox, sizes[line.loc.page - 1]), line
        assert not re.fullmatch(r"[-\s]*\d{1,3}[-\s]*", line.text), line
    for table in doc.tables:
        assert table.loc.page and inside(table.loc.bbox, sizes[table.loc.page - 1])
        for row in table.rows:
            for cell in row:
                assert cell.loc.page == table.loc.page
                assert inside(cell.loc.bbox, sizes[table.loc.page - 1])
    # Running headers repeat on most pages; after the reader they must be gone.
    pages_with = defaultdict(set)
    for line in doc.lines:
        pages_with[re.sub(r"\d+", "#", line.text)].add(line.loc.page)
    n = doc.pages or 1
    repeated = [t for t, ps in pages_with.items() if n >= 4 and len(ps) >= 0.8 * n]
    assert not repeated, repeated
