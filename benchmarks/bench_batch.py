"""Archive benchmark (issue 17): documents per minute on this machine for the Markdown
and the PDF part of an archive, the run's (parent's) peak memory and the largest worker,
and the time of a resumed run with nothing to do.

    .venv/bin/python benchmarks/bench_batch.py [--docs 10000] [--workers 2] [--pdf-share 0.1]
                                               [--resume-runs 5]

The archive (own randomised corpus, built in a temporary folder) has distinct contents
throughout: Markdown reports made from the seed with the park renamed and every
indicator value varied by a seeded draw, and PDFs made from the samples with a varying
trailing comment (distinct hashes, same pages); one in 25 PDFs is broken (truncated,
random bytes, empty). The Markdown part and the PDF part are two runs into one OUTDIR,
so the second run also shows that appending to a large dataset stays cheap.

The resume is the user's own command run again on the same inputs and OUTDIR with
nothing changed (``ecopark run … --no-html``, a fresh process each time, wall time
imports included); ``--resume-runs`` repeats it and reports the median and the range.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
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
_NUMBER = re.compile(r"(?<=\t)(\d+\.\d+)(?=\t|\n)")


def build_markdown(dest: Path, n: int, seed: int = 7) -> int:
    rnd = random.Random(seed)
    md = (ROOT / "samples" / "markdown" / "changchun_2018_report.md").read_text(encoding="utf-8")
    dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = md.replace("长春汽车经济技术开发区", f"第{i}号经济技术开发区")
        # Every decimal in a table cell drawn anew: contents differ beyond the name.
        text = _NUMBER.sub(lambda m: f"{float(m.group(1)) * rnd.uniform(0.9, 1.1):.2f}", text)
        (dest / f"report_{i:05d}.md").write_text(text, encoding="utf-8")
    return n


def build_pdfs(dest: Path, n: int) -> tuple[int, int]:
    pdfs = sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    blobs = [p.read_bytes() for p in pdfs]
    dest.mkdir(parents=True, exist_ok=True)
    good = broken = 0
    for i in range(n):
        if i % BROKEN_EVERY == BROKEN_EVERY - 1:
            data = [b"%PDF-1.7\n1 0 obj <<", os.urandom(4096), b""][i // BROKEN_EVERY % 3]
            (dest / f"broken_{i:05d}.pdf").write_bytes(data)
            broken += 1
        else:
            k = i % len(pdfs)
            (dest / f"{pdfs[k].stem}_{i:05d}.pdf").write_bytes(blobs[k] + b"\n%%variant %d\n" % i)
            good += 1
    return good, broken


def peak_parent_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB


def timed(inputs: Path, out: Path, workers: int) -> tuple[float, batch.RunSummary]:
    t0 = time.perf_counter()
    summary = batch.run([inputs], out, RunOptions(workers=workers))
    return time.perf_counter() - t0, summary


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pdf-share", type=float, default=0.1)
    ap.add_argument("--resume-runs", type=int, default=5, help="no-op resumes to time")
    args = ap.parse_args()
    n_pdf = round(args.docs * args.pdf_share)
    n_md = args.docs - n_pdf
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        build_markdown(t / "md", n_md)
        good, broken = build_pdfs(t / "pdf", n_pdf)
        out = t / "out"
        rows = []
        for part, folder, n in (("Markdown", t / "md", n_md), ("PDF", t / "pdf", n_pdf)):
            if not n:
                continue
            secs, s = timed(folder, out, args.workers)
            rows.append((part, n, secs, s, peak_parent_mb()))
            print(f"{part}: {n} in {secs:.1f} s", flush=True)  # a partial result, early
        cmd = [str(ROOT / ".venv" / "bin" / "ecopark"), "run", str(t / "md"), str(t / "pdf")]
        cmd += ["-o", str(out), "--no-progress", "--no-html"]
        resumes = []
        load_resume = os.getloadavg()[0]
        for _ in range(max(1, args.resume_runs)):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, check=False, capture_output=True, text=True)
            resumes.append(time.perf_counter() - t0)
        db_mb = (out / "ecopark.duckdb").stat().st_size / 2**20
    print(f"archive: {n_md} Markdown, {good} PDF, {broken} broken; {args.workers} workers")
    print(
        f"load average (1 min) at the start {load_start:.2f}, before the resumes "
        f"{load_resume:.2f}, at the end {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores\n"
    )
    print(
        "| part | documents | seconds | docs/min | parent peak RSS MB | worker peak RSS MB "
        "| statuses |"
    )
    print("|---|---|---|---|---|---|---|")
    for part, n, secs, s, parent in rows:
        rate = n / secs * 60
        print(
            f"| {part} | {n} | {secs:.1f} | {rate:.0f} | {parent:.0f} | "
            f"{s.peak_worker_rss_mb:.0f} | {s.by_status} |"
        )
    print(f"\ndatabase: {db_mb:.0f} MB")
    print(
        f"resumed run of {args.docs} documents with nothing to do (CLI, wall): median "
        f"{statistics.median(resumes):.2f} s of {len(resumes)} "
        f"({min(resumes):.2f}–{max(resumes):.2f} s)"
    )
    print(f"  {done.stdout.strip()}")


if __name__ == "__main__":
    main()
