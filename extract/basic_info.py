"""信息公开表 一、园区基本情况: labelled values and ticked boxes → raw fields."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extract.raw import RawField
from extract.source import CHECKED, UNCHECKED, Cell, Table
from normalize.text import clean, key

# Tick glyphs a converter or PDF may still carry after the reader's own mapping.
CHECKED_MARKS = frozenset({CHECKED, "☒", "■", "√", "✓", "✔", "▣", "◼"})
UNCHECKED_MARKS = frozenset({UNCHECKED, "□", "◻", "○"})

# Options as HJ 274-2015's 信息公开表 prints them.
CHOICES: dict[str, tuple[str, ...]] = {
    "level": ("国家级", "省级", "省级以下"),
    "type": (
        "经济技术开发区",
        "高新技术产业开发区",
        "保税区",
        "出口加工区",
        "边境经济合作区",
        "经济开发区",
        "其他",
    ),
    "designation": ("已命名", "创建中"),
}
# Labelled fields: label words → field.
LABELS: dict[str, tuple[str, ...]] = {
    "name": ("园区名称",),
    "address": ("通信地址", "通讯地址", "地址"),
    "postcode": ("邮编", "邮政编码"),
    "phone": ("电话", "联系电话"),
    "email": ("电子邮箱", "电子邮件", "邮箱", "E-mail", "Email"),
}
ANCHORS = ("园区名称", "通信地址", "通讯地址", "园区级别", "园区类型")

_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
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


def _ticked(cells: Sequence[Cell], options: tuple[str, ...]) -> RawField | None:
    """The option whose box is ticked. A mark belongs to the option on the side the
    document uses: a mark before the first option means marks precede their options."""
    alternation = "|".join(sorted(map(regex.escape, options), key=len, reverse=True))
    marks = "".join(CHECKED_MARKS | UNCHECKED_MARKS)
    token = regex.compile(rf"({alternation})|([{regex.escape(marks)}])")
    tokens: list[tuple[str, str, Cell]] = []  # (kind, text, cell)
    for cell in cells:
        for m in token.finditer(clean(cell.text)):
            tokens.append(("opt" if m[1] else "mark", m[0], cell))
    first_opt = next((i for i, t in enumerate(tokens) if t[0] == "opt"), None)
    if first_opt is None:
        return None
    before = first_opt > 0 and tokens[first_opt - 1][0] == "mark"
    for i, (kind, text, cell) in enumerate(tokens):
        if kind != "opt":
            continue
        j = i - 1 if before else i + 1
        if 0 <= j < len(tokens) and tokens[j][0] == "mark" and tokens[j][1] in CHECKED_MARKS:
            return RawField(text, cell.loc)
    return None


def _rows_from(table: Table, anchor: str, stop: tuple[str, ...]) -> list[Cell]:
    """Cells of the row holding ``anchor`` and the following rows up to a ``stop`` label."""
    cells: list[Cell] = []
    inside = False
    for row in table.rows:
        text = key("".join(c.text for c in row))
        if anchor in text:
            inside = True
        elif inside and any(s in text for s in stop):
            break
        if inside:
            cells.extend(row)
    return cells


def basic_info(table: Table) -> dict[str, RawField]:
    out = labelled_fields(table)
    stops = ("联系方式", "电话", "园区类型", "园区级别", "已命名", "创建中", "建设进展")
    for name, anchor in (("level", "园区级别"), ("type", "园区类型")):
        cells = _rows_from(table, anchor, tuple(s for s in stops if s != anchor))
        found = _ticked(cells, CHOICES[name])
        if found is not None:
            out[name] = found
    all_cells = [c for row in table.rows for c in row if "已命名" in c.text or "创建中" in c.text]
    found = _ticked(all_cells, CHOICES["designation"])
    if found is not None:
        out["designation"] = found
    return out
