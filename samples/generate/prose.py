"""Narrative of a randomised report: the headline figures in drawn phrasings and units, with
distractors (growth rates after a figure, the previous year's amount, next year's plans,
unrelated amounts), restated in another section and unit, and filler paragraphs.

No filler sentence names a figure label (生产总值, 工业产值, 固定资产投资, 财政收入, 工业增加值):
the only amounts a careful reader takes for a headline figure are the drawn ones.
"""

from __future__ import annotations

import random
from typing import Any

from samples.generate.model import Block

FILLER = [
    "园区污水处理厂设计处理能力{a}万吨/日，全年处理污水{b}万吨，出水水质稳定达到一级A标准。",
    "全年开工建设项目{n}个，竣工投产项目{m}个，新增科技型企业{k}户。",
    "实施工业用水定额管理，重点用水企业水效对标达标，节水水平稳步提升。",
    "组织{n}家重点企业开展清洁生产审核，完成中高费方案{m}项。",
    "依托生态工业信息平台，定期发布园区环境质量、重点企业排污等信息，全年发布信息{n}条。",
    "完成燃煤锅炉淘汰改造{k}台，实施挥发性有机物综合治理项目{m}个，区域空气质量优良天数达到{d}天。",
    "推进一般工业固体废物和危险废物规范化管理，危险废物安全处置率保持100%。",
    "实施河道综合整治工程，清淤疏浚河道{a}公里，新建生态护岸{c}公里。",
    "与{k}所高校和科研院所建立产学研合作关系，建成省级以上研发平台{n}个。",
    "制定园区碳达峰实施方案，开展重点企业碳排放核查，推进减污降碳协同增效。",
    "深化“放管服”改革，推行“一门、一网、一次”政务服务，企业开办时间压缩至{k}个工作日。",
    "划定禁养区{c}平方公里，占行政区面积的{p}%，畜禽养殖污染得到有效控制。",
    "围绕主导产业链条，引进上下游配套项目{k}个，形成“企业小循环、园区中循环、区域大循环”的发展格局。",
]
UNRELATED = [
    "完成方案及施工图设计{k}项，完工{m}项，完成投资约{w}万元。",
    "全年争取上级环保专项资金{y}亿元，用于重点环境治理工程。",
    "累计投入清洁生产改造资金{w}万元。",
]
SECTIONS = [
    "（一）推进产业共生，生态工业链条持续延伸",
    "（二）强化资源节约，资源产出效率持续提高",
    "（三）深化污染防治，环境风险防控能力进一步增强",
    "（四）推进信息公开，生态文化氛围日益浓厚",
    "（五）强化科技创新，培育发展新动能",
    "（六）优化营商环境，项目建设提速增效",
    "（七）完善基础设施，园区承载能力不断增强",
    "（八）健全管理机制，生态工业建设保障有力",
]


def _fill(rng: random.Random, t: str) -> str:
    return t.format(
        a=round(rng.uniform(1, 30), 1),
        b=rng.randint(200, 5000),
        c=round(rng.uniform(1, 200), 2),
        n=rng.randint(5, 90),
        m=rng.randint(2, 40),
        k=rng.randint(2, 20),
        d=rng.randint(200, 330),
        p=round(rng.uniform(5, 60), 2),
        w=f"{rng.uniform(1e4, 4e5):.4f}",
        y=round(rng.uniform(0.2, 9), 1),
    )


def amount(value: float | int, unit: str, thousands: bool) -> str:
    if unit == "万元":
        return f"{int(value):,}" if thousands else f"{int(value)}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def figure_clause(rng: random.Random, L: dict[str, Any], f: dict[str, Any], style: str) -> str:
    num = amount(f["value"], f["unit"], L["fig_thousands"])
    g = round(rng.uniform(-4, 15), 1)
    trend = f"同比增长{g}%" if g >= 0 else f"同比下降{-g}%"
    label, unit = f["label"], f["unit"]
    if style == "complete":
        return f"全年完成{label}{num}{unit}，{trend}"
    if style == "achieve":
        return f"实现{label}{num}{unit}，比上年增长{abs(g)}%"
    if style == "reach":
        return f"{label}达到{num}{unit}"
    if style == "is":
        return f"{label}为{num}{unit}"
    # "prev": the previous year's amount after the figure (a distractor a reader skips)
    prev_v = f["value"] * rng.uniform(0.8, 0.97)
    prev = amount(round(prev_v, 2) if unit == "亿元" else int(prev_v), unit, L["fig_thousands"])
    return f"{label}{num}{unit}，较上年的{prev}{unit}增长{abs(g)}%"


