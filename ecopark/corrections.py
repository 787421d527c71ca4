"""Corrections as data: what a person read on the page, kept next to what was printed.

``OUTDIR/corrections.jsonl`` is append-only, one JSON object per correction, keyed by the
document's content hash (so a correction survives re-runs, ``--force`` and renames). The
latest correction of a cell wins; every line stays as history.

Applying corrections never re-reads a document: the record keeps every printed value and
gains the corrected one (``YearValue.value_corrected`` …), and the checker is run again on
a *judged view* of the record — a copy in which the corrected values stand in for the
printed ones — whose results (computed passes, rules, findings, verdict) become the
record's. Applying is idempotent: it first takes out what the previous application added.
"""

from __future__ import annotations

import getpass
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from normalize.plan import standard_of_record
from schemas.checker import CheckSettings, check
from schemas.numbers import parse_value
from schemas.record import Finding, Indicator, Report, YearValue
from schemas.standard import Standard
from schemas.text import clean

CORRECTIONS = "corrections.jsonl"
Action = Literal["correct", "confirm", "unreadable"]
# Findings that say a cell may differ from the page: a person's look settles them.
DOUBT_KINDS = frozenset({"low_confidence", "unparsed_value", "implausible_value"})
# What the text of an unreadable cell becomes in the judged view: no rule accepts it.
UNREADABLE_TEXT = "（无法辨认）"
PARK_FIELDS = ("name", "address", "postcode", "phone", "email", "level", "type", "designation")
CLAIM_COLUMN = "是否达标"


class CorrectionError(ValueError):
    """A correction that names no cell of the record (one line, for the CLI)."""


class Correction(BaseModel):
    """One line of corrections.jsonl."""

    model_config = ConfigDict(extra="ignore")

    sha256: str
    indicator: int | None = None
    year: int | None = None
    column: str | None = None  # the column header, for a column without a year (目标值 …)
    field: str  # "value" | "text" | "claim" | "park.<field>"
    action: Action = "correct"
    printed: str | float | bool | None = None
    new: str | float | bool | None = None
    note: str = ""
    who: str
    when: str  # ISO 8601, UTC
    reason: str | None = None  # why the cell was looked at (the review queue's finding kind)

    @property
    def cell(self) -> tuple[str, int | None, int | None, str | None, str]:
        """What the correction is about: value and text of one cell are one cell."""
        group = "cell" if self.field in ("value", "text") else self.field
        column = self.column if self.year is None else None
        return (self.sha256, self.indicator, self.year, column, group)


def default_who() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- the log ---------------------------------------------------------------------------


def load(outdir: Path) -> list[Correction]:
    """Every correction in file order (= time order); a torn or foreign line is skipped."""
    try:
        text = (outdir / CORRECTIONS).read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        try:
            out.append(Correction.model_validate_json(line))
        except ValueError:
            continue
    return out


def append(outdir: Path, correction: Correction) -> None:
    path = outdir / CORRECTIONS
    line = correction.model_dump_json() + "\n"
    with path.open("a", encoding="utf-8") as fh:
        if fh.tell() and not _ends_with_newline(path):
            fh.write("\n")  # close a line torn by a kill before adding ours
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def latest(corrections: Iterable[Correction]) -> dict[tuple[Any, ...], Correction]:
    """The correction in force per cell: the last one written."""
    out: dict[tuple[Any, ...], Correction] = {}
    for c in corrections:
        out[c.cell] = c
    return out


def history(corrections: Iterable[Correction], sha256: str) -> list[Correction]:
    return [c for c in corrections if c.sha256 == sha256]


def by_document(corrections: Iterable[Correction]) -> dict[str, list[Correction]]:
    out: dict[str, list[Correction]] = {}
    for c in corrections:
        out.setdefault(c.sha256, []).append(c)
    return out


# ---- finding the cell --------------------------------------------------------------------


def find_value(report: Report, c: Correction) -> tuple[Indicator, YearValue]:
    ind = report.indicator(c.indicator) if c.indicator is not None else None
    if ind is None:
        raise CorrectionError(f"the record has no indicator #{c.indicator}")
    for yv in ind.values:
        if (c.year is not None and yv.year == c.year) or (
            c.year is None and c.column is not None and clean(yv.column) == clean(c.column)
        ):
            return ind, yv
    cols = ", ".join(str(v.year or v.column) for v in ind.values) or "none"
    raise CorrectionError(f"#{ind.number} has no column {c.year or c.column!r} (columns: {cols})")


