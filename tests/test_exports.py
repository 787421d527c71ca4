"""Exports for spreadsheets: one xlsx sheet per table with typed numbers, CSV with a BOM
for Excel, and text a spreadsheet would run as a formula made inert — numbers untouched."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ecopark import batch
from ecopark.batch import RunOptions
from ecopark.exports import ExportError, export, neutralise, tables
from ecopark.store import TABLES
from tests.conftest import SEED

HOSTILE_PARK = '=HYPERLINK("http://x.example/","点我")'


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    (root / "in").mkdir()
    text = SEED.read_text(encoding="utf-8")
    (root / "in" / "seed.md").write_text(text, encoding="utf-8")
    hostile = text.replace("长春汽车经济技术开发区", HOSTILE_PARK).replace("2018 年", "2017 年", 1)
    (root / "in" / "hostile.md").write_text(hostile, encoding="utf-8")
    out = root / "out"
    batch.run([root / "in"], out, RunOptions(workers=1))
    return out


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ("-1.18", "-1.18"),
        ("长春", "长春"),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_xlsx_has_every_table_with_typed_numbers(outdir: Path) -> None:
    [path] = export(outdir, "xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == list(TABLES)
    ws = wb["indicator_values"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    col = header.index("value")
    values = [row[col].value for row in ws.iter_rows(min_row=2)]
    numbers = [v for v in values if v is not None]
    assert numbers and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers)
    assert -0.029 in numbers  # a negative number stays a number (#25 of the seed)
    assert ws.column_dimensions["A"].width > 8
    docs = wb["documents"]
    park_col = [c.value for c in docs[1]].index("park")
    parks = [row[park_col].value for row in docs.iter_rows(min_row=2)]
    assert "'" + HOSTILE_PARK in parks and HOSTILE_PARK not in parks


def test_csv_with_bom_and_neutralised_text(outdir: Path) -> None:
    paths = export(outdir, "csv", bom=True)
    assert {p.stem for p in paths} == set(TABLES)
    raw = (outdir / "export" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (outdir / "export" / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        parks = [row["park"] for row in csv.DictReader(fh)]
    assert "'" + HOSTILE_PARK in parks and HOSTILE_PARK not in parks
    plain = export(outdir, "csv")
    assert not plain[0].read_bytes().startswith(b"\xef\xbb\xbf")


def test_tables_as_dataframes(outdir: Path) -> None:
    frames = tables(outdir)
    assert set(frames) == set(TABLES)
    iv = frames["indicator_values"]
    assert len(iv) == 128 and iv["value"].dtype.kind == "f"


def test_no_dataset_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no dataset"):
        export(tmp_path, "csv")
    assert list(tmp_path.iterdir()) == []
