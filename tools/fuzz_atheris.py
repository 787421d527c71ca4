"""Coverage-guided fuzzing (atheris) of the readers and the whole record path.

    .venv/bin/pip install atheris
    .venv/bin/python tools/fuzz_atheris.py markdown -max_total_time=300
    .venv/bin/python tools/fuzz_atheris.py pdf -max_total_time=300 -rss_limit_mb=3072

`markdown` feeds bytes (seeded with the Changchun rendition) through the Markdown reader,
recovery, normalisation and the checker. `pdf` feeds bytes (seeded with the sample PDFs)
through the PDF reader, the guard and the same stages. Any exception other than ReadError
is a crash: atheris stops and writes the input; make it a regression test under
tests/badinputs/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    from extract.errors import ReadError
    from extract.read.markdown import read_markdown_text
    from extract.read.pdf.reader import read_pdf
    from extract.recover import recover
    from normalize.record import build_report
    from schemas.checker import check
    from schemas.record import SourceInfo
    from schemas.standard import load_standard

STD = load_standard()
TMP = Path(tempfile.mkdtemp(prefix="ecopark-fuzz-")) / "input.pdf"


def _record(doc: object) -> None:
    report = build_report(recover(doc), SourceInfo(path="fuzz"), STD)  # type: ignore[arg-type]
    check(report, STD)


def fuzz_markdown(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    _record(read_markdown_text(text))


def fuzz_pdf(data: bytes) -> None:
    TMP.write_bytes(data)
    try:
        doc = read_pdf(TMP)
    except ReadError:
        return
    _record(doc)


def main() -> None:
    target = sys.argv[1] if len(sys.argv) > 1 else "markdown"
    corpus = Path(tempfile.mkdtemp(prefix=f"ecopark-{target}-corpus-"))
    seeds = (
        [ROOT / "samples" / "markdown" / "changchun_2018_report.md"]
        if target == "markdown"
        else sorted((ROOT / "samples" / "pdf").glob("*.pdf"))[:6]
    )
    for i, s in enumerate(seeds):
        (corpus / f"seed{i}").write_bytes(s.read_bytes())
    fn = fuzz_markdown if target == "markdown" else fuzz_pdf
    atheris.Setup([sys.argv[0], str(corpus), *sys.argv[2:]], fn)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
