"""信息公开表 一、园区基本情况: labelled values and ticked boxes → raw fields."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extract.raw import RawField
from extract.source import CHECKED, CHOICES, UNCHECKED, Cell, Table
from schemas.text import clean, key

# Tick glyphs a converter or PDF may still carry after the reader's own mapping.
CHECKED_MARKS = frozenset({CHECKED, "☒", "■", "√", "✓", "✔", "▣", "◼"})
UNCHECKED_MARKS = frozenset({UNCHECKED, "□", "◻", "○"})

# Labelled fields: label words → field.
LABELS: dict[str, tuple[str, ...]] = {
    "name": ("园区名称",),
    "address": ("通信地址", "通讯地址", "地址"),
    "postcode": ("邮编", "邮政编码"),
    "phone": ("电话", "联系电话"),
    "email": ("电子邮箱", "电子邮件", "邮箱", "E-mail", "Email"),
}
ANCHORS = ("园区名称", "通信地址", "通讯地址", "园区级别", "园区类型")
GROUP_LABELS = ("园区级别", "园区类型")

_EMAIL = regex.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_POSTCODE = regex.compile(r"(?<!\d)(\d{6})(?!\d)")
_PHONE = regex.compile(r"[(（]?\d[\d\-－—()（） ]{5,}\d")


def find_table(tables: Sequence[Table]) -> Table | None:
    """The first table that carries at least two of the basic-info anchors."""
    for table in tables:
        text = key("".join(c.text for row in table.rows[:20] for c in row))
        if sum(a in text for a in ANCHORS) >= 2:
            return table
    return None


def _value_after_label(row: Sequence[Cell], i: int, label: str) -> RawField | None:
    cell = row[i]
    text = clean(cell.text)
    rest = text.split(label, 1)[1] if label in text else ""
    rest = regex.sub(r"^[\s:：]+", "", rest).strip()
    if rest:
        return RawField(rest, cell.loc)
    for nxt in row[i + 1 :]:
        if clean(nxt.text):
            return RawField(clean(nxt.text), nxt.loc)
    return None


def labelled_fields(table: Table) -> dict[str, RawField]:
    out: dict[str, RawField] = {}
    for row in table.rows:
        for i, cell in enumerate(row):
            text = clean(cell.text)
            for name, labels in LABELS.items():
                if name in out:
                    continue
                label = next((lb for lb in labels if text.startswith(lb)), None)
                if label is None:
                    continue
                value = _value_after_label(row, i, label)
                if value is not None:
                    out[name] = value
    _tidy(out, table)
    return out


def _tidy(out: dict[str, RawField], table: Table) -> None:
    """Cut each field to its own pattern; labels sharing a cell leak into each other."""
    for name, pattern in (("postcode", _POSTCODE), ("email", _EMAIL), ("phone", _PHONE)):
        fld = out.get(name)
        m = pattern.search(fld.text) if fld else None
        if fld and m:
            out[name] = RawField(m[0].strip(), fld.loc)
        elif name == "email":
            for cell in (c for row in table.rows for c in row):
                m = _EMAIL.search(cell.text)
                if m:
                    out[name] = RawField(m[0], cell.loc)
                    break
    addr = out.get("address")
    if addr:
        text = regex.split(r"邮编|邮政编码", addr.text)[0].strip(" ：:")
        out["address"] = RawField(text, addr.loc)


def _tokens(cells: Sequence[Cell]) -> list[tuple[str, str, Cell]]:
    """Every option word (of every group) and tick mark, in reading order. All groups are
    tokenised together so that one group's marks never look adjacent to another's options."""
    options = {o for group in CHOICES.values() for o in group}
    alternation = "|".join(sorted(map(regex.escape, options), key=len, reverse=True))
    marks = "".join(CHECKED_MARKS | UNCHECKED_MARKS)
    labels = "|".join(GROUP_LABELS)
    token = regex.compile(rf"({labels})|({alternation})|([{regex.escape(marks)}])")
    out: list[tuple[str, str, Cell]] = []
    for cell in cells:
        for m in token.finditer(clean(cell.text)):
            kind = "label" if m[1] else "opt" if m[2] else "mark"
            out.append((kind, m[0], cell))
    return out


def mark_side(tokens: Sequence[tuple[str, str, Cell]]) -> int:
    """+1 when marks follow their options (国家级☑ 省级☐), -1 when they precede them
    (☑国家级 ☐省级). Counting neighbours would be fooled — in "A☑ B☐ C☐" every option but
    the first also has a mark before it — so read what comes right after a group label
    (园区级别 ☑国家级 …), else the start of the longest run alternating option and mark."""
    for i, (kind, _, _) in enumerate(tokens[:-1]):
        if kind == "label" and tokens[i + 1][0] in ("opt", "mark"):
            return 1 if tokens[i + 1][0] == "opt" else -1
    tokens = [t for t in tokens if t[0] != "label"]
    best: tuple[int, int] = (0, 1)  # (run length, side)
    start = 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or tokens[i][0] == tokens[i - 1][0]:
            length = i - start
            if length > best[0]:
                best = (length, 1 if tokens[start][0] == "opt" else -1)
            start = i
    return best[1]


def _ticked(
    tokens: Sequence[tuple[str, str, Cell]], options: tuple[str, ...], side: int
) -> RawField | None:
    """The option of the group whose box (on ``side``) is ticked."""
    for i, (kind, text, cell) in enumerate(tokens):
        j = i + side
        if kind != "opt" or text not in options or not 0 <= j < len(tokens):
            continue
        if tokens[j][0] == "mark" and tokens[j][1] in CHECKED_MARKS:
            return RawField(text, cell.loc)
    return None


def basic_info(table: Table) -> dict[str, RawField]:
    out = labelled_fields(table)
    tokens = _tokens([c for row in table.rows for c in row])
    side = mark_side(tokens)
    for name, options in CHOICES.items():
        found = _ticked(tokens, options, side)
        if found is not None:
            out[name] = found
    return out
