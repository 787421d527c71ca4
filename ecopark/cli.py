"""The ecopark command.

Only typer and the standard library are imported here at start-up, so ``--help`` and
``--version`` answer at once; each command imports what it needs (pandas, DuckDB, the
readers) when it runs.

Exit codes (CONTRACTS.md): 0 every input ok, 1 an input failed (an old failure still
present included), 2 a usage error or no inputs, 3 another run holds the output folder.
A user's mistake is one line on stderr; a traceback only with ``-v``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from ecopark.config import Settings
    from schemas.record import Report
    from schemas.standard import Standard

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
SKIPPED_LISTED = 10  # more skipped files than this are summed up by reason (--json lists all)
DEFAULT_STANDARD = "HJ 274-2015"  # schemas.standard.DEFAULT_STANDARD, without importing it

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich (and markdown-it) cost more than the answer
    help="Structured, checked records from eco-industrial park evaluation reports.",
)


class UsageProblem(Exception):
    """A user's mistake: printed as one line, exit code 2."""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ecopark")
    except PackageNotFoundError:
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"ecopark {_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="print the version"),
    ] = False,
) -> None:
    """Structured, checked records from eco-industrial park evaluation reports."""


def _err(message: str) -> None:
    typer.echo(f"ecopark: {message}", err=True)


@contextmanager
def _guard(verbose: int) -> Iterator[None]:
    """Known mistakes → one line and exit 2; a bug → one line and exit 1 (with ``-v``,
    the traceback)."""
    from ecopark.config import ConfigError
    from ecopark.exports import ExportError
    from ecopark.outputs import OutdirError

    try:
        yield
    except (UsageProblem, ConfigError, ExportError, OutdirError) as err:
        if verbose:
            raise
        _err(str(err))
        raise typer.Exit(EXIT_USAGE) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as err:
        code = getattr(err, "exit_code", None)
        if isinstance(code, int) and type(err).__module__.startswith("ecopark."):
            if verbose:  # a run that cannot go on (OUTDIR locked: 3; unwritable: 1)
                raise
            _err(str(err))
            raise typer.Exit(code) from None
        if verbose:
            raise
        _err(f"internal error: {type(err).__name__}: {err} (run with -v for the traceback)")
        raise typer.Exit(EXIT_FAILED) from None


# Options shared by the commands.
Verbose = Annotated[
    int, typer.Option("-v", "--verbose", count=True, help="say more; tracebacks on errors")
]
Quiet = Annotated[bool, typer.Option("-q", "--quiet", help="print only errors and the result")]
AsJson = Annotated[bool, typer.Option("--json", help="print the summary as JSON on stdout")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="a TOML config file (default: ./ecopark.toml)")
]
StandardOpt = Annotated[
    str | None,
    typer.Option(help="check every report against this standard (default: as the report says)"),
]
OutOpt = Annotated[Path, typer.Option("-o", "--out", help="output folder")]
WaterScarceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--water-scarce-city",
        help="a place whose parks take #16's 缺水城市 tier (repeat the option for more)",
    ),
]
RegionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        help="PARK=water_scarce|jingjinji|other: a park's region for #16 (repeatable)",
    ),
]


def _regions(given: list[str] | None) -> dict[str, str] | None:
    """``--region 某某开发区=water_scarce`` options as the config's [check.regions] table."""
    if not given:
        return None
    out: dict[str, str] = {}
    for item in given:
        park, sep, region = item.partition("=")
        if not sep or not park.strip() or not region.strip():
            raise UsageProblem(
                f"--region {item!r}: write PARK=REGION (water_scarce, jingjinji, other)"
            )
        out[park.strip()] = region.strip()
    return out


def _settings(config: Path | None, **cli: Any) -> Settings:
    from ecopark import config as cfg

    return cfg.load(config).with_cli(**cli)


