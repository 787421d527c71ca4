"""Many documents: discover, skip what is done, process the rest, keep the dataset.

State lives in OUTDIR (see ``ecopark.state`` for the small files):
- ``records/<sha256>.json``  one record per distinct content, written atomically: a
  record file exists whole or not at all, so a kill at any moment loses at most the
  documents in flight, and a re-run does exactly those;
- ``sources.jsonl``          every input (by resolved path) and the key of its content;
  the last line of a path is its current content, so a file replaced by another
  retires its old record to the dataset's ``history``;
- ``ecopark.duckdb``         the dataset, updated incrementally (``ecopark.store``).

One run writes to an OUTDIR at a time (``.ecopark.lock``); a second gets
``OutdirLocked``. Every repair a run makes to the state it finds is said in one line in
``RunSummary.repairs``.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ecopark.discover import Discovery, discover
from ecopark.pool import Limits, Outcome, Pool
from ecopark.state import (
    OutdirLocked,
    OutdirWriteError,
    RunError,
    Sources,
    append_sources,
    atomic_write_bytes,
    hash_inputs,
    outdir_lock,
    read_sources,
    remove_stale_temps,
    write_error,
)
from ecopark.store import DB_NAME, Dataset, DocState, Duplicate, Rows, doc_id, read_state, rows_of
from ecopark.version import ECOPARK_VERSION
from extract.errors import ReadError
from extract.limits import ReadLimits, pinned, read_bounded

if TYPE_CHECKING:
    from ecopark.corrections import Correction
    from schemas.checker import CheckSettings
    from schemas.record import Report

# A resume that finds nothing to do loads neither the pipeline nor the record model
# (pydantic) nor pandas: those are imported where a document is processed or a record
# read, so the no-op costs the stat of each input and one read of the database.

__all__ = ["OutdirLocked", "OutdirWriteError", "RunError", "RunOptions", "RunSummary", "run"]

RECORDS = "records"
# How often the published database is refreshed during a run; the durability test sets
# it low so that its kills land in the middle of database writes.
CHECKPOINT_SECONDS = float(os.environ.get("ECOPARK_CHECKPOINT_SECONDS", "30"))
# Rows of this many new records are held before they go into the working database: the
# parent's memory stays flat between checkpoints instead of holding 30 s of rows.
FLUSH_DOCUMENTS = 100
# How long a Dask run waits with no worker in the cluster before it gives up.
DASK_NO_WORKER_SECONDS = 120.0

Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class RunOptions:
    workers: int = os.cpu_count() or 1
    limits: Limits = field(default_factory=Limits)
    read_limits: ReadLimits = field(default_factory=ReadLimits)
    retry_failed: bool = False
    force: bool = False
    verify: bool = False  # re-hash every input instead of trusting the hash cache
    engine: Engine = "local"
    scheduler: str | None = None
    dask_no_worker_seconds: float = DASK_NO_WORKER_SECONDS
    check: CheckSettings | None = None  # the checker's settings (config file, CLI)


@dataclass
class RunSummary:
    total: int = 0
    skipped: int = 0
    duplicates: int = 0
    processed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_worker_rss_mb: float = 0.0
    # Files found in a folder or glob and not processed, with why (symlinks that leave
    # the folder, files that are not reports …).
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    # One line per repair made to OUTDIR's state (torn journal line, database rebuilt …).
    repairs: list[str] = field(default_factory=list)
    retired: int = 0  # records moved to history: their file now holds other content


def doc_key(path: Path, sha: str | None) -> str:
    """Records are keyed by content; an unreadable file by its path."""
    if sha:
        return sha
    return "nohash-" + hashlib.sha1(os.fsdecode(path).encode("utf-8", "surrogatepass")).hexdigest()


def _key_of_doc_id(doc: str) -> str:
    return doc_key(Path(doc[5:]), None) if doc.startswith("path:") else doc


def record_path(outdir: Path, key: str) -> Path:
    return outdir / RECORDS / f"{key}.json"


def load_record(path: Path) -> Report | None:
    from schemas.record import Report

    try:
        return Report.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None  # a record from an older schema or damaged by hand: redo it


def iter_records(outdir: Path) -> Iterator[tuple[str, Report]]:
    """Every current record (not those retired to history), one at a time."""
    sources = read_sources(outdir)
    view = _View(sources, _record_files(outdir))
    for key in sorted(view.current_keys):
        r = load_record(record_path(outdir, key))
        if r is not None:
            yield key, r


def load_records(outdir: Path) -> dict[str, Report]:
    """Every current record in memory (the report needs them; a run never does)."""
    return dict(iter_records(outdir))


def failed_record(path: str, sha: str | None, stage: str, message: str) -> Report:
    from schemas.record import Report, SourceInfo, StageError

    return Report(
        ecopark_version=ECOPARK_VERSION,
        source=SourceInfo(path=path, sha256=sha),
        status="failed",
        errors=[StageError(stage=stage, message=message)],
    )


def _summary_of(report: Report) -> dict[str, Any]:
    return {
        "path": report.source.path,
        "sha256": report.source.sha256,
        "status": report.status,
        "errors": [e.model_dump() for e in report.errors],
        "park": report.park.name,
        "report_year": report.report_year,
    }


def _done(report: Report) -> dict[str, Any]:
    """What a worker sends back: the record as written, its rows and a short summary,
    so the parent neither parses nor re-serialises a record."""
    return {
        "record": report.model_dump_json(indent=1) + "\n",
        "rows": rows_of(report).__dict__,
        "summary": _summary_of(report),
    }


def process_to_json(
    path: str, limits: ReadLimits | None = None, check: CheckSettings | None = None
) -> dict[str, Any]:
    """The worker's task: one file → its record (never raises). The file is read once;
    the record's sha256 is of exactly the bytes the readers parsed, even if the file is
    being rewritten meanwhile."""
    from ecopark.pipeline import process
    from schemas.standard import load_standard

    limits = limits or ReadLimits()
    p = Path(path)
    try:
        std = load_standard(check.standard) if check and check.standard else None
        sha: str | None = None
        data: bytes | None = None
        try:
            if stat.S_ISREG(p.stat().st_mode):
                data = read_bounded(p, limits)
                sha = hashlib.sha256(data).hexdigest()
        except (OSError, ReadError):
            data = None  # the pipeline reads it again and says what is wrong
        if data is not None:
            with pinned(p, data):
                report = process(p, std, check, limits=limits, hash_file=False)
        else:
            report = process(p, std, check, limits=limits, hash_file=False)
        report.source.sha256 = sha
    except BaseException as err:  # the record must say what happened
        report = failed_record(path, None, "run", f"internal error: {type(err).__name__}: {err}")
    return _done(report)


def _run_local(paths: Sequence[str], opts: RunOptions, summary: RunSummary) -> Iterator[Outcome]:
    pool = Pool(
        partial(process_to_json, limits=opts.read_limits, check=opts.check),
        opts.workers,
        opts.limits,
    )
    for outcome in pool.run(paths):
        summary.peak_worker_rss_mb = pool.peak_rss_mb
        yield outcome


def _run_dask(paths: Sequence[str], opts: RunOptions, summary: RunSummary) -> Iterator[Outcome]:
    from distributed import Client, wait  # optional: only for --engine dask

    with Client(opts.scheduler) as client:  # type: ignore[no-untyped-call]
        fn = partial(process_to_json, limits=opts.read_limits, check=opts.check)
        futures = client.map(fn, list(paths), pure=False)
        index = {f.key: p for f, p in zip(futures, paths, strict=True)}
        pending = set(futures)
        no_worker_since: float | None = None
        while pending:
            try:
                done, pending = wait(  # type: ignore[no-untyped-call]
                    pending, timeout=1.0, return_when="FIRST_COMPLETED"
                )
            except TimeoutError:
                done = set()
            for fut in done:
                task = index[fut.key]
                try:
                    yield Outcome(task, fut.result())
                except Exception as err:  # a worker lost or killed: the run goes on
                    yield Outcome(task, None, f"worker failed: {type(err).__name__}: {err}")
            if not pending or done:
                no_worker_since = None
                continue
            if client.scheduler_info().get("workers"):
                no_worker_since = None
                continue
            no_worker_since = no_worker_since or time.monotonic()
            if time.monotonic() - no_worker_since > opts.dask_no_worker_seconds:
                why = (
                    f"no Dask worker left for {opts.dask_no_worker_seconds:g} s: "
                    "the cluster has no workers to run this document"
                )
                for fut in pending:
                    fut.cancel()
                    yield Outcome(index[fut.key], None, why)
                return


def _record_files(outdir: Path) -> dict[str, int]:
    """key → the record file's mtime in µs (how the database knows it is current)."""
    out: dict[str, int] = {}
    try:
        entries = list(os.scandir(outdir / RECORDS))
    except OSError:
        return out
    for e in entries:
        if e.name.endswith(".json") and not e.name.startswith("."):
            try:
                out[e.name[:-5]] = e.stat().st_mtime_ns // 1000
            except OSError:
                continue
    return out


