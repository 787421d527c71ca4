"""Scan variations made on the fly from the committed samples, with the scan sample
generator's own tools (samples/generate/scans.py): a page fed sideways, and a text PDF
whose annex table is a picture. Used by tests (one or two pages) and bench_ocr."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from extract.read.pdf.reader import read_pdf
from samples.generate.scans import (
    ScanSpec,
    degrade,
    jpeg_bytes,
    render_page,
    rng_for,
    write_image_pdf,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "pdf"
# PIL's transpose for a page turned clockwise by this many degrees.
_TURN = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def sideways_scan(
    src: Path, out: Path, pages: Iterable[int], turn: int, spec: ScanSpec | None = None
) -> Path:
    """An image-only PDF of ``pages`` (1-based) of ``src``, each scanned turned clockwise
    by ``turn`` degrees (90/180/270) and stored that way: a sheet fed sideways."""
    spec = spec or ScanSpec(dpi=200, max_tilt=0.8)
    rng = rng_for(f"{src.stem}-{turn}")
    doc = pdfium.PdfDocument(str(src))
    images: list[tuple[bytes, float, float]] = []
    try:
        for p in pages:
            page = doc[p - 1]
            w, h = page.get_size()
            img = degrade(render_page(page, spec.dpi, colour=False), spec, rng)
            page.close()
            img = img.transpose(_TURN[turn])
            if turn in (90, 270):
                w, h = h, w
            images.append((jpeg_bytes(img, spec.quality), w, h))
    finally:
        doc.close()
    write_image_pdf(images, out)
    return out


def pasted_table(
    src: Path, out: Path, pages: Iterable[int], spec: ScanSpec | None = None
) -> dict[int, tuple[float, float, float, float]]:
    """``src`` with the tables of ``pages`` (1-based) replaced by a scanned picture of
    them: the glyphs and rulings inside each table's box are removed and a degraded
    image of that box is placed where it was; text around it keeps its text layer.
    Returns each page's picture box (display space, pt)."""
    spec = spec or ScanSpec(dpi=200, max_tilt=0.5)
    rng = rng_for(f"pasted-{src.stem}")
    wanted = set(pages)
    boxes: dict[int, tuple[float, float, float, float]] = {}
    for t in read_pdf(src).tables:
        if t.loc.page in wanted and t.loc.bbox is not None:
            x0, y0, x1, y1 = t.loc.bbox
            old = boxes.get(t.loc.page, t.loc.bbox)
            boxes[t.loc.page] = (min(old[0], x0), min(old[1], y0), max(old[2], x1), max(old[3], y1))
    doc = pdfium.PdfDocument(str(src))
    try:
        for p, (x0, top, x1, bottom) in boxes.items():
            x0, top, x1, bottom = x0 - 2, top - 2, x1 + 2, bottom + 2
            boxes[p] = (x0, top, x1, bottom)
            page = doc[p - 1]
            _, h = page.get_size()
            k = spec.dpi / 72
            full = render_page(page, spec.dpi, colour=False)
            crop = full.crop((int(x0 * k), int(top * k), int(x1 * k), int(bottom * k)))
            img = degrade(crop, spec, rng)
            doomed = []
            for obj in page.get_objects():
                if obj.type not in (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH):
                    continue
                left, b, right, t = obj.get_bounds()
                cx, cy = (left + right) / 2, h - (b + t) / 2
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    doomed.append(obj)
            for obj in doomed:
                page.remove_obj(obj)
            image = pdfium.PdfImage.new(doc)
            image.load_jpeg(io.BytesIO(jpeg_bytes(img, spec.quality)), inline=True)
            image.set_matrix(
                pdfium.PdfMatrix().scale(x1 - x0, bottom - top).translate(x0, h - bottom)
            )
            page.insert_obj(image)
            page.gen_content()
            page.close()
        doc.save(str(out))
    finally:
        doc.close()
    return boxes
