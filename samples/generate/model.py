"""A producer-neutral document: the blocks every renderer of the randomised corpus prints.

layout.py turns a truth and its layout draws into ``Block``s; render_reportlab / render_html /
render_docx / render_markdown print them. Cell text is final (what the page shows): a
renderer never reformats a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    lines: list[str] | None = None  # forced line breaks inside the cell
    align: Literal["c", "l"] = "c"
    head: bool = False
    sup: str = ""  # a footnote marker printed raised after the text (a, b)


@dataclass
class Table:
    """``header`` and ``body`` are grids: ``None`` where a span of an earlier cell covers."""

    header: list[list[Cell | None]]
    body: list[list[Cell | None]]
    roles: list[
        str
    ]  # per column: category number name unit requirement assessed year target claim remark
    borders: Literal["grid", "none", "three_line"] = "grid"
    repeat_header: bool = True
    row_split: bool = False  # Word: rows may break across pages
    font_pt: float = 9.0
    group_rows: set[int] = field(default_factory=set)  # body rows that are one spanning label


BlockKind = Literal[
    "cover",
    "title",
    "h1",
    "h2",
    "p",
    "annex",
    "tabtitle",
    "caption",
    "meta",
    "table",
    "pagebreak",
    "info",
    "landscape",
    "portrait",
]


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    table: Table | None = None


@dataclass
class Style:
    font: str  # family name as fontconfig knows it
    body_pt: float
    table_pt: float
    title: str
    park: dict[str, str]
    filled_on: str  # 2019年3月5日
    year: int = 0  # the report year (page headers)
    # tags the shared renderer code reads: borderless, page_header_footer, kangxi_radicals
    tags: list[str] = field(default_factory=list)
    encrypted: bool = False  # empty user password (post.py)
    md_latex: bool = False  # converter Markdown: requirements as $\\geq 30$
    md_checkbox: str | None = None  # converter Markdown ticks: "input" (<input …/>), "■□", "☑☐"
