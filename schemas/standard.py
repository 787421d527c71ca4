"""A standard (HJ 274-2015, …) as typed data, loaded from ``schemas/standards/*.yaml``.

The YAML is the single place where thresholds, conditional rules and the selection
rule live; these models only validate its shape (unknown keys are errors, so a typo in
the YAML fails loudly instead of silently dropping a rule).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

STANDARDS_DIR = Path(__file__).parent / "standards"
DEFAULT_STANDARD = "HJ 274-2015"

Op = Literal["ge", "le", "gt", "lt", "eq"]
RegionKey = Literal["water_scarce", "jingjinji", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompareRule(_Strict):
    kind: Literal["compare"]
    op: Op
    value: float
    accept: tuple[str, ...] = ()  # words that also meet it (无 for an event count of 0)


class NumericAlternative(_Strict):
    op: Op
    value: float


class QualitativeRule(_Strict):
    kind: Literal["qualitative"]
    accept: tuple[str, ...]
    numeric: NumericAlternative | None = None


class GrowthConditionalRule(_Strict):
    kind: Literal["growth_conditional"]
    limit: float


class RegionTieredRule(_Strict):
    kind: Literal["region_tiered"]
    op: Op
    tiers: dict[RegionKey, float]


Rule = Annotated[
    CompareRule | QualitativeRule | GrowthConditionalRule | RegionTieredRule,
    Field(discriminator="kind"),
]


class IndicatorSpec(_Strict):
    number: int
    category: str
    name: str
    aliases: tuple[str, ...] = ()
    unit: str
    requirement: str
    mandatory: bool
    footnote: str | None = None
    rule: Rule


class Evaluation(_Strict):
    min_optional_assessed: int
    min_optional_assessed_status: Literal["source", "seed", "inferred"]
    growth_proxy_indicator: int | None = None


class Standard(_Strict):
    id: str
    title: str
    aliases: tuple[str, ...] = ()
    categories: tuple[str, ...]
    evaluation: Evaluation
    regions: dict[RegionKey, str]
    indicators: tuple[IndicatorSpec, ...]

    def by_number(self, number: int) -> IndicatorSpec | None:
        for spec in self.indicators:
            if spec.number == number:
                return spec
        return None


def standard_files() -> list[Path]:
    return sorted(STANDARDS_DIR.glob("*.yaml"))


@cache
def load_standard(standard_id: str = DEFAULT_STANDARD) -> Standard:
    """Load a standard by id (or alias). Raises KeyError naming the known ids."""
    known: list[str] = []
    for path in standard_files():
        std = Standard.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        if standard_id == std.id or standard_id in std.aliases:
            return std
        known.append(std.id)
    raise KeyError(f"unknown standard {standard_id!r}; known: {', '.join(known)}")
