"""The ``Figure`` record every figure module speaks, and the canonical text of its value."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    text: str  # surface form, == parsed_string[start:end]
    start: int
    end: int
    kind: str  # number | percent | date | time | phone | year | ordinal | fraction | multiple
    value: Decimal | None  # scaled value; None for date/time/phone
    unit: str  # measure word after number+magnitude, "" if none
    magnitude: str  # 万 | 亿 | 万亿 | 千 | 千万 | 百万 | "" as written
    qualifier: str  # qualifiers as written, concatenated in text order
    bound: str  # gt | lt | approx | eq
    normalized: str  # canonical key, e.g. number:18000:辆, percent:96.6, date:-3-10, phone:03913566659


def dec_str(d: Decimal) -> str:
    """Canonical decimal text without exponent or trailing zeros: 1.80E+4 -> 18000."""
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def with_offset(fig: Figure, offset: int) -> Figure:
    """Shift a figure's offsets (figures parsed from a slice, reported against the whole text)."""
    return replace(fig, start=fig.start + offset, end=fig.end + offset)
