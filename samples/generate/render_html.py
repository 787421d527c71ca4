"""Render a truth file as HTML and print it with headless Chromium (``--print-to-pdf``).

Chromium's PDF backend (Skia) embeds every font as Type0 / CIDFontType2 with Identity-H
and a ToUnicode CMap — the CID-font case.  Landscape pages use CSS named pages; the page
header/footer are CSS @page margin boxes.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from samples.generate.model import Block, Cell, Style, Table
from samples.generate.narrative import narrative
from samples.generate.truth import (
    LEVELS,
    TYPES,
    Column,
    Truth,
    checkbox_line,
    split_requirement,
    to_radicals,
)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]

CSS = """
@page { size: A4; margin: 24mm 20mm 20mm 20mm;
  @top-left { content: "%(header)s"; font: 8.5pt "AR PL UMing CN"; color: #444; border-bottom: 0.5pt solid #444; }
  @bottom-center { content: "- " counter(page) " -"; font: 9.5pt "AR PL UMing CN"; } }
@page land { size: A4 landscape; margin: 18mm 16mm 16mm 16mm; }
body { font-family: "AR PL UMing CN", serif; font-size: 11pt; line-height: 1.7; }
h1.cover { font: bold 16pt "WenQuanYi Zen Hei"; text-align: center; margin: 0; }
h1.title { font: bold 19pt "WenQuanYi Zen Hei"; text-align: center; margin: 4pt 0 16pt; }
h2 { font: bold 13pt "WenQuanYi Zen Hei"; margin: 10pt 0 4pt; break-after: avoid; }
h3 { font: bold 11.5pt "WenQuanYi Zen Hei"; margin: 6pt 0 2pt; break-after: avoid; }
h4 { font: 11pt "AR PL UMing CN"; margin: 4pt 0 2pt; break-after: avoid; }
p { text-indent: 2em; margin: 0 0 3pt; }
.annex { break-before: page; }
.land { page: land; }
.annex h2.annex-title { font-size: 13pt; }
.tabtitle { text-align: center; font: bold 13pt "WenQuanYi Zen Hei"; margin: 4pt 0; text-indent: 0; }
.meta { text-indent: 0; display: flex; justify-content: space-between; width: 80%%; }
table { border-collapse: collapse; width: 100%%; font-size: 9pt; line-height: 1.3; }
td, th { padding: 2pt 3pt; text-align: center; vertical-align: middle; }
th { font-family: "WenQuanYi Zen Hei"; font-weight: normal; }
td.l { text-align: left; }
td.v { white-space: nowrap; }
table.ruled td, table.ruled th { border: 0.6pt solid #000; }
table.ruled th { background: #e8e8e8; }
table.info td { font-size: 10pt; text-align: left; padding: 4pt; }
tr { break-inside: avoid; }
"""


class HtmlRenderer:
    def __init__(self, t: Truth):
        self.t = t
        self.radicals = t.has("kangxi_radicals")

    def e(self, s: str) -> str:
        return escape(to_radicals(s) if self.radicals else s)

    def indicator_table(self, cols: list[Column], *, compliance: bool) -> str:
        t = self.t
        borderless = t.has("borderless")
        merged = t.has("merged_category") and not borderless
        wrapped = t.has("wrapped_cells")
        widths = {
            "category": 7,
            "number": 4,
            "name": 26,
            "unit": 9,
            "requirement": 19,
            "assessed": 7,
            "target": 6,
            "year": 9,
            "claim": 6,
        }
        out = [f'<table class="{"plain" if borderless else "ruled"}">', "<colgroup>"]
        out += [f'<col style="width:{widths[c.role]}%">' for c in cols]
        out.append("</colgroup><thead><tr>")
        out += [f"<th>{self.e(c.header)}</th>" for c in cols]
        out.append("</tr></thead><tbody>")
        cats = [
            Truth.cell(i, Column("category", "分类"), compliance=compliance) for i in t.indicators
        ]
        for k, ind in enumerate(t.indicators):
            out.append("<tr>")
            first = k == 0 or cats[k] != cats[k - 1]
            for c in cols:
                text = Truth.cell(ind, c, compliance=compliance)
                if c.role == "category":
                    if merged:
                        if first:
                            n = 1
                            while k + n < len(cats) and cats[k + n] == cats[k]:
                                n += 1
                            out.append(f'<td rowspan="{n}">{self.e(text)}</td>')
                    else:
                        out.append(f"<td>{self.e(text) if (first or not borderless) else ''}</td>")
                elif c.role == "name":
                    sup = f"<sup>{ind['footnote']}</sup>" if ind.get("footnote") else ""
                    out.append(f'<td class="l">{self.e(text)}{sup}</td>')
                elif c.role == "requirement":
                    parts = [self.e(p) for p in split_requirement(text)]
                    cls = ' class="l"' if len(text) > 12 else ""
                    out.append(f"<td{cls}>{('<br>' if wrapped else ' ').join(parts)}</td>")
                elif c.role == "year":
                    out.append(f'<td class="v">{self.e(text)}</td>')
                else:
                    out.append(f"<td>{self.e(text)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)

    def info_table(self) -> str:
        p = self.t.park
        before = self.t.has("tick_before_option")  # √国家级 □省级: the mark precedes its option
        on, off = ("√", "□") if self.t.has("borderless") or before else ("☑", "☐")
        e = self.e

        def box(option: str, ticked: bool) -> str:
            mark = on if ticked else off
            return f"{mark}{option}" if before else f"{option}{mark}"

        def line(options: list[str], chosen: str) -> str:
            return checkbox_line(options, chosen, on, off, "　", before=before)

        other = box("其他", p["type"] == "其他") + "：" + (p.get("type_note") or "（注明具体类型）")
        named = box("国家生态工业示范园区已命名", p["designation"] == "已命名")
        building = box("国家生态工业示范园区创建中", p["designation"] == "创建中")
        cls = "info" if self.t.has("borderless") else "info ruled"
        return f"""<table class="{cls}">
<tr><td colspan="4"><b>{e("一、园区基本情况")}</b></td></tr>
<tr><td style="width:16%">{e("园区名称")}</td><td colspan="3">{e(p["name"])}</td></tr>
<tr><td>{e("通信地址")}</td><td style="width:54%">{e(p["address"])}</td><td style="width:12%">{e("邮编")}</td><td>{e(p["postcode"])}</td></tr>
<tr><td>{e("园区级别")}</td><td colspan="3">{e(line(LEVELS, p["level"]))}</td></tr>
<tr><td rowspan="3">{e("园区类型")}</td><td colspan="3">{e(line(TYPES[0:3], p["type"]))}</td></tr>
<tr><td colspan="3">{e(line(TYPES[3:6], p["type"]))}</td></tr>
<tr><td colspan="3">{e(other)}</td></tr>
<tr><td rowspan="2">{e("联系方式")}</td><td colspan="3">{e("电话")} {e(p["phone"])}</td></tr>
<tr><td colspan="3">{e("电子邮箱")} {e(p["email"])}</td></tr>
<tr><td colspan="4">{e(named)}　{e(building)}</td></tr>
</table>"""

    def blocks(self, blocks) -> str:
        tag = {"h1": "h2", "h2": "h3", "h3": "h4", "p": "p"}
        return "\n".join(f"<{tag[k]}>{self.e(x)}</{tag[k]}>" for k, x in blocks)

    def html(self) -> str:
        t = self.t
        front, progress = narrative(t)
        header = f"{t.park['name']}  {t.year}年国家生态工业示范园区建设年度评价报告"
        header = (to_radicals(header) if self.radicals else header).replace('"', "")
        css = CSS % {"header": header if t.has("page_header_footer") else ""}
        land = " land" if t.has("landscape_annex") else ""
        return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{self.e(t.data["title"])}</title>
<style>{css}</style></head><body>
<h1 class="cover">{self.e(t.park["name"])}</h1>
<h1 class="title">{self.e(t.data["title"])}</h1>
{self.blocks(front)}
<section class="annex{land}">
<h2 class="annex-title">{self.e("附件一：对照考核表")}</h2>
<p class="tabtitle">{self.e("国家生态工业示范园区对照考核表")}</p>
<p class="meta"><span>{self.e("园区名称：" + t.park["name"])}</span><span>{self.e("填报时间：" + t.filled_on_cn)}</span></p>
{self.indicator_table(t.annex1_columns(), compliance=False)}
</section>
<section class="annex">
<h2 class="annex-title">{self.e("附件二：国家生态工业示范园区建设年度评价报告信息公开表")}</h2>
{self.info_table()}
<h2>{self.e("二、国家生态工业示范园区建设进展（当年）")}</h2>
{self.blocks(progress)}
<h2>{self.e("三、国家生态工业示范园区标准达标情况")}</h2>
{self.indicator_table(t.compliance_columns(), compliance=True)}
</section>
</body></html>"""

    def build(self, out: Path) -> None:
        print_html(self.html(), out, self.t.id)


def print_html(html: str, out: Path, name: str) -> None:
    """``html`` printed to the PDF ``out`` by headless Chromium (the html-chromium producer)."""
    chromium = (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if not chromium:
        raise SystemExit("chromium not found (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="ecopark-html-") as tmp:
        src = Path(tmp) / f"{name}.html"
        src.write_text(html, encoding="utf-8")
        pdf = Path(tmp) / f"{name}.pdf"
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={pdf}",
            src.as_uri(),
        ]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if not pdf.exists():
            raise RuntimeError(f"chromium failed for {name}: {r.stderr[-2000:]}")
        shutil.move(str(pdf), out)


def render(t: Truth, out: Path) -> None:
    HtmlRenderer(t).build(out)


# -- the randomised corpus: producer-neutral blocks (model.py) ---------------------------

BLOCK_WIDTHS = {
    "category": 7,
    "number": 4,
    "name": 26,
    "unit": 9,
    "requirement": 18,
    "assessed": 7,
    "target": 7,
    "year": 9,
    "claim": 6,
    "remark": 12,
}
BLOCK_CSS = """
body { font-family: "%(font)s", serif; font-size: %(body)spt; }
table { font-size: %(table)spt; }
th { font-family: "%(font)s"; }
table.three { border-top: 1.2pt solid #000; border-bottom: 1.2pt solid #000; }
table.three thead tr:last-child th, table.three tr.h:last-of-type th { border-bottom: 0.6pt solid #000; }
p.caption { text-indent: 0; margin: 6pt 0 2pt; }
.pb { break-after: page; }
"""


def style_truth(style: Style) -> Truth:
    return Truth(
        {
            "id": style.park["name"],
            "layouts": style.tags,
            "park": style.park,
            "report_year": style.year,
            "title": style.title,
        }
    )


class BlockHtml(HtmlRenderer):
    def __init__(self, style: Style):
        super().__init__(style_truth(style))
        self.style = style

    def model_table(self, t: Table) -> str:
        cls = {"grid": "ruled", "none": "plain", "three_line": "three"}[t.borders]
        out = [f'<table class="{cls}"><colgroup>']
        out += [f'<col style="width:{BLOCK_WIDTHS[r]}%">' for r in t.roles]
        out.append("</colgroup>")

        def cell(c: Cell, tag: str) -> str:
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            if c.align == "l":
                attrs += ' class="l"'
            text = "<br>".join(self.e(x) for x in c.lines) if c.lines else self.e(c.text)
            if c.sup:
                text += f"<sup>{c.sup}</sup>"
            return f"<{tag}{attrs}>{text}</{tag}>"

        head = "".join(
            '<tr class="h">' + "".join(cell(c, "th") for c in r if c) + "</tr>" for r in t.header
        )
        body = "".join("<tr>" + "".join(cell(c, "td") for c in r if c) + "</tr>" for r in t.body)
        # Chromium repeats a <thead> on every page; a header kept in <tbody> prints once
        out.append(
            f"<thead>{head}</thead><tbody>{body}</tbody>"
            if t.repeat_header
            else f"<tbody>{head}{body}</tbody>"
        )
        out.append("</table>")
        return "\n".join(out)

    def html_blocks(self, blocks: list[Block]) -> str:
        s = self.style
        parts: list[str] = []
        tags = {
            "cover": ('<h1 class="cover">', "</h1>"),
            "title": ('<h1 class="title">', "</h1>"),
            "h1": ("<h2>", "</h2>"),
            "h2": ("<h3>", "</h3>"),
            "p": ("<p>", "</p>"),
            "annex": ('<h2 class="annex-title">', "</h2>"),
            "tabtitle": ('<p class="tabtitle">', "</p>"),
            "meta": ('<p class="meta">', "</p>"),
            "caption": ('<p class="caption">', "</p>"),
        }
        for b in blocks:
            if b.kind in tags:
                a, z = tags[b.kind]
                parts.append(f"{a}{self.e(b.text)}{z}")
            elif b.kind == "pagebreak":
                parts.append('<div class="pb"></div>')
            elif b.kind == "landscape":
                parts.append('<section class="land">')
            elif b.kind == "portrait":
                parts.append("</section>")
            elif b.kind == "info":
                parts.append(self.info_table())
            elif b.kind == "table" and b.table is not None:
                parts.append(self.model_table(b.table))
        header = f"{s.park['name']}  {s.year}年国家生态工业示范园区建设年度评价报告"
        header = (to_radicals(header) if self.radicals else header).replace('"', "")
        on = "page_header_footer" in s.tags
        css = (CSS % {"header": header if on else ""}) + BLOCK_CSS % {
            "font": s.font,
            "body": s.body_pt,
            "table": s.table_pt,
        }
        return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{self.e(s.title)}</title>
<style>{css}</style></head><body>
{chr(10).join(parts)}
</body></html>"""

    def build_blocks(self, blocks: list[Block], out: Path) -> None:
        self.html = lambda: self.html_blocks(blocks)  # type: ignore[method-assign]
        self.t.data["id"] = out.stem
        self.build(out)
        if self.style.encrypted:
            from samples.generate.post import encrypt_empty_user

            out.write_bytes(encrypt_empty_user(out.read_bytes()))


def render_blocks(blocks: list[Block], style: Style, out: Path) -> None:
    BlockHtml(style).build_blocks(blocks, out)
