"""Render a converter-like Markdown sample (samples/markdown/NAME.md: headings, paragraphs,
tab-separated table rows) as a PDF with headless Chromium, the html-chromium producer's
fonts and flags — the same document as its Markdown, typeset.

python -m samples.generate.md_to_pdf NAME ...   # samples/markdown/NAME.md → samples/pdf/other/NAME.pdf
"""

from __future__ import annotations

import argparse
import re
import sys
from html import escape
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from samples.generate.render_html import CSS, print_html

ROOT = Path(__file__).resolve().parents[2]
MD_DIR = ROOT / "samples" / "markdown"
OUT_DIR = ROOT / "samples" / "pdf" / "other"
TABLE_CSS = """
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0 8pt; }
td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
p.note { text-indent: 0; font-size: 9.5pt; }
"""
_TAG = re.compile(r"<[^>]+>")


def _cell(text: str) -> str:
    # the converter's checkbox markup, back to the ticks a page prints
    text = text.replace('<input checked="" type="checkbox"/>', "☑").replace(
        '<input type="checkbox"/>', "☐"
    )
    return escape(_TAG.sub("", text).strip())


def _table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    body = []
    for row in rows:
        cells = [*row, *[""] * (width - len(row))]
        body.append("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
    return "<table>" + "".join(body) + "</table>"


def to_html(md: str, header: str) -> str:
    out: list[str] = []
    rows: list[list[str]] = []
    for line in md.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            out.append(_table(rows))
            rows = []
        text = line.strip()
        if not text:
            continue
        m = re.match(r"^(#{2,4})\s*(.*)$", text)
        if m:
            level = len(m[1])
            out.append(f"<h{level}>{_cell(m[2].strip('*'))}</h{level}>")
        elif text.startswith("注："):
            out.append(f'<p class="note">{_cell(text)}</p>')
        else:
            out.append(f"<p>{_cell(text.strip('*'))}</p>")
    if rows:
        out.append(_table(rows))
    css = CSS % {"header": escape(header).replace('"', "")} + TABLE_CSS
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{''.join(out)}</body></html>"
    )


def render(name: str) -> Path:
    md = (MD_DIR / f"{name}.md").read_text(encoding="utf-8")
    title = next((ln.lstrip("# ") for ln in md.splitlines() if ln.startswith("### ")), name)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    target = OUT_DIR / f"{name}.pdf"
    print_html(to_html(md, title), target, name)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names", nargs="+", help="samples/markdown/NAME.md stems")
    for name in ap.parse_args(argv).names:
        print(render(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
