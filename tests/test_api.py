"""The Python API: ecopark.extract / run / tables, its docstring examples run as doctests,
and ``import ecopark`` stays light."""

from __future__ import annotations

import doctest
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ecopark
from ecopark import pipeline
from tests.conftest import ROOT, SEED


def test_docstring_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples use paths relative to the project, as the README does
    result = doctest.testmod(ecopark, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 2 and result.failed == 0


def test_extract_takes_a_str_and_settings() -> None:
    report = ecopark.extract(str(SEED), standard="HJ 274-2015", min_optional_assessed=7)
    assert report.status == "ok" and report.park.name == "长春汽车经济技术开发区"
    assert any(f.kind == "selection_rule" for f in report.findings)  # 6 < 7 assessed
    bad = ecopark.extract(ROOT / "no-such-file.md")
    assert bad.status == "failed" and "cannot read file" in bad.errors[0].message


def test_extract_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(5)
        raise AssertionError("not stopped")

    monkeypatch.setattr(pipeline, "process", slow)
    report = ecopark.extract(SEED, timeout=0.3)
    assert report.status == "failed" and "timeout: more than 0.3 s" in report.errors[0].message


def test_run_and_tables(tmp_path: Path) -> None:
    summary = ecopark.run([SEED], tmp_path / "out", workers=1)
    assert summary.total == 1 and summary.by_status == {"ok": 1}
    frames = ecopark.tables(tmp_path / "out")
    assert frames["documents"]["park"].tolist() == ["长春汽车经济技术开发区"]


def test_import_is_light() -> None:
    code = "import sys, ecopark; print(sorted({'pandas', 'duckdb', 'pydantic', 'numpy'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr
