"""Writing results: one JSON record per input (atomically), a flat CSV dataset and a
Markdown audit summary of a run."""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from schemas.record import Report

DATASET_COLUMNS = (
    "source",
    "park",
    "report_year",
    "number",
    "name",
    "category",
    "unit",
    "mandatory",
    "assessed",
    "year",
    "column",
    "value",
    "text",
    "computed_pass",
    "claimed_pass",
    "page",
    "line",
)


def atomic_write(path: Path, data: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record_name(path: Path) -> str:
    """A file name for a record: the input's stem plus a short hash of its full path,
    so two inputs with one name in different folders never overwrite each other."""
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in path.stem)[:80]
    return f"{stem}.{digest}.json"


def write_record(report: Report, outdir: Path) -> Path:
    target = outdir / record_name(Path(report.source.path))
    atomic_write(target, report.model_dump_json(indent=2) + "\n")
    return target


def dataset_rows(reports: Iterable[Report]) -> Iterable[dict[str, object]]:
    for r in reports:
        for ind in r.indicators:
            for v in ind.values:
                yield {
                    "source": r.source.path,
                    "park": r.park.name,
                    "report_year": r.report_year,
                    "number": ind.number,
                    "name": ind.name,
                    "category": ind.category,
                    "unit": ind.unit,
                    "mandatory": ind.mandatory,
                    "assessed": ind.assessed,
                    "year": v.year,
                    "column": v.column,
                    "value": v.value,
                    "text": v.text,
                    "computed_pass": v.computed_pass,
                    "claimed_pass": ind.claimed_pass if v.year == r.report_year else None,
                    "page": v.provenance.page,
                    "line": v.provenance.line,
                }


def write_dataset(reports: Sequence[Report], path: Path) -> None:
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=DATASET_COLUMNS)
    writer.writeheader()
    writer.writerows(dataset_rows(reports))
    atomic_write(path, buf.getvalue())


def audit_markdown(reports: Sequence[Report]) -> str:
    lines = ["# ecopark audit", ""]
    for r in reports:
        v = r.verdict
        verdict = (
            "—"
            if v is None
            else {True: "meets", False: "fails", None: "undetermined"}[v.meets_standard]
        )
        lines += [
            f"## {r.park.name or Path(r.source.path).name} ({r.report_year or '?'})",
            "",
            f"- source: `{r.source.path}`",
            f"- status: {r.status}",
            f"- verdict: {verdict}" + (f" — {v.explanation}" if v else ""),
        ]
        lines += [f"- error ({e.stage}): {e.message}" for e in r.errors]
        for f in r.findings:
            where = f.evidence.get("page") or f.evidence.get("line")
            lines.append(
                f"- {f.severity} {f.kind}: {f.message}" + (f" (at {where})" if where else "")
            )
        lines.append("")
    return "\n".join(lines)


def verdict_note(report: Report) -> str:
    """What the verdict rests on, when it is not the standard's rules on confident cells."""
    v, dt = report.verdict, report.document_type
    notes = []
    if dt is not None and dt.kind != "hj274_2015_annual":
        notes.append(dt.label)
    if v is not None and v.basis == "printed_requirements":
        notes.append("printed requirements")
    if v is not None and v.needs_review:
        notes.append("needs review: " + ", ".join(f"#{c.indicator}" for c in v.needs_review))
    return f" ({'; '.join(notes)})" if notes else ""


def summary_line(report: Report) -> str:
    v = report.verdict
    verdict = (
        "-"
        if v is None
        else {True: "meets", False: "fails", None: "undetermined"}[v.meets_standard]
    )
    msg = f"; {report.errors[0].message}" if report.errors else ""
    verdict += verdict_note(report)
    return (
        f"{report.status:7} {Path(report.source.path).name}: "
        f"{len(report.indicators)} indicators, {len(report.figures)} figures, "
        f"{len(report.findings)} findings, verdict {verdict}{msg}"
    )
