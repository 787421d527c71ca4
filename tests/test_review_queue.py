"""The review queue's order: what decides a verdict first."""

from __future__ import annotations

from types import SimpleNamespace

from ecopark.pipeline import process
from ecopark.review import queue
from schemas.record import Finding, Report, SourceInfo, StageError
from tests.conftest import SEED


def _seed() -> Report:
    r = process(SEED)
    r.source.sha256 = "a" * 64
    return r


def test_most_decisive_first() -> None:
    r = _seed()
    r.findings += [
        Finding(severity="warning", kind="claim_mismatch", indicator=2, message="m"),
        Finding(
            severity="warning",
            kind="unparsed_value",
            indicator=5,
            message="u",
            evidence={"column": "2018年"},
        ),
        Finding(
            severity="warning",
            kind="low_confidence",
            indicator=1,  # optional
            message="l1",
            evidence={"column": "2018年"},
        ),
        Finding(
            severity="warning",
            kind="low_confidence",
            indicator=29,  # mandatory: before the optional one
            message="l29",
            evidence={"column": "2016年"},
        ),
    ]
    # the standards' verdict states: a cell that decides the verdict but is doubtful
    r.__dict__["verdict"] = SimpleNamespace(
        needs_review=[SimpleNamespace(indicator=32, year=2018, reason="r", finding_kind=None)],
        meets_standard=None,
        explanation="",
    )
    failed = Report(
        source=SourceInfo(path="broken.pdf", sha256="b" * 64),
        status="failed",
        errors=[StageError(stage="read", message="damaged")],
    )
    items = queue.build([failed, r])
    order = [(c.field, c.ind.number if c.ind else None, c.reasons[0]["kind"]) for c in items]
    assert order == [
        ("value", 32, "needs_review"),
        ("value", 29, "low_confidence"),
        ("value", 1, "low_confidence"),
        ("value", 5, "unparsed_value"),
        ("value", 2, "claim_mismatch"),
        ("document", None, "failed"),
    ]
    assert items[1].yv is not None and items[1].yv.year == 2016  # the finding's column
    assert items[4].yv is not None and items[4].yv.year == r.report_year  # the judged value
    assert "damaged" in items[-1].reasons[0]["message"]
