"""OCR benchmark on the scanned samples (samples/scans/*_scan.pdf): speed on one core,
peak memory, and accuracy against the truth.

    python benchmarks/bench_ocr.py                 # every scanned sample
    python benchmarks/bench_ocr.py changchun_2018_scan --json out.json

Each sample runs in its own subprocess pinned to one core (``taskset -c 0`` where
available, and onnxruntime/OpenMP at one thread either way); the child reports its
wall time per page and ``ru_maxrss`` (peak resident memory). Accuracy, per sample:
value cells exact (tests/truth.py's ``same_cell``), claims, headline figures, and
"confident wrong" cells — wrong and without a ``low_confidence`` finding on that
indicator and column — which must be 0.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCANS = ROOT / "samples" / "scans"


def run_child(pdf: Path) -> dict[str, Any]:
    """In the child: OCR the whole PDF, build and check the record, score it."""
    import pypdfium2 as pdfium

    from extract.ocr import ocr_pages
    from extract.report import recover
    from extract.source import SourceDoc
    from normalize.ocr_checks import add_ocr_findings
    from normalize.record import build_report
    from schemas.checker import check
    from schemas.record import SourceInfo
    from schemas.standard import DEFAULT_STANDARD, load_standard
    from tests.truth import compare, same_cell

    n = len(pdfium.PdfDocument(str(pdf)))
    times: dict[int, float] = {}
    t0 = time.perf_counter()
    lines, tables, warnings = ocr_pages(pdf, range(1, n + 1), on_page=times.__setitem__)
    doc = SourceDoc(kind="scanned-pdf", pages=n, lines=lines, tables=tables, warnings=warnings)
    ocr_seconds = time.perf_counter() - t0
    page_times = [times.get(p, 0.0) for p in range(1, n + 1)]
    table_pages = sorted({t.loc.page for t in tables if t.loc.page is not None})
    std = load_standard(DEFAULT_STANDARD)
    report = build_report(recover(doc), SourceInfo(path=str(pdf), kind="scanned-pdf"), std)
    check(report, std, None)
    n_low = add_ocr_findings(report, doc.tables)
    total = time.perf_counter() - t0
    truth = json.loads(pdf.with_name(pdf.stem + ".truth.json").read_text("utf-8"))
    diffs = compare(report, truth)

    flagged = {
        (f.indicator, str(f.evidence.get("column")))
        for f in report.findings
        if f.kind == "low_confidence" and f.evidence.get("source") == "ocr"
    }
    by_n = {i.number: i for i in report.indicators}
    cells = right = confident_wrong = claims = claims_right = 0
    wrong: list[str] = []
    for t in truth["indicators"]:
        ind = by_n.get(t["number"])
        for year, want in t["values"].items():
            cells += 1
            yv = next((v for v in ind.values if str(v.year) == year), None) if ind else None
            if yv is not None and same_cell(yv.text, want):
                right += 1
                continue
            is_flagged = yv is not None and (t["number"], yv.column) in flagged
            wrong.append(
                f"#{t['number']} {year}: {yv.text if yv else None!r} != {want!r}"
                f"{' (flagged)' if is_flagged else ' (CONFIDENT)'}"
            )
            confident_wrong += 0 if is_flagged else 1
        if t.get("claim") is not None:
            claims += 1
            want_claim = {"是": True, "否": False}.get(t["claim"])
            claims_right += int(ind is not None and ind.claimed_pass == want_claim)
    figs = [d for d in diffs if d.startswith("figure")]
    n_figs = len(truth.get("figures", {}))
    return {
        "sample": pdf.stem,
        "pages": n,
        "table_pages": table_pages,
        "seconds_ocr": round(ocr_seconds, 1),
        "seconds_total": round(total, 1),
        "seconds_per_page": round(sum(page_times) / n, 2),
        "seconds_per_table_page": round(
            sum(page_times[p - 1] for p in table_pages) / max(1, len(table_pages)), 2
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "value_cells": cells,
        "value_cells_exact": right,
        "claims": claims,
        "claims_right": claims_right,
        "figures": n_figs,
        "figures_right": n_figs - len(figs),
        "confident_wrong": confident_wrong,
        "low_confidence_findings": n_low,
        "wrong_cells": wrong,
        "other_diffs": [d for d in diffs if not d.startswith("#")],
    }


def run_parent(names: list[str]) -> list[dict[str, Any]]:
    pdfs = [SCANS / f"{n}.pdf" for n in names] if names else sorted(SCANS.glob("*_scan.pdf"))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    results = []
    for pdf in pdfs:
        cmd = [*pin, sys.executable, __file__, "--child", str(pdf)]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            results.append({"sample": pdf.stem, "error": out.stderr[-2000:]})
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def summary(results: list[dict[str, Any]]) -> str:
    rows = [
        "sample | pages | s/report | s/page | s/table page | peak MB | values | claims | "
        "figures | confident wrong | low_conf"
    ]
    ok = [r for r in results if "error" not in r]
    for r in results:
        if "error" in r:
            rows.append(f"{r['sample']} | ERROR {r['error'][-300:]}")
            continue
        rows.append(
            f"{r['sample']} | {r['pages']} | {r['seconds_total']} | {r['seconds_per_page']} | "
            f"{r['seconds_per_table_page']} | {r['peak_rss_mb']} | "
            f"{r['value_cells_exact']}/{r['value_cells']} | {r['claims_right']}/{r['claims']} | "
            f"{r['figures_right']}/{r['figures']} | {r['confident_wrong']} | "
            f"{r['low_confidence_findings']}"
        )
    if ok:
        cells = sum(r["value_cells"] for r in ok)
        exact = sum(r["value_cells_exact"] for r in ok)
        claims = sum(r["claims"] for r in ok)
        right = sum(r["claims_right"] for r in ok)
        all_figs = sum(1 for r in ok if r["figures_right"] == r["figures"])
        rows.append(
            f"ALL | values {exact}/{cells} = {100 * exact / cells:.2f} % | claims "
            f"{right}/{claims} = {100 * right / max(1, claims):.2f} % | all figures on "
            f"{all_figs}/{len(ok)} reports | confident wrong "
            f"{sum(r['confident_wrong'] for r in ok)} | 15-page estimate "
            f"{15 * max(r['seconds_per_page'] for r in ok):.0f} s (slowest s/page)"
        )
    for r in ok:
        for w in r["wrong_cells"] + r["other_diffs"]:
            rows.append(f"  {r['sample']}: {w}")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="scan sample stems (default: all)")
    ap.add_argument("--json", type=Path, help="write the raw results here")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child), ensure_ascii=False))
        return 0
    results = run_parent(args.names)
    print(summary(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
