"""Archives: resume, kill-and-resume, duplicates, export round trip, cross-report audit,
and the Dask engine giving the same dataset as the local pool."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ecopark import batch
from ecopark.batch import RunOptions
from ecopark.exports import export
from ecopark.pool import Limits, Outcome, Pool
from ecopark.store import TABLES
from tests.conftest import SEED, park_variant, query


def _variants(folder: Path, n: int) -> list[Path]:
    """n distinct reports: the seed with the park renamed (distinct content, same shape)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [park_variant(folder / f"park_{i:03d}.md", i) for i in range(n)]


def _docs(outdir: Path) -> list[tuple[str, str, str | None]]:
    sql = "SELECT source, status, duplicate_of FROM documents ORDER BY source"
    return [(a, b, c) for a, b, c in query(outdir, sql)]


def test_run_resume_duplicates_and_failures(tmp_path: Path) -> None:
    inputs = _variants(tmp_path / "in", 4)
    (tmp_path / "in" / "zz_copy_of_0.md").write_bytes(inputs[0].read_bytes())
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    out = tmp_path / "out"
    opts = RunOptions(workers=2)
    s1 = batch.run([tmp_path / "in"], out, opts)
    assert (s1.total, s1.processed, s1.duplicates) == (6, 5, 1)
    assert s1.by_status == {"ok": 4, "failed": 1}
    docs = _docs(out)
    assert len(docs) == 6
    dup = [d for d in docs if d[1] == "duplicate"]
    assert len(dup) == 1 and dup[0][2] is not None and dup[0][2].endswith("park_000.md")

    s2 = batch.run([tmp_path / "in"], out, opts)  # nothing left to do
    assert (s2.processed, s2.skipped, s2.duplicates) == (0, 5, 1)

    s3 = batch.run([tmp_path / "in"], out, RunOptions(workers=2, retry_failed=True))
    assert s3.processed == 1 and s3.by_status == {"failed": 1}

    (tmp_path / "in" / "park_001.md").rename(tmp_path / "in" / "renamed.md")
    s4 = batch.run([tmp_path / "in"], out, opts)
    assert s4.processed == 0 and s4.duplicates == 2  # a renamed file is not redone

    s5 = batch.run([tmp_path / "in"], out, RunOptions(workers=2, force=True))
    assert s5.processed == 5
    assert len(list((out / "records").glob("*.json"))) == 5


def _hang(task: str) -> str:
    if task == "hang":
        time.sleep(60)
    if task == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    if task == "balloon":
        blob = b"x" * (400 * 2**20)  # touched pages: real RSS
        time.sleep(5)
        return str(len(blob))
    return task.upper()


def test_pool_limits_time_crash_and_memory() -> None:
    pool = Pool(_hang, 2, Limits(seconds_per_doc=2, memory_mb_per_worker=300))
    got = {o.task: o for o in pool.run(["a", "hang", "crash", "balloon", "b"])}
    assert got["a"] == Outcome("a", "A") and got["b"] == Outcome("b", "B")
    assert got["hang"].failure is not None and got["hang"].failure.startswith("timeout")
    assert got["crash"].failure is not None and "crashed" in got["crash"].failure
    assert got["balloon"].failure is not None and got["balloon"].failure.startswith("memory")


def _consistent(out: Path, n_inputs: int, complete: bool) -> None:
    """No torn record; the database opens; once complete, it holds every input once and
    its row counts match the records."""
    records = list((out / "records").glob("*.json"))
    for rec in records:
        json.loads(rec.read_text(encoding="utf-8"))
    db = out / "ecopark.duckdb"
    if not db.exists():
        assert not complete
        return
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute("SELECT count(*), count(DISTINCT source) FROM documents").fetchone()
        values = con.execute("SELECT count(*) FROM indicator_values").fetchone()
    finally:
        con.close()
    assert docs is not None and values is not None
    assert docs[0] == docs[1] <= len(records)  # a snapshot may lag, never duplicate
    if complete:
        assert docs[0] == len(records) == n_inputs
        assert values[0] == 64 * n_inputs
        assert not list(out.glob(".*.tmp*"))


