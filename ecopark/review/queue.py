"""What needs a person, most decisive first: the review app's queue, built from records.

Ranks (lower first): cells that decide a verdict but are doubtful (``verdict.needs_review``),
``low_confidence``, ``unparsed_value``, ``claim_mismatch``, then failed documents. Cells a
reviewer has already settled stay in the queue (done), ranked by the doubt they had, so a
reload finds them where they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ecopark.corrections import CLAIM_COLUMN, Correction, value_final
from ecopark.report.build import row_box
from schemas.checker import report_value
from schemas.record import Finding, Indicator, Provenance, Report, YearValue
from schemas.text import clean

RANKS: Mapping[str, int] = {
    "needs_review": 0,
    "low_confidence": 1,
    "unparsed_value": 2,
    "implausible_value": 2,
    "claim_mismatch": 3,
    "corrected": 4,
    "failed": 5,
}
SOURCE_CONTEXT_LINES = 3


@dataclass
class Cell:
    """One cell of one record and why it is in the queue."""

    report: Report
    ind: Indicator | None
    field: str  # "value" | "claim" | "document"
    yv: YearValue | None
    reasons: list[dict[str, Any]]

    @property
    def key(self) -> str:
        sha = (self.report.source.sha256 or self.report.source.path)[:16]
        if self.field == "document":
            return f"{sha}:doc"
        col = (self.yv.year or clean(self.yv.column)) if self.yv else ""
        return f"{sha}:{self.ind.number if self.ind else ''}:{self.field}:{col}"


def verdict_state(report: Report) -> str:
    v = report.verdict
    if v is None:
        return "none"
    return {True: "meets", False: "fails", None: "undetermined"}[v.meets_standard]


def _by_column(ind: Indicator, column: str) -> YearValue | None:
    return next((v for v in ind.values if clean(v.column) == clean(column)), None)


def _by_location(ind: Indicator, ev: Mapping[str, Any]) -> YearValue | None:
    """A value whose page and bbox are the finding's (a Markdown row shares one line, so a
    line alone does not tell cells apart)."""
    if ev.get("bbox") is None:
        return None
    for v in ind.values:
        p = v.provenance
        if p.page == ev.get("page") and p.bbox and list(p.bbox) == list(ev["bbox"]):
            return v
    return None


def _cell_of(report: Report, f: Finding) -> tuple[str, YearValue | None] | None:
    """(field, value) a finding is about; None when it names no indicator."""
    ind = report.indicator(f.indicator) if f.indicator is not None else None
    if ind is None:
        return None
    column = f.evidence.get("column")
    if isinstance(column, str) and clean(column) == CLAIM_COLUMN:
        return "claim", None
    yv = _by_column(ind, column) if isinstance(column, str) else _by_location(ind, f.evidence)
    return "value", yv or report_value(ind, report.report_year)


def cells(report: Report, history: Sequence[Correction] = ()) -> list[Cell]:
    """Every cell of ``report`` that needs (or had) a person's look; ``history`` (its
    corrections) says why a settled cell whose doubt no longer shows was looked at."""
    found: dict[tuple[int, str, int], Cell] = {}

    def add(ind: Indicator, field: str, yv: YearValue | None, reason: dict[str, Any]) -> None:
        k = (ind.number, field, id(yv))
        if k not in found:
            found[k] = Cell(report, ind, field, yv, [])
        if reason not in found[k].reasons:
            found[k].reasons.append(reason)

    v = report.verdict
    for rc in getattr(v, "needs_review", None) or []:  # the standards' verdict states
        number = getattr(rc, "indicator", None)
        ind = report.indicator(number) if isinstance(number, int) else None
        if ind is None:
            continue
        year = getattr(rc, "year", None)
        yv = next((x for x in ind.values if x.year == year), None) if year else None
        add(
            ind,
            "value",
            yv or report_value(ind, report.report_year),
            {"kind": "needs_review", "message": str(getattr(rc, "reason", "")), "done": False},
        )
    for f in report.findings:
        original = f
        done = f.kind == "reviewed"
        if done and isinstance(f.evidence.get("finding"), dict):
            original = Finding.model_validate(f.evidence["finding"])
        if original.kind not in RANKS:
            continue
        where = _cell_of(report, original)
        ind = report.indicator(original.indicator) if original.indicator is not None else None
        if where is None or ind is None:
            continue
        add(ind, where[0], where[1], {"kind": original.kind, "message": f.message, "done": done})

    def settled(ind: Indicator, field: str, yv: YearValue | None) -> dict[str, Any]:
        why = [
            h.reason
            for h in history
            if h.reason
            and h.indicator == ind.number
            and (h.field == "claim") == (field == "claim")
            and (yv is None or h.year == yv.year or (h.year is None and h.column == yv.column))
        ]
        kind = why[-1] if why and why[-1] in RANKS else "corrected"
        return {"kind": kind, "message": "settled by a reviewer (see the history)", "done": True}

    for ind in report.indicators:  # settled cells whose doubt no longer shows
        for yv in ind.values:
            if yv.corrected_by is not None and (ind.number, "value", id(yv)) not in found:
                add(ind, "value", yv, settled(ind, "value", yv))
        if ind.claim_corrected_by is not None and (ind.number, "claim", id(None)) not in found:
            add(ind, "claim", None, settled(ind, "claim", None))
    out = list(found.values())
    if report.status == "failed":
        reason = "; ".join(f"{e.stage}: {e.message}" for e in report.errors) or "failed"
        out.append(Cell(report, None, "document", None, [{"kind": "failed", "message": reason}]))
    return out


def _rank(c: Cell) -> tuple[Any, ...]:
    best = min(RANKS.get(r["kind"], 9) for r in c.reasons)
    mandatory = bool(c.ind and c.ind.mandatory)
    this_year = bool(c.yv and c.yv.year == c.report.report_year)
    return (
        best,
        not mandatory,
        not this_year,
        c.report.source.path,
        c.ind.number if c.ind else 0,
        c.yv.year or 0 if c.yv else 0,
    )


def build(
    reports: Iterable[Report], history: Mapping[str, Sequence[Correction]] | None = None
) -> list[Cell]:
    """The queue; ``history`` maps a content hash to that document's corrections."""
    h = history or {}
    return sorted(
        (c for r in reports for c in cells(r, h.get(r.source.sha256 or "", ()))), key=_rank
    )


