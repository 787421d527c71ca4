"""Random truth for the randomised corpus: a park, its years, 32 indicator values, the
report's claims and its headline figures, drawn from one ``random.Random``.

The truth is what the page shows: numbers as printed in the standard's unit, qualitative
cells as their words, no value where the page prints a not-applicable mark. Layout draws
(layout.py) decide how the same truth is printed; the few that change what is printed
(a first row whose values read like years, rows omitted) are applied to the truth here
before the claims are computed, so truth and page cannot drift apart.
"""

from __future__ import annotations

import random
from typing import Any

from samples.generate.standard import INDICATORS, WATER_16

CITIES = [
    ("长春", "吉林", "0431", "130"),
    ("兰州", "甘肃", "0931", "730"),
    ("宁波", "浙江", "0574", "315"),
    ("合肥", "安徽", "0551", "230"),
    ("沧州", "河北", "0317", "061"),
    ("廊坊", "河北", "0316", "065"),
    ("天津", "天津", "022", "300"),
    ("西安", "陕西", "029", "710"),
    ("太原", "山西", "0351", "030"),
    ("郑州", "河南", "0371", "450"),
    ("成都", "四川", "028", "610"),
    ("南宁", "广西", "0771", "530"),
    ("烟台", "山东", "0535", "264"),
    ("苏州", "江苏", "0512", "215"),
    ("青岛", "山东", "0532", "266"),
    ("包头", "内蒙古", "0472", "014"),
]
# 京津冀 cities, and cities on the national water-scarce list (the region class of #16).
JJJ = {"沧州", "廊坊", "天津"}
WATER_SCARCE = {"兰州", "西安", "太原", "郑州", "包头", "青岛"}
PARK_KINDS = [
    ("经济技术开发区", "经济技术开发区", "国家级"),
    ("高新技术产业开发区", "高新技术产业开发区", "国家级"),
    ("综合保税区", "保税区", "国家级"),
    ("经济开发区", "经济开发区", "省级"),
    ("化工园区", "其他", "省级以下"),
    ("出口加工区", "出口加工区", "国家级"),
]
QUARTERS = ["新区", "临港", "南部", "北部", "西部", "滨海", "东部", "江北", "空港", "高新"]
STREETS = ["工业大道", "兴业路", "创新路", "经开大街", "滨河路", "科技大道", "开发大道"]

# number → (low, high, decimals) of a plausible drawn value (report year).
RANGES: dict[int, tuple[float, float, int]] = {
    1: (15, 70, 2),
    2: (8, 60, 2),
    3: (-5, 30, 2),
    4: (5, 60, 2),
    5: (2, 16, 0),
    6: (50, 99.9, 2),
    7: (55, 99.9, 2),
    8: (4, 40, 2),
    9: (-3, 15, 2),
    10: (-0.8, 1.2, 2),
    11: (0.05, 0.9, 3),
    12: (2, 30, 2),
    13: (-0.8, 1.1, 2),
    14: (2, 14, 2),
    15: (55, 99, 2),
    16: (5, 45, 2),
    19: (0, 0, 0),
    20: (85, 100, 0),
    21: (80, 100, 0),
    23: (85, 100, 0),
    24: (95, 100, 0),
    25: (-1.2, 0.9, 3),
    26: (-2, 18, 2),
    27: (1, 12, 2),
    28: (0.01, 0.3, 3),
    29: (12, 45, 2),
    30: (85, 100, 0),
    31: (85, 100, 0),
    32: (1, 12, 0),
}
QUALITATIVE = {17: ("达标", "未达标"), 18: ("全部完成", "未全部完成"), 22: ("具备", "不具备")}
# 100 % indicators are 100 most of the time; 19 (incidents) is 0 most of the time.
PERFECT = {20, 21, 23, 24, 30, 31}
COND_THRESHOLD = {10: 0.6, 13: 0.55, 25: 0.3}

FIGURE_LABELS: dict[str, list[str]] = {
    "gdp": ["地区生产总值", "生产总值", "地区生产总值（GDP）"],
    "industrial_output": ["规模以上工业产值", "规模以上工业总产值", "工业总产值"],
    "fixed_asset_investment": ["固定资产投资", "全社会固定资产投资额", "固定资产投资额"],
    "fiscal_revenue": ["地方级财政收入", "一般公共预算收入", "地方一般公共预算收入", "财政收入"],
    "industrial_value_added": ["工业增加值", "规模以上工业增加值", "全部工业增加值"],
}
FIGURE_RANGES = {
    "gdp": (80, 2500),
    "industrial_output": (150, 6000),
    "fixed_asset_investment": (40, 1200),
    "fiscal_revenue": (5, 300),
    "industrial_value_added": (40, 1500),
}


def _num(rng: random.Random, lo: float, hi: float, d: int) -> float | int:
    v = rng.uniform(lo, hi)
    return round(v) if d == 0 else round(v, d)


def requirement(n: int) -> str:
    return INDICATORS[n][3]


