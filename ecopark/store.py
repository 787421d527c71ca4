"""The dataset: records (JSON, one per document) → tidy DuckDB tables, and exports.

The JSON records under ``OUTDIR/records/`` are the source of truth. A run keeps a working
copy of the database (``.ecopark.work.duckdb``, under the run's lock) and updates it
incrementally: the rows of each new record are appended, those of a replaced or retired
record deleted. At checkpoints the working copy is copied to a temporary file that is
renamed over ``ecopark.duckdb``; at the end the working copy itself is renamed into
place. A reader opening ``ecopark.duckdb`` — during a run or after a kill — always sees
a whole database.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ecopark.state import temp_path, write_error
from schemas.text import key

if TYPE_CHECKING:
    import pandas as pd

    from schemas.record import Report

# pandas (the frames DuckDB appends from) and the corrections are imported where rows
# are written: reading the database's state on a resume needs neither.

DB_NAME = "ecopark.duckdb"
WORK_NAME = ".ecopark.work.duckdb"
TABLES = (
    "documents",
    "indicator_values",
    "claims",
    "figures",
    "findings",
    "parks",
    "history",
    "corrections",
)
# The run's working database may hold this much in DuckDB's buffers (beyond it DuckDB
# evicts to the database file or spills to disk). Checkpoints otherwise take what they
# may (80 % of RAM by default): at 10,000 documents the run's process peaked ~90 MB
# higher without a limit than with this one; 18,000 documents and a rebuild of all of
# them run within it.
WORK_MEMORY = "64MB"
# Tables with rows per document, deleted and appended by doc_id.
PER_DOC = ("documents", "indicator_values", "claims", "figures", "findings")


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
        "park_address": "VARCHAR",
        "park_level": "VARCHAR",
        "park_type": "VARCHAR",
        "park_region": "VARCHAR",
        "recorded_at": "TIMESTAMP",  # the record file's time: how a resume sees it is current
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
    # Records of inputs whose file was replaced by other content: kept, not current.
    "history": {
        "source": "VARCHAR",
        "sha256": "VARCHAR",
        "status": "VARCHAR",
        "park": "VARCHAR",
        "report_year": "INTEGER",
        "ecopark_version": "VARCHAR",
        "replaced_by": "VARCHAR",
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
    from ecopark.corrections import value_final

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
            "park_address": report.park.address,
            "park_level": report.park.level,
            "park_type": report.park.type,
            "park_region": report.park.region,
            "recorded_at": None,  # set by the writer once the record file exists
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


_PARKS_SQL = """
SELECT park_id,
       first(park ORDER BY coalesce(report_year, 0) DESC, doc_id) AS name,
       coalesce(list(DISTINCT park ORDER BY park) FILTER (WHERE park IS NOT NULL), []),
       first(park_address ORDER BY coalesce(report_year, 0) DESC, doc_id),
       first(park_level ORDER BY coalesce(report_year, 0) DESC, doc_id),
       first(park_type ORDER BY coalesce(report_year, 0) DESC, doc_id),
       first(park_region ORDER BY coalesce(report_year, 0) DESC, doc_id),
       count(*),
       coalesce(list(DISTINCT report_year ORDER BY report_year)
                FILTER (WHERE report_year IS NOT NULL AND report_year <> 0), [])
