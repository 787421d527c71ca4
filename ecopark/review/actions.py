"""A correction end to end, for ``ecopark correct`` and the review app alike: find the
document, log the correction, re-judge and rewrite its record, rebuild the dataset (and
the static report when asked)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ecopark import batch, corrections
from ecopark.corrections import Action, Correction, CorrectionError
from ecopark.outputs import atomic_write
from schemas.record import Report
from schemas.standard import DEFAULT_STANDARD, Standard, load_standard


@dataclass(frozen=True)
class Applied:
    key: str  # the record's file stem
    correction: Correction
    report: Report  # the record as rewritten


def resolve(outdir: Path, sha_prefix: str) -> tuple[str, Report]:
    """The record whose content hash starts with ``sha_prefix`` (unique)."""
    prefix = sha_prefix.strip().lower()
    if len(prefix) < 4:
        raise CorrectionError("--doc needs at least 4 characters of the document's sha256")
    hits = [
        (k, r)
        for k, r in batch.load_records(outdir).items()
        if (r.source.sha256 or "").startswith(prefix)
    ]
    if not hits:
        raise CorrectionError(f"no document in {outdir} has a sha256 starting with {prefix}")
    if len(hits) > 1:
        names = ", ".join(r.source.path for _, r in hits[:5])
        raise CorrectionError(f"{prefix} is ambiguous: {names}")
    return hits[0]


def rejudge(outdir: Path, key: str, standard: Standard | None = None) -> Report:
    """Apply every correction of record ``key`` and rewrite it atomically."""
    path = batch.record_path(outdir, key)
    report = batch.load_record(path)
    if report is None:
        raise CorrectionError(f"record {key} is missing or unreadable")
    fixed = corrections.apply(report, corrections.load(outdir), standard)
    atomic_write(path, fixed.model_dump_json(indent=1) + "\n")
    return fixed


def correct(
    outdir: Path,
    sha_prefix: str,
    *,
    indicator: int | None,
    field: str,
    year: int | None = None,
    column: str | None = None,
    action: Action = "correct",
    new: str | float | bool | None = None,
    note: str = "",
    who: str | None = None,
    standard: Standard | None = None,
    reason: str | None = None,
) -> Applied:
    key, report = resolve(outdir, sha_prefix)
    c = corrections.make(
        report,
        indicator=indicator,
        field=field,
        year=year,
        column=column,
        action=action,
        new=new,
        note=note,
        who=who,
        reason=reason,
    )
    corrections.append(outdir, c)
    return Applied(key, c, rejudge(outdir, key, standard))


def refresh(outdir: Path, html: bool = True, standard: Standard | None = None) -> Path | None:
    """Rebuild ecopark.duckdb (and the report): both read the rewritten records."""
    batch.write_dataset(outdir)
    if not html:
        return None
    from ecopark.report import write_report

    records = batch.load_records(outdir)
    dups = batch.duplicates(outdir, records)
    return write_report(
        outdir,
        list(records.values()),
        standard or load_standard(DEFAULT_STANDARD),
        duplicates=len(dups),
    )
