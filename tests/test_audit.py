"""Audit findings beyond the claims: contradicting narrative amounts, requirements and
units that differ from the standard, implausible values, the standard a report follows
and the park's region."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark.pipeline import process
from extract.recover.quantities import heading_level, quantity_mentions
from extract.source import Line, Loc
from normalize.quantities import contradictions, same_amount, to_quantity
from normalize.region import find_region
from normalize.standards import detect_standard
from schemas.checker import CheckSettings
from schemas.record import Report


def _run(tmp_path: Path, text: str, settings: CheckSettings | None = None) -> Report:
    src = tmp_path / "mutated.md"
    src.write_text(text, encoding="utf-8")
    return process(src, settings=settings)


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _of(r: Report, kind: str) -> list[str]:
    return [f.message for f in r.findings if f.kind == kind]


def _pairs(*texts: str) -> list[tuple[str, str]]:
    lines = [Line(t, Loc(line=i + 1)) for i, t in enumerate(texts)]
    return [
        (f"{a.mention.number}{a.mention.unit}", f"{b.mention.number}{b.mention.unit}")
        for a, b in contradictions(quantity_mentions(lines, [], 2018))
    ]


# --- inconsistent_figure on the seed -------------------------------------------------


def test_seed_inconsistent_figures_are_exactly_the_two_pipes(seed_text: str) -> None:
    from tests.conftest import SEED

    r = process(SEED)
    found = [f for f in r.findings if f.kind == "inconsistent_figure"]
    assert [f.evidence["subject"] for f in found] == ["新建雨水管线", "新建污水管线"]
    assert [(f.evidence["first_amount"], f.evidence["second_amount"]) for f in found] == [
        ("4.1 公里", "8316 米"),
        ("3.6 公里", "5918 米"),
    ]
    for f in found:
        first, second = f.evidence["first"], f.evidence["second"]
        assert (first["line"], second["line"]) == (13, 39)
        assert second["section"] == "5. 推进区域水环境质量改善。"
        assert second["section_at"] == {"line": 37}
        assert "section" in first and "line" in first["section_at"]


def test_seed_investment_pair_agrees_after_rounding(seed_text: str) -> None:
    lines = [Line(t, Loc(line=i + 1)) for i, t in enumerate(seed_text.splitlines())]
    mentions = [q for q in quantity_mentions(lines, [], 2018) if q.subject.endswith("投资")]
    qs = [to_quantity(q) for q in mentions if not q.plan]
    amounts = {(q.mention.number, q.mention.unit) for q in qs if q is not None}
    assert {("151776.3664", "万元"), ("15.2", "亿")} <= amounts
    a, b = (q for q in qs if q is not None and q.key == "投资")
    assert same_amount(a, b)


def test_plans_and_different_count_words_are_not_compared() -> None:
    # the seed's plan amounts and its 66 项 vs 122 个项目
    assert _pairs("全区储备项目 50 余个，计划总投资 300 亿元。", "计划总投资 1205 亿元。") == []
    assert _pairs("开工 66 项，完工 59 项。", "全年开工 122 个项目。") == []
    assert _pairs("四、2019 年工作计划", "新建雨水管线 9 公里。") == []


@pytest.mark.parametrize(
    ("texts", "pairs"),
    [
        (("新建雨水管线 4.1 公里。", "汽开区新建雨水管线 8316 米。"), [("4.1公里", "8316米")]),
        (("新建雨水管线 4.1 公里。", "新建雨水管线 4100 米。"), []),
        (("新建雨水管线 4.1 公里。", "新建雨水管线 4140 米。"), []),  # rounds to 4.1
        (("新建雨水管线 4.1 公里。", "新建雨水管线 4160 米。"), [("4.1公里", "4160米")]),
        (("完成投资约 151776.3664 万元。", "投资 15.2 亿。"), []),
        (("投资 15.2 亿。", "投资 15 亿元。"), []),  # 15 亿 means 14.5–15.5 亿
        (("投资 15.2 亿。", "投资 17 亿元。"), [("15.2亿", "17亿元")]),
        (("固定资产投资 158.8 亿元。", "投资 15.2 亿。"), []),  # different subjects
        (("绿化面积 12 公顷。", "绿化面积 180 亩。"), []),  # 180 亩 = 12 公顷
        (("2017 年新建道路 3 公里。", "2018 年新建道路 5 公里。"), []),  # different years
        (("新建道路 3 公里。", "累计新建道路 15 公里。"), []),  # cumulative vs annual
        (("地区生产总值 100 亿元，同比增长 8%。", "工业产值 50 亿元，同比增长 10%。"), []),
        (("引进外资 3 亿美元。", "引进外资 3 亿元。"), []),  # 美元 never meets 人民币
        (("企业 300 多家。", "企业 320 家。"), []),  # 多: approximate
    ],
)
def test_contradictions(texts: tuple[str, ...], pairs: list[tuple[str, str]]) -> None:
    assert _pairs(*texts) == pairs


def test_headings() -> None:
    assert heading_level("一、建设工作主要进展") == 1
    assert heading_level("（一）打造更优的经济发展环境") == 2
    assert heading_level("1. 坚持高质量发展，汽车产业进一步壮大。") == 3
    assert heading_level("下一阶段工作计划") == 1
    assert heading_level("19.85 公里，新建雨水管线 4.1 公里") is None
    assert heading_level("新建雨水管线 8316 米") is None


def test_narrative_contradiction_in_a_mutated_seed(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text, "禁养区划定 53.41 平方公里", "禁养区划定 53.41 平方公里，四上企业入统新增 45 户"
    )
    r = _run(tmp_path, text)
    msgs = _of(r, "inconsistent_figure")
    assert len(msgs) == 3 and "50 户" in msgs[-1] and "45 户" in msgs[-1]


# --- requirement_mismatch, unit_mismatch ---------------------------------------------


def test_printed_requirement_differs(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text,
        "人均工业增加值\t万元/人\t≥15\t是\t32.19",
        "人均工业增加值\t万元/人\t≥10\t是\t32.19",
    )
    r = _run(tmp_path, text)
    found = [f for f in r.findings if f.kind == "requirement_mismatch"]
    assert [(f.indicator, f.evidence["printed"]) for f in found] == [(2, "≥10")]
    assert "≥ 10" in found[0].message and "≥ 15" in found[0].message
    row_line = 1 + text.splitlines().index(next(ln for ln in text.splitlines() if "≥10\t是" in ln))
    assert found[0].evidence["line"] == row_line


def test_seed_requirements_all_match() -> None:
    from tests.conftest import SEED

    assert not [f for f in process(SEED).findings if f.kind == "requirement_mismatch"]


def test_convertible_unit_is_converted_and_flagged(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text,
        "人均工业增加值\t万元/人\t≥15\t是\t32.19\t39.01",
        "人均工业增加值\t元/人\t≥15\t是\t321900\t390100",
    )
    r = _run(tmp_path, text)
    ind = r.indicator(2)
    assert ind is not None
    assert [v.value for v in ind.values] == [321900, 390100]  # as printed
    assert [v.value_std for v in ind.values] == [pytest.approx(32.19), pytest.approx(39.01)]
    assert ind.computed_pass is True and "39.01" in (ind.rule or "")
    found = [f for f in r.findings if f.kind == "unit_mismatch"]
    assert [f.indicator for f in found] == [2]
    assert found[0].evidence["factor"] == pytest.approx(1e-4)
    # the two annex tables now print different units too
    assert any(f.kind == "table_mismatch" and f.indicator == 2 for f in r.findings)


def test_unconvertible_unit_is_flagged_only(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text,
        "绿化覆盖率\t%\t$\\geq 15$\t必选\t25.66",
        "绿化覆盖率\t平方公里\t$\\geq 15$\t必选\t25.66",
    )
    r = _run(tmp_path, text)
    found = [f for f in r.findings if f.kind == "unit_mismatch"]
    assert [f.indicator for f in found] == [29] and found[0].evidence["factor"] is None
    ind = r.indicator(29)
    assert ind is not None and all(v.value_std is None for v in ind.values)


def test_seed_units_raise_nothing() -> None:
    # #17 printed '%' and #24 printed '—' are documented alternatives (units_seen)
    from tests.conftest import SEED

    assert not [f for f in process(SEED).findings if f.kind == "unit_mismatch"]


# --- implausible_value ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "number"),
    [
        ("否\t68.37\t71.23", "否\t68.37\t171.23", 7),  # a share above 100
        ("是\t95.04\t94.35", "是\t95.04\t-4.35", 15),  # a share below 0
        ("必选\t0.11\t0.11", "必选\t0.11\t11", 10),  # elasticity of magnitude 11
        ("必选\t2\t3", "必选\t2\t2.5", 32),  # half a campaign
    ],
)
def test_implausible_values(
    tmp_path: Path, seed_text: str, old: str, new: str, number: int
) -> None:
    r = _run(tmp_path, _replace_once(seed_text, old, new))
    assert [f.indicator for f in r.findings if f.kind == "implausible_value"] == [number]


def test_copied_baseline_column(tmp_path: Path, seed_text: str) -> None:
    lines = []
    for line in seed_text.splitlines():
        cells = line.split("\t")
        if len(cells) == 8 and cells[1].isdigit():
            cells[6] = cells[7]  # baseline := report year
        lines.append("\t".join(cells))
    r = _run(tmp_path, "\n".join(lines))
    found = [f for f in r.findings if f.kind == "implausible_value"]
    assert len(found) == 1 and found[0].indicator is None
    assert "2016年" in found[0].message and len(found[0].evidence["rows"]) >= 8


def test_seed_has_no_implausible_value() -> None:
    from tests.conftest import SEED

    assert not [f for f in process(SEED).findings if f.kind == "implausible_value"]


# --- standard versions ----------------------------------------------------------------


def test_detect_standard() -> None:
    d = detect_standard(["依据《国家生态工业示范园区标准》（HJ 274—2015）"], [])
    assert (d.standard_id, d.assumed) == ("HJ 274-2015", False)
    d = detect_standard(["按照 HJ/T 274-2009 开展评价"], ["经济发展", "物质减量与循环"])
    assert d.standard_id == "HJ 274-2009" and "named" in d.basis
    d = detect_standard(["HJ 274-2015 代替 HJ 274-2009"], [])
    assert d.standard_id == "HJ 274-2015" and "HJ 274-2009" in d.basis
    assert detect_standard(["参照 HJ/T 275"], []).standard_id == "HJ/T 275-2006"
    d = detect_standard([], ["经 济 发 展", "物质减量与循环", "污染控制", "园区管理"])
    assert d.standard_id == "HJ 274-2009" and "category" in d.basis
    d = detect_standard([], [])
    assert (d.standard_id, d.assumed) == ("HJ 274-2015", True)


def test_report_following_hj274_2009_is_not_judged(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(
        seed_text,
        "2018 年是全面贯彻党的十九大精神开局之年",
        "本报告依据 HJ 274-2009 编制。2018 年是全面贯彻党的十九大精神开局之年",
    )
    r = _run(tmp_path, text)
    assert r.standard == "HJ 274-2009" and r.standard_basis == "named in the report's text"
    assert len(r.indicators) == 32  # mapped where the labels fit
    assert all(i.computed_pass is None for i in r.indicators)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert "standard not encoded" in r.verdict.explanation
    assert not _of(r, "claim_mismatch")


def test_no_standard_evidence_is_an_assumption(tmp_path: Path, seed_text: str) -> None:
    text = seed_text
    for cat in ("产业共生", "资源节约", "环境保护", "信息公开", "产 业 共 生", "资 源 节 约"):
        text = text.replace(cat + "\t", "\t")
    r = _run(tmp_path, text)
    assert r.standard == "HJ 274-2015"
    assert any(f.kind == "assumption" and "standard" in f.message for f in r.findings)


# --- region -----------------------------------------------------------------------------


def test_region_from_address_with_its_source(tmp_path: Path, seed_text: str) -> None:
    text = _replace_once(seed_text, "长春东风大街 7766 号", "天津市静海区滨河大道 188 号")
    r = _run(tmp_path, text)
    assert r.park.region == "京津冀"
    assert r.park.region_basis is not None and "天津" in r.park.region_basis
    assert "水十条" in r.park.region_basis
    ind = r.indicator(16)
    assert ind is not None and ind.rule is not None and "京津冀" in ind.rule


def test_region_streets_are_not_regions() -> None:
    assert find_region("广州市越秀区北京路 100 号") is None
    assert find_region("北京市顺义区潮白河东路 9 号院") is not None
    m = find_region("河北省沧州市渤海新区港城大道 56 号")
    assert m is not None and (m.region, m.place) == ("jingjinji", "河北")


def test_region_override_and_unknown_assumption(tmp_path: Path, seed_text: str) -> None:
    from tests.conftest import SEED

    r = process(SEED)
    ind = r.indicator(16)
    assert r.park.region is None and ind is not None
    assert "meets no tier" in (ind.rule or "")  # 2.27 % meets none: no assumption needed
    r = process(SEED, settings=CheckSettings(region="water_scarce"))
    ind = r.indicator(16)
    assert ind is not None and "缺水城市" in (ind.rule or "")


def test_pdf_seed_reports_the_pipes_with_pages() -> None:
    pdf = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "changchun_2018.pdf"
    assert pdf.exists(), "samples/pdf/changchun_2018.pdf is committed"
    r = process(pdf)
    found = [f for f in r.findings if f.kind == "inconsistent_figure"]
    assert [f.evidence["subject"] for f in found] == ["新建雨水管线", "新建污水管线"]
    assert all(f.evidence["first"]["page"] < f.evidence["second"]["page"] for f in found)


def test_annex_tables_printing_different_values() -> None:
    from extract.raw import Column, RawRow
    from extract.source import Cell
    from normalize.record import _compare_values
    from schemas.record import SourceInfo

    col = Column("value", "2018年", 2018)
    v = RawRow(29, {}, [(col, Cell("26.28", Loc(page=9)))])
    c = RawRow(29, {}, [(col, Cell("26.8", Loc(page=12)))])
    report = Report(source=SourceInfo(path="x"))
    _compare_values(29, v, c, report)
    assert [(f.kind, f.indicator) for f in report.findings] == [("table_mismatch", 29)]
    assert report.findings[0].evidence == {
        "indicator_table": {"page": 9},
        "passfail_table": {"page": 12},
    }
    report.findings.clear()
    _compare_values(29, v, RawRow(29, {}, [(col, Cell("26.280", Loc(page=12)))]), report)
    assert not report.findings


def test_label_confidence_and_match_score() -> None:
    from normalize.labels import LabelMatch, confidence
    from tests.conftest import SEED

    assert confidence(LabelMatch(6, 100.0, "number+label")) == 1.0
    assert confidence(LabelMatch(29, 40.0, "number")) == 0.2  # only the 序号 vouches
    assert all(i.match_score == 100.0 for i in process(SEED).indicators)