def _standard(name: str | None) -> Standard:
    from schemas.standard import load_standard

    try:
        return load_standard(name or DEFAULT_STANDARD)
    except KeyError as err:
        raise UsageProblem(str(err.args[0])) from None


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class Outcome:
    """What one run did, for the closing lines or ``--json``."""

    inputs: int = 0
    processed: int = 0
    already_done: int = 0
    duplicates: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    not_ok: list[dict[str, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    dataset: str = ""
    report: str | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if any(r["status"] == "failed" for r in self.not_ok) else EXIT_OK

    def as_json(self) -> str:
        data = {
            "inputs": self.inputs,
            "processed": self.processed,
            "already_done": self.already_done,
            "duplicates": self.duplicates,
            "by_status": self.by_status,
            "not_ok": self.not_ok,
            "skipped": [{"file": s.path, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 2),
            "dataset": self.dataset,
            "report": self.report,
            "exit_code": self.exit_code,
        }
        return json.dumps(data, ensure_ascii=False, indent=1)


def _skip_reason(path: Path) -> str:
    from ecopark.discover import NEVER_SUFFIXES

    if path.is_symlink():
        return "symlink: not followed"
    if path.name.startswith("."):
        return "hidden file"
    suffix = path.suffix.lower()
    if suffix in NEVER_SUFFIXES:
        return f"not a report: a {suffix} file (code, data or an image)"
    return "not a report: neither a PDF, Word, Excel nor text that names a park"


def skipped_files(inputs: Sequence[str], found: Sequence[Path]) -> list[Skipped]:
    """Files inside the folders given that discovery left out, with why."""
    taken = {str(p.absolute()) for p in found}
    out: list[Skipped] = []
    for item in inputs:
        folder = Path(item)
        if not folder.is_dir():
            continue
        for root, dirs, files in os.walk(folder, followlinks=False):
            dirs.sort()
            for name in sorted(files):
                p = Path(root) / name
                if str(p.absolute()) not in taken:
                    out.append(Skipped(str(p), _skip_reason(p)))
    return out


def _not_ok(outdir: Path, paths: Sequence[Path]) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Every input of this run whose current record is not ok (old failures included),
    from the dataset, and the counts by status over this run's inputs."""
    import duckdb

    from ecopark.store import DB_NAME

    wanted = {os.fsdecode(p) for p in paths}  # discovery's resolved paths: one per input
    con = duckdb.connect(str(outdir / DB_NAME), read_only=True)
    try:
        rows = con.execute("SELECT source, status, errors FROM documents").fetchall()
    finally:
        con.close()
    out: list[dict[str, str]] = []
    counts: dict[str, int] = {}
    for source, status, errors in rows:
        if source not in wanted:
            continue
        counts[status] = counts.get(status, 0) + 1
        if status in ("ok", "duplicate"):
            continue
        try:
            messages = [e["message"] for e in json.loads(errors or "[]")]
        except (ValueError, TypeError, KeyError):
            messages = [str(errors)]
        out.append({"file": source, "status": status, "reason": "; ".join(messages) or "—"})
    out.sort(key=lambda r: (r["status"] != "failed", r["file"]))
    return out, counts


def _elapsed() -> float:
    """Seconds since this process started: what the user waited, imports included. From
    the kernel's clock ticks since boot (/proc/self/stat against /proc/uptime, 10 ms
    steps); a start time in wall-clock seconds (psutil's) is off by up to one second,
    the boot time being whole seconds."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            # fields after the command name, which may hold spaces: starttime is the 22nd
            start_ticks = int(fh.read().rpartition(b")")[2].split()[19])
        with open("/proc/uptime", "rb") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):  # no /proc: the run's own clock is next best
        return time.monotonic() - _T0


_T0 = time.monotonic()


def _closing(outcome: Outcome, outdir: Path, quiet: bool) -> str:
    from ecopark.outputs import plural, text_table

    counts = ", ".join(f"{n} {s}" for s, n in sorted(outcome.by_status.items()))
    lines = []
    if outcome.not_ok:
        lines.append(f"not ok ({len(outcome.not_ok)}):")
        lines.append(
            text_table(
                ("status", "file", "reason"),
                [(r["status"], r["file"], r["reason"]) for r in outcome.not_ok],
            )
        )
    if outcome.skipped:
        lines.append(f"skipped ({len(outcome.skipped)}):")
        if len(outcome.skipped) <= SKIPPED_LISTED:
            listed = [(s.path, s.reason) for s in outcome.skipped]
            lines.append(text_table(("file", "why"), listed))
        else:  # many of a kind (truth files beside samples): one line per reason
            by_reason: dict[str, list[str]] = {}
            for s in outcome.skipped:
                by_reason.setdefault(s.reason, []).append(s.path)
            summed = [(str(len(p)), r, p[0]) for r, p in sorted(by_reason.items())]
            lines.append(text_table(("files", "why", "e.g."), summed))
    done = (
        f"{plural(outcome.inputs, 'input')}: {outcome.processed} processed, "
        f"{outcome.already_done} already done, {plural(outcome.duplicates, 'duplicate')}"
        f"{f' ({counts})' if counts else ''} in {outcome.seconds:.1f} s → {outcome.dataset}"
    )
    if quiet:
        return "\n".join(lines)
    return "\n".join([*lines, done] + ([f"report: {outcome.report}"] if outcome.report else []))


def _batch(
    inputs: Sequence[str],
    outdir: Path,
    s: Settings,
    *,
    retry_failed: bool = False,
    force: bool = False,
    verify: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    html: bool = True,
    progress: Any = None,
    on_start: Any = None,
) -> Outcome:
    """The shared body of ``run`` and ``extract``: checks, the batch, the closing facts."""
    from ecopark import batch
    from ecopark.discover import discover
    from ecopark.outputs import check_outdir
    from ecopark.pool import Limits

    if engine not in ("local", "dask"):
        raise UsageProblem(f"unknown engine {engine!r}: use local or dask")
    if engine == "dask" and not scheduler:
        raise UsageProblem("--engine dask needs --scheduler tcp://HOST:PORT")
    # An unknown standard stops before anything is written; the default one is built in
    # and its tables are loaded only to write the HTML report.
    std = _standard(s["standard"]) if s["standard"] else None
    check_outdir(outdir)
    found = discover(inputs)
    if not len(found):
        skipped = skipped_files(inputs, found.paths)
        what = ", ".join(inputs)
        raise UsageProblem(
            f"no inputs: {what} matched no report file"
            + (f" ({len(skipped)} other files skipped)" if skipped else "")
        )
    opts = batch.RunOptions(
        workers=s["workers"] or os.cpu_count() or 1,
        limits=Limits(seconds_per_doc=s["timeout"], memory_mb_per_worker=s["memory_mb"]),
        read_limits=s.read_limits(),
        retry_failed=retry_failed,
        force=force,
        verify=verify,
        engine=engine,  # type: ignore[arg-type]
        scheduler=scheduler,
        check=s.check_settings(),
    )
    summary = batch.run(
        list(inputs), outdir, opts, progress=progress, on_start=on_start, found=found
    )
    for line in summary.repairs:  # state healed on the way (torn journal …)
        typer.echo(f"repaired: {line}", err=True)
    skipped = [Skipped(path, why) for path, why in summary.skipped_files]
    not_ok, counts = _not_ok(outdir, found.paths)
    outcome = Outcome(
        inputs=summary.total,
        processed=summary.processed,
        already_done=summary.skipped,
        duplicates=summary.duplicates,
        by_status=counts,
        not_ok=not_ok,
        skipped=skipped,
        dataset=str(outdir / "ecopark.duckdb"),
    )
    if html:
        name = std.id if std else DEFAULT_STANDARD
        current = _report_current(outdir, name)
        outcome.report = str(current or write_html_report(outdir, std or _standard(name)))
    outcome.seconds = _elapsed()
    return outcome


def _finish(outcome: Outcome, outdir: Path, quiet: bool, as_json: bool) -> None:
    if as_json:
        typer.echo(outcome.as_json())
    else:
        text = _closing(outcome, outdir, quiet)
        if text:
            typer.echo(text)
    raise typer.Exit(outcome.exit_code)


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="files, folders (recursive) or globs")],
    outdir: OutOpt = Path("out"),
    workers: Annotated[
        int | None, typer.Option(help="worker processes (default: all cores)")
    ] = None,
    retry_failed: Annotated[bool, typer.Option(help="reprocess documents that failed")] = False,
    force: Annotated[bool, typer.Option(help="reprocess every document")] = False,
    verify: Annotated[
        bool, typer.Option(help="re-hash every input (do not trust size, times and inode)")
    ] = False,
    engine: Annotated[str, typer.Option(help="local or dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="dask scheduler address")] = None,
    timeout: Annotated[
        float | None, typer.Option(help="seconds per document [default: 300]")
    ] = None,
    memory_mb: Annotated[int | None, typer.Option(help="MB per worker [default: 3072]")] = None,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    html: Annotated[bool, typer.Option(help="write the HTML report at the end")] = True,
    max_pages: Annotated[int | None, typer.Option(help="pages per PDF [default: 1000]")] = None,
    max_file_mb: Annotated[int | None, typer.Option(help="MB per file [default: 512]")] = None,
    max_stream_mb: Annotated[
        int | None, typer.Option(help="MB one PDF stream may inflate to [default: 256]")
    ] = None,
    ocr: Annotated[
        bool | None, typer.Option("--ocr/--no-ocr", help="read image-only pages with OCR")
    ] = None,
    standard: StandardOpt = None,
    water_scarce_city: WaterScarceOpt = None,
    region: RegionOpt = None,
    config: ConfigOpt = None,
    as_json: AsJson = False,
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """Process an archive into OUTDIR (records, ecopark.duckdb, report); resumable."""
    from ecopark.progress import RunProgress

    with _guard(verbose):
        s = _settings(
            config,
            workers=workers,
            timeout=timeout,
            memory_mb=memory_mb,
            max_pages=max_pages,
            max_file_mb=max_file_mb,
            max_stream_mb=max_stream_mb,
            ocr=ocr,
            standard=standard,
            water_scarce_cities=water_scarce_city or None,
            regions=_regions(region),
        )
        if verbose:
            for line in s.describe():
                typer.echo(f"setting {line}", err=True)
        with RunProgress(enabled=progress and not quiet, log=not quiet) as bar:
            outcome = _batch(
                inputs,
                outdir,
                s,
                retry_failed=retry_failed,
                force=force,
                verify=verify,
                engine=engine,
                scheduler=scheduler,
                html=html,
                progress=bar.advance,
                on_start=bar.start,
            )
    _finish(outcome, outdir, quiet, as_json)


@app.command()
def extract(
    files: Annotated[
        list[str],
        typer.Argument(help="report files (PDF, Word, Excel, Markdown, HTML), folders or globs"),
    ],
    outdir: OutOpt = Path("out"),
    standard: StandardOpt = None,
    water_scarce_city: WaterScarceOpt = None,
    region: RegionOpt = None,
    workers: Annotated[int | None, typer.Option(help="worker processes [default: 1]")] = None,
    timeout: Annotated[
        float | None, typer.Option(help="seconds per document [default: 300]")
    ] = None,
    html: Annotated[bool, typer.Option(help="write the HTML report at the end")] = True,
    config: ConfigOpt = None,
    as_json: AsJson = False,
    verbose: Verbose = 0,
    quiet: Quiet = False,
) -> None:
    """Read the files again and print one line per file; writes what `run` writes."""
    from ecopark.outputs import summary_line

    def line(report: Report) -> None:
        if not quiet and not as_json:
            # the batch hands progress a short record; the line counts what the record
            # just written holds
            from ecopark import batch

            key = batch.doc_key(Path(report.source.path), report.source.sha256)
            typer.echo(summary_line(batch.load_record(batch.record_path(outdir, key)) or report))

    with _guard(verbose):
        s = _settings(
            config,
            standard=standard,
            workers=workers,
            timeout=timeout,
            water_scarce_cities=water_scarce_city or None,
            regions=_regions(region),
        )
        if s.sources["workers"] == "default":
            s = s.with_cli(workers=1)  # one file after the other, in the order given
        outcome = _batch(files, outdir, s, force=True, html=html, progress=line)
    _finish(outcome, outdir, quiet, as_json)


@app.command("export")
def export_cmd(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    fmt: Annotated[str, typer.Option("--format", help="parquet, csv or xlsx")] = "parquet",
    bom: Annotated[
        bool, typer.Option(help="CSV with a UTF-8 BOM, for Excel on Chinese-locale Windows")
    ] = False,
    verbose: Verbose = 0,
) -> None:
    """Write every dataset table under OUTDIR/export/ (a sheet per table for xlsx)."""
    with _guard(verbose):
        from ecopark.exports import export

        for path in export(outdir, fmt, bom=bom):
            typer.echo(str(path))


@app.command()
def audit(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    verbose: Verbose = 0,
) -> None:
    """Add the findings across reports to the dataset and list them."""
    with _guard(verbose):
        import duckdb

        from ecopark import batch, store
        from ecopark.outputs import plural, require_dataset

        require_dataset(outdir)
        batch.write_dataset(outdir)
        con = duckdb.connect(str(outdir / store.DB_NAME), read_only=True)
        try:
            rows = con.execute(
                "SELECT kind, park, indicator, message FROM findings WHERE scope = 'dataset' "
                "ORDER BY kind, park, indicator"
            ).fetchall()
        finally:
            con.close()
        for kind, park, indicator, message in rows:
            num = "#" + str(indicator) if indicator else ""
            typer.echo(f"{kind:20} {park or '?'} {num} {message}")
        typer.echo(f"{plural(len(rows), 'finding')} across reports")


@app.command()
def report(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    standard: Annotated[str, typer.Option(help="standard the plots show")] = DEFAULT_STANDARD,
    verbose: Verbose = 0,
) -> None:
    """Write the offline HTML audit report to OUTDIR/report/index.html."""
    with _guard(verbose):
        from ecopark.outputs import require_dataset

        require_dataset(outdir)
        typer.echo(str(write_html_report(outdir, _standard(standard))))


# Beside the HTML report: what it was written from (see _report_source).
REPORT_SOURCE = ".written_from.json"


def _report_source(outdir: Path, standard: str) -> str:
    """What the HTML report shows depends on: the ecopark version, the standard, and
    OUTDIR's dataset, records, inputs and corrections — each by inode, mtime and size
    (a run that changes anything replaces the database; a record written or rewritten
    changes its folder's mtime)."""
    from ecopark.store import DB_NAME
    from ecopark.version import ECOPARK_VERSION

    parts: list[object] = [ECOPARK_VERSION, standard]
    for name in (DB_NAME, "records", "sources.jsonl", "corrections.jsonl"):
        try:
            st = os.stat(outdir / name)
        except OSError:
            parts.append(None)
            continue
        parts.append([st.st_ino, st.st_mtime_ns, st.st_size])
    return json.dumps(parts, ensure_ascii=False)


def _report_current(outdir: Path, standard: str) -> Path | None:
    """The HTML report, when it was written from what OUTDIR holds now (a resume that
    changed nothing need not read every record again to draw the same pages)."""
    index = outdir / "report" / "index.html"
    try:
        written_from = (outdir / "report" / REPORT_SOURCE).read_text(encoding="utf-8")
    except OSError:
        return None
    return index if index.is_file() and written_from == _report_source(outdir, standard) else None


def write_html_report(outdir: Path, std: Standard) -> Path:
    from ecopark import batch
    from ecopark.outputs import atomic_write
    from ecopark.report import write_report  # jinja2 and page rendering only when asked

    source = outdir / "report" / REPORT_SOURCE
    source.unlink(missing_ok=True)  # a report half rewritten is not current
    written_from = _report_source(outdir, std.id)  # before reading: a change meanwhile shows
    records = batch.load_records(outdir)
    dups = batch.duplicates(outdir, records)
    path = write_report(outdir, list(records.values()), std, duplicates=len(dups))
    atomic_write(source, written_from)
    return path


@app.command()
def correct(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    doc: Annotated[str, typer.Option("--doc", help="the document's sha256 (a unique prefix)")],
    indicator: Annotated[int | None, typer.Option(help="indicator number (1–32)")] = None,
    year: Annotated[int | None, typer.Option(help="the year column")] = None,
    column: Annotated[str | None, typer.Option(help="a column without a year (目标值 …)")] = None,
    value: Annotated[float | None, typer.Option(help="the number on the page")] = None,
    text: Annotated[str | None, typer.Option(help="the cell's text on the page")] = None,
    claim: Annotated[str | None, typer.Option(help="是否达标 on the page: 是 or 否")] = None,
    park_field: Annotated[
        str | None, typer.Option("--park", help="a basic-info field (name, address …)")
    ] = None,
    park_value: Annotated[str | None, typer.Option("--park-value", help="its value")] = None,
    unreadable: Annotated[bool, typer.Option(help="the cell cannot be read")] = False,
    confirm: Annotated[bool, typer.Option(help="the printed value is right")] = False,
    note: Annotated[str, typer.Option(help="why")] = "",
    who: Annotated[str | None, typer.Option(help="who corrects (default: $USER)")] = None,
    html: Annotated[bool, typer.Option(help="rewrite the HTML report")] = True,
) -> None:
    """Record a correction in OUTDIR/corrections.jsonl and re-judge the document."""
    args = dict(locals())  # the options, one to one
    from ecopark.review.cli_support import correct_command

    raise typer.Exit(code=correct_command(**args))


@app.command()
def review(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    port: Annotated[int, typer.Option(help="port on 127.0.0.1 (0: any free one)")] = 0,
    who: Annotated[str | None, typer.Option(help="who reviews (default: $USER)")] = None,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="open a browser")] = True,
) -> None:
    """Review doubtful cells in the browser (a local app on 127.0.0.1, with a token)."""
    from ecopark.review.app import serve

    serve(outdir, port=port, who=who, open_browser=open_browser)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record."""
    from schemas.record import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    """The console script: ``app`` with a one-line message for a Ctrl-C."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted; the next run resumes where this one stopped")
        sys.exit(130)


if __name__ == "__main__":
    main()
