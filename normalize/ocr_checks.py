"""low_confidence findings for values read by OCR.

A value read by OCR is trusted only when the recogniser was sure of every glyph *and*
the number survives the checks a misreading typically fails: digits confused with
letters (0/O, 1/l/I, 5/S, 8/B, 2/Z), a lost decimal point (779 for 7.79), a value
outside the indicator's plausible range (schemas/data/plausibility.yaml), and a value
that contradicts the report's own 是否达标. A value failing any of them keeps its best
reading and gets a ``low_confidence`` finding with the page and bbox of the cell, so a
person can look at the crop.

Run after ``schemas.checker.check`` (it needs ``computed_pass``); cell confidences come
from the reader's cells, keyed by where they were printed (``cell_confidences``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import regex

from extract.source import BBox, Table
from normalize.plausibility import Plausibility, breaks, load_plausibility, number
from schemas.record import Finding, Indicator, Provenance, Report, YearValue

Key = tuple[int, tuple[float, float, float, float]]

# Letters OCR reads for digits in number cells; in a numeric column they are misreads.
_CONFUSABLE = regex.compile(r"(?<=[\d.])[OoDQlI|iSsBZzg]|[OoDQlI|iSsBZzg](?=[\d.])")
_DECIMALS = regex.compile(r"\.(\d+)")
# Forms no report prints a value in: a leading 0 before more digits (05.3), two
# numbers in one cell (100-0.029, 3.04 2.1), two decimal points.
_ODD_FORM = regex.compile(r"^[-−－‒]?0\d|\d\s*[-−－‒]\s*\d|\d\s+[-−－‒]?\d|\.\d*\.|\n\s*[-−－‒]?\d")
# A value this many times its other-year neighbour, printed without a decimal point
# while the neighbour has one, is a decimal point the scan lost.
DECIMAL_LOSS_RATIO = 20.0


@dataclass(frozen=True, slots=True)
class OcrCheckSettings:
    # A cell whose least certain glyph is below this is low-confidence (the reader's
    # OcrSettings.cell_confidence; kept equal).
    threshold: float = 0.9
    # Also distrust confident values that contradict the printed 是否达标.
    check_claim: bool = True


def _key(page: int | None, bbox: BBox | tuple[float, ...] | None) -> Key | None:
    if page is None or bbox is None or len(bbox) != 4:
        return None
    return (page, (round(bbox[0]), round(bbox[1]), round(bbox[2]), round(bbox[3])))


def cell_confidences(tables: Iterable[Table]) -> dict[Key, float]:
    """Confidence of every OCR cell by (page, rounded bbox); text-layer cells (no
    confidence) are left out, so a text PDF gets no findings from here."""
    out: dict[Key, float] = {}
    for table in tables:
        for row in table.rows:
            for cell in row:
                k = _key(cell.loc.page, cell.loc.bbox)
                if k is not None and cell.confidence is not None:
                    out[k] = min(cell.confidence, out.get(k, 1.0))
    return out


def _confidence(prov: Provenance | None, confidences: Mapping[Key, float]) -> float | None:
    if prov is None:
        return None
    k = _key(prov.page, prov.bbox)
    return confidences.get(k) if k is not None else None


def confusable_letters(text: str) -> bool:
    """A letter next to a digit or decimal point in a number cell (1O.5, 9S.04, l2)."""
    return bool(_CONFUSABLE.search(text))


def odd_number_form(text: str) -> bool:
    """A value cell whose number is printed in a form no report uses: a misread (a
    speck read as 0) or two rows' values in one cell."""
    return any(ch.isdigit() for ch in text) and bool(_ODD_FORM.search(text.strip()))


def lost_decimal(yv: YearValue, others: Iterable[YearValue]) -> bool:
    """An integer reading far larger than a decimal neighbour of the same indicator:
    7.79 read as 779 next to 4.6."""
    if yv.value is None or "." in yv.text or yv.value == 0:
        return False
    for o in others:
        if o is yv or o.value is None or not _DECIMALS.search(o.text) or o.value == 0:
            continue
        if abs(yv.value / o.value) >= DECIMAL_LOSS_RATIO:
            return True
    return False


