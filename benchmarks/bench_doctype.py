"""Document types: how many documents of each set are classified as what they are, and
what classification costs on top of reading.

    python benchmarks/bench_doctype.py                      # own samples
    python benchmarks/bench_doctype.py DIR ...              # any folders (e.g. a validation set)

Expected kind per set: a `*.truth.json` beside a file with a `document_type.kind` names it
(samples/markdown's other programmes); every other document given is expected to be an
HJ 274-2015 annual report (the samples/pdf reports, the seed, a look-alike corpus).
Scanned PDFs are skipped unless --ocr (classification does not depend on how text was read).
Prints one line per mismatch and a table: set, documents, classified right, ms per document
for classification (read and recover not included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.read import read_source  # noqa: E402
from extract.recover import recover  # noqa: E402
from normalize.plan import plan_check  # noqa: E402
from normalize.script import to_simplified  # noqa: E402

SUFFIXES = {".pdf", ".md", ".html", ".htm"}
MD_TRUTHS = ROOT / "samples" / "markdown"


def expected(path: Path) -> str:
    # a typeset sample (samples/pdf/other/NAME.pdf) has its truth beside its Markdown
    for truth in (path.with_suffix(".truth.json"), MD_TRUTHS / f"{path.stem}.truth.json"):
        if truth.exists():
            kind = (
                json.loads(truth.read_text(encoding="utf-8")).get("document_type", {}).get("kind")
            )
            if kind:
                return str(kind)
    return "hj274_2015_annual"


def files(dirs: list[Path], ocr: bool) -> list[Path]:
    out = []
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if p.suffix.lower() in SUFFIXES and (ocr or "scan" not in p.name):
                out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--ocr", action="store_true", help="include scanned PDFs")
    args = ap.parse_args()
    dirs = args.dirs or [ROOT / "samples" / "pdf", ROOT / "samples" / "markdown"]
    rows = []
    for d in dirs:
        right = total = 0
        spent = 0.0
        for path in files([d], args.ocr):
            doc = read_source(path, None)
            raw = recover(to_simplified(doc) or doc)
            t0 = time.perf_counter()
            plan = plan_check(raw)
            spent += time.perf_counter() - t0
            want, got = expected(path), plan.document_type.kind
            total += 1
            right += want == got
            if want != got:
                label = plan.document_type.label
                print(f"MISMATCH {path.relative_to(d)}: {got} ({label}), expected {want}")
        rows.append((str(d), total, right, 1000 * spent / max(total, 1)))
    print(f"{'set':60} {'docs':>5} {'right':>6} {'ms/doc':>7}")
    for name, total, right, ms in rows:
        print(f"{name[-60:]:60} {total:5} {right:6} {ms:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