def make(
    report: Report,
    *,
    indicator: int | None,
    field: str,
    year: int | None = None,
    column: str | None = None,
    action: Action = "correct",
    new: str | float | bool | None = None,
    note: str = "",
    who: str | None = None,
    reason: str | None = None,
) -> Correction:
    """A correction of one cell of ``report``, with the printed value filled in; raises
    CorrectionError when the cell does not exist or the new value does not fit."""
    sha = report.source.sha256
    if not sha:
        raise CorrectionError("the document has no content hash; it cannot be corrected")
    c = Correction(
        sha256=sha,
        indicator=indicator,
        year=year,
        column=column,
        field=field,
        action=action,
        new=new,
        note=note,
        who=who or default_who(),
        when=now_iso(),
        reason=reason,
    )
    if field in ("value", "text"):
        _, yv = find_value(report, c)
        c.printed = yv.text
        if c.year is None:
            c.column = yv.column
        if action == "correct" and field == "value" and not isinstance(new, float | int):
            raise CorrectionError("--value needs a number")
        if action == "correct" and field == "text" and not isinstance(new, str):
            raise CorrectionError("--text needs the cell's text")
    elif field == "claim":
        ind = report.indicator(indicator) if indicator is not None else None
        if ind is None:
            raise CorrectionError(f"the record has no indicator #{indicator}")
        c.printed = ind.claim_text
        if action == "correct" and not isinstance(new, bool):
            raise CorrectionError("--claim needs 是/否 (yes/no)")
    elif field.startswith("park."):
        name = field.removeprefix("park.")
        if name not in PARK_FIELDS:
            raise CorrectionError(f"unknown basic-info field {name!r} ({', '.join(PARK_FIELDS)})")
        c.indicator = None
        c.printed = getattr(report.park, name)
    else:
        raise CorrectionError(f"unknown field {field!r}: value, text, claim or park.<field>")
    return c


# ---- applying ----------------------------------------------------------------------------


def has_state(report: Report) -> bool:
    """True when the record carries corrections applied earlier."""
    return (
        bool(report.park.corrected)
        or any(f.kind == "reviewed" for f in report.findings)
        or any(
            ind.claim_corrected_by is not None
            or any(v.corrected_by is not None for v in ind.values)
            for ind in report.indicators
        )
    )


def _scale(ind: Indicator, yv: YearValue, standard: Standard) -> float | None:
    """The factor from the printed unit into the standard's, as normalisation used it."""
    if yv.value_std is not None and yv.value:
        return yv.value_std / yv.value
    if yv.value_std is None and yv.value is not None:
        return None  # printed in the standard's unit
    spec = standard.by_number(ind.number)
    if spec is None or not ind.unit or not spec.unit:
        return None
    from normalize.units import conversion_factor, same_unit

    if same_unit(ind.unit, spec.unit):
        return None
    return conversion_factor(ind.unit, spec.unit)


def judged_view(report: Report, standard: Standard) -> Report:
    """A copy in which each corrected value stands where the printed one was."""
    j = report.model_copy(deep=True)
    for ind in j.indicators:
        if ind.claim_corrected_by is not None and ind.claim_corrected is not None:
            ind.claimed_pass = ind.claim_corrected
            ind.claim_text = "是" if ind.claim_corrected else "否"
        elif ind.claim_corrected_by is not None and ind.claim_corrected is None:
            ind.claimed_pass, ind.claim_text = None, UNREADABLE_TEXT
        for yv in ind.values:
            if yv.corrected_by is None:
                continue
            factor = _scale(ind, yv, standard)
            if yv.unreadable:
                yv.value, yv.value_std, yv.text = None, None, UNREADABLE_TEXT
            elif yv.text_corrected is not None or yv.value_corrected is not None:
                yv.value = yv.value_corrected
                yv.text = yv.text_corrected or (
                    f"{yv.value_corrected:g}" if yv.value_corrected is not None else ""
                )
                yv.value_std = (
                    round(yv.value * factor, 12)
                    if yv.value is not None and factor is not None
                    else None
                )
    for name, value in j.park.corrected.items():
        setattr(j.park, name, value)
    return j


def _minus(findings: Sequence[Finding], added: Sequence[Finding]) -> list[Finding]:
    """``findings`` without one occurrence of each of ``added``."""
    left = Counter(f.model_dump_json() for f in added)
    out = []
    for f in findings:
        k = f.model_dump_json()
        if left[k]:
            left[k] -= 1
        else:
            out.append(f)
    return out


def _check_findings(report: Report, standard: Standard, settings: CheckSettings) -> list[Finding]:
    """The findings the checker contributed to ``report`` (it appends them), found by
    checking the judged view again: the record's findings less those are the reader's."""
    probe = judged_view(report, standard)
    n = len(probe.findings)
    check(probe, standard, settings)
    return probe.findings[n:]


