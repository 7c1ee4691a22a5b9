"""Figure parsing: Chinese bulletin text -> ``Figure`` records with a *scaled* value and a comparable key.

Design choices (kept deliberately conservative: a missed figure in a source costs less than a false one):

* Offsets: the text is first mapped char-for-char (full-width digits/punctuation -> ASCII), so
  offsets into the mapped text are offsets into the original and ``fig.text == s[start:end]``.
* Whitespace (incl. newlines from column layouts, e.g. ``"8.5\\n吨"``) of up to 3 chars is tolerated
  between qualifier, number, magnitude and unit; digits themselves must be contiguous.
* Units: the longest known unit right after number(+magnitude) is taken.  An unknown CJK char after
  an Arabic number is *not* taken as a unit (unit ""), so such a figure is compared by value only.
  A Chinese numeral is only a figure when a known measure word follows (or ``第`` precedes), which
  keeps 一是/一线/统一/第一时间 out; a lone ``一`` (mostly an article: 一位/一批) is a figure only when
  sources are parsed ``loose``-ly for grounding, so an answer's 1例 can match a source's 一例.
  ``normalized`` uses canonical units (名/位 -> 人, 只/枚 -> 个, 千克 -> 公斤); ``unit`` stays as written.
* Ranges (``3至5天``, ``20-30人``, ``1至3月``) become two figures; the lower end inherits the upper
  end's unit/magnitude/kind but keeps its own text span.  Vague numerals (三五天, 十几个, 数万) are
  not figures at all.
* Dates: ``date:Y-M-D`` with missing parts empty (``date:-3-10``, ``date:-2-``); ``2月10日、11日``
  gives two dates; ``3月10日24时`` a date plus a time.  Clock times are kind "time".
* Phones: ``phone:<digits>``; a 7-8 digit number listed after a phone shares its area code.
* Word forms: 两成/九成九 are percents (20, 99), 三分之二 a ``fraction`` (value 2/3 to 6 places, so
  六分之四 states the same), 翻两番/翻番/翻倍 a ``multiple`` (4, 2, 2); 百分之三十 and 五千余人 are read by
  the percent and numeral rules.  Numerals go through cn2an (already the numeral parser here); its text
  mode is not used for these forms: measured on cn2an 0.5.24, ``transform`` leaves 两成 and 翻了两番 as
  they are, turns 九成九 into "9成9" (no percent), and rewrites the text, so offsets would be lost.
* Ignored: ids glued to Latin letters (A01版, COVID-19, 4S), page markers (①5, 第三版), citation
  markers ([1], 【2】) and list enumerators at a line's or a quotation's start (``1.``/``(2)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from service.figures.figure import Figure, dec_str
from service.figures.vocab import (
    APPROX,
    BARE_MAGNITUDE_QUALIFIERS,
    BARE_MAGNITUDES,
    CITATION_WORDS,
    CN_DIGIT_VALUE,
    CN_DIGITS,
    CN_NUM_CHARS,
    CN_UNITS,
    DATA_UNITS,
    DAY_PARTS,
    FULLWIDTH,
    GT,
    LT,
    MAGNITUDE_WORDS,
    MAGNITUDES,
    NOT_HOUR_AFTER,
    NUMERAL_NOT_AFTER,
    ORDINAL_UNITS,
    PREFIX_QUALIFIER_NOT_AFTER,
    PREFIX_QUALIFIERS,
    RATE_PER_UNITS,
    SUFFIX_QUALIFIERS,
    TENTHS_NOT_AFTER,
    TENTHS_NOT_BEFORE,
    UNITS,
    canon_unit,
)

_WS = r"\s{0,3}"
_CJK = re.compile(r"[\u3400-\u9fff]")
# Chinese digits 1-9; 两 only before a measure word (两成, 翻两番), never inside 九成九 or 三月五日.
_CN_1_9 = "".join(c for c, v in CN_DIGIT_VALUE.items() if v)
_CN_1_9_NO_LIANG = _CN_1_9.replace("两", "")


def _alt(words: tuple[str, ...]) -> str:
    """Regex alternation of vocabulary words (given longest first, so the longest wins)."""
    return "|".join(map(re.escape, words))


# --------------------------------------------------------------------------- helpers


def _skip_ws(t: str, pos: int, limit: int = 3) -> int:
    n = 0
    while pos < len(t) and n < limit and t[pos].isspace():
        pos += 1
        n += 1
    return pos


def _match_word(t: str, pos: int, words: Iterable[str]) -> str:
    """Longest (words are pre-sorted) word of `words` starting at t[pos], or ""."""
    for w in words:
        if t.startswith(w, pos):
            return w
    return ""


def _cn_to_decimal(s: str, digitwise: bool = False) -> Decimal | None:
    """Chinese numeral -> Decimal; None for vague forms (三五, 十几) that strict cn2an rejects.

    `digitwise` reads 二〇二〇 digit by digit; only for years, where 三五 cannot mean "3 or 5".
    """
    s2 = s.replace("两", "二").replace("〇", "零")
    try:
        v = cn2an.cn2an(s2, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        v = None
    if v is not None:
        try:
            return Decimal(str(v))
        except InvalidOperation:
            return None
    if digitwise and len(s) >= 2 and all(c in CN_DIGIT_VALUE for c in s):
        return Decimal("".join(str(CN_DIGIT_VALUE[c]) for c in s))
    return None


def _bound_of(quals: list[str]) -> str:
    bounds = set()
    for q in quals:
        if q in GT:
            bounds.add("gt")
        elif q in LT:
            bounds.add("lt")
        elif q in APPROX:
            bounds.add("approx")
    if not bounds:
        return "eq"
    return bounds.pop() if len(bounds) == 1 else "approx"


@dataclass
class _Cand:
    """Mutable candidate before it becomes a Figure; raw keeps the unscaled number for ranges."""

    start: int
    end: int
    kind: str
    raw: Decimal | None = None
    value: Decimal | None = None
    unit: str = ""
    magnitude: str = ""
    quals: tuple[str, ...] = ()
    normalized: str = ""
    bare: bool = False  # plain Arabic number without unit/magnitude/suffix: may be a range's lower end

    def key(self) -> str:
        if self.normalized:
            return self.normalized
        if self.kind == "percent":
            return f"percent:{dec_str(self.value or Decimal(0))}"
        if self.kind == "year":
            return f"year:{dec_str(self.value or Decimal(0))}"
        if self.kind == "ordinal":  # 第一位 is a rank, not people: no unit synonyms
            return f"ordinal:{dec_str(self.value or Decimal(0))}:{self.unit}"
        return f"{self.kind}:{dec_str(self.value or Decimal(0))}:{canon_unit(self.unit)}"


class _Spans:
    """Accepted/blocked char spans; extractors run in priority order and skip overlaps."""

    def __init__(self, n: int, loose: bool = False) -> None:
        self.mask = bytearray(n)  # 1 = char already belongs to a figure or a blocked marker
        self.loose = loose

    def free(self, a: int, b: int) -> bool:
        return self.mask.find(1, a, b) == -1

    def take(self, a: int, b: int) -> None:
        self.mask[a:b] = b"\x01" * (b - a)


# --------------------------------------------------------------------------- prefix / suffix qualifiers


def _prefix_qualifier(t: str, start: int) -> tuple[str, int]:
    """Qualifier written before the number at `start` (e.g. 近800张) -> (qualifier, its start)."""
    p = start
    n = 0
    while p > 0 and n < 3 and t[p - 1].isspace():
        p -= 1
        n += 1
    for q in PREFIX_QUALIFIERS:
        qs = p - len(q)
        if qs >= 0 and t.startswith(q, qs):
            blocked = PREFIX_QUALIFIER_NOT_AFTER.get(q)
            if blocked and qs > 0 and t[qs - 1] in blocked:
                continue
            return q, qs
    return "", start


def _suffix_qualifier(t: str, pos: int) -> tuple[str, int]:
    p = _skip_ws(t, pos)
    q = _match_word(t, p, SUFFIX_QUALIFIERS)
    if q:
        return q, p + len(q)
    return "", pos


def _rate_suffix(t: str, pos: int, unit: str) -> tuple[str, int]:
    """份/日 style rates: keep the per-part in the unit."""
    if unit and t.startswith("/", pos):
        per = _match_word(t, pos + 1, RATE_PER_UNITS)
        if per:
            return f"{unit}/{per}", pos + 1 + len(per)
    return unit, pos


# --------------------------------------------------------------------------- extractors

_CITE_PREFIX = r"(?:[A-Za-z]{1,3}|" + _alt(CITATION_WORDS) + ")"
_BLOCK_RES = (
    # ①5 page markers at a paragraph end; a circled list marker before a real figure is kept apart
    re.compile(r"[\u2460-\u2473\u2776-\u277f\u24ea](?:[0-9]{1,2}(?=\s|$))?"),
    # citation markers [1] [S2] 【来源3】 [1, 2]
    re.compile(
        r"[\[【]\s*" + _CITE_PREFIX + r"?\s*[0-9]{1,3}"
        r"(?:\s*[,，、\-]\s*" + _CITE_PREFIX + r"?\s*[0-9]{1,3})*\s*[\]】]"
    ),
    re.compile(
        r"(?m)(?:^|(?<=[“「『]))[ \t]*(?:\([ \t]*[0-9]{1,2}[ \t]*\)|[0-9]{1,2}[ \t]*(?:[.、)](?![0-9])))"
    ),  # 1. / (2) / 3、 at a line's start, or at a quote's ("公报原文：“1.自2月10日起…”")
    re.compile(r"第\s{0,3}(?:[0-9]+|[" + CN_NUM_CHARS + r"]+)\s{0,3}版"),  # 第三版 page refs
)

_AREA = r"0[0-9]{2,3}"
_PHONE_RES = (
    re.compile(r"\(\s{0,2}(?P<area>" + _AREA + r")\s{0,2}\)\s{0,2}(?P<local>[0-9]{7,8})(?![0-9])"),
    re.compile(r"(?<![0-9])(?P<area>" + _AREA + r")-(?P<local>[0-9]{7,8})(?![0-9])"),
    re.compile(r"(?<![0-9])(?P<local>1[3-9][0-9]{9})(?![0-9])"),
)
_PHONE_CONT = re.compile(r"\s{0,2}[、,，/或和]\s{0,2}(?P<local>[0-9]{7,8})(?![0-9.])")


def _phones(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for rx in _PHONE_RES:
        for m in rx.finditer(t):
            if not spans.free(m.start(), m.end()):
                continue
            area = m.groupdict().get("area") or ""
            spans.take(m.start(), m.end())
            out.append(_Cand(m.start(), m.end(), "phone", normalized=f"phone:{area}{m['local']}"))
            pos = m.end()
            # （0391）3569278、3569290: later locals share the area code
            while area and (c := _PHONE_CONT.match(t, pos)) and spans.free(c.start("local"), c.end()):
                spans.take(c.start("local"), c.end())
                out.append(_Cand(c.start("local"), c.end(), "phone", normalized=f"phone:{area}{c['local']}"))
                pos = c.end()


def _time_key(h: int, mi: int, sec: int | None) -> str:
    return f"time:{h}:{mi:02d}" + (f":{sec:02d}" if sec else "")


def _date_key(y: int | None, mo: int | None, d: int | None) -> str:
    return f"date:{y if y else ''}-{mo if mo else ''}-{d if d else ''}"


_ISO_RE = re.compile(
    r"(?<![0-9.])(?P<y>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<mo>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])"
    r"(?:\s{1,3}(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?![0-9]))?"
)


def _iso_dates(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for m in _ISO_RE.finditer(t):
        y, mo, d = int(m["y"]), int(m["mo"]), int(m["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31) or not spans.free(m.start(), m.end()):
            continue
        spans.take(m.start(), m.end())
        out.append(_Cand(m.start(), m.end("d"), "date", normalized=_date_key(y, mo, d)))
        if m["h"] is not None:
            h, mi = int(m["h"]), int(m["mi"])
            sec = int(m["s"]) if m["s"] else None
            if h <= 24 and mi < 60:
                out.append(_Cand(m.start("h"), m.end(), "time", normalized=_time_key(h, mi, sec)))


_DATE_RE = re.compile(
    r"(?<![0-9.])(?:(?P<y>[0-9]{4})" + _WS + r"年" + _WS + r")?(?P<mo>[0-9]{1,2})" + _WS + r"月"
    r"(?:" + _WS + r"(?P<d>[0-9]{1,2})" + _WS + r"[日号])?"
)
_CN_DATE_RE = re.compile(
    r"(?:(?P<y>["
    + CN_DIGITS
    + r"]{4})年)?(?P<mo>["
    + _CN_1_9_NO_LIANG
    + r"十]{1,2})月(?P<d>["
    + _CN_1_9_NO_LIANG
    + r"十]{1,3})[日号]"
)
_DAY_CONT = re.compile(r"\s{0,3}(?:[、,，和及至到~\-—]|以及)\s{0,3}(?P<d>[0-9]{1,2})\s{0,3}[日号]")
_DAY_RE = re.compile(r"(?<![0-9.])(?P<d>[0-9]{1,2})\s{0,3}日")


def _dates(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for rx in (_DATE_RE, _CN_DATE_RE):
        for m in rx.finditer(t):
            if rx is _DATE_RE:
                y = int(m["y"]) if m["y"] else None
                mo = int(m["mo"])
                d = int(m["d"]) if m["d"] else None
            else:
                yv = _cn_to_decimal(m["y"], digitwise=True) if m["y"] else None
                mv, dv = _cn_to_decimal(m["mo"]), _cn_to_decimal(m["d"])
                if mv is None or dv is None:
                    continue
                y, mo, d = (int(yv) if yv is not None else None), int(mv), int(dv)
            if not 1 <= mo <= 12 or (d is not None and not 1 <= d <= 31):
                continue
            if y is not None and not 1900 <= y <= 2100:
                continue
            if not spans.free(m.start(), m.end()):
                continue
            spans.take(m.start(), m.end())
            out.append(_Cand(m.start(), m.end(), "date", normalized=_date_key(y, mo, d)))
            pos = m.end()
            # 2月10日、11日 / 2月13日至15日: following bare days share year and month
            while d is not None and (c := _DAY_CONT.match(t, pos)):
                dd = int(c["d"])
                if not 1 <= dd <= 31 or not spans.free(c.start("d"), c.end()):
                    break
                spans.take(c.start("d"), c.end())
                out.append(_Cand(c.start("d"), c.end(), "date", normalized=_date_key(y, mo, dd)))
                pos = c.end()
    for m in _DAY_RE.finditer(t):  # 一直到24日上午: day of an unstated month
        dd = int(m["d"])
        if 1 <= dd <= 31 and spans.free(m.start(), m.end()):
            spans.take(m.start(), m.end())
            out.append(_Cand(m.start(), m.end(), "date", normalized=_date_key(None, None, dd)))


_CLOCK_RE = re.compile(r"(?<![0-9.:])(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?(?![0-9:])")
_HOUR_RE = re.compile(
    r"(?<![0-9.])(?P<h>[0-9]{1,2})" + _WS + r"(?P<w>[时点])"
    r"(?:" + _WS + r"(?P<mi>[0-9]{1,2})" + _WS + r"分(?:" + _WS + r"(?P<s>[0-9]{1,2})" + _WS + r"秒)?)?"
)


def _times(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for m in _CLOCK_RE.finditer(t):
        h, mi = int(m["h"]), int(m["mi"])
        if h <= 24 and mi < 60 and spans.free(m.start(), m.end()):
            spans.take(m.start(), m.end())
            sec = int(m["s"]) if m["s"] else None
            out.append(_Cand(m.start(), m.end(), "time", normalized=_time_key(h, mi, sec)))
    for m in _HOUR_RE.finditer(t):
        h = int(m["h"])
        mi = int(m["mi"]) if m["mi"] else 0
        sec = int(m["s"]) if m["s"] else None
        if h > 24 or mi >= 60:
            continue
        if m["mi"] is None:
            nxt = t[m.end()] if m.end() < len(t) else ""
            if m["w"] == "时" and nxt in NOT_HOUR_AFTER:
                continue
            if m["w"] == "点":
                before = t[max(0, m.start() - 6) : m.start()].rstrip()
                if nxt != "钟" and not before.endswith(DAY_PARTS):
                    continue
        end = m.end() + (1 if m["w"] == "点" and t.startswith("钟", m.end()) else 0)
        if spans.free(m.start(), end):
            spans.take(m.start(), end)
            out.append(_Cand(m.start(), end, "time", normalized=_time_key(h, mi, sec)))


RUN_UNITS = ("天", "周", "个月", "年")
_ORD_RE = re.compile(r"第" + _WS + r"(?:(?P<a>[0-9]+)|(?P<c>[" + CN_NUM_CHARS + r"]+))")


def _ordinals(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for m in _ORD_RE.finditer(t):
        if m["a"] is not None:
            if m.end() < len(t) and (t[m.end()].isascii() and t[m.end()].isalnum() or t[m.end()] == "."):
                continue
            val: Decimal | None = Decimal(m["a"])
            units: tuple[str, ...] = UNITS
        else:
            val = _cn_to_decimal(m["c"])
            units = ORDINAL_UNITS
        if val is None:
            continue
        p = _skip_ws(t, m.end())
        unit = _match_word(t, p, units)
        if m["c"] is not None and not unit:
            continue  # 第一, 第一时间: list markers and idioms, not figures
        end = p + len(unit) if unit else m.end()
        # "连续第48天无新增": the 48th day running is 48 days, a count, not a rank.
        kind = "number" if unit in RUN_UNITS and t[: m.start()].rstrip().endswith("连续") else "ordinal"
        if spans.free(m.start(), end):
            spans.take(m.start(), end)
            out.append(_Cand(m.start(), end, kind, raw=val, value=val, unit=unit))


_YEAR_RE = re.compile(
    r"(?<![0-9.])(?P<y>(?:19|20)[0-9]{2})" + _WS + r"年(?!" + _WS + r"[0-9]{1,2}" + _WS + r"月)"
)
_CN_YEAR_RE = re.compile(r"(?P<y>[一二][" + CN_DIGITS + r"]{3})年")


def _years(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for rx in (_YEAR_RE, _CN_YEAR_RE):
        for m in rx.finditer(t):
            y = _cn_to_decimal(m["y"], digitwise=True) if rx is _CN_YEAR_RE else Decimal(m["y"])
            if y is None or not 1900 <= y <= 2100 or not spans.free(m.start(), m.end()):
                continue
            spans.take(m.start(), m.end())
            out.append(_Cand(m.start(), m.end(), "year", raw=y, value=y))


_PCT_WORD_RE = re.compile(
    r"百分之"
    + _WS
    + r"(?:(?P<a>[0-9]+(?:\.[0-9]+)?)|(?P<c>["
    + CN_NUM_CHARS
    + r"]+(?:点["
    + CN_DIGITS
    + r"]+)?))"
)


def _percent_words(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for m in _PCT_WORD_RE.finditer(t):
        if m["a"] is not None:
            val: Decimal | None = Decimal(m["a"])
        else:
            c = m["c"]
            val = _cn_to_decimal("一" + c if c[0] in "百千" else c)
        if val is None:
            continue
        q, qs = _prefix_qualifier(t, m.start())
        quals = [q] if q else []
        sq, end = _suffix_qualifier(t, m.end())
        if sq:
            quals.append(sq)
        start = qs if q else m.start()
        if spans.free(start, end):
            spans.take(start, end)
            out.append(_Cand(start, end, "percent", raw=val, value=val, unit="%", quals=tuple(quals)))


_ONE_DIGIT = CN_DIGIT_VALUE | {"十": 10}  # 成 and 番 count up to ten
# 两成 / 九成九 / 三成五: tenths.  Not a figure in 一成不变, 统一成立, 九成员 (成 starting another word).
_CHENG_RE = re.compile(
    r"(?<![" + TENTHS_NOT_AFTER + CN_NUM_CHARS + r"])(?P<a>[" + _CN_1_9 + r"十])成"
    r"(?:(?P<b>[" + _CN_1_9_NO_LIANG + r"])(?![" + CN_NUM_CHARS + r"成番倍])|(?![" + TENTHS_NOT_BEFORE + r"]))"
)
_FRACTION_RE = re.compile(
    r"(?P<d>[" + CN_NUM_CHARS + r"]+)分之(?P<n>[" + CN_NUM_CHARS + r"]+(?:点[" + CN_DIGITS + r"]+)?)"
)
_FANFAN_RE = re.compile(r"翻了?(?:(?P<n>[" + _CN_1_9 + r"十]|[0-9]{1,2})番|番|一?倍)")


def _word_forms(t: str, spans: _Spans, out: list[_Cand]) -> None:
    """Quantities written as words: tenths (成), fractions (分之), doublings (翻番)."""

    def add(m: re.Match, kind: str, value: Decimal, key: str) -> None:
        q, qs = _prefix_qualifier(t, m.start())
        quals = [q] if q else []
        end = m.end()
        if t.startswith("多", end):  # 九成多, 翻了一番多
            quals.append("多")
            end += 1
        sq, end = _suffix_qualifier(t, end)
        quals += [sq] if sq else []
        start = qs if q else m.start()
        if spans.free(start, end):
            spans.take(start, end)
            unit = "%" if kind == "percent" else ""
            out.append(_Cand(start, end, kind, raw=value, value=value, unit=unit, quals=tuple(quals), normalized=key))

    for m in _CHENG_RE.finditer(t):
        v = Decimal(_ONE_DIGIT[m["a"]] * 10 + (_ONE_DIGIT[m["b"]] if m["b"] else 0))
        add(m, "percent", v, f"percent:{dec_str(v)}")
    for m in _FRACTION_RE.finditer(t):
        d, n = _cn_to_decimal("一" + m["d"] if m["d"][0] in "百千万" else m["d"]), _cn_to_decimal(m["n"])
        if d and n is not None:
            v = (n / d).quantize(Decimal("0.000001"))
            add(m, "fraction", v, f"fraction:{dec_str(v)}")
    for m in _FANFAN_RE.finditer(t):
        times = int(m["n"]) if m["n"] and m["n"].isdigit() else _ONE_DIGIT.get(m["n"] or "一", 1)
        v = Decimal(2) ** times
        add(m, "multiple", v, f"multiple:{dec_str(v)}")


# Bandwidth and data amounts ("1000M宽带", "100G流量") are figures; a one-digit "4G"/"5G"/"3M" names a
# network generation or a company, and a number glued to other letters is a model code (N95, KN95).
_DATA_UNIT = r"(?:" + _alt(DATA_UNITS) + r")(?![0-9A-Za-z_])"
_NUM_RE = re.compile(
    r"(?<![0-9.A-Za-z_])(?<![A-Za-z]-)(?P<n>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
    r"(?:(?![0-9A-Za-z_])|(?<=[0-9][0-9])(?=" + _DATA_UNIT + r"))(?!-[A-Za-z])"
)


def _after_number(
    t: str, pos: int, units: tuple[str, ...], allow_pct: bool
) -> tuple[list[str], str, str, int]:
    """Parse [余|多] [magnitude] [余|多] (%|unit) after a number -> (quals, magnitude, unit, end)."""
    quals: list[str] = []
    mag = ""
    unit = ""
    end = pos

    def vague(p: int) -> None:
        # 余/多 only count when a magnitude, unit, % or non-CJK follows (30 余项, 1万多瓶, 300余。)
        nonlocal end
        p = _skip_ws(t, p)
        if p < len(t) and t[p] in "余多":
            nxt = _skip_ws(t, p + 1)
            if (
                nxt >= len(t)
                or not _CJK.match(t[nxt])
                or _match_word(t, nxt, MAGNITUDE_WORDS)
                or _match_word(t, nxt, units)
            ):
                quals.append(t[p])
                end = p + 1

    vague(end)
    p = _skip_ws(t, end)
    u = _match_word(t, p, units)
    m = _match_word(t, p, MAGNITUDE_WORDS)
    if m and not (u and len(u) > len(m) and u.startswith(m)):  # 5千克 is kilograms, not 5000 克
        mag = m
        end = p + len(m)
        vague(end)
    p = _skip_ws(t, end)
    if allow_pct and not mag and t.startswith("%", p):
        return quals, mag, "%", p + 1
    u = _match_word(t, p, units)
    if u:
        unit = u
        end = p + len(u)
        # 1个多月 / 2个多小时: the vague 多 sits inside the unit
        if u == "个" and t.startswith("多", end):
            inner = _match_word(t, end + 1, ("月", "小时"))
            if inner:
                quals.append("多")
                unit = "个月" if inner == "月" else "小时"
                end = end + 1 + len(inner)
    return quals, mag, unit, end


def _arabic_numbers(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for m in _NUM_RE.finditer(t):
        if not spans.free(m.start(), m.end()):
            continue
        raw = Decimal(m.group(0).replace(",", ""))
        quals, mag, unit, end = _after_number(t, m.end(), UNITS, allow_pct=True)
        kind = "percent" if unit == "%" else "number"
        if kind == "number":
            unit, end = _rate_suffix(t, end, unit)
        sq, end = _suffix_qualifier(t, end)
        pq, start = _prefix_qualifier(t, m.start())
        all_quals = ([pq] if pq else []) + quals + ([sq] if sq else [])
        if not spans.free(start, end):
            start = m.start()
            if pq:
                all_quals = all_quals[1:]
        if not spans.free(start, end):
            continue
        spans.take(start, end)
        value = raw * MAGNITUDES[mag] if mag else raw
        out.append(
            _Cand(
                start,
                end,
                kind,
                raw=raw,
                value=value,
                unit=unit,
                magnitude=mag,
                quals=tuple(all_quals),
                bare=kind == "number" and not unit and not mag and not quals and not sq,
            )
        )


_CN_NUM_RE = re.compile(
    r"(?<![" + NUMERAL_NOT_AFTER + r"])(?P<c>["
    + CN_DIGITS
    + r"十]["
    + CN_NUM_CHARS
    + r"]*(?:点["
    + CN_DIGITS
    + r"]+)?)"
)
_CN_BARE_RE = re.compile(
    r"(?P<q>" + _alt(BARE_MAGNITUDE_QUALIFIERS) + r")" + _WS
    + r"(?P<c>[" + "".join(BARE_MAGNITUDES) + r"])(?![" + CN_NUM_CHARS + r"])"
)


def _cn_numbers(t: str, spans: _Spans, out: list[_Cand]) -> None:
    for m in _CN_BARE_RE.finditer(t):  # 近百条, 上万个: bare magnitude after an approximating word
        blocked = PREFIX_QUALIFIER_NOT_AFTER.get(m["q"])
        if blocked and m.start() > 0 and t[m.start() - 1] in blocked:
            continue
        quals, _, unit, end = _after_number(t, m.end(), CN_UNITS, allow_pct=False)
        if not unit:
            continue
        sq, end = _suffix_qualifier(t, end)
        val = BARE_MAGNITUDES[m["c"]]
        if spans.free(m.start(), end):
            spans.take(m.start(), end)
            q = (m["q"], *quals, *([sq] if sq else []))
            out.append(_Cand(m.start(), end, "number", raw=val, value=val, unit=unit, quals=q))
    for m in _CN_NUM_RE.finditer(t):
        c = m["c"]
        if c in ("零", "〇") or (c == "一" and not spans.loose) or not spans.free(m.start(), m.end()):
            continue  # lone 一 is mostly an article (一位/一批), lone 零 a word (零部件/零报告)
        val = _cn_to_decimal(c)
        if val is None:
            continue
        quals, mag, unit, end = _after_number(t, m.end(), CN_UNITS, allow_pct=False)
        if not unit:
            continue
        if mag:  # 十余万人: magnitude written after the numeral
            val *= MAGNITUDES[mag]
        else:
            mag = c[-1] if c[-1] in "万亿" else ""
        sq, end = _suffix_qualifier(t, end)
        pq, start = _prefix_qualifier(t, m.start())
        all_quals = ([pq] if pq else []) + quals + ([sq] if sq else [])
        if not spans.free(start, end):
            start, all_quals = m.start(), all_quals[1:] if pq else all_quals
        if not spans.free(start, end):
            continue
        spans.take(start, end)
        out.append(
            _Cand(start, end, "number", raw=val, value=val, unit=unit, magnitude=mag, quals=tuple(all_quals))
        )


_RANGE_SEP = re.compile(r"\s{0,3}(?:至|到|~|-|—|－|～|——)\s{0,3}")


def _apply_ranges(t: str, cands: list[_Cand]) -> None:
    """20-30人 / 3至5万元 / 1至3月: the bare lower end takes the upper end's unit, magnitude, kind."""
    for a, b in zip(cands, cands[1:], strict=False):
        if not a.bare or a.raw is None or not _RANGE_SEP.fullmatch(t[a.end : b.start]):
            continue
        if b.kind in ("number", "percent") and (b.unit or b.magnitude):
            a.kind, a.unit, a.magnitude = b.kind, b.unit, b.magnitude
            a.value = a.raw * MAGNITUDES[b.magnitude] if b.magnitude else a.raw
            a.bare = False
        elif b.kind == "date" and a.raw == a.raw.to_integral_value():
            parts = b.normalized.split(":", 1)[1].split("-")
            if parts[1] and not parts[2] and 1 <= int(a.raw) <= 12:  # month-only upper end
                a.kind, a.normalized, a.value, a.bare = "date", _date_key(None, int(a.raw), None), None, False
                if parts[0]:
                    a.normalized = _date_key(int(parts[0]), int(a.raw), None)


