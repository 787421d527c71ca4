"""Scans in the randomised corpus (issue 13 item 7): a drawn text PDF rasterised with drawn
scan conditions — tilt within ±2° and sometimes the annex pages fed sideways (90°/270°),
150–300 dpi, white, grey or coloured paper, noise, blur, JPEG quality, a red round seal
over the value columns — or kept as a text PDF whose annex pages are pictures (a table
pasted as an image: the narrative keeps its text layer).

The truth is the text document's: a scan prints the same cells. ``layout["scan"]`` records
the scan draws.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from samples.generate.model import Block, Style
from samples.generate.scans import (
    ScanSpec,
    add_stamp,
    degrade,
    jpeg_bytes,
    render_page,
    write_image_pdf,
)

PAPERS: dict[str, int | tuple[int, int, int]] = {
    "white": 255,
    "grey": (228, 228, 228),
    "cream": (246, 238, 218),
    "blue": (226, 236, 246),
}


def draw_scan(rng: random.Random) -> dict[str, Any]:
    return {
        "mode": rng.choice(["full", "full", "full", "picture_in_text"]),
        "dpi": rng.choice([150, 150, 180, 200, 240, 300]),
        "tilt": round(rng.uniform(-2, 2), 2),
        "sideways": rng.choice([None, None, None, None, 90, 270]),
        "paper": rng.choice(["white", "white", "grey", "cream", "blue"]),
        "noise": round(rng.uniform(2, 10), 1),
        "blur": rng.choice([0, 0.4, 0.6, 0.9, 1.2]),
        "jpeg_quality": rng.randint(40, 85),
        "seal": rng.random() < 0.3,
    }


def annex_pages(pdf: pdfium.PdfDocument) -> list[int]:
    """0-based pages from 附件一 up to (not including) the page of 附件二, and the pages of
    the 达标情况 table: the table pages a scan draw treats specially."""
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    start = next((i for i, t in enumerate(texts) if "对照考核表" in t), None)
    end = next((i for i, t in enumerate(texts) if "附件二" in t), len(texts))
    pages = list(range(start, end)) if start is not None else []
    claims = next((i for i, t in enumerate(texts) if "标准达标情况" in t), None)
    if claims is not None:
        pages += [i for i in range(claims, len(texts)) if i not in pages]
    return pages


def page_image(
    page: pdfium.PdfPage, S: dict[str, Any], rng: np.random.Generator, table_page: bool, stamp: str
) -> tuple[Image.Image, bool]:
    colour = (S["paper"] != "white" and S["paper"] != "grey") or (S["seal"] and table_page)
    img = render_page(page, S["dpi"], colour)
    if S["seal"] and table_page:
        img = add_stamp(img, (0.7, rng.uniform(0.3, 0.6)), stamp)
    spec = ScanSpec(dpi=S["dpi"], noise=S["noise"], quality=S["jpeg_quality"])
    paper = PAPERS[S["paper"]]
    img = degrade(img, spec, rng, angle=S["tilt"], blur=S["blur"], paper=paper)
    turned = bool(S["sideways"]) and table_page
    if turned:
        img = img.rotate(S["sideways"], expand=True)
    return img, turned


Render = Callable[[dict[str, Any], list[Block], Style, Path], list[Path]]


def scan_document(
    seed: int,
    i: int,
    truth: dict[str, Any],
    blocks: list[Block],
    style: Style,
    outdir: Path,
    render: Render,
) -> Path:
    """Document ``i`` printed by ``render`` (the corpus's producers), then scanned."""
    rng = random.Random(f"{seed}:{i}:scan")
    S = draw_scan(rng)
    nrng = np.random.default_rng(rng.randrange(2**32))
    out = outdir / f"{truth['id']}.pdf"
    with tempfile.TemporaryDirectory(prefix="ecopark-scan-") as tmp:
        render(truth, blocks, style, Path(tmp))
        src = pdfium.PdfDocument(str(Path(tmp) / f"{truth['id']}.pdf"))
        try:
            tables = set(annex_pages(src))
            if S["mode"] == "full":
                pages = []
                for k in range(len(src)):
                    page = src[k]
                    w, h = page.get_size()
                    img, turned = page_image(page, S, nrng, k in tables, truth["park"]["name"])
                    page.close()
                    pages.append(
                        (jpeg_bytes(img, S["jpeg_quality"]), *((h, w) if turned else (w, h)))
                    )
                write_image_pdf(pages, out)
            else:
                S["sideways"] = None
                doc = pdfium.PdfDocument.new()
                doc.import_pages(src, [k for k in range(len(src)) if k not in tables])
                for k in sorted(tables):
                    page = src[k]
                    w, h = page.get_size()
                    img, _ = page_image(page, S, nrng, True, truth["park"]["name"])
                    page.close()
                    new = doc.new_page(w, h, index=k)
                    image = pdfium.PdfImage.new(doc)
                    image.load_jpeg(io.BytesIO(jpeg_bytes(img, S["jpeg_quality"])), inline=True)
                    image.set_matrix(pdfium.PdfMatrix().scale(w, h))
                    new.insert_obj(image)
                    new.gen_content()
                    new.close()
                doc.save(str(out))
                doc.close()
            S["table_pages"] = [k + 1 for k in sorted(tables)]
        finally:
            src.close()
    truth["family"] = "E"
    truth["layout"]["scan"] = S
    (outdir / f"{truth['id']}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return out