def _loc(p: Provenance | None) -> dict[str, Any]:
    return {"page": p.page, "bbox": p.bbox, "line": p.line} if p else {}


def _lines(text: Sequence[str], line: int | None) -> list[tuple[int, str]]:
    if not line:
        return []
    lo, hi = max(1, line - SOURCE_CONTEXT_LINES), min(len(text), line + SOURCE_CONTEXT_LINES)
    return [(i, text[i - 1][:400]) for i in range(lo, hi + 1)]


def item(
    c: Cell, history: Sequence[Correction], source_text: Sequence[str] | None
) -> dict[str, Any]:
    """The JSON the app shows for one queue entry."""
    r, ind, yv = c.report, c.ind, c.yv
    v = r.verdict
    loc = _loc(yv.provenance if yv else ind.claim_provenance if ind else None)
    sha = r.source.sha256 or ""
    mine = [
        h.model_dump(mode="json")
        for h in history
        if ind is not None
        and h.indicator == ind.number
        and (
            (c.field == "claim" and h.field == "claim")
            or (
                c.field == "value"
                and h.field in ("value", "text")
                and yv is not None
                and (h.year == yv.year if yv.year is not None else h.column == yv.column)
            )
        )
    ]
    out: dict[str, Any] = {
        "id": c.key,
        "sha256": sha,
        "path": r.source.path,
        "kind": r.source.kind,
        "park": r.park.name,
        "report_year": r.report_year,
        "status": r.status,
        "errors": [f"{e.stage}: {e.message}" for e in r.errors],
        "verdict": verdict_state(r),
        "explanation": v.explanation if v else "",
        "field": c.field,
        "reasons": c.reasons,
        # settled: every doubt reviewed, or a person has looked at this very cell
        "done": all(x.get("done", False) for x in c.reasons)
        or bool(yv and yv.corrected_by)
        or bool(c.field == "claim" and ind and ind.claim_corrected_by),
        "history": mine,
        "loc": loc,
        "lines": _lines(source_text, loc.get("line")) if source_text is not None else [],
    }
    if ind is not None:
        out |= {
            "indicator": ind.number,
            "name": ind.name,
            "raw_name": ind.raw_name,
            "unit": ind.unit,
            "requirement": ind.requirement,
            "mandatory": ind.mandatory,
            "claimed": ind.claimed_pass,
            "claim_text": ind.claim_text,
            "claim_corrected": ind.claim_corrected,
            "claim_corrected_by": ind.claim_corrected_by,
            "computed": ind.computed_pass,
            "rule": ind.rule,
            "row": row_box(ind, loc.get("page")),
            "row_values": [
                {"column": x.column, "text": x.text, "final": value_final(x)} for x in ind.values
            ],
        }
    if yv is not None:
        out |= {
            "year": yv.year,
            "column": yv.column,
            "printed": yv.text,
            "value": yv.value,
            "value_corrected": yv.value_corrected,
            "text_corrected": yv.text_corrected,
            "unreadable": yv.unreadable,
            "corrected_by": yv.corrected_by,
            "value_final": value_final(yv),
            "cell_pass": yv.computed_pass,
        }
    elif c.field == "claim" and ind is not None:
        out |= {"year": None, "column": CLAIM_COLUMN, "printed": ind.claim_text or ""}
    return out
