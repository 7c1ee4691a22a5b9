"""What a staff question asks for: the kind of answer, its unit, the places and dates it names. Pure.

Used twice: to boost retrieval candidates that can answer (right place, a figure with the asked unit),
and by the extractive answerer to pick the clause that states the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.figures import Figure, parse_figures
from vectorstore import places as gz
from vectorstore.cleaning import fold_all

UNIT_AFTER_ASK = re.compile(
    r"(?:多少|几)\s*(万|亿)?\s*(个百分点|人次|条次|平方米|公斤|千克|小时|个月|[家人名例吨只个元份张辆盒瓶套台件项次户条场天周位部处所座批支项轮种类箱袋桶株头间栋顿餐])"
)
_COUNT_NOUN_UNIT = re.compile(r"(人|户|家|次|件|个|项|例|名)数")
_GROWTH = re.compile(r"同比|环比|增长|增幅|下降|降幅|提高了|提升了")
_WANTS = [
    # "哪天接到求助电话" asks for a date: the date words win over 电话.
    ("date", re.compile(r"哪天|哪一天|何时|什么时候|几月几[日号]|哪个月|日期|哪日|什么时间|几号")),
    ("phone", re.compile(r"电话|热线|号码|联系方式")),
    ("name", re.compile(r"谁|哪位|叫什么|哪家|哪个(?:医院|公司|企业|单位|部门)|什么(?:医院|公司|企业|单位|部门)|是哪")),
    ("percent", re.compile(r"百分之|比例|比率|占比|百分比|[率%]")),
    ("figure", re.compile(r"多少|几|数量|总数|规模|总额|金额|产能|产量|多大|多长|多久|多高|多远|多重")),
    # "哪个售楼部", "什么指挥部": a place or an organisation, asked by its kind.
    ("name", re.compile(r"哪个|哪家|哪所|哪座|哪一个|哪一家|什么[\u4e00-\u9fff]")),
]
_PERSON = re.compile(r"谁|哪位|哪一位|(?:领导|书记|主任|[县市区省局]长|主席|指挥长|记者)(?:是|叫)")
_ORG = re.compile(r"哪家|哪个(?:医院|公司|企业|单位|部门)|什么(?:医院|公司|企业|单位|部门)|谁家")
_MONEY = re.compile(r"多少钱|资金|贷款|投资|金额|营业额|收入|债|经费|补贴|补助|拨付|销售额")
_DATE_IN_Q = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
_FOLLOW_UP = re.compile(r"^(?:那|那么|那在|再|还有|其中|另外|同期)|呢[？?]?$")


# What a counted thing is counted in, for questions with no measure word ("生产了多少口罩", "口罩累计产量
#是多少", "有多少工人在岗"): a figure in another unit ("3家口罩生产企业") measures something else.
_PEOPLE = frozenset({"人", "名", "人次", "例", "位"})
_NOUN_UNITS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ["工人", "员工", "职工", "人员", "医护", "医生", "护士", "患者", "病例", "病人", "密接", "密切接触者",
         "志愿者", "党员", "干部", "群众", "居民", "学生", "专家", "教师", "农民工", "游客"], _PEOPLE),
    **dict.fromkeys(["口罩", "防护服", "护目镜", "手套"], frozenset({"个", "只", "片", "套", "件", "副"})),
    **dict.fromkeys(["企业", "公司", "商户", "超市", "门店", "药店", "单位", "工厂", "酒店", "饭店", "商场"],
                    frozenset({"家", "户", "个", "所"})),
    "项目": frozenset({"个", "项"}),
    **dict.fromkeys(["酒精", "消毒液", "消毒剂", "蔬菜", "粮食", "肉类", "猪肉", "食用油", "面粉", "大米"],
                    frozenset({"吨", "公斤", "千克", "斤", "克"})),
    "床位": frozenset({"张"}),
    **dict.fromkeys(["车辆", "汽车", "救护车"], frozenset({"辆", "台"})),
}
_NOUN_ALT = "|".join(sorted(_NOUN_UNITS, key=len, reverse=True))
# "多少口罩生产企业": the last counted noun of the phrase right after 多少 is what is counted.
_COUNTED_AFTER_ASK = re.compile(rf"(?:多少|几)(?:万|亿)?((?:{_NOUN_ALT}|生产|防疫|重点|医用|一线)+)")
# "口罩累计产量是多少": the noun before a quantity word.
_COUNTED_BEFORE_METRIC = re.compile(
    rf"({_NOUN_ALT})(?:的)?(?:累计|总|日|每日|每天)?(?:产量|数量|总量|总数|库存|储备量?|产能|供应量)"
)


# "几个集中隔离点": a noun for a place or a group, counted in 个/处/所, never in 人.
_PLACE_LIKE = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:点|区|站|所|室|队|组|处|口|场|馆|院|厂|村|社区|专班|部门|工地)(?:$|[？?，,。])")


def counted_units(question: str) -> frozenset[str]:
    """The units the counted noun of a question is measured in, or an empty set when unknown."""
    m = _COUNTED_AFTER_ASK.search(question)
    nouns = re.findall(_NOUN_ALT, m.group(1)) if m else []
    if not nouns:
        m = _COUNTED_BEFORE_METRIC.search(question)
        nouns = [m.group(1)] if m else []
    return _NOUN_UNITS[nouns[-1]] if nouns else frozenset()


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
    counted: frozenset[str] = frozenset()  # units of the counted noun when no unit is asked ("多少口罩")
    places: list[str] = field(default_factory=list)
    dates: list[tuple[int | None, int, int]] = field(default_factory=list)
    months: list[int] = field(default_factory=list)  # "3月份" names a month without a day
    years: list[int] = field(default_factory=list)  # "2022年3月这轮疫情": years the question names
    figures: list[Figure] = field(default_factory=list)  # figures the question itself states (11个项目)
    person: bool = False  # a name question about a person (谁, 哪位领导), not a company or hospital

    @property
    def wants_number(self) -> bool:
        return self.wants in ("figure", "percent")


def canon_place(place: str) -> str:
    return gz.canon(place)


def places_in(text: str, question: bool = False) -> list[str]:
    """Places a text names (a question may use any form: "靖江", "修武"); "全市" when it names none."""
    found = list(gz.find_places(text, loose=question))
    if "全市" in text and not found:
        found.append("全市")
    return found


@lru_cache(maxsize=4096)
def parse_intent(question: str) -> Intent:
    q = fold_all(question)
    intent = Intent(question=question)
    m = UNIT_AFTER_ASK.search(q)
    if m:
        intent.magnitude = m.group(1) or ""
        intent.unit = {"名": "人", "位": "人", "只": "个"}.get(m.group(2), m.group(2))
        intent.loose_unit = m.group(2) == "个"
    if not intent.unit:
        m2 = _COUNT_NOUN_UNIT.search(q)
        if m2 and re.search(r"多少|几", q):
            intent.unit = {"名": "人"}.get(m2.group(1), m2.group(1))  # "用工人数是多少" asks for 人
    if not intent.unit:
        intent.counted = DURATION_UNITS if _ASKS_DURATION.search(q) else counted_units(q)
    elif intent.loose_unit:
        # "几个集中隔离点" counts places, not the people in them; "几个密接" counts people.
        noun = counted_units(q)
        if noun:
            intent.counted = noun | {"个"}
        elif _PLACE_LIKE.search(q[m.end() :]):
            intent.counted = LOOSE_GE - {"人"}
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
    intent.places = places_in(q, question=True)
    for y, mo, d in _DATE_IN_Q.findall(q):
        intent.dates.append((int(y) if y else None, int(mo), int(d)))
    intent.months = [int(m) for m in re.findall(r"(\d{1,2})月份", q)]
    intent.years = sorted({int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", q)})
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


DURATION_UNITS = frozenset({"天", "小时", "年", "个月", "周", "分钟", "日"})
LOOSE_GE = frozenset({"个", "人", "家", "项", "所", "处", "条", "座", "部"})
_ASKS_RATE = re.compile(r"每|日[均产供]|一天|单日|能力|/")
_ASKS_DURATION = re.compile(r"多长|多久|几天|多少天|几个月|多少小时|时限|几周|几小时")


def asks_rate(question: str) -> bool:
    """"每天能产多少", "日供应能力": the question asks for a quantity per day."""
    return bool(_ASKS_RATE.search(question))


def asks_duration(fig: Figure, question: str) -> bool:
    """"用了几天", "多长时间" asked, and the figure is a duration: the unit alone ties them."""
    return unit_of(fig) in DURATION_UNITS and bool(_ASKS_DURATION.search(question))


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
        if "/" in fig.unit and not asks_rate(intent.question):
            return False  # "360份/日" is a rate: it does not answer "一共做了多少份"
        if not intent.unit and intent.counted:
            return unit_of(fig) in intent.counted or fig.unit in intent.counted
        if not intent.unit:
            # "数量是多少" does not ask for a duration; "两天"/"3天时间" are rarely the answer.
            return unit_of(fig) not in DURATION_UNITS or bool(_ASKS_DURATION.search(intent.question))
        if intent.loose_unit:
            return unit_of(fig) in (intent.counted or LOOSE_GE)  # "几个密接" is answered in 人
        return unit_of(fig) == intent.unit
    return False


def place_score(intent: Intent, text: str, places: list[str]) -> float:
    """+1 when the text names the first asked place or the chunk's article is about it (or within it), -1
    when the question names places and that does not hold; 0 when the question names none. `places[0]` is the
    article's subject."""
    if not intent.places:
        return 0.0
    # An asked place is named by any of its forms ("博爱站房" names 博爱县 for a question about 博爱).
    named = set(places_in(text)) | {p for p in intent.places if any(f in text for f in gz.forms_of(p))}
    if places:
        named.add(places[0])
        if "全市" in intent.places and gz.is_city(places[0]):
            named.add("全市")
        # "全县/我市/该区" is the article's own place of that kind (its places carry it).
        named |= {r for w in gz.references(text) if (r := gz.resolve_reference(w, places))}
        subject = gz.place(places[0])
        named |= set(subject.parents) if subject else set()  # 河北省 holds 定州市's article
    # The first place asked is whose figure it is; later ones are part of what is counted: "辛集市共发现
    # 多少名从武汉等疫区返乡…" is not answered by a 定州 sentence naming 武汉, "示范区…覆盖了焦作市多少
    # 个小区" is by a 示范区 sentence saying 全市.
    return 1.0 if intent.places[0] in named else -1.0
