"""Many documents: discover, skip what is done, process the rest, keep the dataset.

State lives in OUTDIR:
- ``records/<sha256>.json``  one record per distinct content, written atomically: a
  record file exists whole or not at all, so a kill at any moment loses at most the
  documents in flight, and a re-run does exactly those;
- ``sources.jsonl``          every input path seen and its hash (append-only; a torn last
  line from a kill is ignored), which is how copies and renamed files are recognised;
- ``ecopark.duckdb``         rebuilt from the records at checkpoints and at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from ecopark import corrections
from ecopark.discover import discover
from ecopark.outputs import atomic_write
from ecopark.pipeline import ECOPARK_VERSION, process, sha256_of
from ecopark.pool import Limits, Outcome, Pool
from ecopark.store import DB_NAME, Duplicate, build_database
from extract.limits import ReadLimits
from schemas.record import Report, SourceInfo, StageError

RECORDS = "records"
SOURCES = "sources.jsonl"
HASH_CACHE = ".hashes.json"
# How often the database is rebuilt during a run; the durability test sets it to 0 so that
# its kills land in the middle of database writes.
CHECKPOINT_SECONDS = float(os.environ.get("ECOPARK_CHECKPOINT_SECONDS", "30"))

Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class RunOptions:
    workers: int = os.cpu_count() or 1
    limits: Limits = field(default_factory=Limits)
    read_limits: ReadLimits = field(default_factory=ReadLimits)
    retry_failed: bool = False
    force: bool = False
    engine: Engine = "local"
    scheduler: str | None = None


@dataclass
class RunSummary:
    total: int = 0
    skipped: int = 0
    duplicates: int = 0
    processed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_worker_rss_mb: float = 0.0


def doc_key(path: Path, sha: str | None) -> str:
    """Records are keyed by content; an unreadable file by its path."""
    if sha:
        return sha
    return (
        "nohash-" + hashlib.sha1(str(path.absolute()).encode("utf-8", "surrogatepass")).hexdigest()
    )


def record_path(outdir: Path, key: str) -> Path:
    return outdir / RECORDS / f"{key}.json"


def load_record(path: Path) -> Report | None:
    try:
        return Report.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a record from an older schema or damaged by hand: redo it


def load_records(outdir: Path) -> dict[str, Report]:
    out = {}
    for p in sorted((outdir / RECORDS).glob("*.json")):
        r = load_record(p)
        if r is not None:
            out[p.stem] = r
    return out


def read_sources(outdir: Path) -> list[tuple[str, str]]:
    """(path, key) pairs ever seen, first occurrence first; a torn line is skipped."""
    out: list[tuple[str, str]] = []
    try:
        text = (outdir / SOURCES).read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        try:
            item = json.loads(line)
            out.append((item["path"], item["key"]))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _append_sources(outdir: Path, pairs: Iterable[tuple[str, str]]) -> None:
    lines = "".join(json.dumps({"path": p, "key": k}, ensure_ascii=False) + "\n" for p, k in pairs)
    if not lines:
        return
    with (outdir / SOURCES).open("a", encoding="utf-8") as fh:
        if fh.tell() and not _ends_with_newline(outdir / SOURCES):
            fh.write("\n")  # close a line torn by a kill before adding ours
        fh.write(lines)
        fh.flush()
        os.fsync(fh.fileno())


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _hashes(outdir: Path, paths: Sequence[Path]) -> dict[Path, str | None]:
    """sha256 per path, cached by (size, mtime) so a resumed run does not re-read files."""
    cache_file = outdir / HASH_CACHE
    try:
        cache: dict[str, list[object]] = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    out: dict[Path, str | None] = {}
    fresh: dict[str, list[object]] = {}
    for p in paths:
        k = str(p.absolute())
        try:
            st = p.stat()
        except OSError:
            out[p] = None
            continue
        sig = [st.st_size, st.st_mtime_ns]
        hit = cache.get(k)
        sha = hit[2] if hit and hit[:2] == sig and isinstance(hit[2], str) else sha256_of(p)
        out[p] = sha
        if sha:
            fresh[k] = [*sig, sha]
    atomic_write(cache_file, json.dumps(fresh))
    return out


def failed_record(path: str, sha: str | None, stage: str, message: str) -> Report:
    return Report(
        ecopark_version=ECOPARK_VERSION,
        source=SourceInfo(path=path, sha256=sha),
        status="failed",
        errors=[StageError(stage=stage, message=message)],
    )


def process_to_json(path: str, limits: ReadLimits | None = None) -> str:
    """The worker's task: one file → its record as JSON (never raises)."""
    try:
        # The parent hashed the file already (it keys the records); no second read here.
        return process(Path(path), limits=limits, hash_file=False).model_dump_json()
    except BaseException as err:  # the record must say what happened
        return failed_record(
            path, None, "run", f"internal error: {type(err).__name__}: {err}"
        ).model_dump_json()