@dataclass
class _View:
    """The dataset's current view: which record each input path now stands for."""

    sources: Sources
    records: dict[str, int]  # key → record file mtime (µs), for every record on disk
    current_keys: set[str] = field(default_factory=set)
    paths_of: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.paths_of = self.sources.by_key()
        ever = self.sources.keys_ever()
        # A record no journal line names (the journal lost) stays current rather than lost.
        self.current_keys = {k for k in self.records if k in self.paths_of or k not in ever}

    def retired(self) -> set[str]:
        return set(self.records) - self.current_keys

    def primary(self, key: str, recorded_path: str) -> str:
        """The path a record is listed under: the first path seen with its content."""
        paths = self.paths_of.get(key)
        return paths[0] if paths else recorded_path

    def duplicates(self, recorded: dict[str, str]) -> list[Duplicate]:
        """Every other current path of a recorded content (``recorded``: key → source)."""
        out: list[Duplicate] = []
        for key, paths in self.paths_of.items():
            first = recorded.get(key)
            if first is None or key.startswith("nohash-"):
                continue
            out.extend(Duplicate(p, key, first) for p in paths if p != first)
        return out


def _doc_id_of(outdir: Path, key: str) -> str | None:
    """The database's doc_id of a record (a record without a hash is keyed by path)."""
    if not key.startswith("nohash-"):
        return key
    rec = load_record(record_path(outdir, key))
    return doc_id(rec) if rec else None


