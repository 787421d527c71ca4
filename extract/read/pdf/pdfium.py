"""The only module that talks to pypdfium2: open a document, read a page's glyphs and
its ruling lines, both already mapped to display space.

Raw pdfium calls are used where the helper API would cost a Python object per glyph:
the first pass reads every page, so this loop is the reader's floor.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.errors import ReadError
from extract.limits import ReadLimits, read_bounded
from extract.read.layout.geom import Char, PageFrame, Ruling, box_to_display, to_display
from extract.read.layout.settings import PdfSettings
from extract.read.pdf.guard import scan

# pdfium inserts these itself between text objects; the reader decides spacing and
# line breaks from geometry instead.
_SKIP_CODES = frozenset((0x0D, 0x0A, 0x02, 0xFFFE))


# pdfium refuses a document whose page tree is empty; say that rather than "damaged".
_EMPTY_PAGE_TREE = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b"
)


def open_document(path: Path, limits: ReadLimits | None = None) -> tuple[Any, list[str]]:
    """Open a PDF (also one encrypted with an empty user password) or raise ReadError.
    Returns the document and warnings about it (active content)."""
    limits = limits or ReadLimits()
    data = read_bounded(path, limits)
    if b"%PDF" not in data[:1024]:
        raise ReadError("not a PDF file (no %PDF header)")
    warnings = scan(data, limits.max_stream_mb * 2**20)
    try:
        # Passing bytes keeps the file closed; the empty password opens PDFs that are
        # encrypted only against editing (owner password), which is common.
        doc = pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as err:
        # pdfium's last-error code is process-wide and not reset by every failure: a
        # worker that just met an encrypted file would call the next broken one
        # encrypted too. Trust a security code only for a file that has an /Encrypt entry.
        code = getattr(err, "err_code", None)
        encrypted = b"/Encrypt" in data
        if encrypted and code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError("encrypted: a password is needed") from err
        if encrypted and code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError("encrypted with an unsupported security handler") from err
        if _EMPTY_PAGE_TREE.search(data):
            raise ReadError("empty PDF: it has no pages") from err
        raise ReadError("damaged or truncated PDF: it cannot be parsed") from err
    if len(doc) == 0:
        doc.close()
        raise ReadError("empty PDF: it has no pages")
    if len(doc) > limits.max_pages:
        n = len(doc)
        doc.close()
        raise ReadError(f"too many pages: {n:,}, the limit is {limits.max_pages:,} (--max-pages)")
    return doc, warnings


def page_frame(page: Any) -> PageFrame:
    left, bottom, right, top = page.get_cropbox()
    return PageFrame(left, bottom, right, top, int(page.get_rotation()) % 360)


def _codes(raw: Any, n: int) -> list[int]:
    """Unicode code of every char index, fetched with one call where pdfium allows.

    ``FPDFText_GetText`` returns UTF-16, one unit per char index unless the page has
    chars beyond the BMP; then fall back to one ``FPDFText_GetUnicode`` per char.
    """
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(raw, 0, n, buf)
    codes = list(buf[:n])
    if got - 1 == n and not any(0xD800 <= c <= 0xDFFF for c in codes):
        return codes
    get_unicode = pdfium_c.FPDFText_GetUnicode
    return [get_unicode(raw, i) for i in range(n)]


def read_chars(textpage: Any, frame: PageFrame) -> tuple[list[Char], int]:
    """All glyphs of a page in content order, plus how many of them pdfium could not map
    to Unicode (a font without a ToUnicode map yields control codes or garbage)."""
    raw = textpage.raw
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    is_generated = pdfium_c.FPDFText_IsGenerated
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    n = max(pdfium_c.FPDFText_CountChars(raw), 0)
    rot = frame.rotation
    fl, ft = frame.left, frame.top
    new = tuple.__new__  # skips NamedTuple's Python-level __new__: this loop is hot
    chars: list[Char] = []
    bad = 0
    for i, code in enumerate(_codes(raw, n) if n else ()):
        if code in _SKIP_CODES:
            continue
        if code == 0x20 and is_generated(raw, i):
            continue
        if not get_box(raw, i, rect_ref):
            continue
        if code < 0x20 or code == 0xFFFD or 0xD800 <= code <= 0xDFFF:
            # No Unicode for this glyph: keep a visible placeholder, count it for triage.
            bad += 1
            text = "\ufffd"
        else:
            text = chr(code)
            # A font without ToUnicode can also yield plausible-looking codes; pdfium
            # knows. Asking for every 4th glyph is enough for a page-level ratio.
            if i % 4 == 0 and map_error(raw, i) == 1:
                bad += 4
        if rot == 0:
            box: tuple[float, float, float, float] = (
                rect.left - fl,
                ft - rect.top,
                rect.right - fl,
                ft - rect.bottom,
            )
        else:
            box = box_to_display(frame, rect.left, rect.bottom, rect.right, rect.top)
        chars.append(new(Char, (text, *box)))
    return chars, bad


Matrix = tuple[float, float, float, float, float, float]


def _matrix(raw_obj: Any) -> Matrix:
    fs = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw_obj, ctypes.byref(fs)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


def _apply(chain: Sequence[Matrix], x: float, y: float) -> tuple[float, float]:
    """Map a point through matrices given innermost first (object, then its forms)."""
    for a, b, c, d, e, f in chain:
        x, y = a * x + c * y + e, b * x + d * y + f
    return x, y


def iter_paths(page: Any, max_depth: int = 8) -> Iterator[tuple[Any, list[Matrix]]]:
    """Raw path objects of a page, also inside Form XObjects, with their matrix chain.

    Raw calls instead of ``PdfPage.get_objects``: that wraps every object (text runs
    included) in a Python helper, which costs more than the paths we want.
    """
    stack: list[tuple[Any, bool, list[Matrix], int]] = [(page.raw, False, [], 0)]
    while stack:
        parent, is_form, chain, depth = stack.pop()
        if is_form:
            n = pdfium_c.FPDFFormObj_CountObjects(parent)
            get = pdfium_c.FPDFFormObj_GetObject
        else:
            n = pdfium_c.FPDFPage_CountObjects(parent)
            get = pdfium_c.FPDFPage_GetObject
        for i in range(max(n, 0)):
            obj = get(parent, i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, [_matrix(obj), *chain]
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                stack.append((obj, True, [_matrix(obj), *chain], depth + 1))


def _is_white(raw_obj: Any, stroke: bool) -> bool:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    get = pdfium_c.FPDFPageObj_GetStrokeColor if stroke else pdfium_c.FPDFPageObj_GetFillColor
    if not get(raw_obj, r, g, b, a):
        return False
    # Invisible (transparent) or white lines separate nothing a reader can see.
    return a.value < 16 or min(r.value, g.value, b.value) > 240


def read_rulings(page: Any, frame: PageFrame, settings: PdfSettings) -> list[Ruling]:
    """Horizontal and vertical rulings from a page's path objects: stroked straight
    segments, and thin filled rectangles (how Word and WPS draw table borders)."""
    out: list[Ruling] = []
    fill_mode = ctypes.c_int()
    stroke = ctypes.c_int()
    px, py = ctypes.c_float(), ctypes.c_float()
    bl, bb, br, bt = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    thick = settings.max_ruling_thickness
    for raw, chain in iter_paths(page):
        if not pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fill_mode), ctypes.byref(stroke)):
            continue
        stroked = bool(stroke.value) and not _is_white(raw, stroke=True)
        filled = fill_mode.value != 0 and not _is_white(raw, stroke=False)
        if not (stroked or filled):
            continue
        # Fast path: a path whose bounds are a thin box is one ruling (per-cell border
        # rectangles and single line segments; Chromium and Word draw hundreds).
        if pdfium_c.FPDFPageObj_GetBounds(raw, bl, bb, br, bt):
            # Bounds already include the object's own matrix; apply its forms' only.
            (x0, y0), (x1, y1) = (
                _apply(chain[1:], bl.value, bb.value),
                _apply(chain[1:], br.value, bt.value),
            )
            box = box_to_display(frame, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            ruling = thin_box_ruling(box, thick)
            if ruling is not None:
                out.append(ruling)
                continue
        # Collect the path's polygon vertices in display space, subpath by subpath.
        subpaths: list[list[tuple[float, float]]] = []
        curved = False
        for k in range(max(pdfium_c.FPDFPath_CountSegments(raw), 0)):
            seg = pdfium_c.FPDFPath_GetPathSegment(raw, k)
            if not seg or not pdfium_c.FPDFPathSegment_GetPoint(
                seg, ctypes.byref(px), ctypes.byref(py)
            ):
                continue
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            pt = to_display(frame, *_apply(chain, px.value, py.value))
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([pt])
            else:
                curved = curved or kind == pdfium_c.FPDF_SEGMENT_BEZIERTO
                subpaths[-1].append(pt)
            if pdfium_c.FPDFPathSegment_GetClose(seg) and subpaths[-1][0] != pt:
                subpaths[-1].append(subpaths[-1][0])
        if curved:
            continue  # rounded boxes and drawings are not table rulings
        for pts in subpaths:
            out.extend(rulings_from_polygon(pts, filled, stroked, thick))
    return out


def thin_box_ruling(box: tuple[float, float, float, float], max_thickness: float) -> Ruling | None:
    """The ruling a thin display-space box draws, if it is thin in exactly one axis."""
    x0, top, x1, bottom = box
    w, h = x1 - x0, bottom - top
    if h <= max_thickness < w:
        return Ruling(False, (top + bottom) / 2, x0, x1)
    if w <= max_thickness < h:
        return Ruling(True, (x0 + x1) / 2, top, bottom)
    return None


def rulings_from_polygon(
    pts: list[tuple[float, float]], filled: bool, stroked: bool, max_thickness: float
) -> list[Ruling]:
    """Rulings drawn by one subpath (display space): a thin filled box is one line along
    its long axis; otherwise each axis-parallel stroked edge is a line."""
    if len(pts) < 2:
        return []
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if filled and len(pts) >= 4:
        if y1 - y0 <= max_thickness and x1 - x0 > y1 - y0:
            return [Ruling(False, (y0 + y1) / 2, x0, x1)]
        if x1 - x0 <= max_thickness and y1 - y0 > x1 - x0:
            return [Ruling(True, (x0 + x1) / 2, y0, y1)]
    if not stroked and not filled:
        return []
    out: list[Ruling] = []
    if filled and pts[0] != pts[-1]:
        pts = [*pts, pts[0]]  # filling closes a path implicitly
    # Filled boxes (cell shading) also outline a cell, so their edges count too.
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        if abs(ay - by) <= 0.5 and abs(ax - bx) > 0.5:
            out.append(Ruling(False, (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= 0.5 and abs(ay - by) > 0.5:
            out.append(Ruling(True, (ax + bx) / 2, min(ay, by), max(ay, by)))
    return out
