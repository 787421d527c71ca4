"""Word and Excel inputs: a Word rendition gives the record its PDF gives, cell for cell;
merged cells and number formats are read as printed; old .doc files go through LibreOffice
or fail saying how to convert them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import Workbook

from ecopark.pipeline import process
from extract.read import read_source
from extract.read.xlsx import format_number
from tests.conftest import ROOT

WORD = ROOT / "samples" / "word"
PDF = ROOT / "samples" / "pdf"
WORD_SAMPLES = sorted(p.stem for p in WORD.glob("*.docx"))
# Where a PDF's text layer and the Word document legitimately differ: the place (page and
# box vs table/row/cell) and, in running text, the space a line wrap swallows in the PDF
# (潍河东街 2666 号 printed across a line end reads 潍河东街2666 号).
PLACES = {"provenance", "claim_provenance", "evidence", "source", "ecopark_version", "page"}
WRAPPED_TEXT = {"text", "address"}


def _comparable(data: Any, key: str = "") -> Any:
    if isinstance(data, dict):
        return {k: _comparable(v, k) for k, v in data.items() if k not in PLACES}
    if isinstance(data, list):
        return [_comparable(v, key) for v in data]
    if key in WRAPPED_TEXT and isinstance(data, str):
        return "".join(data.split())
    return data


def test_there_are_word_samples() -> None:
    assert len(WORD_SAMPLES) >= 2
    for name in WORD_SAMPLES:
        assert (PDF / f"{name}.pdf").exists() and (PDF / f"{name}.truth.json").exists()


@pytest.mark.parametrize("name", WORD_SAMPLES)
def test_word_rendition_gives_the_pdf_record(name: str) -> None:
    word = process(WORD / f"{name}.docx")
    pdf = process(PDF / f"{name}.pdf")
    assert word.source.kind == "docx"
    assert word.status == pdf.status == "ok"
    a, b = word.model_dump(mode="json"), pdf.model_dump(mode="json")
    assert _comparable(a) == _comparable(b)
    # Same cells, and each value says where in the Word document it stands.
    for ind in word.indicators:
        for yv in ind.values:
            p = yv.provenance
            assert p.table is not None and p.row is not None and p.cell is not None
            assert p.page is None and p.bbox is None


def test_docx_merged_cells_and_exact_text(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("某某园区 2019 年国家生态工业示范园区建设年度评价报告")
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "标题"  # gridSpan 3
    table.cell(1, 0).merge(table.cell(2, 0)).text = "经济发展"  # vMerge over 2 rows
    table.cell(1, 1).text = "1"
    table.cell(1, 2).text = "≥ 15\n（注a）"
    table.cell(2, 1).text = "2"
    table.cell(2, 2).text = "39.01"
    path = tmp_path / "t.docx"
    doc.save(path)
    src = read_source(path)
    assert src.kind == "docx"
    assert src.lines[0].text == "某某园区 2019 年国家生态工业示范园区建设年度评价报告"
    assert src.lines[0].loc.line == 1
    grid = [[c.text for c in row] for row in src.tables[0].rows]
    assert grid == [["标题", "", ""], ["经济发展", "1", "≥ 15\n（注a）"], ["", "2", "39.01"]]
    cell = src.tables[0].rows[2][2]
    assert (cell.loc.table, cell.loc.row, cell.loc.cell) == (1, 3, 3)


@pytest.mark.parametrize(
    ("value", "fmt", "printed"),
    [
        (39.01, "General", "39.01"),
        (12.0, "General", "12"),
        (0.5, "0.0%", "50.0%"),
        (0.0412, "0.00%", "4.12%"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (3.14159, "0.00", "3.14"),
        (2.5, '0.0"万元"', "2.5万元"),
        (-1.18, "0.00", "-1.18"),
        (-1.18, "0.00;[Red]-0.00", "-1.18"),
        (7.0, "0", "7"),
    ],
)
def test_xlsx_numbers_as_printed(value: float, fmt: str, printed: str) -> None:
    assert format_number(value, fmt) == printed


def test_xlsx_annex_table(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件一 对照考核表"
    ws.append(["分类", "序号", "指标", "单位", "2018年"])
    ws.append(["经济发展", 1, "高新技术企业工业总产值占园区工业总产值比例", "%", 0.3959])
    ws.append([None, 2, "人均工业增加值", "万元/人", 21.8])
    ws.merge_cells("A2:A3")
    ws["E2"].number_format = "0.00%"
    ws["E3"].number_format = "0.00"
    path = tmp_path / "annex.xlsx"
    wb.save(path)
    src = read_source(path)
    assert src.kind == "xlsx"
    grid = [[c.text for c in row] for row in src.tables[0].rows]
    assert grid[1] == ["经济发展", "1", "高新技术企业工业总产值占园区工业总产值比例", "%", "39.59%"]
    assert grid[2] == ["", "2", "人均工业增加值", "万元/人", "21.80"]
    loc = src.tables[0].rows[2][4].loc
    assert (loc.sheet, loc.row, loc.cell) == ("附件一 对照考核表", 3, 5)


def test_doc_without_libreoffice_says_how_to_convert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "report.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    report = process(old)
    assert report.status == "failed"
    message = report.errors[0].message
    assert "install LibreOffice" in message and "save it as .docx" in message


def test_doc_through_libreoffice_gives_the_docx_record(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by tools/setup.sh --dev"
    name = WORD_SAMPLES[0]
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(WORD / f"{name}.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    old = process(tmp_path / f"{name}.doc")
    new = process(WORD / f"{name}.docx")
    assert old.status == "ok", old.errors
    assert [(i.number, [v.text for v in i.values]) for i in old.indicators] == [
        (i.number, [v.text for v in i.values]) for i in new.indicators
    ]