class _Writer:
    """The run's side of OUTDIR: records and the incremental dataset."""

    def __init__(self, outdir: Path, summary: RunSummary) -> None:
        self.outdir = outdir
        self.summary = summary
        self.dataset = Dataset(outdir)
        self.known: dict[str, tuple[str, str | None]] = {}  # key → (status, version)
        self._fixes: list[Correction] | None = None

    @property
    def fixes(self) -> list[Correction]:
        """``ecopark correct`` / review's corrections, by content hash (read once, when
        the first record is written: a no-op never needs them)."""
        if self._fixes is None:
            from ecopark import corrections

            self._fixes = corrections.load(self.outdir)
        return self._fixes

    def reconcile(self, view: _View) -> bool:
        """Make the working database match the records: checked by reading its documents
        (not by file times), repaired by loading only the records that differ, rebuilt
        when it is not a database. True when it had to change."""
        db = self.outdir / DB_NAME
        state = read_state(db)
        if state is None:
            if db.exists():
                self.summary.repairs.append(
                    f"{DB_NAME}: not a database this version can read; rebuilt from the "
                    f"{len(view.current_keys)} records"
                )
            self.dataset.open(fresh=True)
            docs: dict[str, DocState] = {}
        else:
            docs = {_key_of_doc_id(d): s for d, s in state.docs.items()}
        self.known = {k: (s.status, s.ecopark_version) for k, s in docs.items()}
        stale = {
            k
            for k in view.current_keys
            if k not in docs
            or docs[k].recorded_us != view.records[k]
            or docs[k].source != view.primary(k, docs[k].source)
        }
        extra = {k for k in docs if k not in view.current_keys}
        if state is not None and not (stale or extra):
            return False
        if self.dataset.con is None:
            self.dataset.open(fresh=False)
        if state is not None:
            self.summary.repairs.append(
                f"{DB_NAME}: {len(stale) + len(extra)} document(s) did not match the records; "
                "updated from them"
            )
        for k in extra:
            self.dataset.drop(_doc_id_of_key(k, docs[k].source))
            self.known.pop(k, None)
        for k in sorted(stale):
            rec = load_record(record_path(self.outdir, k))
            if rec is None:  # damaged or from an older schema: redone, as if never recorded
                if k in docs:
                    self.dataset.drop(_doc_id_of_key(k, docs[k].source))
                self.known.pop(k, None)
                view.records.pop(k, None)
                view.current_keys.discard(k)
                continue
            self._add(view, k, rows_of(rec), rec.source.path, view.records[k])
            if self.dataset.pending >= FLUSH_DOCUMENTS:
                self.dataset.flush()  # bounded memory on a rebuild of a large archive
        return True

    def _add(self, view: _View, key: str, rows: Rows, recorded_path: str, us: int) -> None:
        doc = rows.documents[0]
        doc["source"] = view.primary(key, recorded_path)
        doc["recorded_at"] = us
        self.known[key] = (doc["status"], doc["ecopark_version"])
        self.dataset.add(doc["doc_id"], rows)

    def write(self, view: _View, key: str, done: dict[str, Any]) -> None:
        sha = done["summary"].get("sha256")
        if sha and any(c.sha256 == sha for c in self.fixes):
            from ecopark import corrections
            from schemas.record import Report

            # corrections are keyed by content: they outlive re-runs and --force
            done.update(
                _done(corrections.apply(Report.model_validate_json(done["record"]), self.fixes))
            )
        path = record_path(self.outdir, key)
        atomic_write_bytes(path, done["record"].encode("utf-8", "surrogatepass"))
        us = path.stat().st_mtime_ns // 1000
        view.records[key] = us
        view.current_keys.add(key)
        self._add(view, key, Rows(**done["rows"]), done["summary"]["path"], us)

    def retire(self, keys: set[str]) -> None:
        for key in keys:
            d = _doc_id_of(self.outdir, key)
            if d is not None:
                self.dataset.drop(d)
            self.known.pop(key, None)


