"""Text clean-up for what readers hand over: pure functions, str → str.

Not blanket NFKC: it would turn units like m² and ㎡ into m2. Instead the specific
foldings the field needs (FIELD-NOTES.md § Chinese PDFs):
- Kangxi radicals and CJK compatibility ideographs → unified ideographs (PDFs from
  Word/WPS/Chromium map glyphs to them: ⽤ U+2F64 for 用);
- full-width ASCII (digits, letters, ％．，－) → ASCII; ideographic space → space;
- whitespace inside Chinese runs removed (converters insert it: 经 济 发 展);
- line breaks inside a cell joined (without a space between two Han characters);
- minus signs (− – — ﹣ －) glued to a digit → ASCII '-' (a lone — stays: it is a mark);
- ``strip_markup``: LaTeX and HTML remnants a converter left (``$\\geq 30$``, ``<sup>a</sup>``,
  ``&nbsp;``) → plain text; ``strip_footnote``: a trailing footnote marker (a, b, ①, <sup>).
"""

from __future__ import annotations

import html
import unicodedata
from functools import cache, lru_cache

import regex

# CJK Radicals Supplement characters NFKC leaves alone, to the unified ideograph they
# stand for in running text (Unicode EquivalentUnifiedIdeograph.txt, the ones seen in
# PDFs of simplified Chinese).
_RADICAL_SUPPLEMENT = {
    "⺀": "冫",
    "⺁": "厂",
    "⺇": "几",
    "⺊": "卜",
    "⺌": "小",
    "⺍": "小",
    "⺎": "兀",
    "⺏": "尣",
    "⺐": "尢",
    "⺑": "尢",
    "⺒": "巳",
    "⺓": "幺",
    "⺔": "彑",
    "⺖": "忄",
    "⺗": "心",
    "⺘": "扌",
    "⺙": "攵",
    "⺛": "旡",
    "⺜": "日",
    "⺝": "月",
    "⺞": "歺",
    "⺟": "母",
    "⺠": "民",
    "⺡": "氵",
    "⺢": "氺",
    "⺣": "灬",
    "⺤": "爫",
    "⺥": "爫",
    "⺦": "丬",
    "⺧": "牛",
    "⺨": "犭",
    "⺩": "王",
    "⺪": "疋",
    "⺫": "目",
    "⺬": "示",
    "⺭": "礻",
    "⺮": "竹",
    "⺯": "糸",
    "⺰": "纟",
    "⺲": "罒",
    "⺳": "网",
    "⺴": "网",
    "⺵": "网",
    "⺶": "羊",
    "⺷": "羊",
    "⺸": "羊",
    "⺹": "耂",
    "⺺": "聿",
    "⺻": "聿",
    "⺼": "月",
    "⺽": "臼",
    "⺾": "艹",
    "⺿": "艹",
    "⻀": "艹",
    "⻁": "虎",
    "⻂": "衤",
    "⻃": "覀",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻇": "角",
    "⻈": "讠",
    "⻉": "贝",
    "⻊": "足",
    "⻋": "车",
    "⻌": "辶",
    "⻍": "辶",
    "⻎": "辶",
    "⻏": "阝",
    "⻐": "金",
    "⻑": "長",
    "⻒": "镸",
    "⻓": "长",
    "⻔": "门",
    "⻕": "阝",
    "⻖": "阝",
    "⻗": "雨",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻞": "食",
    "⻟": "食",
    "⻠": "饣",
    "⻡": "首",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻫": "齐",
    "⻬": "齐",
    "⻭": "齿",
    "⻮": "齿",
    "⻯": "龙",
    "⻰": "龙",
    "⻱": "龟",
    "⻲": "龟",
    "⻳": "龟",
}

_FOLD_RANGES = (
    (0x2F00, 0x2FD5),  # Kangxi radicals: NFKC maps all 214
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
    (0xFF01, 0xFF5E),  # full-width ASCII
)

