"""Table rows in a bulletin's cleaned text: "祁东县｜0例｜4例｜1例｜3例" under "县市区｜新增确诊｜累计确诊｜
累计出院｜在院治疗". A cell's figure is measured by its column's name, which the row itself never states;
the answerer reads each cell as if it were the clause "在院治疗3例". Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from service.figures import Figure, parse_figures
from vectorstore.cleaning import TABLE_ROW

_SEPARATOR = re.compile(r"[|｜]")
# A column named by its day, months or year ("2月22日累计确诊", "4月份", "1—4月", "2020年1—4月", "2019年外出务工"):
# a name, not a figure.
_WHEN_NAME = re.compile(r"(?:\d{4}年)?(?:\d{1,2}(?:—|－|-|~|至|到))?\d{1,2}月(?:份|\d{1,2}日)?|\d{4}年")


@dataclass(frozen=True)
class Cell:
    start: int  # cleaned offsets of the cell's text, separators and spaces left out
    end: int
    column: str  # the header's name of its column ("在院治疗")
    row: str  # the row's first cell ("祁东县")
    caption: str  # the line above the header ("各县市区病例情况（截至2月16日24时）"), or ""
    unit: str = ""  # what a bare number of the cell measures: its row's 单位 cell ("万吨"), or "%" under "同比（%）"
    measured: str = ""  # a growth column's value column: "本周销售额（万元）" for the 环比 after it


def _line(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, a = [], start
    for m in [*_SEPARATOR.finditer(text, start, end), None]:
        b = m.start() if m else end
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
        a = b + 1
    return out


def row_cells(text: str, s: int) -> list[Cell]:
    """The cells of the table row holding offset `s`, each with its column's name; [] when that line is no
    row under a header of as many cells (the header itself, a site's menu bar, a sentence)."""
    ls, le = _line(text, s)
    if not TABLE_ROW.match(text[ls:le]):
        return []
    spans = _cells(text, ls, le)
    top = ls  # the first line of this run of rows with as many cells: the header
    while top > 0:
        ps, pe = _line(text, top - 1)
        if not TABLE_ROW.match(text[ps:pe]) or len(_cells(text, ps, pe)) != len(spans):
            break
        top = ps
    if top == ls:
        return []
    hs, he = _line(text, top)
    names = [text[a:b] for a, b in _cells(text, hs, he)]
    if not all(names[1:]) and he + 1 < ls:
        names = _two_row_names(names, [text[a:b] for a, b in _cells(text, *_line(text, he + 1))])
    if any(re.search(r"\d", _WHEN_NAME.sub("", n)) for n in names[1:]) or not all(names[1:]):
        return []  # a first row of figures is no header ("2月22日累计确诊", "1—4月" are columns' names)
    caption = ""
    if top > 0:
        cs, ce = _line(text, top - 1)
        caption = text[cs:ce] if len(text[cs:ce]) <= 60 else ""
    row = text[spans[0][0] : spans[0][1]]
    unit_at = next((i for i, n in enumerate(names) if _UNIT_COLUMN.fullmatch(n)), None)
    row_unit = text[spans[unit_at][0] : spans[unit_at][1]] if unit_at else ""
    return [Cell(a, b, name, row, caption, _cell_unit(name, row_unit) if k != unit_at else "", _measured(names, k))
            for k, ((a, b), name) in enumerate(zip(spans[1:], names[1:], strict=True), start=1)]


def _two_row_names(top: list[str], sub: list[str]) -> list[str]:
    """A header of two rows ("县（市、区）｜规模以上工业增加值增速｜｜社会消费品零售总额｜" over "｜3月｜1—3月｜1—3月｜同比"): each
    column is named by its top cell, carried right over the empty cells it spans, and its own cell below
    ("规模以上工业增加值增速3月", "社会消费品零售总额同比"). Unchanged unless the row below names columns only."""
    if sub[0] or not all(sub[1:]) or any(re.search(r"\d", _WHEN_NAME.sub("", n)) for n in sub[1:]):
        return top
    out, carried = [top[0]], ""
    for t, b in zip(top[1:], sub[1:], strict=True):
        carried = t or carried
        out.append(carried + b)
    return out


# A column named by a change alone: "环比", "同比（%）", "增长%".
_GROWTH_COLUMN = re.compile(r"\s*(?:环比|同比|增长|增速|增幅|增减|比上[周月年]|较上[周月年])\s*(?:[（(]?[%％][)）]?)?\s*")


def _measured(names: list[str], k: int) -> str:
    """What the change in column k is of: the nearest column before it that is not a change itself
    ("业态｜本周销售额（万元）｜环比｜同比": both changes are of 本周销售额)."""
    if not _GROWTH_COLUMN.fullmatch(names[k]):
        return ""
    for name in reversed(names[1:k]):
        if not _GROWTH_COLUMN.fullmatch(name):
            return name
    return ""


_UNIT_COLUMN = re.compile(r"\s*(?:计量)?单位\s*")
_PERCENT_COLUMN = re.compile(r"[%％]|百分比")


def _cell_unit(column: str, row_unit: str) -> str:
    """"指标｜单位｜4月｜同比（%）": a 4月 cell measures in its row's 单位 ("万吨"), a 同比（%） cell in %."""
    if _PERCENT_COLUMN.search(column):
        return "%"
    return row_unit if row_unit and not _PERCENT_COLUMN.search(row_unit) else ""


def with_cell_unit(fig: Figure, unit: str, before: str = "") -> Figure:
    """A bare number of a cell read with the unit its table gives it ("3612.4" under 单位 万吨 -> 3612.4万吨; "-16.8"
    under 同比增长% -> -16.8%, its sign kept: `before` is the character before the number). The figure's text then
    names the unit the cell leaves to its table; its offsets stay those of the number (and its sign)."""
    if not unit or fig.kind != "number" or fig.unit or fig.magnitude:
        return fig
    read = parse_figures(fig.text + unit)
    if len(read) != 1 or read[0].text != fig.text + unit:
        return fig
    sign = before if before in ("-", "－", "−") else ""
    return replace(read[0], text=sign + read[0].text, start=fig.start - len(sign), end=fig.end,
                   qualifier=fig.qualifier or read[0].qualifier)
