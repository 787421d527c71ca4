"""Converter Markdown of a randomised report, in the three flavours real archives hold:

- ``tsv``: a PDF-to-Markdown text dump — tab-separated rows, a page break inside a long
  table as blank lines and a page-number line, the category repeated after the break;
- ``docling``: pipe tables; a line break inside a cell as ``<br>``; a spanning cell's text
  duplicated into every cell it covers (Docling's export);
- ``mineru``: each table as one line of HTML ``<table>`` with rowspan/colspan (MinerU).
"""

from __future__ import annotations

import random
import re
from html import escape
from pathlib import Path

from samples.generate.model import Block, Cell, Style, Table
from samples.generate.truth import LEVELS, TYPES, checkbox_line

LATEX = re.compile(r"([≥≤])\s*(\d+(?:\.\d+)?)")


def latex(text: str) -> str:
    """MinerU/Docling write comparison signs as inline LaTeX: ≥30 → $\\geq 30$."""
    return LATEX.sub(lambda m: f"$\\{'geq' if m.group(1) == '≥' else 'leq'} {m.group(2)}$", text)


def cell_text(c: Cell, br: str) -> str:
    text = br.join(c.lines) if c.lines else c.text
    return text + (f" <sup>{c.sup}</sup>" if c.sup else "")


def grid(rows: list[list[Cell | None]]) -> list[list[str]]:
    """Every position's text, a spanning cell's text copied into the positions it covers."""
    h, w = len(rows), max(len(r) for r in rows)
    out = [["" for _ in range(w)] for _ in range(h)]
    filled = [[False] * w for _ in range(h)]
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            if c is None:
                continue
            text = cell_text(c, "<br>")
            for di in range(c.rowspan):
                for dj in range(c.colspan):
                    if i + di < h and j + dj < w and not filled[i + di][j + dj]:
                        out[i + di][j + dj] = text
                        filled[i + di][j + dj] = True
    return out


def tsv_table(t: Table, rng: random.Random) -> list[str]:
    lines = []
    for r in t.header:
        lines.append("\t".join(c.text if c else "" for c in r))
    page_breaks = {rng.randint(6, max(7, len(t.body) - 3))} if len(t.body) > 12 else set()
    last_cat = ""
    cat_col = t.roles.index("category") if "category" in t.roles else None
    for i, r in enumerate(t.body):
        if i in page_breaks:
            lines += ["", "", f"— {rng.randint(8, 20)} —", "", ""]
        cells = [cell_text(c, " ") if c else "" for c in r]
        if cat_col is not None:
            if cells[cat_col]:
                last_cat = cells[cat_col]
            elif i in page_breaks:
                cells[cat_col] = last_cat  # the converter repeats the category on the new page
        if i in t.group_rows:
            cells = [cells[0]]
        lines.append("\t".join(cells))
    return lines


def docling_table(t: Table) -> list[str]:
    g = grid(t.header + t.body)
    nh = len(t.header)
    out = []
    for i, row in enumerate(g):
        out.append("| " + " | ".join(x.replace("|", "\\|") for x in row) + " |")
        if i == nh - 1:
            out.append("|" + "---|" * len(row))
    return out


def html_cell(c: Cell) -> str:
    attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
        f' colspan="{c.colspan}"' if c.colspan > 1 else ""
    )
    text = "<br>".join(escape(x) for x in c.lines) if c.lines else escape(c.text)
    if c.sup:
        text += f"<sup>{c.sup}</sup>"
    return f"<td{attrs}>{text}</td>"


def mineru_table(t: Table) -> list[str]:
    rows = "".join(
        "<tr>" + "".join(html_cell(c) for c in r if c) + "</tr>" for r in t.header + t.body
    )
    return [f"<table>{rows}</table>"]


def info_table(style: Style) -> Table:
    """附件二's basic-information table as a two-column table (label, value)."""
    p = style.park
    on, off = {
        "input": (' <input checked="" type="checkbox"/>', ' <input type="checkbox"/>'),
        "☑☐": ("☑", "☐"),
    }.get(style.md_checkbox or "", ("■", "□"))
    pairs = [
        ("园区名称", p["name"]),
        ("通信地址", f"{p['address']}　邮编：{p['postcode']}"),
        ("园区级别", checkbox_line(LEVELS, p["level"], on, off, "  ")),
        ("园区类型", checkbox_line(TYPES, p["type"], on, off, "  ")),
        ("联系方式", f"电话 {p['phone']}　电子邮箱 {p['email']}"),
        (
            f"国家生态工业示范园区已命名{on if p['designation'] == '已命名' else off}",
            f"国家生态工业示范园区创建中{on if p['designation'] == '创建中' else off}",
        ),
    ]
    return Table(
        header=[[Cell("一、园区基本情况", colspan=2, head=True), None]],
        body=[[Cell(a), Cell(b)] for a, b in pairs],
        roles=["label", "value"],
    )


def table_lines(t: Table, flavour: str, rng: random.Random) -> list[str]:
    if flavour == "tsv":
        return tsv_table(t, rng)
    if flavour == "docling":
        return docling_table(t)
    return mineru_table(t)


def render_blocks(
    blocks: list[Block], style: Style, flavour: str, out: Path, rng: random.Random
) -> None:
    lines: list[str] = []
    for b in blocks:
        if b.kind == "cover":
            lines += [f"## {b.text}", ""]
        elif b.kind == "title":
            lines += [f"### {b.text}", ""]
        elif b.kind in ("h1", "annex"):
            lines += [f"**{b.text}**" if flavour != "docling" else f"## {b.text}", ""]
        elif b.kind == "h2":
            lines += [f"#### {b.text}" if flavour != "tsv" else f"**{b.text}**", ""]
        elif b.kind == "tabtitle":
            lines += [f"**{b.text}**", ""]
        elif b.kind in ("p", "meta", "caption"):
            lines += [b.text, ""]
        elif b.kind == "pagebreak" and flavour == "tsv":
            lines += ["", ""]
        elif b.kind == "info":
            lines += [*table_lines(info_table(style), flavour, rng), ""]
        elif b.kind == "table" and b.table is not None:
            t = b.table
            if style.md_latex and "requirement" in t.roles:
                j = t.roles.index("requirement")
                for r in t.body:
                    c = r[j]
                    if c is not None:
                        c.text = latex(c.text)
                        c.lines = [latex(x) for x in c.lines] if c.lines else None
            lines += [*table_lines(t, flavour, rng), ""]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
