"""Which standard a report follows: named in its text, else told by its annex's category
words, else assumed (the default, recorded as an assumption).

Detection is data-driven: each standard's YAML lists the patterns that name it
(``detection.mentions``) and its categories; nothing here knows a standard by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from schemas.standard import DEFAULT_STANDARD, Standard, all_standards
from schemas.text import clean, key


@dataclass(frozen=True, slots=True)
class Detected:
    standard_id: str
    basis: str  # in words, for the record
    assumed: bool  # nothing in the report said it


def mentioned(texts: Iterable[str], standards: Sequence[Standard]) -> list[Standard]:
    """Standards the texts name, newest (highest detection priority) first."""
    found: dict[str, Standard] = {}
    patterns = [(s, regex.compile(p)) for s in standards for p in s.detection.mentions]
    for text in texts:
        t = clean(text).upper()
        if "HJ" not in t and "《" not in t:
            continue  # names by number carry HJ, names in full their 《》
        for std, pattern in patterns:
            if std.id not in found and pattern.search(t):
                found[std.id] = std
    return sorted(found.values(), key=lambda s: -s.detection.priority)


def by_categories(categories: Iterable[str], standards: Sequence[Standard]) -> Standard | None:
    """The one standard whose own category words (shared ones such as 经济发展 do not
    count) appear most among the annex's category cells; None on a tie or no hit."""
    seen = {key(c) for c in categories if c}
    scores: list[tuple[int, Standard]] = []
    for std in standards:
        others = {key(c) for s in standards if s is not std for c in s.categories}
        own = {key(c) for c in std.categories} - others
        hits = len(own & seen)
        if hits:
            scores.append((hits, std))
    scores.sort(key=lambda p: -p[0])
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def detect_standard(
    texts: Iterable[str],
    annex_categories: Iterable[str],
    standards: Sequence[Standard] | None = None,
    default: str = DEFAULT_STANDARD,
) -> Detected:
    stds = tuple(standards) if standards is not None else all_standards()
    named = mentioned(texts, stds)
    if named:
        also = f" (also names {', '.join(s.id for s in named[1:])})" if len(named) > 1 else ""
        return Detected(named[0].id, f"named in the report's text{also}", False)
    cats = list(annex_categories)
    std = by_categories(cats, stds)
    if std is not None:
        return Detected(std.id, "the annex table's category words", False)
    return Detected(
        default, f"no standard named and no telling category words; {default} assumed", True
    )
