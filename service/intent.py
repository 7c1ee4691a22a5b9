"""What a staff question asks for: the kind of answer, its unit, the places and dates it names. Pure.

Used twice: to boost retrieval candidates that can answer (right place, a figure with the asked unit),
and by the extractive answerer to pick the clause that states the answer.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from service.figures import Figure, parse_figures
from vectorstore import places as gz
from vectorstore.cleaning import fold_all

# The question-side word lists (units, counted nouns, metric and money words, synonyms) are data.
_VOCAB = tomllib.loads(resources.files("service").joinpath("intent.toml").read_text(encoding="utf-8"))
_WORDS = _VOCAB["words"]


def _alt(words: Iterable[str]) -> str:
    """Regex alternation of words, longest first, so a word is never cut short by its prefix."""
    return "|".join(re.escape(w) for w in sorted(dict.fromkeys(words), key=len, reverse=True))


UNIT_AFTER_ASK = re.compile(r"(?:多少|几)\s*(万|亿)?\s*(" + _alt(_VOCAB["units"]["asked"]) + ")")
_COUNT_NOUN_UNIT = re.compile("(" + _alt(_VOCAB["units"]["before_shu"]) + ")数")
_ASK_UNIT_CANON: dict[str, str] = _VOCAB["units"]["canonical"]
_GROWTH = re.compile(_alt(_WORDS["growth"]))
# "恢复到去年同期的多少", "不能超过核定人数的多少", "占业务总量多少": a share of another quantity.
_SHARE_OF = r"(?:恢复到了?|超过|不超过|高于|低于|不高于|不低于|达到了?|占)[^，,。？?]{0,10}的(?:多少|几)|占(?!地|用)[^，,。？?]{1,10}(?:多少|几)"
_WANTS = [
    # "哪天接到求助电话" asks for a date: the date words win over 电话.
    ("date", re.compile(r"哪天|哪一天|何时|什么时候|几月几[日号]|哪个月|日期|哪日|什么时间|几号")),
    ("phone", re.compile(r"电话|热线|号码|联系方式|专线(?:号|是多少|是什么|多少)")),
    ("name", re.compile(r"谁|哪位|叫什么|哪家|哪个(?:医院|公司|企业|单位|部门)|什么(?:医院|公司|企业|单位|部门)|是哪")),
    # 几成: 九成 is 90%; "恢复到去年同期的多少": a share of the other period's (_SHARE_OF)
    ("percent", re.compile(rf"百分之|比例|比率|占比|比重|百分比|几成|[率%]|进度(?:是|为|达到?|到了?|有)?(?:多少|几)|{_SHARE_OF}")),
    ("figure", re.compile(r"多少|几|数量|总数|规模|总额|金额|产能|产量|多大|多长|多久|多高|多远|多重")),
    # "哪个售楼部", "什么指挥部": a place or an organisation, asked by its kind.
    ("name", re.compile(r"哪个|哪家|哪所|哪座|哪一个|哪一家|什么[\u4e00-\u9fff]")),
]
_PERSON = re.compile(r"谁|哪位|哪一位|(?:领导|书记|主任|[县市区省局]长|主席|指挥长|记者)(?:是|叫)")
_ORG = re.compile(r"哪家|哪个(?:医院|公司|企业|单位|部门)|什么(?:医院|公司|企业|单位|部门)|谁家")
_MONEY = re.compile(_alt(_WORDS["money"]))
_DATE_IN_Q = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")
# the as-of ("截至2月底", "2月末…余额", "2月底…复工率"), not "3月底前复工的"
_MONTH_END_IN_Q = re.compile(r"(?:截至|截止|到)(?:(\d{4})年)?(\d{1,2})月(?:底|末)|(?<![\d—－至到-])(?:(\d{4})年)?(\d{1,2})月(?:末|底)(?![前以之后起])"
                             r"(?![^，,。？?]{0,12}?(?:后|以来)[，,])")  # "1月底恢复生产后，": when it happened
_FOLLOW_UP = re.compile(r"^(?:那|那么|那在|再|还有|其中|另外|同期)|呢[？?]?$")


# What a counted thing is counted in, for questions with no measure word ("生产了多少口罩"): a figure in
# another unit ("3家口罩生产企业") measures something else.
_NOUN_UNITS: dict[str, frozenset[str]] = {
    noun: frozenset(group["units"]) for group in _VOCAB["counted"] for noun in group["nouns"]
}
_NOUN_ALT = _alt(_NOUN_UNITS)
# "多少口罩生产企业": the last counted noun of the phrase right after 多少 is what is counted.
_COUNTED_AFTER_ASK = re.compile(rf"(?:多少|几)(?:万|亿)?((?:{_NOUN_ALT}|{_alt(_WORDS['counted_modifiers'])})+)")
_MONEY_BEFORE_ASK = re.compile(rf"(?:{_MONEY.pattern})(?:是|有|为|共|一共|总共|累计|总计)?(?:多少|几)")
_MONEY_AFTER_ASK = re.compile(rf"(?:多少|几)[^，,。？?]{{0,6}}?(?:{_MONEY.pattern})[？?]?$")
# "口罩累计产量是多少": the noun before a quantity word.
_COUNTED_BEFORE_METRIC = re.compile(
    rf"({_NOUN_ALT})(?:的)?(?:{_alt(_WORDS['metric_prefixes'])})?(?:{_alt(_WORDS['metrics'])})"
)


# "几个集中隔离点": a noun for a place or a group, counted in 个/处/所, never in 人.
_PLACE_LIKE = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:" + _alt(_WORDS["place_like_endings"]) + r")(?:$|[？?，,。])")


# "日产口罩多少个？", "客运量是多少？": the noun right before an ask that ends the question ("…企业是多少"
# asks for something of them; "企业多少个紧急运输问题" counts 问题; "…医护人员的有多少个" a part of the 口罩).
_COUNTED_BEFORE_ASK = re.compile(
    rf"({_NOUN_ALT})(?:一共|总共|共|累计)?(?:有|(?<=量)(?:是|为|达))?(?:多少|几)[个名家位项只件台辆张所户]?[？?]?$")
_COUNTED_PHRASE = re.compile(rf"的?((?:{_NOUN_ALT}|{_alt(_WORDS['counted_modifiers'])})+)")


# "输送了多少务工人员？": a counted noun ending the ask's phrase, after a few other words ("多少施工人员在岗？").
_COUNTED_ENDS_ASK = re.compile(rf"(?:多少|几)(?:万|亿)?[\u4e00-\u9fff]{{1,4}}?({_NOUN_ALT})(?=(?:在岗|到岗|返岗)?(?:$|[？?，,。]))")


@lru_cache(maxsize=4096)
def counted_noun(question: str) -> str | None:
    """The noun a question counts ("口罩" in 生产了多少口罩, 口罩累计产量是多少, 日产口罩多少个, 多少务工人员), or None."""
    m = _COUNTED_AFTER_ASK.search(question)
    nouns = re.findall(_NOUN_ALT, m.group(1)) if m else []
    if not nouns:
        m = _COUNTED_ENDS_ASK.search(question.strip())
        nouns = [m.group(1)] if m else []
    if not nouns:
        m = _COUNTED_BEFORE_METRIC.search(question) or _COUNTED_BEFORE_ASK.search(question.strip())
        nouns = [m.group(1)] if m else []
    return nouns[-1] if nouns else None


# "有几名护士？", "调运了多少吨种子？": the noun the ask ends on (2-4 characters after its measure word).
_ASKED_NOUN = re.compile(r"(?:多少|几)(?:万|亿)?(?:" + _alt(_VOCAB["units"]["asked"]) + r")([\u4e00-\u9fff]{2,4})[？?]?$")


def asked_noun(question: str) -> str | None:
    """The noun a question ending "几名护士？" or "多少吨种子？" counts, whatever it is; None otherwise."""
    m = _ASKED_NOUN.search(question.strip())
    return m.group(1) if m else None


def counted_units(question: str) -> frozenset[str]:
    """The units the counted noun of a question is measured in, or an empty set when unknown."""
    noun = counted_noun(question)
    return _NOUN_UNITS[noun] if noun else frozenset()


def counts_other(question: str, after: str) -> bool:
    """Whether a figure followed by `after` counts another kind of thing than the question: "4个项目" or
    "3家口罩生产企业" for a question about 口罩 (the phrase's last counted noun is what it counts)."""
    asked = counted_noun(question)
    m = _COUNTED_PHRASE.match(after) if asked else None
    nouns = re.findall(_NOUN_ALT, m.group(1)) if m else []
    return bool(nouns) and _NOUN_UNITS[nouns[-1]] != _NOUN_UNITS[asked]


# Staff shorthand -> the bulletins' wording. Added to a question, never replacing it.
# A word may have several wordings (用掉: 使用 or, of vouchers, 核销): each is tried on its own.
SYNONYMS: tuple[tuple[str, str], ...] = tuple(
    (k, w) for k, v in _VOCAB["synonyms"].items() for w in ([v] if isinstance(v, str) else v))
CONTRASTS: tuple[tuple[str, ...], ...] = tuple(tuple(group) for group in _WORDS["contrasts"])
# ... those whose words are kinds of one whole (小麦, 玉米 of 大田; 出口 of 进出口)
KINDS: tuple[tuple[str, ...], ...] = tuple(g for g in CONTRASTS if not set(g) & set(_WORDS["not_kinds"]))


_KIND_FORMS = {"瘦肉": "猪肉", "出租汽车": "出租车"}  # "精瘦肉均价每500克29.60元" is pork's price: not what "牛肉价格" asks


def _kind_words(text: str) -> str:
    """`text` with each kind under one name: 精瘦肉 is 猪肉, and 进出口 its own kind (〇), whose "出口" names
    neither 出口 nor 进口."""
    for other, kind in _KIND_FORMS.items():
        text = text.replace(other, kind)
    return text.replace("进出口", "〇")


@lru_cache(maxsize=4096)
def misses_kind(question: str, text: str) -> bool:
    """The question asks for one kind of a whole ("牛肉价格", "对美国出口") and the text never names it: whatever
    its figures measure ("粳米均价…同比上涨1.8%"), they are not that kind's."""
    question, text = _kind_words(question), _kind_words(text)
    return any((asked := [w for w in group if w in question and w != "〇"]) and not any(w in text for w in asked)
               for group in KINDS)  # 进出口 (〇) is the whole, written 外贸总值 at times


@lru_cache(maxsize=4096)  # asked for every candidate figure of a sentence
def names_other_kind(question: str, text: str) -> bool:
    """The text names another kind of what the question asks and not the asked one ("早稻…" for 中稻)."""
    question, text = _kind_words(question), _kind_words(text)
    for group in CONTRASTS:
        asked = [w for w in group if w in question]
        if asked and not any(w in text for w in asked) and any(w in text for w in group if w not in asked):
            return True
    return False


@lru_cache(maxsize=4096)  # asked again for every candidate clause of a question (named_part, fact_asked)
def expand_question(question: str) -> str:
    extra = list(dict.fromkeys(v for k, v in SYNONYMS if k in question and v not in question))
    return question + (" " + " ".join(extra) if extra else "")


# What a staff question says that is not its topic. The bulletin named as the source ("这期通报里",
# "这篇要闻中": the place inside, "这期示范区报道里", stays unless the question names a place or 全市 of its own) and
# the asker's guess before the ask
# ("是不是已经到百分之百了？具体是多少": the bulletin need not state 百分之百; it states the figure asked).
_SOURCE_REF = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{0,8}?)(?:这|本|该|那)一?(?:期|篇|份|条|次|则|版)?(?P<keep>[^，,。？?\s]{0,12}?)"
    r"(?:通报|报道|简报|要闻|新闻|文章|公报|稿子|材料|快报|工作动态|动态|推文|版面|版|汇报|报告|日报|战报)"
    r"(?:里面|里|中|上|内)?"
)
_GUESS = re.compile(
    r"(?:是不是|是否|有没有|会不会)(?:已经|都|还|就|也)?"
    r"(?:超过|超出|达到|达|到了|到|不到|不足|低于|高于|少于|多于|过|突破|满)?了?"
    r"(?:百分之)?[\d.零〇一二两三四五六七八九十百千万亿]+(?:成|%|个百分点|[^\s，,。？?了吗呢]{0,2})?了?[吗呢]?"
)
_ASKS = re.compile(r"多少|几|哪|何|谁|啥")


