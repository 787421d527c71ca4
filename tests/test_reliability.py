"""One input, one record: each row of the reliability probe table (issue 17) as a test —
path spellings, concurrent runs, torn and full-disk state, files changed while read or
replaced between runs, a damaged database, bytes that look like JavaScript, symlinks
out of a folder, SIGTERM and SIGKILL to the parent, a Dask cluster without workers, huge
pages in the report, and a resume that rebuilds nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from ecopark import batch, state
from ecopark.batch import RunOptions
from ecopark.discover import SKIP_OUTSIDE, discover
from ecopark.state import OutdirLocked, OutdirWriteError, outdir_lock
from extract.read.pdf.guard import scan
from tests.badinputs.make_corpus import pdf, stream
from tests.conftest import ROOT, park_variant, query

ONE = RunOptions(workers=1)


def _variants(folder: Path, n: int) -> list[Path]:
    return [park_variant(folder / f"park_{i:03d}.md", i) for i in range(n)]


def _docs(out: Path) -> list[tuple[object, ...]]:
    return query(out, "SELECT source, status, park, sha256 FROM documents ORDER BY source")


def _once_each(out: Path, n: int) -> None:
    """The database holds n documents, one per source, each matching its record."""
    rows = query(out, "SELECT source, sha256 FROM documents WHERE status <> 'duplicate'")
    assert len(rows) == n == len({s for s, _ in rows}), rows
    for _, sha in rows:
        rec = json.loads((out / "records" / f"{sha}.json").read_text(encoding="utf-8"))
        assert rec["source"]["sha256"] == sha
    assert query(out, "SELECT count(*) FROM indicator_values") == [(64 * n,)]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- identity --------------------------------------------------------------------------


def test_two_spellings_of_one_folder_are_one_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _variants(tmp_path / "in", 3)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    batch.run(["in/"], out, ONE)
    s2 = batch.run([str(tmp_path / "in")], out, ONE)
    s3 = batch.run(["./in/../in"], out, ONE)
    assert (s2.processed, s2.duplicates, s3.processed, s3.duplicates) == (0, 0, 0, 0)
    docs = _docs(out)
    assert len(docs) == 3 and all(str(s).startswith(str(tmp_path)) for s, *_ in docs)
    assert {st for _, st, *_ in docs} == {"ok"}


def test_replaced_file_retires_its_old_record(tmp_path: Path) -> None:
    a, _b = _variants(tmp_path / "in", 2)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    old = _sha(a)
    tmp = tmp_path / "new.md"
    park_variant(tmp, 77)
    os.replace(tmp, a)  # another file under the same name
    s = batch.run([tmp_path / "in"], out, ONE)
    assert (s.processed, s.retired) == (1, 1)
    docs = _docs(out)
    assert len(docs) == 2
    by_source = {src: (park, sha) for src, _, park, sha in docs}
    assert by_source[str(a)] == ("第77号汽车经济技术开发区", _sha(a))
    assert query(out, "SELECT source, sha256, replaced_by FROM history") == [(str(a), old, _sha(a))]
    assert (out / "records" / f"{old}.json").exists()  # kept: history, not deleted
    assert batch.run([tmp_path / "in"], out, ONE).processed == 0
    assert len(_docs(out)) == 2


def test_same_size_and_mtime_is_still_seen_as_changed(tmp_path: Path) -> None:
    (a,) = _variants(tmp_path / "in", 1)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    st = a.stat()
    text = a.read_text(encoding="utf-8")
    assert "第0号" in text
    a.write_text(text.replace("第0号", "第9号"), encoding="utf-8")  # same length
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert a.stat().st_size == st.st_size and a.stat().st_mtime_ns == st.st_mtime_ns
    s = batch.run([tmp_path / "in"], out, ONE)
    assert s.processed == 1  # ctime (and the hash) gave it away
    assert [p for _, _, p, _ in _docs(out)] == ["第9号汽车经济技术开发区"]


def test_verify_rehashes_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _variants(tmp_path / "in", 2)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    calls: list[Path] = []
    real = state.sha256_file
    monkeypatch.setattr(state, "sha256_file", lambda p: calls.append(p) or real(p))
    batch.run([tmp_path / "in"], out, ONE)
    assert calls == []  # the cache held: size, mtime, ctime and inode unchanged
    s = batch.run([tmp_path / "in"], out, RunOptions(workers=1, verify=True))
    assert len(calls) == 2 and s.processed == 0


def test_file_changed_after_hashing_is_recorded_as_read(tmp_path: Path) -> None:
    (a,) = _variants(tmp_path / "in", 1)
    out = tmp_path / "out"
    hashed = _sha(a)

    def rewrite(_n: int) -> None:  # runs after the parent hashed, before a worker reads
        park_variant(a, 5)

    s = batch.run([tmp_path / "in"], out, ONE, on_start=rewrite)
    assert s.processed == 1
    now = _sha(a)
    assert now != hashed
    assert [(p, sha) for _, _, p, sha in _docs(out)] == [("第5号汽车经济技术开发区", now)]
    assert not (out / "records" / f"{hashed}.json").exists()
    again = batch.run([tmp_path / "in"], out, ONE)
    assert (again.processed, len(_docs(out))) == (0, 1)


def test_worker_hashes_the_buffer_it_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is rewritten while the reader parses it: the record is of the bytes
    read (hash and content agree), not of the file as it is afterwards."""
    import extract.read.markdown as md

    (a,) = _variants(tmp_path / "in", 1)
    original = _sha(a)
    real = md.read_markdown_text

    def parse_while_rewritten(text: str, limits: object) -> object:
        park_variant(a, 6)
        return real(text, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(md, "read_markdown_text", parse_while_rewritten)
    done = batch.process_to_json(str(a))
    rec = json.loads(done["record"])
    assert rec["source"]["sha256"] == original != _sha(a)
    assert rec["park"]["name"] == "第0号汽车经济技术开发区"


# -- one writer per OUTDIR -------------------------------------------------------------


def test_second_writer_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    _variants(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    with outdir_lock(out), pytest.raises(OutdirLocked) as err:
        batch.run([tmp_path / "in"], out, ONE)
    assert f"(pid {os.getpid()}) is writing to {out}" in str(err.value)
    assert err.value.exit_code == 3
    assert not (out / "sources.jsonl").exists()  # refused before writing anything
    assert batch.run([tmp_path / "in"], out, ONE).processed == 1


def test_two_concurrent_runs_on_one_outdir(tmp_path: Path) -> None:
    """Two runs started together: one gets the OUTDIR, the other stops at once with one
    line and exit 3; every input is recorded once."""
    n = 40
    _variants(tmp_path / "in", n)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "ecopark.cli", "run", str(tmp_path / "in"), "-o", str(out)]
    cmd += ["--workers", "1", "--no-progress", "--no-html"]
    runs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.pid, *p.communicate(timeout=600), p.returncode) for p in runs]
    codes = sorted(code for *_, code in results)
    assert codes == [0, 3], results
    (winner,) = [r for r in results if r[3] == 0]
    (loser,) = [r for r in results if r[3] == 3]
    assert f"{n} inputs: {n} processed" in winner[1]
    assert loser[2].strip().splitlines() == [
        f"ecopark: another ecopark run (pid {winner[0]}) is writing to {out}: wait for it "
        "to finish, or use another output folder"
    ]
    _once_each(out, n)
    third = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert third.returncode == 0 and "0 processed" in third.stdout
    _once_each(out, n)


