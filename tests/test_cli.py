"""The command line: a batch with bad files goes on and says which and why; every user
mistake is one line and exit 2 with nothing half-created; exit 1 while a failure stands."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecopark.cli import app
from tests.conftest import ROOT, SEED

runner = CliRunner()


def _records(out: Path) -> dict[str, dict[str, object]]:
    recs = {}
    for p in (out / "records").glob("*.json"):
        data = json.loads(p.read_text(encoding="utf-8"))
        recs[Path(str(data["source"]["path"])).name] = data  # type: ignore[index]
    return recs


def _one_line(text: str) -> bool:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return len(lines) == 1 and "Traceback" not in text


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


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
    result = runner.invoke(app, ["extract", *map(str, files), "-o", str(out), "--no-html"])
    assert result.exit_code == 1, result.output
    recs = _records(out)
    assert len(recs) == 6
    assert recs[SEED.name]["status"] == "ok"
    msgs = {name: rec["errors"][0]["message"] for name, rec in recs.items() if rec["errors"]}  # type: ignore[index]
    assert "empty file" in msgs["empty.md"]
    assert "neither a PDF" in msgs["random.pdf.bin"]
    assert "no report found" in msgs["notes.md"]
    assert "cannot read file" in msgs["missing.md"]
    assert all(recs[n]["status"] == "failed" for n in msgs)
    assert (
        "ok      changchun_2018_report.md: 32 indicators, 4 figures, 2 findings, verdict meets"
        in result.output
    )
    # The closing table names every file that is not ok, with its reason.
    table = result.output.split("not ok (5):")[1]
    for name in ("empty.md", "random.pdf.bin", "truncated.pdf", "notes.md", "missing.md"):
        assert name in table
    assert "empty file: nothing to read" in table
    # extract writes what run writes: records and the dataset.
    assert (out / "ecopark.duckdb").exists() and (out / "sources.jsonl").exists()


def test_extract_twice_into_one_folder_leaves_no_stale_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    seed = SEED.read_text(encoding="utf-8")
    a.write_text(seed, encoding="utf-8")
    b.write_text(seed.replace("2018 年", "2019 年", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(app, ["extract", str(a), "-o", str(out), "--no-html"]).exit_code == 0
    assert runner.invoke(app, ["extract", str(b), "-o", str(out), "--no-html"]).exit_code == 0
    import duckdb

    con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    sources = sorted(
        Path(r[0]).name for r in con.execute("SELECT source FROM documents").fetchall()
    )
    con.close()
    assert sources == ["a.md", "b.md"]  # both batches, each once
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["records", "sources.jsonl", "ecopark.duckdb", ".hashes.json", ".ecopark.lock"]
    )  # .ecopark.lock: the one-writer lock, kept (an flock on it, not its existence, locks)


def test_run_lists_failures_and_skipped_files_and_exits_1_while_they_stand(
    tmp_path: Path, seed_dir: Path
) -> None:
    (seed_dir / "empty.md").write_bytes(b"")
    (seed_dir / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (seed_dir / "data.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    out = tmp_path / "out"
    args = ["run", str(seed_dir), "-o", str(out), "--workers", "1", "--no-html"]
    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output
    assert "empty.md" in first.output.split("not ok (1):")[1]
    skipped = first.output.split("skipped (2):")[1]
    assert "photo.png" in skipped and "data.zip" in skipped and "not a report" in skipped
    assert "2 inputs: 2 processed" in first.output
    again = runner.invoke(app, args)  # nothing new, but the failure is still there
    assert again.exit_code == 1, again.output
    assert "empty.md" in again.output and "2 already done" in again.output
    (seed_dir / "empty.md").unlink()
    assert runner.invoke(app, args).exit_code == 0


def test_run_json_summary(tmp_path: Path, seed_dir: Path) -> None:
    (seed_dir / "empty.md").write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", str(seed_dir), "-o", str(out), "--workers", "1", "--no-html", "--json", "-q"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["inputs"] == 2 and data["exit_code"] == 1
    assert data["by_status"] == {"failed": 1, "ok": 1}
    assert [r["status"] for r in data["not_ok"]] == ["failed"]
    assert Path(data["not_ok"][0]["file"]).name == "empty.md"


def test_quiet_prints_nothing_when_all_is_well(tmp_path: Path, seed_dir: Path) -> None:
    result = runner.invoke(
        app, ["run", str(seed_dir), "-o", str(tmp_path / "out"), "-q", "--no-html"]
    )
    assert result.exit_code == 0
    assert result.output.strip() == ""


# --- each user mistake: one line, exit 2, nothing created ------------------------------


def test_glob_matching_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "nothing*.pdf"), "-o", str(out)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "no inputs" in result.output
    assert not out.exists()


def test_folder_without_reports(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.png").write_bytes(b"\x89PNG")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "1 other files skipped" in result.output
    assert not out.exists()


def test_out_is_a_file(tmp_path: Path, seed_dir: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("x")
    for cmd in ("run", "extract"):
        result = runner.invoke(app, [cmd, str(seed_dir), "-o", str(target)])
        assert result.exit_code == 2
        assert _one_line(result.output) and "is a file" in result.output
    assert target.read_text() == "x"


def test_out_holds_the_old_extract_layout(tmp_path: Path, seed_dir: Path) -> None:
    out = tmp_path / "old"
    out.mkdir()
    (out / "indicators.csv").write_text("source\n")
    (out / "report.0123abcd.json").write_text("{}")
    result = runner.invoke(app, ["run", str(seed_dir), "-o", str(out)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "older ecopark extract" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["indicators.csv", "report.0123abcd.json"]


def test_out_is_some_other_folder(tmp_path: Path, seed_dir: Path) -> None:
    result = runner.invoke(app, ["run", str(seed_dir), "-o", str(seed_dir)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "not an ecopark output folder" in result.output
    assert sorted(p.name for p in seed_dir.iterdir()) == [SEED.name]


@pytest.mark.parametrize("cmd", ["export", "audit", "report"])
def test_commands_on_a_folder_without_a_dataset(tmp_path: Path, cmd: str) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    result = runner.invoke(app, [cmd, str(folder)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "no dataset" in result.output
    assert list(folder.iterdir()) == []  # no empty export/, report/ or database left


@pytest.mark.parametrize("cmd", ["export", "audit", "report"])
def test_commands_on_a_missing_folder(tmp_path: Path, cmd: str) -> None:
    result = runner.invoke(app, [cmd, str(tmp_path / "nope")])
    assert result.exit_code == 2 and _one_line(result.output)
    assert not (tmp_path / "nope").exists()


def test_report_on_an_old_extract_folder(tmp_path: Path) -> None:
    out = tmp_path / "old"
    out.mkdir()
    (out / "indicators.csv").write_text("source\n")
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "older ecopark extract" in result.output
    assert not (out / "report").exists()


def test_unknown_export_format(tmp_path: Path, seed_dir: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(seed_dir), "-o", str(out), "--no-html"]).exit_code == 0
    result = runner.invoke(app, ["export", str(out), "--format", "xls"])
    assert result.exit_code == 2
    assert _one_line(result.output) and "unknown format" in result.output
    assert not (out / "export").exists()


@pytest.mark.parametrize("cmd", ["run", "extract"])
def test_unknown_standard(tmp_path: Path, seed_dir: Path, cmd: str) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, [cmd, str(seed_dir), "-o", str(out), "--standard", "HJ 999"])
    assert result.exit_code == 2
    assert _one_line(result.output) and "unknown standard 'HJ 999'" in result.output
    assert not out.exists()


def test_bad_config_file(tmp_path: Path, seed_dir: Path) -> None:
    cfg = tmp_path / "ecopark.toml"
    cfg.write_text("[limits]\ntimeout = 300\nmax_page = 10\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(seed_dir), "-o", str(out), "--config", str(cfg)])
    assert result.exit_code == 2
    assert _one_line(result.output) and "unknown key 'max_page' in [limits]" in result.output
    assert not out.exists()
    missing = runner.invoke(app, ["run", str(seed_dir), "--config", str(tmp_path / "no.toml")])
    assert missing.exit_code == 2 and "config file not found" in missing.output


def test_bad_option_value_is_a_usage_error(seed_dir: Path) -> None:
    result = runner.invoke(app, ["run", str(seed_dir), "--workers", "many"])
    assert result.exit_code == 2


def test_internal_error_is_one_line_and_verbose_shows_the_traceback(
    tmp_path: Path, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecopark import batch

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(batch, "run", broken)
    out = str(tmp_path / "out")
    quiet = runner.invoke(app, ["run", str(seed_dir), "-o", out])
    assert quiet.exit_code == 1
    assert _one_line(quiet.output) and "disk on fire" in quiet.output and "-v" in quiet.output
    loud = runner.invoke(app, ["run", str(seed_dir), "-o", out, "-v"])
    assert isinstance(loud.exception, RuntimeError)


# --- the rest -----------------------------------------------------------------------------


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("ecopark ") and len(result.output.split()) == 2


def test_help_imports_nothing_heavy() -> None:
    """--help stays fast because the CLI module imports no heavy library (timing:
    benchmarks/bench_cli.py)."""
    code = (
        "import sys; import ecopark.cli; "
        "heavy = {'pandas', 'duckdb', 'numpy', 'pypdfium2', 'pydantic', 'cv2', 'onnxruntime'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr


def test_records_are_readable_by_colleagues(tmp_path: Path, seed_dir: Path) -> None:
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert (
            runner.invoke(app, ["run", str(seed_dir), "-o", str(out), "--no-html"]).exit_code == 0
        )
    finally:
        os.umask(old)
    for rec in (out / "records").glob("*.json"):
        assert stat.S_IMODE(rec.stat().st_mode) == 0o644


def test_same_name_in_two_folders_gives_two_inputs(tmp_path: Path) -> None:
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        text = SEED.read_text(encoding="utf-8")
        (tmp_path / d / "report.md").write_text(text.replace("2018 年", f"2018 年{d}", 1), "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["extract", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "--no-html"]
    )
    assert result.exit_code == 0, result.output
    assert len(list((out / "records").glob("*.json"))) == 2


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
    result = runner.invoke(app, ["extract", str(src), "-o", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output


def test_a_run_error_keeps_its_exit_code(
    tmp_path: Path, seed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that cannot go on (another run holds OUTDIR: exit 3) is one line and its code."""
    from ecopark import batch

    class OutdirLocked(Exception):
        exit_code = 3

    OutdirLocked.__module__ = "ecopark.state"

    def locked(*args: object, **kwargs: object) -> None:
        raise OutdirLocked("another ecopark run is writing out/; wait for it or use another -o")

    monkeypatch.setattr(batch, "run", locked)
    result = runner.invoke(app, ["run", str(seed_dir), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert _one_line(result.output) and "another ecopark run" in result.output


def _seed_with_16(folder: Path, value: str) -> Path:
    """The seed with #16 (再生水回用率) printed as ``value`` in the report year."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    assert text.count("否\t10.74\t2.27") == 1
    path = folder / "seed16.md"
    path.write_text(text.replace("否\t10.74\t2.27", f"否\t10.74\t{value}"), encoding="utf-8")
    return path


def _sixteen(out: Path) -> dict[str, object]:
    (rec,) = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "records").glob("*.json")]
    return next(i for i in rec["indicators"] if i["number"] == 16)


@pytest.mark.parametrize(
    "how",
    [
        ["--water-scarce-city", "长春"],
        ["--region", "长春汽车经济技术开发区=water_scarce"],
        "config",
    ],
)
def test_water_scarce_tier_of_16_from_the_cli_and_the_config(
    tmp_path: Path, how: list[str] | str
) -> None:
    doc = _seed_with_16(tmp_path / "in", "15")  # ≥ 10 elsewhere, < 20 in a 缺水城市
    args = ["extract", str(doc), "-o", str(tmp_path / "out"), "--no-html", "-q"]
    if how == "config":
        cfg = tmp_path / "ecopark.toml"
        cfg.write_text('[check]\nwater_scarce_cities = ["长春"]\n', encoding="utf-8")
        args += ["--config", str(cfg)]
    else:
        args += list(how)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    ind = _sixteen(tmp_path / "out")
    assert ind["computed_pass"] is False
    assert "缺水城市: value ≥ 20: 15 does not meet it" in str(ind["rule"])


def test_a_region_option_without_a_region_is_a_usage_error(tmp_path: Path) -> None:
    doc = _seed_with_16(tmp_path / "in", "15")
    result = runner.invoke(
        app, ["extract", str(doc), "-o", str(tmp_path / "out"), "--region", "长春"]
    )
    assert result.exit_code == 2
    assert "write PARK=REGION" in result.output
    assert not (tmp_path / "out").exists()
