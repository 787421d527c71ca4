"""Mutations of the seed: each edit a report could contain must give the right finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark.pipeline import process
from schemas.record import Report


def _run(tmp_path: Path, text: str) -> Report:
    src = tmp_path / "mutated.md"
    src.write_text(text, encoding="utf-8")
    return process(src)


def _kinds(r: Report, number: int | None = None) -> set[str]:
    # The seed's own narrative contradictions (two inconsistent_figure findings) are there
    # in every mutation; these edits touch the annex only.
    return {
        f.kind
        for f in r.findings
        if (number is None or f.indicator == number) and f.kind != "inconsistent_figure"
    }


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_flipped_claim(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text, "人均工业增加值\t万元/人\t≥15\t是\t是", "人均工业增加值\t万元/人\t≥15\t是\t否"
    )
    r = _run(tmp_path, text)
    assert _kinds(r) == {"claim_mismatch"}
    assert [f.indicator for f in r.findings if f.kind != "inconsistent_figure"] == [2]
    assert r.verdict is not None and r.verdict.meets_standard is True  # the claim, not the value


def test_value_pushed_past_threshold(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "必选\t25.66\t26.28", "必选\t25.66\t12.5")
    r = _run(tmp_path, text)
    ind = r.indicator(29)
    assert ind is not None and ind.computed_pass is False and ind.claimed_pass is True
    assert _kinds(r, 29) == {"claim_mismatch"}
    assert r.verdict is not None and r.verdict.meets_standard is False
    assert r.verdict.mandatory_failed == [29]


def test_assessed_optional_failing_fails_verdict(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "是\t1.11\t0.85", "是\t1.11\t7.5")
    r = _run(tmp_path, text)
    assert r.verdict is not None and r.verdict.assessed_optional_failed == [27]
    assert r.verdict.meets_standard is False


def test_deleted_row(tmp_path: Path, seed_text: str) -> None:
    row = "\t5\t建设规划实施后新增构建生态工业链项目数量\t个\t≥6\t必选\t6\t6"
    text = _replace_once(seed_text, "产业共生" + row + "\n", "")
    r = _run(tmp_path, text)
    assert {"missing_indicator", "table_mismatch"} <= _kinds(r, 5)
    assert r.status == "partial"
    ind = r.indicator(5)
    assert ind is not None and ind.values == [] and ind.claimed_pass is True
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert r.verdict.undetermined == [5]


def test_row_deleted_from_both_tables(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "\t12\t可再生能源使用比例\t%\t≥9\t否\t3.2\t4.3\n", "")
    text = _replace_once(text, "\t12\t可再生能源使用比例\t%\t$\\geq 9$\t否\t否\n", "")
    r = _run(tmp_path, text)
    assert r.indicator(12) is None
    assert [f.kind for f in r.findings if f.indicator == 12] == ["missing_indicator"]
    assert r.status == "partial"


def test_renamed_label(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "信息公开\t29\t绿化覆盖率", "信息公开\t29\t园区绿地率")
    r = _run(tmp_path, text)
    ind = r.indicator(29)
    assert ind is not None and ind.raw_name == "园区绿地率"  # kept, by its 序号
    assert {"low_confidence", "table_mismatch"} <= _kinds(r, 29)


def test_label_alias_maps_without_finding(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text,
        "\t4\t资源再生利用产业增加值占园区工业增加值比例\t%\t≥30\t否\t13.56",
        "\t4\t资源再生利用产业增加值占园区增加值比例\t%\t≥30\t否\t13.56",
    )
    r = _run(tmp_path, text)
    assert _kinds(r, 4) == {"table_mismatch"}  # the two tables now name it differently
    assert r.indicator(4) is not None


@pytest.mark.parametrize(("growth", "expect"), [("-2.5", False), ("0", None)])
def test_growth_sign_flips_elasticity_rule(
    tmp_path: Path, seed_text: str, growth: str, expect: bool | None
) -> None:
    text = _replace_once(seed_text, "否\t4.6\t7.79", f"否\t4.6\t{growth}")
    r = _run(tmp_path, text)
    for n in (10, 13, 25):
        ind = r.indicator(n)
        assert ind is not None and ind.computed_pass is expect, (n, ind and ind.rule)
    if expect is False:
        assert {f.indicator for f in r.findings if f.kind == "claim_mismatch"} == {10, 13, 25}
        ind10 = r.indicator(10)
        assert ind10 is not None and ind10.rule is not None and "≥ 0.6" in ind10.rule
    else:
        assert r.verdict is not None and r.verdict.meets_standard is None


def test_negative_growth_with_large_elasticities_passes(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "否\t4.6\t7.79", "否\t4.6\t-3")
    text = _replace_once(text, "必选\t0.11\t0.11", "必选\t0.11\t0.8")
    ind = _run(tmp_path, text).indicator(10)
    assert ind is not None and ind.computed_pass is True


def test_unparsed_value(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "否\t3.2\t4.3", "否\t3.2\t约四")
    r = _run(tmp_path, text)
    assert _kinds(r, 12) == {"unparsed_value"}
    ind = r.indicator(12)
    assert ind is not None and ind.values[1].text == "约四" and ind.values[1].value is None


def test_too_few_optional_assessed(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "吨标煤/万元\t≤0.5\t是\t0.32", "吨标煤/万元\t≤0.5\t否\t0.32")
    r = _run(tmp_path, text)
    assert "selection_rule" in _kinds(r)
    assert "table_mismatch" in _kinds(r, 11)  # the pass/fail table still says 是


def test_mandatory_marked_not_assessed(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "次/年\t$\\geq 2$\t必选\t2\t3", "次/年\t$\\geq 2$\t否\t2\t3")
    assert "selection_rule" in _kinds(_run(tmp_path, text), 32)
