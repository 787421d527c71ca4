"""Cheap per-page decisions of the first pass: does this page hold a table, and is its
text layer usable at all?"""

from __future__ import annotations

from collections.abc import Sequence

from extract.read.layout.geom import Box, Char

# Words of the annex tables' headers and the 信息公开表's field names. Two hits on a page
# are rare in narrative and common on table pages.
TABLE_KEYWORDS = (
    "序号",
    "指标",
    "要求",
    "是否达标",
    "是否为考核指标",
    "园区名称",
    "通信地址",
    "园区级别",
    "园区类型",
    "邮编",
    "填报时间",
    "分类",
)


def keyword_hits(text: str) -> int:
    """How many distinct table keywords occur in ``text`` (spaces ignored)."""
    flat = "".join(text.split())
    return sum(1 for k in TABLE_KEYWORDS if k in flat)


def is_garbage(n_chars: int, n_bad: int, ratio: float) -> bool:
    """A text layer whose share of unmappable glyphs reaches ``ratio`` is unusable
    (fonts without ToUnicode): treat the page like a scan."""
    return n_chars > 0 and n_bad >= ratio * n_chars


# A picture is worth OCR'ing when it could hold a table: at least this share of the
# page's area and this wide (pt); logos, seals and signatures are smaller.
MIN_PICTURE_AREA_RATIO = 0.06
MIN_PICTURE_WIDTH = 150.0
# A picture under a text layer (a full-page scan with an invisible OCR layer, a
# letterhead background) is already read: at most this many text-layer glyphs per
# 1000 pt² of the picture may lie on it.
MAX_GLYPHS_PER_KPT2_ON_PICTURE = 0.5


def picture_regions(
    images: Sequence[Box], chars: Sequence[Char], page_size: tuple[float, float]
) -> list[Box]:
    """Boxes (display space) of the page's pictures that may hold text no text layer
    carries: big enough for a table, with (almost) no text-layer glyphs on them. Boxes
    are clipped to the page; overlapping pictures become one region."""
    w, h = page_size
    boxes: list[Box] = []
    for x0, top, x1, bottom in images:
        box = (max(0.0, x0), max(0.0, top), min(w, x1), min(h, bottom))
        bw, bh = box[2] - box[0], box[3] - box[1]
        if bw < MIN_PICTURE_WIDTH or bh <= 0 or bw * bh < MIN_PICTURE_AREA_RATIO * w * h:
            continue
        boxes.append(box)
    merged: list[Box] = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        for i, m in enumerate(merged):
            if min(m[2], box[2]) > max(m[0], box[0]) and min(m[3], box[3]) > max(m[1], box[1]):
                merged[i] = (
                    min(m[0], box[0]),
                    min(m[1], box[1]),
                    max(m[2], box[2]),
                    max(m[3], box[3]),
                )
                break
        else:
            merged.append(box)
    out: list[Box] = []
    for x0, top, x1, bottom in merged:
        on = sum(
            1
            for c in chars
            if not c.text.isspace()
            and x0 <= (c.x0 + c.x1) / 2 <= x1
            and top <= (c.top + c.bottom) / 2 <= bottom
        )
        if on <= MAX_GLYPHS_PER_KPT2_ON_PICTURE * (x1 - x0) * (bottom - top) / 1000.0:
            out.append((x0, top, x1, bottom))
    return out


def format_pages(pages: Sequence[int]) -> str:
    """1, 2, 3, 5 → "1-3, 5" (1-based page numbers, for warnings)."""
    out: list[str] = []
    run: list[int] = []
    for p in sorted(pages):
        if run and p == run[-1] + 1:
            run.append(p)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [p]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ", ".join(out)
