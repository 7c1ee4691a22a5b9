"""The figure parser's word lists, loaded once from ``vocab.toml`` (each table says there what it is for).

Lists matched as prefixes at a position come sorted longest first, so the first match is the longest.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from decimal import Decimal
from importlib import resources

_DATA = tomllib.loads(resources.files("service.figures").joinpath("vocab.toml").read_text(encoding="utf-8"))


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def _powers_of_ten(table: dict[str, int]) -> dict[str, Decimal]:
    return {word: Decimal(10) ** exp for word, exp in table.items()}


FULLWIDTH: dict[int, str] = str.maketrans(_DATA["fullwidth"])

MAGNITUDES: dict[str, Decimal] = _powers_of_ten(_DATA["magnitudes"])
MAGNITUDE_WORDS: tuple[str, ...] = _longest_first(MAGNITUDES)
BARE_MAGNITUDES: dict[str, Decimal] = _powers_of_ten(_DATA["bare_magnitudes"])

_units = _DATA["units"]
DATA_UNITS: tuple[str, ...] = _longest_first(_units["data"])
UNITS: tuple[str, ...] = _longest_first(_units["after_number"] + _units["data"])
CN_UNITS: tuple[str, ...] = _longest_first(_units["after_cn_numeral"])
ORDINAL_UNITS: tuple[str, ...] = _longest_first(_units["ordinal"])
RATE_PER_UNITS: tuple[str, ...] = _longest_first(_units["rate_per"])
UNIT_CANON: dict[str, str] = _units["canonical"]

_qualifiers = _DATA["qualifiers"]
GT: frozenset[str] = frozenset(_qualifiers["gt"])
LT: frozenset[str] = frozenset(_qualifiers["lt"])
APPROX: frozenset[str] = frozenset(_qualifiers["approx"])
PREFIX_QUALIFIERS: tuple[str, ...] = _longest_first(_qualifiers["prefix"])
SUFFIX_QUALIFIERS: tuple[str, ...] = _longest_first(_qualifiers["suffix"])
BARE_MAGNITUDE_QUALIFIERS: tuple[str, ...] = _longest_first(_qualifiers["before_bare_magnitude"])
PREFIX_QUALIFIER_NOT_AFTER: dict[str, frozenset[str]] = {
    q: frozenset(chars) for q, chars in _qualifiers["prefix_not_after"].items()
}

_numerals = _DATA["numerals"]
CN_DIGIT_VALUE: dict[str, int] = _numerals["digits"]
CN_DIGITS: str = "".join(CN_DIGIT_VALUE)
CN_NUM_CHARS: str = CN_DIGITS + _numerals["multipliers"]
NUMERAL_NOT_AFTER: str = _numerals["not_after"]
TENTHS_NOT_AFTER: str = _DATA["tenths"]["not_after"]
TENTHS_NOT_BEFORE: str = _DATA["tenths"]["not_before"]

DAY_PARTS: tuple[str, ...] = tuple(_DATA["time"]["day_parts"])
NOT_HOUR_AFTER: frozenset[str] = frozenset(_DATA["time"]["not_hour_after"])

CITATION_WORDS: tuple[str, ...] = tuple(_DATA["citations"]["words"])


def canon_unit(unit: str) -> str:
    """名/位 -> 人, 千克 -> 公斤 ...: the unit two figures are compared in."""
    return UNIT_CANON.get(unit, unit)
