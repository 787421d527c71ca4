"""The checker: each indicator's values against its rule, claims audited, the verdict.

It interprets the rules of a Standard (schemas/standards/*.yaml) and says in words which
rule it applied, including every assumption (growth proxy, region tier).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from schemas.places import first_place
from schemas.record import (
    DocumentKind,
    Finding,
    Indicator,
    Report,
    ReviewCell,
    Verdict,
    VerdictBasis,
    YearValue,
)
from schemas.standard import (
    CategoryMinimum,
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
NEGATIVE = frozenset({"未达标", "不达标", "未完成", "未全部完成", "不具备", "否", "无"})


SettingOrigin = str  # "config" | "cli" | "default" | "document" | "settings"


@dataclass(frozen=True)
class CheckSettings:
    """What the user may tell the checker about a park (STANDARD.md: every [inferred]
    fact is a setting). ``origins`` says where a field's value came from ("config",
    "cli"; filled by whoever read it); a field set without an origin is "settings"."""

    growth_rate: float | None = None  # the park's construction-period value-added growth
    region: RegionKey | None = None  # overrides the region found in the address
    threshold_overrides: Mapping[int, float] = field(default_factory=dict)  # footnote a
    min_optional_assessed: int | None = None
    standard: str | None = None  # a standard name such as "HJ 274-2015"; None = detect
    water_scarce_cities: tuple[str, ...] = ()  # places whose parks take #16's 缺水城市 tier
    park_regions: Mapping[str, RegionKey] = field(default_factory=dict)  # park name (or a
    # substring of it) → "water_scarce" | "jingjinji" | "other"
    origins: Mapping[str, SettingOrigin] = field(default_factory=dict)

    def origin(self, name: str) -> SettingOrigin:
        return self.origins.get(name, "settings")


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


@dataclass(frozen=True, slots=True)
class RegionChoice:
    key: RegionKey | None
    basis: str  # in words, for the rule text
    origin: SettingOrigin


def park_region(report: Report, standard: Standard, settings: CheckSettings) -> RegionChoice:
    """The park's region for region-tiered rules and why. Order: a region given for this
    check, a park → region mapping, 京津冀 from the address (sourced list), the user's
    缺水城市 list, a region the document's address gave (regions.yaml)."""
    park = report.park
    if settings.region is not None:
        return RegionChoice(
            settings.region, "the region given in the settings", settings.origin("region")
        )
    for name, key in settings.park_regions.items():
        if name and park.name and clean(name) in clean(park.name):
            return RegionChoice(
                key, f"park_regions maps '{name}' to {key}", settings.origin("park_regions")
            )
    found = _region_key(report, standard)
    if found == "jingjinji":
        return RegionChoice(found, park.region_basis or "the park's address", "document")
    place = first_place(settings.water_scarce_cities, park.address, park.name)
    if place is not None:
        return RegionChoice(
            "water_scarce",
            f"'{place}' (water_scarce_cities) in the park's address or name",
            settings.origin("water_scarce_cities"),
        )
    if found is not None:
        return RegionChoice(found, park.region_basis or "the park's address", "document")
    return RegionChoice(None, "region unknown", "default")


def evaluate(
    spec: IndicatorSpec,
    yv: YearValue,
    report: Report,
    standard: Standard,
    settings: CheckSettings,
    region: RegionChoice | None = None,
) -> Outcome:
    rule = spec.rule
    if rule is None:
        return Outcome(None, f"requirement '{spec.requirement}' cannot be read as a rule")
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
    choice = region or park_region(report, standard, settings)
    out = _tiered(yv, rule, choice.key, standard)
    if choice.key is not None and choice.key in rule.tiers:
        return Outcome(out.passed, f"{out.rule} (region: {choice.basis})", out.assumption)
    return out


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


# Document kinds that get no verdict: their tables are kept, nothing is judged.
NOT_JUDGED: frozenset[DocumentKind] = frozenset({"other_programme", "not_a_report"})