def _doc_id_of_key(key: str, source: str) -> str:
    return f"path:{source}" if key.startswith("nohash-") else key


def _summary_report(summary: dict[str, Any]) -> Report:
    """The short record a progress callback gets (no indicator tables)."""
    from schemas.record import Park, Report, SourceInfo, StageError

    return Report(
        ecopark_version=ECOPARK_VERSION,
        source=SourceInfo(path=summary["path"], sha256=summary["sha256"]),
        status=summary["status"],
        errors=[StageError.model_validate(e) for e in summary["errors"]],
        park=Park(name=summary["park"]),
        report_year=summary["report_year"],
    )


def run(
    inputs: Sequence[str | Path],
    outdir: Path,
    opts: RunOptions,
    progress: Callable[[Report], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    found: Discovery | None = None,
) -> RunSummary:
    """Process the inputs into OUTDIR. Raises OutdirLocked when another run holds
    OUTDIR, OutdirWriteError when OUTDIR cannot be written (disk full …). ``found`` is
    the inputs' discovery when the caller has made it already (the CLI, to say "no
    inputs" before writing anything): a folder of 10,000 files is walked once."""
    t0 = time.monotonic()
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / RECORDS).mkdir(exist_ok=True)
    except OSError as err:
        raise write_error(outdir, err) from err
    with outdir_lock(outdir):
        summary = _run_locked(
            discover(inputs) if found is None else found, outdir, opts, progress, on_start
        )
    summary.seconds = time.monotonic() - t0
    return summary


