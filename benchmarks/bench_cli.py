"""How long the command takes to answer before it does any work: ``ecopark --help``,
``ecopark --version`` and ``ecopark run --help``, each a fresh process, repeated.

    python benchmarks/bench_cli.py [--runs 20]

Prints min / median / max wall seconds per command. Run it on a quiet machine: the figure
is start-up (interpreter, typer, the CLI module), which a busy machine inflates several
times over. The CLI imports heavy libraries (pandas, DuckDB, pdfium, OCR) only inside the
commands that use them, so these stay small.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (["--help"], ["--version"], ["run", "--help"])


def ecopark_exe() -> list[str]:
    exe = Path(sys.executable).parent / "ecopark"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "ecopark.cli"]


def time_once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one fresh process. The CPU time is
    what the process itself needs: close to its wall time on a quiet core, whatever the
    load while the bench runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args(argv)
    exe = ecopark_exe()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.2f} on {os.cpu_count()} cores; {args.runs} runs each")
    print("| command | wall min s | wall median s | wall max s | CPU median s |")
    print("|---|---|---|---|---|")
    for extra in COMMANDS:
        cmd = exe + extra
        time_once(cmd)  # warm the file cache and the bytecode
        runs = [time_once(cmd) for _ in range(args.runs)]
        wall = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        print(
            f"| ecopark {' '.join(extra)} | {min(wall):.3f} | {statistics.median(wall):.3f} "
            f"| {max(wall):.3f} | {cpu:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
