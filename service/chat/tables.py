"""Table rows in a bulletin's cleaned text: "祁东县｜0例｜4例｜1例｜3例" under "县市区｜新增确诊｜累计确诊｜
累计出院｜在院治疗". A cell's figure is measured by its column's name, which the row itself never states;
the answerer reads each cell as if it were the clause "在院治疗3例". Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    if any(re.search(r"\d", _WHEN_NAME.sub("", n)) for n in names[1:]) or not all(names[1:]):
        return []  # a first row of figures is no header ("2月22日累计确诊", "1—4月" are columns' names)
    caption = ""
    if top > 0:
        cs, ce = _line(text, top - 1)
        caption = text[cs:ce] if len(text[cs:ce]) <= 60 else ""
    row = text[spans[0][0] : spans[0][1]]
    return [Cell(a, b, name, row, caption) for (a, b), name in zip(spans[1:], names[1:], strict=True)]
