"""Every sample PDF gives the record its hand-written truth describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark.pipeline import process
from schemas.record import Report
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


def test_pdf_and_markdown_give_the_same_record() -> None:
    """`ecopark extract report.pdf` gives the record the Markdown rendition gives: the
    Changchun report typeset as a PDF against the seed, everything but provenance."""
    root = Path(__file__).resolve().parent.parent
    md = process(root / "samples" / "markdown" / "changchun_2018_report.md")
    pdf = process(root / "samples" / "pdf" / "changchun_2018.pdf")

    def core(r: Report) -> dict[str, object]:
        park = r.park.model_dump(exclude={"provenance", "address"})
        return {
            "meta": (r.report_year, r.filled_on, r.standard, r.status),
            "park": park,
            "address": "".join((r.park.address or "").split()),
            "indicators": [
                (
                    i.number,
                    i.raw_name,
                    i.unit,
                    i.requirement,
                    i.assessed_text,
                    [(v.year, v.text, v.value, v.computed_pass) for v in i.values],
                    i.claimed_pass,
                    i.computed_pass,
                    i.rule,
                )
                for i in r.indicators
            ],
            "figures": [(f.key, f.value, f.unit, f.value_norm) for f in r.figures],
            "findings": sorted((f.kind, f.indicator or 0, f.message) for f in r.findings),
            "verdict": r.verdict.model_dump() if r.verdict else None,
        }

    assert core(pdf) == core(md)
