"""Units: tidy printed units and convert money to one scale (亿元)."""

from __future__ import annotations

from normalize.text import clean, key

# Factor to 亿元 (or 亿美元 for dollars, which are never mixed with 人民币).
MONEY_TO_YI: dict[str, tuple[float, str]] = {
    "元": (1e-8, "亿元"),
    "万元": (1e-4, "亿元"),
    "亿元": (1.0, "亿元"),
    "万亿元": (1e4, "亿元"),
    "美元": (1e-8, "亿美元"),
    "万美元": (1e-4, "亿美元"),
    "亿美元": (1.0, "亿美元"),
}
NO_UNIT = frozenset({"", "—", "——", "-", "/", "无"})


def clean_unit(raw: str) -> str:
    """'亿元/平 方公里' → '亿元/平方公里'; the dash of a unitless coefficient kept."""
    return clean(raw)


def money_to_yi(value: float, unit: str) -> tuple[float, str] | None:
    """Amount in 亿元 (or 亿美元); None if the unit is not money."""
    factor = MONEY_TO_YI.get(clean(unit))
    if factor is None:
        return None
    return round(value * factor[0], 10), factor[1]


def same_unit(a: str | None, b: str | None) -> bool:
    """Units equal after clean-up; all spellings of 'no unit' are one."""
    ka, kb = key(a or ""), key(b or "")
    if clean(a or "") in NO_UNIT and clean(b or "") in NO_UNIT:
        return True
    return ka == kb
