"""Render a truth file the way an office user would: python-docx builds a Word document,
LibreOffice (``soffice --headless --convert-to pdf``) prints it.  LibreOffice 7.4 embeds the
CJK fonts as simple TrueType (or, for Noto CJK, Type 1/CFF) subsets with a ToUnicode CMap.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from samples.generate.model import Block, Style, Table
from samples.generate.narrative import narrative
from samples.generate.truth import LEVELS, TYPES, Column, Truth, checkbox_line, split_requirement

# TrueType CJK fonts: LibreOffice 7.4 embeds them as simple TrueType subsets with ToUnicode.
# CFF-based OpenType CJK fonts (Noto CJK): LibreOffice 7.4 embeds them as Type 1 (CFF) subsets.
# Neither is Type0/Identity-H; the CID-font samples come from the Chromium producer.
TRUETYPE_FONTS = ("AR PL UMing CN", "WenQuanYi Zen Hei")
CFF_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
SONG, HEI = TRUETYPE_FONTS
WIDTH_WEIGHTS = {
    "category": 1.2,
    "number": 0.75,
    "name": 5.0,
    "unit": 1.9,
    "requirement": 3.6,
    "assessed": 1.3,
    "target": 1.15,
    "year": 1.55,
    "claim": 1.1,
}


def _fonts(run, east: str, size: float | None = None, bold: bool = False) -> None:
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True


def _field(paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


class DocxRenderer:
    def __init__(self, t: Truth):
        global SONG, HEI
        self.t = t
        SONG, HEI = CFF_FONTS if t.has("type1_cff_font") else TRUETYPE_FONTS
        self.doc = Document()
        st = self.doc.styles["Normal"]
        st.font.name = "Times New Roman"
        st.font.size = Pt(12)
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SONG)
        sec = self.doc.sections[0]
        self._a4(sec, landscape=False)
        if t.has("page_header_footer"):
            hp = sec.header.paragraphs[0]
            hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(
                hp.add_run(f"{t.park['name']}{t.year}年度国家生态工业示范园区建设评价报告"), SONG, 9
            )
            fp = sec.footer.paragraphs[0]
            fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(fp.add_run("第 "), SONG, 10)
            _field(fp, "PAGE")
            _fonts(fp.add_run(" 页"), SONG, 10)

    @staticmethod
    def _a4(sec, landscape: bool) -> None:
        w, h = Mm(210), Mm(297)
        sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = (h, w) if landscape else (w, h)
        sec.left_margin = sec.right_margin = Mm(25 if not landscape else 20)
        sec.top_margin = Mm(25 if not landscape else 20)
        sec.bottom_margin = Mm(22 if not landscape else 18)

    def avail(self) -> int:
        sec = self.doc.sections[-1]
        return sec.page_width - sec.left_margin - sec.right_margin

    # -- text ------------------------------------------------------------------
    def para(self, text: str, kind: str = "p"):
        p = self.doc.add_paragraph()
        pf = p.paragraph_format
        if kind == "cover":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(text), HEI, 16, bold=True)
        elif kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_after = Pt(18)
            _fonts(p.add_run(text), HEI, 20, bold=True)
        elif kind in ("h1", "annex"):
            pf.space_before = Pt(8)
            pf.keep_with_next = True
            _fonts(p.add_run(text), HEI, 14 if kind == "h1" else 15, bold=True)
        elif kind == "h2":
            pf.keep_with_next = True
            pf.first_line_indent = Pt(24)
            _fonts(p.add_run(text), SONG, 12.5, bold=True)
        elif kind == "h3":
            pf.keep_with_next = True
            pf.first_line_indent = Pt(24)
            _fonts(p.add_run(text), SONG, 12, bold=True)
        elif kind == "tabtitle":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(text), HEI, 14, bold=True)
        else:
            pf.first_line_indent = Pt(24)
            pf.line_spacing = Pt(21)
            _fonts(p.add_run(text), SONG, 12)
        return p

    # -- tables ------------------------------------------------------------------
    @staticmethod
    def _cell(
        cell,
        text: str,
        size: float = 9,
        *,
        center=True,
        bold=False,
        sup: str = "",
        lines: list[str] | None = None,
    ) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = Pt(
            size * 1.45
        )  # UMing's metrics give cramped "single" lines
        parts = lines if lines is not None else [text]
        for i, part in enumerate(parts):
            r = p.add_run(part)
            _fonts(r, HEI if bold else SONG, size, bold=bold)
            if i < len(parts) - 1:
                r.add_break(WD_BREAK.LINE)
        if sup:
            r = p.add_run(sup)
            _fonts(r, SONG, size)
            r.font.superscript = True

    @staticmethod
    def _widths(table, widths: list[int]) -> None:
        table.autofit = False
        for col, w in zip(table.columns, widths, strict=False):
            col.width = w
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=False):
                cell.width = w

    def indicator_table(
        self, cols: list[Column], *, compliance: bool, repeat: bool, size: float = 9
    ) -> None:
        t = self.t
        wrapped = t.has("wrapped_cells")
        weights = [
            WIDTH_WEIGHTS[c.role] * (0.65 if wrapped and c.role in ("name", "requirement") else 1)
            for c in cols
        ]
        total = sum(weights)
        avail = self.avail()
        widths = [int(avail * w / total) for w in weights]
        table = self.doc.add_table(rows=1 + len(t.indicators), cols=len(cols))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._widths(table, widths)
        for j, c in enumerate(cols):
            self._cell(table.cell(0, j), c.header, size, bold=True)
        for row in table.rows:  # a row never splits across pages; the table does
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if repeat:
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        cats = []
        for i, ind in enumerate(t.indicators, start=1):
            cats.append(Truth.cell(ind, Column("category", "分类"), compliance=compliance))
            for j, c in enumerate(cols):
                text = Truth.cell(ind, c, compliance=compliance)
                cell = table.cell(i, j)
                if c.role == "requirement":
                    parts = split_requirement(text)
                    self._cell(
                        cell,
                        text,
                        size,
                        center=len(text) <= 12,
                        lines=parts if wrapped else [" ".join(parts)],
                    )
                elif c.role == "name":
                    self._cell(cell, text, size, center=False, sup=ind.get("footnote", ""))
                elif c.role == "category":
                    pass
                else:
                    self._cell(cell, text, size)
        ci = next((j for j, c in enumerate(cols) if c.role == "category"), None)
        if ci is not None:
            start = 0
            for i in range(1, len(cats) + 1):
                if i == len(cats) or cats[i] != cats[start]:
                    if t.has("merged_category") and i - 1 > start:
                        merged = table.cell(start + 1, ci).merge(table.cell(i, ci))
                        self._cell(merged, cats[start], size)
                    else:
                        for r in range(start + 1, i + 1):
                            self._cell(table.cell(r, ci), cats[start], size)
                    start = i

    def info_table(self) -> None:
        p = self.t.park
        on, off = "☑", "☐"
        table = self.doc.add_table(rows=10, cols=4)
        table.style = "Table Grid"
        avail = self.avail()
        self._widths(table, [int(avail * f) for f in (0.16, 0.54, 0.12, 0.18)])
        c = table.cell

        def put(r, j, text, *, span_to=None, bold=False, center=False):
            cell = c(r, j) if span_to is None else c(r, j).merge(c(r, span_to))
            self._cell(cell, text, 10.5, center=center, bold=bold)

        put(0, 0, "一、园区基本情况", span_to=3, bold=True)
        put(1, 0, "园区名称", center=True)
        put(1, 1, p["name"], span_to=3)
        put(2, 0, "通信地址", center=True)
        put(2, 1, p["address"])
        put(2, 2, "邮编", center=True)
        put(2, 3, p["postcode"], center=True)
        put(3, 0, "园区级别", center=True)
        put(3, 1, checkbox_line(LEVELS, p["level"], on, off, "   "), span_to=3)
        put(4, 1, checkbox_line(TYPES[0:3], p["type"], on, off, "   "), span_to=3)
        put(5, 1, checkbox_line(TYPES[3:6], p["type"], on, off, "   "), span_to=3)
        put(
            6,
            1,
            f"其他{on if p['type'] == '其他' else off}："
            + (p.get("type_note") or "（注明具体类型）"),
            span_to=3,
        )
        m = c(4, 0).merge(c(6, 0))
        self._cell(m, "园区类型", 10.5)
        put(7, 1, f"电话 {p['phone']}", span_to=3)
        put(8, 1, f"电子邮箱 {p['email']}", span_to=3)
        m = c(7, 0).merge(c(8, 0))
        self._cell(m, "联系方式", 10.5)
        put(
            9,
            0,
            f"国家生态工业示范园区已命名{on if p['designation'] == '已命名' else off}    "
            f"国家生态工业示范园区创建中{on if p['designation'] == '创建中' else off}",
            span_to=3,
        )

    # -- document ------------------------------------------------------------------
    def build(self, out: Path) -> None:
        t = self.t
        front, progress = narrative(t)
        self.para(t.park["name"], "cover")
        self.para(t.data["title"], "title")
        for kind, text in front:
            self.para(text, kind)
        land = t.has("landscape_annex")
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._a4(sec, landscape=land)
        self.para("附件一：对照考核表", "annex")
        self.para("国家生态工业示范园区对照考核表", "tabtitle")
        meta = self.doc.add_paragraph()
        _fonts(meta.add_run(f"园区名称：{t.park['name']}"), SONG, 11)
        _fonts(meta.add_run("\t\t\t"), SONG, 11)
        _fonts(meta.add_run(f"填报时间：{t.filled_on_cn}"), SONG, 11)
        if t.has("seed_typeset"):
            hp = self.doc.add_paragraph()
            _fonts(hp.add_run("考核指标"), HEI, 10.5, bold=True)
        self.indicator_table(
            t.annex1_columns(), compliance=False, repeat=t.has("page_break_repeat_header")
        )
        sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._a4(sec, landscape=False)
        self.para("附件二：国家生态工业示范园区建设年度评价报告信息公开表", "annex")
        self.info_table()
        self.para("二、国家生态工业示范园区建设进展（当年）", "h1")
        for kind, text in progress:
            self.para(text, kind)
        self.para("三、国家生态工业示范园区标准达标情况", "h1")
        self.indicator_table(
            t.compliance_columns(), compliance=True, repeat=t.has("page_break_repeat_header")
        )
        core = self.doc.core_properties
        core.title, core.author = t.data["title"], t.park["name"]
        with tempfile.TemporaryDirectory(prefix="ecopark-docx-") as tmp:
            src = Path(tmp) / f"{t.id}.docx"
            self.doc.save(src)
            convert(src, Path(tmp))
            shutil.move(str(Path(tmp) / f"{t.id}.pdf"), out)


def convert(src: Path, outdir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("soffice not found (apt-get install -y libreoffice-writer-nogui)")
    profile = outdir / "lo-profile"
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(src),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    if r.returncode != 0 or not (outdir / (src.stem + ".pdf")).exists():
        raise RuntimeError(f"soffice failed for {src.name}: {r.stdout}\n{r.stderr}")


def render(t: Truth, out: Path) -> None:
    DocxRenderer(t).build(out)


# -- the randomised corpus: producer-neutral blocks (model.py) ---------------------------

BLOCK_WEIGHTS = {**WIDTH_WEIGHTS, "remark": 2.2}


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


def _borders(table, edges: dict[str, int]) -> None:
    """Table-level borders (eighths of a point), e.g. only top and bottom (三线表)."""
    tbl_pr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        sz = edges.get(edge, 0)
        el.set(qn("w:val"), "single" if sz else "nil")
        if sz:
            el.set(qn("w:sz"), str(sz))
            el.set(qn("w:color"), "000000")
        b.append(el)
    tbl_pr.append(b)


class BlockDocx(DocxRenderer):
    def __init__(self, style: Style):
        global SONG, HEI
        super().__init__(style_truth(style))
        self.style = style
        SONG = style.font
        HEI = "Noto Sans CJK SC" if style.font.startswith("Noto") else "WenQuanYi Zen Hei"
        st = self.doc.styles["Normal"]
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SONG)

    def para(self, text: str, kind: str = "p"):
        p = super().para(text, kind)
        if kind == "p":
            for r in p.runs:
                r.font.size = Pt(self.style.body_pt)
            p.paragraph_format.line_spacing = Pt(self.style.body_pt * 1.75)
        return p

    def model_table(self, t: Table) -> None:
        rows = t.header + t.body
        size = t.font_pt
        weights = [BLOCK_WEIGHTS[r] for r in t.roles]
        avail = self.avail()
        widths = [int(avail * w / sum(weights)) for w in weights]
        table = self.doc.add_table(rows=len(rows), cols=len(t.roles))
        if t.borders == "grid":
            table.style = "Table Grid"
        elif t.borders == "three_line":
            _borders(table, {"top": 12, "bottom": 12})
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._widths(table, widths)
        for i, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            if not t.row_split:
                tr_pr.append(OxmlElement("w:cantSplit"))
            if i < len(t.header) and t.repeat_header:
                tr_pr.append(OxmlElement("w:tblHeader"))
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                if c is None:
                    continue
                cell = table.cell(i, j)
                if c.rowspan > 1 or c.colspan > 1:
                    cell = cell.merge(table.cell(i + c.rowspan - 1, j + c.colspan - 1))
                self._cell(
                    cell, c.text, size, center=c.align == "c", bold=c.head, lines=c.lines, sup=c.sup
                )
        if t.borders == "three_line" and t.header:
            # the rule under the header row
            for cell in table.rows[len(t.header) - 1].cells:
                tc_pr = cell._tc.get_or_add_tcPr()
                b = OxmlElement("w:tcBorders")
                el = OxmlElement("w:bottom")
                el.set(qn("w:val"), "single")
                el.set(qn("w:sz"), "6")
                b.append(el)
                tc_pr.append(b)

    def build_blocks(self, blocks: list[Block], docx_out: Path, pdf_out: Path) -> None:
        skip_break = False
        for b in blocks:
            if b.kind == "pagebreak":
                if not skip_break:
                    self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                skip_break = False
                continue
            skip_break = False
            if b.kind in ("landscape", "portrait"):
                sec = self.doc.add_section(WD_SECTION.NEW_PAGE)
                self._a4(sec, landscape=b.kind == "landscape")
                skip_break = True  # the section break is the page break
            elif b.kind == "info":
                self.info_table()
            elif b.kind == "table" and b.table is not None:
                self.model_table(b.table)
            elif b.kind == "caption":
                self.para(b.text, "p")
            elif b.kind == "meta":
                p = self.doc.add_paragraph()
                _fonts(p.add_run(b.text), SONG, 11)
            else:
                self.para(b.text, b.kind)
        core = self.doc.core_properties
        core.title, core.author = self.style.title, self.style.park["name"]
        self.doc.save(docx_out)
        with tempfile.TemporaryDirectory(prefix="ecopark-docx-") as tmp:
            src = Path(tmp) / docx_out.name
            shutil.copy(docx_out, src)
            convert(src, Path(tmp))
            shutil.move(str(Path(tmp) / f"{docx_out.stem}.pdf"), pdf_out)
        if self.style.encrypted:
            from samples.generate.post import encrypt_empty_user

            pdf_out.write_bytes(encrypt_empty_user(pdf_out.read_bytes()))


def render_blocks(blocks: list[Block], style: Style, docx_out: Path, pdf_out: Path) -> None:
    BlockDocx(style).build_blocks(blocks, docx_out, pdf_out)
