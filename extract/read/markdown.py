"""Reader for Markdown/HTML renditions of reports (MinerU-, Marker-, Docling-like output).

What the converters emit, and what this reader makes of it:
- tab-separated rows (one table row a line; a blank line is a page break between parts);
- pipe tables (``| a | b |`` with a ``|---|`` rule);
- HTML ``<table>`` blocks (rowspan/colspan expanded: a spanned cell's text stays in its
  first position, covered positions are empty — the same shape the PDF reader gives);
- HTML fragments inside cells and lines: ``<p>``/``<li>`` become line breaks,
  ``<input type="checkbox" checked>`` becomes ☑/☐, ``<sup>a</sup>`` becomes ``a``;
- LaTeX comparisons (``$\\geq 75$`` → ``≥75``).
Provenance is the 1-based line number in the file.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import regex

from extract.errors import ReadError
from extract.limits import ReadLimits, read_bounded
from extract.source import CHECKED, UNCHECKED, Cell, Line, Loc, SourceDoc, Table
from schemas.text import GROUP_ROW, clean

_LATEX = {
    r"\geq": "≥",
    r"\ge": "≥",
    r"\leq": "≤",
    r"\le": "≤",
    r"\gt": ">",
    r"\lt": "<",
    r"\times": "×",
    r"\%": "%",
    r"\sim": "~",
    r"\pm": "±",
    r"\neq": "≠",
}
_LATEX_CMD = regex.compile(r"\\[a-zA-Z]+|\\%")
_MATH = regex.compile(r"\$\$?(.+?)\$\$?", flags=regex.S)
_CHECKBOX = regex.compile(r"<input\b[^>]*>", flags=regex.I)
_BREAK_TAGS = regex.compile(r"</?(?:p|li|br|div|ol|ul|tr)\b[^>]*>", flags=regex.I)
_TAG = regex.compile(r"<[^>]+>")
_PIPE_RULE = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_INLINE = regex.compile(r"\*\*|__|(?<!\w)\*(?!\s)|^#{1,6}\s*|^>\s*|^[-*+]\s+(?=\S)")


def _latex(match: regex.Match[str]) -> str:
    body = match[1]
    body = _LATEX_CMD.sub(lambda m: _LATEX.get(m[0], ""), body)
    body = regex.sub(r"[{}\s]", "", body)
    return str(body).replace(",", ", ")


def _checkbox(match: regex.Match[str]) -> str:
    return CHECKED if regex.search(r"\bchecked\b", match[0], flags=regex.I) else UNCHECKED


def inline_to_text(fragment: str) -> str:
    """Markdown/HTML/LaTeX inline markup → plain text (line breaks kept as ``\\n``)."""
    text = _MATH.sub(_latex, fragment)
    text = _CHECKBOX.sub(_checkbox, text)
    text = _BREAK_TAGS.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [_MD_INLINE.sub("", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


class _HtmlTable(HTMLParser):
    """Collects <tr>/<td|th> into a grid, expanding rowspan/colspan."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.rows: list[list[str]] = []
        self._spans: dict[tuple[int, int], bool] = {}
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            a = dict(attrs)
            self._span = (_int(a.get("rowspan")), _int(a.get("colspan")))
            self._cell = []
        elif self._cell is not None:
            self._cell.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self._place("".join(self._cell))
            self._cell = None
        elif self._cell is not None:
            self._cell.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def _place(self, text: str) -> None:
        r = len(self.rows) - 1
        row = self.rows[r]
        c = len(row)
        while self._spans.get((r, c)):
            row.append("")
            c += 1
        rowspan, colspan = self._span
        row.append(text)
        row.extend([""] * (colspan - 1))
        for dr in range(1, rowspan):
            for dc in range(colspan):
                self._spans[(r + dr, c + dc)] = True


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _cells(texts: list[str], line: int) -> list[Cell]:
    return [Cell(inline_to_text(t), Loc(line=line)) for t in texts]


