"""A standard (HJ 274-2015, …) as typed data, loaded from ``schemas/standards/*.yaml``.

The YAML is the single place where thresholds, conditional rules and the selection
rule live; these models only validate its shape (unknown keys are errors, so a typo in
the YAML fails loudly instead of silently dropping a rule).

A standard whose rules we do not know (HJ 274-2009: STANDARD.md has its categories and
indicator count, not its thresholds) is still a file, with ``encoded: false`` and no
indicators: reports can be detected as following it, and are then not judged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    # Units reports print for this indicator that mean the same as ``unit`` (e.g. '—' on a
    # 100-type or qualitative indicator): no unit_mismatch for these.
    units_seen: tuple[str, ...] = ()
    # None only in a standard built from a document's printed requirements, for a
    # requirement that cannot be read as a rule (the value is then not judged).
    rule: Rule | None


EvaluationMode = Literal["all", "mandatory_plus_optional", "category_minimums"]


class CategoryMinimum(_Strict):
    """'经济发展类 4 项指标至少选择 1 项达标': at least ``min_met`` of the category's
    indicators meet their requirement."""

    category: str
    min_met: int
    of: int | None = None  # the count the rule prints, when it prints one
    text: str | None = None  # the rule as printed, when it comes from a document


class Evaluation(_Strict):
    """How indicator results make the verdict.

    all                       every indicator must meet its requirement
    mandatory_plus_optional   every mandatory one, and every optional one the park is
                              assessed on (是否为考核指标 = 是); fewer than
                              min_optional_assessed assessed is a selection_rule finding
    category_minimums         in each listed category at least min_met indicators meet;
                              outside the listed categories every indicator must meet
    """

    mode: EvaluationMode = "mandatory_plus_optional"
    min_optional_assessed: int = 0
    min_optional_assessed_status: Literal["source", "seed", "inferred", "document"] = "inferred"
    category_minimums: tuple[CategoryMinimum, ...] = ()
    growth_proxy_indicator: int | None = None

    @model_validator(mode="after")
    def _mode_has_its_data(self) -> Evaluation:
        if self.mode == "category_minimums" and not self.category_minimums:
            raise ValueError("mode category_minimums needs category_minimums")
        return self


class Detection(_Strict):
    """How a report shows it follows this standard: its text names it (regexes), or its
    annex uses the standard's own category words."""

    mentions: tuple[str, ...] = ()
    priority: int = 0  # when a report names several standards, the highest wins (newest)
    # the document type a report following this standard is (document_types.yaml kinds)
    document_kind: Literal["hj274_2015_annual", "older_national_standard"] = (
        "older_national_standard"
    )


class Standard(_Strict):
    id: str
    title: str
    aliases: tuple[str, ...] = ()
    encoded: bool = True  # false: rules unknown, reports following it are not judged
    note: str | None = None
    indicator_count: int | None = None
    categories: tuple[str, ...] = ()
    detection: Detection = Detection()
    evaluation: Evaluation = Evaluation(mode="all")
    regions: dict[RegionKey, str] = Field(default_factory=dict)
    indicators: tuple[IndicatorSpec, ...] = ()
    # Built from one document's own table (normalize/printed.py), not from a YAML file:
    # its rules are the requirements the document prints; numbering is the document's.
    printed: bool = False

    @model_validator(mode="after")
    def _encoded_has_rules(self) -> Standard:
        if self.encoded and not self.indicators:
            raise ValueError(f"{self.id}: an encoded standard needs its indicators")
        if not self.printed and any(s.rule is None for s in self.indicators):
            raise ValueError(f"{self.id}: every indicator of a standard file needs a rule")
        return self

    def by_number(self, number: int) -> IndicatorSpec | None:
        for spec in self.indicators:
            if spec.number == number:
                return spec
        return None


def standard_files() -> list[Path]:
    return sorted(STANDARDS_DIR.glob("*.yaml"))


@cache
def all_standards() -> tuple[Standard, ...]:
    """Every standard in schemas/standards/*.yaml, in file order."""
    return tuple(
        Standard.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in standard_files()
    )


@cache
def load_standard(standard_id: str = DEFAULT_STANDARD) -> Standard:
    """Load a standard by id (or alias). Raises KeyError naming the known ids."""
    for std in all_standards():
        if standard_id == std.id or standard_id in std.aliases:
            return std
    known = ", ".join(s.id for s in all_standards())
    raise KeyError(f"unknown standard {standard_id!r}; known: {known}")
