"""Records → the static report. Everything a document says is escaped by Jinja2's
autoescape (a report whose text holds <script> renders it as text)."""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ecopark import corrections
from ecopark.corrections import Correction
from ecopark.outputs import atomic_write
from ecopark.pipeline import ECOPARK_VERSION
from ecopark.report.pages import PageImage, render_pages
from ecopark.report.plots import Point, scatter
from schemas.record import Indicator, Provenance, Report, YearValue
from schemas.standard import CompareRule, GrowthConditionalRule, RegionTieredRule, Standard
from schemas.text import key

SOURCE_CONTEXT_LINES = 2
# Findings that say a cell may differ from the page: the indicator table marks the cell.
DOUBT_KINDS = corrections.DOUBT_KINDS


@dataclass
class DocView:
    """What a document page needs, beyond the record itself."""

    report: Report
    slug: str
    pages: dict[int, PageImage] = field(default_factory=dict)
    lines: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    history: list[Correction] = field(default_factory=list)  # this document's corrections

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


def row_box(ind: Indicator, page: int | None) -> list[float] | None:
    """The row's band on ``page``: the union of the boxes its value and claim cells were
    read from there (the row's own box can hold a merged category cell spanning many rows).
    The crop keeps the page's full width, so the label is never cut off."""
    provs = [v.provenance for v in ind.values]
    if ind.claim_provenance:
        provs.append(ind.claim_provenance)
    boxes = [p.bbox for p in provs if p.bbox and p.page == page]
    if not boxes:
        return None
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]


def doubts(report: Report) -> dict[tuple[int, str], list[str]]:
    """(indicator, column) → the messages of the findings that doubt that cell; column
    '*' for a doubt on the whole row (a label matched by its 序号 only …)."""
    out: dict[tuple[int, str], list[str]] = defaultdict(list)
    for f in report.findings:
        if f.kind not in DOUBT_KINDS or f.indicator is None:
            continue
        col = f.evidence.get("column")
        out[(f.indicator, str(col) if col else "*")].append(f.message)
    return dict(out)


def plotted(yv: YearValue) -> float | None:
    """The value judged, in the standard's unit: a reviewer's where there is one."""
    final = corrections.value_final(yv)
    if final is None:
        return None
    if final == yv.value:
        return yv.value_std if yv.value_std is not None else yv.value
    if yv.value_std is not None and yv.value:
        return final * yv.value_std / yv.value
    return final


def one_per_park_year(reports: Sequence[Report]) -> list[Report]:
    """One document per park × year for the archive's pass rates: two files of one report
    (a PDF and its scan, a re-issued copy) count once — the one read best."""
    best: dict[tuple[str, int], Report] = {}
    out = []
    for r in reports:
        pid = key(r.park.name) if r.park.name else ""
        if not pid or not r.report_year:
            out.append(r)
            continue
        k = (pid, r.report_year)
        if k not in best or _quality(r) > _quality(best[k]):
            best[k] = r
    return out + list(best.values())


def _quality(r: Report) -> tuple[int, int, int]:
    judged = sum(i.computed_pass is not None for i in r.indicators)
    return ({"ok": 2, "partial": 1}.get(r.status, 0), judged, -len(r.findings))


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
    counted = one_per_park_year(reports)
    for spec in standard.indicators:
        points, passed, judged = [], 0, 0
        for r in counted:
            if r.document_type is not None and r.document_type.kind != "hj274_2015_annual":
                continue  # its rows are numbered by its own table, not the standard's
            ind = r.indicator(spec.number)
            if ind is None:
                continue
            if ind.computed_pass is not None:
                judged += 1
                passed += ind.computed_pass
            for v in ind.values:
                value = plotted(v)
                if v.year == r.report_year and value is not None and r.report_year:
                    points.append(
                        Point(
                            r.report_year,
                            value,
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
                    points,
                    threshold_of(standard, spec.number),
                    f"#{spec.number} {spec.name}",
                    unit=spec.unit,
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


def _inputs(outdir: Path) -> int:
    """Input paths ever recorded in OUTDIR (sources.jsonl), each once."""
    try:
        lines = (outdir / "sources.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    paths = set()
    for line in lines:
        try:
            paths.add(json.loads(line)["path"])
        except (ValueError, KeyError, TypeError):
            continue
    return len(paths)


def _command() -> str | None:
    """The ecopark command line of this process; None when ecopark is used from Python."""
    prog = Path(sys.argv[0]).name if sys.argv else ""
    if prog in ("ecopark", "cli.py", "__main__.py"):
        return shlex.join(["ecopark", *sys.argv[1:]])
    return None


def run_metadata(outdir: Path, reports: Sequence[Report], command: str | None) -> dict[str, Any]:
    return {
        "version": ECOPARK_VERSION,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command if command is not None else _command(),
        "inputs": _inputs(outdir) or len(reports),
        "records_by": sorted({r.ecopark_version or "?" for r in reports}),
    }


def write_report(
    outdir: Path,
    reports: Sequence[Report],
    standard: Standard,
    duplicates: int = 0,
    command: str | None = None,
) -> Path:
    report_dir = outdir / "report"
    (report_dir / "docs").mkdir(parents=True, exist_ok=True)
    env = _env()
    env.globals["prov"] = _prov
    env.globals["rowbox"] = lambda ind, page: json.dumps(row_box(ind, page))
    env.globals["final"] = corrections.value_final
    env.globals["id"] = id
    log = corrections.load(outdir)
    in_force = {id(c) for c in corrections.latest(log).values()}
    history = corrections.by_document(log)
    views = [doc_view(r, report_dir) for r in sorted(reports, key=lambda r: r.source.path)]
    for view in views:
        view.history = history.get(view.report.source.sha256 or "", [])
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
            doubts=doubts(view.report),
            in_force=in_force,
        )
        atomic_write(report_dir / "docs" / f"{view.slug}.html", html)
    status: Counter[str] = Counter(r.status for r in reports)
    if duplicates:
        status["duplicate"] = duplicates
    verdicts = Counter(v.verdict for v in views)
    kinds = Counter(f.kind for r in reports for f in r.findings)
    grid: dict[str, dict[int, list[DocView]]] = defaultdict(lambda: defaultdict(list))
    for v in views:  # every document of a park × year, not only the last one
        if v.report.park.name and v.report.report_year:
            grid[v.report.park.name][v.report.report_year].append(v)
    years = sorted({y for row in grid.values() for y in row})
    index = env.get_template("index.html.j2").render(
        views=views,
        status=dict(status),
        verdicts=dict(verdicts),
        kinds=kinds.most_common(),
        grid={p: dict(row) for p, row in sorted(grid.items())},
        years=years,
        stats=indicator_stats(reports, standard),
        standard=standard,
        total=len(reports) + duplicates,
        failed=[v for v in views if v.report.status == "failed"],
        corrected=[(v, c, id(c) in in_force) for v in views for c in v.history],
        meta=run_metadata(outdir, reports, command),
    )
    target = report_dir / "index.html"
    atomic_write(target, index)
    return target