_RND = random.Random(20261129)
KILL_MOMENTS = sorted(_RND.uniform(0.5, 3.5) for _ in range(20))


@pytest.mark.parametrize("kill_after", KILL_MOMENTS, ids=lambda t: f"{t:.2f}s")
def test_kill_and_resume(tmp_path: Path, kill_after: float) -> None:
    n = 12
    _variants(tmp_path / "in", n)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "ecopark.cli",
        "run",
        str(tmp_path / "in"),
        "-o",
        str(out),
        "--workers",
        "2",
        "--no-progress",
        "--no-html",
    ]
    # Database rewrites every 0.2 s: many of the kills land in the middle of one.
    env = {**os.environ, "ECOPARK_CHECKPOINT_SECONDS": "0.2"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _consistent(out, n, complete=False)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    _consistent(out, n, complete=True)


def test_export_round_trip(tmp_path: Path) -> None:
    _variants(tmp_path / "in", 2)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, RunOptions(workers=1))
    paths = export(out, "parquet")
    assert {p.stem for p in paths} == set(TABLES)
    con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    try:
        for table in TABLES:
            a = con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
            b = con.execute(
                f"SELECT * FROM read_parquet('{out}/export/{table}.parquet') ORDER BY ALL"
            ).fetchall()
            assert a == b, table
        assert con.execute("SELECT count(*) FROM indicator_values").fetchone() == (128,)
    finally:
        con.close()
    assert {p.stem for p in export(out, "csv")} == set(TABLES)


def test_cross_report_audit_on_two_reports_of_one_park(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cc_2018.md").write_text(seed, encoding="utf-8")
    # A 2019 report of the same park whose 2016 baseline of #15 differs from the 2018 one.
    later = seed.replace(
        "2018 年国家生态工业示范园区建设评价报告", "2019 年国家生态工业示范园区建设评价报告"
    )
    later = later.replace("2016年\t2018年", "2016年\t2019年").replace(
        "是\t95.04\t94.35", "是\t93.00\t94.35"
    )
    (folder / "cc_2019.md").write_text(later, encoding="utf-8")
    out = tmp_path / "out"
    batch.run([folder], out, RunOptions(workers=1))
    from typer.testing import CliRunner

    from ecopark.cli import app

    result = CliRunner().invoke(app, ["audit", str(out)])
    assert result.exit_code == 0, result.output
    assert "cross_report_value" in result.output and "#15" in result.output
    con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT kind, indicator FROM findings WHERE scope='dataset'").fetchall()
        assert rows == [("cross_report_value", 15)]
        assert con.execute("SELECT documents, years FROM parks").fetchall() == [(2, [2018, 2019])]
    finally:
        con.close()


def test_dask_engine_gives_the_same_dataset(tmp_path: Path) -> None:
    import distributed

    _variants(tmp_path / "in", 3)
    local, remote = tmp_path / "local", tmp_path / "dask"
    batch.run([tmp_path / "in"], local, RunOptions(workers=2))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        batch.run(
            [tmp_path / "in"],
            remote,
            RunOptions(engine="dask", scheduler=cluster.scheduler_address),
        )
    for table in TABLES:
        # doc_id names nothing to compare; recorded_at is when each run wrote the record.
        drop = {"parks": "", "history": "", "documents": " EXCLUDE (doc_id, recorded_at)"}
        q = f'SELECT *{drop.get(table, " EXCLUDE (doc_id)")} FROM "{table}" ORDER BY ALL'
        a = duckdb.connect(str(local / "ecopark.duckdb"), read_only=True).execute(q).fetchall()
        b = duckdb.connect(str(remote / "ecopark.duckdb"), read_only=True).execute(q).fetchall()
        assert a == b, table
