"""Properties of every normaliser: never raises on arbitrary text, idempotent where it
cleans, round trips where it converts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.recover.quantities import heading_level, quantity_mentions
from extract.source import Line, Loc
from normalize.labels import assign, match_row, split_footnote
from normalize.quantities import same_amount, subject_key, to_quantity
from normalize.region import find_region, region_of
from normalize.requirements import describe, parse_requirement, same_rule
from normalize.standards import detect_standard
from normalize.units import SIMPLE_UNITS, conversion_factor, convert, parse_unit
from schemas.numbers import decimals, parse_value
from schemas.standard import CompareRule, load_standard
from schemas.text import clean, fold_minus, strip_footnote, strip_markup

STD = load_standard()
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
# Text made of the characters reports are made of, so the parsers get past their guards.
REPORTISH = st.lists(
    st.sampled_from(
        [
            *"0123456789.,%‰-−—～~约近余多亿万元米公里吨标煤立方平亩个项户家次条年当园区增长率>< ≥≤，。",
            *(
                "新建",
                "管线",
                "投资",
                "计划",
                "缺水城市",
                "京津冀",
                "其他地区",
                "达到",
                "以上",
                "\n",
            ),
        ]
    ),
    max_size=30,
).map("".join)
UNITS = st.sampled_from(sorted(SIMPLE_UNITS))


@given(TEXT)
def test_text_normalisers_never_raise_and_are_idempotent(s: str) -> None:
    assert fold_minus(fold_minus(s)) == fold_minus(s)
    once = clean(strip_markup(s))
    assert clean(strip_markup(once)) == once or "<" in once or "&" in once
    label, mark = strip_footnote(s)
    assert strip_footnote(label)[0] == label or mark is None or label == ""


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("$\\geq 75$", "≥75"),
        (
            "当园区工业增加值建设期年均增长率 $>0, \\leq 0.3$",
            "当园区工业增加值建设期年均增长率 >0, ≤0.3",
        ),
        ("工业固体废物综合利用率 <sup>a</sup>", "工业固体废物综合利用率 a"),
        ("30\\%", "30%"),
        ("A&amp;B<br/>C", "A&B\nC"),
        ("≥30", "≥30"),
    ],
)
def test_strip_markup(raw: str, want: str) -> None:
    assert strip_markup(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [("−0.5", "-0.5"), ("—0.006", "-0.006"), ("—", "—"), ("HJ 274—2015", "HJ 274—2015"),
     ("0431-8150797", "0431-8150797"), ("﹣1", "-1"), ("– 2", "- 2")],
)  # fmt: skip
def test_fold_minus(raw: str, want: str) -> None:
    assert fold_minus(raw) == want


@given(TEXT)
def test_footnote_split_never_raises(s: str) -> None:
    _label, mark = split_footnote(s)
    assert mark is None or mark in s or "<sup>" in s


@given(st.lists(st.tuples(st.none() | st.integers(0, 40), TEXT), max_size=8))
@settings(max_examples=50)
def test_labels_never_share_a_number(rows: list[tuple[int | None, str]]) -> None:
    numbers = [m.number for m in assign(rows, STD) if m.number is not None]
    assert len(numbers) == len(set(numbers))


@given(st.none() | st.integers(-5, 40), TEXT)
@settings(max_examples=50)
def test_match_row_never_raises(number: int | None, label: str) -> None:
    m = match_row(number, label, STD)
    assert 0 <= m.score <= 100


@given(TEXT | REPORTISH)
def test_parse_value_never_raises_and_round_trips(s: str) -> None:
    v = parse_value(s)
    assert v.kind in ("number", "range", "qualitative", "na", "empty", "unparsed")
    if v.kind == "number":
        assert parse_value(v.text).number == v.number
    if v.kind == "range":
        assert v.low is not None and v.high is not None and v.low <= v.high


@given(
    st.decimals(min_value=-1e6, max_value=1e6, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "%", "‰"]),
)
def test_numbers_round_trip_with_signs_and_separators(d: object, suffix: str) -> None:
    x = float(str(d))
    text = f"{x:,.4f}{suffix}"
    assert parse_value(text).number == pytest.approx(x)
    assert parse_value(text.replace("-", "−")).number == pytest.approx(x)
    assert decimals(f"{x:.4f}") == 4


@given(TEXT | REPORTISH)
def test_parse_unit_never_raises(s: str) -> None:
    u = parse_unit(s)
    assert u is None or u.factor > 0


@given(UNITS, UNITS, st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_unit_conversion_round_trips(a: str, b: str, x: float) -> None:
    there = convert(x, a, b)
    if there is None:
        assert conversion_factor(b, a) is None  # convertibility is symmetric
        return
    back = convert(there, b, a)
    assert back == pytest.approx(x, rel=1e-9, abs=1e-6)


@given(TEXT | REPORTISH)
def test_parse_requirement_never_raises(s: str) -> None:
    rule = parse_requirement(s)
    assert isinstance(describe(rule), str)
    assert same_rule(rule, rule)


@given(
    st.sampled_from(["≥", "≤", "不低于", "不高于", "$\\geq ", "$\\leq "]),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "%"]),
)
def test_requirement_round_trip(op: str, d: object, pct: str) -> None:
    value = float(str(d))
    text = f"{op}{value:g}{'$' if op.startswith('$') else ''}{pct}"
    want = "ge" if op in ("≥", "不低于", "$\\geq ") else "le"
    assert parse_requirement(text) == CompareRule(kind="compare", op=want, value=value)


@given(TEXT | REPORTISH)
def test_subject_key_is_idempotent(s: str) -> None:
    k = subject_key(s)
    assert subject_key(k) == k or len(subject_key(k)) < len(k)


@given(st.lists(TEXT | REPORTISH, max_size=6))
@settings(max_examples=60)
def test_quantity_extraction_never_raises(texts: list[str]) -> None:
    lines = [Line(t, Loc(line=i + 1)) for i, t in enumerate(texts)]
    for q in quantity_mentions(lines, [], 2018):
        quantity = to_quantity(q)
        if quantity is not None:
            assert same_amount(quantity, quantity)
    for t in texts:
        heading_level(t)


@given(TEXT, TEXT)
def test_region_and_standard_detection_never_raise(a: str, b: str) -> None:
    assert region_of(a, b) in (None, "jingjinji", "water_scarce")
    find_region(a)
    assert detect_standard([a], [b]).standard_id
