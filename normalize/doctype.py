"""What a document is: an HJ 274-2015 annual evaluation report, a report under an older
national standard, a provincial scheme's report, another programme's (绿色园区,
循环化改造 …), or not a report at all.

Decided from what the document says — its title, the standard it names, its category
words and indicator names — by the weighted cues of schemas/data/document_types.yaml;
nothing here knows a programme by name. The record keeps every cue found as evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field

import schemas
from extract.raw import RawReport
from normalize.standards import Detected
from schemas.record import DocumentKind, DocumentType
from schemas.standard import load_standard
from schemas.text import clean

DOCTYPES_FILE = Path(schemas.__file__).parent / "data" / "document_types.yaml"
# The title block: the first lines of a document, short ones only (a title is a line,
# not a paragraph).
TITLE_LINES = 15
TITLE_MAX_CHARS = 80

Where = Literal["title", "text", "tables"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cue(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    where: Where = Field(alias="in")
    pattern: str
    weight: int


class Programme(_Strict):
    id: str
    kind: DocumentKind
    label: str
    says: str
    cues: tuple[Cue, ...]


class DocumentTypes(_Strict):
    min_score: int
    named_standard_weight: int
    programmes: tuple[Programme, ...]
    category_minimum: str
    growth_proxy_name: str


@cache
def load_document_types(path: Path = DOCTYPES_FILE) -> DocumentTypes:
    return DocumentTypes.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class Parts:
    """The document's text by where it stands, each piece with a place for evidence."""

    title: list[tuple[str, str]]
    text: list[tuple[str, str]]
    tables: list[tuple[str, str]]

    def of(self, where: Where) -> list[tuple[str, str]]:
        return {"title": self.title, "text": self.text, "tables": self.tables}[where]


def _place(page: int | None, line: int | None) -> str:
    if line is not None:
        return f"line {line}"
    return f"page {page}" if page is not None else "?"


def parts_of(raw: RawReport) -> Parts:
    lines = [(clean(ln.text), _place(ln.loc.page, ln.loc.line)) for ln in raw.lines]
    lines = [(t, p) for t, p in lines if t]
    title = [(t, p) for t, p in lines[:TITLE_LINES] if len(t) <= TITLE_MAX_CHARS]
    cells: list[tuple[str, str]] = []
    for table in raw.tables:
        cells.extend((clean(c.header), f"{table.kind} table header") for c in table.columns)
        for row in table.rows:
            where = _place(row.loc.page, row.loc.line)
            if row.category is not None:
                cells.append((clean(row.category.text), where))
            name = row.cells.get("name")
            if name is not None:
                cells.append((clean(name.text), where))
    return Parts(title=title, text=lines, tables=[(t, p) for t, p in cells if t])


@dataclass(slots=True)
class _Score:
    programme: Programme
    total: int = 0
    label: str | None = None
    evidence: list[str] | None = None


def _search(cue: Cue, pieces: Iterable[tuple[str, str]]) -> tuple[regex.Match[str], str] | None:
    pattern = regex.compile(cue.pattern)
    for text, place in pieces:
        m = pattern.search(text)
        if m is not None:
            return m, place
    return None


def score(parts: Parts, detected: Detected, types: DocumentTypes) -> list[_Score]:
    named = None if detected.assumed or "named" not in detected.basis else detected.standard_id
    named_kind = load_standard(named).detection.document_kind if named else None
    out = []
    for prog in types.programmes:
        s = _Score(prog, evidence=[])
        assert s.evidence is not None
        for cue in prog.cues:
            hit = _search(cue, parts.of(cue.where))
            if hit is None:
                continue
            m, place = hit
            s.total += cue.weight
            s.evidence.append(f"{cue.where} ({place}): '{m.group(0)}' +{cue.weight}")
            if s.label is None and "label" in m.groupdict() and m.group("label"):
                s.label = m.group("label")
        if named_kind is not None and named_kind == prog.kind:
            s.total += types.named_standard_weight
            s.evidence.append(f"standard named: {named} +{types.named_standard_weight}")
        out.append(s)
    return out


def classify(
    raw: RawReport, detected: Detected, types: DocumentTypes | None = None
) -> DocumentType:
    """The document type, with its basis in words and the cues found."""
    types = types or load_document_types()
    scores = score(parts_of(raw), detected, types)
    best = max(scores, key=lambda s: s.total)  # first on a tie: file order
    if best.total >= types.min_score:
        prog = best.programme
        label = best.label or prog.label
        if prog.kind == "older_national_standard" and detected.standard_id:
            std = load_standard(detected.standard_id)
            if std.detection.document_kind == "older_national_standard":
                label = f"{std.id} 《{std.title}》"
        others = sorted((s for s in scores if s is not best and s.total), key=lambda s: -s.total)
        also = "; ".join(f"{s.programme.id} {s.total}" for s in others)
        return DocumentType(
            kind=prog.kind,
            label=label,
            basis=f"{prog.says}: score {best.total} (at least {types.min_score})"
            + (f"; others: {also}" if also else ""),
            evidence=list(best.evidence or []),
        )
    if raw.tables or raw.title_year is not None:
        return DocumentType(
            kind="hj274_2015_annual",
            label="国家生态工业示范园区建设年度评价报告",
            basis=f"nothing telling (best: {best.programme.id} {best.total}, below "
            f"{types.min_score}); an indicator table or report title, so an HJ 274-2015 annual "
            "report is assumed",
            evidence=list(best.evidence or []),
        )
    return not_a_report("no indicator table or report title, and no programme's words")


def not_a_report(why: str) -> DocumentType:
    return DocumentType(kind="not_a_report", label="not a report", basis=why)


def parse_count(text: str) -> int | None:
    """'4' or '四' → 4 (Chinese numerals up to 十九)."""
    if text.isdigit():
        return int(text)
    digits = dict(zip("一二三四五六七八九", range(1, 10), strict=True))
    if text == "十":
        return 10
    if text.startswith("十") and len(text) == 2 and text[1] in digits:
        return 10 + digits[text[1]]
    if len(text) == 1 and text in digits:
        return digits[text]
    return None


@dataclass(frozen=True, slots=True)
class PrintedMinimum:
    category: str
    of: int | None
    min_met: int
    text: str
    place: str


def category_minimums(
    pieces: Sequence[tuple[str, str]], categories: Sequence[str], types: DocumentTypes | None = None
) -> list[PrintedMinimum]:
    """Category-minimum rules the document prints, for categories its table has."""
    types = types or load_document_types()
    pattern = regex.compile(types.category_minimum)
    cats = sorted({c for c in categories if c}, key=len, reverse=True)
    out: dict[str, PrintedMinimum] = {}
    for text, place in pieces:
        for m in pattern.finditer(text):
            words = m.group("cat")
            cat = next((c for c in cats if words.endswith(c) or words.endswith(c + "类")), None)
            low = parse_count(m.group("min"))
            if cat is None or low is None or cat in out:
                continue
            out[cat] = PrintedMinimum(cat, parse_count(m.group("of")), low, m.group(0), place)
    return list(out.values())