def check(report: Report, standard: Standard, settings: CheckSettings | None = None) -> Report:
    """Fill computed results, claim and selection findings, and the verdict (in place;
    the same report is returned)."""
    settings = settings or CheckSettings()
    used = _settings_used(report, settings)
    dt = report.document_type
    if dt is not None and dt.kind != "hj274_2015_annual" and not standard.printed:
        # only an HJ 274-2015 report is judged by a standard's rules; the others only by
        # the requirements they print, when they print any
        why = f"this is {_a(dt.label)} ({dt.kind})"
        if dt.kind not in NOT_JUDGED:
            why += "; its standard is not encoded and it prints no requirement readable as a rule"
        return _not_judged(report, why, used, f"{why}; basis: {dt.basis}")
    if not standard.encoded:
        why = f"{standard.id} 《{standard.title}》 is not encoded"
        if standard.note:
            why += f" ({standard.note})"
        if report.standard and report.standard != standard.id:
            why += (
                f"; the report follows {report.standard}, so the requirements it prints are not "
                f"{standard.id}'s either"
            )
        return _not_judged(report, why, used)
    followed = _followed(report, standard)
    if followed is not None:
        return _not_encoded(report, followed, standard, used)
    region = park_region(report, standard, settings)
    if any(isinstance(s.rule, RegionTieredRule) for s in standard.indicators):
        used["region"] = region.origin
        if (
            region.key is not None
            and region.origin != "document"
            and region.key in standard.regions
        ):
            report.park.region = standard.regions[region.key]
            report.park.region_basis = f"{region.basis} (from {region.origin})"
    for ind in report.indicators:
        spec = standard.by_number(ind.number)
        if spec is None:
            continue
        for yv in ind.values:
            if yv.year is not None:
                yv.computed_pass = evaluate(spec, yv, report, standard, settings, region).passed
        current = report_value(ind, report.report_year)
        if current is None:
            ind.rule = f"{spec.requirement}: no value for {report.report_year}"
            continue
        out = evaluate(spec, current, report, standard, settings, region)
        if out.assumption and ind.claimed_pass is not None and ind.claimed_pass != out.passed:
            # Met under the assumed region only: the report's claim fits another region's
            # tier (a 缺水城市 park printing 否 at 13 %), so neither side is known wrong.
            out = Outcome(
                None,
                f"{out.rule}; the report's claim ({ind.claim_text}) fits another region's "
                "tier: undetermined until the park's region is set",
                out.assumption,
            )
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
    if standard.evaluation.mode == "mandatory_plus_optional":
        _selection(report, standard, settings)
        used["min_optional_assessed"] = (
            settings.origin("min_optional_assessed")
            if settings.min_optional_assessed is not None
            else "default"
        )
    report.verdict = verdict(report, standard, settings, used)
    return report


def refresh_verdict(
    report: Report, standard: Standard, settings: CheckSettings | None = None
) -> Report:
    """The verdict again from the record as it is now (findings added after ``check``,
    e.g. OCR checks that need computed results, can turn a decided verdict into one
    that needs review). Judged results and findings are left as they are."""
    old = report.verdict
    if old is None or old.basis is None:
        return report  # not judged: nothing a finding could change
    report.verdict = verdict(report, standard, settings or CheckSettings(), dict(old.settings_used))
    return report


def _settings_used(report: Report, settings: CheckSettings) -> dict[str, SettingOrigin]:
    if settings.standard is not None:
        origin = settings.origin("standard")
    elif report.standard_basis and "assumed" in report.standard_basis:
        origin = "default"
    else:
        origin = "document"
    return {"standard": origin}


def _a(label: str) -> str:
    return f"a {label} document"


def _not_judged(
    report: Report, why: str, used: dict[str, SettingOrigin], long: str | None = None
) -> Report:
    """No rule applied at all: values are kept as printed, nothing is judged."""
    for ind in report.indicators:
        ind.computed_pass = None
        ind.rule = f"not judged: {why}"
        for yv in ind.values:
            yv.computed_pass = None
    report.verdict = Verdict(
        meets_standard=None,
        basis=None,
        settings_used=used,
        explanation=f"Not judged — {long or why}. Its tables are kept as printed; no rule is "
        "applied.",
    )
    return report


def _followed(report: Report, standard: Standard) -> Standard | None:
    """The standard the report follows when it is another one whose rules are not
    encoded (HJ 274-2009 …); None when ``standard`` applies."""
    if standard.printed or report.standard is None or report.standard == standard.id:
        return None
    try:
        other = load_standard(report.standard)
    except KeyError:
        return None
    return None if other.encoded else other


def _not_encoded(
    report: Report, followed: Standard, mapped_onto: Standard, used: dict[str, SettingOrigin]
) -> Report:
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
        settings_used=used,
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
                message=f"{_n(count, 'optional indicator')} assessed; at least {minimum} "
                f"required ({status} setting min_optional_assessed)",
                evidence={"assessed": [i.number for i in optional if i.assessed]},
            )
        )


# --- the verdict -----------------------------------------------------------------------

# A cell carrying one of these findings at warning or error is doubtful: a verdict may
# not rest on it until a person confirms it (or the report's own 是否达标 does).
DOUBT_KINDS = frozenset({"low_confidence", "unparsed_value", "implausible_value"})
DOUBT_SEVERITIES = frozenset({"warning", "error"})


