"""Hypothesis fuzzing of the Markdown reader and the whole text path: any text, with the
markup converters emit mixed in, gives a SourceDoc and a record — never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.read.markdown import inline_to_text, read_markdown_text
from extract.recover import recover
from normalize.record import build_report
from schemas.checker import check
from schemas.record import SourceInfo
from schemas.standard import load_standard

SEED = (
    Path(__file__).parent.parent / "samples" / "markdown" / "changchun_2018_report.md"
).read_text(encoding="utf-8")
PIECES = st.sampled_from(
    [
        "\t",
        "\n",
        "|",
        "| --- |",
        "<table>",
        "</table>",
        "<tr>",
        "<td rowspan='3'>",
        "<td colspan=99>",
        "</td>",
        "<input checked>",
        "<sup>a</sup>",
        "$\\geq 7$",
        "$",
        "序号",
        "指标",
        "2018年",
        "是否达标",
        "园区名称",
        "☑",
        "☐",
        "—",
        "－0.5",
        "９５．０４",
        "达标",
        "&amp;",
        "&#x2F00;",
        "<script>",
        "\r",
        "国家生态工业示范园区建设评价报告",
        "填报时间：2019年5月19日",
        "亿元",
        "公里",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)
STD = load_standard()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_reader_and_pipeline_never_raise(text: str) -> None:
    doc = read_markdown_text(text)
    raw = recover(doc)
    report = build_report(raw, SourceInfo(path="fuzz.md"), STD)
    check(report, STD)
    assert report.verdict is not None


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(SEED)), st.integers(0, 400), TEXT)
def test_seed_with_a_splice_never_raises(at: int, cut: int, insert: str) -> None:
    text = SEED[:at] + insert + SEED[at + cut :]
    report = build_report(recover(read_markdown_text(text)), SourceInfo(path="f.md"), STD)
    check(report, STD)


@given(st.text(max_size=200))
def test_inline_to_text_never_raises(s: str) -> None:
    assert isinstance(inline_to_text(s), str)