# The source named by its date or issue: "邯郸日报3月5日的报道里", "西宁发布3月9日推文里说", "简报第16期里".
# The date is the bulletin's, not the figure's: "截至3月3日…高于全省94.3%" answers "3月5日的报道里…".
_DATED_SOURCE = re.compile(
    r"(?P<name>[^，,。？?\s\d]{0,10}?)(?:\d{4}年)?(?:\d{1,2}月\d{1,2}日(?:的|发布的|刊发的|发的|这|这一)?"
    r"(?:通报|报道|简报|要闻|新闻|文章|公报|快报|推文|发布会|实录|版面|版|期)|第\d+期)(?:里面|里|中|上|内)?(?:说|提到|讲)?的?"
)


# A source named by its title as a lead-in: "昌图战疫日报里，辽宁全省累计确诊了多少例".
_NAMED_SOURCE = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,10}?)(?:日报|晚报|战报|快报|简报|通报|周报)(?:里面|里|中|上)(?=[，,])")


_SPOKEN_DAY = re.compile(r"(\d{1,2}月\d{1,2})号")


def ask_form(question: str) -> str:
    """The question without what is not its topic (see _SOURCE_REF, _DATED_SOURCE, _GUESS); unchanged
    when nothing would be left to ask."""
    q = _SPOKEN_DAY.sub(r"\1日", question)  # "3月25号" is said for 3月25日
    for pattern in (_DATED_SOURCE, _SOURCE_REF, _NAMED_SOURCE):
        source = pattern.search(q)
        if source:
            keep = source.groupdict().get("keep") or ""
            outside = q[: source.start()] + q[source.end() :]
            named = [x for x in places_in(outside, question=True) if not re.match(r"[全我本该]", x)]
            # "这份海口一季度经济运行材料里，海南全省GDP降幅": 海南's; "这期示范区报道里，全市…": the whole city's. The
            # source's 海口/示范区 is not asked.
            if named or re.search(r"全(?:市|省|县|区)", outside):
                for m in reversed(gz.gazetteer().mentions(keep, loose=True)):
                    keep = keep[: m.start] + keep[m.end :]
            rest = q[: source.start()] + keep + q[source.end() :]
            # The source's name ("襄垣这期工作动态里", "邯郸日报3月5日的报道里") is the question's place only when the
            # question names none of its own.
            named = [x for x in places_in(rest, question=True) if not re.match(r"[全我本该]", x)]
            q = rest if named else rest[: source.start()] + source["name"] + rest[source.start() :]
    guessless = _GUESS.sub("", q)
    return guessless if _ASKS.search(guessless) else q


