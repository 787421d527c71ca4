"""A resume with nothing to do: what it reads, what it skips and what it leaves alone —
and that skipping never hides a change (issue 17's no-op resume; its time is measured by
benchmarks/bench_batch.py, never asserted here)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from ecopark import batch, state
from ecopark.batch import RunOptions
from ecopark.discover import (
    SKIP_BROKEN_LINK,
    SKIP_FOLDER_LINK,
    SKIP_NOT_REPORT,
    SKIP_OUTSIDE,
    SKIP_SPECIAL,
    discover,
)
from tests.conftest import ROOT, SEED, park_variant, query

ONE = RunOptions(workers=1)
STATE_FILES = ("ecopark.duckdb", "sources.jsonl", state.HASH_CACHE)


def _marks(out: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, mtime, size) of OUTDIR's state files: any rewrite shows."""
    marks = {}
    for name in STATE_FILES:
        st = (out / name).stat()
        marks[name] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return marks


def _parks(out: Path) -> list[tuple[str, str]]:
    sql = "SELECT source, park FROM documents WHERE status <> 'duplicate' ORDER BY source"
    return [(a, b) for a, b in query(out, sql)]


# -- what a no-op resume does -----------------------------------------------------------


def test_no_op_resume_writes_nothing_reads_no_record_and_hashes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        park_variant(tmp_path / "in" / f"park_{i}.md", i)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    before = _marks(out)
    hashed: list[Path] = []
    loaded: list[Path] = []
    real_hash, real_load = state.sha256_file, batch.load_record
    monkeypatch.setattr(state, "sha256_file", lambda p: hashed.append(p) or real_hash(p))
    monkeypatch.setattr(batch, "load_record", lambda p: loaded.append(p) or real_load(p))
    s = batch.run([tmp_path / "in"], out, ONE)
    assert (s.processed, s.skipped, s.repairs) == (0, 3, [])
    assert (hashed, loaded) == ([], [])
    assert _marks(out) == before  # the database is neither rebuilt nor republished


