"""The source model every reader produces and every later stage consumes.

A reader (Markdown/HTML, PDF text layer, OCR) turns a file into a ``SourceDoc``:
narrative ``Line``s in reading order and ``Table``s as grids of ``Cell``s. Nothing
after the reader looks at the file again; provenance travels in ``Loc``.

Coordinates: PDF points, origin at the top-left of the page as displayed (after
any /Rotate), ``bbox = (x0, top, x1, bottom)`` — the convention pdfplumber uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]
SourceKind = Literal["pdf", "scanned-pdf", "markdown", "html", "text"]

# Tick marks a reader writes for checkboxes, so later stages see one vocabulary.
CHECKED = "☑"
UNCHECKED = "☐"

# The basic-information form's choices (readers place ticks by them; recovery reads
# them): options as HJ 274-2015's 信息公开表 prints them.
CHOICES: dict[str, tuple[str, ...]] = {
    "level": ("国家级", "省级", "省级以下"),
    "type": (
        "经济技术开发区",
        "高新技术产业开发区",
        "保税区",
        "出口加工区",
        "边境经济合作区",
        "经济开发区",
        "其他",
    ),
    "designation": ("已命名", "创建中"),
}


@dataclass(frozen=True, slots=True)
class Loc:
    """Where something was printed: a 1-based page (PDF) and/or line (text source)."""

    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell as printed (text not yet normalised, line breaks kept as ``\\n``)."""

    text: str
    loc: Loc = field(default_factory=Loc)
    confidence: float | None = None  # OCR only; None = read from a text layer


@dataclass(slots=True)
class Table:
    """A grid of cells. Rows may have different lengths; a merged cell repeats nothing
    (readers leave the covered positions as empty cells)."""

    rows: list[list[Cell]]
    loc: Loc = field(default_factory=Loc)


@dataclass(frozen=True, slots=True)
class Line:
    """A narrative paragraph or line, in reading order."""

    text: str
    loc: Loc = field(default_factory=Loc)


@dataclass(slots=True)
class SourceDoc:
    kind: SourceKind
    pages: int | None = None
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR, not a text layer
