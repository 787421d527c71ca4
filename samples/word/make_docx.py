"""Keep the Word document the docx-libreoffice producer builds before LibreOffice prints it:
samples/word/NAME.docx is the same report as samples/pdf/NAME.pdf (same truth file), so the
two records can be compared cell for cell (tests/test_word_input.py).

    python samples/word/make_docx.py NAME ...     # needs the samples extra (python-docx)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from samples.generate import render_docx  # noqa: E402
from samples.generate.truth import all_truths  # noqa: E402

WORD_DIR = Path(__file__).resolve().parent


class _Saved(Exception):
    """Raised instead of converting: the .docx is all this script wants."""


def keep_docx(name: str) -> Path:
    truth = next(t for t in all_truths() if t.id == name)
    if truth.data["producer"] != "docx-libreoffice":
        raise SystemExit(f"{name}: its PDF is not made from a Word document")
    target = WORD_DIR / f"{name}.docx"

    def save_instead(src: Path, outdir: Path) -> None:
        shutil.copyfile(src, target)
        raise _Saved

    real = render_docx.convert
    render_docx.convert = save_instead  # type: ignore[assignment]
    try:
        render_docx.render(truth, WORD_DIR / f"{name}.pdf")
    except _Saved:
        pass
    finally:
        render_docx.convert = real  # type: ignore[assignment]
    return target


if __name__ == "__main__":
    for n in sys.argv[1:]:
        p = keep_docx(n)
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size / 1024:.0f} KiB")