def _run_local(paths: Sequence[str], opts: RunOptions, summary: RunSummary) -> Iterator[Outcome]:
    pool = Pool(partial(process_to_json, limits=opts.read_limits), opts.workers, opts.limits)
    for outcome in pool.run(paths):
        summary.peak_worker_rss_mb = pool.peak_rss_mb
        yield outcome


def _run_dask(paths: Sequence[str], opts: RunOptions, summary: RunSummary) -> Iterator[Outcome]:
    from distributed import Client, as_completed  # optional: only for --engine dask

    with Client(opts.scheduler) as client:  # type: ignore[no-untyped-call]
        fn = partial(process_to_json, limits=opts.read_limits)
        futures = client.map(fn, list(paths), pure=False)
        index = {f.key: p for f, p in zip(futures, paths, strict=True)}
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            task = index[fut.key]
            try:
                yield Outcome(task, fut.result())
            except Exception as err:  # a worker lost or killed: the run goes on
                yield Outcome(task, None, f"worker failed: {type(err).__name__}: {err}")


def _is_done(rec: Report | None, opts: RunOptions) -> bool:
    if rec is None or opts.force or rec.ecopark_version != ECOPARK_VERSION:
        return False
    return not (opts.retry_failed and rec.status == "failed")


def run(
    inputs: Sequence[str | Path],
    outdir: Path,
    opts: RunOptions,
    progress: Callable[[Report], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunSummary:
    t0 = time.monotonic()
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / RECORDS).mkdir(exist_ok=True)
    paths = discover(inputs)
    hashes = _hashes(outdir, paths)
    summary = RunSummary(total=len(paths))

    known = dict(read_sources(outdir))  # path → key
    first_path: dict[str, str] = {}
    for seen_path, seen_key in read_sources(outdir):
        first_path.setdefault(seen_key, seen_path)
    new_sources: list[tuple[str, str]] = []
    todo: dict[str, str] = {}  # key → path to process
    handled: set[str] = set()
    for p in paths:
        sp = str(p)
        key = doc_key(p, hashes[p])
        if known.get(sp) != key:
            new_sources.append((sp, key))
        if first_path.setdefault(key, sp) != sp:
            summary.duplicates += 1
        if key in handled:
            continue
        handled.add(key)  # the first present copy stands for the content
        if _is_done(load_record(record_path(outdir, key)), opts):
            summary.skipped += 1
            continue
        todo[key] = sp
    _append_sources(outdir, new_sources)

    by_path = {sp: k for k, sp in todo.items()}
    fixes = corrections.load(outdir)  # keyed by content: they outlive re-runs and --force
    if on_start:
        on_start(len(todo))
    last_checkpoint = time.monotonic()
    engine = _run_dask if opts.engine == "dask" else _run_local
    for outcome in engine(list(todo.values()), opts, summary):
        key = by_path[outcome.task]
        sha = hashes.get(Path(outcome.task))
        if outcome.result is not None:
            report = Report.model_validate_json(outcome.result)
            report.source.sha256 = sha
        else:
            report = failed_record(outcome.task, sha, "run", outcome.failure or "no result")
        report = corrections.apply(report, fixes)
        atomic_write(record_path(outdir, key), report.model_dump_json(indent=1) + "\n")
        summary.processed += 1
        summary.by_status[report.status] = summary.by_status.get(report.status, 0) + 1
        if progress:
            progress(report)
        if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
            write_dataset(outdir)
            last_checkpoint = time.monotonic()
    if summary.processed or new_sources or dataset_is_stale(outdir):
        write_dataset(outdir)
    summary.seconds = time.monotonic() - t0
    return summary


def dataset_is_stale(outdir: Path) -> bool:
    """True when a record or source line is newer than the database — a run killed after
    its last record but before its last database write leaves exactly that."""
    db = outdir / DB_NAME
    if not db.exists():
        return True
    built = db.stat().st_mtime_ns
    newest = max(
        (
            p.stat().st_mtime_ns
            for p in (outdir / RECORDS, outdir / SOURCES, outdir / corrections.CORRECTIONS)
            if p.exists()
        ),
        default=0,
    )
    return newest >= built


def duplicates(outdir: Path, records: dict[str, Report]) -> list[Duplicate]:
    """Every path seen whose content is recorded under another path."""
    out = []
    seen: set[str] = set()
    for path, key in read_sources(outdir):
        rec = records.get(key)
        if path in seen or rec is None or not rec.source.sha256 or path == rec.source.path:
            continue
        seen.add(path)
        out.append(Duplicate(path, rec.source.sha256, rec.source.path))
    return out


def write_dataset(outdir: Path) -> Path:
    from ecopark.dataset_audit import dataset_findings

    records = load_records(outdir)
    fixes = corrections.load(outdir)
    reports = list(corrections.apply_all(records, fixes).values())
    dups = duplicates(outdir, records)
    return build_database(
        outdir, reports, dups, dataset_findings(reports, dups), corrections.rows(fixes)
    )
