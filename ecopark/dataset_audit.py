"""Findings across reports: what no single report can show.

- ``cross_report_value``: one park, indicator and year given different values in
  different reports (the 2016 baseline printed in the 2018 report vs the 2016 report);
- ``verdict_flip``: two reports of one park with the same values but a different
  claimed result;
- ``duplicate_document``: the same file content submitted under several names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from ecopark.store import Duplicate, doc_id, park_id
from schemas.numbers import parse_value
from schemas.record import Report


def _finding(
    kind: str,
    severity: str,
    message: str,
    docs: Sequence[Report],
    evidence: dict[str, Any],
    indicator: int | None = None,
) -> dict[str, Any]:
    first = docs[0]
    return {
        "doc_id": doc_id(first),
        "scope": "dataset",
        "park": first.park.name,
        "park_id": park_id(first.park.name),
        "report_year": first.report_year,
        "severity": severity,
        "kind": kind,
        "indicator": indicator,
        "message": message,
        "evidence": json.dumps(
            {"documents": [r.source.path for r in docs], **evidence}, ensure_ascii=False
        ),
    }


def _same(a: str, b: str) -> bool:
    pa, pb = parse_value(a), parse_value(b)
    if pa.kind == pb.kind == "number":
        return pa.number == pb.number
    return pa.text == pb.text


def _values_by_year(r: Report) -> dict[tuple[int, int], tuple[str, int | None]]:
    return {
        (ind.number, v.year): (v.text, v.provenance.page)
        for ind in r.indicators
        for v in ind.values
        if v.year is not None
    }


def cross_report_values(reports: Sequence[Report]) -> list[dict[str, Any]]:
    by_park: dict[tuple[str, str | None], list[Report]] = {}
    for r in reports:
        pid = park_id(r.park.name)
        if pid and r.status != "failed":
            by_park.setdefault((pid, r.standard), []).append(r)  # numbered by r.standard
    out = []
    for rs in by_park.values():
        rs.sort(key=lambda r: (r.report_year or 0, r.source.path))
        for a, b in combinations(rs, 2):
            va, vb = _values_by_year(a), _values_by_year(b)
            for number, year in sorted(set(va) & set(vb)):
                (ta, pa), (tb, pb) = va[(number, year)], vb[(number, year)]
                if not _same(ta, tb):
                    out.append(
                        _finding(
                            "cross_report_value",
                            "warning",
                            f"#{number} for {year}: '{ta}' in the {a.report_year} report, "
                            f"'{tb}' in the {b.report_year} report",
                            [a, b],
                            {"values": [ta, tb], "pages": [pa, pb], "year": year},
                            indicator=number,
                        )
                    )
    return out


def verdict_flips(reports: Sequence[Report]) -> list[dict[str, Any]]:
    out = []
    by_park: dict[tuple[str, str | None], list[Report]] = {}
    for r in reports:
        pid = park_id(r.park.name)
        if pid and r.indicators:
            by_park.setdefault((pid, r.standard), []).append(r)  # numbered by r.standard
    for rs in by_park.values():
        for a, b in combinations(rs, 2):
            if a.report_year != b.report_year:
                continue
            ta = {i.number: [v.text for v in i.values] for i in a.indicators}
            tb = {i.number: [v.text for v in i.values] for i in b.indicators}
            ca = {i.number: i.claimed_pass for i in a.indicators}
            cb = {i.number: i.claimed_pass for i in b.indicators}
            flipped = sorted(n for n in ca if n in cb and ca[n] != cb[n])
            if ta == tb and flipped:
                out.append(
                    _finding(
                        "verdict_flip",
                        "warning",
                        f"two {a.report_year} reports with the same values claim different "
                        f"results for {', '.join(f'#{n}' for n in flipped)}",
                        [a, b],
                        {"indicators": flipped},
                    )
                )
    return out


def duplicate_documents(
    reports: Sequence[Report], dups: Sequence[Duplicate]
) -> list[dict[str, Any]]:
    by_sha = {r.source.sha256: r for r in reports}
    out = []
    for d in dups:
        first = by_sha.get(d.sha256)
        if first is not None:
            out.append(
                _finding(
                    "duplicate_document",
                    "info",
                    f"'{d.path}' has the same content as '{d.duplicate_of}'",
                    [first],
                    {"copy": d.path, "sha256": d.sha256},
                )
            )
    return out


def dataset_findings(reports: Sequence[Report], dups: Sequence[Duplicate]) -> list[dict[str, Any]]:
    return [
        *cross_report_values(reports),
        *verdict_flips(reports),
        *duplicate_documents(reports, dups),
    ]
