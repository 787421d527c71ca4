"""The Markdown/HTML reader on the renditions converters emit."""

from __future__ import annotations

import html
from pathlib import Path

from ecopark.pipeline import process
from extract.read.markdown import inline_to_text, read_markdown_text
from extract.source import CHECKED, UNCHECKED
from schemas.record import Report


def _values(r: Report) -> dict[int, list[str]]:
    return {i.number: [v.text for v in i.values] for i in r.indicators}


def _claims(r: Report) -> dict[int, bool | None]:
    return {i.number: i.claimed_pass for i in r.indicators}


def _tab_blocks_to(seed: str, render: object) -> str:
    """Rewrite every run of tab-separated rows with ``render(rows) -> str``."""
    out: list[str] = []
    block: list[list[str]] = []
    for line in [*seed.split("\n"), ""]:
        if "\t" in line:
            block.append(line.split("\t"))
            continue
        if block:
            out.append(render(block))  # type: ignore[operator]
            block = []
        out.append(line)
    return "\n".join(out)


def _pipe(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    lines = []
    for i, r in enumerate(rows):
        cells = [c.replace("|", "\\|") for c in r] + [""] * (width - len(r))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def _html_rowspan(rows: list[list[str]]) -> str:
    """HTML with the category column merged by rowspan, as Docling/MinerU emit it."""
    trs = []
    i = 0
    spans: dict[int, int] = {}
    while i < len(rows):
        r = rows[i]
        first = r[0]
        span = 1
        if first.strip():
            while (
                i + span < len(rows) and not rows[i + span][0].strip() and len(rows[i + span]) > 1
            ):
                span += 1
        spans[i] = span
        i += 1
    covered: set[int] = set()
    for i, r in enumerate(rows):
        cells = []
        for j, c in enumerate(r):
            if j == 0:
                if i in covered:
                    continue
                if spans.get(i, 1) > 1:
                    covered.update(range(i + 1, i + spans[i]))
                    cells.append(f'<td rowspan="{spans[i]}">{html.escape(c)}</td>')
                    continue
            cells.append(f"<td>{c}</td>")
        trs.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(trs) + "</table>"


def test_pipe_tables_give_the_same_record(tmp_path: Path, seed_text: str) -> None:
    base = process(_write(tmp_path / "a.md", seed_text))
    piped = process(_write(tmp_path / "b.md", _tab_blocks_to(seed_text, _pipe)))
    assert _values(piped) == _values(base)
    assert _claims(piped) == _claims(base)
    assert piped.park.name == base.park.name and piped.park.level == "国家级"
    assert piped.filled_on == "2019-05-19"


def test_html_tables_with_rowspan_give_the_same_record(tmp_path: Path, seed_text: str) -> None:
    base = process(_write(tmp_path / "a.md", seed_text))
    r = process(_write(tmp_path / "c.md", _tab_blocks_to(seed_text, _html_rowspan)))
    assert _values(r) == _values(base)
    assert _claims(r) == _claims(base)
    assert r.park.type == "经济技术开发区" and r.park.designation == "已命名"
    ind2 = r.indicator(2)
    assert ind2 is not None and ind2.raw_category == "经济发展"  # from the spanning cell


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_inline_markup() -> None:
    assert inline_to_text(r"$\geq 75$") == "≥75"
    assert inline_to_text(r"当园区工业增加值建设期年均增长率 $>0, \leq 0.3$") == (
        "当园区工业增加值建设期年均增长率 >0, ≤0.3"
    )
    assert inline_to_text("工业固体废物综合利用率 <sup>a</sup>") == "工业固体废物综合利用率 a"
    assert inline_to_text(
        '国家级 <input checked="" type="checkbox"/> 省级 <input type="checkbox"/>'
    ) == (f"国家级 {CHECKED} 省级 {UNCHECKED}")
    assert inline_to_text("<p><b>园区简介</b></p> <p>正文</p>") == "园区简介\n正文"
    assert inline_to_text("**4. 坚持全方位服务。**") == "4. 坚持全方位服务。"
    assert inline_to_text("A &amp; B") == "A & B"


def test_html_document_and_colspan() -> None:
    doc = read_markdown_text(
        "<html><body><p>标题</p><table><tr><td colspan='2'>a</td><td>b</td></tr>"
        "<tr><td rowspan=2>x</td><td>y</td><td>z</td></tr><tr><td>w</td><td>v</td></tr>"
        "</table></body></html>"
    )
    assert doc.kind == "html"
    grid = [[c.text for c in row] for row in doc.tables[0].rows]
    assert grid == [["a", "", "b"], ["x", "y", "z"], ["", "w", "v"]]


def test_page_break_with_repeated_header_is_one_table(seed_text: str) -> None:
    header = "分类\t序号\t指 标\t单位\t要 求\t是否为考 核指标\t2016年\t2018年"
    text = seed_text.replace(
        "\n\n\t15\t工业用水重复利用率", f"\n\n{header}\n\t15\t工业用水重复利用率"
    )
    assert text != seed_text
    from extract.recover.tables import indicator_tables

    tables = indicator_tables(read_markdown_text(text).tables)
    assert [t.kind for t in tables] == ["indicators", "claims"]
    assert [r.number for r in tables[0].rows] == list(range(1, 33))
