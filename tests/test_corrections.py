"""Corrections: logged, re-judged without a re-read, kept through re-runs, in the dataset
and the report (ecopark correct on the seed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from ecopark import batch, corrections
from ecopark.batch import RunOptions
from ecopark.cli import app
from ecopark.pipeline import process
from ecopark.review import queue
from schemas.record import Report
from tests.conftest import SEED
from tests.test_document_types import MD, OTHER_SAMPLES

SEED_SHA_PREFIX_LEN = 12
GREENING = 29  # 绿化覆盖率, mandatory, ≥ 15; the seed prints 26.28 for 2018


def _run(src: Path, out: Path, force: bool = False) -> None:
    batch.run([src], out, RunOptions(workers=1, force=force))


def _record(out: Path) -> Report:
    (rec,) = batch.load_records(out).values()
    return rec


def _cell(r: Report, number: int = GREENING, year: int = 2018):  # type: ignore[no-untyped-def]
    ind = r.indicator(number)
    assert ind is not None
    return ind, next(v for v in ind.values if v.year == year)


def _q(out: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(out / "ecopark.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture()
def seed_run(tmp_path: Path) -> tuple[Path, Path, str]:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "changchun.md")
    out = tmp_path / "out"
    _run(src, out)
    sha = _record(out).source.sha256
    assert sha
    return src, out, sha


def _correct(out: Path, sha: str, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(
        app, ["correct", str(out), "--doc", sha[:SEED_SHA_PREFIX_LEN], *args, "--who", "tester"]
    )
    return res.exit_code, res.output


def test_correct_a_mandatory_indicator_changes_the_verdict_everywhere(
    seed_run: tuple[Path, Path, str],
) -> None:
    _, out, sha = seed_run
    before = _record(out)
    assert before.verdict is not None and before.verdict.meets_standard is True
    code, text = _correct(
        out, sha, "--indicator", "29", "--year", "2018", "--value", "12.6", "--note", "page: 12.6"
    )
    assert code == 0, text
    assert "verdict fails" in text
    # the record: the printed value stays, the corrected one is added, the verdict follows
    r = _record(out)
    ind, yv = _cell(r)
    assert (yv.value, yv.text, yv.value_corrected, yv.corrected_by) == (
        26.28,
        "26.28",
        12.6,
        "tester",
    )
    assert yv.computed_pass is False and ind.computed_pass is False
    assert r.verdict is not None and r.verdict.meets_standard is False
    assert r.verdict.mandatory_failed == [GREENING]
    assert any(f.kind == "claim_mismatch" and f.indicator == GREENING for f in r.findings)
    # the dataset
    assert _q(out, "SELECT meets_standard, corrected_cells FROM documents") == [(False, 1)]
    rows = _q(
        out,
        "SELECT value, value_corrected, value_final, corrected_by, computed_pass "
        f"FROM indicator_values WHERE number = {GREENING} AND year = 2018",
    )
    assert rows == [(26.28, 12.6, 12.6, "tester", False)]
    other = _q(
        out,
        f"SELECT value, value_final FROM indicator_values WHERE number = {GREENING} AND year = 2016",
    )
    assert other == [(25.66, 25.66)]
    log = _q(
        out,
        "SELECT doc_id, indicator, year, field, printed, new, note, who, in_force FROM corrections",
    )
    assert log == [(sha, GREENING, 2018, "value", "26.28", "12.6", "page: 12.6", "tester", True)]
    # the report
    index = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "page: 12.6" in index and "tester" in index
    (doc,) = (out / "report" / "docs").glob("*.html")
    html = doc.read_text(encoding="utf-8")
    assert 'id="doc-verdict">fails<' in html
    assert '<del class="printed">26.28</del> → <b class="fix">12.6</b>' in html


def test_latest_correction_wins_and_history_stays(seed_run: tuple[Path, Path, str]) -> None:
    _, out, sha = seed_run
    assert (
        _correct(out, sha, "--indicator", "29", "--year", "2018", "--value", "12.6", "--no-html")[0]
        == 0
    )
    assert (
        _correct(out, sha, "--indicator", "29", "--year", "2018", "--value", "16", "--no-html")[0]
        == 0
    )
    _, yv = _cell(_record(out))
    assert yv.value_corrected == 16.0 and yv.computed_pass is True
    assert _record(out).verdict.meets_standard is True  # type: ignore[union-attr]
    lines = (out / corrections.CORRECTIONS).read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["new"] for x in lines] == [12.6, 16.0]
    assert _q(out, "SELECT new, in_force FROM corrections ORDER BY seq") == [
        ("12.6", False),
        ("16.0", True),
    ]


def test_confirming_the_print_restores_the_original_judgement(
    seed_run: tuple[Path, Path, str],
) -> None:
    _, out, sha = seed_run
    original = _record(out)
    _correct(out, sha, "--indicator", "29", "--year", "2018", "--value", "12.6", "--no-html")
    assert _record(out).verdict.meets_standard is False  # type: ignore[union-attr]
    _correct(out, sha, "--indicator", "29", "--year", "2018", "--confirm", "--no-html")
    r = _record(out)
    _, yv = _cell(r)
    assert yv.corrected_by == "tester" and yv.value_corrected is None
    # everything the checker derives is as before the first correction: no finding is lost
    # or duplicated by applying twice
    assert r.findings == original.findings
    assert r.verdict is not None and original.verdict is not None
    assert r.verdict.meets_standard is True
    assert r.verdict.explanation.startswith(original.verdict.explanation)


def test_corrections_survive_force_and_rerun(seed_run: tuple[Path, Path, str]) -> None:
    src, out, sha = seed_run
    _correct(out, sha, "--indicator", "29", "--year", "2018", "--value", "12.6", "--no-html")
    for force in (True, False):
        _run(src, out, force=force)
        r = _record(out)
        _, yv = _cell(r)
        assert (yv.value, yv.value_corrected) == (26.28, 12.6)
        assert r.verdict is not None and r.verdict.meets_standard is False
        assert _q(out, "SELECT meets_standard FROM documents") == [(False,)]


def test_apply_is_idempotent(seed_run: tuple[Path, Path, str]) -> None:
    _, out, sha = seed_run
    plain = _record(out)
    assert corrections.apply(plain, []) is plain  # nothing to apply: the record as it is
    _correct(out, sha, "--indicator", "29", "--year", "2018", "--value", "12.6", "--no-html")
    log = corrections.load(out)
    once = _record(out)
    assert corrections.apply(once, log) == once


def test_unreadable_leaves_the_verdict_open(seed_run: tuple[Path, Path, str]) -> None:
    _, out, sha = seed_run
    code, _ = _correct(out, sha, "--indicator", "29", "--year", "2018", "--unreadable", "--no-html")
    assert code == 0
    r = _record(out)
    ind, yv = _cell(r)
    assert yv.unreadable and yv.text == "26.28" and ind.computed_pass is None
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert _q(
        out,
        f"SELECT value, value_final FROM indicator_values WHERE number = {GREENING} AND year = 2018",
    ) == [(26.28, None)]


def test_claim_and_basic_info_corrections(seed_run: tuple[Path, Path, str]) -> None:
    _, out, sha = seed_run
    assert _correct(out, sha, "--indicator", "29", "--claim", "否", "--no-html")[0] == 0
    r = _record(out)
    ind, _ = _cell(r)
    assert ind.claimed_pass is True and ind.claim_corrected is False
    assert any(f.kind == "claim_mismatch" and f.indicator == GREENING for f in r.findings)
    code, _ = _correct(out, sha, "--park", "postcode", "--park-value", "130099", "--no-html")
    assert code == 0
    r = _record(out)
    assert r.park.corrected == {"postcode": "130099"} and r.park.postcode != "130099"


def test_a_correction_that_names_no_cell_is_a_one_line_error(
    seed_run: tuple[Path, Path, str],
) -> None:
    _, out, sha = seed_run
    code, text = _correct(out, sha, "--indicator", "99", "--year", "2018", "--value", "1")
    assert code == 2 and "no indicator #99" in text
    code, text = _correct(out, sha, "--indicator", "29", "--year", "2017", "--value", "1")
    assert code == 2 and "no column 2017" in text
    code, text = _correct(
        out, "ffff" + sha[4:], "--indicator", "29", "--year", "2018", "--value", "1"
    )
    assert code == 2 and "no document" in text
    assert not (out / corrections.CORRECTIONS).exists()


def test_a_reviewed_doubt_stops_blocking_the_verdict(tmp_path: Path) -> None:
    """A converter's misread (2b.28 for 26.28) leaves #29 unparsed and the verdict open;
    the correction settles the doubt (kept as a `reviewed` finding) and decides it."""
    src = tmp_path / "in"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("必选\t25.66\t26.28", "必选\t25.66\t2b.28")
    (src / "misread.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    _run(src, out)
    r = _record(out)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert any(f.kind == "unparsed_value" and f.indicator == GREENING for f in r.findings)
    sha = r.source.sha256 or ""
    code, _ = _correct(
        out, sha, "--indicator", "29", "--year", "2018", "--value", "26.28", "--no-html"
    )
    assert code == 0
    r = _record(out)
    assert r.verdict is not None and r.verdict.meets_standard is True
    assert not any(f.kind == "unparsed_value" and f.indicator == GREENING for f in r.findings)
    (settled,) = [f for f in r.findings if f.kind == "reviewed"]
    assert settled.evidence["finding"]["kind"] == "unparsed_value"
    _, yv = _cell(r)
    assert yv.text == "2b.28" and yv.value is None and yv.value_corrected == 26.28


def test_a_reviewed_cell_settles_the_doubt_on_its_row_label(tmp_path: Path) -> None:
    """A label matched by its 序号 only doubts the whole row; the reviewer saw the row
    (label included) and settles it with the cell."""
    src = tmp_path / "in"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("29\t绿化覆盖率", "29\t园区绿地率")
    (src / "relabelled.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    _run(src, out)
    r = _record(out)
    doubts = [f for f in r.findings if f.kind == "low_confidence" and f.indicator == GREENING]
    assert doubts and all("column" not in f.evidence for f in doubts)
    # the verdict may not rest on the doubtful cell (verdict states), and the review
    # queue puts that cell first
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert [(c.indicator, c.year) for c in r.verdict.needs_review] == [(GREENING, 2018)]
    first = queue.build([r])[0]
    assert first.reasons[0]["kind"] == "needs_review" and first.yv is not None
    assert (first.ind.number if first.ind else None, first.yv.year) == (GREENING, 2018)
    code, _ = _correct(
        out, r.source.sha256 or "", "--indicator", "29", "--year", "2018", "--confirm", "--no-html"
    )
    assert code == 0
    r = _record(out)
    left = [f for f in r.findings if f.kind == "low_confidence" and f.indicator == GREENING]
    # the value row's doubt is settled; the pass/fail table's row concerns the claim
    assert [f.evidence["line"] for f in left] == [d.evidence["line"] for d in doubts][1:]
    assert "pass/fail table" in left[0].message
    assert r.verdict is not None and r.verdict.meets_standard is True  # a confirmed value decides
    assert r.verdict.needs_review == []
    code, _ = _correct(out, r.source.sha256 or "", "--indicator", "29", "--confirm", "--no-html")
    assert code == 0
    r = _record(out)
    assert not any(f.kind == "low_confidence" and f.indicator == GREENING for f in r.findings)
    settled = [f.evidence["finding"]["kind"] for f in r.findings if f.kind == "reviewed"]
    assert settled == ["low_confidence"] * len(doubts)


def test_a_logged_correction_reaches_the_dataset_build(seed_run: tuple[Path, Path, str]) -> None:
    """A line added to corrections.jsonl by other means (a copy from another OUTDIR) is
    applied when the dataset is built: the record is re-judged and rewritten (the dataset
    is updated from the records), the printed value kept beside the corrected one."""
    _, out, _ = seed_run
    rec = _record(out)
    corrections.append(
        out,
        corrections.make(rec, indicator=GREENING, field="value", year=2018, new=12.6, who="other"),
    )
    batch.write_dataset(out)
    assert _q(out, "SELECT meets_standard FROM documents") == [(False,)]
    assert _q(
        out,
        f"SELECT value, value_final FROM indicator_values WHERE number = {GREENING} AND year = 2018",
    ) == [(26.28, 12.6)]
    rec = _record(out)
    assert rec.verdict is not None and rec.verdict.meets_standard is False
    cell = next(
        v for i in rec.indicators if i.number == GREENING for v in i.values if v.year == 2018
    )
    assert (cell.value, cell.value_corrected) == (26.28, 12.6)


@pytest.mark.parametrize("sample", OTHER_SAMPLES)
def test_a_confirmation_keeps_the_rules_a_document_was_judged_by(sample: str) -> None:
    """A provincial scheme or another programme is judged by its printed requirements (or
    not at all); re-judging it after a correction keeps that basis."""
    r = process(MD / f"{sample}.md")
    r.source.sha256 = "c" * 64
    ind = next((i for i in r.indicators if any(v.year == r.report_year for v in i.values)), None)
    if ind is None:
        ind = r.indicators[0]
    yv = next(v for v in ind.values if v.year is not None)
    c = corrections.make(
        r, indicator=ind.number, field="value", year=yv.year, action="confirm", who="t"
    )
    again = corrections.apply(r, [c])
    assert again.verdict is not None and r.verdict is not None
    assert (again.verdict.meets_standard, again.verdict.basis) == (
        r.verdict.meets_standard,
        r.verdict.basis,
    )
    assert [i.computed_pass for i in again.indicators] == [i.computed_pass for i in r.indicators]
