"""RawReport → Report: labels mapped to the standard, values parsed, tables reconciled.

The checker (schemas/checker.py) runs after this; here only what the document says is
turned into the record, and every disagreement between its parts becomes a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import regex

from extract.raw import RawFigure, RawQuantity, RawReport, RawRow, RawTable
from extract.source import Cell, Loc
from normalize.labels import MATCH_THRESHOLD, LabelMatch, assign, split_footnote
from normalize.plausibility import plausibility_findings
from normalize.quantities import Quantity, contradictions
from normalize.region import find_region
from normalize.requirements import describe, parse_requirement, same_rule
from normalize.standards import detect_standard
from normalize.units import compatible, conversion_factor, money_to_yi, parse_unit, same_unit
from schemas.numbers import decimals, parse_value, parse_yes_no
from schemas.record import (
    Figure,
    Finding,
    FindingKind,
    Indicator,
    Park,
    Provenance,
    Report,
    Severity,
    SourceInfo,
    YearValue,
)
from schemas.standard import IndicatorSpec, Standard
from schemas.text import clean, clean_requirement, key


def provenance(loc: Loc) -> Provenance:
    return Provenance(
        page=loc.page,
        bbox=loc.bbox,
        line=loc.line,
        table=loc.table,
        row=loc.row,
        cell=loc.cell,
        sheet=loc.sheet,
    )


def _text(row: RawRow, role: str) -> str | None:
    cell = row.cells.get(role)  # type: ignore[call-overload]
    return clean(cell.text) if cell is not None else None


def _first(tables: Sequence[RawTable], kind: str) -> RawTable | None:
    return next((t for t in tables if t.kind == kind), None)


def _mapped(
    table: RawTable | None,
    standard: Standard,
    report: Report,
    scores: dict[int, float] | None = None,
) -> dict[int, RawRow]:
    """Rows of a table keyed by indicator number; unmappable rows become findings.
    ``scores`` receives each mapped number's label score (the lower of two tables)."""
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
        _keep_score(scores, m)
    return out


def _keep_score(scores: dict[int, float] | None, m: LabelMatch) -> None:
    if scores is not None and m.number is not None:
        scores[m.number] = round(min(scores.get(m.number, 100.0), m.score), 1)


def _ev(loc: Loc) -> dict[str, object]:
    return provenance(loc).model_dump(exclude_none=True)


def _assessed(text: str | None, mandatory: bool) -> bool | None:
    if text is None:
        return True if mandatory else None
    if clean(text) == "必选":
        return True
    return parse_yes_no(text)


def _cell_factor(
    spec: IndicatorSpec, unit: str, factor: float | None, cell: Cell, report: Report
) -> float | None:
    """A unit printed in the value cell itself (39.01万元/人, 10个): the factor into the
    standard's unit; a unit that is not the standard's gets a finding on that cell."""
    if compatible(unit, spec.unit, spec.units_seen):
        return None
    cell_factor = conversion_factor(unit, spec.unit)
    if cell_factor is not None:
        message = (
            f"#{spec.number}: '{clean(cell.text)}' is printed in {unit}, the standard uses "
            f"{spec.unit}: converted (× {cell_factor:g}) into value_std"
        )
        kind: FindingKind = "unit_mismatch"
    else:
        message = (
            f"#{spec.number}: '{clean(cell.text)}' carries '{unit}', which is not the "
            f"standard's unit ({spec.unit}) and does not convert: the number is kept as "
            "printed and may not be in the standard's unit"
        )
        kind = "low_confidence"
    report.findings.append(
        Finding(
            severity="warning",
            kind=kind,
            indicator=spec.number,
            message=message,
            evidence={"text": clean(cell.text), "printed_unit": unit, **_ev(cell.loc)},
        )
    )
    return cell_factor if cell_factor is not None else factor


def _cell_note(
    report: Report,
    number: int,
    header: str,
    loc: Loc,
    severity: Severity,
    kind: FindingKind,
    message: str,
    text: str,
) -> None:
    """A finding on one value cell: its indicator, column and place."""
    report.findings.append(
        Finding(
            severity=severity,
            kind=kind,
            indicator=number,
            message=f"#{number} {clean(header)}: {message}",
            evidence={"text": text, "column": clean(header), **_ev(loc)},
        )
    )


