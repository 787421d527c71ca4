"""Page images for the crop viewer: each page a value or finding points at, rendered
once (pypdfium2) — the viewer crops and outlines in the browser, so 100 values on one
page cost one render, not 100.

Pages are drawn in a worker process under the batch limits (time, memory), never in the
process that writes the report: a hostile or huge PDF costs that worker, not the report.
An image is also capped in pixels, so a 7200 x 7200 pt page is drawn smaller instead
of taking gigabytes.
"""

from __future__ import annotations

import atexit
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ecopark.pool import Limits, OneWorker

DPI = 110
JPEG_QUALITY = 80
MAX_PIXELS = 16_000_000  # per page image: about 64 MB while pdfium draws it


@dataclass(frozen=True)
class PageImage:
    src: str  # relative to the report folder
    width: float  # page width in PDF points, as displayed
    height: float
    scale: float  # image pixels per PDF point


_worker: OneWorker | None = None


def render_pages(
    pdf: Path, pages: set[int], dest: Path, prefix: str, limits: Limits | None = None
) -> dict[int, PageImage]:
    """Render the given 1-based pages to JPEG under ``dest`` in the drawing worker; a
    missing or broken PDF, or one over the limits, gives no images (the report then
    shows the location without a picture)."""
    global _worker
    if not pages:
        return {}
    if _worker is None or limits is not None:
        if _worker is not None:
            _worker.close()
        _worker = OneWorker(_render_task, limits or Limits())
        atexit.register(_worker.close)
    task = json.dumps(
        {"pdf": str(pdf), "pages": sorted(pages), "dest": str(dest), "prefix": prefix}
    )
    outcome = _worker.call(task)
    if not isinstance(outcome.result, str):
        return {}
    return {int(n): PageImage(**v) for n, v in json.loads(outcome.result).items()}


def _render_task(task: str) -> str:
    t = json.loads(task)
    images = render_pages_here(Path(t["pdf"]), set(t["pages"]), Path(t["dest"]), t["prefix"])
    return json.dumps({n: asdict(img) for n, img in images.items()})


def render_pages_here(pdf: Path, pages: set[int], dest: Path, prefix: str) -> dict[int, PageImage]:
    """Render in this process (the worker's side of ``render_pages``)."""
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
        for n in sorted(pages):
            if not 1 <= n <= len(doc):
                continue
            page = doc[n - 1]
            try:
                width, height = page.get_size()
                scale = DPI / 72
                if width * height * scale**2 > MAX_PIXELS:
                    scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
                image = page.render(scale=scale).to_pil().convert("RGB")
                name = f"{prefix}-p{n}.jpg"
                image.save(dest / name, quality=JPEG_QUALITY)
                out[n] = PageImage(f"{dest.name}/{name}", width, height, scale)
            finally:
                page.close()
    finally:
        doc.close()
    return out
