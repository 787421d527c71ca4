"""Verdict states (issue 13 item 5): a verdict is true/false only when every cell that
decides it is confident or confirmed by the report's own 是否达标; else null, with the
doubtful cells in verdict.needs_review and named in the explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark.pipeline import process
from schemas.checker import check, refresh_verdict
from schemas.record import Finding, Report
from schemas.standard import load_standard

SEED = Path(__file__).resolve().parent.parent / "samples" / "markdown" / "changchun_2018_report.md"
STD = load_standard()


def _seed() -> Report:
    r = process(SEED)
    assert r.verdict is not None and r.verdict.meets_standard is True
    return r


def _misread(r: Report, number: int, text: str, severity: str = "warning") -> Report:
    """What the OCR path makes of a scanned cell: the value as read, and a finding on it."""
    ind = r.indicator(number)
    assert ind is not None
    yv = next(v for v in ind.values if v.year == r.report_year)
    yv.text, yv.value = text, float(text)
    r.findings.append(
        Finding(
            severity=severity,  # type: ignore[arg-type]
            kind="low_confidence",
            indicator=number,
            message=f"#{number} {yv.column}: OCR read {text!r}; check the page crop "
            "(OCR confidence 0.61 below 0.9)",
            evidence={"source": "ocr", "column": yv.column, "text": text, "confidence": 0.61},
        )
    )
    return r


def test_misread_mandatory_cell_leaves_the_verdict_open_and_names_it() -> None:
    r = check(_misread(_seed(), 20, "10.0"), STD)  # 100 read as 10.0; the report says 是
    v = r.verdict
    assert v is not None and v.meets_standard is None
    assert [(c.indicator, c.year, c.finding_kind) for c in v.needs_review] == [
        (20, 2018, "low_confidence")
    ]
    assert "#20 2018年 '10.0'" in v.explanation and "doubtful" in v.explanation
    assert v.undetermined == [20]
    assert not v.mandatory_failed  # a doubtful cell does not fail the park either


def test_confirmed_doubtful_cell_still_decides() -> None:
    # read right, but with low confidence: the printed 是否达标 confirms it
    r = check(_misread(_seed(), 20, "100"), STD)
    assert r.verdict is not None and r.verdict.meets_standard is True
    assert r.verdict.needs_review == []


def test_info_findings_do_not_hold_a_verdict() -> None:
    r = check(_misread(_seed(), 20, "10.0", severity="info"), STD)
    assert r.verdict is not None and r.verdict.meets_standard is False
    assert r.verdict.mandatory_failed == [20]


def test_confident_failure_decides_despite_a_doubtful_cell() -> None:
    r = _misread(_seed(), 20, "10.0")
    ind = r.indicator(29)
    assert ind is not None
    yv = next(v for v in ind.values if v.year == 2018)
    yv.text, yv.value = "12.5", 12.5  # confidently below ≥15
    check(r, STD)
    assert r.verdict is not None and r.verdict.meets_standard is False
    assert r.verdict.mandatory_failed == [29] and r.verdict.needs_review == []


def test_unassessed_optional_cell_never_needs_review() -> None:
    r = check(_misread(_seed(), 1, "0.24"), STD)  # #1 is optional and not assessed
    assert r.verdict is not None and r.verdict.meets_standard is True


def test_refresh_verdict_sees_findings_added_after_check() -> None:
    # the pipeline's order for OCR'd pages: check, then the OCR checks (they need computed
    # results), then the verdict again
    r = _seed()
    ind = r.indicator(21)
    assert ind is not None
    r.findings.append(
        Finding(
            severity="warning",
            kind="implausible_value",
            indicator=21,
            message="#21 2018年: implausible",
            evidence={"column": "2018年"},
        )
    )
    ind.claimed_pass = None  # no 是否达标 to confirm it
    refresh_verdict(r, STD)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert [c.indicator for c in r.verdict.needs_review] == [21]


@pytest.mark.parametrize("kind", ["unparsed_value", "low_confidence"])
def test_row_level_doubt_covers_the_row(kind: str) -> None:
    r = _seed()
    r.findings.append(
        Finding(
            severity="warning",
            kind=kind,  # type: ignore[arg-type]
            indicator=30,
            message="indicator table: '重点企业环境信息公开' taken as #30 by its 序号 only",
            evidence={"label": "重点企业环境信息公开", "score": 60.0, "line": 125},
        )
    )
    r.indicator(30).claimed_pass = None  # type: ignore[union-attr]
    check(r, STD)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert [c.indicator for c in r.verdict.needs_review] == [30]


def test_dataset_and_report_show_basis_and_needs_review(tmp_path: Path) -> None:
    from ecopark.report import write_report
    from ecopark.store import rows_of

    r = check(_misread(_seed(), 20, "10.0"), STD)
    doc = rows_of(r).documents[0]
    assert doc["document_type"] == "hj274_2015_annual" and doc["verdict_basis"] == "standard"
    assert '"indicator": 20' in doc["needs_review"] and doc["meets_standard"] is None
    index = write_report(tmp_path, [r], STD)
    page = next((index.parent / "docs").glob("*.html")).read_text(encoding="utf-8")
    assert "basis: standard" in page and "needs review: #20 2018 (low_confidence)" in page


def test_doubt_on_the_pass_fail_row_touches_the_claim_not_the_value() -> None:
    r = _seed()
    ind = _misread(r, 20, "100").indicator(20)  # low confidence, confirmed by 是 …
    assert ind is not None
    r.findings.append(
        Finding(
            severity="warning",
            kind="low_confidence",
            indicator=20,
            message="pass/fail table: '是' taken as #20 by its 序号 only (label score 0)",
            evidence={"label": "是", "score": 0.0, "line": 999},  # … but that row is doubtful
        )
    )
    check(r, STD)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert [c.indicator for c in r.verdict.needs_review] == [20]
    # the same doubt with a confident value: the value decides, the claim is not needed
    r2 = _seed()
    r2.findings.append(r.findings[-1])
    check(r2, STD)
    assert r2.verdict is not None and r2.verdict.meets_standard is True
