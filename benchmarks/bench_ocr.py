"""OCR benchmark on the scanned samples (samples/scans/*.pdf: full scans *_scan.pdf and
mixed text + scan reports mixed_*.pdf): speed on one core, peak memory, and accuracy
against the truth.

    python benchmarks/bench_ocr.py                 # every scanned sample
    python benchmarks/bench_ocr.py changchun_2018_scan --json out.json --core 1

Each sample runs the real pipeline (``ecopark.pipeline.process``) in its own subprocess
pinned to one core (``taskset -c CORE`` where available, and onnxruntime/OpenMP at one
thread either way); the child times every OCR'd page (render + ``ocr_image``) and
reports ``ru_maxrss`` (peak resident memory). Table pages are the OCR'd pages an
indicator value came from. Accuracy, per sample: value cells exact (tests/truth.py's
``same_cell``), claims, headline figures, and "confident wrong" cells — wrong and without
a ``low_confidence`` finding on that indicator and column — which must be 0.
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
    """In the child: the whole pipeline (``ecopark.pipeline.process``: text layer where
    there is one, OCR on the other pages), timed per OCR'd page, and scored."""
    import pypdfium2 as pdfium

    import extract.read.ocr.reader as ocr
    from ecopark.pipeline import process
    from tests.truth import compare, same_cell

    n = len(pdfium.PdfDocument(str(pdf)))
    times: dict[int, float] = {}
    real_render, real_ocr_image = ocr.render, ocr.ocr_image

    def timed_render(doc: Any, index: int, dpi: int) -> Any:
        t = time.perf_counter()
        try:
            return real_render(doc, index, dpi)
        finally:
            times[index + 1] = times.get(index + 1, 0.0) + time.perf_counter() - t

    def timed_ocr_image(rgb: Any, page_no: int, *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return real_ocr_image(rgb, page_no, *args, **kwargs)
        finally:
            times[page_no] = times.get(page_no, 0.0) + time.perf_counter() - t

    ocr.render, ocr.ocr_image = timed_render, timed_ocr_image  # type: ignore[assignment]
    t0 = time.perf_counter()
    report = process(pdf)
    total = time.perf_counter() - t0
    ocr_pages = sorted(times)
    table_pages = sorted(
        {
            v.provenance.page
            for i in report.indicators
            for v in i.values
            if v.provenance is not None and v.provenance.page in times
        }
    )
    n_low = sum(
        1
        for f in report.findings
        if f.kind == "low_confidence" and f.evidence.get("source") == "ocr"
    )
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
    ocr_time = sum(times.values())
    return {
        "sample": pdf.stem,
        "kind": report.source.kind,
        "pages": n,
        "ocr_pages": len(ocr_pages),
        "table_pages": table_pages,
        "seconds_ocr": round(ocr_time, 1),
        "seconds_total": round(total, 1),
        "seconds_per_page": round(ocr_time / max(1, len(ocr_pages)), 2),
        "seconds_per_table_page": round(
            sum(times[p] for p in table_pages) / max(1, len(table_pages)), 2
        ),
        "seconds_per_other_page": round(
            sum(t for p, t in times.items() if p not in table_pages)
            / max(1, len(ocr_pages) - len(table_pages)),
            2,
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


def run_parent(names: list[str], core: int = 0) -> list[dict[str, Any]]:
    pdfs = [SCANS / f"{n}.pdf" for n in names] if names else sorted(SCANS.glob("*.pdf"))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    pin = ["taskset", "-c", str(core)] if shutil.which("taskset") else []
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
        "sample | kind | pages (OCR) | s/report | s/OCR page | s/table page | s/other page | "
        "peak MB | values | claims | figures | confident wrong | low_conf"
    ]
    ok = [r for r in results if "error" not in r]
    for r in results:
        if "error" in r:
            rows.append(f"{r['sample']} | ERROR {r['error'][-300:]}")
            continue
        rows.append(
            f"{r['sample']} | {r['kind']} | {r['pages']} ({r['ocr_pages']}) | "
            f"{r['seconds_total']} | {r['seconds_per_page']} | {r['seconds_per_table_page']} | "
            f"{r['seconds_per_other_page']} | {r['peak_rss_mb']} | "
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
        table = max(r["seconds_per_table_page"] for r in ok)
        other = max(r["seconds_per_other_page"] for r in ok)
        rows.append(
            f"ALL | values {exact}/{cells} = {100 * exact / cells:.2f} % | claims "
            f"{right}/{claims} = {100 * right / max(1, claims):.2f} % | all figures on "
            f"{all_figs}/{len(ok)} reports | confident wrong "
            f"{sum(r['confident_wrong'] for r in ok)} | peak "
            f"{max(r['peak_rss_mb'] for r in ok):.0f} MB | 15-page scanned report estimate "
            f"{4 * table + 11 * other:.0f} s (4 table pages at {table} s + 11 others at "
            f"{other} s, slowest rates)"
        )
    for r in ok:
        for w in r["wrong_cells"] + r["other_diffs"]:
            rows.append(f"  {r['sample']}: {w}")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="scan sample stems (default: all)")
    ap.add_argument("--json", type=Path, help="write the raw results here")
    ap.add_argument("--core", type=int, default=0, help="CPU core to pin to (default 0)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child), ensure_ascii=False))
        return 0
    results = run_parent(args.names, args.core)
    print(summary(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
