"""Records → the static report. Everything a document says is escaped by Jinja2's
autoescape (a report whose text holds <script> renders it as text)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ecopark.outputs import atomic_write
from ecopark.report.pages import PageImage, render_pages
from ecopark.report.plots import Point, scatter
from schemas.record import Provenance, Report
from schemas.standard import CompareRule, GrowthConditionalRule, RegionTieredRule, Standard

SOURCE_CONTEXT_LINES = 2


@dataclass
class DocView:
    """What a document page needs, beyond the record itself."""

    report: Report
    slug: str
    pages: dict[int, PageImage] = field(default_factory=dict)
    lines: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        v = self.report.verdict
        if v is None:
            return "none"
        return {True: "meets", False: "fails", None: "undetermined"}[v.meets_standard]


def slug(report: Report) -> str:
    raw = report.source.sha256 or report.source.path
    return hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _provenances(r: Report) -> list[Provenance]:
    out = [v.provenance for i in r.indicators for v in i.values]
    out += [i.claim_provenance for i in r.indicators if i.claim_provenance]
    out += [f.provenance for f in r.figures]
    out += list(r.park.provenance.values())
    for fd in r.findings:
        for ev in (fd.evidence, *[v for v in fd.evidence.values() if isinstance(v, dict)]):
            if isinstance(ev, dict) and ("page" in ev or "line" in ev):
                out.append(
                    Provenance.model_validate({k: ev.get(k) for k in ("page", "bbox", "line")})
                )
    return out


def _source_lines(path: Path, wanted: set[int]) -> dict[int, list[tuple[int, str]]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return {}
    out = {}
    for n in wanted:
        lo, hi = max(1, n - SOURCE_CONTEXT_LINES), min(len(text), n + SOURCE_CONTEXT_LINES)
        out[n] = [(i, text[i - 1][:400]) for i in range(lo, hi + 1)]
    return out


def doc_view(report: Report, report_dir: Path) -> DocView:
    view = DocView(report, slug(report))
    provs = _provenances(report)
    src = Path(report.source.path)
    if report.source.kind in ("pdf", "scanned-pdf"):
        pages = {p.page for p in provs if p.page}
        view.pages = render_pages(src, pages, report_dir / "pages", view.slug)
    else:
        view.lines = _source_lines(src, {p.line for p in provs if p.line})
    return view


def threshold_of(standard: Standard, number: int) -> float | None:
    spec = standard.by_number(number)
    if spec is None:
        return None
    rule = spec.rule
    if isinstance(rule, CompareRule):
        return rule.value
    if isinstance(rule, GrowthConditionalRule):
        return rule.limit
    if isinstance(rule, RegionTieredRule):
        return rule.tiers.get("other")
    return None


def indicator_stats(reports: Sequence[Report], standard: Standard) -> list[dict[str, Any]]:
    out = []
    for spec in standard.indicators:
        points, passed, judged = [], 0, 0
        for r in reports:
            if r.document_type is not None and r.document_type.kind != "hj274_2015_annual":
                continue  # its rows are numbered by its own table, not the standard's
            ind = r.indicator(spec.number)
            if ind is None:
                continue
            if ind.computed_pass is not None:
                judged += 1
                passed += ind.computed_pass
            for v in ind.values:
                if v.year == r.report_year and v.value is not None and r.report_year:
                    points.append(
                        Point(
                            r.report_year,
                            v.value,
                            v.computed_pass,
                            f"{r.park.name or '?'} {r.report_year}",
                        )
                    )
        out.append(
            {
                "spec": spec,
                "judged": judged,
                "passed": passed,
                "rate": (passed / judged) if judged else None,
                "plot": scatter(
                    points, threshold_of(standard, spec.number), f"#{spec.number} {spec.name}"
                ),
            }
        )
    return out


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("ecopark.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = lambda v: "" if v is None else (f"{v:.12g}" if isinstance(v, float) else v)
    env.filters["yesno"] = lambda v: {True: "是", False: "否", None: "—"}.get(v, "—")
    return env


def _prov(p: Provenance | dict[str, Any] | None) -> str:
    """The data attribute the crop viewer reads (autoescaped where it is used)."""
    if p is None:
        return ""
    if isinstance(p, dict):
        p = Provenance.model_validate({k: p.get(k) for k in ("page", "bbox", "line")})
    return json.dumps({"page": p.page, "bbox": p.bbox, "line": p.line})


def write_report(
    outdir: Path, reports: Sequence[Report], standard: Standard, duplicates: int = 0
) -> Path:
    report_dir = outdir / "report"
    (report_dir / "docs").mkdir(parents=True, exist_ok=True)
    env = _env()
    env.globals["prov"] = _prov
    views = [doc_view(r, report_dir) for r in sorted(reports, key=lambda r: r.source.path)]
    doc_tpl = env.get_template("doc.html.j2")
    for view in views:
        pages = {
            n: {"src": "../" + p.src, "width": p.width, "height": p.height, "scale": p.scale}
            for n, p in view.pages.items()
        }
        html = doc_tpl.render(
            v=view,
            r=view.report,
            pages=pages,
            lines=view.lines,
            mismatches={f.indicator for f in view.report.findings if f.kind == "claim_mismatch"},
        )
        atomic_write(report_dir / "docs" / f"{view.slug}.html", html)
    status: Counter[str] = Counter(r.status for r in reports)
    if duplicates:
        status["duplicate"] = duplicates
    verdicts = Counter(v.verdict for v in views)
    kinds = Counter(f.kind for r in reports for f in r.findings)
    grid: dict[str, dict[int, DocView]] = defaultdict(dict)
    for v in views:
        if v.report.park.name and v.report.report_year:
            grid[v.report.park.name][v.report.report_year] = v
    years = sorted({y for row in grid.values() for y in row})
    index = env.get_template("index.html.j2").render(
        views=views,
        status=dict(status),
        verdicts=dict(verdicts),
        kinds=kinds.most_common(),
        grid=dict(sorted(grid.items())),
        years=years,
        stats=indicator_stats(reports, standard),
        standard=standard,
        total=len(reports) + duplicates,
    )
    target = report_dir / "index.html"
    atomic_write(target, index)
    return target
