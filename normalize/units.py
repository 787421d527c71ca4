"""Units: tidy printed units, know their dimension, convert between them.

A unit is a dimension and a factor to that dimension's base unit (元, 米, 平方米, 吨,
吨标煤, 立方米, a fraction for %/‰, one item for counts). Compound units (万元/人,
亿元/平方公里, 吨/万元) divide two simple ones. Rules kept explicit:
- 美元 is its own dimension: it never converts to 人民币 (no exchange rate is assumed);
- counts (个, 户, 家, 项, 次, 条, 人 …) convert only to the same word: 66 项 and 122 个
  may count different things;
- 吨 of water is 1 立方米 only where the other side is a volume (the standard writes
  立方米/万元 for fresh water and 吨/万元 for waste water).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.text import clean, key

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
# 一 is how OCR reads a dash standing alone in a unit cell.
NO_UNIT = frozenset({"", "—", "——", "-", "/", "无", "一", "–", "－"})

# unit → (dimension, factor to the dimension's base unit)
SIMPLE_UNITS: dict[str, tuple[str, float]] = {
    # money, 人民币 (base 元); bare 亿/万 after an amount are read as 亿元/万元
    "元": ("money", 1.0),
    "人民币元": ("money", 1.0),
    "千元": ("money", 1e3),
    "万元": ("money", 1e4),
    "亿元": ("money", 1e8),
    "万亿元": ("money", 1e12),
    "亿": ("money", 1e8),
    # money, US dollars (base 美元): its own dimension
    "美元": ("usd", 1.0),
    "万美元": ("usd", 1e4),
    "亿美元": ("usd", 1e8),
    # length (base 米)
    "米": ("length", 1.0),
    "m": ("length", 1.0),
    "千米": ("length", 1e3),
    "公里": ("length", 1e3),
    "km": ("length", 1e3),
    # area (base 平方米); 1 亩 = 10000/15 平方米
    "平方米": ("area", 1.0),
    "m²": ("area", 1.0),
    "m2": ("area", 1.0),
    "㎡": ("area", 1.0),
    "万平方米": ("area", 1e4),
    "公顷": ("area", 1e4),
    "亩": ("area", 10000 / 15),
    "万亩": ("area", 1e4 * 10000 / 15),
    "平方公里": ("area", 1e6),
    "平方千米": ("area", 1e6),
    "km²": ("area", 1e6),
    "km2": ("area", 1e6),
    # mass (base 吨)
    "千克": ("mass", 1e-3),
    "公斤": ("mass", 1e-3),
    "kg": ("mass", 1e-3),
    "吨": ("mass", 1.0),
    "t": ("mass", 1.0),
    "万吨": ("mass", 1e4),
    "亿吨": ("mass", 1e8),
    # energy (base 吨标煤)
    "千克标煤": ("energy", 1e-3),
    "吨标煤": ("energy", 1.0),
    "吨标准煤": ("energy", 1.0),
    "tce": ("energy", 1.0),
    "万吨标煤": ("energy", 1e4),
    "万吨标准煤": ("energy", 1e4),
    # water volume (base 立方米)
    "立方米": ("volume", 1.0),
    "m³": ("volume", 1.0),
    "m3": ("volume", 1.0),
    "方": ("volume", 1.0),
    "万立方米": ("volume", 1e4),
    "万方": ("volume", 1e4),
    "亿立方米": ("volume", 1e8),
    # ratios (base: a fraction)
    "%": ("ratio", 1e-2),
    "‰": ("ratio", 1e-3),
    # time
    "年": ("time:年", 1.0),
}
# Count words: each its own dimension, so only the same word converts.
COUNT_WORDS = ("个", "户", "家", "项", "次", "条", "人", "座", "台", "套", "处", "起", "件", "所")
for _w in COUNT_WORDS:
    SIMPLE_UNITS[_w] = (f"count:{_w}", 1.0)
# 吨 of water ↔ 立方米 (1 t of water is 1 m³), used only when one side is a volume.
WATER_TONNE = ("吨", "万吨")

DIMENSION_NAMES = {
    "money": "money (人民币)",
    "usd": "money (美元)",
    "length": "length",
    "area": "area",
    "mass": "mass",
    "energy": "energy",
    "volume": "volume",
    "ratio": "ratio",
}


@dataclass(frozen=True, slots=True)
class Unit:
    """A parsed unit: ``dimension`` (e.g. 'money/count:人'), factor to its base unit."""

    text: str
    dimension: str
    factor: float


def clean_unit(raw: str) -> str:
    """'亿元/平 方公里' → '亿元/平方公里'; the dash of a unitless coefficient kept."""
    return clean(raw)


def _simple(text: str) -> tuple[str, float] | None:
    t = text.strip()
    if t in SIMPLE_UNITS:
        return SIMPLE_UNITS[t]
    return SIMPLE_UNITS.get(t.lower())


def parse_unit(raw: str) -> Unit | None:
    """'万元/人' → Unit('万元/人', 'money/count:人', 1e4); None for no unit or an unknown one.
    Never raises."""
    text = clean(raw).replace("／", "/")
    if text in NO_UNIT:
        return None
    parts = [p for p in text.split("/") if p]
    if not 1 <= len(parts) <= 2 or len(parts) != text.count("/") + 1:
        return None
    simple = [_simple(p) for p in parts]
    if any(s is None for s in simple):
        return None
    dims = [s[0] for s in simple if s is not None]
    factor = simple[0][1] if simple[0] else 1.0
    if len(parts) == 2 and simple[1] is not None:
        factor /= simple[1][1]
    return Unit(text, "/".join(dims), factor)


def _water(unit: Unit, other: Unit) -> Unit:
    """Read 吨 in ``unit`` as 立方米 where ``other`` has a volume in that position."""
    parts, others = unit.text.split("/"), other.dimension.split("/")
    if len(parts) != len(others):
        return unit
    dims = unit.dimension.split("/")
    for i, (p, o) in enumerate(zip(parts, others, strict=True)):
        if p in WATER_TONNE and o == "volume":
            dims[i] = "volume"
    return Unit(unit.text, "/".join(dims), unit.factor)


def conversion_factor(from_unit: str, to_unit: str) -> float | None:
    """Factor f with value_in_to = value_in_from * f; None when the units do not convert
    (unknown unit, other dimension, 美元 vs 元, 个 vs 项)."""
    a, b = parse_unit(from_unit), parse_unit(to_unit)
    if a is None or b is None:
        return None
    a, b = _water(a, b), _water(b, a)
    if a.dimension != b.dimension:
        return None
    return a.factor / b.factor


def convert(value: float, from_unit: str, to_unit: str) -> float | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``; None when not convertible."""
    f = conversion_factor(from_unit, to_unit)
    return None if f is None else round(value * f, 12)


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


def compatible(printed: str | None, expected: str, allowed: tuple[str, ...] = ()) -> bool:
    """The printed unit is the expected one, one of its documented alternatives
    (``units_seen`` in the standard's YAML), or absent (nothing printed to judge)."""
    if printed is None:
        return True
    return same_unit(printed, expected) or any(same_unit(printed, u) for u in allowed)
