"""Archive benchmark (issue: batch runs): documents per minute on this machine, peak
worker memory at 50 and 200 documents, and the time of a resumed run with nothing to do.

    .venv/bin/python benchmarks/bench_batch.py [--docs 200] [--workers 2]

The archive is built in a temporary folder from the samples: PDFs with a varying trailing
comment (distinct content hashes, same pages), Markdown reports with varied park names and
values, and a few broken files (truncated PDF, random bytes, empty file).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ecopark import batch  # noqa: E402
from ecopark.batch import RunOptions  # noqa: E402

BROKEN_EVERY = 25


def build_archive(dest: Path, n: int, seed: int = 7) -> dict[str, int]:
    rnd = random.Random(seed)
    pdfs = sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    md = (ROOT / "samples" / "markdown" / "changchun_2018_report.md").read_text(encoding="utf-8")
    kinds = {"pdf": 0, "markdown": 0, "broken": 0}
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if i % BROKEN_EVERY == BROKEN_EVERY - 1:
            choice = i // BROKEN_EVERY % 3
            data = [b"%PDF-1.7\n1 0 obj <<", os.urandom(4096), b""][choice]
            (dest / f"broken_{i:04d}.pdf").write_bytes(data)
            kinds["broken"] += 1
        elif pdfs and i % 3 != 2:
            src = pdfs[i % len(pdfs)]
            (dest / f"{src.stem}_{i:04d}.pdf").write_bytes(
                src.read_bytes() + f"\n%variant {i}\n".encode()
            )
            kinds["pdf"] += 1
        else:
            text = md.replace("长春汽车经济技术开发区", f"第{i}号经济技术开发区")
            text = text.replace("95.04\t94.35", f"95.04\t{rnd.uniform(80, 99):.2f}")
            (dest / f"report_{i:04d}.md").write_text(text, encoding="utf-8")
            kinds["markdown"] += 1
    return kinds


def timed_run(inputs: Path, out: Path, workers: int) -> tuple[float, batch.RunSummary]:
    t0 = time.perf_counter()
    summary = batch.run([inputs], out, RunOptions(workers=workers))
    return time.perf_counter() - t0, summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        rows = []
        for n in (50, args.docs):
            kinds = build_archive(t / f"in{n}", n)
            secs, s = timed_run(t / f"in{n}", t / f"out{n}", args.workers)
            rows.append((n, kinds, secs, s))
        n, _, _, _ = rows[-1]
        cmd = [
            str(ROOT / ".venv" / "bin" / "ecopark"),
            "run",
            str(t / f"in{n}"),
            "-o",
            str(t / f"out{n}"),
            "--no-progress",
            "--no-html",
        ]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        resume = time.perf_counter() - t0
    print(
        "| documents | mix (pdf/md/broken) | seconds | docs/min | peak worker RSS MB | statuses |"
    )
    print("|---|---|---|---|---|---|")
    for n, kinds, secs, s in rows:
        mix = f"{kinds['pdf']}/{kinds['markdown']}/{kinds['broken']}"
        rate = n / secs * 60
        rss = s.peak_worker_rss_mb
        print(f"| {n} | {mix} | {secs:.1f} | {rate:.0f} | {rss:.0f} | {s.by_status} |")
    print(f"\nresumed run of {n} documents with nothing to do (CLI, wall): {resume:.2f} s")


if __name__ == "__main__":
    main()
