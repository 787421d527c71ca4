"""Document types and the standards a document is judged by (issue 14): other
programmes' reports are named and never judged by HJ 274-2015; a report under a
non-encoded standard is judged by the requirements it prints; nothing checked is never
a pass; the settings for #16's region tiers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecopark.pipeline import process
from normalize.doctype import category_minimums, parse_count
from normalize.standards import detect_standard
from schemas.checker import CheckSettings, check, verdict
from schemas.record import Indicator, Report, SourceInfo, YearValue
from schemas.standard import Standard, load_standard
from tests.truth import same_cell

MD = Path(__file__).resolve().parent.parent / "samples" / "markdown"
PDF = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "other"
OTHER_SAMPLES = sorted(p.name.removesuffix(".truth.json") for p in MD.glob("*.truth.json"))


def _truth(sample: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((MD / f"{sample}.truth.json").read_text(encoding="utf-8"))
    return data


def _run(tmp_path: Path, text: str, settings: CheckSettings | None = None) -> Report:
    src = tmp_path / "doc.md"
    src.write_text(text, encoding="utf-8")
    return process(src, settings=settings)


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_three_other_kinds_of_sample_exist() -> None:
    kinds = {_truth(s)["document_type"]["label"] for s in OTHER_SAMPLES}
    assert {"绿色园区", "山东省省级生态工业园区", "园区循环化改造"} <= kinds


@pytest.mark.parametrize("form", ["md", "pdf"])
@pytest.mark.parametrize("sample", OTHER_SAMPLES)
def test_other_documents_are_named_and_never_get_an_hj274_2015_verdict(
    sample: str, form: str
) -> None:
    truth = _truth(sample)
    # the PDF is the Markdown typeset (samples/generate/render_markdown.py)
    r = process(MD / truth["source"] if form == "md" else PDF / f"{sample}.pdf")
    assert r.status == "ok", r.errors
    assert r.document_type is not None
    assert (r.document_type.kind, r.document_type.label) == (
        truth["document_type"]["kind"],
        truth["document_type"]["label"],
    )
    assert r.document_type.evidence  # the cues it was decided on
    assert r.standard != "HJ 274-2015"
    named = [f for f in r.findings if f.kind == "document_type" and f.severity == "warning"]
    assert len(named) == 1 and truth["document_type"]["label"] in named[0].message
    assert r.verdict is not None and r.verdict.basis != "standard"
    assert "HJ 274-2015:" not in r.verdict.explanation
    assert r.verdict.meets_standard is truth["verdict"]["meets_standard"]
    assert r.verdict.basis == truth["verdict"]["basis"]
    # the tables are kept, row by row, as printed
    assert r.park.name == truth["park"]["name"]
    assert r.report_year == truth["report_year"]
    got = {i.number: i for i in r.indicators}
    assert sorted(got) == [t["number"] for t in truth["indicators"]]
    for t in truth["indicators"]:
        ind = got[t["number"]]
        assert (ind.raw_name, ind.category, ind.unit) == (t["name"], t["category"], t["unit"])
        assert ind.requirement == t["requirement"]
        # a gap between Han and digits in a header is typesetting ('2022 年' in a PDF)
        values = {"".join(v.column.split()): v.text for v in ind.values}
        assert values.keys() == t["values"].keys()
        assert all(same_cell(values[c], want) for c, want in t["values"].items()), t["number"]
        if "claim" in t:
            assert ind.claimed_pass is (t["claim"] == "是")


def test_programmes_not_judged_have_no_results() -> None:
    for sample in OTHER_SAMPLES:
        truth = _truth(sample)
        if truth["document_type"]["kind"] != "other_programme":
            continue
        r = process(MD / truth["source"])
        assert all(i.computed_pass is None for i in r.indicators)
        assert all(i.rule and i.rule.startswith("not judged") for i in r.indicators)


# --- the provincial scheme: printed requirements and category minimums ----------------

PROVINCIAL = "provincial_linyi_hedong_2022"


def test_provincial_report_judged_by_its_printed_requirements_and_category_rules() -> None:
    truth = _truth(PROVINCIAL)
    r = process(MD / truth["source"])
    v = r.verdict
    assert v is not None and v.meets_standard is True and v.basis == "printed_requirements"
    assert "经济发展: 1 of 4 met (at least 1 required)" in v.explanation
    assert "资源节约: 5 of 6 met (at least 3 required)" in v.explanation
    assert "#9 综合能耗弹性系数" in v.explanation  # every rule applied, in words
    rules = [f for f in r.findings if f.kind == "document_type" and f.severity == "info"]
    got = {(f.evidence["text"]) for f in rules}
    assert len(got) == len(truth["category_minimums"])
    # a computed result per row, in line with the report's own 是否达标 (no mismatch)
    assert not [f for f in r.findings if f.kind == "claim_mismatch"]
    assert sum(i.computed_pass is True for i in r.indicators) == sum(
        t["claim"] == "是" for t in truth["indicators"]
    )


def test_category_minimum_decides(tmp_path: Path) -> None:
    text = (MD / f"{PROVINCIAL}.md").read_text(encoding="utf-8")
    # 人均工业增加值, the one economic indicator that meets, pushed below its ≥10
    text = _replace_once(text, "≥10\t12.85\t14.07\t是", "≥10\t12.85\t9.5\t否")
    r = _run(tmp_path, text)
    v = r.verdict
    assert v is not None and v.meets_standard is False and v.basis == "printed_requirements"
    assert "经济发展: 0 of 4 met, at least 1 required" in v.explanation


def test_without_category_rule_every_printed_indicator_counts(tmp_path: Path) -> None:
    text = (MD / f"{PROVINCIAL}.md").read_text(encoding="utf-8")
    start = text.index("注：经济发展类")
    text = text[:start] + text[text.index("\n", start) :]
    r = _run(tmp_path, text)
    v = r.verdict
    assert v is not None and v.meets_standard is False
    assert v.explanation.startswith("Does not meet the requirements printed in the report")
    assert "indicators not met: #1, #3, #4, #7, #11" in v.explanation


def test_category_minimum_wording() -> None:
    pieces = [
        ("注：经济发展类 4 项指标至少选择 1 项达标；产业共生类（3项）中至少二项达标", "line 1")
    ]
    got = category_minimums(pieces, ["经济发展", "产业共生", "资源节约"])
    assert [(m.category, m.of, m.min_met) for m in got] == [("经济发展", 4, 1), ("产业共生", 3, 2)]
    assert (parse_count("十二"), parse_count("四"), parse_count("七十")) == (12, 4, None)


# --- older national standards -----------------------------------------------------------


def _as_2009_report(seed_text: str) -> str:
    """The seed as a report under HJ 274-2009 would print it: the standard named, the
    2009 categories in its annex, none of the 2015-only indicator names."""
    text = seed_text.replace(
        "长春汽车经济技术开发区于 2005 年正式成立",
        "本报告依据《综合类生态工业园区标准》（HJ 274-2009）编制。长春汽车经济技术开发区于 2005 年正式成立",
        1,
    )
    for old, new in (
        ("产业共生\t", "物质减量与循环\t"),
        ("资源节约\t", "物质减量与循环\t"),
        ("环境保护\t", "污染控制\t"),
        ("信息公开\t", "园区管理\t"),
        ("建设规划实施后新增构建生态工业链项目数量", "生态工业链项目数量"),
        ("生态工业信息平台完善程度", "园区信息平台建设"),
    ):
        text = text.replace(old, new)
    return text


def test_report_under_hj274_2009_is_judged_by_its_printed_requirements(
    tmp_path: Path, seed_text: str
) -> None:
    r = _run(tmp_path, _as_2009_report(seed_text))
    assert r.standard == "HJ 274-2009"
    assert r.document_type is not None and r.document_type.kind == "older_national_standard"
    assert "HJ 274-2009" in r.document_type.label
    v = r.verdict
    assert v is not None and v.basis == "printed_requirements"
    # no 必选/可选 split is known for it: every printed indicator counts, so the ones the
    # seed leaves unassessed (#1 0.24 against ≥30 …) fail
    assert v.meets_standard is False
    assert "indicators not met: #1," in v.explanation
    assert "Rules applied: #1 " in v.explanation
    ind16 = r.indicator(16)
    assert ind16 is not None and ind16.rule is not None and "region" in ind16.rule


def test_asking_for_a_standard_not_encoded_never_passes_vacuously(seed_text: str) -> None:
    seed = MD / "changchun_2018_report.md"
    r = process(seed, settings=CheckSettings(standard="HJ 274-2009"))
    v = r.verdict
    assert v is not None and v.meets_standard is None and v.basis is None
    assert "all 0" not in v.explanation and "not encoded" in v.explanation
    assert all(i.computed_pass is None for i in r.indicators)
    assert len(r.indicators) == 32  # the values are kept
    assert v.settings_used["standard"] == "settings"
    r = process(seed, load_standard("HJ/T 275-2006"))
    assert r.verdict is not None and r.verdict.meets_standard is None


def test_unknown_standard_is_a_one_line_error() -> None:
    r = process(MD / "changchun_2018_report.md", settings=CheckSettings(standard="HJ 999-2030"))
    assert r.status == "failed" and "unknown standard" in r.errors[0].message


def test_nothing_checked_is_null_never_a_pass() -> None:
    std = Standard.model_validate(
        {
            "id": "printed: x",
            "title": "x",
            "printed": True,
            "evaluation": {"mode": "all"},
            "indicators": [
                {
                    "number": 1,
                    "category": "A",
                    "name": "某指标",
                    "unit": "%",
                    "requirement": "见说明",
                    "mandatory": True,
                    "rule": None,
                }
            ],
        }
    )
    r = Report(source=SourceInfo(path="x"), report_year=2020)
    r.indicators.append(
        Indicator(
            number=1,
            name="某指标",
            raw_name="某指标",
            category="A",
            unit="%",
            requirement="见说明",
            mandatory=True,
            assessed=None,
            values=[YearValue(year=2020, column="2020年", value=5.0, text="5")],
        )
    )
    check(r, std)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert "nothing could be checked" in r.verdict.explanation
    assert "all 0" not in r.verdict.explanation


def test_one_indicator_grammar() -> None:
    std = Standard.model_validate(
        {
            "id": "T-1",
            "title": "t",
            "evaluation": {"mode": "mandatory_plus_optional"},
            "indicators": [
                {
                    "number": 1,
                    "category": "A",
                    "name": "某指标",
                    "unit": "%",
                    "requirement": "≥1",
                    "mandatory": True,
                    "rule": {"kind": "compare", "op": "ge", "value": 1},
                }
            ],
        }
    )
    r = Report(source=SourceInfo(path="x"), report_year=2020, standard="T-1")
    r.indicators.append(
        Indicator(
            number=1,
            name="某指标",
            raw_name="某指标",
            category="A",
            unit="%",
            requirement="≥1",
            mandatory=True,
            assessed=True,
            values=[YearValue(year=2020, column="2020年", value=5.0, text="5")],
        )
    )
    check(r, std)
    assert r.verdict is not None and r.verdict.meets_standard is True
    assert r.verdict.explanation == (
        "Meets T-1: the 1 mandatory indicator meets its requirement; "
        "no optional indicator is assessed."
    )
    assert verdict(r, std).explanation == r.verdict.explanation


# --- the standard named by its full name ----------------------------------------------


def test_full_name_only_is_hj274_2015(tmp_path: Path, seed_text: str) -> None:
    d = detect_standard(["本报告依据《国家生态工业示范园区标准》编制"], [])
    assert (d.standard_id, d.assumed) == ("HJ 274-2015", False)
    # without the 《》 it is the programme's generic wording, not a citation
    assert detect_standard(["达到国家生态工业示范园区标准"], []).assumed
    text = seed_text.replace(
        "长春汽车经济技术开发区于 2005 年正式成立",
        "本报告依据《国家生态工业示范园区标准》编制。长春汽车经济技术开发区于 2005 年正式成立",
        1,
    )
    for old, new in (("产业共生\t", "\t"), ("资源节约\t", "\t"), ("信息公开\t", "\t")):
        text = text.replace(old, new)  # no telling category words left
    r = _run(tmp_path, text)
    assert r.standard == "HJ 274-2015" and r.standard_basis == "named in the report's text"
    assert r.document_type is not None and r.document_type.kind == "hj274_2015_annual"
    assert r.verdict is not None and r.verdict.meets_standard is True


# --- settings: #16's tiers --------------------------------------------------------------


def _with_16(seed_text: str, value: str) -> str:
    return _replace_once(seed_text, "否\t10.74\t2.27", f"否\t10.74\t{value}")


@pytest.mark.parametrize(
    "settings",
    [
        CheckSettings(water_scarce_cities=("长春",), origins={"water_scarce_cities": "config"}),
        CheckSettings(park_regions={"长春汽车": "water_scarce"}, origins={"park_regions": "cli"}),
    ],
)
def test_water_scarce_tier_of_16_applied(
    tmp_path: Path, seed_text: str, settings: CheckSettings
) -> None:
    text = _with_16(seed_text, "15")
    plain = _run(tmp_path, text).indicator(16)
    # region unknown: 15 meets only 其他地区 (≥10); the printed 否 fits 缺水城市 (≥20), so
    # the result waits for the region instead of calling the claim wrong
    assert plain is not None and plain.computed_pass is None
    assert plain.rule is not None and "undetermined until the park's region is set" in plain.rule
    r = _run(tmp_path, text, settings)
    ind = r.indicator(16)
    assert ind is not None and ind.computed_pass is False
    assert ind.rule is not None and "缺水城市: value ≥ 20: 15 does not meet it" in ind.rule
    assert r.park.region == "缺水城市"
    assert r.verdict is not None
    assert r.verdict.settings_used["region"] == next(iter(settings.origins.values()))
    passing = _run(tmp_path, _with_16(seed_text, "21"), settings).indicator(16)
    assert passing is not None and passing.computed_pass is True


def test_jingjinji_from_the_address_beats_the_water_scarce_list(
    tmp_path: Path, seed_text: str
) -> None:
    text = _replace_once(_with_16(seed_text, "25"), "长春东风大街 7766 号", "天津市滨海新区 1 号")
    r = _run(tmp_path, text, CheckSettings(water_scarce_cities=("天津",)))
    ind = r.indicator(16)
    assert ind is not None and ind.computed_pass is False  # 京津冀 ≥ 30
    assert r.verdict is not None and r.verdict.settings_used["region"] == "document"


@pytest.mark.parametrize("sample", [*OTHER_SAMPLES, "changchun_2018_report"])
def test_a_stored_record_rechecked_gives_the_same_verdict(sample: str) -> None:
    """Corrections re-run the checker on the stored record, never a re-read: the rules
    it was judged by come back from the record alone."""
    from normalize.plan import standard_of_record

    r = process(MD / f"{sample}.md")
    stored = Report.model_validate_json(r.model_dump_json())
    stored.findings = [f for f in stored.findings if f.kind != "claim_mismatch"]
    again = check(stored, standard_of_record(stored))
    assert again.verdict is not None and r.verdict is not None
    assert (again.verdict.meets_standard, again.verdict.basis) == (
        r.verdict.meets_standard,
        r.verdict.basis,
    )
    assert again.verdict.explanation == r.verdict.explanation
    assert [i.computed_pass for i in again.indicators] == [i.computed_pass for i in r.indicators]