def _run_locked(
    found: Discovery,
    outdir: Path,
    opts: RunOptions,
    progress: Callable[[Report], None] | None,
    on_start: Callable[[int], None] | None,
) -> RunSummary:
    for folder in (outdir, outdir / RECORDS):
        remove_stale_temps(folder)
    summary = RunSummary(total=len(found.paths))
    summary.skipped_files = [(os.fsdecode(p), why) for p, why in found.skipped]
    sources = read_sources(outdir, repair=True)
    summary.repairs.extend(sources.repairs)
    hashes, notes = hash_inputs(outdir, found.paths, verify=opts.verify)
    summary.repairs.extend(notes)

    view = _View(sources, _record_files(outdir))
    writer = _Writer(outdir, summary)
    try:
        changed = writer.reconcile(view)
        current = sources.current()
        new_sources: list[tuple[str, str]] = []
        todo: dict[str, str] = {}  # key → path to process
        handled: set[str] = set()
        for p in found.paths:
            sp = os.fsdecode(p)
            key = doc_key(p, hashes[p])
            if current.get(sp) != key:
                new_sources.append((sp, key))
            if key in handled:
                continue
            handled.add(key)  # the first present copy stands for the content
            state = writer.known.get(key) if key in view.current_keys else None
            if state is not None and _is_done(state, opts):
                summary.skipped += 1
                continue
            todo[key] = sp
        if new_sources:
            before = set(view.current_keys)
            append_sources(outdir, new_sources)
            sources.entries.extend(new_sources)
            view = _View(sources, view.records)
            gone = before - view.current_keys  # their file now holds other content
            if gone:
                if writer.dataset.con is None:
                    writer.dataset.open(fresh=False)
                writer.retire(gone)
                summary.retired = len(gone)
        summary.duplicates = _count_duplicates(found.paths, hashes, view)
        if not (todo or new_sources or changed):
            writer.dataset.close()
            return summary  # nothing to do and the dataset is whole: write nothing
        if writer.dataset.con is None:
            writer.dataset.open(fresh=False)
        _process(todo, opts, summary, writer, view, progress, on_start)
        _finish(writer, view)
    except BaseException:
        writer.dataset.close()
        raise
    return summary


def _is_done(state: tuple[str, str | None], opts: RunOptions) -> bool:
    status, version = state
    if opts.force or version != ECOPARK_VERSION:
        return False
    return not (opts.retry_failed and status == "failed")


def _count_duplicates(paths: Sequence[Path], hashes: dict[Path, str | None], view: _View) -> int:
    n = 0
    for p in paths:
        key = doc_key(p, hashes[p])
        first = view.paths_of.get(key, [])
        if not key.startswith("nohash-") and first and first[0] != os.fsdecode(p):
            n += 1
    return n


def _process(
    todo: dict[str, str],
    opts: RunOptions,
    summary: RunSummary,
    writer: _Writer,
    view: _View,
    progress: Callable[[Report], None] | None,
    on_start: Callable[[int], None] | None,
) -> None:
    by_path = {sp: k for k, sp in todo.items()}
    if on_start:
        on_start(len(todo))
    last_checkpoint = time.monotonic()
    engine = _run_dask if opts.engine == "dask" else _run_local
    moved: list[tuple[str, str]] = []  # files that changed between hashing and reading
    for outcome in engine(list(todo.values()), opts, summary):
        key = by_path[outcome.task]
        done = outcome.result
        if not isinstance(done, dict):
            sha = None if key.startswith("nohash-") else key
            done = _done(failed_record(outcome.task, sha, "run", outcome.failure or "no result"))
        read_sha = done["summary"]["sha256"]
        if read_sha and read_sha != key:
            # The file changed after it was hashed: the record is of the bytes read, and
            # the journal says that is what this path holds.
            key = read_sha
            moved.append((outcome.task, key))
        elif not read_sha and not key.startswith("nohash-"):
            _set_sha(done, key)  # unreadable now: keyed by what was hashed
        writer.write(view, key, done)
        summary.processed += 1
        status = done["summary"]["status"]
        summary.by_status[status] = summary.by_status.get(status, 0) + 1
        if progress:
            progress(_summary_report(done["summary"]))
        if writer.dataset.pending >= FLUSH_DOCUMENTS:
            writer.dataset.flush()
        if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
            _journal_moves(writer, view, moved)
            writer.dataset.publish()
            last_checkpoint = time.monotonic()
    _journal_moves(writer, view, moved)


