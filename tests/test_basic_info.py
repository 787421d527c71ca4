"""Ticked boxes of the 信息公开表, whichever side the marks stand on."""

from __future__ import annotations

import pytest

from extract.recover.basic_info import basic_info
from extract.source import Cell, Table


def _table(*rows: list[str]) -> Table:
    return Table([[Cell(t) for t in r] for r in rows])


@pytest.mark.parametrize(
    ("level_row", "type_row", "want"),
    [
        (
            "国家级 ☑ 省级 ☐ 省级以下 ☐",
            "经济技术开发区 ☐ 高新技术产业开发区 ☑ 保税区 ☐",
            ("国家级", "高新技术产业开发区"),
        ),
        (
            "☐国家级 ☑省级 ☐省级以下",
            "☐经济技术开发区 ☐高新技术产业开发区 ☑保税区",
            ("省级", "保税区"),
        ),
        ("国家级√ 省级□ 省级以下□", "经济开发区■ 其他□", ("国家级", "经济开发区")),
    ],
)
def test_ticks_either_side(level_row: str, type_row: str, want: tuple[str, str]) -> None:
    t = _table(
        ["园区名称", "某某经济技术开发区"],  # a type word inside the name is not a tick
        ["通信地址", "某市某路 1 号", "邮编", "100000"],
        ["园区级别", level_row],
        ["园区类型", type_row],
        ["联系方式", "电话 010-12345678\n电子邮箱 a_b@c.cn"],
        ["☐国家生态工业示范园区已命名 ☑国家生态工业示范园区创建中"]
        if level_row.startswith("☐")
        else ["国家生态工业示范园区已命名 ☐ 国家生态工业示范园区创建中 ☑"],
    )
    info = basic_info(t)
    assert (info["level"].text, info["type"].text) == want
    assert info["designation"].text == "创建中"
    assert (info["postcode"].text, info["phone"].text, info["email"].text) == (
        "100000",
        "010-12345678",
        "a_b@c.cn",
    )
    assert info["name"].text == "某某经济技术开发区"
