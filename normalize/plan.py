"""Which rules a document is checked by, decided before its rows are mapped.

- an HJ 274-2015 annual report: the encoded standard (or the one the user asked for);
  a non-encoded one asked for maps the rows onto HJ 274-2015 and judges nothing;
- a report under an older national standard or a provincial scheme: the requirements
  it prints (normalize/printed.py), with its own category-minimum rules;
- another programme's report (绿色园区, 循环化改造 …) or not a report: its rows are kept
  as printed (mapped onto its own table) and nothing is judged.
The document type is recorded with its evidence, and a non-HJ 274-2015 type is said in a
``document_type`` finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from extract.raw import RawReport
from normalize.doctype import PrintedMinimum, category_minimums, classify, load_document_types
from normalize.printed import PRINTED_PREFIX, evaluation_for, printed_standard
from normalize.requirements import parse_requirement
from normalize.standards import Detected, detect_standard
from schemas.record import DocumentType, Finding, Report
from schemas.standard import DEFAULT_STANDARD, IndicatorSpec, Standard, load_standard


@dataclass(slots=True)
class CheckPlan:
    document_type: DocumentType
    map_onto: Standard  # the indicators the rows are mapped onto
    check_against: Standard  # the rules the checker applies
    findings: list[Finding] = field(default_factory=list)

    def apply(self, report: Report) -> None:
        """Record the document type and its findings on the built report."""
        dt = report.document_type = self.document_type
        if dt.kind in ("provincial_scheme", "other_programme", "not_a_report"):
            # not a national standard's report: what it follows is what it is, and the
            # "HJ 274-2015 assumed" of the standard detection does not apply
            report.standard, report.standard_basis = dt.label, dt.basis
            report.findings = [
                f
                for f in report.findings
                if not (f.kind == "assumption" and f.message.startswith("standard:"))
            ]
        report.findings.extend(self.findings)
        if self.check_against.printed:
            report.standard_basis = (
                f"{report.standard_basis}; judged by the requirements the report prints"
                if report.standard_basis
                else "judged by the requirements the report prints"
            )


def _detected(raw: RawReport) -> Detected:
    texts = [ln.text for ln in raw.lines]
    cats = [r.category.text for t in raw.tables for r in t.rows if r.category is not None]
    return detect_standard(texts, cats)


def _type_finding(dt: DocumentType, consequence: str) -> Finding:
    return Finding(
        severity="warning",
        kind="document_type",
        message=f"this document is {dt.label} ({dt.kind}), not an HJ 274-2015 annual evaluation "
        f"report: {consequence}",
        evidence={"basis": dt.basis, "cues": dt.evidence},
    )


def _minimum_findings(minimums: list[PrintedMinimum]) -> list[Finding]:
    return [
        Finding(
            severity="info",
            kind="document_type",
            message=f"category rule printed: {m.category} at least {m.min_met} met"
            + (f" of {m.of}" if m.of else "")
            + f" ('{m.text}')",
            evidence={"text": m.text, "place": m.place},
        )
        for m in minimums
    ]


def plan_check(raw: RawReport, requested: str | None = None) -> CheckPlan:
    """The plan for one document. ``requested`` is the standard the user asked for
    (CheckSettings.standard); it applies to HJ 274 annual reports only — a document of
    another kind is never judged against a national standard it does not follow.
    Raises KeyError for an unknown standard name."""
    asked = load_standard(requested) if requested else None
    detected = _detected(raw)
    dt = classify(raw, detected)
    national = load_standard(DEFAULT_STANDARD)
    if dt.kind == "hj274_2015_annual":
        std = asked or national
        return CheckPlan(dt, std if std.encoded else national, std)
    printed = printed_standard(raw, dt.label)
    if dt.kind in ("older_national_standard", "provincial_scheme"):
        if printed is not None and any(s.rule is not None for s in printed[0].indicators):
            std, minimums = printed
            return CheckPlan(
                dt,
                std,
                std,
                [
                    _type_finding(dt, "judged by the requirements it prints"),
                    *_minimum_findings(minimums),
                ],
            )
        return CheckPlan(
            dt,
            national,
            national,  # not judged: the checker judges a non-HJ 274-2015 type by printed rules only
            [_type_finding(dt, "it prints no requirement that can be read as a rule")],
        )
    what = "its tables are kept as printed and not judged"
    return CheckPlan(dt, printed[0] if printed else national, national, [_type_finding(dt, what)])


def standard_of_record(report: Report) -> Standard:
    """The rules a record was checked by, rebuilt from the record alone — for re-running
    ``schemas.checker.check`` on a stored record (corrections) without re-reading the
    document: HJ 274-2015 (or the encoded standard it names), or for a record judged by
    its printed requirements, its own rows and the category rules it printed."""
    national = load_standard(DEFAULT_STANDARD)
    v, dt = report.verdict, report.document_type
    if v is None or v.basis != "printed_requirements" or dt is None:
        try:
            std = load_standard(report.standard or DEFAULT_STANDARD)
        except KeyError:
            return national
        return std if std.encoded else national
    specs = [
        IndicatorSpec(
            number=i.number,
            category=i.category,
            name=i.raw_name,
            unit=i.unit or "",
            requirement=i.requirement or "",
            mandatory=i.mandatory,
            rule=parse_requirement(i.requirement) if i.requirement else None,
        )
        for i in report.indicators
    ]
    printed = [
        (str(f.evidence["text"]), str(f.evidence.get("place", "")))
        for f in report.findings
        if f.kind == "document_type" and "text" in f.evidence
    ]
    minimums = category_minimums(printed, [i.category for i in report.indicators])
    proxy = next(
        (s.number for s in specs if regex.search(load_document_types().growth_proxy_name, s.name)),
        None,
    )
    return Standard(
        id=PRINTED_PREFIX + dt.label,
        title=dt.label,
        printed=True,
        note="the requirements printed in the document",
        categories=tuple(dict.fromkeys(i.category for i in report.indicators if i.category)),
        evaluation=evaluation_for(minimums, proxy),
        regions=dict(national.regions),
        indicators=tuple(specs),
    )