def _values(
    row: RawRow, report: Report, spec: IndicatorSpec, factor: float | None = None
) -> list[YearValue]:
    """The row's year values; ``factor`` converts a number into the standard's unit."""
    number = spec.number
    out = []
    for col, cell in row.values:
        parsed = parse_value(cell.text)
        note = partial(_cell_note, report, number, col.header, cell.loc)
        if parsed.kind in ("na", "empty"):
            shown = f"'{parsed.text}'" if parsed.text else "blank"
            note("info", "no_value", f"{shown}, no value (kept null)", parsed.text)
        cell_factor = factor
        if parsed.unit is not None:
            cell_factor = _cell_factor(spec, parsed.unit, factor, cell, report)
        if parsed.kind == "unparsed":
            message = f"'{parsed.text}' is neither a number nor a known qualitative value"
            note("warning", "unparsed_value", message, parsed.text)
        if (
            parsed.kind == "number"
            and "\n" in cell.text.strip()
            and decimals(parsed.text) >= GLUED_DECIMALS
        ):
            # Lines of a wrapped cell joined into one number with more decimals than
            # reports print (7.11 / 59 of the next row's 59.38): the number may be glued.
            lines = " | ".join(ln.strip() for ln in cell.text.splitlines() if ln.strip())
            message = f"'{parsed.text}' joins the lines {lines}; they may be two numbers"
            note("warning", "low_confidence", message, cell.text)
        out.append(
            YearValue(
                year=col.year,
                column=clean(col.header),
                value=parsed.number,
                value_std=_convert(parsed.number, cell_factor, cell.text),
                text=parsed.text,
                provenance=provenance(cell.loc),
            )
        )
    return out


# Decimals a number joined from a wrapped cell's lines may have before it is doubted.
GLUED_DECIMALS = 4


def _convert(value: float | None, factor: float | None, printed: str) -> float | None:
    """The value in the standard's unit, to the printed precision plus the factor's."""
    if value is None or factor is None:
        return None
    shift = max(0, -int(f"{factor:e}".split("e")[1]))
    return round(value * factor, decimals(clean(printed)) + shift + 2)


def _unit_factor(spec: IndicatorSpec, unit: str | None, report: Report, loc: Loc) -> float | None:
    """unit_mismatch: the printed unit is neither the standard's nor a documented
    alternative. Returns the conversion factor into the standard's unit when there is one."""
    if compatible(unit, spec.unit, spec.units_seen):
        return None
    factor = conversion_factor(unit or "", spec.unit)
    if factor is not None:
        message = (
            f"#{spec.number} is printed in {unit}, the standard uses {spec.unit}: values "
            f"converted (× {factor:g}) into value_std and judged in {spec.unit}"
        )
    else:
        message = (
            f"#{spec.number} is printed in '{unit}', the standard uses '{spec.unit}'; the "
            "units do not convert, values are judged as printed"
        )
    report.findings.append(
        Finding(
            severity="warning",
            kind="unit_mismatch",
            indicator=spec.number,
            message=message,
            evidence={
                "printed_unit": unit,
                "standard_unit": spec.unit,
                "factor": factor,
                **_ev(loc),
            },
        )
    )
    return factor


def _requirements(spec: IndicatorSpec, rows: dict[str, RawRow | None], report: Report) -> None:
    """requirement_mismatch: a printed requirement whose rule is not the standard's."""
    for where, row in rows.items():
        cell = row.cells.get("requirement") if row is not None else None
        if cell is None or not clean(cell.text):
            continue
        printed = clean_requirement(cell.text)
        rule = parse_requirement(cell.text)
        if same_rule(rule, spec.rule):
            continue
        unreadable = rule is None
        report.findings.append(
            Finding(
                severity="info" if unreadable else "warning",
                kind="requirement_mismatch",
                indicator=spec.number,
                message=(
                    f"#{spec.number} {where}: requirement '{printed}' "
                    + (
                        "could not be read as a rule"
                        if unreadable
                        else f"means {describe(rule)}, the standard says {describe(spec.rule)}"
                    )
                    + f" ({spec.requirement}); judged by the standard's rule"
                ),
                evidence={"printed": printed, "standard": spec.requirement, **_ev(cell.loc)},
            )
        )


_NAME_UNIT = regex.compile(r"[(（](?P<unit>[^()（）]{1,10})[)）]\s*$")


def _name_unit(row: RawRow) -> str | None:
    """A unit in brackets at the end of the printed name, when it parses as a unit."""
    m = _NAME_UNIT.search(_text(row, "name") or "")
    return m["unit"] if m is not None and parse_unit(m["unit"]) is not None else None


def _indicator(
    number: int, vrow: RawRow | None, crow: RawRow | None, standard: Standard, report: Report
) -> Indicator:
    spec = standard.by_number(number)
    assert spec is not None
    row = vrow or crow
    assert row is not None
    _requirements(spec, {"indicator table": vrow, "pass/fail table": crow}, report)
    unit = (_text(vrow, "unit") if vrow else None) or (_text(crow, "unit") if crow else None)
    if unit is None and vrow is not None:
        # No unit column: a unit in the value columns' header (指标值（%）) or the name's
        # end (工业用水重复利用率（%）).
        unit = next((c.unit for c, _ in vrow.values if c.unit), None) or _name_unit(vrow)
    factor = _unit_factor(spec, unit, report, row.loc)
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
        values=_values(vrow, report, spec, factor) if vrow else [],
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
        _compare_values(n, v, c, report)


