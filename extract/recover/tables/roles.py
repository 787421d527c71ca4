"""Column roles of a table part: which column holds 序号, names, units, requirements, year
values, targets, claims — decided from header words and the column's content together.

Header words (``schemas/data/table_headers.yaml``) give a first guess per column; a
header row is a row of such words with no data in it (a number that is not a year, a
序号 beside an indicator name). Then the part's data rows decide where the words are
ambiguous or missing: a ``考核指标`` column over 是/否/必选 cells is the assessed column, a
column of 是/否/达标 under an unfamiliar header is the claim column, a run of small
integers at the left is the 序号 column, the column of long names is the name column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files

import regex
import yaml

from extract.raw import Column, ColumnRole, TableKind
from extract.source import Cell
from schemas.numbers import parse_serial, parse_value
from schemas.text import clean, key

MIN_HEADER_ROLES = 3  # distinct roles a row needs to count as a header
# Years a column header may name: a report evaluates recent years; 20.66 or 19.28 in a
# data cell must never become a year column.
MIN_YEAR, MAX_YEAR = 1990, 2040
# Share of a column's non-empty data cells that must agree for content to decide its role.
CONTENT_SHARE = 0.7
# A name cell holds at least this many Han characters on average (category cells are
# short and mostly empty below their first row).
MIN_NAME_HAN = 5

_YEAR = regex.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")
_HAN = regex.compile(r"\p{Han}")
ASSESSED_WORDS = frozenset({"是", "否", "必选", "可选"})
CLAIM_WORDS = frozenset(
    # ☑ / ☒: a scan's tick or cross in a claim cell read as a ticked box
    {
        "是",
        "否",
        "达标",
        "未达标",
        "不达标",
        "√",
        "×",
        "✓",
        "✗",
        "✔",
        "✘",
        "☑",
        "☒",
        "符合",
        "不符合",
    }
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    roles: tuple[tuple[ColumnRole, frozenset[str], tuple[str, ...]], ...]
    year_words: frozenset[str]
    unit_chars: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(
        files("schemas").joinpath("data/table_headers.yaml").read_text(encoding="utf-8")
    )
    roles = tuple(
        (role, frozenset(key(w) for w in spec.get("exact", [])), tuple(spec.get("contains", [])))
        for role, spec in data["roles"].items()
    )
    return Vocabulary(
        roles, frozenset(key(w) for w in data["year_words"]), frozenset(data["unit_chars"])
    )


# A scan's ( read as 1 before a bracketed year: 评价年1(2019年) is 评价年（2019年）.
_OPEN_READ_AS_ONE = regex.compile(r"1(?=(?:19|20)\d{2}年?[)）])")


def header_year(header: str) -> int | None:
    """The year a header names (2016, 2016年, 基准年（2016年）), if plausible."""
    text = _OPEN_READ_AS_ONE.sub("（", regex.sub(r"\s+", "", clean(header)))
    m = _YEAR.search(text)
    if m is None or not MIN_YEAR <= int(m[1]) <= MAX_YEAR:
        return None
    return int(m[1])


# A unit in brackets at the end of a header: 指标值（%）, 现状值(万元/人).
_HEADER_UNIT = regex.compile(r"^(?P<rest>.*?)\s*[(（](?P<unit>[^()（）\d]{1,12})[)）]\s*$", regex.S)


# A unit in brackets heading the cell: the tail of a spanning 指标值（%） cut between the
# columns under it (（%） / 2023).
_LEADING_UNIT = regex.compile(r"^\s*[(（](?P<unit>[^()（）\d]{1,12})[)）]\s*(?P<rest>.+)$", regex.S)


def column_role(header: str) -> Column:
    """What a column holds, judged from its header text alone (any spacing, wrapped or not)."""
    m = _HEADER_UNIT.match(clean(header)) or _LEADING_UNIT.match(clean(header))
    if m is not None and set(_HAN.findall(m["unit"])) <= vocabulary().unit_chars:
        col = column_role(m["rest"])
        return replace(col, header=header, unit=m["unit"].strip())
    k = key(header)
    if not k:
        return Column("other", header)
    parts = header.split()  # before clean(), which closes spaces between Han characters
    if _number_and_name(parts):
        return Column("name", header)  # 编号 指标名称 over one column: names led by 序号
    year = header_year(header)
    vocab = vocabulary()
    for role, exact, contains in vocab.roles:
        if role == "claim" and year is not None:
            continue  # a claim names no year: 完成情况 / 评价年（2020年） is a value's header
        if k in exact or any(w in k for w in contains):
            return Column(role, header, year if role in ("value", "target") else None)
    if year is not None:
        rest = regex.sub(r"(?:19|20)\d{2}", "", k)
        # 2016, 基准年（2016年）, 2018年现状值, or a spanning 完成情况 set into one year's cell
        value_words = next(exact for role, exact, _ in vocab.roles if role == "value")
        if (
            not rest
            or rest in vocab.year_words
            or rest in value_words
            or "值" in rest
            or "年" in rest
            # a spanning 完成情况 split over the columns under it: 完成 / 2011 | 情况 / 2016
            or (len(rest) >= 2 and any(rest in w for w in value_words))
        ):
            return Column("value", header, year)
    lines = [line for line in header.split("\n") if line.strip()]
    if len(lines) > 1 and _HAN.search(lines[0]) and column_role(lines[0]).role == "other":
        # The wrapped tail of a line above the table (月26日 of 填报时间：2019年6 / 月26日)
        # set into the first header cell: the cell's own lines say its role.
        below = column_role("\n".join(lines[1:]))
        if below.role != "other":
            return replace(below, header=header)
    return Column("other", header)


def _number_and_name(parts: Sequence[str]) -> bool:
    """Words of one header cell that are a name header and a 序号 header (编号 指标名称;
    编 指标名称 号 with 编号 set vertically around the name)."""
    if len(parts) < 2:
        return False
    roles = [column_role(x).role for x in parts]
    if roles.count("name") != 1:
        return False
    rest = "".join(x for x, r in zip(parts, roles, strict=True) if r != "name")
    return column_role(rest).role == "number"


def _spanning_fragments(cols: list[Column]) -> list[Column]:
    """A spanning value header cut between the columns under it (实 / 2016 | 际值 / 2020,
    年 / 2018年 | 度 / 2023): a year column whose header word is a fragment that, with its
    neighbour's, makes a value word or a year's word is a value column of that year."""
    vocab = vocabulary()
    value_words = next(exact for role, exact, _ in vocab.roles if role == "value")
    words = value_words | vocab.year_words

    def rest(col: Column) -> str:
        return regex.sub(r"(?:19|20)\d{2}年?度?", "", key(col.header))

    def first(col: Column) -> str:  # the spanning header's own line (指 / 2013 | 标值 / 评价年)
        return key(col.header.split("\n", 1)[0])

    out = list(cols)
    for k, col in enumerate(cols):
        year = header_year(col.header)
        if col.role != "other" or year is None:
            continue
        pairs = [(cols[k - 1], col)] if k > 0 else []
        pairs += [(col, cols[k + 1])] if k + 1 < len(cols) else []
        if any(f(a) and f(b) and f(a) + f(b) in words for a, b in pairs for f in (rest, first)):
            out[k] = Column("value", col.header, year)
    return out


def _is_data_cell(cell: Cell) -> bool:
    """A number that names no plausible year (20.15, 3, 95.04%): what a header row never
    holds. 2016年 or 2022年目标值 are header words."""
    text = clean(cell.text)
    return parse_value(text).kind == "number" and header_year(text) is None


def is_header_row(row: Sequence[Cell]) -> bool:
    return header_columns(row) is not None


def header_columns(row: Sequence[Cell]) -> list[Column] | None:
    """The row's columns if it is a header row, else None."""
    if any(_is_data_cell(c) for c in row):
        return None
    cols = _spanning_fragments([column_role(c.text) for c in row])
    roles = {c.role for c in cols} - {"other"}
    if len(roles) >= MIN_HEADER_ROLES and roles & {"name", "number"}:
        return cols
    return None