def passes(n: int, v: float | int | str, growth: float, region: str) -> bool:
    """A literal reading of the requirement (the standard's wording, standard.py)."""
    req = requirement(n)
    if isinstance(v, str):
        return v == req
    if req == WATER_16:
        return v >= {"缺水城市": 20, "京津冀": 30}.get(region, 10)
    if n in COND_THRESHOLD:  # elasticity: ≤ threshold while the park grows, ≥ when it shrinks
        thr = COND_THRESHOLD[n]
        return v <= thr if growth > 0 else v >= thr
    if req.startswith("≥"):
        return v >= float(req[1:])
    if req.startswith("≤"):
        return v <= float(req[1:])
    return float(v) == float(req)


def draw_park(rng: random.Random) -> tuple[dict[str, str], str]:
    city, _prov, area, post = rng.choice(CITIES)
    suffix, ptype, level = rng.choice(PARK_KINDS)
    q = rng.choice(QUARTERS)
    name = f"{city}{q}{suffix}"
    region = "京津冀" if city in JJJ else ("缺水城市" if city in WATER_SCARCE else "其他")
    park = {
        "name": name,
        "address": f"{city}市{q}区{rng.choice(STREETS)}{rng.randint(1, 9999)}号",
        "postcode": f"{post}{rng.randint(0, 999):03d}",
        "phone": f"{area}-{rng.randint(10000000, 89999999)}",
        "email": f"hb{rng.randint(100, 9999)}@{rng.choice(['163.com', 'qq.com', 'gov.cn'])}",
        "level": level,
        "type": ptype,
        "named": rng.choice(["已命名", "创建中"]),
    }
    return park, region


def draw_values(rng: random.Random, n: int, years: list[int]) -> dict[str, float | int | str]:
    out: dict[str, float | int | str] = {}
    for y in years:
        if n in QUALITATIVE:
            good, bad = QUALITATIVE[n]
            out[str(y)] = good if rng.random() < 0.9 else bad
        elif n == 19:
            out[str(y)] = 0 if rng.random() < 0.92 else rng.randint(1, 2)
        elif n in PERFECT and rng.random() < 0.75:
            out[str(y)] = 100
        else:
            lo, hi, d = RANGES[n]
            out[str(y)] = _num(rng, lo, hi, d)
    return out


def draw_truth(rng: random.Random, doc_id: str) -> dict[str, Any]:
    """Park, years, values and figures; claims are set by ``finish_truth`` once the layout
    has decided what is printed."""
    park, region = draw_park(rng)
    report_year = rng.randint(2016, 2024)
    base = report_year - rng.choice([2, 3, 3, 4, 5])
    years = [base, report_year]
    if rng.random() < 0.4:
        years = [base, report_year - 1, report_year]
    indicators = []
    for n, (cat, name, unit, req, mandatory, _fn) in INDICATORS.items():
        assessed = "必选" if mandatory else rng.choice(["是", "否"])
        indicators.append(
            {
                "number": n,
                "category": cat,
                "name": name,
                "unit": unit,
                "requirement": req,
                "assessed": assessed,
                "values": draw_values(rng, n, years),
                "display": {},
                "claimed_pass": None,
                "true_pass": None,
            }
        )
    keys = ["gdp", "industrial_output", "fixed_asset_investment", "fiscal_revenue"]
    if rng.random() < 0.5:
        keys.append("industrial_value_added")
    figures = []
    for k in keys:
        lo, hi = FIGURE_RANGES[k]
        yi = round(rng.uniform(lo, hi), 2)
        unit = "亿元" if rng.random() < 0.6 else "万元"
        value: float | int = yi if unit == "亿元" else round(yi * 10000)
        figures.append(
            {
                "key": k,
                "label": rng.choice(FIGURE_LABELS[k]),
                "value": value,
                "unit": unit,
                "year": report_year,
                "mentions": [],
            }
        )
    return {
        "id": doc_id,
        "family": "",
        "park": park,
        "region_class": region,
        "report_year": report_year,
        "columns": years,
        "indicators": indicators,
        "figures": figures,
        "injected_errors": [],
        "layout": {},
    }


def finish_truth(
    rng: random.Random, truth: dict[str, Any], claims_printed: bool, n_errors: int
) -> None:
    """true_pass from the report-year values; claimed_pass where a claim is printed, with
    ``n_errors`` claims flipped against their value (recorded in injected_errors)."""
    y = str(truth["report_year"])
    growth_v = next((i["values"].get(y) for i in truth["indicators"] if i["number"] == 3), 1.0)
    growth = float(growth_v) if isinstance(growth_v, (int, float)) else 1.0
    for ind in truth["indicators"]:
        v = ind["values"].get(y)
        ind["true_pass"] = (
            None if v is None else passes(ind["number"], v, growth, truth["region_class"])
        )
        ind["claimed_pass"] = ind["true_pass"] if claims_printed else None
    if claims_printed and n_errors:
        # #16 depends on a region class the page does not print: never inject there
        cands = [
            i for i in truth["indicators"] if i["claimed_pass"] is not None and i["number"] != 16
        ]
        for ind in rng.sample(cands, min(n_errors, len(cands))):
            ind["claimed_pass"] = not ind["claimed_pass"]
            kind = "claimed_pass_but_fails" if ind["claimed_pass"] else "claimed_fail_but_passes"
            truth["injected_errors"].append({"indicator": ind["number"], "kind": kind})
        truth["injected_errors"].sort(key=lambda e: e["indicator"])