FROM documents WHERE status <> 'duplicate' AND park_id IS NOT NULL
GROUP BY park_id ORDER BY park_id
"""


def _connect_work(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), config={"memory_limit": WORK_MEMORY})


def _ddl(con: duckdb.DuckDBPyConnection, table: str) -> None:
    ddl = ", ".join(f'"{c}" {t}' for c, t in COLUMNS[table].items())
    con.execute(f'CREATE TABLE "{table}" ({ddl})')


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    import pandas as pd

    cols = COLUMNS[table]
    frame = pd.DataFrame(rows, columns=list(cols))
    con.register("frame", frame)
    names = ", ".join(
        f'make_timestamp(CAST("{c}" AS BIGINT))' if t == "TIMESTAMP" else f'"{c}"'
        for c, t in cols.items()
    )
    con.execute(f'INSERT INTO "{table}" SELECT {names} FROM frame')
    con.unregister("frame")


def _strings(name: str, values: Sequence[str]) -> pd.DataFrame:
    """A one-column frame DuckDB reads as VARCHAR even when it is empty."""
    import pandas as pd

    return pd.DataFrame({name: pd.array(list(values), dtype="string")})


@dataclass(frozen=True)
class DocState:
    """What the database holds for one record: enough to decide a resume without
    reading the record."""

    source: str
    status: str
    ecopark_version: str | None
    recorded_us: int | None


@dataclass
class DbState:
    docs: dict[str, DocState]  # doc_id → state (not the duplicate rows)
    duplicates: set[tuple[str, str | None]]  # (source, duplicate_of)


def read_state(db: Path) -> DbState | None:
    """The published database's documents, or None when it is missing, not a DuckDB
    database, or lacks a table or column this version writes."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except (duckdb.Error, OSError):
        return None
    try:
        have = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
        want = {(t, c) for t, cols in COLUMNS.items() for c in cols}
        if not want <= set(have):
            return None
        rows = con.execute(
            "SELECT doc_id, source, status, ecopark_version, epoch_us(recorded_at), "
            "duplicate_of FROM documents"
        ).fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    state = DbState({}, set())
    for d, source, status, version, us, dup_of in rows:
        if status == "duplicate":
            state.duplicates.add((source, dup_of))
        else:
            state.docs[d] = DocState(source, status, version, us)
    return state


