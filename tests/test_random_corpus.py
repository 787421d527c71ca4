"""The fixed subset of the randomised corpus (issue 12), scored in the suite.

tests/corpus/random/ holds the documents of ``--seed 2026 --count 40`` (text families:
docx→LibreOffice, HTML→Chromium, reportlab, three converter-Markdown flavours), made by
samples/generate/random_corpus.py and committed so CI needs neither LibreOffice nor fonts.
Regenerate with tests/corpus/random/README.md's command; never edit a file there.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from benchmarks.accuracy_score import perfect_record, score_doc
from benchmarks.bench_accuracy import documents, extract_all

CORPUS = Path(__file__).resolve().parent / "corpus" / "random"
SEED, COUNT = 2026, 40

# Floors: what main's code achieves on this subset (cells 99.3 %, claims 98.3 %, figures
# 100 %, no confident-wrong cell after the borderless columns and headers work), rounded
# down. Issue 12's
# target is 99.5 % cells and claims and 99 % figures: raise the floors as the table
# recovery improves, never lower them. Confident-wrong cells are zero and stay zero.
FLOOR_CELLS = 99.0
FLOOR_CLAIMS = 98.0
FLOOR_FIGURES = 100.0


def truths() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.truth.json"))]


def test_subset_is_complete() -> None:
    ts = truths()
    assert len(ts) == COUNT
    producers = {t["layout"]["producer"] for t in ts}
    assert producers == {"docx", "html", "reportlab", "md_tsv", "md_docling", "md_mineru"}
    for t in ts:
        stem = CORPUS / t["id"]
        assert stem.with_suffix(".pdf").exists() or stem.with_suffix(".md").exists()
        if t["layout"]["producer"] == "docx":
            assert stem.with_suffix(".docx").exists()


def test_truth_is_the_generators() -> None:
    """Each committed truth is what the generator draws for its seed and index today."""
    from samples.generate.random_corpus import build

    for t in truths():
        i = int(t["id"].rsplit("_", 1)[1])
        again, _, _ = build(SEED, i)
        assert json.loads(json.dumps(again, ensure_ascii=False)) == t, t["id"]


def test_printed_cell_reads_as_its_truth() -> None:
    """Every value cell as printed (``display``) reads back as the truth's value: a number
    after NFKC with its unit or % stripped, a qualitative value as its words."""
    from benchmarks.accuracy_score import parse_num

    for t in truths():
        for ind in t["indicators"]:
            for y, v in ind["values"].items():
                shown = unicodedata.normalize("NFKC", ind["display"][y])
                if isinstance(v, str):
                    assert shown == v, (t["id"], ind["number"], y)
                else:
                    number = re.sub(r"[^\d.]+$", "", shown)
                    assert parse_num(number) == float(v), (t["id"], ind["number"], y, shown)
            for y in t["not_applicable"].get(str(ind["number"]), []):
                assert parse_num(ind["display"][y]) is None, (t["id"], ind["number"], y)


def test_markdown_documents_regenerate_byte_for_byte(tmp_path: Path) -> None:
    from samples.generate.random_corpus import build, render

    md = [t for t in truths() if t["layout"]["producer"].startswith("md_")][:4]
    assert md
    for t in md:
        truth, blocks, style = build(SEED, int(t["id"].rsplit("_", 1)[1]))
        render(truth, blocks, style, tmp_path)
        name = f"{t['id']}.md"
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes()


def test_scorer_counts_a_perfect_record_perfect_and_a_wrong_one_less() -> None:
    for t in truths():
        rec = perfect_record(t)
        r, miss = score_doc(t, rec)
        assert not miss, (t["id"], miss[:3])
        for k in ("cells", "claims", "figures", "park", "year", "errors"):
            assert r[k][0] == r[k][1], (t["id"], k)
        assert r["false_alarms"][0] == 0 and r["confident_wrong"][0] == 0
    t = next(t for t in truths() if t["injected_errors"] and t.get("not_applicable"))
    ind = next(
        i for i in t["indicators"] if any(isinstance(v, float) for v in i["values"].values())
    )
    y = next(y for y, v in ind["values"].items() if isinstance(v, float))
    wrong = copy.deepcopy(perfect_record(t))
    entry = next(e for e in wrong["indicators"] if e["number"] == ind["number"])
    cell = next(v for v in entry["values"] if str(v["year"]) == y)
    cell["value"] = cell["value"] + 1
    cell["text"] = str(cell["value"])
    r, _ = score_doc(t, wrong)
    assert r["cells"][0] == r["cells"][1] - 1
    assert r["confident_wrong"][0] == 1  # wrong, and no finding names the indicator
    wrong["findings"].append({"kind": "low_confidence", "indicator": ind["number"]})
    r, _ = score_doc(t, wrong)
    assert r["cells"][0] == r["cells"][1] - 1 and r["confident_wrong"][0] == 0
    # a claim audit on an indicator without an injected error is a false alarm; a missing
    # audit on an injected one is an error not found
    wrong["findings"] = [{"kind": "claim_mismatch", "indicator": ind["number"]}]
    r, _ = score_doc(t, wrong)
    assert r["errors"][0] == 0 and r["false_alarms"][0] == int(
        ind["number"] not in {e["indicator"] for e in t["injected_errors"]}
    )
    # a not-applicable cell filled with a number
    n_s, years = next(iter(t["not_applicable"].items()))
    filled = copy.deepcopy(perfect_record(t))
    entry = next((e for e in filled["indicators"] if e["number"] == int(n_s)), None)
    assert entry is not None
    entry["values"].append({"year": int(years[0]), "value": 12.5, "text": "12.5"})
    r, _ = score_doc(t, filled)
    assert r["na_filled"][0] == 1
    assert r["cells"][0] == r["cells"][1]
    assert score_doc(t, None)[0]["cells"][0] == 0


@pytest.fixture(scope="module")
def scored() -> dict[str, list[int]]:
    docs = documents(CORPUS, None)
    recs, _, _ = extract_all(docs, workers=2, timeout=600)
    total: dict[str, list[int]] = {}
    for src, truth in docs:
        r, _ = score_doc(truth, recs.get(src.name))
        for k, v in r.items():
            total.setdefault(k, [0, 0])
            total[k][0] += v[0]
            total[k][1] += v[1]
    return total


def share(c: list[int]) -> float:
    return 100.0 * c[0] / c[1] if c[1] else 100.0


def test_current_extraction_holds_its_floor(scored: dict[str, list[int]]) -> None:
    assert share(scored["cells"]) >= FLOOR_CELLS, scored["cells"]
    assert share(scored["claims"]) >= FLOOR_CLAIMS, scored["claims"]
    assert share(scored["figures"]) >= FLOOR_FIGURES, scored["figures"]


def test_no_confident_wrong_cell(scored: dict[str, list[int]]) -> None:
    """A value that differs from the page always carries a finding (issue 12, DESIGN)."""
    assert scored["confident_wrong"][0] == 0, scored["confident_wrong"]