# A day said without its month ("到18号", "27号当天"); not an ordinal, a document number or a line ("第18号",
# "18号文件", "3号线"), a date's own day, the end of a span ("3月1日到3日"), or a number of days ("5日内",
# "连续10日无新增").
_BARE_DAY = re.compile(r"(?<![月\d第.续近前后满每共])(?<![日号][至到—－~-])([1-9]|[12]\d|3[01])[号日](?![\d文令楼线院公内以无来左])")
# "满100块能减多少": 块 and 块钱 are said for 元 after an amount of money
_SPOKEN_YUAN = re.compile(r"(\d+(?:\.\d+)?)块(?:钱)?(?=钱|[能可就减送返的是，,？?]|$)")


def written_form(question: str, published: str | None) -> str:
    """The question as a bulletin would write it: a bare day gets its month from the bulletin it is asked of
    (published on that day or after it: "27号" of a 2月28日 report is 2月27日, of a 3月5日 paper 2月27日),
    "100块" is 100元. Unchanged when the bulletin has no date."""
    q = _SPOKEN_YUAN.sub(r"\1元", question)
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published or "")
    if m is None:
        return q
    month, day = int(m.group(2)), int(m.group(3))

    def dated(b: re.Match[str]) -> str:
        d = int(b.group(1))
        mo = month if d <= day else (month - 2) % 12 + 1
        return f"{mo}月{d}日"

    return _BARE_DAY.sub(dated, q)


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
    towns: list[str] = field(default_factory=list)  # towns/streets it names that no gazetteer holds (佛堂镇)
    in_names: list[str] = field(default_factory=list)  # places named only inside an organisation's name (河北宝塔公司)

    @property
    def wants_number(self) -> bool:
        return self.wants in ("figure", "percent")


