"""Render every samples/pdf/NAME.truth.json to samples/pdf/NAME.pdf.

python -m samples.generate            # all samples
python -m samples.generate NAME ...   # some
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # allow `python samples/generate/main.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from samples.generate.truth import PDF_DIR, Truth, all_truths


def render_one(t: Truth) -> Path:
    out = PDF_DIR / f"{t.id}.pdf"
    producer = t.data["producer"]
    if producer == "reportlab":
        from samples.generate.render_reportlab import render
    elif producer == "html-chromium":
        from samples.generate.render_html import render
    elif producer == "docx-libreoffice":
        from samples.generate.render_docx import render
    else:
        raise SystemExit(f"{t.id}: unknown producer {producer!r}")
    render(t, out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("names", nargs="*", help="sample ids (default: all truth files)")
    args = ap.parse_args(argv)
    truths = all_truths()
    if args.names:
        known = {t.id for t in truths}
        missing = set(args.names) - known
        if missing:
            ap.error(f"no truth file for: {', '.join(sorted(missing))}")
        truths = [t for t in truths if t.id in args.names]
    for t in truths:
        t0 = time.perf_counter()
        out = render_one(t)
        print(
            f"{out.relative_to(PDF_DIR.parent.parent)}  {out.stat().st_size / 1024:.0f} KiB  "
            f"{time.perf_counter() - t0:.1f}s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
