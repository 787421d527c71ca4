"""The static report's content (issue: the review loop, item 5): failed documents with
their reason, run metadata, every document of a park × year, one vote per park × year in
pass rates, doubtful cells marked, crops titled, plot axes labelled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecopark import batch
from ecopark.batch import RunOptions
from ecopark.pipeline import ECOPARK_VERSION
from ecopark.report import write_report
from ecopark.report.build import indicator_stats
from ecopark.report.plots import Point, scatter
from schemas.standard import load_standard
from tests.conftest import SEED

GREENING = 29


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("in")
    shutil.copy(SEED, src / "changchun.md")
    # a second file of the same park × year whose #29 a converter misread
    text = SEED.read_text(encoding="utf-8").replace("必选\t25.66\t26.28", "必选\t25.66\t2b.28")
    (src / "changchun_misread.md").write_text(text, encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n broken")
    out = tmp_path_factory.mktemp("out")
    batch.run([src], out, RunOptions(workers=1))
    records = batch.load_records(out)
    write_report(out, list(records.values()), load_standard(), command="ecopark run in -o out")
    return out


def _index(out: Path) -> str:
    return (out / "report" / "index.html").read_text(encoding="utf-8")


def _doc(out: Path, needle: str) -> str:
    for p in (out / "report" / "docs").glob("*.html"):
        html = p.read_text(encoding="utf-8")
        if needle in html:
            return html
    raise AssertionError(f"no document page holds {needle!r}")


def test_failed_documents_are_listed_with_their_reason(out: Path) -> None:
    html = _index(out)
    failed = html[html.index('id="failed"') :]
    failed = failed[: failed.index("</table>")]
    assert "broken.pdf" in failed and "read:" in failed


def test_run_metadata(out: Path) -> None:
    html = _index(out)
    meta = html[html.index('id="run-meta"') :]
    meta = meta[: meta.index("</p>")]
    assert f"ecopark {ECOPARK_VERSION}" in meta
    assert "ecopark run in -o out" in meta and "3 inputs" in meta and "written 20" in meta


def test_every_document_of_a_park_year_is_listed(out: Path) -> None:
    html = _index(out)
    grid = html[html.index('id="parks"') :]
    grid = grid[: grid.index("</table>")]
    assert grid.count('href="docs/') == 2


def test_pass_rates_count_a_park_year_once() -> None:
    from ecopark.pipeline import process

    one = process(SEED)
    two = process(SEED)
    stats = {s["spec"].number: s for s in indicator_stats([one, two], load_standard())}
    assert stats[GREENING]["judged"] == 1


def test_doubtful_cells_are_marked_and_crops_titled(out: Path) -> None:
    html = _doc(out, "2b.28")
    row = html[html.index(f'id="ind-{GREENING}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="doubt"' in row and "neither a number" in row
    assert 'data-title="#29 绿化覆盖率 — 2018年"' in row


def test_plot_axes_carry_the_unit() -> None:
    svg = scatter([Point(2018, 26.28, True, "x"), Point(2019, 12.0, False, "y")], 15, "t", "%")
    assert ">%</text>" in svg and ">report year</text>" in svg
    assert ">value</text>" in scatter([Point(2018, 1.0, True, "x")], None, "t", "—")


def test_the_command_is_ecoparks_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from ecopark.report.build import run_metadata

    monkeypatch.setattr("sys.argv", ["/venv/bin/ecopark", "run", "in dir", "-o", "out"])
    assert run_metadata(Path("/nonexistent"), [], None)["command"] == "ecopark run 'in dir' -o out"
    monkeypatch.setattr("sys.argv", ["pytest", "-q"])  # used from Python: no command line
    assert run_metadata(Path("/nonexistent"), [], None)["command"] is None
