"""Every sample PDF gives the record its hand-written truth describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark.pipeline import process
from tests.truth import compare, load_truth, truth_files

CASES = [p for p in truth_files() if p.with_name(p.name.replace(".truth.json", ".pdf")).exists()]


def test_there_are_samples() -> None:
    assert len(CASES) >= 13


@pytest.mark.parametrize("truth_path", CASES, ids=lambda p: p.name.split(".")[0])
def test_sample_record(truth_path: Path) -> None:
    pdf = truth_path.with_name(truth_path.name.replace(".truth.json", ".pdf"))
    report = process(pdf)
    diffs = compare(report, load_truth(truth_path))
    assert diffs == [], f"{len(diffs)} differences: {diffs[:15]}"
    assert report.status in ("ok", "partial")
    for ind in report.indicators:  # provenance on every value and claim cell
        for v in ind.values:
            assert v.provenance.page is not None and v.provenance.bbox is not None
        if ind.claim_provenance is not None:
            assert ind.claim_provenance.page is not None
    assert all(f.provenance.page is not None for f in report.figures)
    # The synthetic narratives agree with themselves; Changchun's has its two real
    # contradictions (rain and sewage pipes, 公里 vs 米).
    contradictions = sorted(
        f.evidence["subject"] for f in report.findings if f.kind == "inconsistent_figure"
    )
    expected = ["新建污水管线", "新建雨水管线"] if truth_path.name.startswith("changchun") else []
    assert contradictions == expected