def canon_place(place: str) -> str:
    return gz.canon(place)


def places_in(text: str, question: bool = False) -> list[str]:
    """Places a text names (a question may use any form: "靖江", "修武"); "全市" when it names none."""
    if question:
        found = []
        for m in _question_places(text):
            if m.place.name not in found:
                found.append(m.place.name)
    else:
        found = list(gz.find_places(text))
    if "全市" in text and not found:
        found.append("全市")
    return found


@lru_cache(maxsize=4096)
def _question_places(question: str) -> tuple[gz.Mention, ...]:
    """The gazetteer's places in a question, any form (its mentions already skip a short name opening a
    town's name: "大安镇" is not 大安市), less what only looks like one: "收治多少人" names no 治多县. Cached: a
    question's places, towns and places inside names all start from them."""
    found = [m for m in gz.gazetteer().mentions(question, loose=True) if question[m.end - 1 : m.end + 1] != "多少"]
    # "双鸭山大田一共播了多少": a short name right after a place it is not part of is a word (大田, field crops),
    # not 福建's 大田县
    return tuple(m for i, m in enumerate(found) if not (
        i > 0 and found[i - 1].end == m.start and m.surface != m.place.name
        and found[i - 1].place.name not in m.place.parents and m.place.name not in found[i - 1].place.parents))