def test_no_op_resume_loads_no_pipeline_and_no_pandas(tmp_path: Path) -> None:
    """The resume decides from the stat of each input and one read of the database: the
    readers, the record model's validation and pandas stay unloaded (that is where most
    of a no-op's time went)."""
    park_variant(tmp_path / "in" / "a.md", 1)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from ecopark import batch
        s = batch.run([{str(tmp_path / "in")!r}], Path({str(out)!r}), batch.RunOptions(workers=1))
        assert (s.processed, s.skipped) == (0, 1), s
        heavy = ("pandas", "ecopark.pipeline", "extract.recover", "normalize", "pypdfium2")
        print(sorted(m for m in heavy if m in sys.modules))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_cli_no_op_resume_walks_the_inputs_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI discovers the inputs (to say "no inputs" before writing) and hands that
    discovery to the batch: a folder of 10,000 files is not walked twice."""
    from typer.testing import CliRunner

    from ecopark import discover as disc
    from ecopark.cli import app

    park_variant(tmp_path / "in" / "a.md", 1)
    out = tmp_path / "out"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--no-html", "--no-progress"]
    runner = CliRunner()
    assert runner.invoke(app, args).exit_code == 0
    walks: list[Path] = []
    real = disc._walk
    monkeypatch.setattr(disc, "_walk", lambda f, found: walks.append(f) or real(f, found))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "0 processed, 1 already done" in result.output
    assert walks == [tmp_path / "in"]


# -- skipping never hides a change -------------------------------------------------------


def test_new_mtime_same_content_is_rehashed_once_and_not_reprocessed(tmp_path: Path) -> None:
    """A file touched (or copied back with a new time) is hashed again — its signature
    changed — but its content is recorded already: nothing is processed, the database
    stays as it is, and the cache takes the new signature so the next run hashes nothing."""
    a = park_variant(tmp_path / "in" / "a.md", 1)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    db_before = _marks(out)["ecopark.duckdb"]
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    s = batch.run([tmp_path / "in"], out, ONE)
    assert (s.processed, s.skipped) == (0, 1)
    assert _marks(out)["ecopark.duckdb"] == db_before
    cache = json.loads((out / state.HASH_CACHE).read_bytes())
    assert cache[str(a)][1] == a.stat().st_mtime_ns  # the new signature is remembered
    assert cache[str(a)][-1] == hashlib.sha256(a.read_bytes()).hexdigest()


def test_changed_content_with_size_and_mtime_restored_is_reprocessed_and_db_rebuilt(
    tmp_path: Path,
) -> None:
    """Same size, mtime put back: the change time (which no user can set back) differs,
    so the file is hashed and read again; the database follows (it is rewritten after a
    change, and only then). ``--verify`` is for file systems whose change time cannot be
    trusted."""
    a = park_variant(tmp_path / "in" / "a.md", 1)
    park_variant(tmp_path / "in" / "b.md", 2)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    batch.run([tmp_path / "in"], out, ONE)
    db_before = _marks(out)["ecopark.duckdb"]
    st = a.stat()
    a.write_text(a.read_text(encoding="utf-8").replace("第1号", "第7号"), encoding="utf-8")
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (a.stat().st_size, a.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    s = batch.run([tmp_path / "in"], out, ONE)
    assert (s.processed, s.skipped, s.retired) == (1, 1, 1)
    assert _marks(out)["ecopark.duckdb"] != db_before
    assert [p for _, p in _parks(out)] == ["第7号汽车经济技术开发区", "第2号汽车经济技术开发区"]


def test_damaged_database_is_still_repaired_on_a_resume(tmp_path: Path) -> None:
    """The no-op shortcut rests on reading the database: one that is not a database, or
    lost a document, is repaired before anything is skipped."""
    for i in range(2):
        park_variant(tmp_path / "in" / f"park_{i}.md", i)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    con = duckdb.connect(str(out / "ecopark.duckdb"))
    con.execute("DELETE FROM documents WHERE source LIKE '%park_1.md'")
    con.close()
    s = batch.run([tmp_path / "in"], out, ONE)
    assert s.processed == 0 and len(s.repairs) == 1 and "did not match" in s.repairs[0]
    assert len(_parks(out)) == 2
    (out / "ecopark.duckdb").write_bytes(b"not a database")
    s = batch.run([tmp_path / "in"], out, ONE)
    assert s.processed == 0 and "rebuilt" in s.repairs[0]
    assert len(_parks(out)) == 2


# -- discovery from directory entries ----------------------------------------------------


def test_discovery_walks_as_before_without_a_stat_per_file(tmp_path: Path) -> None:
    """Files in name order, then subfolders; hidden files left out; symlinks that stay
    inside followed (by their target), others said; pipes said; unknown names sniffed,
    a PDF by content whatever its name."""
    root = tmp_path / "in"
    (root / "b_sub" / "deeper").mkdir(parents=True)
    (root / "a_sub").mkdir()
    (root / "z.md").write_text("x", encoding="utf-8")
    (root / "a.md").write_text("x", encoding="utf-8")
    (root / ".hidden.md").write_text("x", encoding="utf-8")
    (root / "notes.dat").write_text("生态工业园区 年度评价", encoding="utf-8")
    (root / "other.dat").write_text("nothing here", encoding="utf-8")
    (root / "scan.json").write_bytes(b"%PDF-1.7\n")
    (root / "data.json").write_text("{}", encoding="utf-8")
    (root / "a_sub" / "c.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "b_sub" / "deeper" / "d.md").write_text("x", encoding="utf-8")
    (root / "b_sub" / "link_in.md").symlink_to(root / "a.md")
    (root / "b_sub" / "link_out.md").symlink_to(SEED)
    (root / "b_sub" / "dangling.md").symlink_to(root / "gone.md")
    (root / "folder_link").symlink_to(root / "a_sub")
    os.mkfifo(root / "pipe.md")
    found = discover([root])
    real = Path(os.path.realpath(root))
    assert found.paths == [
        real / "a.md",
        real / "notes.dat",
        real / "scan.json",
        real / "z.md",
        real / "a_sub" / "c.pdf",
        # b_sub/link_in.md is a.md, found already: one input
        real / "b_sub" / "deeper" / "d.md",
    ]
    assert found.skipped == [
        (root / "folder_link", SKIP_FOLDER_LINK),
        (root / "data.json", SKIP_NOT_REPORT),
        (root / "other.dat", SKIP_NOT_REPORT),
        (root / "pipe.md", SKIP_SPECIAL),
        (root / "b_sub" / "dangling.md", SKIP_BROKEN_LINK),
        (root / "b_sub" / "link_out.md", SKIP_OUTSIDE),
    ]


def test_discovery_of_another_spelling_gives_the_resolved_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    park_variant(tmp_path / "in" / "sub" / "a.md", 1)
    (tmp_path / "alias").symlink_to(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    want = [Path(os.path.realpath(tmp_path / "in" / "sub" / "a.md"))]
    for spelling in ("in", "./in/../in/", str(tmp_path / "in"), "alias"):
        assert discover([spelling]).paths == want, spelling


def test_cli_resume_rewrites_the_html_report_only_when_something_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is drawn from every record: a resume that changed nothing keeps it;
    a new input, a correction log, another standard or a missing report rewrite it."""
    from typer.testing import CliRunner

    import ecopark.report
    from ecopark.cli import app

    park_variant(tmp_path / "in" / "a.md", 1)
    out = tmp_path / "out"
    writes: list[int] = []
    real = ecopark.report.write_report
    monkeypatch.setattr(
        ecopark.report,
        "write_report",
        lambda *a, **k: writes.append(len(a[1])) or real(*a, **k),
    )
    runner = CliRunner()

    def run(*extra: str) -> None:
        args = ["run", str(tmp_path / "in"), "-o", str(out), "--no-progress", *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert f"report: {out / 'report' / 'index.html'}" in result.output

    run()
    run()
    assert writes == [1]  # the second run changed nothing: the report stands
    park_variant(tmp_path / "in" / "b.md", 2)
    run()
    assert writes == [1, 2]  # a new record
    run("--standard", "HJ 274-2015")
    assert writes == [1, 2]  # the same standard, named
    (out / "corrections.jsonl").write_text("", encoding="utf-8")
    run()
    assert writes == [1, 2, 2]  # the corrections log is part of what the report shows
    (out / "report" / "index.html").unlink()
    run()
    assert writes == [1, 2, 2, 2]
    assert runner.invoke(app, ["report", str(out)]).exit_code == 0
    run()
    assert writes == [1, 2, 2, 2, 2]  # `ecopark report` wrote it from the same state
