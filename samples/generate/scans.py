"""Scanned versions of some samples: samples/scans/NAME_scan.pdf (+ .truth.json).

Each page of samples/pdf/NAME.pdf is rasterised, tilted by up to 2°, given sensor
noise and JPEG loss, and saved as an image-only PDF (no text layer). One report gets a
red round stamp over part of its indicator table, kept in colour; every other page is
grayscale to keep the files small. The truth is the source's, with id, producer and
layouts adjusted: a scan prints the same cells.

Mixed reports (MIXED): samples/scans/mixed_NAME.pdf keeps the source's pages with their
text layer and replaces the annex pages by scanned images (an annex printed, signed and
scanned back in), so one file needs both readers.

    python -m samples.generate.scans            # all of SCANS and MIXED
    python -m samples.generate.scans NAME ...   # some (source sample ids)

Deterministic: the random tilt and noise are seeded by the sample id.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
PDF_DIR = ROOT / "pdf"
SCAN_DIR = ROOT / "scans"
STAMP_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


@dataclass(frozen=True, slots=True)
class ScanSpec:
    """How one sample is scanned. ``stamp_page`` (1-based) gets the red stamp at
    ``stamp_at`` (centre as a share of page width/height)."""

    dpi: int
    max_tilt: float = 2.0
    noise: float = 6.0
    quality: int = 65
    stamp_page: int | None = None
    stamp_at: tuple[float, float] = (0.72, 0.40)


# Different producers and table layouts: Word (merged categories, the seed), reportlab
# (header repeated over a page break), Chromium (borderless, CID fonts / Kangxi radicals).
SCANS: dict[str, ScanSpec] = {
    "changchun_2018": ScanSpec(dpi=200, stamp_page=6),
    "tianjin_binhe_2017": ScanSpec(dpi=180),
    "hebei_bohai_2019": ScanSpec(dpi=170),
    "beijing_chaobai_2021": ScanSpec(dpi=160),
    "foshan_nanjiang_2022": ScanSpec(dpi=150),
}


# Source sample → its pages (1-based) that are scanned in the mixed report. Nanchang is
# the 15-page report: narrative pp. 1-10 keep their text, the annexes pp. 11-15 are images.
MIXED: dict[str, tuple[ScanSpec, tuple[int, ...]]] = {
    "nanchang_ganxi_2021": (ScanSpec(dpi=170), (11, 12, 13, 14, 15)),
}


def rng_for(name: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(name.encode()))


def render_page(page: pdfium.PdfPage, dpi: int, colour: bool) -> Image.Image:
    img = page.render(scale=dpi / 72, grayscale=not colour).to_pil()
    return img.convert("RGB" if colour else "L")


def red_stamp(size: int, text: str) -> Image.Image:
    """An RGBA round seal: double ring, star and the organisation name along the top."""
    stamp = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(stamp)
    red = (215, 35, 40, 190)
    w = max(3, size // 45)
    d.ellipse((w, w, size - w, size - w), outline=red, width=w)
    c, r = size / 2, size * 0.13
    star = [
        (
            c + (r if k % 2 == 0 else r * 0.4) * math.sin(k * math.pi / 5),
            c - (r if k % 2 == 0 else r * 0.4) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]
    d.polygon(star, fill=red)
    if STAMP_FONT.exists():
        font = ImageFont.truetype(str(STAMP_FONT), size // 9)
        n = len(text)
        for k, ch in enumerate(text):
            a = math.radians(-120 + 240 * k / max(n - 1, 1))
            x = c + size * 0.34 * math.sin(a)
            y = c - size * 0.34 * math.cos(a)
            glyph = Image.new("RGBA", (size // 8, size // 8), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((0, 0), ch, font=font, fill=red)
            glyph = glyph.rotate(-math.degrees(a), resample=Image.Resampling.BICUBIC)
            stamp.alpha_composite(glyph, (int(x - size / 16), int(y - size / 16)))
        ImageDraw.Draw(stamp).text(
            (c - size * 0.22, c + size * 0.2), "评价专用章", font=font, fill=red
        )
    return stamp


def add_stamp(img: Image.Image, at: tuple[float, float], text: str) -> Image.Image:
    """Multiply the seal onto the page: inks are subtractive, so black print under the
    red seal stays black (an alpha "over" would turn it red and erase it)."""
    size = int(img.width * 0.26)
    stamp = red_stamp(size, text)
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    layer.alpha_composite(
        stamp, (int(img.width * at[0] - size / 2), int(img.height * at[1] - size / 2))
    )
    rgba = np.asarray(layer).astype(np.float32) / 255.0
    alpha = rgba[..., 3:4]
    tint = 1.0 - alpha + alpha * rgba[..., :3]
    base = np.asarray(img.convert("RGB")).astype(np.float32)
    return Image.fromarray(np.clip(base * tint, 0, 255).astype(np.uint8))


def degrade(
    img: Image.Image,
    spec: ScanSpec,
    rng: np.random.Generator,
    *,
    angle: float | None = None,
    blur: float = 0.6,
    paper: int | tuple[int, int, int] = 255,
) -> Image.Image:
    """Tilt (``angle`` degrees, else drawn up to ``spec.max_tilt``), a touch of blur (scanner
    optics), gaussian noise and a few specks; ``paper`` tints the white of the page (grey or
    coloured stock: multiplied, so the ink stays dark)."""
    if angle is None:
        angle = float(rng.uniform(-spec.max_tilt, spec.max_tilt))
    if paper != 255:
        tint = np.asarray(paper, dtype=np.float32) / 255.0
        arr0 = np.asarray(img).astype(np.float32)
        arr0 = arr0 * (tint if arr0.ndim == 3 else float(np.mean(tint)))
        img = Image.fromarray(np.clip(arr0, 0, 255).astype(np.uint8))
    corner = img.getpixel((0, 0))
    fill: int | tuple[int, int, int] = corner if isinstance(corner, (int, tuple)) else 255  # type: ignore[assignment]
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    arr = np.asarray(img).astype(np.float32)
    noise = rng.normal(0.0, spec.noise, arr.shape[:2]).astype(np.float32)
    arr = arr + (noise[..., None] if arr.ndim == 3 else noise)
    specks = rng.random(arr.shape[:2]) < 0.0004
    arr[specks] = 60.0
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def jpeg_bytes(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def write_image_pdf(pages: list[tuple[bytes, float, float]], out: Path) -> None:
    """An image-only PDF: each JPEG embedded as is (DCTDecode), filling its page."""
    pdf = pdfium.PdfDocument.new()
    for data, w_pt, h_pt in pages:
        page = pdf.new_page(w_pt, h_pt)
        image = pdfium.PdfImage.new(pdf)
        image.load_jpeg(io.BytesIO(data), inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(w_pt, h_pt))
        page.insert_obj(image)
        page.gen_content()
        page.close()
    pdf.save(str(out))
    pdf.close()


def scan_truth(name: str) -> dict[str, object]:
    truth: dict[str, object] = json.loads((PDF_DIR / f"{name}.truth.json").read_text("utf-8"))
    layouts = [str(x) for x in truth.get("layouts", []) if isinstance(x, str)]  # type: ignore[union-attr]
    spec = SCANS[name]
    extra = ["scanned", f"dpi_{spec.dpi}", "tilt", "jpeg"]
    if spec.stamp_page:
        extra.append("red_stamp_over_table")
    truth["id"] = f"{name}_scan"
    truth["producer"] = f"scan-of-{truth['producer']}"
    truth["source_sample"] = name
    truth["layouts"] = layouts + extra
    return truth


def scan_one(name: str) -> Path:
    spec = SCANS[name]
    rng = rng_for(name)
    src = pdfium.PdfDocument(str(PDF_DIR / f"{name}.pdf"))
    truth = json.loads((PDF_DIR / f"{name}.truth.json").read_text("utf-8"))
    pages: list[tuple[bytes, float, float]] = []
    try:
        for i in range(len(src)):
            page = src[i]
            w_pt, h_pt = page.get_size()
            colour = spec.stamp_page == i + 1
            img = render_page(page, spec.dpi, colour)
            page.close()
            if colour:
                img = add_stamp(img, spec.stamp_at, truth["park"]["name"])
            img = degrade(img, spec, rng)
            pages.append((jpeg_bytes(img, spec.quality), w_pt, h_pt))
    finally:
        src.close()
    SCAN_DIR.mkdir(exist_ok=True)
    out = SCAN_DIR / f"{name}_scan.pdf"
    write_image_pdf(pages, out)
    text = json.dumps(scan_truth(name), ensure_ascii=False, indent=1) + "\n"
    (SCAN_DIR / f"{name}_scan.truth.json").write_text(text, encoding="utf-8")
    return out


def mixed_truth(name: str) -> dict[str, object]:
    truth: dict[str, object] = json.loads((PDF_DIR / f"{name}.truth.json").read_text("utf-8"))
    layouts = [str(x) for x in truth.get("layouts", []) if isinstance(x, str)]  # type: ignore[union-attr]
    spec, pages = MIXED[name]
    truth["id"] = f"mixed_{name}"
    truth["producer"] = f"mixed-{truth['producer']}-and-scan"
    truth["source_sample"] = name
    truth["scanned_pages"] = list(pages)
    truth["layouts"] = [*layouts, "mixed_text_and_scan", f"dpi_{spec.dpi}", "tilt", "jpeg"]
    return truth


def mixed_one(name: str) -> Path:
    """The source PDF with the pages in MIXED[name] replaced by degraded page images."""
    spec, scanned = MIXED[name]
    rng = rng_for(f"mixed_{name}")
    src = pdfium.PdfDocument(str(PDF_DIR / f"{name}.pdf"))
    out_pdf = pdfium.PdfDocument.new()
    try:
        # Text pages in one import (one call per page would copy the fonts each time),
        # then each image page inserted at its place, in page order.
        out_pdf.import_pages(src, [i for i in range(len(src)) if i + 1 not in scanned])
        for i in sorted(p - 1 for p in scanned):
            page = src[i]
            w_pt, h_pt = page.get_size()
            img = degrade(render_page(page, spec.dpi, colour=False), spec, rng)
            page.close()
            new = out_pdf.new_page(w_pt, h_pt, index=i)
            image = pdfium.PdfImage.new(out_pdf)
            image.load_jpeg(io.BytesIO(jpeg_bytes(img, spec.quality)), inline=True)
            image.set_matrix(pdfium.PdfMatrix().scale(w_pt, h_pt))
            new.insert_obj(image)
            new.gen_content()
            new.close()
        SCAN_DIR.mkdir(exist_ok=True)
        out = SCAN_DIR / f"mixed_{name}.pdf"
        out_pdf.save(str(out))
    finally:
        out_pdf.close()
        src.close()
    text = json.dumps(mixed_truth(name), ensure_ascii=False, indent=1) + "\n"
    (SCAN_DIR / f"mixed_{name}.truth.json").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    known = [*SCANS, *MIXED]
    ap.add_argument("names", nargs="*", help=f"source sample ids (default: {', '.join(known)})")
    args = ap.parse_args(argv)
    for name in args.names or known:
        if name not in known:
            print(f"{name}: not a scan sample (one of {', '.join(known)})", file=sys.stderr)
            return 2
        outs = ([scan_one(name)] if name in SCANS else []) + (
            [mixed_one(name)] if name in MIXED else []
        )
        for out in outs:
            print(f"{out.relative_to(ROOT.parent)}  {out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