def _split_pipe(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [str(p) for p in regex.split(r"(?<!\\)\|", body)]


def _bounded(lines: list[str], limits: ReadLimits, doc: SourceDoc) -> list[str]:
    """Cut absurd lines before any regex sees them: a 10 MB line would cost minutes."""
    out = []
    for i, line in enumerate(lines):
        if len(line) > limits.max_line_chars:
            doc.warnings.append(
                f"line {i + 1}: {len(line):,} characters, cut to {limits.max_line_chars:,}"
            )
            line = line[: limits.max_line_chars]
        out.append(line)
    return out


def _group_row_within(lines: Sequence[str], i: int) -> bool:
    """A tab-less line between tab-separated rows that is a group row (（一）经济发展):
    a row of the table with one cell, not text between two tables."""
    return (
        i + 1 < len(lines) and "\t" in lines[i + 1] and GROUP_ROW.match(clean(lines[i])) is not None
    )


def _bounded_rows(rows: list[list[Cell]], limits: ReadLimits, doc: SourceDoc) -> list[list[Cell]]:
    if len(rows) > limits.max_table_rows or any(len(r) > limits.max_cells_per_row for r in rows):
        doc.warnings.append(
            f"a table of {len(rows):,} rows cut to at most {limits.max_table_rows:,} rows "
            f"of {limits.max_cells_per_row} cells"
        )
        rows = [r[: limits.max_cells_per_row] for r in rows[: limits.max_table_rows]]
    return rows


def read_markdown_text(text: str, limits: ReadLimits | None = None) -> SourceDoc:
    """Parse Markdown/HTML text into a SourceDoc. Never raises on content."""
    limits = limits or ReadLimits()
    is_html = regex.match(r"\s*(<!doctype html|<html)", text[:4096], flags=regex.I)
    doc = SourceDoc(kind="html" if is_html else "markdown")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _bounded(lines, limits, doc)
    i = 0
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        if regex.search(r"<table\b", raw, flags=regex.I):
            j = i
            block = []
            while j < len(lines):
                block.append(lines[j])
                if regex.search(r"</table>", lines[j], flags=regex.I):
                    break
                j += 1
            parser = _HtmlTable()
            parser.feed("\n".join(block))
            rows = [
                _cells(r[: limits.max_cells_per_row], lineno)
                for r in parser.rows[: limits.max_table_rows]
                if any(t.strip() for t in r)
            ]
            if len(parser.rows) > limits.max_table_rows:
                doc.warnings.append(
                    f"line {lineno}: an HTML table of {len(parser.rows):,} rows cut"
                )
            if rows:
                doc.tables.append(Table(rows, Loc(line=lineno)))
            i = j + 1
            continue
        if "\t" in raw:
            rows = []
            start = lineno
            while i < len(lines) and ("\t" in lines[i] or _group_row_within(lines, i)):
                if len(rows) < limits.max_table_rows:
                    rows.append(_cells(lines[i].split("\t", limits.max_cells_per_row), i + 1))
                i += 1
            doc.tables.append(Table(_bounded_rows(rows, limits, doc), Loc(line=start)))
            continue
        if raw.lstrip().startswith("|") and raw.count("|") >= 2:
            rows = []
            start = lineno
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                if not _PIPE_RULE.match(lines[i]) and len(rows) < limits.max_table_rows:
                    rows.append(_cells(_split_pipe(lines[i])[: limits.max_cells_per_row], i + 1))
                i += 1
            doc.tables.append(Table(_bounded_rows(rows, limits, doc), Loc(line=start)))
            continue
        plain = inline_to_text(raw)
        for part in plain.split("\n"):
            if part.strip():
                doc.lines.append(Line(part, Loc(line=lineno)))
        i += 1
    return doc


def read_markdown(path: Path, limits: ReadLimits | None = None) -> SourceDoc:
    limits = limits or ReadLimits()
    data = read_bounded(path, limits)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return read_markdown_text(data.decode(encoding), limits)
        except UnicodeDecodeError:
            continue
    raise ReadError("not text: the file is neither UTF-8 nor GB18030")