def figures_paragraph(rng: random.Random, L: dict[str, Any], truth: dict[str, Any]) -> str:
    styles = ["complete", "achieve", "reach", "is"] + (["prev"] if L["fig_prev"] else [])
    used = []
    clauses = []
    for f in truth["figures"]:
        s = rng.choice(styles)
        used.append(s)
        clauses.append(figure_clause(rng, L, f, s))
    L["fig_styles"] = used
    y = truth["report_year"]
    lead = rng.choice([f"{y}年，园区", f"{y}年是园区建设发展不平凡的一年。全年", "过去一年，园区"])
    return lead + "；".join(clauses) + "。"


def restated(rng: random.Random, L: dict[str, Any], truth: dict[str, Any]) -> str:
    """The figures again in the other unit (亿元 ↔ 万元): consistent, recorded as mentions."""
    parts = []
    for f in truth["figures"][:2]:
        if f["unit"] == "亿元":
            v2: float | int = round(f["value"] * 10000)
            u2 = "万元"
        else:
            v2, u2 = round(f["value"] / 10000, 2), "亿元"
            if abs(v2 * 10000 - f["value"]) > 1e-6:
                continue  # not exactly restatable in 亿元 with two decimals
        f["mentions"].append({"value": v2, "unit": u2})
        parts.append(f"{f['label']}{amount(v2, u2, L['fig_thousands'])}{u2}")
    if not parts:
        return ""
    return "全年园区" + "，".join(parts) + "，经济、社会和环境效益同步提升。"


def front_blocks(rng: random.Random, L: dict[str, Any], truth: dict[str, Any]) -> list[Block]:
    park = truth["park"]
    y = truth["report_year"]
    region = truth["region_class"]
    where = {"京津冀": "地处京津冀区域", "缺水城市": "所在城市为国家公布的缺水城市"}.get(region, "")
    intro = (
        f"{park['name']}于{y - rng.randint(8, 25)}年正式成立，规划面积{round(rng.uniform(10, 150), 2)}平方公里"
        + (f"，{where}" if where else "")
        + "。开发区始终坚持“生态立区、绿色发展”理念，把生态工业示范园区建设作为推动高质量发展的重要抓手。"
    )
    blocks = [Block("p", intro), Block("p", figures_paragraph(rng, L, truth))]
    blocks.append(Block("h1", "一、建设工作主要进展"))
    for title in SECTIONS[: L["narrative_sections"]]:
        blocks.append(Block("h2", title))
        for _ in range(rng.randint(1, 3)):
            sents = [_fill(rng, rng.choice(FILLER)) for _ in range(rng.randint(2, 4))]
            if L["fig_unrelated"] and rng.random() < 0.4:
                sents.append(_fill(rng, rng.choice(UNRELATED)))
            blocks.append(Block("p", "".join(sents)))
    blocks.append(Block("h1", "二、建设主要成果"))
    res = f"{y}年，园区经济发展、产业共生、资源节约、环境保护和信息公开等各项指标总体达到国家生态工业示范园区标准要求。"
    if L["fig_restate"]:
        res += restated(rng, L, truth)
    blocks.append(Block("p", res))
    blocks.append(Block("h1", "三、主要问题和制约因素"))
    blocks.append(
        Block(
            "p",
            "一是产业链条仍需延伸；二是中水回用管网尚未全覆盖；三是环境监管信息化水平有待提高。",
        )
    )
    blocks.append(Block("h1", f"四、{y + 1}年工作计划"))
    plan = f"{y + 1}年，园区将继续以国家生态工业示范园区建设为统领，巩固建设成果。"
    if L["fig_plan"]:
        f = rng.choice(truth["figures"])
        target = round(float(f["value"]) * rng.uniform(1.05, 1.2), 2 if f["unit"] == "亿元" else 0)
        num = amount(target if f["unit"] == "亿元" else int(target), f["unit"], L["fig_thousands"])
        plan += (
            f"力争{f['label']}达到{num}{f['unit']}，计划新增生态工业链项目{rng.randint(2, 9)}个。"
        )
    blocks.append(Block("p", plan))
    return blocks


def progress_blocks(rng: random.Random) -> list[Block]:
    return [
        Block("h2", "园区简介"),
        Block("p", "".join(_fill(rng, rng.choice(FILLER)) for _ in range(3))),
        Block("h2", "国家生态工业示范园区建设开展的主要工作"),
        Block("p", "".join(_fill(rng, rng.choice(FILLER)) for _ in range(3))),
    ]
