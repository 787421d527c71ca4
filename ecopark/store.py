"""The dataset: records (JSON, one per document) → tidy DuckDB tables, and exports.

The JSON records under ``OUTDIR/records/`` are the source of truth; the database is
rebuilt from them into a temporary file and renamed over ``ecopark.duckdb``, so a reader
opening it — during a run or after a kill — always sees a whole database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ecopark.corrections import value_final
from schemas.record import Report
from schemas.text import key

DB_NAME = "ecopark.duckdb"
TABLES = (
    "documents",
    "indicator_values",
    "claims",
    "figures",
    "findings",
    "parks",
    "corrections",
)


@dataclass
class Duplicate:
    path: str
    sha256: str
    duplicate_of: str  # the source path of the first copy


@dataclass
class Rows:
    documents: list[dict[str, Any]] = field(default_factory=list)
    indicator_values: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "VARCHAR",
        "source": "VARCHAR",
        "sha256": "VARCHAR",
        "kind": "VARCHAR",
        "pages": "INTEGER",
        "status": "VARCHAR",
        "errors": "VARCHAR",
        "park": "VARCHAR",
        "park_id": "VARCHAR",
        "report_year": "INTEGER",
        "filled_on": "VARCHAR",
        "standard": "VARCHAR",
        "meets_standard": "BOOLEAN",
        "verdict": "VARCHAR",
        "indicators": "INTEGER",
        "findings": "INTEGER",
        "ecopark_version": "VARCHAR",
        "duplicate_of": "VARCHAR",
        "document_type": "VARCHAR",
        "verdict_basis": "VARCHAR",
        "needs_review": "VARCHAR",
        "corrected_cells": "INTEGER",
    },
    "indicator_values": {
        "doc_id": "VARCHAR",
        "park": "VARCHAR",
        "park_id": "VARCHAR",
        "report_year": "INTEGER",
        "number": "INTEGER",
        "name": "VARCHAR",
        "category": "VARCHAR",
        "unit": "VARCHAR",
        "mandatory": "BOOLEAN",
        "assessed": "BOOLEAN",
        "year": "INTEGER",
        "column": "VARCHAR",
        "value": "DOUBLE",
        "value_corrected": "DOUBLE",
        "value_final": "DOUBLE",
        "corrected_by": "VARCHAR",
        "unreadable": "BOOLEAN",
        "text": "VARCHAR",
        "computed_pass": "BOOLEAN",
        "page": "INTEGER",
        "bbox": "DOUBLE[]",
        "line": "INTEGER",
    },
    "claims": {
        "doc_id": "VARCHAR",
        "park": "VARCHAR",
        "park_id": "VARCHAR",
        "report_year": "INTEGER",
        "number": "INTEGER",
        "name": "VARCHAR",
        "mandatory": "BOOLEAN",
        "assessed": "BOOLEAN",
        "claimed_pass": "BOOLEAN",
        "claim_text": "VARCHAR",
        "computed_pass": "BOOLEAN",
        "rule": "VARCHAR",
        "page": "INTEGER",
    },
    "figures": {
        "doc_id": "VARCHAR",
        "park": "VARCHAR",
        "park_id": "VARCHAR",
        "key": "VARCHAR",
        "label": "VARCHAR",
        "value": "DOUBLE",
        "unit": "VARCHAR",
        "value_norm": "DOUBLE",
        "unit_norm": "VARCHAR",
        "year": "INTEGER",
        "page": "INTEGER",
        "line": "INTEGER",
        "text": "VARCHAR",
    },
    "findings": {
        "doc_id": "VARCHAR",
        "scope": "VARCHAR",
        "park": "VARCHAR",
        "park_id": "VARCHAR",
        "report_year": "INTEGER",
        "severity": "VARCHAR",
        "kind": "VARCHAR",
        "indicator": "INTEGER",
        "message": "VARCHAR",
        "evidence": "VARCHAR",
    },
    "parks": {
        "park_id": "VARCHAR",
        "name": "VARCHAR",
        "names": "VARCHAR[]",
        "address": "VARCHAR",
        "level": "VARCHAR",
        "type": "VARCHAR",
        "region": "VARCHAR",
        "documents": "INTEGER",
        "years": "INTEGER[]",
    },
    # OUTDIR/corrections.jsonl, every line (ecopark/corrections.py); in_force marks the
    # latest correction of each cell.
    "corrections": {
        "doc_id": "VARCHAR",
        "seq": "INTEGER",
        "indicator": "INTEGER",
        "year": "INTEGER",
        "column": "VARCHAR",
        "field": "VARCHAR",
        "action": "VARCHAR",
        "printed": "VARCHAR",
        "new": "VARCHAR",
        "note": "VARCHAR",
        "who": "VARCHAR",
        "at": "VARCHAR",
        "in_force": "BOOLEAN",
    },
}


def park_id(name: str | None) -> str | None:
    """Names reconciled across reports: one key for spacing, punctuation and radicals."""
    return key(name) or None if name else None


def doc_id(report: Report) -> str:
    return report.source.sha256 or f"path:{report.source.path}"


def rows_of(report: Report) -> Rows:
    """The tidy rows of one record."""
    d, park, pid, year = (
        doc_id(report),
        report.park.name,
        park_id(report.park.name),
        report.report_year,
    )
    base = {"doc_id": d, "park": park, "park_id": pid}
    v = report.verdict
    rows = Rows()
    rows.documents.append(
        {
            "doc_id": d,
            "source": report.source.path,
            "sha256": report.source.sha256,
            "kind": report.source.kind,
            "pages": report.source.pages,
            "status": report.status,
            "errors": json.dumps([e.model_dump() for e in report.errors], ensure_ascii=False),
            "park": park,
            "park_id": pid,
            "report_year": year,
            "filled_on": report.filled_on,
            "standard": report.standard,
            "meets_standard": v.meets_standard if v else None,
            "verdict": v.explanation if v else None,
            "indicators": len(report.indicators),
            "findings": len(report.findings),
            "ecopark_version": report.ecopark_version,
            "duplicate_of": None,
            # added by the standards work: what the document is, what the verdict rests on,
            # and the doubtful cells that keep it open (JSON list of ReviewCell)
            "document_type": report.document_type.kind if report.document_type else None,
            "verdict_basis": v.basis if v else None,
            "needs_review": json.dumps(
                [c.model_dump() for c in v.needs_review] if v else [], ensure_ascii=False
            ),
            "corrected_cells": sum(
                v.corrected_by is not None for i in report.indicators for v in i.values
            )
            + sum(i.claim_corrected_by is not None for i in report.indicators)
            + len(report.park.corrected),
        }
    )
    for ind in report.indicators:
        for yv in ind.values:
            rows.indicator_values.append(
                {
                    **base,
                    "report_year": year,
                    "number": ind.number,
                    "name": ind.name,
                    "category": ind.category,
                    "unit": ind.unit,
                    "mandatory": ind.mandatory,
                    "assessed": ind.assessed,
                    "year": yv.year,
                    "column": yv.column,
                    "value": yv.value,  # as printed
                    "value_corrected": yv.value_corrected,
                    "value_final": value_final(yv),
                    "corrected_by": yv.corrected_by,
                    "unreadable": yv.unreadable,
                    "text": yv.text,
                    "computed_pass": yv.computed_pass,
                    "page": yv.provenance.page,
                    "bbox": list(yv.provenance.bbox) if yv.provenance.bbox else None,
                    "line": yv.provenance.line,
                }
            )
        rows.claims.append(
            {
                **base,
                "report_year": year,
                "number": ind.number,
                "name": ind.name,
                "mandatory": ind.mandatory,
                "assessed": ind.assessed,
                "claimed_pass": ind.claimed_pass,
                "claim_text": ind.claim_text,
                "computed_pass": ind.computed_pass,
                "rule": ind.rule,
                "page": ind.claim_provenance.page if ind.claim_provenance else None,
            }
        )
    for f in report.figures:
        rows.figures.append(
            {
                **base,
                "key": f.key,
                "label": f.label,
                "value": f.value,
                "unit": f.unit,
                "value_norm": f.value_norm,
                "unit_norm": f.unit_norm,
                "year": f.year,
                "page": f.provenance.page,
                "line": f.provenance.line,
                "text": f.text,
            }
        )
    for fd in report.findings:
        rows.findings.append(
            {
                **base,
                "scope": "document",
                "report_year": year,
                "severity": fd.severity,
                "kind": fd.kind,
                "indicator": fd.indicator,
                "message": fd.message,
                "evidence": json.dumps(fd.evidence, ensure_ascii=False),
            }
        )
    return rows


def _parks(reports: Sequence[Report]) -> list[dict[str, Any]]:
    groups: dict[str, list[Report]] = {}
    for r in reports:
        pid = park_id(r.park.name)
        if pid:
            groups.setdefault(pid, []).append(r)
    out = []
    for pid, rs in sorted(groups.items()):
        latest = max(rs, key=lambda r: r.report_year or 0)
        out.append(
            {
                "park_id": pid,
                "name": latest.park.name,
                "names": sorted({r.park.name for r in rs if r.park.name}),
                "address": latest.park.address,
                "level": latest.park.level,
                "type": latest.park.type,
                "region": latest.park.region,
                "documents": len(rs),
                "years": sorted({r.report_year for r in rs if r.report_year}),
            }
        )
    return out


def _create(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    cols = COLUMNS[table]
    ddl = ", ".join(f'"{c}" {t}' for c, t in cols.items())
    con.execute(f'CREATE TABLE "{table}" ({ddl})')
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=list(cols))
    con.register("frame", frame)
    names = ", ".join(f'"{c}"' for c in cols)
    con.execute(f'INSERT INTO "{table}" SELECT {names} FROM frame')
    con.unregister("frame")


def build_database(
    outdir: Path,
    reports: Sequence[Report],
    duplicates: Iterable[Duplicate] = (),
    dataset_findings: Iterable[dict[str, Any]] = (),
    corrections: Iterable[dict[str, Any]] = (),
) -> Path:
    """Write the whole database to a temporary file, then rename it into place."""
    rows = Rows()
    for r in reports:
        one = rows_of(r)
        for name in ("documents", "indicator_values", "claims", "figures", "findings"):
            getattr(rows, name).extend(getattr(one, name))
    by_sha = {r.source.sha256: r for r in reports}
    for dup in duplicates:
        first = by_sha.get(dup.sha256)
        rows.documents.append(
            {
                **{c: None for c in COLUMNS["documents"]},
                "doc_id": f"dup:{dup.path}",
                "source": dup.path,
                "sha256": dup.sha256,
                "status": "duplicate",
                "duplicate_of": dup.duplicate_of,
                "park": first.park.name if first else None,
                "park_id": park_id(first.park.name) if first else None,
                "report_year": first.report_year if first else None,
            }
        )
    rows.findings.extend(dataset_findings)
    target = outdir / DB_NAME
    for stale in outdir.glob(f".{DB_NAME}.*.tmp*"):  # left by a run that was killed
        stale.unlink(missing_ok=True)
    tmp = outdir / f".{DB_NAME}.{os.getpid()}.tmp"
    con = duckdb.connect(str(tmp))
    try:
        for name in ("documents", "indicator_values", "claims", "figures", "findings"):
            _create(con, name, getattr(rows, name))
        _create(con, "parks", _parks(reports))
        _create(con, "corrections", list(corrections))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, target)
    Path(f"{tmp}.wal").unlink(missing_ok=True)
    return target


def export(outdir: Path, fmt: str) -> list[Path]:
    """Every table of the database as Parquet or CSV under OUTDIR/export/."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    dest = outdir / "export"
    dest.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(outdir / DB_NAME), read_only=True)
    written = []
    try:
        for table in TABLES:
            path = dest / f"{table}.{fmt}"
            tmp = dest / f".{table}.{fmt}.tmp"
            opts = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
            con.execute(f"COPY \"{table}\" TO '{tmp}' {opts}")
            os.replace(tmp, path)
            written.append(path)
    finally:
        con.close()
    return written
