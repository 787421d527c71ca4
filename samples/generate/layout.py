"""Layout draws for the randomised corpus, and the tables they print.

``draw_layout`` makes every dimension an independent draw (issue 12's list of what goes
wrong, and the validation README's "what varies" / "real reports vary further");
``apply_to_truth`` changes the truth where a draw changes what is printed (rows omitted, a
first row whose values read like years, not-applicable cells); ``annex_tables`` and
``claims_table`` build the producer-neutral tables, and fill the truth's ``display``.

Where a draw's reading could be ambiguous, the truth is what a careful reader writes: a
not-applicable mark (/, —, -, 未统计, 暂无, blank) is no value (the cell is left out of
``values``; ``not_applicable`` records the mark); a unit inside a value cell is not part of
the value; a target column is never a year's value.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from samples.generate.model import Cell, Table
from samples.generate.standard import CATEGORIES, COND, WATER_16

PRODUCERS = ["docx", "html", "reportlab", "md_tsv", "md_docling", "md_mineru"]
# PDFs are two thirds of the corpus, Markdown one third (one ninth per flavour)
PRODUCER_WEIGHTS = [2, 2, 2, 1, 1, 1]
FONTS = {
    "reportlab": ["AR PL UMing CN", "WenQuanYi Zen Hei"],
    "docx": ["AR PL UMing CN", "WenQuanYi Zen Hei", "Noto Serif CJK SC", "Noto Sans CJK SC"],
    "html": ["AR PL UMing CN", "WenQuanYi Zen Hei", "Noto Serif CJK SC", "Noto Sans CJK SC"],
}
COL_ORDERS = {
    "V1": ["category", "number", "name", "unit", "requirement", "assessed", "target", "years"],
    "V2": ["category", "number", "name", "unit", "assessed", "years", "target", "requirement"],
    "V3": ["number", "category", "name", "unit", "requirement", "assessed", "years", "target"],
    "V4": ["category", "number", "name", "requirement", "unit", "assessed", "target", "years"],
}
YEAR_FORMS = {
    "plain": "{y}",
    "nian": "{y}年",
    "base_paren": "基准年（{y}年）",
    "paren_base": "{y}年（基准年）",
    "current": "{y}年（现状值）",
    "eval": "评价年（{y}年）",
}
BASE_FORMS = ["plain", "nian", "base_paren", "paren_base"]
REPORT_FORMS = ["plain", "nian", "current", "eval"]
SYNONYMS = {
    "category": ["分类", "类别", "指标类别"],
    "number": ["序号", "编号"],
    "name": ["指标", "指标名称"],
    "unit": ["单位", "计量单位"],
    "requirement": ["要求", "标准值", "考核要求", "指标要求"],
}
CLAIM_HEADERS = ["是否达标", "是否达到标准要求", "达标情况", "评价结果"]
CLAIM_WORDS = [("是", "否"), ("达标", "未达标"), ("√", "×")]
NA_MARKS = ["/", "—", "-", "未统计", "暂无", ""]
MINUS = ["-", "－", "−"]
CN_NUM = "一二三四五六七八九十"
# the standard's footnote markers (a: per unit of value added, b: recycled resources)
FOOTNOTES = {6: "a", 7: "b", 11: "a", 14: "a", 26: "a", 27: "a", 28: "a"}
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def chinese_numeral(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[ones - 1] if ones else "")


def draw_layout(rng: random.Random, producer: str | None = None) -> dict[str, Any]:
    p = producer or rng.choices(PRODUCERS, PRODUCER_WEIGHTS)[0]
    L: dict[str, Any] = {"producer": p}
    L["font"] = rng.choice(FONTS.get(p, ["-"]))
    L["body_pt"] = rng.choice([10, 10.5, 11, 12, 13, 14])
    L["table_pt"] = rng.choice([7.5, 8, 8.5, 9, 9.5, 10, 10.5])
    L["col_order"] = rng.choice(sorted(COL_ORDERS))
    L["number_col"] = rng.choice(["arabic", "arabic", "chinese", "none", "group_restart"])
    L["borders"] = rng.choice(["grid", "grid", "none", "three_line"])
    if L["number_col"] == "group_restart":
        L["category_col"] = "none"
    elif L["borders"] == "none":
        L["category_col"] = rng.choice(["first_only", "repeat"])
    else:
        L["category_col"] = rng.choice(["merged", "merged", "repeat", "first_only"])
    L["assessed_col"] = rng.choice([None, "是否为考核指标", "考核指标"])
    L["year_base"] = rng.choice(BASE_FORMS)
    L["year_report"] = rng.choice(REPORT_FORMS)
    L["value_suffix"] = rng.choice(["", "", "实际值", "完成值"])
    L["target"] = rng.choice([None, None, "year_target", "plan_paren", "under_done"])
    L["target_year_offset"] = rng.choice([0, 0, 1, 2, 4])
    L["units"] = rng.choice(["column", "column", "in_cell", "in_name", "header"])
    group = rng.choice([None, None, "指标值", "完成情况", "年度", "实际值"])
    if L["target"] == "under_done":
        group = "完成情况"
    if L["units"] == "header":
        group = "指标值（%）"
    L["group_header"] = group
    L["first_row_yearlike"] = rng.random() < 0.25
    L["claims"] = rng.choice(["separate", "separate", "column", "none"])
    L["claim_header"] = rng.choice(CLAIM_HEADERS)
    L["claim_words"] = list(rng.choice(CLAIM_WORDS))
    L["synonyms"] = {k: rng.choice(v) for k, v in SYNONYMS.items()}
    L["shuffle_within"] = rng.random() < 0.25
    L["shuffle_categories"] = rng.random() < 0.15
    L["omit_rows"] = rng.choice([0, 0, 0, 1, 2, 3])
    L["split"] = rng.choice(["one", "one", "two_tables", "continued"])
    L["continued_caption"] = rng.choice(["续表", "续上表", "续表1"])
    L["header_repeat"] = rng.random() < 0.5
    L["row_split"] = p == "docx" and rng.random() < 0.5
    L["landscape"] = p in ("docx", "html", "reportlab") and rng.random() < 0.2
    L["pct"] = rng.choice(["none", "none", "all", "mixed"])
    L["fullwidth_p"] = rng.choice([0, 0, 0, 0.05, 0.12])
    L["minus"] = rng.choice(MINUS)
    L["trim_zeros"] = rng.random() < 0.3
    L["yuan_per_person"] = rng.random() < 0.15  # #2 printed in 元/人 with separators (504,400)
    L["na_rate"] = rng.choice([0, 0, 0.05, 0.12])
    L["na_mark"] = rng.choice(NA_MARKS)
    L["remarks"] = rng.choice([None, None, None, "备注", "数据来源"])
    L["cat_spaced"] = rng.random() < 0.2
    L["req_space"] = rng.random() < 0.3
    L["cond_break"] = rng.random() < 0.5
    L["n_errors"] = rng.choice([0, 0, 1, 1, 2, 3]) if L["claims"] != "none" else 0
    L["fig_restate"] = rng.random() < 0.4
    L["fig_thousands"] = rng.random() < 0.5
    L["fig_prev"] = rng.random() < 0.4
    L["fig_plan"] = rng.random() < 0.5
    L["fig_unrelated"] = rng.random() < 0.6
    L["narrative_sections"] = rng.randint(2, 8)
    L["page_header_footer"] = p in ("docx", "html", "reportlab") and rng.random() < 0.5
    L["footnote_marks"] = rng.random() < 0.4  # <sup>a</sup> after some names
    L["kangxi"] = p == "html" and rng.random() < 0.15  # Kangxi radicals in the text layer
    L["encrypted"] = p in ("docx", "html", "reportlab") and rng.random() < 0.08
    L["md_latex"] = p.startswith("md_") and rng.random() < 0.4  # $\\geq 30$ requirements
    L["md_checkbox"] = rng.choice(["input", "■□", "☑☐"]) if p.startswith("md_") else None
    return L


def visible_minus(L: dict[str, Any]) -> str:
    """reportlab draws a glyph its font lacks as invisible .notdef: the TrueType CJK fonts
    have no U+2212, so the page shows the nearest form they have (FIELD-NOTES)."""
    if L["producer"] == "reportlab" and L["minus"] == "−":
        return "－"
    return str(L["minus"])


# -- truth changes -------------------------------------------------------------------


def row_order(rng: random.Random, L: dict[str, Any], truth: dict[str, Any]) -> list[int]:
    cats = list(CATEGORIES)
    if L["shuffle_categories"]:
        rng.shuffle(cats)
    order: list[int] = []
    for c in cats:
        nums = [i["number"] for i in truth["indicators"] if i["category"] == c]
        if L["shuffle_within"]:
            rng.shuffle(nums)
        order += nums
    return order


def apply_to_truth(rng: random.Random, L: dict[str, Any], truth: dict[str, Any]) -> None:
    order = row_order(rng, L, truth)
    if L["omit_rows"]:
        gone = set(rng.sample(order, L["omit_rows"]))
        order = [n for n in order if n not in gone]
        truth["indicators"] = [i for i in truth["indicators"] if i["number"] not in gone]
        L["omitted"] = sorted(gone)
    L["order"] = order
    by_num = {i["number"]: i for i in truth["indicators"]}
    years = [str(y) for y in truth["columns"]]
    if L["first_row_yearlike"]:
        # a first data row whose numbers read like years (20.15, 19.28): % values only
        first = by_num[order[0]]
        if first["unit"] == "%" and all(not isinstance(v, str) for v in first["values"].values()):
            for y in years:
                first["values"][y] = rng.choice([20.15, 19.28, 20.5, 20.21, 19.95, 20.08])
        else:
            L["first_row_yearlike"] = False
    if L["yuan_per_person"]:
        two = by_num.get(2)
        if two:
            two["unit"] = "元/人"
            for y in years:
                two["values"][y] = round(float(two["values"][y]) * 10000)
    # not-applicable marks on earlier-year cells (the report year keeps its value)
    truth["not_applicable"] = {}
    if L["na_rate"]:
        for ind in truth["indicators"]:
            for y in years[:-1]:
                if ind["number"] not in (17, 18, 22) and rng.random() < L["na_rate"]:
                    del ind["values"][y]
                    truth["not_applicable"].setdefault(str(ind["number"]), []).append(y)


# -- cell text -------------------------------------------------------------------------


def fmt_value(
    rng: random.Random, L: dict[str, Any], v: float | int | str, decimals: int, unit: str
) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, int) or decimals == 0:
        s = f"{int(v)}"
    else:
        s = f"{v:.{decimals}f}"
        if L["trim_zeros"]:
            s = s.rstrip("0").rstrip(".")
    neg = s.startswith("-")
    s = s.lstrip("-")
    if unit == "元/人":
        s = f"{int(s):,}"
    if L["fullwidth_p"] and rng.random() < L["fullwidth_p"]:
        s = s.translate(FULLWIDTH)
    if neg:
        s = visible_minus(L) + s
    if unit == "%" and (L["pct"] == "all" or (L["pct"] == "mixed" and rng.random() < 0.35)):
        s += "%"
    elif L["units"] == "in_cell" and unit not in ("%", "—"):
        s += unit
    return s


def decimals_of(n: int, v: float | int | str) -> int:
    """Digits printed after the point: the indicator's, or two for a drawn decimal on an
    integer indicator (a year-like first row: 20.15 on a 100 % indicator)."""
    from samples.generate.draw import RANGES

    if n == 2 and isinstance(v, int):
        return 0
    d = RANGES.get(n, (0, 0, 0))[2]
    if isinstance(v, float) and not v.is_integer():
        d = max(d, 2)
    return d


def name_text(L: dict[str, Any], ind: dict[str, Any]) -> str:
    unit = ind["unit"]
    if L["units"] == "in_name" and unit != "—":
        return f"{ind['name']}（{unit}）"
    if L["units"] == "header" and unit not in ("%", "—"):
        return f"{ind['name']}（{unit}）"
    return str(ind["name"])


def requirement_lines(L: dict[str, Any], n: int, req: str) -> list[str]:
    parts = [req]
    if req == WATER_16:
        parts = req.split(" ")
    elif any(req == COND.format(v=v) for v in ("0.6", "0.55", "0.3")):
        a, _, b = req.partition(" 当")
        parts = [a, "当" + b]
    if L["req_space"]:
        parts = [p.replace("≥", "≥ ").replace("≤", "≤ ") for p in parts]
    if not L["cond_break"]:
        return [" ".join(parts)]
    return parts


def year_header(L: dict[str, Any], y: int, i: int, n_years: int) -> str:
    if i == n_years - 1:
        form = L["year_report"]
    elif i == 0:
        form = L["year_base"]
    else:
        form = "nian" if L["year_base"] != "plain" else "plain"
    h = YEAR_FORMS[form].format(y=y)
    if L["value_suffix"] and form in ("plain", "nian"):
        h = f"{y}年{L['value_suffix']}"
    return h


def target_header(L: dict[str, Any], report_year: int) -> str:
    ty = report_year + L["target_year_offset"]
    return {
        "year_target": f"{ty}年目标值",
        "plan_paren": f"规划目标（{ty}年）",
        "under_done": "目标值",
    }[L["target"]]


def remark_text(rng: random.Random, y: int) -> str:
    return rng.choice(
        [
            "",
            "",
            f"较{y - 1}年提高{rng.uniform(0.5, 9):.1f}个百分点",
            f"数据来源于{y}年统计年鉴",
            f"含{rng.randint(2, 30)}家重点企业",
            f"{y}年新增{rng.randint(1, 9)}项",
            "园区环保局统计",
        ]
    )


# -- tables ------------------------------------------------------------------------------


def columns(L: dict[str, Any], truth: dict[str, Any], *, claims_table: bool) -> list[str]:
    """Roles in printed order; ``year:YYYY`` for a value column."""
    roles: list[str] = []
    years = [f"year:{y}" for y in truth["columns"]]
    for r in COL_ORDERS[L["col_order"]]:
        if r == "category" and L["category_col"] == "none":
            continue
        if r == "number" and L["number_col"] == "none":
            continue
        if r == "unit" and L["units"] in ("in_name", "header"):
            continue
        if r == "assessed" and not L["assessed_col"]:
            continue
        if r == "target" and (claims_table or not L["target"]):
            continue
        if r == "years":
            if not claims_table:
                roles += years
            continue
        roles.append(r)
    if L["target"] == "under_done" and not claims_table:
        # 目标值 sits under the same merged 完成情况 header as the values, first
        roles.remove("target")
        i = roles.index(years[0])
        roles.insert(i, "target")
    if claims_table or L["claims"] == "column":
        roles.append("claim")
    if L["remarks"] and not claims_table:
        roles.append("remark")
    return roles


def header_rows(
    L: dict[str, Any], truth: dict[str, Any], roles: list[str], *, claims_table: bool
) -> list[list[Cell | None]]:
    n_years = len(truth["columns"])

    def head(r: str) -> str:
        if r.startswith("year:"):
            y = int(r[5:])
            return year_header(L, y, truth["columns"].index(y), n_years)
        if r == "assessed":
            return str(L["assessed_col"])
        if r == "target":
            return target_header(L, truth["report_year"])
        if r == "claim":
            return str(L["claim_header"])
        if r == "remark":
            return str(L["remarks"])
        return str(L["synonyms"][r])

    group = L["group_header"] if not claims_table else None
    spanned = [
        i
        for i, r in enumerate(roles)
        if r.startswith("year:") or (r == "target" and L["target"] == "under_done")
    ]
    if not group:
        return [[Cell(head(r), head=True) for r in roles]]
    top: list[Cell | None] = []
    bottom: list[Cell | None] = []
    for i, r in enumerate(roles):
        if i in spanned:
            top.append(Cell(group, colspan=len(spanned), head=True) if i == spanned[0] else None)
            bottom.append(Cell(head(r), head=True))
        else:
            top.append(Cell(head(r), rowspan=2, head=True))
            bottom.append(None)
    return [top, bottom]


def body_rows(
    rng: random.Random,
    L: dict[str, Any],
    truth: dict[str, Any],
    roles: list[str],
    order: list[int],
    state: dict[str, Any],
    *,
    claims_table: bool,
) -> tuple[list[list[Cell | None]], set[int]]:
    """``state`` carries the numbering over to a continuation table (its first category
    is printed again, as a new table prints it; the 序号 run goes on)."""
    by_num = {i["number"]: i for i in truth["indicators"]}
    yes, no = L["claim_words"]
    rows: list[list[Cell | None]] = []
    groups: set[int] = set()
    ncol = len(roles)
    prev_cat = None
    last_cat = state.get("cat")
    k_in_group = state.get("k_in_group", 0)
    k_all = state.get("k_all", 0)
    n_groups = state.get("groups", 0)
    cat_rows: list[tuple[int, str]] = []  # (row index, category) for merging
    for n in order:
        ind = by_num[n]
        cat = ind["category"]
        if cat != prev_cat and cat != last_cat:
            k_in_group = 0
            if L["number_col"] == "group_restart":
                n_groups += 1
                groups.add(len(rows))
                label = f"（{chinese_numeral(n_groups)}）{cat}"
                rows.append([Cell(label, colspan=ncol, align="l"), *[None] * (ncol - 1)])
        last_cat = cat
        k_in_group += 1
        k_all += 1
        row: list[Cell | None] = []
        for r in roles:
            if r == "category":
                text = " ".join(cat) if L["cat_spaced"] else cat
                show = L["category_col"] == "repeat" or cat != prev_cat
                row.append(Cell(text if show else ""))
                if cat != prev_cat:
                    cat_rows.append((len(rows), cat))
            elif r == "number":
                if L["number_col"] == "chinese":
                    row.append(Cell(chinese_numeral(k_all)))
                elif L["number_col"] == "group_restart":
                    row.append(Cell(str(k_in_group)))
                else:
                    row.append(Cell(str(k_all)))
            elif r == "name":
                sup = FOOTNOTES.get(n, "") if L["footnote_marks"] else ""
                row.append(Cell(name_text(L, ind), align="l", sup=sup))
            elif r == "unit":
                row.append(Cell(str(ind["unit"])))
            elif r == "requirement":
                lines = requirement_lines(L, n, ind["requirement"])
                row.append(
                    Cell(
                        " ".join(lines),
                        lines=lines if len(lines) > 1 else None,
                        align="l" if len(lines[0]) > 12 else "c",
                    )
                )
            elif r == "assessed":
                row.append(Cell(str(ind["assessed"])))
            elif r.startswith("year:"):
                y = r[5:]
                if y in ind["values"]:
                    v = ind["values"][y]
                    text = ind["display"].get(y) or fmt_value(
                        rng, L, v, decimals_of(n, v), ind["unit"]
                    )
                else:
                    text = L["na_mark"]
                ind["display"][y] = text
                row.append(Cell(text))
            elif r == "target":
                v = ind["values"].get(str(truth["report_year"]))
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    from samples.generate.draw import RANGES

                    lo, hi, d = RANGES.get(n, (0, 100, 0))
                    t = round(rng.uniform(lo, hi), d) if d else round(rng.uniform(lo, hi))
                    if n == 2 and ind["unit"] == "元/人":
                        t = int(t) * 10000
                    text = fmt_value(rng, L, t, d, ind["unit"])
                else:
                    text = str(ind["requirement"])
                row.append(Cell(text))
            elif r == "claim":
                cp = ind["claimed_pass"]
                row.append(Cell("" if cp is None else (yes if cp else no)))
            elif r == "remark":
                row.append(Cell(remark_text(rng, truth["report_year"]), align="l"))
        prev_cat = cat
        rows.append(row)
    if L["category_col"] == "merged" and "category" in roles:
        ci = roles.index("category")
        bounds = [*(i for i, _ in cat_rows), len(rows)]
        for a, b in itertools.pairwise(bounds):
            if b - a > 1:
                cell = rows[a][ci]
                assert cell is not None
                cell.rowspan = b - a
                for i in range(a + 1, b):
                    rows[i][ci] = None
    state.update(cat=last_cat, k_in_group=k_in_group, k_all=k_all, groups=n_groups)
    return rows, groups


def make_table(
    rng: random.Random,
    L: dict[str, Any],
    truth: dict[str, Any],
    order: list[int],
    state: dict[str, Any],
    *,
    claims_table: bool,
) -> Table:
    roles = columns(L, truth, claims_table=claims_table)
    header = header_rows(L, truth, roles, claims_table=claims_table)
    body, groups = body_rows(rng, L, truth, roles, order, state, claims_table=claims_table)
    return Table(
        header=header,
        body=body,
        roles=[r.split(":")[0] for r in roles],
        borders=L["borders"],
        repeat_header=L["header_repeat"],
        row_split=L["row_split"],
        font_pt=L["table_pt"],
        group_rows=groups,
    )


def split_orders(
    rng: random.Random, L: dict[str, Any], order: list[int], truth: dict[str, Any]
) -> list[list[int]]:
    """The annex table's row runs: one table, or two (经济发展 + 产业共生, then the rest; or
    cut at a random row under a 续表 caption)."""
    if L["split"] == "two_tables":
        by_num = {i["number"]: i for i in truth["indicators"]}
        first_cats: list[str] = []
        for n in order:
            c = by_num[n]["category"]
            if c not in first_cats:
                first_cats.append(c)
        head = [n for n in order if by_num[n]["category"] in first_cats[:2]]
        tail = [n for n in order if by_num[n]["category"] not in first_cats[:2]]
        return [head, tail] if head and tail else [order]
    if L["split"] == "continued":
        cut = rng.randint(8, max(9, len(order) - 6))
        return [order[:cut], order[cut:]]
    return [order]