def _clear(report: Report) -> None:
    for ind in report.indicators:
        ind.claim_corrected, ind.claim_corrected_by = None, None
        for yv in ind.values:
            yv.value_corrected, yv.text_corrected = None, None
            yv.unreadable, yv.corrected_by = False, None
    report.park.corrected = {}
    restored = []
    for f in report.findings:
        orig = f.evidence.get("finding") if f.kind == "reviewed" else None
        restored.append(Finding.model_validate(orig) if isinstance(orig, dict) else f)
    report.findings = restored


def _place(values: Mapping[str, Any]) -> dict[str, Any]:
    """page/line/bbox, bbox as a list (a record read back from JSON has lists)."""
    out: dict[str, Any] = {}
    for k in ("page", "line", "bbox"):
        v = values.get(k)
        if v is not None:
            out[k] = list(v) if isinstance(v, tuple | list) else v
    return out


def _doubt_matches(f: Finding, ind: Indicator, column: str, prov: dict[str, Any]) -> bool:
    """A doubt the reviewer of this cell has settled: one naming the cell's column, or a
    row-level one (a label matched by its 序号 only) on the row the cell belongs to — the
    reviewer saw the whole row, label included. For the claim, a row-level doubt on
    another row than the values' (the pass/fail table's)."""
    if f.kind not in DOUBT_KINDS or f.indicator != ind.number:
        return False
    ev = f.evidence
    if "column" in ev:
        return clean(str(ev["column"])) == clean(column)
    place = _place(ev)
    value_row = _place(ind.provenance.model_dump(exclude_none=True))
    on_value_row = not place or all(value_row.get(k) == v for k, v in place.items())
    if column == CLAIM_COLUMN:
        return not on_value_row
    return on_value_row or place == _place(prov)


def _settle(
    report: Report, ind: Indicator, column: str, prov: dict[str, Any], c: Correction
) -> None:
    """The cell's doubts become ``reviewed`` findings that keep the doubt as evidence."""
    what = {
        "correct": f"corrected to {c.new!r}",
        "confirm": "confirmed as printed",
        "unreadable": "marked unreadable",
    }[c.action]
    out = []
    for f in report.findings:
        if _doubt_matches(f, ind, column, prov):
            ev = {k: v for k, v in f.evidence.items() if k in ("page", "bbox", "line", "column")}
            out.append(
                Finding(
                    severity="info",
                    kind="reviewed",
                    indicator=f.indicator,
                    message=f"#{ind.number} {column}: {what} by {c.who}"
                    + (f" ({c.note})" if c.note else "")
                    + f" — was {f.kind}: {f.message}",
                    evidence={
                        **ev,
                        "finding": f.model_dump(mode="json"),
                        "correction": c.model_dump(mode="json"),
                    },
                )
            )
        else:
            out.append(f)
    report.findings = out


def _set(report: Report, c: Correction) -> str:
    """Put one correction on the record; returns a short name of the cell."""
    if c.field.startswith("park."):
        name = c.field.removeprefix("park.")
        report.park.corrected[name] = (
            None
            if c.action == "unreadable"
            else str(c.new)
            if c.action == "correct"
            else getattr(report.park, name)
        )
        return f"basic info {name}"
    if c.field == "claim":
        ind = report.indicator(c.indicator) if c.indicator is not None else None
        if ind is None:
            raise CorrectionError(f"the record has no indicator #{c.indicator}")
        ind.claim_corrected_by = c.who
        ind.claim_corrected = (
            None
            if c.action == "unreadable"
            else bool(c.new)
            if c.action == "correct"
            else ind.claimed_pass
        )
        prov = ind.claim_provenance.model_dump(exclude_none=True) if ind.claim_provenance else {}
        _settle(report, ind, CLAIM_COLUMN, prov, c)
        return f"#{ind.number} {CLAIM_COLUMN}"
    ind, yv = find_value(report, c)
    yv.corrected_by = c.who
    if c.action == "unreadable":
        yv.unreadable = True
    elif c.action == "correct" and c.field == "value":
        yv.value_corrected = float(c.new) if isinstance(c.new, float | int) else None
    elif c.action == "correct":
        text = clean(str(c.new))
        yv.text_corrected = text
        yv.value_corrected = parse_value(text).number
    _settle(report, ind, yv.column, yv.provenance.model_dump(exclude_none=True), c)
    return f"#{ind.number} {yv.column}"


def _restore_printed(judged: Report, record: Report) -> Report:
    """The judged report with every printed value put back (the record's own)."""
    for ji, ri in zip(judged.indicators, record.indicators, strict=True):
        ji.claimed_pass, ji.claim_text = ri.claimed_pass, ri.claim_text
        for jv, rv in zip(ji.values, ri.values, strict=True):
            jv.value, jv.value_std, jv.text = rv.value, rv.value_std, rv.text
    for name in record.park.corrected:
        setattr(judged.park, name, getattr(record.park, name))
    return judged


