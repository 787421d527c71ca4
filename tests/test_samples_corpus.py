"""The sample corpus (samples/pdf) is complete and every PDF opens.

Truth files are hand-authored ground truth; the PDFs are rendered from them by
``python -m samples.generate``.  This test does not re-render anything.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "pdf"
NARRATIVES = SAMPLES.parent / "generate" / "narratives"
TRUTHS = sorted(SAMPLES.glob("*.truth.json"))

FIXED_COLUMNS = {"分类", "序号", "指标", "单位", "要求", "是否为考核指标", "目标值", "是否达标"}
PARK_FIELDS = ("name", "address", "postcode", "phone", "email", "level", "type", "designation")
LEVELS = {"国家级", "省级", "省级以下"}
TYPES = {
    "经济技术开发区",
    "高新技术产业开发区",
    "保税区",
    "出口加工区",
    "边境经济合作区",
    "经济开发区",
    "其他",
}
FIGURE_KEYS = {
    "gdp",
    "industrial_output",
    "fixed_asset_investment",
    "fiscal_revenue",
    "industrial_value_added",
}
# CJK Radicals Supplement code points used by the samples; NFKC leaves these alone
# (it does fold the Kangxi radicals U+2F00–U+2FD5).
RADICALS_SUPPLEMENT = str.maketrans(
    {"⻓": "长", "⻔": "门", "⻋": "车", "⻅": "见", "⻄": "西", "⻛": "风"}
)


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).translate(RADICALS_SUPPLEMENT).split())


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_corpus_size():
    assert len(TRUTHS) >= 16
    total = sum(f.stat().st_size for f in SAMPLES.parent.rglob("*") if f.is_file())
    assert total < 20 * 1024 * 1024


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_truth_complete(path: Path):
    t = load(path)
    assert t["id"] == path.name.removesuffix(".truth.json")
    assert t["producer"] in {"reportlab", "docx-libreoffice", "html-chromium"}
    assert 2016 <= t["report_year"] <= 2023
    assert str(t["report_year"]) in t["title"]
    for f in PARK_FIELDS:
        assert t["park"].get(f), f"park.{f} missing"
    assert t["park"]["level"] in LEVELS and t["park"]["type"] in TYPES
    assert t["park"]["designation"] in {"已命名", "创建中"}
    years = [str(c["year"]) for c in t["year_columns"]]
    assert str(t["report_year"]) in years
    headers = {c["header"] for c in t["year_columns"]}
    assert headers <= set(t["table_columns"])
    assert set(t["table_columns"]) <= headers | FIXED_COLUMNS
    assert ("是否达标" in t["table_columns"]) == ("claim_in_annex" in t["layouts"])
    assert bool(t.get("year_group_header")) == ("two_row_header" in t["layouts"])
    inds = t["indicators"]
    assert [i["number"] for i in inds] == list(range(1, 33))
    for i in inds:
        for key in ("name", "unit", "requirement", "claim"):
            assert i.get(key), (i["number"], key)
        assert i["claim"] in {"是", "否"}
        assert i["assessed"] in {"是", "否", "必选", None}
        assert sorted(i["values"]) == sorted(years), i["number"]
        assert all(v.strip() for v in i["values"].values()), i["number"]
        assert set(i.get("printed", {})) <= set(years)
    assert ("是否为考核指标" in t["table_columns"]) == (inds[0]["assessed"] is not None)
    figs = t["figures"]
    assert (
        {"gdp", "industrial_output", "fixed_asset_investment", "fiscal_revenue"}
        <= set(figs)
        <= FIGURE_KEYS
    )
    for f in figs.values():
        assert f["unit"] in {"亿元", "万元"}
        assert str(f["value"]) in f["sentence"] and f["label"] in f["sentence"]
    md = NARRATIVES / f"{t['id']}.md"
    if md.exists():  # a hand-written narrative states the truth's figures sentence
        prose = md.read_text(encoding="utf-8")
        for f in figs.values():
            assert f["sentence"] in prose


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_pdf_opens(path: Path):
    t = load(path)
    pdf_path = SAMPLES / f"{t['id']}.pdf"
    pdf = pdfium.PdfDocument(str(pdf_path))  # encrypted samples have an empty user password
    try:
        assert 3 <= len(pdf) <= 15
        if "long_narrative" in t["layouts"]:
            assert len(pdf) == 15
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    folded = fold(text)
    assert fold(t["park"]["name"]) in folded
    assert fold(t["title"]) in folded
    if "tick_before_option" in t["layouts"]:  # √国家级 □省级 □省级以下: the mark precedes
        assert fold("√" + t["park"]["level"]) in folded
