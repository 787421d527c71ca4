"""Page images for the crop viewer: each page a value or finding points at, rendered
once (pypdfium2) — the viewer crops and outlines in the browser, so 100 values on one
page cost one render, not 100."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DPI = 110
JPEG_QUALITY = 80


@dataclass(frozen=True)
class PageImage:
    src: str  # relative to the report folder
    width: float  # page width in PDF points, as displayed
    height: float
    scale: float  # image pixels per PDF point


def render_pages(pdf: Path, pages: set[int], dest: Path, prefix: str) -> dict[int, PageImage]:
    """Render the given 1-based pages to JPEG under ``dest``; missing or broken PDFs give
    no images (the report then shows the location without a picture)."""
    import pypdfium2 as pdfium

    out: dict[int, PageImage] = {}
    if not pages:
        return out
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except Exception:
        return out
    try:
        dest.mkdir(parents=True, exist_ok=True)
        scale = DPI / 72
        for n in sorted(pages):
            if not 1 <= n <= len(doc):
                continue
            page = doc[n - 1]
            try:
                width, height = page.get_size()
                image = page.render(scale=scale).to_pil().convert("RGB")
                name = f"{prefix}-p{n}.jpg"
                image.save(dest / name, quality=JPEG_QUALITY)
                out[n] = PageImage(f"{dest.name}/{name}", width, height, scale)
            finally:
                page.close()
    finally:
        doc.close()
    return out
