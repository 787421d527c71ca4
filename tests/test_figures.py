"""Headline figures read from narrative sentences (extract/recover/figures.py)."""

from __future__ import annotations

from extract.recover.figures import figure_mentions
from extract.source import Line, Loc


def _figures(text: str) -> list[tuple[str, str, str]]:
    return [(f.key, f.number, f.unit) for f in figure_mentions([Line(text, Loc(page=1))], 2020)]


def test_amounts_with_and_without_thousands_separators() -> None:
    got = _figures("园区实现生产总值87.93亿元；全年完成固定资产投资额8,458,400万元。")
    assert got == [("gdp", "87.93", "亿元"), ("fixed_asset_investment", "8,458,400", "万元")]


def test_a_misread_grouping_gives_no_figure_rather_than_its_tail() -> None:
    # OCR lost the first comma of 8,458,400: the amount is not 458,400 万元 (the label's
    # gap must not swallow the leading digits); no figure is better than a wrong one.
    assert _figures("全年完成固定资产投资额8458,400万元，同比增长13.9%。") == []
    assert _figures("完成固定资产投资额为 12.5亿元。") == [
        ("fixed_asset_investment", "12.5", "亿元")
    ]