def test_only_dead_runs_temporary_files_are_removed(tmp_path: Path) -> None:
    _variants(tmp_path / "in", 1)
    out = tmp_path / "out"
    (out / "records").mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = out / f".ecopark.duckdb.{os.getppid()}.deadbeef.tmp"  # a live process's
    gone = out / f".ecopark.duckdb.{dead.pid}.cafebabe.tmp"
    gone_rec = out / "records" / f".x.json.{dead.pid}.0badf00d.tmp"
    for f in (live, gone, gone_rec):
        f.write_bytes(b"partial")
    batch.run([tmp_path / "in"], out, ONE)
    assert live.exists() and not gone.exists() and not gone_rec.exists()


# -- state that heals ------------------------------------------------------------------


def test_torn_sources_line_with_a_cut_utf8_sequence_heals(tmp_path: Path) -> None:
    inputs = _variants(tmp_path / "中文 in", 3)
    out = tmp_path / "out"
    batch.run([inputs[0]], out, ONE)
    journal = out / "sources.jsonl"
    line = json.dumps({"path": str(inputs[1]), "key": "0" * 64}, ensure_ascii=False).encode()
    cut = line.index("中".encode()) + 1  # inside the 3-byte sequence of 中
    with journal.open("ab") as fh:
        fh.write(line[:cut])
    with pytest.raises(UnicodeDecodeError):
        journal.read_text(encoding="utf-8")
    s = batch.run([tmp_path / "中文 in"], out, ONE)
    assert any("torn last line" in r for r in s.repairs), s.repairs
    assert s.processed == 2
    text = journal.read_text(encoding="utf-8")  # whole again: every line parses
    assert all(json.loads(x) for x in text.splitlines())
    _once_each(out, 3)


