"""implausible_value: values an indicator cannot take, by rules kept as data
(schemas/data/plausibility.yaml), and a baseline column copied into the report year."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

import schemas
from schemas.record import Finding, Indicator, YearValue

PLAUSIBILITY_FILE = Path(schemas.__file__).parent / "data" / "plausibility.yaml"


class Bound(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    why: str
    indicators: tuple[int, ...]
    min: float | None = None
    max: float | None = None
    abs_max: float | None = None
    integer: bool = False


class CopyPaste(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_rows: int


class Plausibility(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    bounds: tuple[Bound, ...]
    copy_paste: CopyPaste


@cache
def load_plausibility(path: Path = PLAUSIBILITY_FILE) -> Plausibility:
    return Plausibility.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def number(yv: YearValue) -> float | None:
    """The value in the standard's unit: converted when the report used another one."""
    return yv.value_std if yv.value_std is not None else yv.value


def breaks(x: float, bound: Bound) -> str | None:
    """Why ``x`` breaks the bound, or None."""
    if bound.min is not None and x < bound.min:
        return f"below {bound.min:g}"
    if bound.max is not None and x > bound.max:
        return f"above {bound.max:g}"
    if bound.abs_max is not None and abs(x) > bound.abs_max:
        return f"magnitude above {bound.abs_max:g}"
    if bound.integer and x != int(x):
        return "not a whole number"
    return None


def _ev(yv: YearValue) -> dict[str, object]:
    return {"column": yv.column, "text": yv.text, **yv.provenance.model_dump(exclude_none=True)}


def value_findings(indicators: Sequence[Indicator], rules: Plausibility) -> list[Finding]:
    out: list[Finding] = []
    for ind in indicators:
        for bound in rules.bounds:
            if ind.number not in bound.indicators:
                continue
            for yv in ind.values:
                x = number(yv)
                why = breaks(x, bound) if x is not None else None
                if why is not None:
                    out.append(
                        Finding(
                            severity="warning",
                            kind="implausible_value",
                            indicator=ind.number,
                            message=f"#{ind.number} {yv.column}: {yv.text} is {why} "
                            f"({bound.name}: {bound.why})",
                            evidence={"rule": bound.name, **_ev(yv)},
                        )
                    )
    return out


def copy_paste_finding(indicators: Sequence[Indicator], rules: Plausibility) -> Finding | None:
    """Baseline (first year column) equal to the report year (last) in every numeric row."""
    pairs: list[tuple[int, YearValue, YearValue]] = []
    for ind in indicators:
        dated = sorted((v for v in ind.values if v.year is not None), key=lambda v: v.year or 0)
        if len(dated) >= 2 and dated[0].value is not None and dated[-1].value is not None:
            pairs.append((ind.number, dated[0], dated[-1]))
    if len(pairs) < rules.copy_paste.min_rows:
        return None
    if any(a.value != b.value for _, a, b in pairs):
        return None
    first, last = pairs[0][1], pairs[0][2]
    return Finding(
        severity="warning",
        kind="implausible_value",
        message=f"every one of {len(pairs)} numeric rows prints the same value for "
        f"{first.column} and {last.column}: the baseline column looks copied",
        evidence={
            "baseline": first.column,
            "report_year": last.column,
            "rows": [n for n, _, _ in pairs],
            **first.provenance.model_dump(exclude_none=True),
        },
    )


def plausibility_findings(
    indicators: Sequence[Indicator], rules: Plausibility | None = None
) -> list[Finding]:
    rules = rules or load_plausibility()
    out = value_findings(indicators, rules)
    copied = copy_paste_finding(indicators, rules)
    return [*out, copied] if copied else out
