"""Grounding: does a quoted source state the figures an answer gives?

``matches`` is asymmetric: the source must state the same kind and scaled value, the same bound (300万 vs
300余万, 约300万 vs 300余万 are different claims) and the same canonical unit unless the answer gives none.
Dates: every part the answer states must match, except the year, which is only compared when both state it.
"""

from __future__ import annotations

from functools import lru_cache

from service.figures.figure import Figure, dec_str
from service.figures.parse import parse_figures
from service.figures.vocab import canon_unit


@lru_cache(maxsize=512)
def _source_figures(source: str) -> tuple[Figure, ...]:
    return tuple(parse_figures(source, loose=True))


def _date_parts(fig: Figure) -> list[str]:
    return fig.normalized.split(":", 1)[1].split("-")


def _time_parts(fig: Figure) -> tuple[int, int, int]:
    p = [int(x) for x in fig.normalized.split(":")[1:]]
    return p[0], p[1] if len(p) > 1 else 0, p[2] if len(p) > 2 else 0


def _phone_digits(fig: Figure) -> str:
    return fig.normalized.split(":", 1)[1]


def matches(ans: Figure, src: Figure) -> bool:
    """Does source figure `src` state answer figure `ans`? (Asymmetric: the answer may say less.)"""
    if ans.kind == "phone" and src.kind == "phone":
        a, s = _phone_digits(ans), _phone_digits(src)
        if a == s:
            return True
        # answer without area code (3569290) vs source (0391)3569290
        return len(a) in (7, 8) and s.endswith(a) and len(s) > len(a)
    if ans.kind == "number" and src.kind == "phone":
        # a bare 7-8 digit number in the answer may be a phone quoted without its area code
        if ans.unit or ans.magnitude or ans.bound != "eq" or ans.value is None:
            return False
        digits = dec_str(ans.value)
        return ans.text.strip() == digits and len(digits) in (7, 8) and _phone_digits(src).endswith(digits)
    if ans.kind == "date" and src.kind == "date":
        (ay, am, ad), (sy, sm, sd) = _date_parts(ans), _date_parts(src)
        if ay and sy and ay != sy:
            return False
        return (not am or am == sm) and (not ad or ad == sd)
    if ans.kind == "year":
        if src.kind == "year":
            return ans.value == src.value
        return src.kind == "date" and ans.value is not None and _date_parts(src)[0] == dec_str(ans.value)
    if ans.kind == "time" and src.kind == "time":
        return _time_parts(ans) == _time_parts(src)
    if ans.kind != src.kind or ans.kind not in ("number", "percent", "ordinal", "fraction", "multiple"):
        return False
    if ans.value is None or src.value is None or ans.value != src.value:
        return False
    if ans.bound != src.bound:  # 300万 vs 300余万, 约300万 vs 300余万 change the claim
        return False
    return not ans.unit or canon_unit(ans.unit) == canon_unit(src.unit)


def figure_grounded(fig: Figure, source: str) -> bool:
    """True if `source` (a quoted span) states `fig`."""
    return any(matches(fig, s) for s in _source_figures(source))


def ungrounded(answer: str, sources: list[str]) -> list[Figure]:
    """Figures of `answer` that no source states."""
    return [f for f in parse_figures(answer) if not any(figure_grounded(f, s) for s in sources)]