def test_garbage_database_is_rebuilt(tmp_path: Path) -> None:
    _variants(tmp_path / "in", 2)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    (out / "ecopark.duckdb").write_bytes(os.urandom(4096))
    s = batch.run([tmp_path / "in"], out, ONE)
    assert s.processed == 0
    assert [r for r in s.repairs if "ecopark.duckdb" in r] == [
        "ecopark.duckdb: not a database this version can read; rebuilt from the 2 records"
    ]
    _once_each(out, 2)
    from ecopark.exports import export

    assert len(export(out, "csv")) >= 6


def test_database_that_does_not_match_the_records_is_updated(tmp_path: Path) -> None:
    _variants(tmp_path / "in", 3)
    out = tmp_path / "out"
    batch.run([tmp_path / "in"], out, ONE)
    con = duckdb.connect(str(out / "ecopark.duckdb"))
    con.execute("DELETE FROM documents WHERE source LIKE '%park_001.md'")
    con.execute("UPDATE documents SET source = '/elsewhere' WHERE source LIKE '%park_002.md'")
    con.close()
    s = batch.run([tmp_path / "in"], out, ONE)
    assert s.processed == 0
    assert "ecopark.duckdb: 2 document(s) did not match the records; updated from them" in s.repairs
    _once_each(out, 3)


@pytest.fixture
def small_disk(tmp_path: Path) -> object:
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip(
            "mounting a small tmpfs needs root and mount(8); the torn-file test covers the rest"
        )
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=False)


def test_disk_full_mid_run_then_freed(tmp_path: Path, small_disk: Path) -> None:
    n = 12
    _variants(tmp_path / "in", n)
    out = small_disk / "out"
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (1536 * 1024))  # leaves about 0.5 MB: a few records
    with pytest.raises(OutdirWriteError) as err:
        batch.run([tmp_path / "in"], out, RunOptions(workers=2))
    assert "no space left on the device" in str(err.value)
    assert "\n" not in str(err.value)
    for line in (out / "sources.jsonl").read_bytes().splitlines():
        json.loads(line.decode("utf-8"))  # nothing torn that a later run trips over
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    s = batch.run([tmp_path / "in"], out, RunOptions(workers=2))
    assert s.processed + s.skipped == n
    _once_each(out, n)
    assert not [p for p in out.rglob(".*.tmp")]


# -- bounded parent --------------------------------------------------------------------


def test_checkpoints_and_resume_load_no_old_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _variants(tmp_path / "in", 4)
    out = tmp_path / "out"
    loads: list[Path] = []
    real = batch.load_record
    monkeypatch.setattr(batch, "load_record", lambda p: loads.append(p) or real(p))
    monkeypatch.setattr(batch, "CHECKPOINT_SECONDS", 0.0)  # a checkpoint after every record
    batch.run([tmp_path / "in"], out, ONE)
    assert loads == []  # checkpoints publish the appended rows; they rebuild nothing
    _once_each(out, 4)
    park_variant(tmp_path / "in" / "park_new.md", 99)
    s = batch.run([tmp_path / "in"], out, ONE)
    assert (s.processed, s.skipped) == (1, 4)
    assert loads == []  # appended; nothing rebuilt from the records
    _once_each(out, 5)