def implausible(ind: Indicator, yv: YearValue, rules: Plausibility) -> str | None:
    x = number(yv)
    if x is None:
        return None
    for bound in rules.bounds:
        if ind.number in bound.indicators:
            why = breaks(x, bound)
            if why is not None:
                return f"{why} ({bound.name})"
    return None


def _claim_contradicted(ind: Indicator, yv: YearValue, report_year: int | None) -> bool:
    """The report-year value fails where the report claims a pass, or passes where it
    claims a fail — a misread digit flips exactly this."""
    if ind.claimed_pass is None or yv.computed_pass is None:
        return False
    if report_year is not None and yv.year != report_year:
        return False
    return yv.computed_pass != ind.claimed_pass


def _cross_checked(ind: Indicator, yv: YearValue, report_year: int | None, why: list[str]) -> bool:
    """Only the engine's confidence is low, and the report's own claim confirms the
    reading: a report-year value whose computed result equals the printed 是否达标. Still
    reported (a misread can agree by chance), but as info, so the doubtful ones stand out."""
    only_confidence = len(why) == 1 and why[0].startswith("OCR confidence")
    return (
        only_confidence
        and yv.year is not None
        and yv.year == report_year
        and ind.claimed_pass is not None
        and yv.computed_pass == ind.claimed_pass
    )


def value_reasons(
    ind: Indicator,
    yv: YearValue,
    conf: float,
    report_year: int | None,
    rules: Plausibility,
    settings: OcrCheckSettings,
) -> list[str]:
    """Why an OCR-read value is not to be trusted (empty: trust it)."""
    why: list[str] = []
    if conf < settings.threshold:
        why.append(f"OCR confidence {conf:.2f} below {settings.threshold:g}")
    if confusable_letters(yv.text):
        why.append("letters OCR confuses with digits (O/0, l/1, S/5, B/8)")
    if odd_number_form(yv.text):
        why.append("odd number form (a leading 0, or two numbers in one cell)")
    if lost_decimal(yv, ind.values):
        why.append("no decimal point where the other year has one: a lost decimal point?")
    bad = implausible(ind, yv, rules)
    if bad is not None:
        why.append(f"implausible: {bad}")
    if settings.check_claim and _claim_contradicted(ind, yv, report_year):
        why.append("contradicts the printed 是否达标")
    return why


def _finding(
    ind: Indicator,
    what: str,
    text: str,
    conf: float,
    prov: Provenance,
    why: list[str],
    severity: Literal["warning", "info"] = "warning",
) -> Finding:
    return Finding(
        severity=severity,
        kind="low_confidence",
        indicator=ind.number,
        message=f"#{ind.number} {what}: OCR read {text!r}; check the page crop ({'; '.join(why)})",
        evidence={
            "source": "ocr",
            "column": what,
            "text": text,
            "confidence": round(conf, 4),
            "checks": why,
            **prov.model_dump(exclude_none=True),
        },
    )


def ocr_findings(
    report: Report,
    confidences: Mapping[Key, float],
    settings: OcrCheckSettings | None = None,
    rules: Plausibility | None = None,
) -> list[Finding]:
    """low_confidence findings for the report's OCR-read values and claims."""
    s = settings or OcrCheckSettings()
    if not confidences:
        return []
    rules = rules or load_plausibility()
    out: list[Finding] = []
    for ind in report.indicators:
        for yv in ind.values:
            conf = _confidence(yv.provenance, confidences)
            if conf is None:
                continue
            why = value_reasons(ind, yv, conf, report.report_year, rules, s)
            if why:
                checked = _cross_checked(ind, yv, report.report_year, why)
                severity: Literal["warning", "info"] = "info" if checked else "warning"
                if checked:
                    why.append("agrees with the printed 是否达标")
                out.append(_finding(ind, yv.column, yv.text, conf, yv.provenance, why, severity))
        conf = _confidence(ind.claim_provenance, confidences)
        if conf is not None and conf < s.threshold and ind.claim_provenance is not None:
            why = [f"OCR confidence {conf:.2f} below {s.threshold:g}"]
            out.append(
                _finding(ind, "是否达标", ind.claim_text or "", conf, ind.claim_provenance, why)
            )
    return out


def add_ocr_findings(report: Report, tables: Iterable[Table]) -> int:
    """The one call for the pipeline: append the findings; returns how many."""
    found = ocr_findings(report, cell_confidences(tables))
    report.findings.extend(found)
    return len(found)
