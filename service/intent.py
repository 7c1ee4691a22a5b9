"""What a staff question asks for: the kind of answer, its unit, the places and dates it names. Pure.

Used twice: to boost retrieval candidates that can answer (right place, a figure with the asked unit),
and by the extractive answerer to pick the clause that states the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.figures import Figure, parse_figures
from vectorstore.articles import PLACE_ALIASES, PLACES
from vectorstore.cleaning import fold_all

_UNIT_AFTER_ASK = re.compile(
    r"(?:多少|几)\s*(万|亿)?\s*(个百分点|人次|条次|平方米|公斤|千克|小时|个月|[家人名例吨只个元份张辆盒瓶套台件项次户条场天周位部处所座批支项轮])"
)
_COUNT_NOUN_UNIT = re.compile(r"(人|户|家|次|件|个|项|例|名)数")
_GROWTH = re.compile(r"同比|环比|增长|增幅|下降|降幅|提高了|提升了")
_WANTS = [
    ("phone", re.compile(r"电话|热线|号码|联系方式")),
    ("date", re.compile(r"哪天|哪一天|何时|什么时候|几月几[日号]|哪个月|日期|哪日|什么时间|几号")),
    ("name", re.compile(r"谁|哪位|叫什么|哪家|哪个(?:医院|公司|企业|单位|部门)|什么(?:医院|公司|企业|单位|部门)|是哪")),
    ("percent", re.compile(r"百分之|比例|比率|占比|百分比|[率%]")),
    ("figure", re.compile(r"多少|几|数量|总数|规模|总额|金额|产能|产量|多大|多长|多久|多高|多远|多重")),
]
_PERSON = re.compile(r"谁|哪位|哪一位|(?:领导|书记|主任|[县市区省局]长|主席|指挥长|记者)(?:是|叫)")
_ORG = re.compile(r"哪家|哪个(?:医院|公司|企业|单位|部门)|什么(?:医院|公司|企业|单位|部门)|谁家")
_MONEY = re.compile(r"多少钱|资金|贷款|投资|金额|营业额|收入|债|经费|补贴|补助|拨付|销售额")
_DATE_IN_Q = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
_FOLLOW_UP = re.compile(r"^(?:那|那么|那在|再|还有|其中|另外|同期)|呢[？?]?$")


# Staff shorthand -> the bulletins' wording. Added to a question, never replacing it.
SYNONYMS = {
    "密接": "密切接触者", "规上": "规模以上", "限上": "限额以上", "每天": "日", "每日": "日", "复课": "开学",
    "工人": "用工", "复工企业": "开工企业", "热线": "电话", "电话": "热线",
}


def expand_question(question: str) -> str:
    extra = [v for k, v in SYNONYMS.items() if k in question and v not in question]
    return question + (" " + " ".join(extra) if extra else "")


@dataclass
class Intent:
    question: str
    wants: str = "figure"  # figure | percent | date | name | phone | text
    unit: str = ""  # canonical unit asked for ("家", "元"...), "" when unknown
    magnitude: str = ""  # 万/亿 when asked ("多少万元")
    loose_unit: bool = False  # "几个密接": 个 stands for any counted thing (人, 家, 项)
    places: list[str] = field(default_factory=list)
    dates: list[tuple[int | None, int, int]] = field(default_factory=list)
    months: list[int] = field(default_factory=list)  # "3月份" names a month without a day
    figures: list[Figure] = field(default_factory=list)  # figures the question itself states (11个项目)
    person: bool = False  # a name question about a person (谁, 哪位领导), not a company or hospital

    @property
    def wants_number(self) -> bool:
        return self.wants in ("figure", "percent")


def canon_place(place: str) -> str:
    return PLACE_ALIASES.get(place, place)


def places_in(text: str) -> list[str]:
    found: list[str] = []
    for p in PLACES:
        if p in text and canon_place(p) not in found:
            # "焦作市示范区": the more specific place is meant; keep both, the specific first.
            found.append(canon_place(p))
    if "全市" in text and not found:
        found.append("全市")
    return found


@lru_cache(maxsize=4096)
def parse_intent(question: str) -> Intent:
    q = fold_all(question)
    intent = Intent(question=question)
    m = _UNIT_AFTER_ASK.search(q)
    if m:
        intent.magnitude = m.group(1) or ""
        intent.unit = {"名": "人", "位": "人", "只": "个"}.get(m.group(2), m.group(2))
        intent.loose_unit = m.group(2) == "个"
    if not intent.unit:
        m2 = _COUNT_NOUN_UNIT.search(q)
        if m2 and re.search(r"多少|几", q):
            intent.unit = {"名": "人"}.get(m2.group(1), m2.group(1))  # "用工人数是多少" asks for 人
    growth = bool(_GROWTH.search(q)) and not intent.unit
    if not intent.unit and not growth and _MONEY.search(q) and re.search(r"多少|几", q):
        intent.unit = "元"
    for wants, pattern in _WANTS:
        if pattern.search(q):
            intent.wants = wants
            break
    else:
        intent.wants = "text"
    if intent.wants in ("percent", "phone") and m:
        intent.wants = "figure"  # "复工率...多少家", "多少部应急电话" ask for a count
    if growth and intent.wants == "figure":
        intent.wants = "percent"  # "营业额同比增长了多少" asks for a rate
    intent.person = intent.wants == "name" and bool(_PERSON.search(q)) and not _ORG.search(q)
    intent.places = places_in(q)
    for y, mo, d in _DATE_IN_Q.findall(q):
        intent.dates.append((int(y) if y else None, int(mo), int(d)))
    intent.months = [int(m) for m in re.findall(r"(\d{1,2})月份", q)]
    intent.figures = [f for f in parse_figures(q) if f.kind in ("number", "percent", "ordinal")]
    return intent


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.search(question.strip()))


@lru_cache(maxsize=8192)
def figures_of(text: str) -> tuple[Figure, ...]:
    return tuple(parse_figures(text))


def unit_of(fig: Figure) -> str:
    """The counted unit: 名/位 are 人, 只 is 个, and a rate "360份/日" counts 份."""
    unit = fig.unit.split("/")[0]
    return {"名": "人", "位": "人", "只": "个"}.get(unit, unit)


DURATION_UNITS = {"天", "小时", "年", "个月", "周", "分钟", "日"}
LOOSE_GE = {"个", "人", "家", "项", "所", "处", "条", "座", "部"}
_ASKS_RATE = re.compile(r"每|日[均产供]|一天|单日|能力|/")
_ASKS_DURATION = re.compile(r"多长|多久|几天|多少天|几个月|多少小时|时限")


def fits(intent: Intent, fig: Figure) -> bool:
    """Could this figure answer the question's shape?"""
    if intent.wants == "phone":
        return fig.kind == "phone"
    if intent.wants == "date":
        return fig.kind == "date"
    if intent.wants == "percent":
        return fig.kind == "percent"
    if intent.wants == "figure":
        if fig.kind not in ("number", "percent"):
            return False
        if "/" in fig.unit and not _ASKS_RATE.search(intent.question):
            return False  # "360份/日" is a rate: it does not answer "一共做了多少份"
        if not intent.unit:
            # "数量是多少" does not ask for a duration; "两天"/"3天时间" are rarely the answer.
            return unit_of(fig) not in DURATION_UNITS or bool(_ASKS_DURATION.search(intent.question))
        if intent.loose_unit:
            return unit_of(fig) in LOOSE_GE  # "几个密接" is answered in 人
        return unit_of(fig) == intent.unit
    return False


def place_score(intent: Intent, text: str, places: list[str]) -> float:
    """+1 when the text names an asked place or the chunk's article is about it, -1 when the question
    names places and neither holds; 0 when the question names none. `places[0]` is the article's subject."""
    if not intent.places:
        return 0.0
    named = set(places_in(text))
    if places:
        named.add(places[0])
    if "全市" in intent.places and places and places[0] in ("焦作市", "定州"):
        named.add("全市")
    if ("我市" in text or "全市" in text) and places:
        # "我市" is the bulletin's city, which the article's places carry when it says 我市/全市.
        named |= {p for p in places if p in ("焦作市", "定州")}
    return 1.0 if any(p in named for p in intent.places) else -1.0
