"""Requirement text (要求 cell) → the rule models of schemas/standard.py.

Forms handled: '≥30', '≥ 30', '$\\geq 30$', '≥30%', '不低于30%', '30%以上', '大于等于30',
'≤0.5', '不高于0.5', '不超过', '…以下', a bare number ('100' → ≥100, '0' → =0 events),
the words 达标 / 全部完成 / 具备, the growth-sign conditional of the elasticities
('当…增长率>0, ≤0.6 当…增长率<0, ≥0.6') and the region tiers of #16
('缺水城市达到20%以上 京津冀区域达到30%以上 其他地区达到10%以上'). Anything else → None.
"""

from __future__ import annotations

import regex

from schemas.standard import (
    CompareRule,
    GrowthConditionalRule,
    NumericAlternative,
    Op,
    QualitativeRule,
    RegionKey,
    RegionTieredRule,
    Rule,
)
from schemas.text import clean, strip_markup

# Comparison words → op. Longest first: 不低于 before 低于.
_OP_WORDS: tuple[tuple[str, Op], ...] = (
    ("大于或等于", "ge"),
    ("大于等于", "ge"),
    ("不低于", "ge"),
    ("不少于", "ge"),
    ("不小于", "ge"),
    ("至少", "ge"),
    ("达到", "ge"),
    ("小于或等于", "le"),
    ("小于等于", "le"),
    ("不高于", "le"),
    ("不超过", "le"),
    ("不大于", "le"),
    ("不多于", "le"),
    ("至多", "le"),
    ("≥", "ge"),
    (">=", "ge"),
    ("≧", "ge"),
    ("⩾", "ge"),
    ("≤", "le"),
    ("<=", "le"),
    ("≦", "le"),
    ("⩽", "le"),
    ("大于", "gt"),
    ("高于", "gt"),
    ("超过", "gt"),
    (">", "gt"),
    ("小于", "lt"),
    ("低于", "lt"),
    ("<", "lt"),
    ("=", "eq"),
    ("等于", "eq"),
)
_OPS = "|".join(regex.escape(w) for w, _ in _OP_WORDS)
_OP_OF = dict(_OP_WORDS)
_NUM = r"[-+]?\d+(?:\.\d+)?"
_COMPARE = regex.compile(
    rf"^(?P<op>{_OPS})?\s*(?P<num>{_NUM})\s*(?P<pct>%|‰)?\s*(?P<post>以上|以下)?$"
)
# Qualitative requirement words → (accept list, numeric alternative). The accept lists are
# the vocabulary a value cell may hold; the standard's YAML holds the same lists.
QUALITATIVE_REQUIREMENTS: dict[str, tuple[tuple[str, ...], NumericAlternative | None]] = {
    "达标": (("达标", "全部达标", "稳定达标"), NumericAlternative(op="ge", value=100)),
    "全部达标": (("达标", "全部达标", "稳定达标"), NumericAlternative(op="ge", value=100)),
    "稳定达标": (("达标", "全部达标", "稳定达标"), NumericAlternative(op="ge", value=100)),
    "全部完成": (("全部完成", "完成"), None),
    "完成": (("全部完成", "完成"), None),
    "具备": (("具备", "有"), None),
    "有": (("具备", "有"), None),
}
# '0' on an event count: 无 also means zero events.
ZERO_ACCEPT = ("无",)
_BRANCH = regex.compile(
    rf"当[^<>≤≥]*?(?P<sign>>|<)\s*0\s*[,，、:：]?\s*(?P<op>≤|≥|<=|>=)\s*(?P<lim>{_NUM})"
)
_TIER_WORDS: tuple[tuple[str, RegionKey], ...] = (
    ("缺水城市", "water_scarce"),
    ("京津冀", "jingjinji"),
    ("其他地区", "other"),
    ("其它地区", "other"),
)
_TIER = regex.compile(
    rf"(?P<region>缺水城市|京津冀|其他地区|其它地区)\D*?(?P<num>{_NUM})\s*%?\s*(?P<post>以上|以下)?"
)


