"""A whole 15-page scanned report, timed end to end on one core (issue target: ≤ 60 s,
peak memory < 1.5 GB). The scan is made on the fly from samples/pdf/nanchang_ganxi_2021.pdf
(every page an image, 170 dpi, tilt, noise, JPEG) so samples/ stays small.

    .venv/bin/python benchmarks/bench_ocr_full15.py [--core 0]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAME = "nanchang_ganxi_2021"


def make_scan(dest: Path) -> Path:
    import samples.generate.scans as scans

    scans.SCAN_DIR = dest
    scans.SCANS[NAME] = scans.ScanSpec(dpi=170)
    return scans.scan_one(NAME)


def child(pdf: Path) -> None:
    from ecopark.pipeline import process
    from tests.truth import compare, load_truth

    t0 = time.perf_counter()
    report = process(pdf)
    secs = time.perf_counter() - t0
    truth = load_truth(pdf.with_name(f"{NAME}_scan.truth.json"))
    diffs = compare(report, truth)
    print(
        json.dumps(
            {
                "seconds": secs,
                "pages": report.source.pages,
                "kind": report.source.kind,
                "diffs": diffs,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "low_confidence": sum(f.kind == "low_confidence" for f in report.findings),
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--core", type=int, default=0)
    ap.add_argument("--child", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_scan(Path(tmp))
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        cmd = ["taskset", "-c", str(args.core), sys.executable, __file__, "--child", str(pdf)]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print("| pages | kind | seconds (one core) | s/page | peak MB | truth diffs | low_confidence |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {r['pages']} | {r['kind']} | {r['seconds']:.1f} | {r['seconds'] / r['pages']:.2f} | "
        f"{r['peak_mb']:.0f} | {len(r['diffs'])} | {r['low_confidence']} |"
    )
    for d in r["diffs"]:
        print(f"- {d}")


if __name__ == "__main__":
    main()