def merge_subheader(cols: list[Column], row: Sequence[Cell]) -> list[Column] | None:
    """A second header row under spanning cells (指标值 over 2016年 | 2018年, 完成情况
    over 目标值 | 2018年): its roles replace the spanning ones. None when ``row`` is not
    a header row (a data row's 20.15 is a value, not the year 2015)."""
    if any(_is_data_cell(c) for c in row):
        return None
    sub = [column_role(c.text) for c in row]
    if not any(s.role in ("value", "target") and s.year for s in sub) and not any(
        s.role == "target" for s in sub
    ):
        return None
    merged = list(cols)
    for i, s in enumerate(sub):
        if s.role in ("value", "target") and i < len(merged):
            if merged[i].role in ("value", "target", "other"):
                # a target stays a target whatever year its sub-header names
                role = "target" if merged[i].role == "target" else s.role
                merged[i] = Column(role, s.header, s.year)
        elif i >= len(merged) and s.role in ("value", "target"):
            merged.append(s)
    return merged


# Fragments a target header leaves when its cell wraps into neighbours (规划目 / 标（2023年）).
_TARGET_FRAGMENT = regex.compile(r"[目标规划计]")


def one_column_per_year(cols: Sequence[Column]) -> list[Column]:
    """Two value columns naming one year: the one whose header keeps a fragment of a
    target word (标（2023年） of a wrapped 规划目标（2023年）) is the target, before or after
    the year's actual values."""
    out = list(cols)
    by_year: dict[int, list[int]] = {}
    for i, c in enumerate(out):
        if c.role == "value" and c.year is not None:
            by_year.setdefault(c.year, []).append(i)
    for same in by_year.values():
        if len(same) < 2:
            continue
        marked = [i for i in same if _TARGET_FRAGMENT.search(key(out[i].header))]
        if 0 < len(marked) < len(same):
            for i in marked:
                out[i] = replace(out[i], role="target")
    return out