_ORG_AFTER = re.compile(r"([\u4e00-\u9fff]{0,10}?)(?:" + _alt(_WORDS["organisation_endings"]) + r"|(?<![市县区省])局)")
_NOT_IN_NAME = re.compile(_alt(_WORDS["not_in_names"]) + r"|有(?!限)")


def places_in_names(question: str) -> list[str]:
    """Places a question names only as the start of an organisation's name ("河北宝塔公司…") or of a route's
    section ("遂潼快速通道遂宁段")."""
    inside, outside = [], set()
    for m in _question_places(question):
        org = _ORG_AFTER.match(question, m.end)
        if (org and not _NOT_IN_NAME.search(org.group(1))) or question.startswith("段", m.end):
            # (and a route's section by its place: "遂潼快速通道遂宁段")
            inside.append(m.place.name)
        else:
            outside.add(m.place.name)
    return [p for p in inside if p not in outside]


# "佛堂镇", "稠城街道": a town or street, below any county, that the gazetteer does not hold: the two
# characters before 镇/街道, not a common word nor a reference (各镇, 全镇, 乡镇).
# 落别乡 is a town too; 返乡, 城乡, 乡村, 乡亲 are words
# "徐圩新区", "百里杜鹃管理区": a zone below a city that the gazetteer does not hold is asked like a town.
_TOWN = re.compile(r"([\u4e00-\u9fff]{2})(镇|(?<![返回城家下老故同异还本全各该我])乡(?![村亲镇下土里人民])|街道|新区|管理区)")
_NOT_TOWN = re.compile(r"^[各全本该我每多有个]|^.?[乡镇村城市区县]镇$|" + _alt(_WORDS["not_towns"]))


TOWN_SUFFIXES = ("镇", "乡", "街道", "新区", "管理区")


def towns_in(question: str) -> list[str]:
    """The towns and streets a question names outside the gazetteer ("义乌佛堂镇…" -> ["佛堂镇"])."""
    q = question
    for m in reversed(_question_places(q)):
        q = q[: m.start] + "，" + q[m.end :]  # a known place is not part of a town's name
    out = []
    for m in _TOWN.finditer(q):
        name = m.group(0)
        if m.start() == 1 or (m.start() > 1 and q[m.start() - 2] == "，"):
            # right after a known place the whole run is the name: "武清区崔黄口镇" -> 崔黄口镇
            if re.match(r"[\u4e00-\u9fff]", q[m.start() - 1]):
                name = q[m.start() - 1] + name
        if not _NOT_TOWN.search(name) and name not in out:
            out.append(name)
    return out


# Months compared with, not asked: "降幅比1—2月收窄了几个百分点", "跟1到4月比快了几个百分点".
COMPARED_MONTHS = re.compile(r"(?:比|较|与|同)\s*(?:\d{1,2}(?:—|－|-|至|到))?\d{1,2}月份?|(?:比|较|与|同)\s*第?[一二三四1-4]季度"
                             r"|(?:跟|和)\s*(?:\d{1,2}(?:—|－|-|至|到))?\d{1,2}月份?(?:相?比)"  # "跟1到4月比快了几个百分点"
                             r"|(?:比|较)\s*[前头](?:[两三四五六七八九十]|\d{1,2})个?月")  # "比前4个月缩小了几个百分点"