_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {root!r})
    from ecopark.pool import Limits, Pool
    from tests.test_reliability import sleeper
    for o in Pool(sleeper, 1, Limits(seconds_per_doc=600)).run([{pidfile!r}]):
        print(o)
    """
)


def sleeper(pidfile: str) -> str:
    Path(pidfile).write_text(str(os.getpid()))
    time.sleep(600)
    return "never"


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_die_with_the_parent(tmp_path: Path, sig: signal.Signals) -> None:
    pidfile = tmp_path / "worker.pid"
    code = _SCRIPT.format(root=str(ROOT), pidfile=str(pidfile))
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.05)
    worker = int(pidfile.read_text())
    parent.send_signal(sig)
    parent.wait(timeout=30)
    if sig == signal.SIGTERM:
        assert parent.returncode == 128 + signal.SIGTERM
    alive = not _gone(worker, 15)
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive, "the worker outlived its parent"


def test_dask_run_without_workers_ends_with_a_message(tmp_path: Path) -> None:
    import distributed

    _variants(tmp_path / "in", 2)
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        t0 = time.monotonic()
        s = batch.run(
            [tmp_path / "in"],
            out,
            RunOptions(
                engine="dask", scheduler=cluster.scheduler_address, dask_no_worker_seconds=2
            ),
        )
    assert time.monotonic() - t0 < 60
    assert s.by_status == {"failed": 2}
    rec = next(iter(batch.load_records(out).values()))
    assert rec.errors[0].message.startswith("no Dask worker left for 2 s")


def test_huge_pages_are_drawn_small_and_not_by_the_parent(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from ecopark.report.pages import MAX_PIXELS, render_pages

    doc = pdfium.PdfDocument.new()
    doc.new_page(7200, 7200)
    src = tmp_path / "huge.pdf"
    doc.save(str(src))
    doc.close()
    me = psutil.Process()
    before = me.memory_info().rss
    images = render_pages(src, {1}, tmp_path / "pages", "huge")
    grew_mb = (me.memory_info().rss - before) / 2**20
    assert set(images) == {1}
    from PIL import Image

    with Image.open(tmp_path / images[1].src) as im:
        assert im.width * im.height <= MAX_PIXELS and im.width > 1000
    assert images[1].width == 7200
    assert grew_mb < 100, grew_mb  # drawn uncapped here it would take ~1.9 GB


# -- safe reading ----------------------------------------------------------------------


def _jpeg_pdf(jpeg: bytes, catalog_extra: bytes = b"") -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            stream(b"q 100 0 0 100 100 600 cm /Im1 Do Q"),
            stream(
                jpeg,
                b" /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode",
            ),
        ]
    )


def test_jpeg_bytes_that_spell_js_are_not_active_content() -> None:
    jpeg = (
        b"\xff\xd8\xff\xe0" + b"junk /JS (app.alert(1)) /JavaScript /Launch /AA " * 20 + b"\xff\xd9"
    )
    assert scan(_jpeg_pdf(jpeg), 2**28) == []
    # A destination as /OpenAction (what most producers write) runs nothing either.
    assert scan(_jpeg_pdf(jpeg, b" /OpenAction [3 0 R /Fit]"), 2**28) == []
    # The same file with a real action is flagged.
    js = b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    assert scan(_jpeg_pdf(jpeg, js), 2**28) == [
        "the PDF carries active content (JavaScript); ecopark reads only its text and never runs it"
    ]


def test_symlink_leaving_the_folder_is_skipped_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (a,) = _variants(folder, 1)
    secret = park_variant(tmp_path / "outside" / "secret.md", 3)
    os.symlink(secret, folder / "link.md")
    os.symlink(a, folder / "inside_link.md")  # stays inside: the same input as a
    os.symlink(tmp_path / "outside", folder / "dirlink")
    found = discover([folder])
    assert found.paths == [a]
    reasons = {p.name: why for p, why in found.skipped}
    assert reasons["link.md"] == SKIP_OUTSIDE
    assert "folder" in reasons["dirlink"]
    out = tmp_path / "out"
    s = batch.run([folder], out, ONE)
    assert (s.total, s.processed) == (1, 1)
    assert (str(folder / "link.md"), SKIP_OUTSIDE) in s.skipped_files
    assert [src for src, *_ in _docs(out)] == [str(a)]
    # A glob does not leave its folder either; a file named outright is read.
    assert discover([str(folder / "*.md")]).paths == [a]
    assert discover([folder / "link.md"]).paths == [secret]