def _text(raw: str) -> str:
    return clean(strip_markup(raw)).replace("＞", ">").replace("＜", "<")


def _compare(text: str) -> CompareRule | None:
    t = regex.sub(r"\s+", "", text)
    m = _COMPARE.match(t)
    if m is None:
        return None
    value = float(m["num"])
    if m["op"]:
        op = _OP_OF[m["op"]]
        if m["op"] == "达到" and m["post"] == "以下":
            op = "le"
    elif m["post"]:
        op = "ge" if m["post"] == "以上" else "le"
    elif value == 0:
        # '0' on #19: exactly zero events; 无 says the same
        return CompareRule(kind="compare", op="eq", value=0.0, accept=ZERO_ACCEPT)
    else:
        # a bare '100' on a percentage: ≥100 and =100 coincide (STANDARD.md)
        op = "ge"
    return CompareRule(kind="compare", op=op, value=value)


def _conditional(text: str) -> GrowthConditionalRule | None:
    branches = list(_BRANCH.finditer(text))
    if len(branches) != 2:
        return None
    by_sign = {
        b["sign"]: (b["op"].replace(">=", "≥").replace("<=", "≤"), float(b["lim"]))
        for b in branches
    }
    pos, neg = by_sign.get(">"), by_sign.get("<")
    # the standard's shape: growth > 0 → value ≤ L, growth < 0 → value ≥ L, one L
    if pos is None or neg is None or pos[0] != "≤" or neg[0] != "≥" or pos[1] != neg[1]:
        return None
    return GrowthConditionalRule(kind="growth_conditional", limit=pos[1])


def _tiered(text: str) -> RegionTieredRule | None:
    tiers: dict[RegionKey, float] = {}
    posts = set()
    for m in _TIER.finditer(text):
        region = dict(_TIER_WORDS)[m["region"]]
        tiers[region] = float(m["num"])
        posts.add(m["post"] or "以上")
    if len(tiers) < 2 or len(posts) != 1:
        return None
    op: Op = "ge" if posts == {"以上"} else "le"
    return RegionTieredRule(kind="region_tiered", op=op, tiers=tiers)


def parse_requirement(raw: str) -> Rule | None:
    """A requirement as printed → its rule, or None when it is not one of the known
    forms. Never raises."""
    text = _text(raw)
    if not text:
        return None
    word = regex.sub(r"\s+", "", text)
    if word in QUALITATIVE_REQUIREMENTS:
        accept, numeric = QUALITATIVE_REQUIREMENTS[word]
        return QualitativeRule(kind="qualitative", accept=accept, numeric=numeric)
    if "当" in text:
        return _conditional(text)
    if any(w in text for w, _ in _TIER_WORDS):
        return _tiered(text)
    return _compare(text)


def same_rule(a: Rule | None, b: Rule | None) -> bool:
    """Rules equal; qualitative accept lists compared by their first word (the word the
    standard prints), compare rules without their accept words."""
    if a is None or b is None:
        return a is b
    if isinstance(a, QualitativeRule) and isinstance(b, QualitativeRule):
        return a.accept[:1] == b.accept[:1]
    if isinstance(a, CompareRule) and isinstance(b, CompareRule):
        return (a.op, a.value) == (b.op, b.value)
    return a == b


def describe(rule: Rule | None) -> str:
    """A rule in short words, for messages: '≥ 30', '达标', 'elasticity ≤/≥ 0.6'."""
    if rule is None:
        return "unreadable"
    if isinstance(rule, CompareRule):
        sym = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<", "eq": "="}[rule.op]
        return f"{sym} {rule.value:g}"
    if isinstance(rule, QualitativeRule):
        return rule.accept[0]
    if isinstance(rule, GrowthConditionalRule):
        return f"elasticity ≤ {rule.limit:g} (growth > 0) / ≥ {rule.limit:g} (growth < 0)"
    return "; ".join(f"{k} {v:g}" for k, v in rule.tiers.items())
