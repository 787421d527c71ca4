"""HTML report benchmark: seconds to write the report for an archive of N documents, and
seconds for its pages to open in headless chromium (Debian's, driven by Playwright).

    .venv/bin/python benchmarks/bench_report.py [--docs 200]

The archive is the one benchmarks/bench_batch.py builds (samples with varied content and
some broken files).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_batch import build_archive  # noqa: E402
from ecopark import batch  # noqa: E402
from ecopark.batch import RunOptions  # noqa: E402
from ecopark.cli import write_html_report  # noqa: E402
from schemas.standard import load_standard  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def open_times(report: Path, n_docs: int) -> tuple[float, list[float]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    docs = sorted((report / "docs").glob("*.html"))[:n_docs]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        page = browser.new_page()
        t0 = time.perf_counter()
        page.goto(report.joinpath("index.html").as_uri(), wait_until="load")
        index = time.perf_counter() - t0
        times = []
        for d in docs:
            t0 = time.perf_counter()
            page.goto(d.as_uri(), wait_until="load")
            times.append(time.perf_counter() - t0)
        browser.close()
    return index, times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--open", type=int, default=20, help="document pages to open")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        build_archive(t / "in", args.docs)
        batch.run([t / "in"], t / "out", RunOptions(workers=2))
        t0 = time.perf_counter()
        write_html_report(t / "out", load_standard())
        write = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in (t / "out" / "report").rglob("*") if f.is_file())
        index, docs = open_times(t / "out" / "report", args.open)
    n = len(docs)
    head = "| documents | write s | report MB | index opens s"
    print(f"{head} | doc pages open s (median / max of {n}) |")
    print("|---|---|---|---|---|")
    print(
        f"| {args.docs} | {write:.1f} | {size / 2**20:.0f} | {index:.2f} | "
        f"{statistics.median(docs):.2f} / {max(docs):.2f} |"
    )


if __name__ == "__main__":
    main()