def _doubts(report: Report, ind: Indicator) -> list[Finding]:
    return [
        f
        for f in report.findings
        if f.indicator == ind.number and f.kind in DOUBT_KINDS and f.severity in DOUBT_SEVERITIES
    ]


def _place(values: Mapping[str, object]) -> dict[str, object]:
    """page/line/bbox of a finding's evidence or a provenance, bbox as a list (a record
    read back from JSON has lists where the model has tuples)."""
    out: dict[str, object] = {}
    for k in ("page", "line", "bbox"):
        v = values.get(k)
        if v is not None:
            out[k] = list(v) if isinstance(v, tuple | list) else v
    return out


def _on_value_row(f: Finding, ind: Indicator) -> bool:
    """A row-level finding (no column) concerns the values when it points at the row the
    values were read from, or at no place; one on the pass/fail table's row concerns
    the claim."""
    place = _place(f.evidence)
    row = _place(ind.provenance.model_dump(exclude_none=True))
    return not place or all(row.get(k) == v for k, v in place.items())


def _cell_findings(report: Report, ind: Indicator, yv: YearValue) -> list[Finding]:
    """Doubt findings that concern this value cell: those naming its column, and
    row-level ones on its row (a row matched by its 序号 only: its identity is doubtful,
    so every value of it is)."""
    return [
        f
        for f in _doubts(report, ind)
        if (f.evidence.get("column") == yv.column)
        or ("column" not in f.evidence and _on_value_row(f, ind))
    ]


def _claim_doubtful(report: Report, ind: Indicator) -> bool:
    return any(
        f.evidence.get("column") == "是否达标"
        or ("column" not in f.evidence and not _on_value_row(f, ind))
        for f in _doubts(report, ind)
    )


def review_cell(report: Report, ind: Indicator) -> ReviewCell | None:
    """The indicator's deciding cell when it is doubtful and not confirmed by the report's
    own 是否达标; None when the cell can decide (or there is no cell)."""
    yv = report_value(ind, report.report_year)
    if yv is None:
        return None
    found = _cell_findings(report, ind, yv)
    if not found:
        return None
    confirmed = (
        ind.computed_pass is not None
        and ind.claimed_pass is not None
        and ind.claimed_pass == ind.computed_pass
        and not _claim_doubtful(report, ind)
    )
    if confirmed:
        return None
    first = found[0]
    return ReviewCell(
        indicator=ind.number,
        year=yv.year,
        reason=f"{yv.column} '{yv.text}': {first.message}",
        finding_kind=first.kind,
    )


@dataclass(slots=True)
class _Tally:
    met: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    open: list[int] = field(default_factory=list)  # undetermined or doubtful


def _state(
    report: Report, spec: IndicatorSpec, ind: Indicator | None, review: dict[int, ReviewCell]
) -> str:
    if ind is not None:
        cell = review_cell(report, ind)
        if cell is not None:
            review[spec.number] = cell
            return "open"
    if ind is None or ind.computed_pass is None:
        return "open"
    return "met" if ind.computed_pass else "failed"


def _counts(spec: IndicatorSpec, ind: Indicator | None, standard: Standard) -> bool:
    """Whether the indicator must meet its requirement under the evaluation mode."""
    ev = standard.evaluation
    if ev.mode == "all":
        return True
    if ev.mode == "category_minimums":
        # outside a category with a minimum every indicator counts; a 必选 one always
        return spec.mandatory or spec.category not in {c.category for c in ev.category_minimums}
    return spec.mandatory or (ind is not None and ind.assessed is True)


