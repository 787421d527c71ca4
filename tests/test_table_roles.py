"""Column roles and rows decided from header words and content together, on layouts the
samples do not have (issue classes: a data row read as a header, target columns, header
synonyms, rows without 序号 or with Chinese numerals, group rows, units in cells, marks).

Each test builds the grid a reader would give, runs recovery and normalisation, and
checks the record: values where the truth has them, nothing where it has none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from extract.read.layout.anchors import continues_serial
from extract.recover import recover
from extract.recover.tables.roles import column_role, header_columns, merge_subheader
from extract.source import Cell, Line, Loc, SourceDoc, Table
from normalize.record import build_report
from schemas.numbers import to_chinese_numeral
from schemas.record import Report, SourceInfo
from schemas.standard import load_standard

STD = load_standard()
VALUES = {n: (round(10 + n * 1.37, 2), round(11 + n * 2.11, 2)) for n in range(1, 33)}
FIRST = {1: (20.15, 19.28)}  # the first data row's values read like years


def _value(n: int, k: int) -> str:
    return f"{FIRST.get(n, VALUES[n])[k]:.2f}"


def _grid(rows: Sequence[Sequence[str]], page: int = 5) -> Table:
    return Table(
        [[Cell(t, Loc(page=page)) for t in r] for r in rows],
        Loc(page=page),
    )


def _record(*tables: Table) -> Report:
    doc = SourceDoc(
        kind="pdf",
        pages=9,
        lines=[Line("某某经济技术开发区国家生态工业示范园区建设2018年度评价报告", Loc(page=1))],
        tables=list(tables),
    )
    return build_report(recover(doc), SourceInfo(path="t.pdf"), STD)


def _cells(r: Report) -> dict[tuple[int, int | None], float | None]:
    return {(i.number, v.year): v.value for i in r.indicators for v in i.values}


def _expect_all(r: Report, years: Sequence[int] = (2016, 2018)) -> None:
    got = _cells(r)
    for n in range(1, 33):
        for k, y in enumerate(years):
            assert got.get((n, y)) == pytest.approx(float(_value(n, k))), (n, y)


Row = Callable[[int], list[str]]


def _rows(make: Row, numbers: Sequence[int] = tuple(range(1, 33))) -> list[list[str]]:
    return [make(n) for n in numbers]


def _spec(n: int):  # type: ignore[no-untyped-def]
    spec = STD.by_number(n)
    assert spec is not None
    return spec


def test_a_first_data_row_with_year_like_numbers_is_data_not_a_header() -> None:
    header = ["分类", "序号", "指标", "单位", "要求", "2016年", "2018年"]
    body = _rows(
        lambda n: [
            _spec(n).category,
            str(n),
            _spec(n).name,
            _spec(n).unit,
            "≥1",
            _value(n, 0),
            _value(n, 1),
        ]
    )
    r = _record(_grid([header, *body]))
    assert {v.year for i in r.indicators for v in i.values} == {2016, 2018}
    _expect_all(r)
    assert (
        merge_subheader(header_columns([Cell(h) for h in header]) or [], [Cell(t) for t in body[0]])
        is None
    )


@pytest.mark.parametrize(
    ("header", "role", "year"),
    [
        ("2022年目标值", "target", 2022),
        ("规划目标（2020年）", "target", 2020),
        ("目标值", "target", None),
        ("基准年（2016年）", "value", 2016),
        ("2016年（基准年）", "value", 2016),
        ("评价年（2018年）", "value", 2018),
        ("20.15", "other", None),
        ("19.28", "other", None),
        ("是否达到标准要求", "claim", None),
        ("达标情况", "claim", None),
        ("评价结果", "claim", None),
        ("计量单位", "unit", None),
        ("标准值", "requirement", None),
        ("考核要求", "requirement", None),
        ("实际值", "value", None),
        ("完成值", "value", None),
        ("备注", "notes", None),
        ("数据来源（2018年统计年鉴）", "notes", None),
        ("序 号", "number", None),
        ("完成情况\n2020", "value", 2020),  # a spanning header set into one year's cell
        ("完成\n2011", "value", 2011),  # ... or split over the columns under it
        ("情况\n2016", "value", 2016),
        ("（%）\n2023", "value", 2023),  # the tail of a spanning 指标值（%） over its years
        ("完成情况\n评价年（2020\n年）", "value", 2020),  # not 完成情况评价, a claim
    ],
)
def test_header_words(header: str, role: str, year: int | None) -> None:
    col = column_role(header)
    assert (col.role, col.year) == (role, year)


def test_a_unit_in_the_header_is_the_columns_unit() -> None:
    assert column_role("指标值（%）").unit == "%"
    assert column_role("2018年（万元/人）").unit == "万元/人"
    assert column_role("2016年（基准年）").unit is None


def test_target_columns_are_never_a_years_values() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年", "2018年目标值"]
    body = _rows(lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1), "99"])
    r = _record(_grid([header, *body]))
    _expect_all(r)
    assert all(v.value != 99 for i in r.indicators for v in i.values)


def test_a_merged_header_over_target_and_actual() -> None:
    top = ["序号", "指标", "单位", "完成情况", "", ""]
    sub = ["", "", "", "2016年", "目标值", "2018年"]
    body = _rows(lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), "77", _value(n, 1)])
    r = _record(_grid([top, sub, *body]))
    _expect_all(r)
    assert all(v.value != 77 for i in r.indicators for v in i.values)


def test_kaohe_zhibiao_over_yes_no_is_the_assessed_column() -> None:
    header = ["序号", "指标", "单位", "考核指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        mark = "必选" if _spec(n).mandatory else ("是" if n % 2 else "否")
        return [str(n), _spec(n).name, _spec(n).unit, mark, _value(n, 0), _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    _expect_all(r)
    by = {i.number: i for i in r.indicators}
    assert by[1].assessed is True and by[2].assessed is False
    assert by[1].raw_name == _spec(1).name
    assert not [f for f in r.findings if f.kind in ("low_confidence", "table_mismatch")]


@pytest.mark.parametrize("claim_header", ["是否达到标准要求", "达标情况", "评价结果", "结论"])
def test_pass_tables_under_other_headers(claim_header: str) -> None:
    values = _grid(
        [
            ["序号", "指标", "单位", "2016年", "2018年"],
            *_rows(lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]),
        ]
    )
    claims = _grid(
        [
            ["序号", "指标", "单位", "要求", claim_header],
            *_rows(
                lambda n: [
                    str(n),
                    _spec(n).name,
                    _spec(n).unit,
                    "≥1",
                    "达标" if n % 3 else "未达标",
                ]
            ),
        ],
        page=7,
    )
    r = _record(values, claims)
    assert {i.number: i.claimed_pass for i in r.indicators} == {
        n: bool(n % 3) for n in range(1, 33)
    }


def test_a_pass_tables_header_alone_at_a_pages_foot_takes_its_roles_from_the_rows_overleaf() -> (
    None
):
    # No 序号: the header alone at page 6's foot says 考核指标 (a name word) over the
    # column the rows overleaf fill with 是/否/必选 — the assessed column, not a second name.
    values = _grid(
        [
            ["类别", "指标名称", "2016年", "2018年"],
            *_rows(lambda n: [_spec(n).category, _spec(n).name, _value(n, 0), _value(n, 1)]),
        ],
        page=5,
    )

    def row(n: int) -> list[str]:
        mark = "必选" if _spec(n).mandatory else ("是" if n % 2 else "否")
        return [_spec(n).category, _spec(n).name, "≥1", mark, "☑" if n % 3 else "×"]

    r = _record(
        values,
        _grid([["类别", "指标名称", "标准值", "考核指标", "是否达标"]], page=6),
        _grid(_rows(row), page=7),
    )
    assert {i.number: i.claimed_pass for i in r.indicators} == {
        n: bool(n % 3) for n in range(1, 33)
    }


def test_rows_without_a_number_column_are_known_by_their_names() -> None:
    header = ["指标", "单位", "2016年", "2018年"]
    order = [*range(17, 33), *range(1, 17)]  # categories reordered
    r = _record(
        _grid(
            [
                header,
                *_rows(lambda n: [_spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)], order),
            ]
        )
    )
    _expect_all(r)


def test_chinese_numerals_and_group_rows_restarting_at_one() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]
    rows: list[list[str]] = []
    groups: dict[str, list[int]] = {}
    for n in range(1, 33):
        groups.setdefault(_spec(n).category, []).append(n)
    numerals = "一二三四五六七八九十"
    for g, (cat, members) in enumerate(groups.items()):
        rows.append([f"（{numerals[g]}）{cat}", "", "", "", ""])
        for k, n in enumerate(members, start=1):
            rows.append(
                [
                    numerals[k - 1] if k <= 10 else str(k),
                    _spec(n).name,
                    _spec(n).unit,
                    _value(n, 0),
                    _value(n, 1),
                ]
            )
    r = _record(_grid([header, *rows]))
    _expect_all(r)
    assert {i.raw_category for i in r.indicators if i.number == 5} == {"产业共生"}


def test_a_row_whose_serial_was_misread_keeps_its_own_values() -> None:
    """A scan's stacked Chinese 序号 read as no numeral (二十一 as 吉, 二十三 as H): the row
    has a name and values of its own, so it is a row, not text wrapped out of the row
    above (which made four rows one name that matched no indicator). A row whose 序号
    cell is empty still joins the row above."""
    header = ["序号", "指标", "单位", "2016年", "2018年"]
    garbled = {21: "吉", 22: "目", 23: "H"}

    def row(n: int) -> list[str]:
        serial = garbled.get(n, to_chinese_numeral(n))
        return [serial, _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    _expect_all(r)
    wrapped = [header, *_rows(row, range(1, 5))]
    wrapped.insert(3, ["", "（续）", "", "", ""])  # a name's last line, no 序号 of its own
    r = _record(_grid(wrapped))
    assert [i.number for i in r.indicators if i.values] == [1, 2, 3, 4]


def test_rows_reordered_within_a_category_keep_their_numbers() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]
    order = [2, 1, 4, 3, *range(5, 33)]
    r = _record(
        _grid(
            [
                header,
                *_rows(
                    lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)],
                    order,
                ),
            ]
        )
    )
    _expect_all(r)


def test_units_in_value_cells_and_names() -> None:
    header = ["序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        unit = _spec(n).unit if _spec(n).unit not in ("—", "%") else ""
        return [
            str(n),
            f"{_spec(n).name}（{_spec(n).unit}）" if n == 15 else _spec(n).name,
            _value(n, 0) + unit,
            _value(n, 1) + ("%" if _spec(n).unit == "%" else unit),
        ]

    r = _record(_grid([header, *_rows(row)]))
    _expect_all(r)
    by = {i.number: i for i in r.indicators}
    assert by[2].values[0].value == pytest.approx(float(_value(2, 0)))
    assert not [f for f in r.findings if f.kind == "unparsed_value"]


def test_a_unit_in_a_cell_other_than_the_standards_is_converted_and_said() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        if n == 2:
            return [str(n), _spec(n).name, "万元/人", "321900元/人", "39.01万元/人"]
        return [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    two = next(i for i in r.indicators if i.number == 2)
    assert [v.value for v in two.values] == [321900.0, 39.01]
    assert two.values[0].value_std == pytest.approx(32.19)
    assert [f for f in r.findings if f.kind == "unit_mismatch" and f.indicator == 2]


@pytest.mark.parametrize("mark", ["/", "—", "-", "未统计", "暂无", ""])
def test_not_applicable_marks_stay_null(mark: str) -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [
            str(n),
            _spec(n).name,
            _spec(n).unit,
            mark if n == 7 else _value(n, 0),
            _value(n, 1),
        ]

    r = _record(_grid([header, *_rows(row)]))
    seven = next(i for i in r.indicators if i.number == 7)
    assert seven.values[0].value is None
    assert [f for f in r.findings if f.kind == "no_value" and f.indicator == 7]
    assert seven.values[1].value == pytest.approx(float(_value(7, 1)))


def test_thirty_two_rows_in_two_tables_with_text_between() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]
    make: Row = lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]  # noqa: E731
    first = _grid([header, *_rows(make, range(1, 8))], page=5)
    second = _grid([header, *_rows(make, range(8, 33))], page=6)
    _expect_all(_record(first, second))


def test_a_row_split_by_a_page_break_is_joined() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]
    make: Row = lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]  # noqa: E731
    head = [*_rows(make, range(1, 18)), ["18", _spec(18).name, "—", "全部完", "全部完"]]
    tail = [["", "", "", "成", "成"], *_rows(make, range(19, 33))]
    r = _record(_grid([header, *head], page=5), _grid(tail, page=6))
    eighteen = next(i for i in r.indicators if i.number == 18)
    assert [v.text for v in eighteen.values] == ["全部完成", "全部完成"]


def _with_category(n: int) -> list[str]:
    return [_spec(n).category, _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]


def test_a_continuation_without_a_number_column_or_header() -> None:
    header = ["分类", "指标", "单位", "2016年", "2018年"]
    r = _record(
        _grid([header, *_rows(_with_category, range(1, 12))], page=5),
        _grid(_rows(_with_category, range(12, 33)), page=6),
    )
    _expect_all(r)


def test_a_narrative_table_after_the_annex_is_not_taken_as_its_continuation() -> None:
    header = ["分类", "指标", "单位", "2016年", "2018年"]
    other = _grid([["项目", "投资"], ["污水处理厂扩建工程", "3.2亿元"]], page=6)
    r = _record(_grid([header, *_rows(_with_category)], page=5), other)
    _expect_all(r)
    assert not [f for f in r.findings if f.kind == "low_confidence"]


@pytest.mark.parametrize(
    ("so_far", "piece", "previous", "joined"),
    [
        ("十", "一", 10, True),  # row 11 printed 十 / 一
        ("十", "十", 9, False),  # row 10 (十), then row 11 starts with 十
        ("二", "十", 19, True),  # row 20: 二 / 十
        ("二十", "一", 20, True),  # row 21: 二 / 十 / 一
        ("二十", "二", 20, False),  # after row 20, row 21 starts with 二
        ("九", "十", 8, False),  # row 9, then row 10: never 九十
        ("一", "二", 0, False),
        ("十", "一", None, True),  # no expectation: a numeral up to 40
        ("九", "十", None, False),
        ("2", "0", 19, True),  # 20 wrapped in a narrow column: 2 / 0
        ("1", "2", None, False),  # rows 1 and 2, without an expectation
        ("2", "1", 2, False),
    ],
)
def test_a_wrapped_chinese_serial_is_one_row(
    so_far: str, piece: str, previous: int | None, joined: bool
) -> None:
    assert continues_serial(so_far, piece, previous) is joined


def test_serials_and_group_rows_inside_the_name_column() -> None:
    """One column headed 编号 指标名称: the 序号 leads each name, a group row sits in
    the same cell above the first name of its group."""
    header = ["编号 指标名称", "单位", "2016年", "2018年"]
    rows: list[list[str]] = []
    seen: set[str] = set()
    for n in range(1, 33):
        cat = _spec(n).category
        group = "" if cat in seen else f"（{'一二三四五'[len(seen)]}）{cat}\n"
        seen.add(cat)
        rows.append([f"{group}{n} {_spec(n).name}", _spec(n).unit, _value(n, 0), _value(n, 1)])
    r = _record(_grid([header, *rows]))
    _expect_all(r)
    assert {i.raw_category for i in r.indicators if i.number == 5} == {"产业共生"}


def test_the_report_year_from_a_title_with_the_year_inside() -> None:
    doc = SourceDoc(
        kind="pdf",
        pages=9,
        lines=[Line("国家生态工业示范园区 2020 年度建设评价报告", Loc(page=1))],
    )
    raw = recover(doc)
    assert raw.title_year is not None and raw.title_year.text == "2020"


def test_a_table_without_numbers_continues_under_a_repeated_header() -> None:
    header = ["分类", "指标", "单位", "2016年", "2018年"]
    parts = [
        _grid([header, *_rows(_with_category, range(a, b))], page=p)
        for p, (a, b) in enumerate([(1, 12), (12, 20), (20, 33)], start=4)
    ]
    _expect_all(_record(*parts))


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("人均工业增加值（万元/人）", 2),
        ("单位工业用地面积工业增加值（亿元/平方公里）", 8),
        ("单位工业增加值综合能耗（吨标煤/万元）", 11),
        ("绿化覆盖率（%）", 29),
        ("再生水（中水）回用率", 16),
    ],
)
def test_a_unit_ending_the_name_is_left_out_of_the_label_match(label: str, number: int) -> None:
    from normalize.labels import match_row

    assert match_row(None, label, STD).number == number


def test_a_repeated_header_that_loses_a_year_keeps_the_first_headers() -> None:
    first = ["序号", "指标", "单位", "2016年", "2018年（现状值）"]
    again = ["序号", "指标", "单位", "2016年", "（现状值）"]

    def row(n: int) -> list[str]:
        return [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]

    r = _record(
        _grid([first, *_rows(row, range(1, 16))], page=4),
        _grid([again, *_rows(row, range(16, 33))], page=5),
    )
    _expect_all(r)


def test_a_wrapped_target_header_naming_the_report_year_is_not_a_second_value_column() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年实际值", "标（2018年）"]
    body = _rows(lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1), "77"])
    r = _record(_grid([header, *body]))
    _expect_all(r)
    assert all(v.value != 77 for i in r.indicators for v in i.values)


def test_name_lines_that_landed_in_the_row_above_are_put_back() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        name = _spec(n).name
        if n == 17:
            name += "\n" + _spec(18).name[:14]  # row 18's first line, set above its 序号
        if n == 18:
            name = _spec(18).name[14:]
        return [str(n), name, _spec(n).unit, _value(n, 0), _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    _expect_all(r)
    by = {i.number: i for i in r.indicators}
    assert by[17].raw_name == _spec(17).name and by[18].raw_name == _spec(18).name
    assert not [f for f in r.findings if f.kind == "low_confidence"]


def test_a_repeated_header_alone_at_a_pages_foot_keeps_the_roles_content_gave() -> None:
    # 考核指标 over 是/否 is the assessed column; its header repeated at the foot of the
    # page with no rows under it must not turn it back into a second name column.
    header = ["序号", "指标", "考核指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        mark = "必选" if _spec(n).mandatory else ("是" if n % 2 else "否")
        return [str(n), _spec(n).name, mark, _value(n, 0), _value(n, 1)]

    r = _record(
        _grid([header, *_rows(row, range(1, 17))], page=5),
        _grid([header], page=5),  # 续表's header, its rows all overleaf
        _grid(_rows(row, range(17, 33)), page=6),
    )
    _expect_all(r)
    by = {i.number: i for i in r.indicators}
    assert by[31].assessed is True and by[31].raw_name == _spec(31).name


def test_group_rows_between_tab_separated_rows_stay_in_the_table() -> None:
    from extract.read.markdown import read_markdown_text

    lines = ["序号\t指标名称\t2016年\t2018年", "（一）经济发展"]
    lines += [f"{n}\t{_spec(n).name}\t{_value(n, 0)}\t{_value(n, 1)}" for n in range(1, 5)]
    lines += ["（二）产业共生"]
    lines += [
        f"{k}\t{_spec(n).name}\t{_value(n, 0)}\t{_value(n, 1)}" for k, n in enumerate((5, 6, 7), 1)
    ]
    doc = read_markdown_text("\n".join(lines) + "\n\n正文。\n")
    (table,) = doc.tables
    assert [r[0].text for r in table.rows] == [
        "序号",
        "（一）经济发展",
        "1",
        "2",
        "3",
        "4",
        "（二）产业共生",
        "1",
        "2",
        "3",
    ]
    assert [ln.text for ln in doc.lines] == ["正文。"]


def test_a_row_split_by_a_page_break_is_joined_under_a_repeated_header() -> None:
    header = ["序号", "指标", "单位", "2016年", "2018年"]
    make: Row = lambda n: [str(n), _spec(n).name, _spec(n).unit, _value(n, 0), _value(n, 1)]  # noqa: E731
    head = [*_rows(make, range(1, 9)), ["9", "单位工业用地面积工业增加", "%", "12.34", "０．１"]]
    tail = [header, ["", "值三年年均增长率", "", "", "８"], *_rows(make, range(10, 33))]
    r = _record(_grid([header, *head], page=5), _grid(tail, page=6))
    nine = next(i for i in r.indicators if i.number == 9)
    assert [v.value for v in nine.values] == [12.34, 0.18]


def test_a_cut_row_without_number_or_name_joins_the_row_above() -> None:
    header = ["分类", "指标", "单位", "2016年", "2018年"]
    head = [*_rows(_with_category, range(1, 11))]
    head.append([_spec(11).category, _spec(11).name, _spec(11).unit, "12.34", "０．８１"])
    tail = [header, ["", "", "", "", "９"], *_rows(_with_category, range(12, 33))]
    r = _record(_grid([header, *head], page=5), _grid(tail, page=6))
    eleven = next(i for i in r.indicators if i.number == 11)
    assert [v.value for v in eleven.values] == [12.34, 0.819]


def test_a_serial_cut_by_a_page_break_joins_its_row() -> None:
    # 十 / 五 over a page break: the tail row holds 五 and the rest of the requirement.
    header = ["序号", "指标", "要求", "2016年", "2018年"]

    def make(n: int) -> list[str]:
        return [to_chinese_numeral(n), _spec(n).name, "≥1", _value(n, 0), _value(n, 1)]

    head = [*_rows(make, range(1, 15)), ["十", _spec(15).name, "≥75", _value(15, 0), _value(15, 1)]]
    tail = [["五", "", "以上", "", ""], *_rows(make, range(16, 33))]
    r = _record(_grid([header, *head], page=5), _grid(tail, page=6))
    _expect_all(r)
    assert not [f for f in r.findings if f.kind == "low_confidence"]


def _boxed(rows: Sequence[Sequence[tuple[str, float, float]]], page: int) -> Table:
    return Table(
        [[Cell(t, Loc(page=page, bbox=(x0, 0.0, x1, 10.0))) for t, x0, x1 in r] for r in rows],
        Loc(page=page),
    )


def test_a_header_row_cut_by_a_page_break_is_one_header() -> None:
    # 序 / 号 and a spanning 指标值（%） over three years: the upper half, one row alone at
    # the foot of page 5, has fewer cells than the lower half on page 6.
    xs = [(0.0, 40.0), (40.0, 200.0), (200.0, 260.0), (260.0, 320.0), (320.0, 380.0)]
    upper = [("序", 0, 40), ("指标", 40, 200), ("指标值（%）", 200, 380)]
    lower = [
        ("号", *xs[0]),
        ("", *xs[1]),
        ("2016年", *xs[2]),
        ("2017年", *xs[3]),
        ("2018年", *xs[4]),
    ]

    def row(n: int) -> list[tuple[str, float, float]]:
        texts = [str(n), _spec(n).name, _value(n, 0), "1.5", _value(n, 1)]
        return [(t, *x) for t, x in zip(texts, xs, strict=True)]

    head = _boxed(
        [
            [
                ("序号", 0, 40),
                ("指标", 40, 200),
                ("2016年", *xs[2]),
                ("2017年", *xs[3]),
                ("2018年", *xs[4]),
            ],
            *[row(n) for n in range(1, 20)],
        ],
        page=4,
    )
    r = _record(
        head, _boxed([upper], page=5), _boxed([lower, *[row(n) for n in range(20, 33)]], page=6)
    )
    _expect_all(r, years=(2016, 2018))


def test_a_repeated_header_cut_by_a_page_break_whose_halves_read_as_headers_continues() -> None:
    # 续上表's header cut by the page break: 序 | 分类 | 指标名称 | 是否 | 完成 | 情况 at the
    # foot of page 5 (no year, so no kind of table yet), 号 | | | 为考核指标 | 基准年（2016年）
    # | 2018年（现状值） on page 6 — header words, but no name column: the lower half.
    xs = [(0.0, 30.0), (30.0, 70.0), (70.0, 230.0), (230.0, 270.0), (270.0, 330.0)]
    xs += [(330.0, 390.0)]

    def row(n: int) -> list[tuple[str, float, float]]:
        mark = "必选" if _spec(n).mandatory else ("是" if n % 2 else "否")
        texts = [str(n), _spec(n).category, _spec(n).name, mark, _value(n, 0), _value(n, 1)]
        return [(t, *x) for t, x in zip(texts, xs, strict=True)]

    full = ["序号", "分类", "指标名称", "是否为考核指标", "基准年（2016年）", "2018年（现状值）"]
    upper = ["序", "分类", "指标名称", "是否", "完成", "情况"]
    lower = ["号", "", "", "为考核指标", "基准年（2016年）", "2018年（现状值）"]
    r = _record(
        _boxed(
            [[(t, *x) for t, x in zip(full, xs, strict=True)], *[row(n) for n in range(1, 15)]],
            page=4,
        ),
        _boxed([[(t, *x) for t, x in zip(upper, xs, strict=True)]], page=4),
        _boxed(
            [[(t, *x) for t, x in zip(lower, xs, strict=True)], *[row(n) for n in range(15, 33)]],
            page=5,
        ),
    )
    _expect_all(r, years=(2016, 2018))


def test_of_two_name_headers_the_names_are_where_the_han_text_is() -> None:
    # 指标 | 要求 of one header 指标要求 set over a requirement cut apart (≥ | 30): the
    # 指标 column holds signs, the 指标名称 column the names.
    header = ["序号", "指标名称", "指标", "要求", "2016年", "2018年"]

    def row(n: int) -> list[str]:  # rows reordered: the names, not the 序号, say which
        m = 33 - n
        return [str(n), _spec(m).name, "≥", "30", _value(m, 0), _value(m, 1)]

    _expect_all(_record(_grid([header, *_rows(row)])))


def test_a_spanning_value_header_cut_unevenly_in_a_repeated_header_keeps_its_years() -> None:
    # 指标值 over 2016 | 2018: the first header cuts it 指标 | 值, the repeated one 指 | 标值
    # — each year column's first line with its neighbour's makes the value word.
    first = ["序号", "指标", "指标\n2016", "值\n评价年（2018年）"]
    again = ["序号", "指标", "指\n2016", "标值\n评价年（2018年）"]

    def row(n: int) -> list[str]:
        return [str(n), _spec(n).name, _value(n, 0), _value(n, 1)]

    r = _record(
        _grid([first, *_rows(row, range(1, 17))], page=5),
        _grid([again, *_rows(row, range(17, 33))], page=6),
    )
    _expect_all(r)


def test_a_repeated_header_cut_short_at_the_pages_top_keeps_its_target_column() -> None:
    # No 序号; the repeated header overleaf lost its cells' last lines to the page's top
    # edge: 2025年目 of 2025年目标值 still names the target column, not a third year.
    first = ["指标类别", "指标名称", "实际值2017年", "2021年", "2025年目标值"]
    again = ["指标类别", "指标名称", "实际值2017年", "2021年", "2025年目"]

    def row(n: int) -> list[str]:
        return [_spec(n).category, _spec(n).name, _value(n, 0), _value(n, 1), "99"]

    r = _record(
        _grid([first, *_rows(row, range(1, 24))], page=5),
        _grid([again, *_rows(row, range(24, 33))], page=6),
    )
    _expect_all(r, years=(2017, 2021))


def test_a_part_whose_category_column_was_read_as_two_continues_the_table() -> None:
    # No 序号; the second part's letter-spaced category (环 境 / 保 护) and its header
    # (指 | 标类别) came in two role-less columns: the other roles continue the table.
    first = ["指标类别", "指标", "考核要求", "2016年", "2018年"]
    again = ["指", "标类别", "指标", "考核要求", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [_spec(n).category, _spec(n).name, "≥1", _value(n, 0), _value(n, 1)]

    def split_row(n: int) -> list[str]:
        cat = _spec(n).category
        return [f"{cat[0]}\n{cat[2]}", f"{cat[1]}\n{cat[3]}", *row(n)[1:]]

    r = _record(
        _grid([first, *_rows(row, range(1, 9))], page=3),
        _grid([again, *_rows(split_row, range(9, 33))], page=4),
    )
    _expect_all(r)


def test_a_two_row_header_repeated_with_its_upper_row_lost_continues_the_table() -> None:
    # No 序号; the repeated header's upper row (指标名称 | 单位 | 要求 | 完成情况) stayed at
    # the page's foot, unreadable, and its lower row on top of the next page names only
    # 指标类别, 考核指标, 目标值 and the years: content names the name column, the unit and
    # requirement columns are the first header's, and the rows go on in one table.
    top = ["指标类别", "指标名称", "单位", "要求", "考核指标", "完成情况", "", ""]
    sub = ["", "", "", "", "", "目标值", "2016年", "2018年"]
    again = ["指标类别", "", "", "", "考核指标", "目标值", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        spec = _spec(n)
        return [spec.category, spec.name, "%", "≥30", "是", "99", _value(n, 0), _value(n, 1)]

    r = _record(
        _grid([top, sub, *_rows(row, range(1, 19))], page=5),
        _grid([again, *_rows(row, range(19, 33))], page=6),
    )
    _expect_all(r)
    assert all(len(i.values) == 2 for i in r.indicators)


def test_a_repeated_header_cut_by_a_page_break_without_a_number_column_continues() -> None:
    # No 序号: 续上表's header cut at the page's foot (| 指标名称 | 指标要求 | 指标值 over
    # both years, a kind of table already, one cell fewer), its lower half overleaf
    # (指标类别 | | | 2016年 | 2018年) above the rest of the rows.
    from extract.recover.tables.stitch import indicator_tables

    xs = [(0.0, 40.0), (40.0, 200.0), (200.0, 260.0), (260.0, 320.0), (320.0, 380.0)]
    header = ["指标类别", "指标名称", "指标要求", "2016年", "2018年"]

    def row(n: int) -> list[tuple[str, float, float]]:
        texts = [_spec(n).category, _spec(n).name, "≥1", _value(n, 0), _value(n, 1)]
        return [(t, *x) for t, x in zip(texts, xs, strict=True)]

    upper = [("", 0, 40), ("指标名称", 40, 200), ("指标要求", 200, 260), ("指标值", 260, 380)]
    lower = [(t, *x) for t, x in zip(["指标类别", "", "", "2016年", "2018年"], xs, strict=True)]
    parts = [
        _boxed(
            [[(t, *x) for t, x in zip(header, xs, strict=True)], *[row(n) for n in range(1, 17)]], 4
        ),
        _boxed([upper], 4),
        _boxed([lower, *[row(n) for n in range(17, 33)]], 5),
    ]
    (table,) = indicator_tables(parts)  # one table, no empty one for the lone upper half
    assert len(table.rows) == 32
    _expect_all(_record(*parts))


def test_a_lone_repeated_header_without_a_number_column_continues_the_table() -> None:
    header = ["分类", "指标", "考核指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        mark = "必选" if _spec(n).mandatory else ("是" if n % 2 else "否")
        return [_spec(n).category, _spec(n).name, mark, _value(n, 0), _value(n, 1)]

    r = _record(
        _grid([header, *_rows(row, range(1, 17))], page=5),
        _grid([header], page=5),  # the header alone at the page's foot
        _grid(_rows(row, range(17, 33)), page=6),
    )
    _expect_all(r)


def test_a_wrapped_target_header_before_the_years_values_is_the_target() -> None:
    # 规划目 / 标（2018年） wrapped, its first line lost: the fragment still marks the target,
    # though it comes before 评价年（2018年）.
    header = ["序号", "指标", "标（2018年）", "基准年（2016年）", "评价年（2018年）"]

    def row(n: int) -> list[str]:
        return [str(n), _spec(n).name, "1.5", _value(n, 0), _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    _expect_all(r)
    one = next(i for i in r.indicators if i.number == 1)
    assert [v.column for v in one.values if v.year == 2018] == ["评价年（2018年）"]


def test_a_spanning_value_header_cut_between_its_year_columns_makes_both_values() -> None:
    # 实际值 over 2016 | 2018, cut as 实 / 2016 | 际值 / 2018 (a narrow borderless header)
    header = ["类别", "指标", "单位", "标准值", "实\n2016", "际值\n2018年"]
    cols = header_columns([Cell(h) for h in header])
    assert cols is not None
    assert [(c.role, c.year) for c in cols[4:]] == [("value", 2016), ("value", 2018)]
    body = _rows(lambda n: ["", _spec(n).name, "%", "≥1", _value(n, 0), _value(n, 1)])
    _expect_all(_record(_grid([header, *body])))


def test_a_claim_header_cut_to_its_last_line_is_known_by_its_marks() -> None:
    # 是否达到标准要求 over √ / ☑ / × whose upper lines a scan lost reads 标准要求: beside the
    # 标准值 column it is no second requirement but the claims.
    value_header = ["指标类别", "指标名称", "标准值", "2016年", "2018年"]
    values = _rows(lambda n: ["", _spec(n).name, "≥1", _value(n, 0), _value(n, 1)])
    header = ["指标类别", "指标", "标准值", "指标", "标准要求"]
    # (a scan's tick read as a ticked box, ☑, in some rows)
    claims = _rows(
        lambda n: ["", _spec(n).name, "≥1", "是", ("☑" if n % 3 else "√") if n % 2 else "×"]
    )
    r = _record(_grid([value_header, *values]), _grid([header, *claims], page=7))
    assert [i.claimed_pass for i in r.indicators[:4]] == [True, False, True, False]


def test_a_bracket_read_as_one_before_a_year_keeps_the_year() -> None:
    # 评价年（2019年） in a narrow scanned header, its （ read as 1: still 2019's values
    col = column_role("评价\n年\n1\n2019\n年)")
    assert (col.role, col.year) == ("value", 2019)
    assert column_role("12019").year is None  # a number, no year


def test_a_spanning_year_word_cut_between_its_year_columns_makes_both_values() -> None:
    # 年度 over 2018年 | 2023, cut as 年 / 2018年 | 度 / 2023 (a scan's header cells)
    header = ["类别", "序号", "指标名称", "单位", "年\n2018年", "度\n2023", "考核要求"]
    cols = header_columns([Cell(h) for h in header])
    assert cols is not None
    assert [(c.role, c.year) for c in cols[4:6]] == [("value", 2018), ("value", 2023)]


def test_an_assessed_column_headed_like_a_name_and_a_part_with_an_empty_column() -> None:
    # Part 1: 指标 | (an empty column the reader split off) | 要求 | 考核指标 over 是/否 with
    # wrapped requirement text spilled into some of its cells; part 2 (no 序号, header
    # repeated) without the empty column. Both parts are one table.
    head1 = ["类别", "指标", "", "要求", "考核指标", "2016年", "2018年"]
    head2 = ["类别", "指标", "要求", "考核指标", "2016年", "2018年"]

    def row1(n: int) -> list[str]:
        mark = "否\n设" if n % 3 == 0 else ("是" if n % 2 else "否")
        return ["", _spec(n).name, "", "≥1", mark, _value(n, 0), _value(n, 1)]

    def row2(n: int) -> list[str]:
        return ["", _spec(n).name, "≥1", "必选", _value(n, 0), _value(n, 1)]

    part1 = _grid([head1, *_rows(row1, range(1, 17))], page=3)
    part2 = _grid([head2, *_rows(row2, range(17, 33))], page=4)
    _expect_all(_record(part1, part2))


def test_a_continuation_one_column_wider_than_its_table_keeps_its_columns() -> None:
    # Overleaf, the reader found a column in a wrapped requirement's lines (>0, / 年均) set
    # off its left edge: two rows hold text there; every value stays in its column.
    header = ["序号", "指标", "要求", "2016年", "2018年"]
    part1 = _grid(
        [
            header,
            *_rows(
                lambda n: [str(n), _spec(n).name, "≥1", _value(n, 0), _value(n, 1)], range(1, 17)
            ),
        ],
        page=3,
    )

    def row2(n: int) -> list[str]:
        spill = ">0,\n年均" if n in (18, 25) else ""
        return [str(n), _spec(n).name, spill, "≥1", _value(n, 0), _value(n, 1)]

    part2 = _grid(_rows(row2, range(17, 33)), page=4)
    _expect_all(_record(part1, part2))


def test_a_row_cut_through_its_wrapped_serial_by_a_page_break_is_one_row() -> None:
    # 1 / 8 of 序号 18 wrapped: "1" with the values' first lines at one page's foot, "8"
    # with their last lines (全部 / 完成) under the repeated header overleaf.
    header = ["序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [str(n), _spec(n).name, _value(n, 0), _value(n, 1)]

    name = _spec(18).name
    part1 = _grid([header, *_rows(row, range(1, 18)), ["1", name[:10], "全部", "全部"]], page=5)
    part2 = _grid([header, ["8", name[10:], "完成", "完成"], *_rows(row, range(19, 33))], page=6)
    r = _record(part1, part2)
    got = {i.number: i for i in r.indicators}
    assert [v.text for v in got[18].values] == ["全部完成", "全部完成"]
    assert got[19].values[0].value == pytest.approx(float(_value(19, 0)))


def test_a_row_cut_through_its_chinese_serial_by_a_page_break_is_one_row() -> None:
    # 二 / 十 / 五 of 序号 二十五 set one character per line: 二 with the values' signs at
    # one page's foot, 十五 with their digits (－ / 0.416) under the repeated header.
    header = ["序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [to_chinese_numeral(n), _spec(n).name, _value(n, 0), _value(n, 1)]

    name = _spec(25).name
    part1 = _grid([header, *_rows(row, range(1, 25)), ["二", name[:6], "－", "－"]], page=5)
    part2 = _grid(
        [header, ["十五", name[6:], "0.416", "1.019"], *_rows(row, range(26, 33))], page=6
    )
    r = _record(part1, part2)
    got = {i.number: i for i in r.indicators}
    assert [v.value for v in got[25].values] == [-0.416, -1.019]
    assert 15 not in got or got[15].values[0].value == pytest.approx(float(_value(15, 0)))


def test_numbering_restarted_after_eleven_rows_is_no_serial_cut_by_a_page_break() -> None:
    # （一）… 1 … 11, then （二）… 1, 2 on the same page: 1 then 2 after 11 reads like 12
    # cut in two, but no page break lies between them.
    header = ["序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        local = n if n <= 11 else n - 11
        return [str(local), _spec(n).name, _value(n, 0), _value(n, 1)]

    rows = [["（一）第一组", "", "", ""], *_rows(row, range(1, 12))]
    rows += [["（二）第二组", "", "", ""], *_rows(row, range(12, 33))]
    _expect_all(_record(_grid([header, *rows])))


def test_a_number_joined_from_two_lines_with_too_many_decimals_is_doubted() -> None:
    # 7.11 of this row and 59 of the next row's 59.38, joined in one wrapped cell
    header = ["序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [str(n), _spec(n).name, _value(n, 0), "7.11\n59" if n == 14 else _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    doubts = [f for f in r.findings if f.kind == "low_confidence" and f.indicator == 14]
    assert doubts and "7.1159" in doubts[0].message
    # a number wrapped the usual way (0.08 / 7 is 0.087) is not doubted
    assert not [f for f in r.findings if f.kind == "low_confidence" and f.indicator != 14]


def test_a_first_row_whose_serial_was_lost_is_a_row_of_its_own() -> None:
    # A scan lost the light 一 of row 1: its 序号 cell is empty, with no row above it to
    # have wrapped out of; its name and values make it row 1 — in the value table and in
    # the pass/fail table (a claim and no value). Later rows with an empty 序号 are still
    # the row above's wrapped text.
    header = ["分类", "序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [
            _spec(n).category,
            "" if n == 1 else str(n),
            _spec(n).name,
            _value(n, 0),
            _value(n, 1),
        ]

    claims = [
        ["序号", "指标", "达标情况"],
        *[["" if n == 1 else str(n), _spec(n).name, "达标"] for n in range(1, 33)],
    ]
    r = _record(_grid([header, *_rows(row)]), _grid(claims, page=6))
    _expect_all(r)
    by_number = {i.number: i for i in r.indicators}
    assert by_number[1].claimed_pass is True
    wrapped = [header, row(1), ["", "", "（续）", "", ""], *_rows(row, range(2, 33))]
    r = _record(_grid(wrapped))
    assert {i.number: i for i in r.indicators}[1].raw_name.endswith("（续）")


def test_a_serial_set_solid_into_the_name_cell_is_the_rows_own() -> None:
    # A scan placed row 2's 二 on its name's ink: an empty 序号 cell and 二人均工业增加值
    # in the name cell. It is row 2 (the next 序号), not text wrapped out of row 1.
    header = ["分类", "序号", "指标", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        serial, name = ("", "二" + _spec(n).name) if n == 2 else (str(n), _spec(n).name)
        return [_spec(n).category, serial, name, _value(n, 0), _value(n, 1)]

    r = _record(_grid([header, *_rows(row)]))
    _expect_all(r)
    assert {i.number: i for i in r.indicators}[2].raw_name == _spec(2).name


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("编 指标名称\n号", "name"),  # 编号 set vertically around the name header
        ("月26日\n指标名称", "name"),  # the wrapped tail of 填报时间 above the table
        ("区\n序号", "number"),
        ("201\n6年\n目标值", "target"),  # a year's digits are no spilt line
        ("序号 指标名称 单位", "other"),  # three headers in one cell name no one column
    ],
)
def test_a_header_cell_with_words_around_or_above_its_own_says_its_role(
    header: str, role: str
) -> None:
    assert column_role(header).role == role


def test_a_table_whose_first_header_cell_took_a_line_above_it_is_read() -> None:
    # 园区名称：… 填报时间：2019年6 / 月26日 wrapped, and its tail set into the header's
    # first cell, beside a 编号 set vertically around 指标名称: the name column still.
    header = ["月26日\n编 指标名称\n号", "标准值", "2016年", "2018年"]

    def row(n: int) -> list[str]:
        return [f"{n} {_spec(n).name}", "≥30", _value(n, 0), _value(n, 1)]

    _expect_all(_record(_grid([header, *_rows(row)])))
