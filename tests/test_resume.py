"""A resume with nothing to do: what it reads, what it skips and what it leaves alone —
and that skipping never hides a change (issue 17's no-op resume; its time is measured by
benchmarks/bench_batch.py, never asserted here)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from ecopark import state
from ecopark.batch import RunOptions
from ecopark.discover import (
    SKIP_BROKEN_LINK,
    SKIP_FOLDER_LINK,
    SKIP_NOT_REPORT,
    SKIP_OUTSIDE,
    SKIP_SPECIAL,
    discover,
)
from tests.conftest import SEED

ONE = RunOptions(workers=1)
STATE_FILES = ("ecopark.duckdb", "sources.jsonl", state.HASH_CACHE)


def _variant(path: Path, i: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    seed = SEED.read_text(encoding="utf-8")
    path.write_text(
        seed.replace("长春汽车经济技术开发区", f"第{i}号汽车经济技术开发区"), encoding="utf-8"
    )
    return path


def _marks(out: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, mtime, size) of OUTDIR's state files: any rewrite shows."""
    marks = {}
    for name in STATE_FILES:
        st = (out / name).stat()
        marks[name] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return marks


def _parks(out: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT source, park FROM documents WHERE status <> 'duplicate' ORDER BY source"
        ).fetchall()
    finally:
        con.close()


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
    _variant(tmp_path / "in" / "sub" / "a.md", 1)
    (tmp_path / "alias").symlink_to(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    want = [Path(os.path.realpath(tmp_path / "in" / "sub" / "a.md"))]
    for spelling in ("in", "./in/../in/", str(tmp_path / "in"), "alias"):
        assert discover([spelling]).paths == want, spelling