_HAN = r"\p{Han}"
_SPACE_BETWEEN_HAN = regex.compile(rf"(?<=[{_HAN}（）：、，])[ \t\u3000]+(?=[{_HAN}（）：、，])")
_SPACE_HAN_OPERATOR = regex.compile(rf"(?<=[{_HAN}])[ \t]+(?=[<>≤≥=])")
_SPACES = regex.compile(r"[ \t\u00a0\u3000]+")
_CONTROL = regex.compile(r"[\p{Cc}\p{Cf}&&[^\n\t]]+", flags=regex.V1)  # incl. zero-width


@cache
def _fold_char(ch: str) -> str:
    if ch in _RADICAL_SUPPLEMENT:
        return _RADICAL_SUPPLEMENT[ch]
    cp = ord(ch)
    if ch == "\u3000":
        return " "
    for lo, hi in _FOLD_RANGES:
        if lo <= cp <= hi:
            if lo == 0xFF01 and ch in "（）：；，":
                return ch  # keep CJK punctuation as the standard prints it
            return unicodedata.normalize("NFKC", ch)
    return ch


# Any character fold_chars would change; most text has none and is returned as it is.
_NEEDS_FOLD = regex.compile(
    "[\u2e80-\u2ef3\u2f00-\u2fd5\uf900-\ufaff\U0002f800-\U0002fa1f\uff01-\uff5e\u3000]"
)


def fold_chars(text: str) -> str:
    """Radicals, compatibility ideographs and full-width ASCII to their plain forms."""
    if text.isascii() or not _NEEDS_FOLD.search(text):
        return text
    return "".join(_fold_char(ch) for ch in text)


# Characters a narrow cell breaks a token between (２２．８|６, an e-mail address): a
# wrap between two of them is not a word boundary.
_TOKEN_INNER = frozenset("0123456789.,%@_-０１２３４５６７８９．，％＠＿－")


_HAN_CHAR = regex.compile(_HAN)


def _glued(left: str, right: str) -> bool:
    if _HAN_CHAR.match(left) and _HAN_CHAR.match(right):
        return True
    return left in _TOKEN_INNER and right in _TOKEN_INNER


def join_lines(text: str) -> str:
    """Join a cell's wrapped lines: nothing between two Han characters or two parts of a
    number, else a space."""
    if "\n" not in text:
        return text
    parts = [p.strip() for p in text.splitlines()]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not _glued(out[-1], part[0]):
            out += " "
        out += part
    return out


def squeeze_spaces(text: str) -> str:
    """Collapse whitespace runs; drop whitespace inside Chinese runs (经 济 → 经济)."""
    text = _SPACES.sub(" ", _CONTROL.sub("", text)).strip()
    text = _SPACE_BETWEEN_HAN.sub("", text)
    return str(_SPACE_HAN_OPERATOR.sub("", text))


# A dash glued to a digit at the start of a number is a minus sign; between two digits it
# is a hyphen (phone numbers, HJ 274—2015) and stays.
_MINUS_SIGN = regex.compile(r"(?<![\d.])[\u2212\u2013\u2014\ufe63\uff0d](?=\s*\d)")


def fold_minus(text: str) -> str:
    """'−0.5', '—0.006', '﹣1' → '-0.5', '-0.006', '-1'; '—' alone and '274—2015' kept."""
    return str(_MINUS_SIGN.sub("-", text))


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """The normal form every cell and line goes through before interpretation. Cached:
    one report asks for the same cell text many times (labels, keys, units)."""
    return squeeze_spaces(fold_minus(join_lines(fold_chars(text))))


