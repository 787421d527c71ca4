"""Traditional characters → Simplified, for reports typed in Traditional script.

Labels, category words and units are matched in Simplified; a Traditional report
(國家生態工業示範園區…) would match nothing. OpenCC's t2s conversion (its own dictionaries,
shipped in the wheel) is applied to every line and cell when enough of the text changes
under it, and the record says so.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import opencc
import regex

from extract.source import Cell, Line, SourceDoc, Table

TRADITIONAL_SHARE = 0.04  # of Han characters that t2s changes; Simplified text gives ~0
SAMPLE_CHARS = 20_000
_HAN = regex.compile(r"\p{Han}")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _sample(doc: SourceDoc) -> str:
    parts: list[str] = []
    size = 0
    for text in [ln.text for ln in doc.lines] + [
        c.text for t in doc.tables for r in t.rows for c in r
    ]:
        parts.append(text)
        size += len(text)
        if size > SAMPLE_CHARS:
            break
    return "".join(parts)


def traditional_share(text: str) -> float:
    han = _HAN.findall(text)
    if not han:
        return 0.0
    converted: str = _t2s().convert("".join(han))
    changed = sum(a != b for a, b in zip(han, converted, strict=False))
    return float(changed) / len(han)


def to_simplified(doc: SourceDoc) -> SourceDoc | None:
    """The document in Simplified characters, or None when it already is."""
    if traditional_share(_sample(doc)) < TRADITIONAL_SHARE:
        return None
    conv = _t2s().convert
    out = replace(
        doc,
        lines=[Line(conv(ln.text), ln.loc) for ln in doc.lines],
        tables=[
            Table([[Cell(conv(c.text), c.loc, c.confidence) for c in row] for row in t.rows], t.loc)
            for t in doc.tables
        ],
        warnings=[
            *doc.warnings,
            "written in Traditional characters: converted to Simplified "
            "(OpenCC t2s) before reading; labels and values are as converted",
        ],
    )
    return out