def verdict(
    report: Report,
    standard: Standard,
    settings: CheckSettings | None = None,
    settings_used: dict[str, SettingOrigin] | None = None,
) -> Verdict:
    del settings  # the verdict reads only the record; kept for a uniform call
    present = {i.number: i for i in report.indicators}
    ev = standard.evaluation
    review: dict[int, ReviewCell] = {}
    required, optional = _Tally(), _Tally()
    for spec in standard.indicators:
        ind = present.get(spec.number)
        if not _counts(spec, ind, standard):
            continue
        tally = required if (spec.mandatory or ev.mode != "mandatory_plus_optional") else optional
        getattr(tally, _state(report, spec, ind, review)).append(spec.number)
    categories: list[tuple[CategoryMinimum, _Tally]] = []
    for rule in ev.category_minimums if ev.mode == "category_minimums" else ():
        t = _Tally()
        for spec in standard.indicators:
            if spec.category == rule.category:
                getattr(t, _state(report, spec, present.get(spec.number), review)).append(
                    spec.number
                )
        categories.append((rule, t))
    basis: VerdictBasis = "printed_requirements" if standard.printed else "standard"
    judged = required.met + required.failed + optional.met + optional.failed
    judged += [n for _, t in categories for n in t.met + t.failed]
    cat_failed = [(r, t) for r, t in categories if len(t.met) + len(t.open) < r.min_met]
    cat_open = [(r, t) for r, t in categories if len(t.met) < r.min_met <= len(t.met) + len(t.open)]
    meets: bool | None
    needs: list[ReviewCell] = []
    name = _basis_name(standard)
    if required.failed or optional.failed or cat_failed:
        meets = False
        parts = []
        if required.failed:
            what = "mandatory indicators" if ev.mode == "mandatory_plus_optional" else "indicators"
            parts.append(f"{what} not met: {_nums(required.failed)}")
        if optional.failed:
            parts.append(f"assessed optional indicators not met: {_nums(optional.failed)}")
        for r, t in cat_failed:
            parts.append(
                f"{r.category}: {len(t.met)} of {len(t.met) + len(t.failed) + len(t.open)} met, "
                f"at least {r.min_met} required"
            )
        explanation = f"Does not meet {name}: " + "; ".join(parts) + "."
    elif not judged and not review:
        meets = None
        explanation = (
            f"Not judged against {name}: nothing could be checked "
            f"({_n(len(standard.indicators), 'indicator')} in the rules, "
            f"{_n(len(report.indicators), 'indicator')} in the report, none with a result)."
        )
    elif required.open or optional.open or cat_open:
        meets = None
        open_numbers = required.open + optional.open + [n for _, t in cat_open for n in t.open]
        needs = [review[n] for n in sorted(set(open_numbers)) if n in review]
        rest = [n for n in open_numbers if n not in review]
        parts = []
        if needs:
            cells = "; ".join(f"#{c.indicator} {c.reason}" for c in needs)
            parts.append(f"the verdict would rest on doubtful cells — {cells}")
        if rest:
            parts.append(
                f"no computable result for {_nums(sorted(set(rest)))} (missing or unparsed values)"
            )
        explanation = "Undetermined: " + "; ".join(parts) + "."
        if needs:
            explanation += " A confirmed value decides."
    else:
        meets = True
        explanation = _pass_text(name, ev.mode, required, optional, categories)
    if basis == "printed_requirements":
        rules = "; ".join(
            f"#{i.number} {i.raw_name}: {i.rule}" for i in report.indicators if i.rule
        )
        explanation += f" Basis: the requirements printed in the report. Rules applied: {rules}."
    return Verdict(
        meets_standard=meets,
        basis=basis,
        needs_review=needs,
        settings_used=dict(settings_used or {}),
        mandatory_failed=required.failed,  # the indicators the mode requires
        assessed_optional_failed=optional.failed,
        assessed_optional_count=sum(1 for i in report.indicators if not i.mandatory and i.assessed),
        undetermined=sorted(
            set(required.open + optional.open + [n for _, t in cat_open for n in t.open])
        ),
        explanation=explanation,
    )


def _basis_name(standard: Standard) -> str:
    return (
        f"the requirements printed in the report ({standard.title})"
        if standard.printed
        else standard.id
    )


def _pass_text(
    name: str,
    mode: str,
    required: _Tally,
    optional: _Tally,
    categories: list[tuple[CategoryMinimum, _Tally]],
) -> str:
    if mode == "mandatory_plus_optional":
        text = f"Meets {name}: {_all(len(required.met), 'mandatory indicator')}"
        if optional.met:
            text += f" and {_all(len(optional.met), 'assessed optional indicator')}"
        text += f" {_meet(len(required.met) + len(optional.met))}"
        if not optional.met:
            text += "; no optional indicator is assessed"
        return text + "."
    parts = []
    if required.met:
        parts.append(f"{_all(len(required.met), 'required indicator')} {_meet(len(required.met))}")
    for r, t in categories:
        total = len(t.met) + len(t.failed) + len(t.open)
        parts.append(f"{r.category}: {len(t.met)} of {total} met (at least {r.min_met} required)")
    return f"Meets {name}: " + "; ".join(parts) + "."


def _n(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _all(n: int, what: str) -> str:
    """'all 17 mandatory indicators', 'the 1 mandatory indicator' — never 'all 0'."""
    if n == 1:
        return f"the 1 {what}"
    return f"all {n} {what}s"


def _meet(n: int) -> str:
    return "meets its requirement" if n == 1 else "meet their requirements"


def _nums(numbers: list[int]) -> str:
    return ", ".join(f"#{n}" for n in numbers)


__all__ = ["CheckSettings", "check", "evaluate", "refresh_verdict", "verdict"]
