"""Compare a record with a sample's hand-written ground truth (samples/pdf/*.truth.json).

Returns the list of differences, each a short string; an empty list means the record
holds everything the truth says. Used by the tests and by the accuracy benchmarks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.numbers import parse_value
from schemas.record import Report

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "pdf"
PARK_FIELDS = ("name", "address", "postcode", "phone", "email", "level", "type", "designation")


def truth_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.truth.json"))


def load_truth(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def same_cell(got: str, want: str) -> bool:
    """Equal as values: 95.04% = 95.04, －0.006 = -0.006; words and marks as text."""
    g, w = parse_value(got), parse_value(want)
    if w.kind == "na":  # —, /, - all say "not applicable"
        return g.kind == "na"
    if w.kind == "number":
        return g.kind == "number" and g.number == w.number
    return g.kind == w.kind and g.text == w.text


def value_cells(truth: dict[str, Any]) -> int:
    return sum(len(i["values"]) for i in truth["indicators"])


def compare(report: Report, truth: dict[str, Any]) -> list[str]:
    diffs: list[str] = []
    if report.report_year != truth["report_year"]:
        diffs.append(f"report_year {report.report_year} != {truth['report_year']}")
    if report.filled_on != truth.get("filled_on"):
        diffs.append(f"filled_on {report.filled_on} != {truth.get('filled_on')}")
    for f in PARK_FIELDS:
        got, want = getattr(report.park, f), truth["park"].get(f)
        if f == "address" and got and want:
            # A space between Han and digits is typesetting, not text: Word and Chromium
            # print it as a gap that a text layer may or may not carry.
            got, want = "".join(got.split()), "".join(want.split())
        if want is not None and got != want:
            diffs.append(f"park.{f} {got!r} != {want!r}")
    by_number = {i.number: i for i in report.indicators}
    for t in truth["indicators"]:
        n = t["number"]
        ind = by_number.get(n)
        if ind is None:
            diffs.append(f"#{n} missing")
            continue
        values = {str(v.year): v.text for v in ind.values if v.year is not None}
        for year, want in t["values"].items():
            got = values.get(year)
            if got is None or not same_cell(got, want):
                diffs.append(f"#{n} {year}: {got!r} != {want!r}")
        if t.get("claim") is not None:
            want_claim = {"是": True, "否": False}.get(t["claim"])
            if ind.claimed_pass != want_claim:
                diffs.append(f"#{n} claim {ind.claim_text!r} != {t['claim']!r}")
    figs = {f.key: f for f in report.figures if f.year in (None, report.report_year)}
    for key, want in truth.get("figures", {}).items():
        fig = figs.get(key)
        if fig is None:
            diffs.append(f"figure {key} missing")
        elif (fig.value, fig.unit) != (float(want["value"]), want["unit"]):
            diffs.append(f"figure {key} {fig.value} {fig.unit} != {want['value']} {want['unit']}")
    return diffs
