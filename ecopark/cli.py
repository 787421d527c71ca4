"""The ecopark command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ecopark.outputs import audit_markdown, summary_line, write_dataset, write_record
from ecopark.pipeline import process
from schemas.record import Report, json_schema
from schemas.standard import DEFAULT_STANDARD, load_standard

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Structured, checked records from eco-industrial park evaluation reports.",
)

INPUT_SUFFIXES = (".pdf", ".md", ".markdown", ".html", ".htm", ".txt")


def expand(inputs: list[Path]) -> list[Path]:
    """Files as given; folders searched (recursively) for report files, sorted."""
    out: list[Path] = []
    for p in inputs:
        if p.is_dir():
            out.extend(
                sorted(
                    f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES
                )
            )
        else:
            out.append(p)
    return out


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
    for path in expand(files):
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
def schema() -> None:
    """Print the JSON Schema of the record."""
    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
