"""The command line: a batch with bad files goes on, says why, and exits non-zero."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecopark.cli import app
from tests.conftest import SEED

runner = CliRunner()


def _records(out: Path) -> dict[str, dict[str, object]]:
    recs = {}
    for p in out.glob("*.json"):
        data = json.loads(p.read_text(encoding="utf-8"))
        recs[Path(data["source"]["path"]).name] = data
    return recs


def test_extract_batch_with_bad_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    binary = tmp_path / "random.pdf.bin"
    binary.write_bytes(os.urandom(2048).replace(b"%PDF", b"xxxx") + b"\x00")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    unrelated = tmp_path / "notes.md"
    unrelated.write_text("# 会议纪要\n\n今天讨论了食堂菜单。\n", encoding="utf-8")
    missing = tmp_path / "missing.md"
    out = tmp_path / "out"
    files = [SEED, empty, binary, truncated, unrelated, missing]
    result = runner.invoke(app, ["extract", *map(str, files), "-o", str(out)])
    assert result.exit_code == 1, result.output
    recs = _records(out)
    assert len(recs) == 6
    assert recs[SEED.name]["status"] == "ok"
    msgs = {name: rec["errors"][0]["message"] for name, rec in recs.items() if rec["errors"]}
    assert "empty file" in msgs["empty.md"]
    assert "neither a PDF nor text" in msgs["random.pdf.bin"]
    assert "no report found" in msgs["notes.md"]
    assert "cannot read file" in msgs["missing.md"]
    assert recs["truncated.pdf"]["status"] == "failed"
    assert all(recs[n]["status"] == "failed" for n in msgs)
    assert (
        "ok      changchun_2018_report.md: 32 indicators, 4 figures, 2 findings, verdict meets"
        in (result.output)
    )
    assert (out / "indicators.csv").read_text(encoding="utf-8").count("\n") == 1 + 64
    assert "长春汽车经济技术开发区" in (out / "audit.md").read_text(encoding="utf-8")


def test_same_name_in_two_folders_gives_two_records(tmp_path: Path) -> None:
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["extract", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.json"))) == 2


def test_schema_command() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Report"
    assert {"indicators", "figures", "findings", "verdict", "park"} <= set(schema["properties"])


@pytest.mark.parametrize("name", ['报告 2018 "final".md', "a'b.md"])
def test_odd_file_names(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
