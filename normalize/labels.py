"""Printed indicator labels → the standard's indicator numbers, with a confidence.

A row's 序号 and its label are two witnesses. The label is matched against the
standard's name and aliases (exact key first, then rapidfuzz); the 序号 is trusted when
the label agrees with it. Two rows never take one number: the better match keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import regex
from rapidfuzz import fuzz

from normalize.units import parse_unit
from schemas.standard import IndicatorSpec, Standard
from schemas.text import key, strip_footnote

MATCH_THRESHOLD = 85.0  # rapidfuzz ratio (0–100) below which a label is not trusted

Method = Literal["number+label", "label", "number", "none"]


@dataclass(frozen=True, slots=True)
class LabelMatch:
    number: int | None
    score: float
    method: Method


def split_footnote(raw: str) -> tuple[str, str | None]:
    """'工业固体废物综合利用率 a' → ('工业固体废物综合利用率', 'a')."""
    return strip_footnote(raw)


def confidence(match: LabelMatch) -> float:
    """A match's confidence 0–1: the label score, halved when only the 序号 vouches."""
    score = match.score / 100.0
    return round(score / 2 if match.method == "number" else score, 3)


# A unit in brackets ending a printed name (人均工业增加值（万元/人）): no standard name
# ends in brackets, so it is left out of the match.
_TRAILING_UNIT = regex.compile(r"\s*[(（][^()（）]{1,12}[)）]\s*$")


def without_unit(label: str) -> str:
    m = _TRAILING_UNIT.search(label)
    if m is None:
        return label
    inner = m[0].strip()[1:-1]
    return label[: m.start()] if parse_unit(inner) is not None or "/" in inner else label


def label_score(label: str, spec: IndicatorSpec) -> float:
    k = key(without_unit(split_footnote(label)[0]))
    if not k:
        return 0.0
    return max(
        100.0 if k == key(name) else float(fuzz.ratio(k, key(name)))
        for name in (spec.name, *spec.aliases)
    )


def best_label(label: str, standard: Standard) -> tuple[int | None, float]:
    best: tuple[int | None, float] = (None, 0.0)
    for spec in standard.indicators:
        score = label_score(label, spec)
        if score > best[1]:
            best = (spec.number, score)
    return best


def match_row(number: int | None, label: str, standard: Standard) -> LabelMatch:
    spec = standard.by_number(number) if number is not None else None
    if spec is not None:
        score = label_score(label, spec)
        if score >= MATCH_THRESHOLD:
            return LabelMatch(number, score, "number+label")
    best, best_score = best_label(label, standard)
    if best is not None and best_score >= MATCH_THRESHOLD:
        return LabelMatch(best, best_score, "label")
    if spec is not None:
        return LabelMatch(number, label_score(label, spec), "number")
    return LabelMatch(None, best_score, "none")


def assign(rows: Sequence[tuple[int | None, str]], standard: Standard) -> list[LabelMatch]:
    """Match every (序号, label) row; a number claimed twice goes to the better match."""
    matches = [match_row(n, label, standard) for n, label in rows]
    owner: dict[int, int] = {}
    for i, m in enumerate(matches):
        if m.number is None:
            continue
        j = owner.get(m.number)
        if j is None or matches[j].score < m.score:
            if j is not None:
                matches[j] = LabelMatch(None, matches[j].score, "none")
            owner[m.number] = i
        else:
            matches[i] = LabelMatch(None, m.score, "none")
    return matches
