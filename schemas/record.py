"""The record: what ecopark promises its users, one per input document.

Field names are a contract (DESIGN.md § The record); add fields freely, rename none,
and bump SCHEMA_VERSION when the meaning of a field changes.

Coordinates in every ``bbox``: PDF points, origin at the top-left of the page as
displayed (after /Rotate), ``[x0, top, x1, bottom]``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

SCHEMA_VERSION = "1.0"

Status = Literal["ok", "partial", "failed"]
Severity = Literal["error", "warning", "info"]
FindingKind = Literal[
    "claim_mismatch",
    "missing_indicator",
    "selection_rule",
    "table_mismatch",
    "unparsed_value",
    "no_value",  # a value cell that is blank or a not-applicable mark (/, —, 未统计)
    "inconsistent_figure",
    "low_confidence",
    "unit_mismatch",
    "requirement_mismatch",
    "implausible_value",
    "assumption",
    "extraction",
    "document_type",
    "reviewed",  # a doubt (low_confidence, unparsed_value …) a person has checked: see evidence
]
DocumentKind = Literal[
    "hj274_2015_annual",
    "older_national_standard",
    "provincial_scheme",
    "other_programme",
    "not_a_report",
]
VerdictBasis = Literal["standard", "printed_requirements"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Model):
    """Where a value was printed. ``page`` is 1-based (PDF sources); ``line`` is the
    1-based line of a text source (Markdown/HTML)."""

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = Field(
        default=None, description="[x0, top, x1, bottom] in PDF points, top-left origin"
    )
    line: int | None = None
    # Word and Excel sources (1-based): the table (a sheet's table for Excel), its row and
    # the cell's grid column; ``sheet`` names the worksheet. Omitted when empty, so records
    # of other sources are unchanged.
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    sheet: str | None = None

    @model_serializer(mode="wrap")
    def _omit_empty_office_places(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for k in _OFFICE_PLACES:
                if data.get(k) is None:
                    data.pop(k, None)
        return data


_OFFICE_PLACES = ("table", "row", "cell", "sheet")


class SourceInfo(_Model):
    path: str
    sha256: str | None = None
    kind: Literal["pdf", "scanned-pdf", "markdown", "html", "text", "docx", "xlsx"] | None = None
    pages: int | None = None


class StageError(_Model):
    stage: str
    message: str


class Park(_Model):
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    level: str | None = Field(default=None, description="园区级别: 国家级 | 省级 | 省级以下")
    type: str | None = Field(default=None, description="园区类型, the ticked box")
    designation: str | None = Field(default=None, description="已命名 | 创建中")
    region: str | None = Field(
        default=None, description="京津冀 | 缺水城市 | 其他地区, or null when unknown"
    )
    region_basis: str | None = Field(
        default=None, description="why: the place named and the source of the place list"
    )
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="field name → where its value was printed"
    )
    corrected: dict[str, str | None] = Field(
        default_factory=dict,
        description="field name → the value a reviewer corrected it to (the field keeps the print)",
    )


class YearValue(_Model):
    year: int | None = Field(description="the year the column holds; null for 目标值 etc.")
    column: str = Field(description="the column header as printed")
    value: float | None = Field(description="the number, or null for qualitative/NA text")
    value_std: float | None = Field(
        default=None,
        description="the value converted into the standard's unit when the report printed "
        "another convertible unit (万元/人 for 元/人 …); null when no conversion was needed",
    )
    text: str = Field(description="the cell as printed (whitespace-normalised)")
    computed_pass: bool | None = None
    provenance: Provenance = Field(default_factory=Provenance)
    # A person's correction (OUTDIR/corrections.jsonl); value/text above stay as printed.
    value_corrected: float | None = Field(
        default=None, description="the value a reviewer read on the page, in the printed unit"
    )
    text_corrected: str | None = Field(
        default=None, description="the cell as a reviewer read it, when corrected"
    )
    unreadable: bool = Field(default=False, description="a reviewer found the cell unreadable")
    corrected_by: str | None = Field(
        default=None, description="who corrected or confirmed the cell; null when nobody did"
    )


class Indicator(_Model):
    number: int
    name: str = Field(description="the standard's wording")
    raw_name: str = Field(description="the label as printed")
    category: str = Field(description="the standard's category")
    raw_category: str | None = None
    unit: str | None = Field(description="the unit as printed")
    requirement: str | None = Field(description="the requirement as printed")
    mandatory: bool = Field(description="必选 in the standard")
    assessed: bool | None = Field(
        description="是否为考核指标: 必选/是 → true, 否 → false, null when not printed"
    )
    assessed_text: str | None = None
    values: list[YearValue] = Field(default_factory=list)
    claimed_pass: bool | None = Field(default=None, description="the report's 是否达标")
    claim_text: str | None = None
    claim_provenance: Provenance | None = None
    claim_corrected: bool | None = Field(
        default=None, description="是否达标 as a reviewer read it; claimed_pass stays as printed"
    )
    claim_corrected_by: str | None = None
    computed_pass: bool | None = Field(default=None, description="ours, for the report year")
    rule: str | None = Field(default=None, description="the rule applied, in words")
    match_score: float = Field(default=100.0, description="label match confidence 0–100")
    provenance: Provenance = Field(default_factory=Provenance)


class Figure(_Model):
    key: str
    label: str
    value: float
    unit: str
    value_norm: float | None = None
    unit_norm: str | None = None
    year: int | None = None
    page: int | None = None
    text: str = Field(description="the sentence the figure came from")
    provenance: Provenance = Field(default_factory=Provenance)


class Finding(_Model):
    severity: Severity
    kind: FindingKind
    indicator: int | None = None
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class ReviewCell(_Model):
    """A cell the verdict rests on that a person should look at before it decides."""

    indicator: int
    year: int | None = None
    reason: str
    finding_kind: str | None = None


class DocumentType(_Model):
    """What the document is, decided from what it says (schemas/data/document_types.yaml)."""

    kind: DocumentKind
    label: str = Field(description="e.g. 国家生态工业示范园区建设年度评价报告, 绿色园区")
    basis: str = Field(description="why, in words")
    evidence: list[str] = Field(default_factory=list, description="the cues found, with place")


class Verdict(_Model):
    meets_standard: bool | None = Field(
        description="true/false, or null when missing, unparsed or doubtful values leave it "
        "open, when nothing was checked, or when the document is not judged"
    )
    basis: VerdictBasis | None = Field(
        default=None,
        description="standard: the encoded standard's rules; printed_requirements: each value "
        "against the requirement printed beside it; null: not judged",
    )
    needs_review: list[ReviewCell] = Field(
        default_factory=list, description="deciding cells that are doubtful (then no verdict)"
    )
    settings_used: dict[str, str] = Field(
        default_factory=dict,
        description="setting → where it came from: config | cli | default | document | settings",
    )
    mandatory_failed: list[int] = Field(default_factory=list)
    assessed_optional_failed: list[int] = Field(default_factory=list)
    assessed_optional_count: int = 0
    undetermined: list[int] = Field(default_factory=list)
    explanation: str = ""


class Report(_Model):
    schema_version: str = SCHEMA_VERSION
    ecopark_version: str | None = None
    source: SourceInfo
    status: Status = "ok"
    errors: list[StageError] = Field(default_factory=list)
    report_year: int | None = None
    filled_on: str | None = Field(default=None, description="填报时间, ISO date")
    standard: str | None = Field(default=None, description="the standard the report follows")
    standard_basis: str | None = Field(
        default=None,
        description="how the standard was found: named in the text, annex "
        "category words, or assumed",
    )
    document_type: DocumentType | None = None
    park: Park = Field(default_factory=Park)
    indicators: list[Indicator] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    verdict: Verdict | None = None

    def indicator(self, number: int) -> Indicator | None:
        return next((ind for ind in self.indicators if ind.number == number), None)


def json_schema() -> dict[str, Any]:
    return Report.model_json_schema()
