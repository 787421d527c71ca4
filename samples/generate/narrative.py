"""Narrative blocks of a report: ("h1"|"h2"|"h3"|"p", text).

A sample either has a hand-written narrative in narratives/NAME.md (the Changchun seed,
the long Nanchang report) or
is composed from stories.py around the truth file's headline figures sentence and a few of
its report-year indicator values, so prose and tables agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from samples.generate.stories import STORIES
from samples.generate.truth import Truth

NARRATIVES = Path(__file__).resolve().parent / "narratives"
ANNEX2_MARK = "<!-- annex2-progress -->"

Block = tuple[str, str]


def _parse_md(text: str) -> list[Block]:
    blocks: list[Block] = []
    for para in text.split("\n\n"):
        para = para.strip()
        if not para:
            continue
        for prefix, kind in (("#### ", "h3"), ("### ", "h2"), ("## ", "h1")):
            if para.startswith(prefix):
                blocks.append((kind, para[len(prefix) :].strip()))
                break
        else:
            blocks.append(("p", para))
    return blocks


def _pick(t: Truth, options: list[str], salt: str = "") -> str:
    h = int(hashlib.sha1((t.id + salt).encode()).hexdigest(), 16)
    return options[h % len(options)]


def narrative(t: Truth) -> tuple[list[Block], list[Block]]:
    """(front narrative, 附件二 “二、建设进展” blocks)."""
    md = NARRATIVES / f"{t.id}.md"
    if md.exists():
        front, _, progress = md.read_text(encoding="utf-8").partition(ANNEX2_MARK)
        blocks = _parse_md(front)
        # the file opens with the park name and the title, which the renderer prints itself
        while blocks and blocks[0][0] != "p":
            blocks.pop(0)
        return blocks, _parse_md(progress)
    return _compose(t)


def _v(t: Truth, n: int) -> str | None:
    v = t.value(n)
    return None if v in ("—", "/") else v


def _compose(t: Truth) -> tuple[list[Block], list[Block]]:
    s = STORIES[t.id]
    p = t.park
    y = t.year
    name, short = p["name"], s["short"]
    ind = "、".join(s["industries"])
    designation = (
        "已被批准命名为国家生态工业示范园区"
        if p["designation"] == "已命名"
        else "正按照建设规划有序推进国家生态工业示范园区创建工作"
    )
    intro = (
        f"{name}始建于 {s['founded']} 年，{s['upgraded']}，{s['area']}。经过多年发展，园区形成了以{ind}为主导的产业体系，"
        f"集聚了{s['companies'][0]}、{s['companies'][1]}、{s['companies'][2]}等一批骨干企业。目前，园区{designation}。"
    )
    opening = _pick(
        t,
        [
            f"{y} 年，{short}坚持新发展理念，统筹推进稳增长、调结构、抓环保各项工作，生态工业示范园区建设取得新进展。",
            f"{y} 年是园区生态工业建设承上启下的一年。面对复杂严峻的外部环境，全区上下攻坚克难，较好完成了年度目标任务。",
            f"{y} 年，在市委、市政府的坚强领导下，{short}以生态工业示范园区建设为抓手，推动经济高质量发展和生态环境高水平保护。",
        ],
        "open",
    )
    figures = " ".join(t.figure_sentences())
    front: list[Block] = [("p", intro), ("p", opening + figures)]

    front.append(("h1", "一、建设工作主要进展"))
    n5 = t.value(5)
    front.append(
        (
            "h2",
            _pick(
                t,
                [
                    "1. 构建生态工业链，产业共生水平不断提升",
                    "（一）推进产业共生，生态工业链条持续延伸",
                ],
                "h1",
            ),
        )
    )
    front.append(
        (
            "p",
            f"围绕{s['industries'][0]}和{s['industries'][1]}等主导产业，园区积极推动企业间物质流、能量流的耦合利用，"
            f"全年推进{s['chains'][0]}、{s['chains'][1]}、{s['chains'][2]}等生态工业链项目建设。截至 {y} 年底，"
            f"建设规划实施后新增构建生态工业链项目 {n5} 个。",
        )
    )
    front.append(
        (
            "h2",
            _pick(
                t,
                [
                    "2. 强化资源节约，能源资源利用效率稳步提高",
                    "（二）强化资源节约，资源产出效率持续提高",
                ],
                "h2",
            ),
        )
    )
    parts = []
    if _v(t, 15):
        parts.append(f"工业用水重复利用率达到 {t.value(15)}%")
    if _v(t, 11):
        parts.append(f"单位工业增加值综合能耗为 {t.value(11)} 吨标煤/万元")
    if _v(t, 16):
        parts.append(f"再生水（中水）回用率达到 {t.value(16)}%")
    front.append(
        (
            "p",
            "园区深入开展重点用能、用水企业节能节水改造，推广余热余压利用、中水回用等技术。"
            + "，".join(parts)
            + "。",
        )
    )
    front.append(
        (
            "h2",
            _pick(
                t,
                [
                    "3. 加强污染防治，园区环境质量持续改善",
                    "（三）深化污染防治，环境风险防控能力进一步增强",
                ],
                "h3",
            ),
        )
    )
    front.append(
        (
            "p",
            f"园区持续推进大气、水、土壤污染防治，重点污染源实现稳定达标排放，污水集中处理设施稳定运行，{s['river']}园区段水质保持稳定。"
            f"全年未发生特别重大、重大突发环境事件，重点企业清洁生产审核实施率达到 100%，绿化覆盖率达到 {t.value(29)}%。",
        )
    )
    front.append(
        (
            "h2",
            _pick(t, ["4. 推进信息公开，生态文明理念深入人心", "（四）加强信息公开与宣传"], "h4"),
        )
    )
    front.append(
        (
            "p",
            f"完善生态工业信息平台，督促重点企业依法公开环境信息，全年开展生态工业主题宣传活动 {t.value(32)} 次，"
            "营造了全社会共同参与生态工业园区建设的良好氛围。",
        )
    )

    front.append(("h1", "二、建设主要成果"))
    verb = _pick(t, ["总体达到", "基本达到", "大部分达到"], "res")
    front.append(
        (
            "p",
            f"{y} 年，{name}经济发展、产业共生、资源节约、环境保护和信息公开等各项指标{verb}国家生态工业示范园区标准要求，"
            "经济、社会和环境效益同步提升。" + figures,
        )
    )
    front.append(("h1", "三、主要问题和制约因素"))
    nums = ["一", "二", "三", "四"]
    front.append(
        (
            "p",
            f"回顾 {y} 年的建设工作，园区生态工业建设取得了积极进展，但对照标准要求仍存在一些不足："
            + "；".join(f"{nums[i]}是{x}" for i, x in enumerate(s["problems"]))
            + "。",
        )
    )
    front.append(("h1", f"四、{y + 1} 年工作计划"))
    front.append(
        (
            "p",
            f"{y + 1} 年，园区将继续以国家生态工业示范园区建设为统领，重点做好以下工作："
            + "；".join(f"{nums[i]}是{x}" for i, x in enumerate(s["plans"]))
            + "。",
        )
    )

    progress: list[Block] = [
        ("h2", "园区简介"),
        ("p", intro),
        ("h2", "国家生态工业示范园区建设开展的主要工作"),
        (
            "p",
            f"推进{s['chains'][0]}等生态工业链项目建设；实施重点企业节能节水改造；加强污染源监管和环境风险防控；"
            f"开展生态工业主题宣传活动 {t.value(32)} 次。",
        ),
        ("h2", "建设中存在的问题和制约因素"),
        ("p", "；".join(s["problems"]) + "。"),
        ("h2", "下一阶段工作计划"),
        ("p", "；".join(s["plans"]) + "。"),
    ]
    return front, progress