class Dataset:
    """The working copy of the database a run updates incrementally (see the module)."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.target = outdir / DB_NAME
        self.work = outdir / WORK_NAME
        self.con: duckdb.DuckDBPyConnection | None = None
        self._add: dict[str, Rows] = {}
        self._drop: set[str] = set()
        self.touched_parks: set[str] = set()

    def open(self, fresh: bool) -> None:
        """Start from the published database (``fresh``: from an empty one)."""
        for stale in (self.work, Path(f"{self.work}.wal")):
            stale.unlink(missing_ok=True)  # a killed run's: the lock says it is not live
        try:
            if not fresh and self.target.exists():
                shutil.copyfile(self.target, self.work)
                self.con = _connect_work(self.work)
            else:
                self.con = _connect_work(self.work)
                for table in TABLES:
                    _ddl(self.con, table)
        except OSError as err:
            raise write_error(self.work, err) from err

    def add(self, doc: str, rows: Rows) -> None:
        self._add[doc] = rows
        self._drop.discard(doc)
        park = rows.documents[0].get("park_id") if rows.documents else None
        if park:
            self.touched_parks.add(park)

    def drop(self, doc: str) -> None:
        self._add.pop(doc, None)
        self._drop.add(doc)

    @property
    def pending(self) -> int:
        return len(self._add) + len(self._drop)

    def flush(self) -> None:
        """Apply the added and dropped documents in one transaction."""
        con = self.con
        assert con is not None
        ids = sorted(self._drop | set(self._add))
        if not ids:
            return
        con.execute("BEGIN")
        con.register("ids", _strings("doc_id", ids))
        gone = con.execute(
            "SELECT DISTINCT park_id FROM documents WHERE park_id IS NOT NULL "
            "AND doc_id IN (SELECT doc_id FROM ids)"
        ).fetchall()
        self.touched_parks |= {p for (p,) in gone}
        for table in PER_DOC:
            scope = " AND scope = 'document'" if table == "findings" else ""
            con.execute(f'DELETE FROM "{table}" WHERE doc_id IN (SELECT doc_id FROM ids){scope}')
        con.unregister("ids")
        for table in PER_DOC:
            _insert(con, table, [row for r in self._add.values() for row in getattr(r, table)])
        con.execute("COMMIT")
        self._add.clear()
        self._drop.clear()

    def derive(
        self,
        duplicates: Sequence[Duplicate],
        history: Sequence[dict[str, Any]],
        dataset_findings: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        """Duplicate rows, parks and history from the documents now in the database;
        with ``dataset_findings`` (the touched parks' and the duplicates'), those too."""
        con = self.con
        assert con is not None
        self.flush()
        con.execute("BEGIN")
        con.execute("DELETE FROM documents WHERE status = 'duplicate'")
        if duplicates:
            import pandas as pd

            frame = pd.DataFrame(
                [(d.path, d.sha256, d.duplicate_of) for d in duplicates],
                columns=["path", "sha", "dup_of"],
            )
            con.register("dups", frame)
            con.execute(
                "INSERT INTO documents (doc_id, source, sha256, status, duplicate_of, park, "
                "park_id, report_year) SELECT 'dup:' || path, path, sha, 'duplicate', dup_of, "
                "d.park, d.park_id, d.report_year FROM dups LEFT JOIN documents d "
                "ON d.doc_id = dups.sha AND d.status <> 'duplicate'"
            )
            con.unregister("dups")
        con.execute("DELETE FROM parks")
        con.execute(f"INSERT INTO parks {_PARKS_SQL}")
        con.execute("DELETE FROM history")
        _insert(con, "history", list(history))
        if dataset_findings is not None:
            con.register("touched", _strings("park_id", sorted(self.touched_parks)))
            con.execute(
                "DELETE FROM findings WHERE scope = 'dataset' AND (kind = 'duplicate_document' "
                "OR park_id IN (SELECT park_id FROM touched) "
                "OR doc_id NOT IN (SELECT doc_id FROM documents))"
            )
            con.unregister("touched")
            _insert(con, "findings", list(dataset_findings))
            self.touched_parks.clear()
        con.execute("COMMIT")

    def groups(self, parks: Iterable[str]) -> list[list[str]]:
        """The doc_ids of each given park that has two or more current documents."""
        con = self.con
        assert con is not None
        wanted = sorted(set(parks))
        if not wanted:
            return []
        con.register("wanted", _strings("park_id", wanted))
        rows = con.execute(
            "SELECT list(doc_id ORDER BY doc_id) FROM documents WHERE status <> 'duplicate' "
            "AND park_id IN (SELECT park_id FROM wanted) GROUP BY park_id "
            "HAVING count(*) >= 2 ORDER BY park_id"
        ).fetchall()
        con.unregister("wanted")
        return [list(r[0]) for r in rows]

    def first_copies(self, shas: Iterable[str]) -> dict[str, tuple[str, str | None, int | None]]:
        """sha → (source, park, report_year) of the recorded document with that content."""
        con = self.con
        assert con is not None
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        con.register("wanted", _strings("sha", wanted))
        rows = con.execute(
            "SELECT doc_id, source, park, report_year FROM documents WHERE status <> "
            "'duplicate' AND doc_id IN (SELECT sha FROM wanted)"
        ).fetchall()
        con.unregister("wanted")
        return {d: (src, park, year) for d, src, park, year in rows}

    def publish(self, final: bool = False) -> None:
        """Make the working copy the published database: a copy renamed into place at a
        checkpoint, the working copy itself at the end."""
        con = self.con
        assert con is not None
        self.flush()
        self._corrections(con)
        con.execute("CHECKPOINT")
        con.close()
        self.con = None
        try:
            if final:
                os.replace(self.work, self.target)
                return
            tmp = temp_path(self.target)
            try:
                shutil.copyfile(self.work, tmp)
                os.replace(tmp, self.target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        except OSError as err:
            raise write_error(self.target, err) from err
        finally:
            if not final:
                self.con = _connect_work(self.work)

    def _corrections(self, con: duckdb.DuckDBPyConnection) -> None:
        """The corrections table: every line of OUTDIR/corrections.jsonl, as it is now."""
        from ecopark import corrections  # the review loop's log, read at each publish

        con.execute('DELETE FROM "corrections"')
        _insert(con, "corrections", corrections.rows(corrections.load(self.outdir)))

    def close(self) -> None:
        """Drop the working copy (a run that stops early; the published one stays)."""
        if self.con is not None:
            self.con.close()
            self.con = None
        for f in (self.work, Path(f"{self.work}.wal")):
            f.unlink(missing_ok=True)