def _state(report: Report) -> tuple[Any, ...]:
    """Every correction field of the record, for comparing."""
    return (
        tuple(
            (
                ind.claim_corrected,
                ind.claim_corrected_by,
                tuple(
                    (v.value_corrected, v.text_corrected, v.unreadable, v.corrected_by)
                    for v in ind.values
                ),
            )
            for ind in report.indicators
        ),
        tuple(sorted(report.park.corrected.items())),
    )


def _in_force(report: Report, mine: Sequence[Correction]) -> bool:
    """True when the record already carries exactly the corrections in force (every path
    that writes a record applies them, so a dataset build mostly finds this)."""
    expected = Report.model_construct(
        source=report.source,
        indicators=[
            ind.model_copy(update={"values": [v.model_copy() for v in ind.values]})
            for ind in report.indicators
        ],
        park=report.park.model_copy(update={"corrected": {}}),
        findings=[],
    )
    _clear(expected)
    for c in latest(mine).values():
        try:
            _set(expected, c)
        except CorrectionError:
            continue
    return _state(expected) == _state(report)


def apply(
    report: Report,
    corrections: Sequence[Correction],
    standard: Standard | None = None,
    settings: CheckSettings | None = None,
) -> Report:
    """The record with ``corrections`` (of any documents; only its own count) in force and
    re-judged. Without corrections and without earlier ones, the record as it is."""
    sha = report.source.sha256
    mine = [c for c in corrections if sha and c.sha256 == sha]
    if (not mine and not has_state(report)) or report.status == "failed":
        return report
    if _in_force(report, mine):
        return report  # written with these corrections already: no need to judge again
    # the rules the record was checked by, rebuilt from the record (its printed
    # requirements when it was judged by them)
    standard = standard or standard_of_record(report)
    settings = settings or CheckSettings()
    record = report.model_copy(deep=True)
    record.findings = _minus(record.findings, _check_findings(record, standard, settings))
    _clear(record)
    cells = []
    for c in latest(mine).values():
        try:
            cells.append(f"{_set(record, c)} ({c.who})")
        except CorrectionError as err:  # a cell a newer reading no longer has
            record.findings.append(
                Finding(
                    severity="warning",
                    kind="extraction",
                    indicator=c.indicator,
                    message=f"a correction could not be applied: {err}",
                    evidence={"correction": c.model_dump(mode="json")},
                )
            )
    judged = judged_view(record, standard)
    check(judged, standard, settings)
    out = _restore_printed(judged, record)
    if out.verdict is not None and cells:
        out.verdict.explanation += f" Judged with reviewed cells: {'; '.join(cells)}."
    return out


def apply_all(
    records: Mapping[str, Report],
    corrections: Sequence[Correction],
    standard: Standard | None = None,
    settings: CheckSettings | None = None,
) -> dict[str, Report]:
    """Every record with its corrections applied (records without any unchanged)."""
    docs = by_document(corrections)
    return {
        k: apply(r, docs.get(r.source.sha256 or "", []), standard, settings)
        for k, r in records.items()
    }


def rows(corrections: Iterable[Correction]) -> list[dict[str, Any]]:
    """The dataset's ``corrections`` table: every line, with whether it is in force."""
    items = list(corrections)
    force = {id(c) for c in latest(items).values()}
    return [
        {
            "doc_id": c.sha256,
            "seq": i,
            "indicator": c.indicator,
            "year": c.year,
            "column": c.column,
            "field": c.field,
            "action": c.action,
            "printed": None if c.printed is None else str(c.printed),
            "new": None if c.new is None else str(c.new),
            "note": c.note,
            "who": c.who,
            "at": c.when,
            "in_force": id(c) in force,
        }
        for i, c in enumerate(items, 1)
    ]


def value_final(yv: YearValue) -> float | None:
    """The value in force: a reviewer's where there is one, else the printed one."""
    if yv.unreadable:
        return None
    if yv.corrected_by is not None and (
        yv.value_corrected is not None or yv.text_corrected is not None
    ):
        return yv.value_corrected
    return yv.value


def parse_claim(text: str) -> bool:
    t = clean(text).lower()
    if t in ("是", "达标", "yes", "y", "true", "1", "met"):
        return True
    if t in ("否", "未达标", "不达标", "no", "n", "false", "0", "not met"):
        return False
    raise CorrectionError(f"--claim {text!r}: use 是 or 否 (yes/no)")


__all__ = [
    "CORRECTIONS",
    "Correction",
    "CorrectionError",
    "append",
    "apply",
    "apply_all",
    "load",
    "make",
    "rows",
    "value_final",
]