# A rate compared with another ("复工率比全市平均高多少", "进度比全省快了多少", "降幅比1—2月收窄了多少", "增速高出全省
# 多少"): the gap is in 个百分点.
_RATE_GAP_ASKED = re.compile(r"(?:率|进度|比重|比例|占比|[降增涨跌]幅|增速)[^，,。？?]{0,4}比[^，,。？?]{1,12}?"
                             r"(?:快|慢|高|低|小|大|降|升|下降|上升|提高|降低|回落|收窄|扩大|加快|放缓)[了出]?(?:多少|几)"
                             # "增速高出全省多少", "返岗率低于全省平均几个点"
                             r"|(?:率|进度|比重|比例|占比|[降增涨跌]幅|增速)[^，,。？?]{0,4}?(?:高出|高于|低于|超出|快于|慢于)"
                             r"[^，,。？?\d%]{1,12}?(?:多少|几)"
                             # "播种进度跟去年同期比快了多少"
                             r"|(?:率|进度|比重|比例|占比|[降增涨跌]幅|增速)[^，,。？?]{0,4}?(?:跟|和|与|同)[^，,。？?]{1,10}?相?比"
                             r"(?:快|慢|高|低|提高|降低|加快|放缓)[了出]?(?:多少|几)")


_MEDIA = r"(?:省|市)?(?:日报|晚报|都市报|电视台|广播电视台|报社|新闻网)(?:社)?记者"  # the reporter's outlet, not the source


# Words after 多少 that open with a measure word's character: "多少支农支小再贷款" asks no unit 支.
_NOT_UNITS = tuple(_WORDS["not_units_after_ask"])