def _set_sha(done: dict[str, Any], sha: str) -> None:
    from schemas.record import Report

    done["summary"]["sha256"] = sha
    rec = Report.model_validate_json(done["record"])
    rec.source.sha256 = sha
    done.update(_done(rec))


def _journal_moves(writer: _Writer, view: _View, moved: list[tuple[str, str]]) -> None:
    if not moved:
        return
    before = {k for k in view.current_keys if k in view.paths_of}
    append_sources(writer.outdir, moved)
    view.sources.entries.extend(moved)
    fresh = _View(view.sources, view.records)
    view.paths_of, view.current_keys = fresh.paths_of, fresh.current_keys
    writer.retire(before - view.current_keys)
    moved.clear()


def _history(outdir: Path, view: _View) -> list[dict[str, Any]]:
    current = view.sources.current()
    out = []
    for key in sorted(view.retired()):
        rec = load_record(record_path(outdir, key))
        if rec is not None:
            out.append(
                {
                    "source": rec.source.path,
                    "sha256": rec.source.sha256,
                    "status": rec.status,
                    "park": rec.park.name,
                    "report_year": rec.report_year,
                    "ecopark_version": rec.ecopark_version,
                    "replaced_by": current.get(rec.source.path),
                }
            )
    return out


def _finish(writer: _Writer, view: _View) -> None:
    """Derive duplicates, parks, history and the findings across reports of the parks
    this run touched, and publish the database."""
    from ecopark.dataset_audit import cross_report_values, duplicate_documents, verdict_flips
    from schemas.record import Park, Report, SourceInfo

    outdir, ds = writer.outdir, writer.dataset
    ds.flush()
    firsts = ds.first_copies(k for k in view.current_keys if not k.startswith("nohash-"))
    dups = view.duplicates({k: src for k, (src, _, _) in firsts.items()})
    findings: list[dict[str, Any]] = []
    for group in ds.groups(ds.touched_parks):  # one park's records at a time in memory
        reports = [r for d in group if (r := load_record(record_path(outdir, _key_of_doc_id(d))))]
        findings += cross_report_values(reports)
        findings += verdict_flips(reports)
    for d in dups:
        src, park, year = firsts[d.sha256]
        first = Report(
            source=SourceInfo(path=src, sha256=d.sha256), park=Park(name=park), report_year=year
        )
        findings += duplicate_documents([first], [d])
    ds.derive(dups, _history(outdir, view), findings)
    ds.publish(final=True)


def duplicates(outdir: Path, records: dict[str, Report]) -> list[Duplicate]:
    """Every current path whose content is recorded under another path."""
    view = _View(read_sources(outdir), _record_files(outdir))
    recorded = {k: view.primary(k, r.source.path) for k, r in records.items() if r.source.sha256}
    return view.duplicates(recorded)


def _apply_logged_corrections(outdir: Path) -> None:
    """Records whose corrections in corrections.jsonl are not yet in force are re-judged
    and rewritten (a line appended by hand or by a tool): the dataset then follows them."""
    from ecopark import corrections

    fixes = corrections.load(outdir)
    for sha in sorted({c.sha256 for c in fixes}):
        path = record_path(outdir, sha)
        report = load_record(path)
        if report is None:
            continue
        fixed = corrections.apply(report, fixes)
        if fixed is not report:
            atomic_write_bytes(path, (fixed.model_dump_json(indent=1) + "\n").encode("utf-8"))


def write_dataset(outdir: Path) -> Path:
    """Bring the database up to date with the records (under OUTDIR's lock)."""
    with outdir_lock(outdir):
        _apply_logged_corrections(outdir)
        view = _View(read_sources(outdir, repair=True), _record_files(outdir))
        writer = _Writer(outdir, RunSummary())
        try:
            writer.reconcile(view)
            if writer.dataset.con is None:
                writer.dataset.open(fresh=False)
            _finish(writer, view)
        except BaseException:
            writer.dataset.close()
            raise
    return outdir / DB_NAME
