"""Cheap per-page decisions of the first pass: does this page hold a table, and is its
text layer usable at all?"""

from __future__ import annotations

from collections.abc import Sequence

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
