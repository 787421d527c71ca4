"""The checker: each indicator's values against its rule, claims audited, the verdict.

It interprets the rules of a Standard (schemas/standards/*.yaml) and says in words which
rule it applied, including every assumption (growth proxy, region tier).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from schemas.record import Finding, Indicator, Report, Verdict, YearValue
from schemas.standard import (
    CompareRule,
    GrowthConditionalRule,
    IndicatorSpec,
    Op,
    QualitativeRule,
    RegionKey,
    RegionTieredRule,
    Standard,
    load_standard,
)
from schemas.text import clean

OPS: dict[Op, tuple[Callable[[float, float], bool], str]] = {
    "ge": (operator.ge, "≥"),
    "le": (operator.le, "≤"),
    "gt": (operator.gt, ">"),
    "lt": (operator.lt, "<"),
    "eq": (operator.eq, "="),
}
# Qualitative words that say a requirement is not met.
NEGATIVE = frozenset({"未达标", "不达标", "未完成", "不具备", "否", "无"})


@dataclass(frozen=True)
class CheckSettings:
    """What the user may tell the checker about a park (STANDARD.md: every [inferred]
    fact is a setting)."""

    growth_rate: float | None = None  # the park's construction-period value-added growth
    region: RegionKey | None = None  # overrides the region found in the address
    threshold_overrides: Mapping[int, float] = field(default_factory=dict)  # footnote a
    min_optional_assessed: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    passed: bool | None
    rule: str
    assumption: str | None = None


def _fmt(x: float) -> str:
    return f"{x:g}"


def _value(yv: YearValue) -> float | None:
    """The number judged: converted into the standard's unit when the report printed
    another (value_std), else the value as printed."""
    return yv.value_std if yv.value_std is not None else yv.value


def _compare(value: float, op: Op, threshold: float) -> bool:
    return OPS[op][0](value, threshold)


def _cmp_rule(yv: YearValue, op: Op, threshold: float, accept: tuple[str, ...]) -> Outcome:
    sym = OPS[op][1]
    value = _value(yv)
    if value is not None:
        ok = _compare(value, op, threshold)
        return Outcome(
            ok,
            f"value {sym} {_fmt(threshold)}: {_fmt(value)} {'meets' if ok else 'does not meet'} it",
        )
    text = clean(yv.text)
    if text in accept:
        return Outcome(True, f"value {sym} {_fmt(threshold)}: '{text}' taken as meeting it")
    return Outcome(None, f"value {sym} {_fmt(threshold)}: '{text}' is not a number")


def _qualitative(yv: YearValue, rule: QualitativeRule) -> Outcome:
    words = "/".join(rule.accept)
    text = clean(yv.text)
    if text in rule.accept:
        return Outcome(True, f"qualitative: '{text}' is one of {words}")
    if text in NEGATIVE:
        return Outcome(False, f"qualitative: '{text}' says it is not met ({words} required)")
    value = _value(yv)
    if value is not None and rule.numeric is not None:
        ok = _compare(value, rule.numeric.op, rule.numeric.value)
        sym = OPS[rule.numeric.op][1]
        return Outcome(
            ok,
            f"qualitative {words}, a number judged as value {sym} "
            f"{_fmt(rule.numeric.value)}: {_fmt(value)}",
        )
    return Outcome(None, f"qualitative: '{text}' is not one of {words}")


def _growth(
    report: Report, standard: Standard, year: int | None, settings: CheckSettings
) -> tuple[float | None, str]:
    if settings.growth_rate is not None:
        return settings.growth_rate, "the growth rate given in the settings"
    proxy = standard.evaluation.growth_proxy_indicator
    ind = report.indicator(proxy) if proxy else None
    yv = next((v for v in ind.values if v.year == year), None) if ind else None
    growth = _value(yv) if yv is not None else None
    if growth is None:
        return None, f"no growth rate: #{proxy} has no number for {year}"
    return growth, f"#{proxy} {ind.name if ind else ''} of {year} as proxy"


def _conditional(
    yv: YearValue, rule: GrowthConditionalRule, growth: float | None, source: str
) -> Outcome:
    lim = _fmt(rule.limit)
    if growth is None:
        return Outcome(
            None, f"elasticity: needs the sign of industrial value-added growth; {source}"
        )
    if growth == 0:
        return Outcome(None, f"elasticity: growth is 0 ({source}); the standard defines no rule")
    op: Op = "le" if growth > 0 else "ge"
    sign = ">" if growth > 0 else "<"
    branch = f"growth {_fmt(growth)} {sign} 0 ({source}) → value {OPS[op][1]} {lim}"
    value = _value(yv)
    if value is None:
        return Outcome(None, f"{branch}: '{yv.text}' is not a number")
    ok = _compare(value, op, rule.limit)
    return Outcome(ok, f"{branch}: {_fmt(value)} {'meets' if ok else 'does not meet'} it")


def _tiered(
    yv: YearValue, rule: RegionTieredRule, region: RegionKey | None, standard: Standard
) -> Outcome:
    sym = OPS[rule.op][1]
    names = standard.regions
    value = _value(yv)
    if value is None:
        return Outcome(None, f"region-tiered: '{yv.text}' is not a number")
    if region is not None and region in rule.tiers:
        th = rule.tiers[region]
        ok = _compare(value, rule.op, th)
        return Outcome(
            ok,
            f"{names[region]}: value {sym} {_fmt(th)}: {_fmt(value)} "
            f"{'meets' if ok else 'does not meet'} it",
        )
    met = [r for r, th in rule.tiers.items() if _compare(value, rule.op, th)]
    tiers = ", ".join(f"{names[r]} {sym}{_fmt(th)}" for r, th in rule.tiers.items())
    if not met:
        return Outcome(False, f"region unknown; {_fmt(value)} meets no tier ({tiers})")
    if len(met) == len(rule.tiers):
        return Outcome(True, f"region unknown; {_fmt(value)} meets every tier ({tiers})")
    assumed: RegionKey = "other"
    ok = assumed in met
    met_names = ", ".join(names[r] for r in met)
    return Outcome(
        ok,
        f"region unknown, assumed {names[assumed]} (value {sym} "
        f"{_fmt(rule.tiers[assumed])}); {_fmt(value)} meets only: {met_names}",
        assumption=f"region unknown; assumed {names[assumed]}",
    )


def evaluate(
    spec: IndicatorSpec, yv: YearValue, report: Report, standard: Standard, settings: CheckSettings
) -> Outcome:
    rule = spec.rule
    override = settings.threshold_overrides.get(spec.number)
    if isinstance(rule, CompareRule):
        th = override if override is not None else rule.value
        out = _cmp_rule(yv, rule.op, th, rule.accept)
        if override is not None:
            return Outcome(
                out.passed,
                f"{out.rule} (threshold overridden for this park; standard: {_fmt(rule.value)})",
                "threshold override",
            )
        return out
    if isinstance(rule, QualitativeRule):
        return _qualitative(yv, rule)
    if isinstance(rule, GrowthConditionalRule):
        growth, source = _growth(report, standard, yv.year, settings)
        return _conditional(yv, rule, growth, source)
    region = settings.region or _region_key(report, standard)
    return _tiered(yv, rule, region, standard)


def _region_key(report: Report, standard: Standard) -> RegionKey | None:
    for k, name in standard.regions.items():
        if report.park.region == name:
            return k
    return None


def report_value(ind: Indicator, year: int | None) -> YearValue | None:
    """The value the verdict uses: the report year's column, else the latest year not
    after it (a later column is a plan or target, whatever its header says)."""
    dated = [v for v in ind.values if v.year is not None and (year is None or v.year <= year)]
    exact = next((v for v in dated if v.year == year), None)
    if exact is not None:
        return exact
    return max(dated, key=lambda v: v.year or 0) if dated else None


def check(report: Report, standard: Standard, settings: CheckSettings | None = None) -> Report:
    """Fill computed results, claim and selection findings, and the verdict (in place;
    the same report is returned)."""
    settings = settings or CheckSettings()
    followed = _followed(report, standard)
    if followed is not None:
        return _not_encoded(report, followed, standard)
    for ind in report.indicators:
        spec = standard.by_number(ind.number)
        if spec is None:
            continue
        for yv in ind.values:
            if yv.year is not None:
                yv.computed_pass = evaluate(spec, yv, report, standard, settings).passed
        current = report_value(ind, report.report_year)
        if current is None:
            ind.rule = f"{spec.requirement}: no value for {report.report_year}"
            continue
        out = evaluate(spec, current, report, standard, settings)
        ind.computed_pass, ind.rule = out.passed, f"{current.column}: {out.rule}"
        if out.assumption:
            report.findings.append(
                Finding(
                    severity="info",
                    kind="assumption",
                    indicator=ind.number,
                    message=f"#{ind.number}: {out.assumption}",
                    evidence={"rule": ind.rule},
                )
            )
        if (
            ind.claimed_pass is not None
            and out.passed is not None
            and ind.claimed_pass != out.passed
        ):
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="claim_mismatch",
                    indicator=ind.number,
                    message=f"#{ind.number} {ind.name}: the report says "
                    f"{'met' if ind.claimed_pass else 'not met'} ({ind.claim_text}), but "
                    f"{current.text} gives {'met' if out.passed else 'not met'} — {out.rule}",
                    evidence={
                        "claim": (
                            ind.claim_provenance.model_dump(exclude_none=True)
                            if ind.claim_provenance
                            else {}
                        ),
                        "value": current.provenance.model_dump(exclude_none=True),
                        "value_text": current.text,
                    },
                )
            )
    _selection(report, standard, settings)
    report.verdict = verdict(report, standard)
    return report


def _followed(report: Report, standard: Standard) -> Standard | None:
    """The standard the report follows when it is another one whose rules are not
    encoded (HJ 274-2009 …); None when ``standard`` applies."""
    if report.standard is None or report.standard == standard.id:
        return None
    try:
        other = load_standard(report.standard)
    except KeyError:
        return None
    return None if other.encoded else other


def _not_encoded(report: Report, followed: Standard, mapped_onto: Standard) -> Report:
    """No verdict: values stay mapped onto ``mapped_onto``'s indicators where the labels
    fit, but nothing is judged against rules the report does not follow."""
    why = f"standard not encoded: the report follows {followed.id} 《{followed.title}》"
    if followed.note:
        why += f" ({followed.note})"
    for ind in report.indicators:
        ind.computed_pass = None
        ind.rule = why
        for yv in ind.values:
            yv.computed_pass = None
    report.verdict = Verdict(
        meets_standard=None,
        explanation=f"Not judged — {why}. Values are mapped onto {mapped_onto.id} indicators "
        "where their labels fit; no rule of another standard is applied.",
    )
    return report


def _selection(report: Report, standard: Standard, settings: CheckSettings) -> None:
    minimum = settings.min_optional_assessed or standard.evaluation.min_optional_assessed
    optional = [i for i in report.indicators if not i.mandatory]
    for ind in report.indicators:
        if ind.mandatory and ind.assessed_text is not None and ind.assessed is False:
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="selection_rule",
                    indicator=ind.number,
                    message=f"#{ind.number} is mandatory (必选) but printed as "
                    f"'{ind.assessed_text}' in 是否为考核指标",
                )
            )
        if not ind.mandatory and ind.assessed_text == "必选":
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="selection_rule",
                    indicator=ind.number,
                    message=f"#{ind.number} is optional in {standard.id} but printed as 必选",
                )
            )
    if optional and all(i.assessed is None for i in optional):
        report.findings.append(
            Finding(
                severity="info",
                kind="selection_rule",
                message="the report does not say which optional indicators it is assessed on "
                "(no 是否为考核指标); optional indicators do not enter the verdict",
            )
        )
        return
    count = sum(1 for i in optional if i.assessed)
    if count < minimum:
        status = standard.evaluation.min_optional_assessed_status
        report.findings.append(
            Finding(
                severity="warning",
                kind="selection_rule",
                message=f"{count} optional indicators assessed; at least {minimum} required "
                f"({status} setting min_optional_assessed)",
                evidence={"assessed": [i.number for i in optional if i.assessed]},
            )
        )


def verdict(report: Report, standard: Standard) -> Verdict:
    present = {i.number: i for i in report.indicators}
    mandatory_failed: list[int] = []
    optional_failed: list[int] = []
    undetermined: list[int] = []
    for spec in standard.indicators:
        ind = present.get(spec.number)
        counts = spec.mandatory or (ind is not None and ind.assessed is True)
        if not counts:
            continue
        if ind is None or ind.computed_pass is None:
            undetermined.append(spec.number)
        elif ind.computed_pass is False:
            (mandatory_failed if spec.mandatory else optional_failed).append(spec.number)
    assessed = sum(1 for i in report.indicators if not i.mandatory and i.assessed)
    meets: bool | None
    if mandatory_failed or optional_failed:
        meets = False
        parts = []
        if mandatory_failed:
            parts.append(f"mandatory indicators not met: {_nums(mandatory_failed)}")
        if optional_failed:
            parts.append(f"assessed optional indicators not met: {_nums(optional_failed)}")
        explanation = "Does not meet " + standard.id + ": " + "; ".join(parts) + "."
    elif undetermined:
        meets = None
        explanation = (
            f"Undetermined: no computable result for {_nums(undetermined)} "
            "(missing or unparsed values)."
        )
    else:
        meets = True
        n_mand = sum(1 for s in standard.indicators if s.mandatory)
        explanation = (
            f"Meets {standard.id}: all {n_mand} mandatory indicators and all "
            f"{assessed} assessed optional indicators meet their requirements."
        )
    return Verdict(
        meets_standard=meets,
        mandatory_failed=mandatory_failed,
        assessed_optional_failed=optional_failed,
        assessed_optional_count=assessed,
        undetermined=undetermined,
        explanation=explanation,
    )


def _nums(numbers: list[int]) -> str:
    return ", ".join(f"#{n}" for n in numbers)


__all__ = ["CheckSettings", "check", "evaluate", "verdict"]