def table_kind(cols: Sequence[Column]) -> TableKind | None:
    roles = {c.role for c in cols}
    if "value" in roles:
        return "indicators"
    if "claim" in roles:
        return "claims"
    return None


# --- content -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Profile:
    """What a column's data cells hold."""

    filled: int
    assessed: float  # share of 是/否/必选/可选
    has_choice: bool  # 必选 or 可选 among them: only an assessed column says that
    claim: float  # share of claim words (是/否/达标/√ …)
    claim_only: bool  # claim words that an assessed column never holds (达标, √ …)
    serial: float  # share of 序号-like cells (1, 一, (3))
    han: float  # mean Han characters per filled cell


def profile(rows: Sequence[Sequence[Cell]], i: int) -> Profile:
    texts = [clean(r[i].text) for r in rows if i < len(r) and clean(r[i].text)]
    n = len(texts)
    if not n:
        return Profile(0, 0.0, False, 0.0, False, 0.0, 0.0)
    return Profile(
        filled=n,
        assessed=sum(t in ASSESSED_WORDS for t in texts) / n,
        has_choice=any(t in ("必选", "可选") for t in texts),
        claim=sum(t in CLAIM_WORDS for t in texts) / n,
        claim_only=any(t in CLAIM_WORDS - ASSESSED_WORDS for t in texts),
        serial=sum(parse_serial(t) is not None for t in texts) / n,
        han=sum(len(_HAN.findall(t)) for t in texts) / n,
    )


def _other_names(cols: Sequence[Column], profiles: Sequence[Profile], i: int) -> bool:
    """Is there another name column, with more Han text than column ``i``?"""
    return any(
        c.role == "name" and j != i and profiles[j].han > profiles[i].han
        for j, c in enumerate(cols)
    )


def refine_by_content(cols: list[Column], rows: Sequence[Sequence[Cell]]) -> list[Column]:
    """Roles of ``cols`` corrected by what the part's data ``rows`` hold."""
    if not rows:
        return cols
    out = list(cols)
    profiles = [profile(rows, i) for i in range(len(cols))]
    for i, col in enumerate(out):
        # A header over an empty column, beside a filled column with no header: the
        # header was set off-centre (borderless tables), it names its neighbour.
        if col.role == "other" or profiles[i].filled:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(out) and out[j].role == "other" and profiles[j].filled:
                out[i], out[j] = replace(out[j], header=""), replace(col)
                break
    roles = [c.role for c in out]
    for i, (col, p) in enumerate(zip(out, profiles, strict=True)):
        if p.filled == 0:
            continue
        yes_no = p.assessed >= CONTENT_SHARE or p.claim >= CONTENT_SHARE
        if col.role in ("name", "other", "claim", "assessed") and yes_no:
            if p.has_choice and p.assessed >= CONTENT_SHARE:
                out[i] = replace(col, role="assessed")
            elif p.claim_only and p.claim >= CONTENT_SHARE:
                out[i] = replace(col, role="claim")
            elif col.role == "name":  # 考核指标 over 是/否: whether it is assessed
                out[i] = replace(col, role="assessed")
        elif (
            col.role == "requirement"
            and p.claim_only
            and p.claim >= CONTENT_SHARE
            and sum(1 for c in out if c.role == "requirement") > 1
        ):
            # 是否达到标准要求 whose upper lines a scan lost reads 标准要求: a second
            # requirement column holding only √ / × / 达标 is the claim.
            out[i] = replace(col, role="claim")
        elif col.role == "name" and p.assessed >= 0.5 and _other_names(out, profiles, i):
            # Two name columns (指标 | … | 考核指标): the one mostly holding 是/否/必选 is
            # the assessed column even where wrapped text spills into some of its cells.
            out[i] = replace(col, role="assessed")
        elif col.role == "other" and i <= 1 and p.serial >= CONTENT_SHARE and "number" not in roles:
            out[i] = replace(col, role="number")
    names = [i for i, c in enumerate(out) if c.role == "name"]
    if len(names) > 1:
        # Two name headers (指标 | … | 指标名称): the names are where the Han text is; a
        # name header over signs and numbers (≥ | 30 of a requirement cut apart) names
        # nothing.
        best = max(names, key=lambda i: profiles[i].han)
        for i in names:
            if i != best and profiles[i].filled and profiles[i].han < MIN_NAME_HAN:
                out[i] = replace(out[i], role="other")
    if "name" not in {c.role for c in out}:
        # The name column: the one with the longest Han text among the unassigned.
        candidates = [
            (profiles[i].han, i)
            for i, c in enumerate(out)
            if c.role in ("other", "category") and profiles[i].han >= MIN_NAME_HAN
        ]
        if candidates:
            _, i = max(candidates)
            out[i] = replace(out[i], role="name")
    return out
