"""Speed, memory and cell accuracy of the PDF reader against camelot, pdfplumber and the
pypdfium2 floor, on the sample PDFs.

    python benchmarks/bench_pdf.py                 # every samples/pdf/*.pdf
    python benchmarks/bench_pdf.py --runs 5 --camelot-runs 3 samples/pdf/x.pdf

Per document (median of several runs, all pages):
  ecopark       the full extraction: ecopark.pipeline.process (read, recover,
                normalise, check) — what `ecopark extract` does per file
  read_pdf      extract.read.pdf.reader.read_pdf alone (the reader's share)
  floor         pypdfium2: open, text page, get_text_range for every page
  plumber       pdfplumber extract_tables() on every page
  camelot       camelot lattice on every page
  peak MB       peak RSS of a fresh process that imports the reader and reads the file
                (VmHWM, so interpreter and libraries included) and the tracemalloc
                peak of the read_pdf call alone
  cells %       share of the truth's value cells (per indicator number and year)
                found in a row of the tool's raw output whose number cell is that
                indicator's 序号
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.read.pdf.reader import read_pdf  # noqa: E402

Rows = list[list[str]]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def median_time(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# --- the tools ---------------------------------------------------------------------------


def floor_text(path: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path, password="")
    for page in doc:
        page.get_textpage().get_text_range()
    doc.close()


def ours_tables(path: Path) -> list[Rows]:
    doc = read_pdf(path)
    return [[[c.text for c in row] for row in t.rows] for t in doc.tables]


def plumber_tables(path: Path) -> list[Rows]:
    import pdfplumber

    out: list[Rows] = []
    with pdfplumber.open(path, password="") as pdf:
        for page in pdf.pages:
            for t in page.extract_tables():
                out.append([[c or "" for c in row] for row in t])
            page.close()  # pdfplumber keeps per-page caches alive otherwise
    return out


def camelot_tables(path: Path) -> list[Rows]:
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(  # type: ignore[attr-defined]
            str(path), pages="all", flavor="lattice", password=""
        )
    return [t.df.astype(str).values.tolist() for t in tables]


# --- accuracy ----------------------------------------------------------------------------


def truth_cells(truth: dict[str, Any]) -> list[tuple[int, str]]:
    cells = []
    for ind in truth["indicators"]:
        for col in truth["year_columns"]:
            year = str(col["year"])
            cells.append((ind["number"], ind.get("printed", {}).get(year, ind["values"][year])))
    return cells


def numbered_rows(tables: Iterable[Rows]) -> dict[int, set[str]]:
    """Cells of every row, keyed by the row's number cell (the first cell, among the
    first three, holding a bare 1–2 digit number)."""
    out: dict[int, set[str]] = {}
    for table in tables:
        for row in table:
            cells = [squash(c) for c in row]
            # camelot/pdfplumber may fold a merged category cell into the number cell;
            # accept the number as the head of the first cells too.
            for c in cells[:3]:
                m = re.fullmatch(r"(\d{1,2})", c)
                if m:
                    out.setdefault(int(m.group(1)), set()).update(cells)
                    break
    return out


def cell_share(tables: list[Rows], truth: dict[str, Any]) -> float:
    rows = numbered_rows(tables)
    want = truth_cells(truth)
    hit = sum(1 for n, v in want if squash(v) in rows.get(n, set()))
    return hit / len(want) if want else float("nan")


# --- memory ------------------------------------------------------------------------------

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent.
_MEM_SCRIPT = """
import re, sys, tracemalloc
from pathlib import Path
sys.path.insert(0, {root!r})
from ecopark.pipeline import process
tracemalloc.start()
process(Path({path!r}))
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
hwm = re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read()).group(1)
print(int(hwm) / 1024, peak / 2**20)
"""


def peak_memory(path: Path) -> tuple[float, float]:
    """(peak RSS MB of a fresh process reading the file, tracemalloc peak MB)."""
    code = _MEM_SCRIPT.format(root=str(ROOT), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rss, traced = out.stdout.split()
    return float(rss), float(traced)


# --- main --------------------------------------------------------------------------------


def attempt(fn: Callable[[], Any]) -> tuple[Any, str | None]:
    """Run one tool; a tool that refuses a file (pdfminer honours the no-copy permission
    bit of encrypted PDFs) is reported as such instead of hiding the other numbers."""
    try:
        return fn(), None
    except Exception as err:
        return None, type(err).__name__


def bench(path: Path, runs: int, camelot_runs: int) -> dict[str, Any]:
    import pypdfium2 as pdfium

    truth_path = path.with_suffix(".truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else None
    pages = len(pdfium.PdfDocument(path, password=""))
    read_pdf(path)  # warm caches (fonts, imports) before timing anything
    r: dict[str, Any] = {"name": path.stem, "pages": pages, "errors": []}
    from ecopark.pipeline import process
    from schemas.text import clean, key

    def cold_process() -> None:
        # Text caches would make every run after the first one cheaper than a new
        # document ever is; clear them so each run pays what a fresh report pays.
        clean.cache_clear()
        key.cache_clear()
        process(path)

    process(path)
    r["full"] = median_time(cold_process, runs)
    r["ours"] = median_time(lambda: read_pdf(path), runs)
    r["floor"] = median_time(lambda: floor_text(path), runs)
    tools: dict[str, tuple[Callable[[Path], list[Rows]], int]] = {
        "plumber": (plumber_tables, runs),
        "camelot": (camelot_tables, camelot_runs),
    }
    for name, (fn, n) in tools.items():
        call = partial(fn, path)
        tables, err = attempt(call) if n else (None, "skipped")
        if err or tables is None:
            r[name] = r[f"{name}_cells"] = None
            r["errors"].append(f"{name}: {err}")
            continue
        r[name] = median_time(call, n)
        r[f"{name}_cells"] = cell_share(tables, truth) if truth else None
    r["rss"], r["traced"] = peak_memory(path)
    if truth is not None:
        r["ours_cells"] = cell_share(ours_tables(path), truth)
    return r


def fmt_ms(s: float | None) -> str:
    return "—" if s is None else f"{1000 * s:.0f}"


def fmt_pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--camelot-runs", type=int, default=3, help="0 skips camelot")
    args = ap.parse_args(argv)
    pdfs = args.pdfs or sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    if not pdfs:
        print("no PDFs to benchmark", file=sys.stderr)
        return 1
    print(
        "| sample | pages | ecopark ms | read_pdf ms | floor ms | ×floor | plumber ms"
        " | camelot ms | camelot÷ecopark | peak RSS MB | traced MB | ours cells | plumber cells"
        " | camelot cells |"
    )
    print("|" + "---|" * 14)
    notes: list[str] = []
    for path in pdfs:
        try:
            r = bench(path, args.runs, args.camelot_runs)
        except Exception as err:  # a broken sample should not hide the others
            print(f"| {path.stem} | error: {type(err).__name__}: {err} |" + " |" * 11)
            continue
        speedup = f"{r['camelot'] / r['full']:.0f}×" if r["camelot"] else "—"
        if r["errors"]:
            notes.append(f"{r['name']}: " + "; ".join(r["errors"]))
        print(
            f"| {r['name']} | {r['pages']} | {fmt_ms(r['full'])} | {fmt_ms(r['ours'])}"
            f" | {fmt_ms(r['floor'])} | {r['full'] / r['floor']:.1f} | {fmt_ms(r['plumber'])}"
            f" | {fmt_ms(r['camelot'])}"
            f" | {speedup} | {r['rss']:.0f} | {r['traced']:.1f}"
            f" | {fmt_pct(r.get('ours_cells'))} | {fmt_pct(r.get('plumber_cells'))}"
            f" | {fmt_pct(r.get('camelot_cells'))} |",
            flush=True,
        )
    for note in notes:
        print(f"\n- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
