"""The ecopark command."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from ecopark import batch, store
from ecopark.batch import RunOptions
from ecopark.discover import discover
from ecopark.outputs import audit_markdown, summary_line, write_dataset, write_record
from ecopark.pipeline import process
from ecopark.pool import Limits
from ecopark.progress import RunProgress
from extract.limits import ReadLimits
from schemas.record import Report, json_schema
from schemas.standard import DEFAULT_STANDARD, Standard, load_standard

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Structured, checked records from eco-industrial park evaluation reports.",
)


@app.command()
def extract(
    files: Annotated[
        list[Path], typer.Argument(help="report files (PDF, Markdown, HTML) or folders")
    ],
    outdir: Annotated[Path, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    standard: Annotated[str, typer.Option(help="standard to check against")] = DEFAULT_STANDARD,
) -> None:
    """Write a JSON record per input, a CSV dataset and an audit; print a line per file."""
    std = load_standard(standard)
    reports: list[Report] = []
    for path in discover(files):  # the same walk as `ecopark run`: by content, no symlink loops
        report = process(path, std)
        write_record(report, outdir)
        reports.append(report)
        typer.echo(summary_line(report))
    write_dataset(reports, outdir / "indicators.csv")
    (outdir / "audit.md").write_text(audit_markdown(reports), encoding="utf-8")
    failed = sum(r.status == "failed" for r in reports)
    typer.echo(
        f"{len(reports)} documents: {len(reports) - failed} read, {failed} failed → {outdir}"
    )
    raise typer.Exit(code=1 if failed else 0)


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="files, folders (recursive) or globs")],
    outdir: Annotated[Path, typer.Option("-o", "--out", help="output folder")] = Path("out"),
    workers: Annotated[int, typer.Option(help="worker processes (default: all cores)")] = 0,
    retry_failed: Annotated[bool, typer.Option(help="reprocess documents that failed")] = False,
    force: Annotated[bool, typer.Option(help="reprocess every document")] = False,
    engine: Annotated[str, typer.Option(help="local or dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="dask scheduler address")] = None,
    timeout: Annotated[float, typer.Option(help="seconds per document")] = Limits.seconds_per_doc,
    memory_mb: Annotated[int, typer.Option(help="MB per worker")] = Limits.memory_mb_per_worker,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
    html: Annotated[bool, typer.Option(help="write the HTML report at the end")] = True,
    max_pages: Annotated[int, typer.Option(help="pages per PDF")] = ReadLimits.max_pages,
    max_file_mb: Annotated[int, typer.Option(help="MB per file")] = ReadLimits.max_file_mb,
    max_stream_mb: Annotated[
        int, typer.Option(help="MB one PDF stream may inflate to")
    ] = ReadLimits.max_stream_mb,
    ocr: Annotated[bool, typer.Option(help="read image-only pages with OCR")] = True,
) -> None:
    """Process an archive into OUTDIR (records, ecopark.duckdb); resumable."""
    if engine not in ("local", "dask"):
        raise typer.BadParameter("engine must be local or dask")
    opts = RunOptions(
        workers=workers or os.cpu_count() or 1,
        limits=Limits(seconds_per_doc=timeout, memory_mb_per_worker=memory_mb),
        read_limits=ReadLimits(
            max_pages=max_pages, max_file_mb=max_file_mb, max_stream_mb=max_stream_mb, ocr=ocr
        ),
        retry_failed=retry_failed,
        force=force,
        engine=engine,  # type: ignore[arg-type]
        scheduler=scheduler,
    )
    with RunProgress(enabled=progress) as bar:
        summary = batch.run(inputs, outdir, opts, progress=bar.advance, on_start=bar.start)
    counts = ", ".join(f"{n} {s}" for s, n in sorted(summary.by_status.items())) or "nothing new"
    typer.echo(
        f"{summary.total} inputs: {summary.processed} processed ({counts}), "
        f"{summary.skipped} already done, {summary.duplicates} duplicates "
        f"in {summary.seconds:.1f} s → {outdir / 'ecopark.duckdb'}"
    )
    if html:
        typer.echo(f"report: {write_html_report(outdir, load_standard(DEFAULT_STANDARD))}")
    failed = summary.by_status.get("failed", 0)
    raise typer.Exit(code=1 if failed else 0)


@app.command("export")
def export_cmd(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet",
) -> None:
    """Write every dataset table as Parquet or CSV under OUTDIR/export/."""
    for path in store.export(outdir, fmt):
        typer.echo(str(path))


@app.command()
def audit(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
) -> None:
    """Add the findings across reports to the dataset and list them."""
    batch.write_dataset(outdir)
    import duckdb

    con = duckdb.connect(str(outdir / store.DB_NAME), read_only=True)
    try:
        rows = con.execute(
            "SELECT kind, park, indicator, message FROM findings WHERE scope = 'dataset' "
            "ORDER BY kind, park, indicator"
        ).fetchall()
    finally:
        con.close()
    for kind, park, indicator, message in rows:
        typer.echo(f"{kind:20} {park or '?'} {'#' + str(indicator) if indicator else ''} {message}")
    typer.echo(f"{len(rows)} findings across reports")


@app.command()
def report(
    outdir: Annotated[Path, typer.Argument(help="a folder written by ecopark run")],
    standard: Annotated[str, typer.Option(help="standard the plots show")] = DEFAULT_STANDARD,
) -> None:
    """Write the offline HTML audit report to OUTDIR/report/index.html."""
    target = write_html_report(outdir, load_standard(standard))
    typer.echo(str(target))


def write_html_report(outdir: Path, std: Standard) -> Path:
    from ecopark.report import write_report  # jinja2 and page rendering only when asked

    records = batch.load_records(outdir)
    dups = batch.duplicates(outdir, records)
    return write_report(outdir, list(records.values()), std, duplicates=len(dups))


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
    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
