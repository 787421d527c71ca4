"""RawReport → Report: labels mapped to the standard, values parsed, tables reconciled.

The checker (schemas/checker.py) runs after this; here only what the document says is
turned into the record, and every disagreement between its parts becomes a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.raw import RawFigure, RawReport, RawRow, RawTable
from extract.source import Loc
from normalize.labels import MATCH_THRESHOLD, assign, split_footnote
from normalize.numbers import parse_value, parse_yes_no
from normalize.region import region_of
from normalize.text import clean, clean_requirement, key
from normalize.units import money_to_yi, same_unit
from schemas.record import (
    Figure,
    Finding,
    Indicator,
    Park,
    Provenance,
    Report,
    SourceInfo,
    YearValue,
)
from schemas.standard import Standard

# Relative difference under which two mentions of one figure are the same amount
# (rounding: 15.2 亿 vs 151776.3664 万元).
FIGURE_TOLERANCE = 0.005


def provenance(loc: Loc) -> Provenance:
    return Provenance(page=loc.page, bbox=loc.bbox, line=loc.line)


def _text(row: RawRow, role: str) -> str | None:
    cell = row.cells.get(role)  # type: ignore[call-overload]
    return clean(cell.text) if cell is not None else None


def _first(tables: Sequence[RawTable], kind: str) -> RawTable | None:
    return next((t for t in tables if t.kind == kind), None)


def _mapped(table: RawTable | None, standard: Standard, report: Report) -> dict[int, RawRow]:
    """Rows of a table keyed by indicator number; unmappable rows become findings."""
    if table is None:
        return {}
    rows = table.rows
    matches = assign([(r.number, _text(r, "name") or "") for r in rows], standard)
    out: dict[int, RawRow] = {}
    where = "indicator table" if table.kind == "indicators" else "pass/fail table"
    for row, m in zip(rows, matches, strict=True):
        label = _text(row, "name") or ""
        if m.number is None:
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="low_confidence",
                    indicator=row.number,
                    message=f"{where}: row {row.number or '?'} '{label}' matches no indicator of "
                    f"{standard.id} (best score {m.score:.0f})",
                    evidence={"label": label, "score": round(m.score, 1), **_ev(row.loc)},
                )
            )
            continue
        if m.score < MATCH_THRESHOLD:
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="low_confidence",
                    indicator=m.number,
                    message=f"{where}: '{label}' taken as #{m.number} by its 序号 only "
                    f"(label score {m.score:.0f})",
                    evidence={"label": label, "score": round(m.score, 1), **_ev(row.loc)},
                )
            )
        elif m.method == "label" and row.number is not None and row.number != m.number:
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="table_mismatch",
                    indicator=m.number,
                    message=f"{where}: '{label}' is printed as 序号 {row.number} but is "
                    f"#{m.number} of {standard.id}",
                    evidence={"printed_number": row.number, **_ev(row.loc)},
                )
            )
        out[m.number] = row
    return out


def _ev(loc: Loc) -> dict[str, object]:
    return provenance(loc).model_dump(exclude_none=True)


def _assessed(text: str | None, mandatory: bool) -> bool | None:
    if text is None:
        return True if mandatory else None
    if clean(text) == "必选":
        return True
    return parse_yes_no(text)


def _values(row: RawRow, report: Report, number: int) -> list[YearValue]:
    out = []
    for col, cell in row.values:
        parsed = parse_value(cell.text)
        if parsed.kind == "unparsed":
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="unparsed_value",
                    indicator=number,
                    message=f"#{number} {clean(col.header)}: '{parsed.text}' is neither a number "
                    "nor a known qualitative value",
                    evidence={"text": parsed.text, "column": clean(col.header), **_ev(cell.loc)},
                )
            )
        out.append(
            YearValue(
                year=col.year,
                column=clean(col.header),
                value=parsed.number,
                text=parsed.text,
                provenance=provenance(cell.loc),
            )
        )
    return out


def _indicator(
    number: int, vrow: RawRow | None, crow: RawRow | None, standard: Standard, report: Report
) -> Indicator:
    spec = standard.by_number(number)
    assert spec is not None
    row = vrow or crow
    assert row is not None
    raw_name, footnote = split_footnote(_text(row, "name") or "")
    assessed_text = _text(row, "assessed")
    if assessed_text is None and crow is not None:
        assessed_text = _text(crow, "assessed")
    claim_cell = (crow.cells.get("claim") if crow else None) or row.cells.get("claim")
    del footnote  # the standard's data says which indicators carry a footnote
    return Indicator(
        number=number,
        name=spec.name,
        raw_name=raw_name,
        category=spec.category,
        raw_category=clean(row.category.text) if row.category else None,
        unit=_text(row, "unit"),
        requirement=clean_requirement(row.cells["requirement"].text)
        if "requirement" in row.cells
        else None,
        mandatory=spec.mandatory,
        assessed=_assessed(assessed_text, spec.mandatory),
        assessed_text=assessed_text,
        values=_values(vrow, report, number) if vrow else [],
        claimed_pass=parse_yes_no(claim_cell.text) if claim_cell else None,
        claim_text=clean(claim_cell.text) if claim_cell else None,
        claim_provenance=provenance(claim_cell.loc) if claim_cell else None,
        provenance=provenance(row.loc),
    )


def _compare_tables(vrows: dict[int, RawRow], crows: dict[int, RawRow], report: Report) -> None:
    """table_mismatch: the annex tables disagree on which indicators exist or how they
    are named, on unit or on 是否为考核指标."""
    if not vrows or not crows:
        return
    for n in sorted(set(vrows) ^ set(crows)):
        where, missing = ("indicator", "pass/fail") if n in vrows else ("pass/fail", "indicator")
        row = vrows.get(n) or crows[n]
        report.findings.append(
            Finding(
                severity="warning",
                kind="table_mismatch",
                indicator=n,
                message=f"#{n} is in the {where} table but not in the {missing} table",
                evidence=_ev(row.loc),
            )
        )
    for n in sorted(set(vrows) & set(crows)):
        v, c = vrows[n], crows[n]
        checks = (
            (
                "name",
                key(split_footnote(_text(v, "name") or "")[0]),
                key(split_footnote(_text(c, "name") or "")[0]),
            ),
            ("unit", _text(v, "unit"), _text(c, "unit")),
            ("是否为考核指标", _text(v, "assessed"), _text(c, "assessed")),
        )
        for what, a, b in checks:
            if a is None or b is None:
                continue
            same = same_unit(a, b) if what == "unit" else a == b
            if not same:
                report.findings.append(
                    Finding(
                        severity="warning",
                        kind="table_mismatch",
                        indicator=n,
                        message=f"#{n} {what} differs between the annex tables: "
                        f"'{_text(v, 'name') if what == 'name' else a}' vs "
                        f"'{_text(c, 'name') if what == 'name' else b}'",
                        evidence={"indicator_table": _ev(v.loc), "passfail_table": _ev(c.loc)},
                    )
                )


def _figures(mentions: Sequence[RawFigure], report: Report) -> list[Figure]:
    """One figure per (key, year): the first mention; a later one that disagrees after
    unit conversion is an inconsistent_figure finding."""
    out: dict[tuple[str, int | None], Figure] = {}
    for m in mentions:
        value = float(m.number)
        norm = money_to_yi(value, m.unit)
        fig = Figure(
            key=m.key,
            label=m.label,
            value=value,
            unit=m.unit,
            value_norm=norm[0] if norm else None,
            unit_norm=norm[1] if norm else None,
            year=m.year,
            page=m.loc.page,
            text=m.sentence,
            provenance=provenance(m.loc),
        )
        first = out.setdefault((m.key, m.year), fig)
        if first is fig or first.value_norm is None or fig.value_norm is None:
            continue
        if abs(first.value_norm - fig.value_norm) > FIGURE_TOLERANCE * abs(first.value_norm):
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="inconsistent_figure",
                    message=f"{m.key} ({m.year}) stated as {first.value:g} {first.unit} and as "
                    f"{fig.value:g} {fig.unit}",
                    evidence={
                        "first": first.provenance.model_dump(exclude_none=True),
                        "second": fig.provenance.model_dump(exclude_none=True),
                        "first_text": first.text,
                        "second_text": fig.text,
                    },
                )
            )
    return list(out.values())


def build_report(raw: RawReport, source: SourceInfo, standard: Standard) -> Report:
    report = Report(source=source, standard=standard.id)
    if raw.title_year is not None:
        report.report_year = int(raw.title_year.text)
    else:
        years = [c.year for t in raw.tables for c in t.columns if c.role == "value" and c.year]
        if years:
            report.report_year = max(years)
            report.findings.append(
                Finding(
                    severity="info",
                    kind="assumption",
                    message=f"no report year in the title; taken as {max(years)}, the latest year "
                    "column of the indicator table",
                )
            )
    report.filled_on = raw.filled_on.text if raw.filled_on else None

    info = raw.basic_info
    park = Park(**{k: clean(v.text) for k, v in info.items()})
    if park.name is None and raw.park_name_in_annex is not None:
        park.name = clean(raw.park_name_in_annex.text)
        info = {**info, "name": raw.park_name_in_annex}
    region = region_of(park.address, park.name)
    park.region = standard.regions[region] if region else None  # type: ignore[index]
    park.provenance = {k: provenance(v.loc) for k, v in info.items()}
    report.park = park

    vtable, ctable = _first(raw.tables, "indicators"), _first(raw.tables, "claims")
    vrows = _mapped(vtable, standard, report)
    crows = _mapped(ctable, standard, report)
    _compare_tables(vrows, crows, report)
    for spec in standard.indicators:
        n = spec.number
        if n not in vrows and n not in crows:
            report.findings.append(
                Finding(
                    severity="error" if spec.mandatory else "warning",
                    kind="missing_indicator",
                    indicator=n,
                    message=f"#{n} {spec.name} is in neither annex table",
                )
            )
            continue
        if n not in vrows and vtable is not None:
            report.findings.append(
                Finding(
                    severity="error" if spec.mandatory else "warning",
                    kind="missing_indicator",
                    indicator=n,
                    message=f"#{n} {spec.name} has no row in the indicator table "
                    "(no values); its claim comes from the pass/fail table",
                )
            )
        report.indicators.append(_indicator(n, vrows.get(n), crows.get(n), standard, report))
    report.figures = _figures(raw.figures, report)
    return report
