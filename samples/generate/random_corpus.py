"""The randomised corpus (issue 12): truth drawn at random, printed through drawn layouts.

    python -m samples.generate.random_corpus --seed 7 --count 300 --out /tmp/rc
    python -m samples.generate.random_corpus --seed 7 --count 300 --out /tmp/rc --only 12 40
    python -m samples.generate.random_corpus --seed 7 --count 60 --out /tmp/rcs --scans

Deterministic by seed: document i is drawn from its own ``random.Random(f"{seed}:{i}")``,
so one document regenerates alone (``--only``) and comes out the same. Writes
DIR/NAME.pdf or DIR/NAME.md, DIR/NAME.docx for the Word-produced ones (the Word input with
the same truth), and DIR/NAME.truth.json in the validation set's truth format (score.py
scores it unchanged); ``layout`` records every draw. Families: A docx→LibreOffice,
B HTML→Chromium, C reportlab, D borderless (any of the three), F converter Markdown,
E scans of A–D (``--scans``).

Needs the generator's tools (samples/README.md): reportlab, python-docx, pypdf; Debian's
fonts-wqy-zenhei fonts-arphic-uming fonts-noto-cjk libreoffice-writer-nogui chromium.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from samples.generate import draw, layout, prose
from samples.generate.model import Block, Style

TEXT_PRODUCERS = layout.PRODUCERS


def family(L: dict[str, Any]) -> str:
    p = L["producer"]
    if p.startswith("md_"):
        return "F"
    if L["encrypted"] or L["kangxi"]:
        return "X"
    if L["borders"] == "none":
        return "D"
    return {"docx": "A", "html": "B", "reportlab": "C"}[p]


def build(
    seed: int, i: int, producers: list[str] | None = None
) -> tuple[dict[str, Any], list[Block], Style]:
    """Truth, blocks and style of document ``i`` of ``seed`` (no files written)."""
    rng = random.Random(f"{seed}:{i}")
    doc_id = f"r{seed}_{i:04d}"
    truth = draw.draw_truth(rng, doc_id)
    L = layout.draw_layout(rng, rng.choice(producers) if producers else None)
    layout.apply_to_truth(rng, L, truth)
    draw.finish_truth(rng, truth, L["claims"] != "none", L["n_errors"])
    y = truth["report_year"]
    park = truth["park"]
    title_style = rng.randrange(3)
    title = [
        f"{y}年国家生态工业示范园区建设评价报告",
        f"{park['name']}{y}年度国家生态工业示范园区建设评价报告",
        f"国家生态工业示范园区{y}年度建设评价报告",
    ][title_style]
    L["title_style"] = title_style
    blocks: list[Block] = [Block("cover", park["name"]), Block("title", title)]
    blocks += prose.front_blocks(rng, L, truth)
    # landscape/portrait switch the page size from the next page on; the break follows
    if L["landscape"]:
        blocks.append(Block("landscape"))
    blocks.append(Block("pagebreak"))
    blocks.append(Block("annex", "附件一：对照考核表"))
    blocks.append(Block("tabtitle", "国家生态工业示范园区对照考核表"))
    filled = f"{y + 1}年{rng.randint(1, 6)}月{rng.randint(1, 28)}日"
    blocks.append(Block("meta", f"园区名称：{park['name']}　　　　填报时间：{filled}"))
    state: dict[str, Any] = {}
    runs = layout.split_orders(rng, L, L["order"], truth)
    for k, run in enumerate(runs):
        if k:
            if L["split"] == "two_tables":
                blocks.append(Block("p", "注：以上为经济发展与产业共生类指标，其余指标见下表。"))
                blocks.append(Block("pagebreak"))
            else:
                blocks.append(Block("caption", L["continued_caption"]))
        blocks.append(
            Block("table", table=layout.make_table(rng, L, truth, run, state, claims_table=False))
        )
    if L["landscape"]:
        blocks.append(Block("portrait"))
    blocks.append(Block("pagebreak"))
    blocks.append(Block("annex", "附件二：国家生态工业示范园区建设年度评价报告信息公开表"))
    blocks.append(Block("info"))
    blocks.append(Block("h1", "二、国家生态工业示范园区建设进展（当年）"))
    blocks += prose.progress_blocks(rng)
    if L["claims"] == "separate":
        blocks.append(Block("h1", "三、国家生态工业示范园区标准达标情况"))
        blocks.append(
            Block(
                "table", table=layout.make_table(rng, L, truth, L["order"], {}, claims_table=True)
            )
        )
    for ind in truth["indicators"]:
        ind["display"] = {k: ind["display"][k] for k in sorted(ind["display"])}
    truth["family"] = family(L)
    truth["layout"] = L
    style = Style(
        font=L["font"],
        body_pt=L["body_pt"],
        table_pt=L["table_pt"],
        title=title,
        park={**park, "designation": park["named"]},
        filled_on=filled,
        year=y,
        tags=[
            t
            for t, on in (
                ("borderless", L["borders"] == "none"),
                ("page_header_footer", L["page_header_footer"]),
                ("kangxi_radicals", L["kangxi"]),
            )
            if on
        ],
        encrypted=L["encrypted"],
        md_latex=L["md_latex"],
        md_checkbox=L["md_checkbox"],
    )
    return truth, blocks, style


def render(truth: dict[str, Any], blocks: list[Block], style: Style, out: Path) -> list[Path]:
    """Print one document into ``out``; returns the files written (truth last)."""
    p = truth["layout"]["producer"]
    stem = out / truth["id"]
    files: list[Path] = []
    if p == "reportlab":
        from samples.generate.render_reportlab import render_blocks

        render_blocks(blocks, style, stem.with_suffix(".pdf"))
        files.append(stem.with_suffix(".pdf"))
    elif p == "html":
        from samples.generate.render_html import render_blocks as html_blocks

        html_blocks(blocks, style, stem.with_suffix(".pdf"))
        files.append(stem.with_suffix(".pdf"))
    elif p == "docx":
        from samples.generate.render_docx import render_blocks as docx_blocks

        docx_blocks(blocks, style, stem.with_suffix(".docx"), stem.with_suffix(".pdf"))
        files += [stem.with_suffix(".docx"), stem.with_suffix(".pdf")]
    else:
        from samples.generate.render_markdown import render_blocks as md_blocks

        md_blocks(blocks, style, p[3:], stem.with_suffix(".md"), random.Random(truth["id"]))
        files.append(stem.with_suffix(".md"))
    tp = stem.with_suffix(".truth.json")
    tp.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    files.append(tp)
    return files


def make_one(args: tuple[int, int, list[str] | None, str, bool]) -> tuple[str, float, str]:
    seed, i, producers, out, scans = args
    t0 = time.perf_counter()
    try:
        pdf_producers = [
            p for p in (producers or ["docx", "html", "reportlab"]) if not p.startswith("md_")
        ]
        truth, blocks, style = build(seed, i, pdf_producers if scans else producers)
        outdir = Path(out)
        if scans:
            from samples.generate.scan_random import scan_document

            scan_document(seed, i, truth, blocks, style, outdir, render)
        else:
            render(truth, blocks, style, outdir)
        return truth["id"], time.perf_counter() - t0, ""
    except Exception as e:  # one bad draw must not stop the corpus; it is reported
        return f"r{seed}_{i:04d}", time.perf_counter() - t0, f"{type(e).__name__}: {e}"


def generate(
    seed: int,
    count: int,
    out: Path,
    producers: list[str] | None = None,
    *,
    scans: bool = False,
    only: list[int] | None = None,
    workers: int = 2,
    quiet: bool = False,
) -> list[str]:
    """Write the corpus; returns the error lines (empty when every document was made)."""
    out.mkdir(parents=True, exist_ok=True)
    todo = [(seed, i, producers, str(out), scans) for i in (only or range(count))]
    errors: list[str] = []
    with ProcessPoolExecutor(max_workers=max(1, workers)) as ex:
        for doc_id, secs, err in ex.map(make_one, todo):
            if err:
                errors.append(f"{doc_id}: {err}")
            if not quiet:
                print(f"{doc_id}  {secs:.1f}s  {err or 'ok'}", flush=True)
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--producers", nargs="+", choices=TEXT_PRODUCERS, help="draw only these producers"
    )
    ap.add_argument(
        "--scans", action="store_true", help="rasterise each document (issue 13 item 7)"
    )
    ap.add_argument("--only", type=int, nargs="+", help="regenerate these document indexes")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    errors = generate(
        a.seed, a.count, a.out, a.producers, scans=a.scans, only=a.only, workers=a.workers
    )
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
