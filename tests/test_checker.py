"""The checker against the standard's data: rule kinds, assumptions, verdict."""

from __future__ import annotations

import pytest

from schemas.checker import CheckSettings, check, evaluate
from schemas.record import Indicator, Park, Report, SourceInfo, YearValue
from schemas.standard import (
    CompareRule,
    GrowthConditionalRule,
    QualitativeRule,
    RegionTieredRule,
    load_standard,
    standard_files,
)

STD = load_standard()


def _yv(text: str, value: float | None, year: int = 2020) -> YearValue:
    return YearValue(year=year, column=f"{year}年", value=value, text=text)


def _report(region: str | None = None, growth: float | None = 5.0) -> Report:
    r = Report(source=SourceInfo(path="x"), report_year=2020, park=Park(region=region))
    spec3 = STD.by_number(3)
    assert spec3 is not None
    r.indicators.append(
        Indicator(
            number=3,
            name=spec3.name,
            raw_name=spec3.name,
            category=spec3.category,
            unit="%",
            requirement="≥15",
            mandatory=False,
            assessed=False,
            values=[] if growth is None else [_yv(str(growth), growth)],
        )
    )
    return r


def test_standard_file_shape() -> None:
    assert [s.number for s in STD.indicators] == list(range(1, 33))
    assert sum(s.mandatory for s in STD.indicators) == 17
    counts = {c: sum(s.category == c for s in STD.indicators) for c in STD.categories}
    assert counts == {"经济发展": 4, "产业共生": 3, "资源节约": 9, "环境保护": 13, "信息公开": 3}
    kinds = {s.number: type(s.rule) for s in STD.indicators}
    assert {n for n, k in kinds.items() if k is GrowthConditionalRule} == {10, 13, 25}
    assert {n for n, k in kinds.items() if k is RegionTieredRule} == {16}
    assert {n for n, k in kinds.items() if k is QualitativeRule} == {17, 18, 22}
    assert len(standard_files()) >= 1


@pytest.mark.parametrize(
    ("number", "text", "value", "expect"),
    [
        (1, "30", 30.0, True),
        (1, "29.99", 29.99, False),
        (11, "0.5", 0.5, True),
        (11, "0.51", 0.51, False),
        (19, "0", 0.0, True),
        (19, "1", 1.0, False),
        (19, "无", None, True),
        (20, "100", 100.0, True),
        (20, "99.5", 99.5, False),
        (17, "达标", None, True),
        (17, "未达标", None, False),
        (17, "100", 100.0, True),
        (18, "全部完成", None, True),
        (18, "未全部完成", None, False),  # not "全部完成" though it holds it
        (22, "具备", None, True),
        (22, "不具备", None, False),
        (32, "2", 2.0, True),
        (32, "1", 1.0, False),
        (5, "—", None, None),
    ],
)
def test_rules(number: int, text: str, value: float | None, expect: bool | None) -> None:
    spec = STD.by_number(number)
    assert spec is not None
    out = evaluate(spec, _yv(text, value), _report(), STD, CheckSettings())
    assert out.passed is expect
    assert out.rule


@pytest.mark.parametrize(
    ("growth", "value", "expect"),
    [
        (5.0, 0.6, True),
        (5.0, 0.61, False),
        (-1.0, 0.6, True),
        (-1.0, 0.5, False),
        (0.0, 0.1, None),
        (None, 0.1, None),
    ],
)
def test_elasticity_depends_on_growth_sign(
    growth: float | None, value: float, expect: bool | None
) -> None:
    spec = STD.by_number(10)
    assert spec is not None
    out = evaluate(spec, _yv(str(value), value), _report(growth=growth), STD, CheckSettings())
    assert out.passed is expect
    assert "growth" in out.rule


def test_explicit_growth_setting_wins_over_proxy() -> None:
    spec = STD.by_number(13)
    assert spec is not None
    out = evaluate(spec, _yv("0.7", 0.7), _report(growth=5.0), STD, CheckSettings(growth_rate=-2))
    assert out.passed is True and "settings" in out.rule


@pytest.mark.parametrize(
    ("region", "value", "expect", "assumed"),
    [
        ("京津冀", 25.0, False, False),
        ("京津冀", 30.0, True, False),
        ("缺水城市", 20.0, True, False),
        ("其他地区", 10.0, True, False),
        (None, 2.27, False, False),
        (None, 35.0, True, False),
        (None, 15.0, True, True),
    ],
)
def test_region_tiers(region: str | None, value: float, expect: bool, assumed: bool) -> None:
    spec = STD.by_number(16)
    assert spec is not None
    out = evaluate(spec, _yv(str(value), value), _report(region=region), STD, CheckSettings())
    assert out.passed is expect
    assert (out.assumption is not None) is assumed


def test_threshold_override_is_recorded() -> None:
    spec = STD.by_number(11)
    assert spec is not None
    out = evaluate(
        spec, _yv("0.8", 0.8), _report(), STD, CheckSettings(threshold_overrides={11: 1.0})
    )
    assert out.passed is True and "overridden" in out.rule


def test_missing_mandatory_leaves_verdict_open() -> None:
    r = check(_report(), STD)
    assert r.verdict is not None and r.verdict.meets_standard is None
    assert len(r.verdict.undetermined) == 17


def test_rule_kinds_are_all_known() -> None:
    for spec in STD.indicators:
        assert isinstance(
            spec.rule, CompareRule | QualitativeRule | GrowthConditionalRule | RegionTieredRule
        )