def _compare_values(n: int, v: RawRow, c: RawRow, report: Report) -> None:
    """table_mismatch: both tables print a value for one year column, and they differ."""
    theirs = {col.year: cell for col, cell in c.values if col.year is not None}
    for col, cell in v.values:
        other = theirs.get(col.year) if col.year is not None else None
        if other is None:
            continue
        a, b = parse_value(cell.text), parse_value(other.text)
        same = a.number == b.number if a.kind == b.kind == "number" else a.text == b.text
        if not same:
            report.findings.append(
                Finding(
                    severity="warning",
                    kind="table_mismatch",
                    indicator=n,
                    message=f"#{n} {col.year}: '{a.text}' in the indicator table, "
                    f"'{b.text}' in the pass/fail table",
                    evidence={"indicator_table": _ev(cell.loc), "passfail_table": _ev(other.loc)},
                )
            )


def _figure_amounts_agree(a: Figure, b: Figure) -> bool:
    """Rounding-aware: within half a unit of the last printed digit of the less precise
    of the two (in 亿元), as for every other narrative amount."""
    if a.value_norm is None or b.value_norm is None:
        return True  # not money: nothing to compare
    half = [
        0.5 * 10.0 ** -decimals(f"{f.value:g}") * (n / f.value if f.value else 1.0)
        for f, n in ((a, a.value_norm), (b, b.value_norm))
    ]
    return abs(a.value_norm - b.value_norm) <= max(half) * (1 + 1e-9)


def _figures(mentions: Sequence[RawFigure], report: Report) -> list[Figure]:
    """One figure per (key, year): the first mention; a later one that disagrees after
    unit conversion is an inconsistent_figure finding."""
    out: dict[tuple[str, int | None], Figure] = {}
    for m in mentions:
        value = float(m.number.replace(",", ""))  # 11,773,000 万元
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
        if first.unit_norm != fig.unit_norm:
            continue  # 美元 and 人民币 are not compared
        if not _figure_amounts_agree(first, fig):
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


def _place(q: RawQuantity) -> dict[str, object]:
    """Where a mention stands: page/line, and the heading of its section."""
    place: dict[str, object] = {**_ev(q.loc), "text": q.sentence}
    if q.section is not None:
        place["section"] = q.section
        if q.section_loc is not None:
            place["section_at"] = _ev(q.section_loc)
    return place


def _amount(q: Quantity) -> str:
    m = q.mention
    return f"{m.approx if m.approx in ('约', '近', '大约') else ''}{m.number} {m.unit}"


def quantity_findings(
    quantities: Sequence[RawQuantity], figures: Sequence[RawFigure]
) -> list[Finding]:
    """inconsistent_figure for every narrative amount stated twice with different values
    (headline figures are compared by _figures, under their key)."""
    skip = frozenset((f.sentence, f.number) for f in figures)
    out = []
    for first, later in contradictions(quantities, skip):
        subject = min((first.key, later.key), key=len)
        out.append(
            Finding(
                severity="warning",
                kind="inconsistent_figure",
                message=f"'{subject}' ({later.mention.year}) stated as {_amount(first)} and "
                f"as {_amount(later)}",
                evidence={
                    "subject": subject,
                    "first": _place(first.mention),
                    "second": _place(later.mention),
                    "first_amount": _amount(first),
                    "second_amount": _amount(later),
                },
            )
        )
    return out


def _standard(raw: RawReport, report: Report) -> None:
    """Which standard the report follows, recorded with how we know."""
    texts = [ln.text for ln in raw.lines]
    cats = [r.category.text for t in raw.tables for r in t.rows if r.category is not None]
    detected = detect_standard(texts, cats)
    report.standard, report.standard_basis = detected.standard_id, detected.basis
    if detected.assumed:
        report.findings.append(
            Finding(
                severity="info",
                kind="assumption",
                message=f"standard: {detected.basis}",
            )
        )


def build_report(raw: RawReport, source: SourceInfo, standard: Standard) -> Report:
    """The record of what the document says, mapped onto ``standard``'s indicators. The
    standard the report follows is detected and recorded in ``Report.standard``; when
    it is another, not encoded one, the checker gives no verdict."""
    report = Report(source=source, standard=standard.id)
    _standard(raw, report)
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
    region = find_region(park.address, park.name)
    if region is not None and region.region in standard.regions:
        park.region = standard.regions[region.region]
        park.region_basis = f"'{region.place}' in the park's address or name ({region.source})"
    park.provenance = {k: provenance(v.loc) for k, v in info.items()}
    report.park = park

    vtable, ctable = _first(raw.tables, "indicators"), _first(raw.tables, "claims")
    scores: dict[int, float] = {}
    vrows = _mapped(vtable, standard, report, scores)
    crows = _mapped(ctable, standard, report, scores)
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
        ind = _indicator(n, vrows.get(n), crows.get(n), standard, report)
        ind.match_score = scores.get(n, ind.match_score)
        report.indicators.append(ind)
    if not standard.printed:  # plausibility rules are keyed on HJ 274-2015 numbers
        report.findings.extend(plausibility_findings(report.indicators))
    report.figures = _figures(raw.figures, report)
    report.findings.extend(quantity_findings(raw.quantities, raw.figures))
    return report
