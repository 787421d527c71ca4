"""Render a truth file to PDF with reportlab and an embedded (subset) CJK TrueType font.

Layout switches are the truth file's ``layouts`` tags (see samples/README.md).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from samples.generate.model import Block, Style
from samples.generate.model import Table as Table_
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

FONTS = {
    "Song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
    "Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # WenQuanYi Zen Hei
}
_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    for name, (path, idx) in FONTS.items():
        if not Path(path).exists():
            raise SystemExit(
                f"font missing: {path} (apt-get install -y fonts-wqy-zenhei fonts-arphic-uming)"
            )
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=idx))
    _registered = True


WIDTH_WEIGHTS = {
    "category": 1.25,
    "number": 0.75,
    "name": 5.2,
    "unit": 1.9,
    "requirement": 3.6,
    "assessed": 1.35,
    "target": 1.2,
    "year": 1.35,
    "claim": 1.1,
}


class Renderer:
    def __init__(self, t: Truth, body_font: str | None = None, body_pt: float = 11):
        register_fonts()
        self.t = t
        h = int(hashlib.sha1(t.id.encode()).hexdigest(), 16)
        self.body = body_font or ("Hei" if h % 3 == 0 else "Song")
        self.radicals = t.has("kangxi_radicals")
        self.rotated_pages = 0
        self.st = {
            "cover": ParagraphStyle(
                "cover", fontName="Hei", fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=4
            ),
            "title": ParagraphStyle(
                "title", fontName="Hei", fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=14
            ),
            "h1": ParagraphStyle(
                "h1",
                fontName="Hei",
                fontSize=13,
                leading=20,
                spaceBefore=8,
                spaceAfter=4,
                keepWithNext=1,
            ),
            "h2": ParagraphStyle(
                "h2",
                fontName="Hei",
                fontSize=11.5,
                leading=18,
                spaceBefore=4,
                spaceAfter=2,
                keepWithNext=1,
            ),
            "h3": ParagraphStyle(
                "h3",
                fontName=self.body,
                fontSize=11,
                leading=17,
                spaceBefore=2,
                spaceAfter=2,
                keepWithNext=1,
            ),
            "p": ParagraphStyle(
                "p",
                fontName=self.body,
                fontSize=body_pt,
                leading=body_pt * 1.7,
                firstLineIndent=22,
                wordWrap="CJK",
                spaceAfter=3,
            ),
            "annex": ParagraphStyle("annex", fontName="Hei", fontSize=13, leading=20, spaceAfter=6),
            "tabtitle": ParagraphStyle(
                "tabtitle",
                fontName="Hei",
                fontSize=13,
                leading=20,
                alignment=TA_CENTER,
                spaceAfter=6,
            ),
            "meta": ParagraphStyle(
                "meta", fontName=self.body, fontSize=10.5, leading=16, spaceAfter=4
            ),
        }

    # -- text ------------------------------------------------------------------
    def tx(self, s: str) -> str:
        return to_radicals(s) if self.radicals else s

    def para(self, text: str, style: str | ParagraphStyle) -> Paragraph:
        st = self.st[style] if isinstance(style, str) else style
        return Paragraph(escape(self.tx(text)), st)

    def cellp(
        self, markup: str, size: float, align=TA_CENTER, font: str | None = None
    ) -> Paragraph:
        st = ParagraphStyle(
            "c",
            fontName=font or self.body,
            fontSize=size,
            leading=size * 1.3,
            alignment=align,
            wordWrap="CJK",
        )
        return Paragraph(markup, st)

    # -- page decoration ---------------------------------------------------------
    def header_text(self) -> str:
        return f"{self.t.park['name']}  {self.t.year}年国家生态工业示范园区建设年度评价报告"

    def decorate(self, c, w: float, h: float, page_no: int) -> None:
        if not self.t.has("page_header_footer"):
            return
        c.saveState()
        c.setFont(self.body, 8.5)
        c.setFillColor(colors.HexColor("#444444"))
        c.drawString(20 * mm, h - 12 * mm, self.tx(self.header_text()))
        c.setLineWidth(0.5)
        c.line(20 * mm, h - 13.5 * mm, w - 20 * mm, h - 13.5 * mm)
        c.setFont(self.body, 9.5)
        c.drawCentredString(w / 2, 10 * mm, f"— {page_no} —")
        c.restoreState()

    def _on_page(self, c, doc):
        w, h = c._pagesize
        self.decorate(c, w, h, c.getPageNumber())

    # -- tables --------------------------------------------------------------
    def widths(self, cols: list[Column], avail: float) -> list[float]:
        weights = [WIDTH_WEIGHTS[c.role] for c in cols]
        if self.t.has("wrapped_cells"):
            weights = [
                w * (0.62 if c.role in ("name", "requirement") else 1.0)
                for w, c in zip(weights, cols, strict=False)
            ]
            weights = [
                w * (0.8 if c.role == "unit" else 1.0) for w, c in zip(weights, cols, strict=False)
            ]
        total = sum(weights)
        return [avail * w / total for w in weights]

    def indicator_table(
        self, cols: list[Column], avail: float, size: float, *, compliance: bool, repeat: bool
    ) -> Table:
        t = self.t
        borderless = t.has("borderless")
        merged = t.has("merged_category") and not borderless
        wrapped = t.has("wrapped_cells")

        def hcell(text: str) -> Paragraph:
            return self.cellp(escape(self.tx(text)), size, font="Hei")

        # two_row_header (附件一 only): the year columns sit under one spanning label (指标值);
        # every other header spans both rows.
        group = t.year_group_header if t.has("two_row_header") and not compliance else None
        years = [i for i, c in enumerate(cols) if c.role == "year"]
        if group and years:
            top = [hcell(group if i == years[0] else c.header) for i, c in enumerate(cols)]
            for i in years[1:]:
                top[i] = ""
            bottom = [hcell(c.header) if i in years else "" for i, c in enumerate(cols)]
            rows = [top, bottom]
        else:
            rows = [[hcell(c.header) for c in cols]]
        nh = len(rows)  # header rows
        cat_of_row = []
        for ind in t.indicators:
            row = []
            cat = Truth.cell(ind, Column("category", "分类"), compliance=compliance)
            cat_of_row.append(cat)
            for c in cols:
                text = Truth.cell(ind, c, compliance=compliance)
                if c.role == "requirement":
                    parts = split_requirement(text)
                    markup = ("<br/>" if wrapped else " ").join(escape(self.tx(p)) for p in parts)
                    row.append(
                        self.cellp(markup, size, align=TA_LEFT if len(text) > 12 else TA_CENTER)
                    )
                elif c.role == "name":
                    markup = escape(self.tx(text))
                    if ind.get("footnote"):
                        markup += f"<super>{ind['footnote']}</super>"
                    row.append(self.cellp(markup, size, align=TA_LEFT))
                elif c.role == "category":
                    row.append(self.cellp(escape(self.tx(text)), size))
                else:
                    row.append(self.cellp(escape(self.tx(text)), size))
            rows.append(row)
        # category cells: merged (SPAN) in ruled merged layouts; first-of-group in borderless;
        # repeated on every row otherwise
        style = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        ci = next((i for i, c in enumerate(cols) if c.role == "category"), None)
        if ci is not None and (merged or borderless):
            start = 0
            for i in range(1, len(cat_of_row) + 1):
                if i == len(cat_of_row) or cat_of_row[i] != cat_of_row[start]:
                    if merged:
                        style.append(("SPAN", (ci, start + nh), (ci, i + nh - 1)))
                    for r in range(start + 1, i):
                        rows[r + nh][ci] = ""
                    start = i
        if nh == 2:
            style += [("SPAN", (j, 0), (j, 1)) for j in range(len(cols)) if j not in years]
            style.append(("SPAN", (years[0], 0), (years[-1], 0)))
        if not borderless:
            style += [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, nh - 1), colors.HexColor("#e8e8e8")),
            ]
        return Table(
            rows,
            colWidths=self.widths(cols, avail),
            style=TableStyle(style),
            repeatRows=nh if repeat else 0,
            splitInRow=0,
        )

    def info_table(self, avail: float) -> Table:
        _t, p = self.t, self.t.park
        on, off = ("√", "□") if self.t.has("borderless") else ("■", "□")
        size = 10

        def P(s, align=TA_LEFT):
            return self.cellp(escape(self.tx(s)), size, align=align)

        types1 = checkbox_line(TYPES[0:3], p["type"], on, off, "    ")
        types2 = checkbox_line(TYPES[3:6], p["type"], on, off, "    ")
        other = f"其他{on if p['type'] == '其他' else off}：" + (
            p.get("type_note") or "（注明具体类型）"
        )
        desig = (
            f"国家生态工业示范园区已命名{on if p['designation'] == '已命名' else off}    "
            f"国家生态工业示范园区创建中{on if p['designation'] == '创建中' else off}"
        )
        rows = [
            [self.cellp(escape(self.tx("一、园区基本情况")), 11, TA_LEFT, "Hei"), "", "", ""],
            [P("园区名称"), P(p["name"]), "", ""],
            [P("通信地址"), P(p["address"]), P("邮编"), P(p["postcode"])],
            [P("园区级别"), P(checkbox_line(LEVELS, p["level"], on, off, "    ")), "", ""],
            [P("园区类型"), P(types1), "", ""],
            ["", P(types2), "", ""],
            ["", P(other), "", ""],
            [P("联系方式"), P(f"电话  {p['phone']}"), "", ""],
            ["", P(f"电子邮箱  {p['email']}"), "", ""],
            [P(desig), "", "", ""],
        ]
        style = [
            ("SPAN", (0, 0), (3, 0)),
            ("SPAN", (1, 1), (3, 1)),
            ("SPAN", (1, 3), (3, 3)),
            ("SPAN", (1, 4), (3, 4)),
            ("SPAN", (1, 5), (3, 5)),
            ("SPAN", (1, 6), (3, 6)),
            ("SPAN", (0, 4), (0, 6)),
            ("SPAN", (1, 7), (3, 7)),
            ("SPAN", (1, 8), (3, 8)),
            ("SPAN", (0, 7), (0, 8)),
            ("SPAN", (0, 9), (3, 9)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if not self.t.has("borderless"):
            style.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
        w = [avail * 0.16, avail * 0.56, avail * 0.1, avail * 0.18]
        return Table(rows, colWidths=w, style=TableStyle(style))

    # -- document ---------------------------------------------------------------
    def story(self, portrait_w: float, land_w: float) -> list:
        t = self.t
        front, progress = narrative(t)
        s: list = [self.para(t.park["name"], "cover"), self.para(t.data["title"], "title")]
        for kind, text in front:
            s.append(self.para(text, kind))
        land = t.has("landscape_annex")
        s.append(NextPageTemplate("landscape" if land else "portrait"))
        s.append(PageBreak())
        avail = land_w if land else portrait_w
        s.append(self.para("附件一：对照考核表", "annex"))
        s.append(self.para("国家生态工业示范园区对照考核表", "tabtitle"))
        pad = "\u3000" * (10 if land else 6)
        s.append(self.para(f"园区名称：{t.park['name']}{pad}填报时间：{t.filled_on_cn}", "meta"))
        s.append(
            self.indicator_table(
                t.annex1_columns(),
                avail,
                9 if not land else 9.5,
                compliance=False,
                repeat=t.has("page_break_repeat_header"),
            )
        )
        s.append(NextPageTemplate("portrait"))
        s.append(PageBreak())
        s.append(self.para("附件二：国家生态工业示范园区建设年度评价报告信息公开表", "annex"))
        s.append(self.info_table(portrait_w))
        s.append(Spacer(1, 8))
        s.append(self.para("二、国家生态工业示范园区建设进展（当年）", "h1"))
        for kind, text in progress:
            s.append(self.para(text, kind))
        if not t.has("rotated_page"):
            s.append(self.para("三、国家生态工业示范园区标准达标情况", "h1"))
            s.append(
                self.indicator_table(
                    t.compliance_columns(),
                    portrait_w,
                    9,
                    compliance=True,
                    repeat=t.has("page_break_repeat_header"),
                )
            )
        return s

    def build(self, out: Path) -> None:
        t = self.t
        buf = io.BytesIO()
        pw, ph = A4
        lw, lh = landscape(A4)
        m = 20 * mm
        doc = BaseDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=m,
            rightMargin=m,
            topMargin=22 * mm,
            bottomMargin=20 * mm,
            title=t.data["title"],
            author=t.park["name"],
            subject="国家生态工业示范园区建设年度评价报告",
            creator="Microsoft® Word 2016",
            pageCompression=1,
            invariant=1,
        )
        portrait = PageTemplate(
            "portrait",
            [Frame(m, 18 * mm, pw - 2 * m, ph - 40 * mm, id="p")],
            onPage=self._on_page,
            pagesize=A4,
        )
        land = PageTemplate(
            "landscape",
            [Frame(m, 16 * mm, lw - 2 * m, lh - 36 * mm, id="l")],
            onPage=self._on_page,
            pagesize=landscape(A4),
        )
        doc.addPageTemplates([portrait, land])
        doc.build(self.story(pw - 2 * m, lw - 2 * m))
        data = buf.getvalue()
        if t.has("rotated_page"):
            from samples.generate.post import append_rotated

            n_main = doc.page
            data = append_rotated(data, self.rotated_compliance(n_main))
        if t.has("encrypted_empty_user_password"):
            from samples.generate.post import encrypt_empty_user

            data = encrypt_empty_user(data)
        out.write_bytes(data)

    def rotated_compliance(self, pages_before: int) -> bytes:
        """达标情况 on portrait pages whose content is drawn turned 90° counter-clockwise, so that
        a viewer honouring /Rotate 90 (set afterwards) shows it upright in landscape."""
        buf = io.BytesIO()
        pw, ph = A4
        c = rl_canvas.Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)
        lw, lh = ph, pw
        m = 18 * mm
        flow = [
            self.para("三、国家生态工业示范园区标准达标情况", "h1"),
            self.indicator_table(
                self.t.compliance_columns(), lw - 2 * m, 8.5, compliance=True, repeat=True
            ),
        ]
        page = pages_before
        while flow:
            page += 1
            c.saveState()
            c.translate(pw, 0)
            c.rotate(90)
            self.decorate(c, lw, lh, page)
            f = Frame(m, 15 * mm, lw - 2 * m, lh - 33 * mm, showBoundary=0)
            placed = 0
            while flow:
                if f.add(flow[0], c, trySplit=0):
                    flow.pop(0)
                    placed += 1
                    continue
                parts = f.split(flow[0], c)
                if len(parts) < 2:
                    break
                flow[0:1] = parts
            if not placed:
                raise RuntimeError(f"{self.t.id}: rotated page content does not fit")
            c.restoreState()
            c.showPage()
        c.save()
        return buf.getvalue()


def render(t: Truth, out: Path) -> None:
    Renderer(t).build(out)


# -- the randomised corpus: producer-neutral blocks (model.py) ---------------------------

FONT_NAMES = {"AR PL UMing CN": "Song", "WenQuanYi Zen Hei": "Hei"}
BLOCK_WEIGHTS = {**WIDTH_WEIGHTS, "remark": 2.2, "label": 1.0, "value": 3.0}


def check_glyphs(text: str, font: str) -> None:
    """reportlab draws a character its font lacks as an invisible .notdef: refuse it, or the
    truth would hold a character no reader can see (FIELD-NOTES: glyph coverage)."""
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    missing = {ch for ch in text if ch not in "\n" and ord(ch) not in cmap}
    if missing:
        raise ValueError(f"font {font} has no glyph for {sorted(missing)!r} in {text[:40]!r}")


def style_truth(style: Style) -> Truth:
    """The few truth fields the shared info-table code reads, from a block document's style."""
    return Truth(
        {
            "id": style.park["name"],
            "layouts": style.tags,
            "park": style.park,
            "report_year": style.year,
            "title": style.title,
        }
    )


