"""Table-driven: how labels, numbers, units and requirements are really printed — in the
seed (changchun_2018), in the samples' truth files (samples/pdf/*.truth.json, 'printed'
values as typeset) and in realistic spellings (converter spaces, wrapped cells, Kangxi
radicals, full-width digits, LaTeX left by a PDF→Markdown converter)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize.labels import MATCH_THRESHOLD, match_row
from normalize.requirements import parse_requirement, same_rule
from normalize.units import conversion_factor, parse_unit
from schemas.numbers import parse_value
from schemas.standard import (
    CompareRule,
    GrowthConditionalRule,
    QualitativeRule,
    RegionTieredRule,
    Rule,
    load_standard,
)

STD = load_standard()
ROOT = Path(__file__).resolve().parent.parent

# (序号 as printed or None, label as printed, expected indicator number)
LABELS: list[tuple[int | None, str, int]] = [
    # the seed's 附件一, as printed
    *[(s.number, s.name, s.number) for s in STD.indicators],
    (6, "工业固体废物综合利用率 <sup>a</sup>", 6),
    (7, "再生资源循环利用率 <sup>b</sup>", 7),
    (11, "单位工业增加值综合能耗 <sup>a</sup>", 11),
    (14, "单位工业增加值新鲜水耗 <sup>a</sup>", 14),
    (26, "单位工业增加值二氧化碳排放量年均削减率 <sup>a</sup>", 26),
    (27, "单位工业增加值废水排放量 <sup>a</sup>", 27),
    (28, "单位工业增加值固废产生量 <sup>a</sup>", 28),
    # the seed's 达标情况 table: converter spaces and wraps inside cells
    (26, "单位工业增加值二氧化碳 排放量年均削减率 <sup>a</sup>", 26),
    (1, "高新技术企业工业总产值占园区工业总产值比例", 1),
    (8, "单位工业用地面积工业增加值", 8),
    (25, "主要污染物排放\n弹性系数", 25),
    (18, "工业园区国家重点污染物排放总量控制指标及地方特征\n污染物排放总量控制指标完成情况", 18),
    (19, "工业园区内企事业单位发生特别\n重大、重大突发环境事件数量", 19),
    (21, "工业园区重点企业清洁生\n产审核实施率", 21),
    (24, "工业固体废物（含危险\n废物）处置利用率", 24),
    (9, "单位工业用地面积工业增加值三年 年均增长率", 9),
    # footnote markers other reports use
    (6, "工业固体废物综合利用率a", 6),
    (6, "工业固体废物综合利用率①", 6),
    (11, "单位工业增加值综合能耗*", 11),
    (7, "再生资源循环利用率 b", 7),
    # Kangxi radicals / compatibility ideographs from Word/WPS PDFs
    (15, "⼯业⽤⽔重复利⽤率", 15),
    (12, "可再⽣能源使⽤比例", 12),
    (29, "绿化覆盖率", 29),
    # full-width / half-width brackets
    (16, "再生水(中水)回用率", 16),
    (24, "工业固体废物(含危险废物)处置利用率", 24),
    (16, "再生水（中水）回用率", 16),
    # name variants seen in other sources (STANDARD.md) and aliases
    (4, "资源再生利用产业增加值占园区增加值比例", 4),
    (17, "工业园区重点污染物稳定排放达标情况", 17),
    (19, "工业园区内企事业单位发生特别重大和重大突发环境事件数量", 19),
    (16, "再生水回用率", 16),
    (16, "中水回用率", 16),
    (28, "单位工业增加值固体废物产生量", 28),
    (21, "重点企业清洁生产审核实施率", 21),
    (3, "工业增加值三年年均增长率", 3),
    (5, "新增构建生态工业链项目数量", 5),
    # no 序号 printed: the label alone decides
    (None, "人均工业增加值", 2),
    (None, "综合能耗弹性系数", 10),
    (None, "新鲜水耗弹性系数", 13),
    (None, "环境管理能力完善度", 20),
    (None, "生态工业主题宣传活动", 32),
    (None, "园区环境风险防控体系建设完善度", 23),
    # a wrong 序号: the label wins
    (5, "人均工业增加值", 2),
    (30, "生态工业信息平台完善程度", 31),
]

# (cell as printed, kind, number)
NUMBERS: list[tuple[str, str, float | None]] = [
    # seed
    ("2.26", "number", 2.26),
    ("0.24", "number", 0.24),
    ("6.30", "number", 6.3),
    ("-0.029", "number", -0.029),
    ("-0.006", "number", -0.006),
    ("100", "number", 100.0),
    ("0", "number", 0.0),
    ("达标", "qualitative", None),
    ("全部完成", "qualitative", None),
    ("具备", "qualitative", None),
    # truth files, as typeset
    ("58.62%", "number", 58.62),
    ("100%", "number", 100.0),
    ("9.30%", "number", 9.3),
    ("－0.006", "number", -0.006),
    ("－2.35", "number", -2.35),
    ("－1.20", "number", -1.2),
    ("０", "number", 0.0),
    ("０．０８１", "number", 0.081),
    ("５０．３９", "number", 50.39),
    ("９６．４０", "number", 96.4),
    ("/", "na", None),
    ("—", "na", None),
    # other minus signs and negative forms
    ("−0.5", "number", -0.5),
    ("–0.12", "number", -0.12),
    ("—0.006", "number", -0.006),
    ("﹣1", "number", -1.0),
    ("负0.3", "number", -0.3),
    ("+2.5", "number", 2.5),
    # thousands separators, approximations
    ("1,234.5", "number", 1234.5),
    ("151,776.3664", "number", 151776.3664),
    ("约12", "number", 12.0),
    ("约 95%", "number", 95.0),
    ("近30", "number", 30.0),
    ("50余", "number", 50.0),
    ("300多", "number", 300.0),
    ("2‰", "number", 2.0),
    ("９５．０４％", "number", 95.04),
    # ranges
    ("10-15", "range", None),
    ("10～15", "range", None),
    ("0.2~0.3", "range", None),
    ("20%-30%", "range", None),
    ("5至8", "range", None),
    # not applicable, empty, words, garbage
    ("-", "na", None),
    ("——", "na", None),
    ("／", "na", None),
    ("不适用", "na", None),
    ("N/A", "na", None),
    ("", "empty", None),
    ("无", "qualitative", None),
    ("未达标", "qualitative", None),
    ("约四", "unparsed", None),
    ("12亿", "number", 12.0),  # the unit stays apart (ParsedValue.unit)
    ("(cid:123)", "unparsed", None),
]

# (from unit, to unit, factor or None when they must not convert)
UNITS: list[tuple[str, str, float | None]] = [
    ("万元", "亿元", 1e-4),
    ("元", "万元", 1e-4),
    ("亿元", "万元", 1e4),
    ("万亿元", "亿元", 1e4),
    ("亿", "万元", 1e4),
    ("美元", "元", None),
    ("亿美元", "万美元", 1e4),
    ("千米", "米", 1e3),
    ("公里", "米", 1e3),
    ("公里", "千米", 1.0),
    ("平方公里", "平方米", 1e6),
    ("公顷", "平方米", 1e4),
    ("亩", "平方米", 10000 / 15),
    ("平方公里", "公顷", 100.0),
    ("㎡", "平方米", 1.0),
    ("万吨", "吨", 1e4),
    ("万吨标煤", "吨标煤", 1e4),
    ("吨标准煤", "吨标煤", 1.0),
    ("万立方米", "立方米", 1e4),
    ("吨", "立方米", 1.0),  # water
    ("%", "‰", 10.0),
    ("个", "个", 1.0),
    ("个", "项", None),
    ("户", "家", None),
    ("次", "条", None),
    ("公里", "吨", None),
    # indicator units: printed vs the standard's
    ("万元/人", "万元/人", 1.0),
    ("元/人", "万元/人", 1e-4),
    ("万元/平方公里", "亿元/平方公里", 1e-4),
    ("亿元/平 方公里", "亿元/平方公里", 1.0),
    ("亿元/公顷", "亿元/平方公里", 100.0),
    ("千克标煤/万元", "吨标煤/万元", 1e-3),
    ("吨标煤/亿元", "吨标煤/万元", 1e-4),
    ("吨/万元", "立方米/万元", 1.0),
    ("立方米/万元", "吨/万元", 1.0),
    ("万吨/亿元", "吨/万元", 1.0),
    ("次/年", "次/年", 1.0),
    ("%", "万元/人", None),
    ("—", "%", None),
]

_GE = CompareRule(kind="compare", op="ge", value=30)
REQUIREMENTS: list[tuple[str, Rule | None]] = [
    ("≥30", _GE),
    ("≥ 30", _GE),
    ("$\\geq 30$", _GE),
    ("$\\geqslant 30$", _GE),
    ("≥30%", _GE),
    ("≥ 30 %", _GE),
    ("不低于30%", _GE),
    ("不低于 30", _GE),
    ("大于等于30", _GE),
    ("30%以上", _GE),
    ("达到30%以上", _GE),
    ("＞30", CompareRule(kind="compare", op="gt", value=30)),
    ("≥15", CompareRule(kind="compare", op="ge", value=15)),
    ("$\\geq 75$", CompareRule(kind="compare", op="ge", value=75)),
    ("$\\geq 3$", CompareRule(kind="compare", op="ge", value=3)),
    ("≤0.5", CompareRule(kind="compare", op="le", value=0.5)),
    ("$\\leq 7$", CompareRule(kind="compare", op="le", value=7)),
    ("$\\leq 0.1$", CompareRule(kind="compare", op="le", value=0.1)),
    ("不高于0.5", CompareRule(kind="compare", op="le", value=0.5)),
    ("不超过8", CompareRule(kind="compare", op="le", value=8)),
    ("8以下", CompareRule(kind="compare", op="le", value=8)),
    ("小于等于0.1", CompareRule(kind="compare", op="le", value=0.1)),
    ("100", CompareRule(kind="compare", op="ge", value=100)),
    ("100%", CompareRule(kind="compare", op="ge", value=100)),
    ("１００", CompareRule(kind="compare", op="ge", value=100)),
    ("0", CompareRule(kind="compare", op="eq", value=0, accept=("无",))),
    ("达标", QualitativeRule(kind="qualitative", accept=("达标",))),
    ("全部完成", QualitativeRule(kind="qualitative", accept=("全部完成",))),
    ("具备", QualitativeRule(kind="qualitative", accept=("具备",))),
    (
        "当园区工业增加值建设期年均增长率>0, ≤0.6 当园区工业增加值建设期年均增长率<0, ≥0.6",
        GrowthConditionalRule(kind="growth_conditional", limit=0.6),
    ),
    (
        "当园区工业增加值建设期年均增长率 $>0, \\leq 0.6$ 当园区工业增加值建设期年均增长率 $<0, \\geq 0.6$",
        GrowthConditionalRule(kind="growth_conditional", limit=0.6),
    ),
    (
        "当园区工业增加值建设期年均增长率>0, ≤0.55\n当园区工业增加值建设期年均增长率<0, ≥0.55",
        GrowthConditionalRule(kind="growth_conditional", limit=0.55),
    ),
    (
        "当园区工业增加值 建设期年均增长 率 $>0, \\leq 0.3$ 当园区工业增加值 建设期年均增长率 $<0, \\geq 0.3$",
        GrowthConditionalRule(kind="growth_conditional", limit=0.3),
    ),
    (
        "当园区工业增加值建设期年均增长率＞0，≤0.3；当园区工业增加值建设期年均增长率＜0，≥0.3",
        GrowthConditionalRule(kind="growth_conditional", limit=0.3),
    ),
    ("当园区工业增加值建设期年均增长率>0, ≤0.6 当园区工业增加值建设期年均增长率<0, ≥0.5", None),
    (
        "缺水城市达到20%以上 京津冀区域达到30%以上 其他地区达到10%以上",
        RegionTieredRule(
            kind="region_tiered", op="ge", tiers={"water_scarce": 20, "jingjinji": 30, "other": 10}
        ),
    ),
    (
        "缺水城市达到20%以上; 京津冀区域达到30%以上; 其他地区达到10%以上",
        RegionTieredRule(
            kind="region_tiered", op="ge", tiers={"water_scarce": 20, "jingjinji": 30, "other": 10}
        ),
    ),
    (
        "缺水城市达到\n20%以上 京津冀区域达\n到30%以上 其他地区达到10%以上",
        RegionTieredRule(
            kind="region_tiered", op="ge", tiers={"water_scarce": 20, "jingjinji": 30, "other": 10}
        ),
    ),
    ("", None),
    ("—", None),
    ("见附表", None),
]


def test_at_least_150_variants() -> None:
    assert len(LABELS) + len(NUMBERS) + len(UNITS) + len(REQUIREMENTS) >= 150


@pytest.mark.parametrize(("number", "label", "want"), LABELS)
def test_label_variants(number: int | None, label: str, want: int) -> None:
    m = match_row(number, label, STD)
    assert m.number == want and m.score >= MATCH_THRESHOLD, m


@pytest.mark.parametrize(("raw", "kind", "number"), NUMBERS)
def test_number_variants(raw: str, kind: str, number: float | None) -> None:
    v = parse_value(raw)
    assert (v.kind, v.number) == (kind, number)


@pytest.mark.parametrize(("a", "b", "factor"), UNITS)
def test_unit_variants(a: str, b: str, factor: float | None) -> None:
    got = conversion_factor(a, b)
    assert got == (pytest.approx(factor) if factor is not None else None)


@pytest.mark.parametrize(("raw", "rule"), REQUIREMENTS)
def test_requirement_variants(raw: str, rule: Rule | None) -> None:
    assert same_rule(parse_requirement(raw), rule)


@pytest.mark.parametrize("spec", STD.indicators, ids=lambda s: f"#{s.number}")
def test_every_standard_requirement_parses_to_its_rule(spec: object) -> None:
    from schemas.standard import IndicatorSpec

    assert isinstance(spec, IndicatorSpec)
    assert parse_requirement(spec.requirement) == spec.rule
    assert parse_unit(spec.unit) is not None or spec.unit == "—"


def _truth_cases() -> list[tuple[str, int, str, str, str]]:
    out = []
    for path in sorted((ROOT / "samples" / "pdf").glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        for ind in truth["indicators"]:
            printed = ind.get("printed") or {}
            for year, value in ind["values"].items():
                out.append((path.stem, ind["number"], ind["name"], printed.get(year, value), value))
    return out


TRUTH = _truth_cases()


def test_truth_files_labels_values_requirements() -> None:
    """Every printed cell of every truth file reads back as its recorded value."""
    assert TRUTH, "samples/pdf/*.truth.json are committed"
    for doc, number, name, printed, value in TRUTH:
        assert match_row(number, name, STD).number == number, (doc, number)
        got, want = parse_value(printed), parse_value(value)
        assert (got.kind, got.number) == (want.kind, want.number) or (
            got.kind == want.kind == "na"
        ), (doc, number, printed, value)
    for path in sorted((ROOT / "samples" / "pdf").glob("*.truth.json")):
        for ind in json.loads(path.read_text(encoding="utf-8"))["indicators"]:
            spec = STD.by_number(ind["number"])
            assert spec is not None
            assert same_rule(parse_requirement(ind["requirement"]), spec.rule), (path.stem, ind)