# --------------------------------------------------------------------------- public API


def parse_figures(text: str, *, loose: bool = False) -> list[Figure]:
    """All figures stated in `text`, sorted by position; offsets index into `text` itself.

    `loose` also reads a lone 一 before a measure word (一例, 一家).  Grounding parses sources
    loosely, so an answer's "1例" can be grounded by a source's "一例", while an answer's own
    "一位" (an article, usually) is never demanded to be grounded.
    """
    t = text.translate(FULLWIDTH)
    spans = _Spans(len(t), loose)
    for rx in _BLOCK_RES:
        for m in rx.finditer(t):
            spans.take(m.start(), m.end())
    cands: list[_Cand] = []
    for extract in (
        _phones,
        _iso_dates,
        _dates,
        _times,
        _ordinals,
        _years,
        _percent_words,
        _word_forms,
        _arabic_numbers,
        _cn_numbers,
    ):
        extract(t, spans, cands)
    cands.sort(key=lambda c: c.start)
    _apply_ranges(t, cands)
    figs: list[Figure] = []
    for c in cands:
        quals = list(c.quals)
        value = None if c.kind in ("date", "time", "phone") else c.value
        figs.append(
            Figure(
                text=text[c.start : c.end],
                start=c.start,
                end=c.end,
                kind=c.kind,
                value=value,
                unit=c.unit,
                magnitude=c.magnitude,
                qualifier="".join(quals),
                bound=_bound_of(quals),
                normalized=c.key(),
            )
        )
    return figs