class BlockRenderer(Renderer):
    def __init__(self, style: Style):
        self.style = style
        super().__init__(style_truth(style), FONT_NAMES[style.font], style.body_pt)

    def para(self, text: str, style: str | ParagraphStyle) -> Paragraph:
        st = self.st[style] if isinstance(style, str) else style
        check_glyphs(text, st.fontName)
        return super().para(text, style)

    def model_table(self, t: Table_, avail: float) -> RLTable:
        size = t.font_pt
        weights = [BLOCK_WEIGHTS[r] for r in t.roles]
        widths = [avail * w / sum(weights) for w in weights]
        style: list = [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        rows = []
        for i, r in enumerate(t.header + t.body):
            row: list = []
            for j, c in enumerate(r):
                if c is None:
                    row.append("")
                    continue
                font = "Hei" if c.head else self.body
                check_glyphs(c.text, font)
                markup = "<br/>".join(escape(x) for x in c.lines) if c.lines else escape(c.text)
                if c.sup:
                    markup += f"<super>{c.sup}</super>"
                row.append(self.cellp(markup, size, TA_LEFT if c.align == "l" else TA_CENTER, font))
                if c.rowspan > 1 or c.colspan > 1:
                    style.append(("SPAN", (j, i), (j + c.colspan - 1, i + c.rowspan - 1)))
            rows.append(row)
        nh = len(t.header)
        if t.borders == "grid":
            style.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
        elif t.borders == "three_line":
            style += [
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black),
                ("LINEBELOW", (0, nh - 1), (-1, nh - 1), 0.6, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
            ]
        return RLTable(
            rows,
            colWidths=widths,
            style=TableStyle(style),
            repeatRows=nh if t.repeat_header else 0,
            splitInRow=0,
        )

    def story_blocks(self, blocks: list[Block], portrait_w: float, land_w: float) -> list:
        s: list = []
        avail = portrait_w
        kinds = {
            "cover": "cover",
            "title": "title",
            "h1": "h1",
            "h2": "h2",
            "p": "p",
            "annex": "annex",
            "tabtitle": "tabtitle",
            "meta": "meta",
            "caption": "meta",
        }
        for b in blocks:
            if b.kind in kinds:
                s.append(self.para(b.text, kinds[b.kind]))
            elif b.kind == "pagebreak":
                s.append(PageBreak())
            elif b.kind == "landscape":
                s.append(NextPageTemplate("landscape"))
                avail = land_w
            elif b.kind == "portrait":
                s.append(NextPageTemplate("portrait"))
                avail = portrait_w
            elif b.kind == "info":
                s.append(self.info_table(portrait_w))
                s.append(Spacer(1, 8))
            elif b.kind == "table" and b.table is not None:
                s.append(self.model_table(b.table, avail))
        return s

    def build_blocks(self, blocks: list[Block], out: Path) -> None:
        buf = io.BytesIO()
        pw, ph = A4
        lw, lh = landscape(A4)
        m = 20 * mm
        doc = BaseDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=m,
            rightMargin=m,
            topMargin=22 * mm,
            bottomMargin=20 * mm,
            title=self.style.title,
            creator="Microsoft® Word 2016",
            pageCompression=1,
            invariant=1,
        )
        doc.addPageTemplates(
            [
                PageTemplate(
                    "portrait",
                    [Frame(m, 18 * mm, pw - 2 * m, ph - 40 * mm, id="p")],
                    onPage=self._on_page,
                    pagesize=A4,
                ),
                PageTemplate(
                    "landscape",
                    [Frame(m, 16 * mm, lw - 2 * m, lh - 36 * mm, id="l")],
                    onPage=self._on_page,
                    pagesize=landscape(A4),
                ),
            ]
        )
        doc.build(self.story_blocks(blocks, pw - 2 * m, lw - 2 * m))
        data = buf.getvalue()
        if self.style.encrypted:
            from samples.generate.post import encrypt_empty_user

            data = encrypt_empty_user(data)
        out.write_bytes(data)


def render_blocks(blocks: list[Block], style: Style, out: Path) -> None:
    BlockRenderer(style).build_blocks(blocks, out)
