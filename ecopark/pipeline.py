"""One document through the stages: read → recover → normalise → check.

Every stage's failure becomes an error item on the record and a status, never an
exception out of here (Docling's ConversionStatus, without its class hierarchy).
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ecopark.version import ECOPARK_VERSION as ECOPARK_VERSION  # re-exported
from extract.errors import ReadError
from extract.limits import ReadLimits
from extract.raw import RawReport
from extract.read import read_source
from extract.read.layout.triage import format_pages
from extract.recover import recover
from extract.source import SourceDoc
from normalize.doctype import not_a_report
from normalize.ocr_checks import add_ocr_findings
from normalize.plan import CheckPlan, plan_check
from normalize.record import build_report
from normalize.script import to_simplified
from schemas.checker import CheckSettings, check, refresh_verdict
from schemas.record import Finding, Report, SourceInfo, StageError, Status
from schemas.standard import DEFAULT_STANDARD, Standard, load_standard

T = TypeVar("T")


def sha256_of(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # a pipe would block; the reader says what it is
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _failed(report: Report, stage: str, message: str) -> Report:
    report.status = "failed"
    report.errors.append(StageError(stage=stage, message=message))
    return report


def _stage(report: Report, name: str, fn: Callable[[], T]) -> T | None:
    try:
        return fn()
    except ReadError as err:
        _failed(report, name, str(err))
    except Exception as err:  # a bug must cost one record, not the batch
        _failed(report, name, f"internal error: {type(err).__name__}: {err}")
    return None


def _missing_parts(raw: RawReport) -> list[str]:
    """What a report should have and this one does not: said, not just implied."""
    kinds = {t.kind for t in raw.tables}
    out = []
    if "indicators" not in kinds:
        out.append("no indicator table (附件一 对照考核表) found")
    if "claims" not in kinds and not any(c.role == "claim" for t in raw.tables for c in t.columns):
        out.append("no pass/fail table (标准达标情况) found")
    if not raw.basic_info:
        out.append("no basic-information table (信息公开表) found")
    return out


def _holds_a_report(raw: RawReport) -> bool:
    return bool(raw.tables or raw.basic_info or raw.title_year)


def process(
    path: Path,
    standard: Standard | None = None,
    settings: CheckSettings | None = None,
    limits: ReadLimits | None = None,
    hash_file: bool = True,
) -> Report:
    """The whole record for one file; status ok, partial or failed with its errors.
    ``hash_file=False`` leaves ``source.sha256`` to a caller that has hashed the file.
    The standard asked for is ``settings.standard``, else ``standard``'s id, else detected."""
    report = Report(
        ecopark_version=ECOPARK_VERSION,
        source=SourceInfo(path=str(path), sha256=sha256_of(path) if hash_file else None),
    )
    requested = (settings.standard if settings else None) or (standard.id if standard else None)
    try:
        load_standard(requested or DEFAULT_STANDARD)
    except KeyError as err:
        return _failed(report, "check", str(err.args[0]))
    doc: SourceDoc | None = _stage(report, "read", lambda: read_source(path, limits))
    if doc is None:
        return report
    report.source.kind, report.source.pages = doc.kind, doc.pages
    read_doc = doc
    simplified = _stage(report, "normalize", lambda: to_simplified(read_doc))
    if simplified is not None:
        doc = simplified
    raw = _stage(report, "extract", lambda: recover(doc))
    if raw is None:
        return report
    if not _holds_a_report(raw):
        for warning in raw.warnings:  # why there was nothing to find, when the reader knows
            report.errors.append(StageError(stage="read", message=warning))
        if doc.ocr_pages:
            report.errors.append(
                StageError(
                    stage="read",
                    message=(
                        f"pages {format_pages(doc.ocr_pages)} have no text layer; what OCR read "
                        "there is not a park report"
                    ),
                )
            )
        report.document_type = not_a_report(
            "no indicator table, basic-information table or report title"
        )
        return _failed(
            report,
            "extract",
            "no report found: no indicator table, basic-"
            "information table or report title in this document",
        )
    plan: CheckPlan | None = _stage(report, "normalize", lambda: plan_check(raw, requested))
    if plan is None:
        return report
    built = _stage(report, "normalize", lambda: build_report(raw, report.source, plan.map_onto))
    if built is None:
        return report
    plan.apply(built)
    built.ecopark_version = ECOPARK_VERSION
    for warning in raw.warnings:
        built.errors.append(StageError(stage="read", message=warning))
    other = built.document_type is not None and built.document_type.kind == "other_programme"
    for message in [] if other else _missing_parts(raw):  # HJ 274 report parts
        built.errors.append(StageError(stage="extract", message=message))
    if _stage(built, "check", lambda: check(built, plan.check_against, settings)) is None:
        return built
    if doc.ocr_pages:
        built.findings.append(
            Finding(
                severity="info",
                kind="low_confidence",
                message=f"pages {format_pages(doc.ocr_pages)} have no usable text layer and were "
                "read by OCR; cells below the confidence threshold are flagged one by one",
                evidence={"pages": doc.ocr_pages},
            )
        )
        ocr_doc = doc
        _stage(built, "check", lambda: add_ocr_findings(built, ocr_doc.tables))
        # the OCR checks need computed results, and the verdict must see their findings
        _stage(built, "check", lambda: refresh_verdict(built, plan.check_against, settings))
    built.status = _status(built)
    return built


def _status(report: Report) -> Status:
    if report.status == "failed":
        return "failed"
    incomplete = (
        report.errors
        or not report.indicators
        or report.report_year is None
        or any(f.kind == "missing_indicator" for f in report.findings)
    )
    return "partial" if incomplete else "ok"