@lru_cache(maxsize=4096)
def parse_intent(question: str) -> Intent:
    q = fold_all(ask_form(question))
    intent = Intent(question=question)
    m = UNIT_AFTER_ASK.search(q)
    if m and q.startswith(_NOT_UNITS, m.start(2)):
        m = None
    if m:
        intent.magnitude = m.group(1) or ""
        intent.unit = _ASK_UNIT_CANON.get(m.group(2), m.group(2))
        intent.loose_unit = m.group(2) == "个"
        if m.group(2) == "个" and re.match(r"点(?![\u4e00-\u9fff])|点[吗呢啊了]", q[m.end() :]) \
                and re.search(r"比|[高低快慢增降涨跌率幅]", q[: m.start()]):
            intent.unit, intent.loose_unit = "个百分点", False  # "比全省平均高几个点": percentage points
        if intent.unit == "人" and q.startswith("员", m.end()):
            intent.unit, intent.counted = "", frozenset({"人", "人次"})  # "检测了多少人员": 4.87万人次
    if not intent.unit and re.search(r"(?:按|以|用)美元", q):
        intent.unit = "美元"  # "按美元算，…进出口多少": 118.1亿美元, not the 亿元 figure
    if not intent.unit and _RATE_GAP_ASKED.search(q):
        intent.unit = "个百分点"  # "进度比全省平均快了多少": a gap between two rates
    if not intent.unit and not intent.counted:
        m2 = _COUNT_NOUN_UNIT.search(q)
        if m2 and re.search(r"多少|几", q):
            intent.unit = _ASK_UNIT_CANON.get(m2.group(1), m2.group(1))  # "用工人数是多少" asks for 人
    if not intent.unit and not intent.counted:
        intent.counted = DURATION_UNITS if _ASKS_DURATION.search(q) else counted_units(q)
    elif intent.loose_unit:
        # "几个集中隔离点" counts places, not the people in them; "几个密接" counts people.
        noun = counted_units(q)
        if noun:
            intent.counted = noun | {"个"}
        elif _PLACE_LIKE.search(q[m.end() :]):
            intent.counted = LOOSE_GE - {"人", "例"}
    growth = bool(_GROWTH.search(q)) and not intent.unit
    if not intent.unit and not growth and _MONEY.search(q) and re.search(r"多少|几", q) \
            and (not _COUNTED_AFTER_ASK.search(q) or _MONEY_AFTER_ASK.search(q)):
        # not "创业担保贷款扶持了多少创业者": what follows 多少 is what is counted ("多少职工医保费" is money)
        if _COUNTED_AFTER_ASK.search(q):
            intent.counted = frozenset()  # 职工 of 职工医保费 is no count asked
        intent.unit = "元"
    for wants, pattern in _WANTS:
        if pattern.search(q):
            intent.wants = wants
            break
    else:
        intent.wants = "text"
    if intent.wants in ("percent", "phone") and m:
        intent.wants = "figure"  # "复工率...多少家", "多少部应急电话" ask for a count
    if intent.wants == "percent" and intent.unit == "元" and not growth \
            and (_MONEY_BEFORE_ASK.search(q) or _MONEY_AFTER_ASK.search(q)) \
            and not re.search(r"(?:多少|几)的?(?:比例|比重|百分比|成)|百分之(?:多少|几)", q):
        # "获得优惠利率贷款多少", "放了多少优惠利率贷款": the loans' amount (利率 only names which loans)
        intent.wants = "figure"
    if intent.wants == "percent" and not m and (intent.unit == "元" or re.search(_SHARE_OF, q)):
        intent.unit = ""  # "旅游收入恢复到去年同期的多少", "不超过核定人数的多少": a share, not an amount or count
    if intent.unit == "个百分点":
        intent.wants = "figure"  # "利率比年初降了多少": the gap, not a rate
    if growth and intent.wants == "figure":
        intent.wants = "percent"  # "营业额同比增长了多少" asks for a rate
    intent.person = intent.wants == "name" and bool(_PERSON.search(q)) and not _ORG.search(q)
    # "答河南日报记者问时": a reporter's newspaper's place is no place asked ("邯郸日报…的报道里" is the source's)
    intent.places = [p for p in places_in(q, question=True)
                     if not any(re.search(re.escape(f) + _MEDIA, q) for f in gz.forms_of(p))]
    intent.towns = towns_in(q)
    intent.in_names = places_in_names(q)
    intent.years = sorted({int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", q)})
    for y, mo, d in _DATE_IN_Q.findall(q):
        intent.dates.append((int(y) if y else None, int(mo), int(d)))
    for m in _MONTH_END_IN_Q.finditer(q):
        y, mo = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
        # "截至2月底": the month's last day (of the year asked, else 2020, the bulletins' year)
        year = int(y) if y else (intent.years[0] if intent.years else 2020)
        if 1 <= int(mo) <= 12:
            intent.dates.append((int(y) if y else None, int(mo), calendar.monthrange(year, int(mo))[1]))
    intent.months = [int(m) for m in re.findall(r"(\d{1,2})月份", COMPARED_MONTHS.sub("", q))]
    # "前两个月/头两个月…" names a period, not a figure the answer must state
    intent.figures = [f for f in parse_figures(q) if f.kind in ("number", "percent", "ordinal")
                      and not (f.unit in ("个月", "天", "周") and q[: f.start].endswith(("前", "头")))]
    return intent


def is_follow_up(question: str) -> bool:
    return bool(_FOLLOW_UP.search(question.strip()))


@lru_cache(maxsize=8192)
def figures_of(text: str) -> tuple[Figure, ...]:
    return tuple(parse_figures(text))


def unit_of(fig: Figure) -> str:
    """The counted unit: 名/位 are 人, 只 is 个, and a rate "360份/日" counts 份."""
    unit = fig.unit.split("/")[0]
    return _ASK_UNIT_CANON.get(unit, unit)


DURATION_UNITS = frozenset(_VOCAB["units"]["duration"])
LOOSE_GE = frozenset(_VOCAB["units"]["loose_count"])
_ASKS_RATE = re.compile(_alt(_WORDS["rate"]))
_ASKS_DURATION = re.compile(_alt(_WORDS["duration"]))


def asks_rate(question: str) -> bool:
    """"每天能产多少", "日供应能力": the question asks for a quantity per day."""
    return bool(_ASKS_RATE.search(question))


def asks_duration(fig: Figure, question: str) -> bool:
    """"用了几天", "多长时间" asked, and the figure is a duration: the unit alone ties them."""
    return unit_of(fig) in DURATION_UNITS and bool(_ASKS_DURATION.search(question))


_ASKS_DAY = re.compile(r"哪天|哪一天|几月几[日号]|哪日|几号")


# An output is asked ("日产多少", "产量是多少", "产能多少"): a count of producers (家, 个) does not answer it.
_ASKS_OUTPUT = re.compile(r"(?:日产|产量|产能|生产能力)(?:是|有|为|达到?)?(?:多少|几)")
ENTITY_UNITS = frozenset({"家", "所", "户"})
# Units that answer a count asked in another: 人次 and 例 (cases) for 人, 户次 for 户, 辆次 for 辆
_ALSO_COUNTS = {"人": ("人次", "例"), "户": ("户次",), "辆": ("辆次",)}
# A volume is asked ("上市量是多少", "销量有多少"), not a count (数量 may be one)
_ASKS_VOLUME = re.compile(r"(?<!数)(?<!个)量(?:是|有|为|达到?|大概)?(?:多少|几)")


def fits(intent: Intent, fig: Figure) -> bool:
    """Could this figure answer the question's shape?"""
    if intent.wants == "phone":
        return fig.kind == "phone"
    if intent.wants == "date":
        # "哪天复工的" is not answered by "3月份的订单": a day question takes a day.
        return fig.kind == "date" and (not _ASKS_DAY.search(intent.question) or bool(re.search(r"[日号]", fig.text)))
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
            if unit_of(fig) in ENTITY_UNITS and _ASKS_OUTPUT.search(intent.question):
                return False  # "口罩日产多少" asks for an output, not "8家口罩生产企业"
            if unit_of(fig) in (*ENTITY_UNITS, "个") and _ASKS_VOLUME.search(intent.question):
                return False  # "蔬菜日均上市量是多少" asks a volume, not "12个农贸市场"
            # "数量是多少" does not ask for a duration; "两天"/"3天时间" are rarely the answer.
            return unit_of(fig) not in DURATION_UNITS or bool(_ASKS_DURATION.search(intent.question))
        if intent.loose_unit:
            return unit_of(fig) in (intent.counted or LOOSE_GE)  # "几个密接" is answered in 人
        # "每天限流多少人": 1.2万人次 answers it (a count of visits is a count of people asked loosely; 户次 of 户);
        # "治愈出院了多少人": 22例 (cases are people)
        return unit_of(fig) == intent.unit or unit_of(fig) in _ALSO_COUNTS.get(intent.unit, ())
    return False


def asked_place(intent: Intent) -> str | None:
    """The place whose figure is asked: the first named, or a place inside it named after it ("绵阳市游仙区
    有多少家…" asks for 游仙区's figure, "山东临沂市…" for 临沂's)."""
    if not intent.places or intent.places[0] in intent.in_names:
        return None  # "定州宝塔医疗器械公司…支援沧州市…": the organisation's figure, not a place's
    scopes = [p for p in intent.places if p not in _related_places(intent.question)]
    if not scopes:
        return None  # "卓立膜…跟武汉有密切接触的员工": 武汉 is who they met, not whose figure
    asked = scopes[0]
    for name in scopes[1:]:
        if gz.within(name, asked) or _zone_of(intent.question, asked, name):
            asked = name
    return asked


def _zone_of(question: str, city: str, zone: str) -> bool:
    mentions = _question_places(question)
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.place.name == city and b.place.name == zone and b.place.level == "zone" \
                and gz.ZONE_GAP.fullmatch(question[a.end : b.start]):
            return True
    return False


# A place right after one of these is a contact, origin or destination, not the scope of the figure.
_RELATION_BEFORE = re.compile(r"(?:跟|与|同|从|来自|赴|前往|支援)$")


@lru_cache(maxsize=1024)
def _related_places(question: str) -> frozenset[str]:
    """Places a question names only as a contact, origin or destination ("跟武汉有密切接触", "从湖北回来")."""
    related, scope = set(), set()
    for m in _question_places(question):
        (related if _RELATION_BEFORE.search(question[: m.start]) else scope).add(m.place.name)
    return frozenset(related - scope)


def fact_place_agreement(asked: str | None, fact_place: str) -> float:
    """+1 the figure's own place (as its fact reads it: the actor of its clause, 全市/我县 resolved) is the
    asked place, -1 it is another known place (a province's total for a city, a district's for its city,
    a neighbour's), 0 either is unknown ("区内", no place asked)."""
    if not asked or not fact_place:
        return 0.0
    a, f = gz.place(asked), gz.place(fact_place)
    if f is None and a is not None and fact_place.endswith(TOWN_SUFFIXES):
        return -1.0  # "全镇…到岗职工1120人" said by 喇嘛甸镇's head is not 让胡路区's (the gazetteer has no towns)
    if a is None or f is None:
        return 0.0
    return 1.0 if a.name == f.name else -1.0


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
        # ... unless the text names one itself: "答（西固区副区长…）：…全区…" is 西固区, not the article's 城关区.
        own = [*places_in(text), *places]
        named |= {r for w in gz.references(text) if (r := gz.resolve_reference(w, own))}
        subject = gz.place(places[0])
        named |= set(subject.parents) if subject else set()  # 河北省 holds 定州市's article
    # The first place asked is whose figure it is; later ones are part of what is counted: "辛集市共发现
    # 多少名从武汉等疫区返乡…" is not answered by a 定州 sentence naming 武汉, "示范区…覆盖了焦作市多少
    # 个小区" is by a 示范区 sentence saying 全市. A place inside it named right after is narrower still
    # ("吴忠市利通区累计确诊" is not answered by 吴忠市's row).
    return 1.0 if (asked_place(intent) or intent.places[0]) in named else -1.0
