"""Scoring a record against a truth file, with the validation set's matching rules.

The rules are the validation scorer's (its README "Score" and score.py), reimplemented here
so the benchmark and the test depend on no file outside the project:

- **cells**: every truth value cell (indicator × year column). A number matches when the
  record's ``value`` (or, failing that, its ``text`` after NFKC, ``%``, ``,`` and minus-sign
  clean-up) equals it within 1e-9 relative; a qualitative value when the text is equal after
  NFKC and whitespace removal.
- **claims**: ``claimed_pass`` against the truth where the document prints a claim.
- **figures**: each headline figure key converted to 亿元, within 1e-6 relative.
- **errors found**: an injected claim error is found when a finding whose kind contains
  ``claim`` names that indicator; **false alarms**: such findings on other indicators.

Added here (not in the validation scorer):

- **confident-wrong cells**: a truth cell for which the record *asserts* a value — a
  non-null ``value``, or for a qualitative truth a non-empty ``text`` — that does not match
  the truth, while the record has **no finding of any kind naming that indicator**. A cell
  the record leaves empty (indicator, column or value missing) is a miss, not
  confident-wrong. A not-applicable cell of the truth (``not_applicable``: the page prints
  ``/``, ``—``, ``未统计`` …) that the record fills with a number counts too
  (``na_filled``; confident-wrong when no finding names the indicator).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from typing import Any

UNIT_TO_YI = {
    "亿元": 1.0,
    "亿": 1.0,
    "万元": 1e-4,
    "万": 1e-4,
    "元": 1e-8,
    "万亿元": 1e4,
    "千万元": 0.1,
    "百万元": 0.01,
}
COUNTS = ("cells", "claims", "computed", "figures", "park", "year", "errors")


def norm_text(s: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)))


def parse_num(x: object) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    if isinstance(x, (int, float)):
        return float(x)
    s = norm_text(x).replace("\u2212", "-").replace("－", "-").replace("—", "")
    s = s.replace(",", "").rstrip("%")
    try:
        return float(s)
    except ValueError:
        return None


def num_eq(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or abs(a - b) < 1e-12


def year_of(y: object) -> int | None:
    if y is None:
        return None
    m = re.search(r"(\d{4})", unicodedata.normalize("NFKC", str(y)))
    return int(m.group(1)) if m else None


Got = tuple[Any, Any]  # (value, text) of one record cell


def out_values(entry: Any) -> dict[int | None, Got]:
    vals = entry.get("values") if isinstance(entry, dict) else None
    res: dict[int | None, Got] = {}
    if isinstance(vals, dict):
        for y, v in vals.items():
            if isinstance(v, dict):
                res[year_of(y)] = (v.get("value"), v.get("text"))
            else:
                res[year_of(y)] = (v, v if isinstance(v, str) else None)
    elif isinstance(vals, list):
        for v in vals:
            if isinstance(v, dict):
                res[year_of(v.get("year"))] = (v.get("value"), v.get("text"))
    return res


def out_indicators(out: Any) -> dict[int, Any]:
    inds = out.get("indicators") if isinstance(out, dict) else None
    res: dict[int, Any] = {}
    if isinstance(inds, dict):
        for k, v in inds.items():
            with contextlib.suppress(TypeError, ValueError):
                res[int(k)] = v
    elif isinstance(inds, list):
        for v in inds:
            if isinstance(v, dict):
                try:
                    n = int(v.get("number"))
                except (TypeError, ValueError):
                    continue
                res.setdefault(n, v)
    return res


def cell_ok(truth_v: Any, got: Got | None) -> bool:
    if got is None:
        return False
    value, text = got
    if isinstance(truth_v, (int, float)) and not isinstance(truth_v, bool):
        cand = parse_num(value)
        if cand is None:
            cand = parse_num(text)
        return num_eq(float(truth_v), cand)
    t = norm_text(truth_v)
    return any(isinstance(c, str) and norm_text(c) == t for c in (text, value))


def asserted(truth_v: Any, got: Got | None) -> bool:
    """Does the record claim a value for this cell (rather than leave it empty)?"""
    if got is None:
        return False
    value, text = got
    if value is not None and not isinstance(value, bool):
        return True
    qualitative = isinstance(truth_v, str)
    return qualitative and isinstance(text, str) and norm_text(text) != ""


def to_yi(v: Any, unit: Any) -> float | None:
    x = parse_num(v)
    if x is None:
        return None
    return x * UNIT_TO_YI.get(norm_text(unit or "亿元"), 1.0)


def finding_indicators(out: dict[str, Any], claim_only: bool) -> set[int]:
    res: set[int] = set()
    finds = out.get("findings", []) if isinstance(out, dict) else []
    for fd in finds if isinstance(finds, list) else []:
        if not isinstance(fd, dict) or (claim_only and "claim" not in str(fd.get("kind", ""))):
            continue
        with contextlib.suppress(TypeError, ValueError):
            res.add(int(fd.get("indicator")))  # type: ignore[arg-type]
    return res


def score_doc(
    truth: dict[str, Any], out: dict[str, Any] | None
) -> tuple[dict[str, list[int]], list[str]]:
    """Counts as [hit, total] pairs (``false_alarms``: [alarms, claim findings];
    ``confident_wrong`` and ``na_filled``: [count, cells looked at]) and the misses."""
    out = out if isinstance(out, dict) else {}
    r: dict[str, list[int]] = {k: [0, 0] for k in COUNTS}
    r["false_alarms"] = [0, 0]
    r["confident_wrong"] = [0, 0]
    r["na_filled"] = [0, 0]
    miss: list[str] = []
    oi = out_indicators(out)
    flagged = finding_indicators(out, claim_only=False)
    for ind in truth["indicators"]:
        n = ind["number"]
        ov = out_values(oi.get(n, {}))
        for y, tv in ind["values"].items():
            got = ov.get(int(y))
            r["cells"][1] += 1
            r["confident_wrong"][1] += 1
            ok = cell_ok(tv, got)
            r["cells"][0] += ok
            if not ok:
                miss.append(f"cell {n}/{y}: want {tv!r} got {got!r}")
                if asserted(tv, got) and n not in flagged:
                    r["confident_wrong"][0] += 1
                    miss.append(f"confident-wrong {n}/{y}: want {tv!r} got {got!r}, no finding")
        for y in truth.get("not_applicable", {}).get(str(n), []):
            got = ov.get(int(y))
            r["na_filled"][1] += 1
            if got is not None and parse_num(got[0]) is not None:
                r["na_filled"][0] += 1
                miss.append(f"n/a cell {n}/{y} filled with {got!r}")
                if n not in flagged:
                    r["confident_wrong"][0] += 1
                    miss.append(f"confident-wrong {n}/{y}: n/a filled with {got!r}, no finding")
        entry = oi.get(n)
        if ind.get("claimed_pass") is not None:
            r["claims"][1] += 1
            got_c = entry.get("claimed_pass") if isinstance(entry, dict) else None
            ok = isinstance(got_c, bool) and got_c == ind["claimed_pass"]
            r["claims"][0] += ok
            if not ok:
                miss.append(f"claim {n}: want {ind['claimed_pass']} got {got_c!r}")
        if ind.get("true_pass") is not None:
            r["computed"][1] += 1
            got_p = entry.get("computed_pass") if isinstance(entry, dict) else None
            r["computed"][0] += isinstance(got_p, bool) and got_p == ind["true_pass"]
    ofigs = out.get("figures", [])
    ofigs = ofigs if isinstance(ofigs, list) else []
    for f in truth["figures"]:
        r["figures"][1] += 1
        want = to_yi(f["value"], f["unit"])
        assert want is not None
        cands = [
            to_yi(g.get("value"), g.get("unit"))
            for g in ofigs
            if isinstance(g, dict) and g.get("key") == f["key"]
        ]
        ok = any(c is not None and abs(c - want) <= 1e-6 * max(abs(want), 1e-9) for c in cands)
        r["figures"][0] += ok
        if not ok:
            miss.append(f"figure {f['key']}: want {f['value']} {f['unit']} got {cands}")
    r["park"][1] += 1
    park = out.get("park")
    pn = park.get("name") if isinstance(park, dict) else None
    ok = isinstance(pn, str) and norm_text(pn) == norm_text(truth["park"]["name"])
    r["park"][0] += ok
    if not ok:
        miss.append(f"park: want {truth['park']['name']} got {pn!r}")
    r["year"][1] += 1
    ok = year_of(out.get("report_year")) == truth["report_year"]
    r["year"][0] += ok
    if not ok:
        miss.append(f"year: want {truth['report_year']} got {out.get('report_year')!r}")
    fnums = finding_indicators(out, claim_only=True)
    inj = {e["indicator"] for e in truth["injected_errors"]}
    r["errors"][1] += len(inj)
    r["errors"][0] += len(inj & fnums)
    miss += [f"injected error on {e} not reported" for e in sorted(inj - fnums)]
    r["false_alarms"][0] += len(fnums - inj)
    r["false_alarms"][1] += len(fnums)
    return r, miss


def perfect_record(truth: dict[str, Any]) -> dict[str, Any]:
    """The record a perfect reader would write for ``truth`` (for testing the scorer)."""
    inds = []
    for ind in truth["indicators"]:
        values = []
        for y, v in ind["values"].items():
            num = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            values.append({"year": int(y), "value": num, "text": ind["display"].get(y, str(v))})
        inds.append(
            {
                "number": ind["number"],
                "values": values,
                "claimed_pass": ind["claimed_pass"],
                "computed_pass": ind["true_pass"],
            }
        )
    return {
        "report_year": truth["report_year"],
        "park": {"name": truth["park"]["name"]},
        "indicators": inds,
        "figures": [
            {"key": f["key"], "value": f["value"], "unit": f["unit"]} for f in truth["figures"]
        ],
        "findings": [
            {"kind": "claim_mismatch", "indicator": e["indicator"]}
            for e in truth["injected_errors"]
        ],
    }
