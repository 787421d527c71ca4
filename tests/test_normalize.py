"""normalize/: table-driven cases from the seed, and properties over arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.labels import MATCH_THRESHOLD, assign, match_row, split_footnote
from normalize.region import region_of
from normalize.units import money_to_yi, same_unit
from schemas.numbers import parse_int, parse_serial, parse_value, parse_yes_no
from schemas.standard import load_standard
from schemas.text import clean, clean_requirement, fold_chars, key

STD = load_standard()


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("经 济 发 展", "经济发展"),
        ("亿元/平 方公里", "亿元/平方公里"),
        ("单位工业增加值二氧化碳 排放量年均削减率", "单位工业增加值二氧化碳排放量年均削减率"),
        ("是否为考 核指标", "是否为考核指标"),
        ("单位工业增加值二氧化碳\n排放量年均削减率", "单位工业增加值二氧化碳排放量年均削减率"),
        ("⽤⽔", "用水"),  # Kangxi radicals
        ("⻓春", "长春"),  # CJK radicals supplement, which NFKC leaves alone
        ("９５．０４％", "95.04%"),
        ("长春东风大街 7766 号", "长春东风大街 7766 号"),
        ("再生水（中水）回用率", "再生水（中水）回用率"),
        ("m² ㎡", "m² ㎡"),  # no blanket NFKC
        ("  a \u3000 b  ", "a b"),
    ],
)
def test_clean(raw: str, want: str) -> None:
    assert clean(raw) == want


def test_clean_requirement_keeps_branches_apart() -> None:
    raw = "当园区工业增加值 建设期年均增长 率 >0, ≤0.3\n当园区工业增加值\n建设期年均增长率 <0, ≥0.3"
    assert clean_requirement(raw) == (
        "当园区工业增加值建设期年均增长率>0, ≤0.3 当园区工业增加值建设期年均增长率<0, ≥0.3"
    )
    assert clean_requirement("缺水城市达到20%以上 京津冀区域达到30%以上 其他地区达到10%以上") == (
        "缺水城市达到20%以上 京津冀区域达到30%以上 其他地区达到10%以上"
    )


@pytest.mark.parametrize(
    ("raw", "kind", "number"),
    [
        ("95.04", "number", 95.04),
        ("95.04%", "number", 95.04),
        ("－0.006", "number", -0.006),
        ("-0.029", "number", -0.029),
        ("−0.5", "number", -0.5),
        ("﹣1", "number", -1.0),
        ("９５．０４", "number", 95.04),
        ("1,234.5", "number", 1234.5),
        ("约12", "number", 12.0),
        ("0", "number", 0.0),
        ("6.30", "number", 6.3),
        ("17", "number", 17.0),
        ("达标", "qualitative", None),
        ("全部完成", "qualitative", None),
        ("具备", "qualitative", None),
        ("—", "na", None),
        ("/", "na", None),
        ("", "empty", None),
        ("约四", "unparsed", None),
        ("12亿", "number", 12.0),  # a unit in the cell: the number, its unit kept apart
        ("未统计", "na", None),
        ("不涉及", "na", None),
        ("1.2.3", "unparsed", None),
    ],
)
def test_parse_value(raw: str, kind: str, number: float | None) -> None:
    v = parse_value(raw)
    assert (v.kind, v.number) == (kind, number)


@pytest.mark.parametrize(
    ("raw", "number", "unit"),
    [
        ("39.01万元/人", 39.01, "万元/人"),
        ("10个", 10.0, "个"),
        ("8.34亿元/平方公里", 8.34, "亿元/平方公里"),
        ("51.42万", 51.42, "万"),
        ("0.358 吨标煤/万元", 0.358, "吨标煤/万元"),
        ("23.39万元/ 人", 23.39, "万元/ 人"),
        ("95.04%", 95.04, None),
        ("17", 17.0, None),
    ],
)
def test_a_unit_printed_in_the_value_cell_is_kept_apart(
    raw: str, number: float, unit: str | None
) -> None:
    v = parse_value(raw)
    assert (v.kind, v.number, v.unit) == ("number", number, unit)


@pytest.mark.parametrize(
    ("raw", "serial"),
    [
        ("1", 1),
        ("(3)", 3),
        ("一", 1),
        ("二", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十二", 32),
        ("（五）", 5),
        ("十二、", 12),
        ("二二", None),
        ("（一）经济发展", None),
        ("", None),
    ],
)
def test_serials_in_arabic_and_chinese_numerals(raw: str, serial: int | None) -> None:
    assert parse_serial(raw) == serial


def test_parse_int_and_yes_no() -> None:
    assert [parse_int(s) for s in ("1", "１", "12.", "(3)", "a", "1.5")] == [
        1,
        1,
        12,
        3,
        None,
        None,
    ]
    assert [parse_yes_no(s) for s in ("是", "否", "√", "×", "必选", "maybe")] == [
        True,
        False,
        True,
        False,
        True,
        None,
    ]


@pytest.mark.parametrize(
    ("number", "label", "want"),
    [
        (6, "工业固体废物综合利用率 a", 6),
        (1, "高新技术企业工业总产值占园区工业总产值比例", 1),
        (None, "资源再生利用产业增加值占园区增加值比例", 4),  # alias, no 序号
        (17, "工业园区重点污染物稳定排放达标情况", 17),  # alias
        (5, "人均工业增加值", 2),  # label beats a wrong 序号
        (26, "单位工业增加值二氧化碳排放量年均削减率", 26),
        (29, "绿化覆盖率", 29),
    ],
)
def test_match_row(number: int | None, label: str, want: int) -> None:
    m = match_row(number, label, STD)
    assert m.number == want and m.score >= MATCH_THRESHOLD


def test_two_rows_never_share_a_number() -> None:
    matches = assign([(2, "人均工业增加值"), (None, "人均工业增加值")], STD)
    assert [m.number for m in matches].count(2) == 1


def test_split_footnote() -> None:
    assert split_footnote("工业固体废物综合利用率 <sup>a</sup>") == ("工业固体废物综合利用率", "a")
    assert split_footnote("再生资源循环利用率b") == ("再生资源循环利用率", "b")
    assert split_footnote("绿化覆盖率") == ("绿化覆盖率", None)


def test_units_and_region() -> None:
    assert money_to_yi(151776.3664, "万元") == (15.17763664, "亿元")
    assert money_to_yi(3, "亿美元") == (3.0, "亿美元")
    assert money_to_yi(1, "吨") is None
    assert same_unit("—", "") and same_unit("亿元/平 方公里", "亿元/平方公里")
    assert region_of("天津市滨海新区", None) == "jingjinji"
    assert region_of("长春东风大街 7766 号", "长春汽车经济技术开发区") is None


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@given(TEXT)
def test_clean_is_idempotent(s: str) -> None:
    assert clean(clean(s)) == clean(s)


@given(TEXT)
def test_fold_and_key_are_idempotent(s: str) -> None:
    assert fold_chars(fold_chars(s)) == fold_chars(s)
    assert key(key(s)) == key(s)


@given(TEXT)
def test_parse_value_never_raises_and_round_trips_numbers(s: str) -> None:
    v = parse_value(s)
    if v.kind == "number":
        assert v.number is not None
        assert parse_value(v.text).number == v.number


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 4)))
def test_numbers_round_trip(x: float) -> None:
    assert parse_value(f"{x:.4f}").number == pytest.approx(x)