# LaTeX a PDF→Markdown converter leaves in cells: $\geq 30$, $>0, \leq 0.3$, 30\%.
_LATEX_SYMBOLS = {
    r"\geqslant": "≥",
    r"\leqslant": "≤",
    r"\geq": "≥",
    r"\leq": "≤",
    r"\ge": "≥",
    r"\le": "≤",
    r"\gt": ">",
    r"\lt": "<",
    r"\neq": "≠",
    r"\times": "×",
    r"\sim": "~",
    r"\pm": "±",
    r"\%": "%",
    r"\permil": "‰",
}
_LATEX_CMD = regex.compile(r"\\[a-zA-Z]+|\\%")
_LATEX_WRAP = regex.compile(r"\\(?:mathrm|text|textrm|mathbf)\{([^{}]*)\}")
_HTML_SUP = regex.compile(r"[ \t]*<sup>\s*([^<]{0,4}?)\s*</sup>", flags=regex.I)
_HTML_BREAK = regex.compile(r"<br\s*/?>|</p>|</li>", flags=regex.I)
_HTML_TAG = regex.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def strip_markup(text: str) -> str:
    """LaTeX and HTML remnants → plain text: '$\\geq 75$' → '≥75', '<sup>a</sup>' → ' a',
    '<br>' → line break, entities unescaped. Text without markup is returned unchanged."""
    if "$" not in text and "\\" not in text and "<" not in text and "&" not in text:
        return text
    text = _CONTROL.sub("", text)  # a control character must not hide a command
    text = _LATEX_WRAP.sub(r"\1", text)
    text = _LATEX_CMD.sub(lambda m: _LATEX_SYMBOLS.get(m[0], ""), text)
    if "$" in text:
        # inside math, spaces and braces are layout only: '$>0, \leq 0.3$' → '>0, ≤0.3'
        text = regex.sub(
            r"\$\$?([^$]*)\$\$?", lambda m: regex.sub(r"[{}]|(?<![,，])\s+", "", m[1]), text
        )
    text = _HTML_SUP.sub(r" \1", text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text) if "&" in text else text


# A footnote marker after a label: 'a', 'b' (also <sup>a</sup>), ①–⑩, '*', '注1'.
_FOOTNOTE_MARK = regex.compile(
    r"(?<=[\p{Han}）)%])\s*(?:<sup>)?\s*([a-e]|[①②③④⑤⑥⑦⑧⑨⑩]|\*{1,2}|注\d)\s*(?:</sup>)?$"
)


def strip_footnote(text: str) -> tuple[str, str | None]:
    """'工业固体废物综合利用率 a' → ('工业固体废物综合利用率', 'a'); no marker → (text, None)."""
    cleaned = clean(strip_markup(text))
    m = _FOOTNOTE_MARK.search(cleaned)
    if m is None:
        return cleaned, None
    return cleaned[: m.start()].rstrip(), m[1]


_KEY_DROP = regex.compile(r"[\s\p{P}\p{S}\p{C}&&[^%‰<>≤≥=]]+", flags=regex.V1)


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """A matching key: cleaned, then without whitespace and punctuation (（）, ·, …).
    Use it to compare labels and headers, never to show."""
    return str(_KEY_DROP.sub("", clean(text)))


# Words that open one branch of a conditional requirement (#10/#13/#25, #16). A wrapped
# line inside a branch is joined; a new branch keeps a space before it.
_BRANCH = regex.compile(r"\s+(?=当|缺水城市|京津冀|其他地区|其它地区)")


# Inside a branch a space between Chinese and a number is typesetting (Word's automatic
# spacing reaches the text layer of some PDFs): 达到 20%以上 is 达到20%以上.
_HAN_NUMBER_SPACE = regex.compile(r"(?<=\p{Han})\s+(?=[\d<>≤≥])|(?<=[\d%])\s+(?=\p{Han})")


def clean_requirement(text: str) -> str:
    """A requirement cell: each conditional branch cleaned, branches separated by a space."""
    branches = (_HAN_NUMBER_SPACE.sub("", clean(p)) for p in _BRANCH.split(fold_chars(text)))
    return " ".join(filter(None, branches))


# A group row: （一）经济发展, 一、产业共生, 第一类 资源节约 — the category of the rows below
# it. Read where a table's rows are cut (a row of its own) and where rows are stitched.
GROUP_ROW = regex.compile(
    r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+[类部分]+)"
    r"\s*(?P<name>\p{Han}.*)$"
)
