"""The figure-fact builder: every figure of a bulletin read once, at ingest, into FigureFacts (metric,
subject, place, as-of/period, quote). Pure functions over cleaned text and parsed figures; rules, no
model. Answers take their figures from these facts; key-figure tables are a selection of them.

Per sentence (cleaned text, split per article): every figure service.figures parses gets a fact with
its place and time. A key candidate (a number with a unit, or a percentage) in a sentence that states
something (not a headline) also gets a metric when one can be read; precision over recall: a figure
whose metric cannot be read from its clause keeps metric "". Its quote is the figure's clause (the
comma/semicolon-delimited part of its sentence), mapped back to the original file text. Its metric is
the noun phrase around the figure in that clause, trimmed of places, times, adverbs and verbs like
累计/共/达/已/全部; its time is the nearest preceding 截至…/目前/date in the sentence (or the leading 截至… of
a previous sentence chained by ；), else the article's publication date ("3月1日至4日" is a period, not
a day); its place is the place the clause or sentence names as its actor (the gazetteer's mentions:
not 大沙河, not a place after 向/从/与… nor the rest of that list), a list item's own ("其中青岛市1例、
济宁市2例"), the i-th of a 分别 list's places, "全区/我县/该区" meaning the article's subject place and
"全市/我市" the bulletin's city (or the city the sentence named before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from service.facts.model import FigureFact
from service.figures import Figure, parse_figures, with_offset
from vectorstore import places as gz
from vectorstore.chunking import clause_spans as answer_clauses
from vectorstore.cleaning import LABEL_VALUE, TABLE_ROW, CleanText, split_sentences, squash
from vectorstore.models import Article

# --------------------------------------------------------------------------- vocabulary

# Places as the gazetteer finds them in bulletin text (vectorstore.places), and the words that refer to
# the article's own place (全区/我县/该市). One alternation of ~3,700 names: sre matches it in 10 ms per
# 22,000 characters, measured on seed 001.
PLACE_WORDS = sorted(set(gz.gazetteer().text_forms()) | set(gz.REFERENCE_WORDS), key=len, reverse=True)
PLACE_RE = re.compile("|".join(map(re.escape, PLACE_WORDS)))
# A place after one of these is an object or a comparison (占全市的44.6%), not the actor.
OBJECT_MARKS = ("占", "了", "到", "向", "给", "于", "比", "与", "从", "对", "覆盖", "往", "自")
OBJECT_LIST_GAP = re.compile(r"[、和及与\s]*")  # between two places of one list
PLACES_LISTED = ("等地", "等省", "等市", "等县", "等国")
# After a place, what makes it where people came from or went: "有湖北旅居史或接触史的输入病例61例", "湖北籍".
PLACES_VISITED = ("旅居史", "旅行史", "居住史", "接触史", "籍", "输入")
# Before a place compared with, the figure right after it: "高于全市94.8%的平均水平".
_COMPARATOR = re.compile(r"(?:高于|低于|大于|小于|快于|慢于|超过|超出|不及|比|较)$")

# Durations, ages and categories are not key figures of a bulletin.
SKIP_UNITS = {"天", "小时", "分钟", "周", "个月", "年", "岁", "周岁", "工作日", "个工作日", "季度", "类", "级", "届", "期"}
COUNT_UNITS = {"家", "个", "名", "人", "位", "例", "所", "座", "处", "户", "支", "条", "项", "批", "台", "辆", "张", "套"}
GENERIC = re.compile(
    r"(?:行动|环节|措施|保障|机制|作风|方面|字|标准|规范|原则|要求|制度|之前|以前)$|^(?:市级|县级|省级|区级)$|^是"
)
RELATIONAL = re.compile(r"^(?:同比|环比|比|增长|下降|提升|增加|减少)|占|率$")

ENTITY_HEADS = (
    "企业|公司|项目|单位|医院|机构|商超|超市|药店|门店|市场|专班|人员|干部|党员|骨干|专家|员工|职工|劳动力|教师|"
    "学生|用户|书记|负责人|村|小区|社区|乡镇|小分队|先锋队|梯队|督导组|督查组|工作组|救治组|队|组|检查站|站|卡点|监测点|场所|病例|患者|"
    "感染者|密接者|生产线|实验室|文件|基地|工地|线路|隔离点"
)
ENTITY = re.compile(r"(?=[\u4e00-\u9fff])[^，,；;。：:]{0,18}?(?:" + ENTITY_HEADS + r")+(?!成(?!立)|[建织(（])(?:之一)?")
ENDS_WITH_ENTITY = re.compile(r"(?:" + ENTITY_HEADS + r")$")
HEAD_IN = re.compile(ENTITY_HEADS)
NOT_ENTITY = re.compile(r"可以|能够|实时|查看|进行|开展|负责|实现|正在|实行|要求")
ORG = re.compile(
    r"(?!公司|帮助|协调|组织|推动|督促|支持|指导|推荐)[\u4e00-\u9fff]{2,14}"
    r"(?:有限公司|公司|集团|医院|批发市场|市场|超市|店|局|委|中心|学院|学校|基地|支行|银行)(?![、和及等])"
)
ORG_STOP = re.compile(r"[在对为是和的了将把被向从于]")

LEAD_WORDS = (
    "其中", "另外", "此外", "同时", "目前", "当前", "截至目前", "共计", "累计", "共有", "共", "总计", "合计", "已经", "已",
    "全部", "均", "都", "还", "又", "再", "仅", "就", "正在", "立即", "迅速", "及时", "积极", "先后", "陆续", "分别",
    "第一时间", "特别是", "针对", "进行", "从而", "并", "全力", "紧急", "主动", "多方", "一共", "由", "对", "向", "为", "给", "在", "的", "和", "及",
    "与",
)
TAIL_WORDS = ("达到", "达", "为", "是", "有", "共计", "共有", "共", "累计", "总计", "合计", "计", "已", "分别", "约", "近", "了")
PIVOT = re.compile(r"累计|共计|共有|(?<![公总一])共(?![同享建识产])|已经|(?<!而)已")
VERB_TRIM = re.compile(r"全部(?=[复开投到完恢纳实撤建])|均已|已经|(?<!而)已|成功|全面|陆续|在第一时间|第一时间|积极|迅速|及时|了(?!解)")

# "全县86家规上工业企业，已复工84家", "共排查504人，已解除隔离303人": a part (已/其中/尚…) or a total
# (共/全/总…), by the words right before the figure in its clause (split at ，、 as answers split it).
PART_MARK = re.compile(r"(?:已经?|其中|尚未|仍有|仍在|还有|未)[\u4e00-\u9fff]{0,6}$")
TOTAL_MARK = re.compile(r"(?:共|共计|总计|合计|总共|累计|全[县区市省]|总数|总量)[\u4e00-\u9fff]{0,4}$")
PART_WINDOW = 10
# "1862家复业1848家", "68家开放62家": a count right after a whole of its unit and what some of them did
_PART_AFTER_WHOLE = re.compile(r"\d[\d.]*(?:万|亿)?(?P<unit>[^\d.万亿]{1,3}?)[\u4e00-\u9fff]{0,10}?"  # "41家变电设备企业复工38家"
                               r"(?:复工|复产|复业|开放|开业|营业|开工|返岗|到岗|开学|复学|恢复|开通|出院)$")
WHOLE_WINDOW = 24  # characters before a part that may hold its whole and the whole's noun

# What may stand before a sentence's governing time: a byline, its source ("据天津海关统计，1—2月，…"), or its
# speaker ("答（城关区副区长 陈志红）：截至3月17日，…").
# A speaker labelled with a title in brackets: "答（城关区副区长 陈志红）：", "吴建华（晋江市副市长）：".
SPEAKER_LABEL = r"[\u4e00-\u9fff]{1,4}\s*[（(][^（）()\n]{2,40}[）)]\s*[:：]"
DATELINE = re.compile(r"本报讯\s*[（(][^）)]{0,24}[）)]\s*|据[^，,。；;]{1,16}?(?:统计|数据|监测|显示)[，,]\s*"
                      rf"|{SPEAKER_LABEL}\s*")
TIME = re.compile(
    r"(?P<upto>截至|截止到|截止|到)?\s*(?:"
    r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日(?:[、和]\d{1,2}日)*(?:\d{1,2}时)?"
    r"(?:(?:至|到|—|－|-)(?:\d{1,2}月)?\d{1,2}日(?:\d{1,2}时)?)?"
    r"|\d{1,2}月(?:底|末|份|中旬|上旬|下旬|当月)|\d{1,2}(?:—|－|-|至|到)\d{1,2}月(?:份)?"
    # "3月以来完成投资68.7亿元": a span from that month (its tail is 以来); "4月18日…。截至20日，…": a day of the
    # month last named
    r"|\d{1,2}月(?=以来)|(?<=截至)\d{1,2}日(?:\d{1,2}时)?)"
    r"|(?P<word>目前|当前|现在|昨日\d{0,2}时?|今日\d{0,2}时?)"
    r"|(?P<span>今年以来|春节以来|春节期间|春节假期至今|疫情发生以来|疫情期间|(?:今年)?前(?:[两三四五六七八九十]|\d{1,2})个?月"
    r"|今年|本周|上周|第?[一二三四1-4]季度|上半年)"
    r")(?P<tail>[^，,；;。]{0,10}?以来|[^，,；;。]{0,4}?至今|两天|三天)?"
)


@dataclass
class Context:
    """What a sentence's rows need from their article."""

    subject_place: str = ""  # Article.places[0]: what 全区/我区 means
    city: str = ""  # what 全市/我市 means
    published: str | None = None
    # The places nearer than the article's that this sentence's 全市/全县/全区 mean, by kind (local_places).
    local: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    """One figure's reading in cleaned-sentence coordinates (its clause = sentence[start:end])."""

    subject: str
    metric: str
    figure: Figure
    as_of: str | None
    period: str | None
    place: str
    start: int
    end: int
    counted: str = ""  # the thing this figure counts (70家[规模以上工业企业])


# --------------------------------------------------------------------------- small helpers


def is_key_candidate(fig: Figure, text: str) -> bool:
    """A stated quantity worth a row: an Arabic number with a unit, or a percentage; not a duration,
    a trivial 1, a slogan count (3个“快”字, “五个一律”) or a number inside a title 《…》."""
    if fig.kind not in ("number", "percent") or fig.value is None or not re.search(r"\d", fig.text):
        return False
    if fig.kind == "number":
        if not fig.unit or fig.unit.split("/")[0] in SKIP_UNITS:
            return False
        if fig.value < 2 and fig.unit != "例":
            return False
    after = text[fig.end : fig.end + 1]
    before = text[max(0, fig.start - 1) : fig.start]
    in_title = text.count("《", 0, fig.start) > text.count("》", 0, fig.start)
    return not (after in ("“", "‘", "字", '"') or before in ("“", "‘") or in_title)


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Comma/semicolon/colon-delimited parts, not splitting a thousands separator (48,773) nor a data card
    label from its value ("已复工：181家")."""
    label = LABEL_VALUE.match(sentence)
    cuts = [m.start() for m in re.finditer(r"[，；;：:]|(?<!\d),|,(?!\d{3}(?!\d))", sentence)
            if not (label and m.end() == label.end())]
    spans, s = [], 0
    for c in [*cuts, len(sentence)]:
        a, b = s, c
        while a < b and sentence[a] in " \t\n“”\"":
            a += 1
        while b > a and sentence[b - 1] in " \t\n。！!？?":
            b -= 1
        if b > a:
            spans.append((a, b))
        s = c + 1
    return spans


def resolve_place(word: str, ctx: Context) -> str:
    kind = gz.REFERENCE_WORDS.get(word)
    if kind in ctx.local:
        return ctx.local[kind]
    # 全省 in a city's article is its province (辽宁省 for 鞍山), 全市 in a county's its city; not 辖区 or
    # 区内 ("工业园区内"), which name no division.
    up = _enclosing(ctx.subject_place, kind) if kind and word[0] in "全我本该" else None
    if kind == "市":
        return ctx.city or up or "全市"
    if kind:
        # 全区 in a 区's article, 全县 in a 县's; a mismatch (a misattached paragraph) stays unresolved.
        return gz.resolve_reference(word, [ctx.subject_place]) or up or word
    return gz.canon(word)


def default_place(ctx: Context) -> str:
    """The place of a figure whose sentence names none: the article's subject, or the nearer place of the
    same kind that speaks there (晋江市 under "吴建华（晋江市副市长）：" in 泉州's press conference). A
    nearer place of another kind (a 区 in a 市's bulletin) may be only a headline's."""
    subject = gz.place(ctx.subject_place)
    return ctx.local.get(subject.kind, ctx.subject_place) if subject else ctx.subject_place


def _enclosing(name: str, kind: str) -> str | None:
    """The division of that kind holding `name` (南充市 for 南部县 and 市, 辽宁省 for 鞍山市 and 省)."""
    place = gz.place(name)
    return next((p for p in (place.parents if place else ()) if (q := gz.place(p)) and q.kind == kind), None)


def strip_lead(s: str) -> str:
    s = s.lstrip(" 、，,“”\"")
    changed = True
    while changed and s:
        changed = False
        s = s.lstrip(" 、，,“\"")
        if s[:1] in "(（" and not re.search(r"[)）]", s):
            s = s[1:]
        for w in LEAD_WORDS:
            if s.startswith(w):
                s, changed = s[len(w):], True
                break
    return s


def strip_tail(s: str) -> str:
    changed = True
    while changed and s:
        changed = False
        s = s.rstrip(" 、，,“\"的：:")
        if s[-1:] in "(（" or s[-1:] in ")）" and not re.search(r"[(（]", s):
            s, changed = s[:-1], True
            continue
        for w in TAIL_WORDS:
            if s.endswith(w):
                s, changed = s[: -len(w)], True
                break
    return s


def clean_metric(s: str) -> str:
    s = VERB_TRIM.sub("", strip_tail(strip_lead(s)))
    s = re.sub(r"在本[县区市]|在全[县区市]", "", s)
    return strip_tail(strip_lead(s))


RANGE = re.compile(r"日(?:\d{1,2}时)?(?:至|到|—|－|-)")  # 3月1日至4日: a span, not the day it starts
_TO = r"(?:—|－|-|至|到)"
MONTH_RANGE = re.compile(rf"\d{{1,2}}{_TO}\d{{1,2}}月")  # 1—2月: two months' total, no day
# A month or months asked or stated without a day: "1月份", "1—2月", "2月份", "3月上半月" (not "2月16日", "2月底").
MONTHS = re.compile(rf"(\d{{1,2}})(?:月?{_TO}(\d{{1,2}}))?月(?:份)?(?![\d底末中旬]|[上下](?!半月))")


# Quarters and the like, as months: "一季度" is 1—3月, "头两个月" 1—2月.
QUARTERS = re.compile(r"第?([一二三四1-4])季度|(上半年)|前([两三四五六七八九十]|1[0-2]|[2-9])个?月"
                      r"|头([两三四五六七八九十]|1[0-2]|[2-9])个月")  # not 包头2月份
_QUARTER_MONTHS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                   **{str(n): n for n in range(1, 13)}}


@lru_cache(maxsize=4096)  # asked again for every candidate figure of a question
def months_of(text: str) -> tuple[int, int] | None:
    """The (first, last) month a period names: "1—2月" -> (1, 2), "2月份" -> (2, 2), "一季度" -> (1, 3); None
    without one."""
    m = MONTHS.search(text or "")
    q = QUARTERS.search(text or "")
    if q is not None and (m is None or q.start() < m.start()):
        if q.group(2):
            return 1, 6
        if q.group(3) or q.group(4):
            return 1, _QUARTER_MONTHS[q.group(3) or q.group(4)]
        n = _QUARTER_MONTHS[q.group(1)]
        return 3 * n - 2, 3 * n
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2) or m.group(1))


# How a change is stated ("上涨96.1%", "同比增长4.6%").
CHANGE_VERBS = "上涨|下降|增长|下跌|提高|减少|增加|回落|上升"
# "与2月14日24时相比，全市累计确诊病例由23例增加到25例": the day compared with dates only the value before.
_COMPARED_BEFORE = re.compile(r"(?:与|和|同|较)\s*$")
_COMPARED_AFTER = re.compile(r"[^，,；;。]{0,4}?(?:相比|比较|相较)")
_THAN_BEFORE = re.compile(r"(?:比|较)\s*$")
# "比3月6日的88.1%", "比1—2月（下降9.8%）", "比2月份提高5.2个百分点" (the gap is of the sentence's own month)
_THAN_AFTER = re.compile(rf"[^，,；;。]{{0,4}}?(?:的|[（(])|(?:{CHANGE_VERBS}|收窄|扩大|回升|加快|放缓|[高低快慢多少])")
_FROM_VALUE = re.compile(r"(?:由|从)\s*$")


def _is_compared(sentence: str, m: re.Match[str]) -> bool:
    """"与2月14日24时相比", "比3月6日的88.1%": a day compared with, which dates no figure after it."""
    return bool((_COMPARED_BEFORE.search(sentence, 0, m.start()) and _COMPARED_AFTER.match(sentence, m.end()))
                or (_THAN_BEFORE.search(sentence, 0, m.start()) and _THAN_AFTER.match(sentence, m.end())))


def compared_time(sentence: str, fig: Figure) -> str | None:
    """The day a compared value is of: 2月14日24时 for 23例 of "与2月14日24时相比，…由23例增加到25例", 3月6日 for
    88.1% of "比3月6日的88.1%提高8.3个百分点"."""
    found = [m for m in TIME.finditer(sentence, 0, fig.start) if _is_compared(sentence, m)]
    if not found:
        return None
    m = found[-1]
    if _FROM_VALUE.search(sentence, 0, fig.start) or _THAN_VALUE.fullmatch(sentence, m.end(), fig.start):
        return re.sub(r"\s+", "", m["date"] or m.group())
    return None


# "比1—2月的下降17.9%收窄": the value compared with, after its time and 的 (and a change word).
_THAN_VALUE = re.compile(r"[^，,；;。]{0,4}?(?:的|[（(])(?:下降|增长|上升|降低|减少|增加|回落)?")


def time_phrase(sentence: str, upto: int) -> tuple[str | None, str | None]:
    """(as_of, period) of the nearest time phrase before `upto`: a point (截至3月10日24时, 目前) or a
    span (3月18日疫情发生以来, 2月份, 从1月25日)."""
    best = None
    for m in TIME.finditer(sentence, 0, upto):
        if not _is_compared(sentence, m):
            best = m
    if best is None:
        return None, None
    text = re.sub(r"\s+", "", best.group())
    if best["upto"]:
        return text, None
    if best["span"] or best["tail"] or "份" in text or text.endswith("当月") or "、" in text or "和" in text or RANGE.search(text) \
            or MONTH_RANGE.search(text):
        prev = sentence[max(0, best.start() - 1) : best.start()]
        return None, ("从" + text) if prev == "从" else text
    return text, None


def leading_time(sentence: str) -> tuple[str | None, str | None] | None:
    """The sentence's governing 截至…/目前 phrase or months (1—2月, 2月份), if one opens it (before its first
    figure clause)."""
    m = TIME.search(sentence)
    opening = m and (m.start() <= 4 or DATELINE.fullmatch(sentence[: m.start()]))
    if m and opening and (m["upto"] or m["word"] in ("目前", "当前") or re.fullmatch(r"\d{1,2}月[底末]", m.group())):
        # "3月末，…贷款余额…；各项存款余额2486.3亿元": a month's end carries on as 截至… does
        return re.sub(r"\s+", "", m.group()), None
    if m and opening and (MONTH_RANGE.search(m.group()) or m.group().endswith("月份") or m["span"]):
        # "1—2月，…；其中出口14.8亿元", "前4个月，欧盟…；对东盟进出口118.5亿元": the months carry on
        return None, re.sub(r"\s+", "", m.group())
    return None


def spread_respectively(items_text: str, n: int) -> list[str] | None:
    """省、市重点项目开工复工率分别达100%、91% -> [省重点项目开工复工率, 市重点项目开工复工率]."""
    items = [x for x in re.split(r"[、和]", items_text) if x]
    if len(items) != n:
        return None
    k = len(items[0])
    if k <= 2 and all(len(x) == k for x in items[:-1]) and len(items[-1]) > k:
        suffix = items[-1][k:]
        items = [x + suffix for x in items[:-1]] + [items[-1]]
    return items


# --------------------------------------------------------------------------- places and subjects


def org_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in ORG.finditer(text) if not ORG_STOP.search(m.group())]


@dataclass(frozen=True)
class PlaceWord:
    start: int
    end: int
    word: str  # as written: "全市", "焦作", "焦作城乡一体化示范区"
    name: str  # the gazetteer's name, or the reference word itself (resolved per article by resolve_place)


@lru_cache(maxsize=4096)
def place_words(text: str) -> tuple[PlaceWord, ...]:
    """The places a sentence names, by the gazetteer (its mentions: leftmost-longest, not a short name inside
    a longer word such as 大沙河 or 玉溪路), and its reference words (全区/我县/该市), in text order."""
    found = [PlaceWord(m.start, m.end, m.surface, m.place.name) for m in gz.gazetteer().mentions(text)]
    taken = [(w.start, w.end) for w in found]
    found += [PlaceWord(m.start(), m.end(), m.group(), m.group()) for m in gz.REFERENCE_RE.finditer(text)
              if not any(a < m.end() and m.start() < b for a, b in taken)]
    return tuple(sorted(found, key=lambda w: w.start))


def _place_name(w: PlaceWord, ctx: Context) -> str:
    return resolve_place(w.word, ctx) if w.word in gz.REFERENCE_WORDS else w.name


_ZONE_NAMES = frozenset(gz.ZONE_KINDS.values())
_LOCATED = re.compile(r"[\u4e00-\u9fff]{2,12}[（(]")
_ZONE_OWNER = re.compile(r"[\u4e00-\u9fff]{2,4}")


_PORTS = ("口岸", "港", "机场", "火车站", "站")  # a port named by its place: "经二连浩特口岸…"
_MOVED = ("转移", "务工", "就业", "流动", "输出", "输送")  # "省内转移": a destination, not a place acting


def actor_place(text: str, lo: int, hi: int, orgs: list[tuple[int, int]], ctx: Context,
                at_start_only: bool = False) -> str | None:
    """The place acting in text[lo:hi]: not inside an organisation's name, not an object (占全市…, nor the
    rest of a list after one: 向安徽滁州、广东东莞等地发函)."""
    object_end = -1  # where the last object place ended
    words = place_words(text)
    for i, m in enumerate(words):
        if m.start < lo or m.end > hi:
            continue
        if m.word not in gz.REFERENCE_WORDS and any(a <= m.start < b and (a, b) != (m.start, m.end) for a, b in orgs):
            continue  # 焦作同仁医院, 焦作市亿中弘工贸有限公司 (but 全市开放方舱医院 is no name)
        prefix = text[lo : m.start]
        lead = strip_lead(TIME.sub("", prefix)) if at_start_only else ""
        if lead and not (m.name in _ZONE_NAMES and _ZONE_OWNER.fullmatch(lead)) and not (
                _LOCATED.fullmatch(lead) and text.startswith(("）", ")"), m.end)) and not (
                lead in ("经", "在", "通过") and text.startswith(_PORTS, m.end)):
            # ("经二连浩特口岸出入境的中欧班列1026列，同比增长36.4%" is 二连浩特's, by its port)
            # (nor a place in brackets after what opens the clause: "凤凰山景区（凤城市）实行…" is 凤城市's)
            continue  # (a zone's owner the gazetteer does not hold opens it: "松江经济技术开发区…")
        if (prefix.endswith(OBJECT_MARKS) and not prefix.endswith("作为")) or (
                object_end >= 0 and OBJECT_LIST_GAP.fullmatch(text, object_end, m.start)) or (
                m.word not in gz.REFERENCE_WORDS and text.startswith((*PLACES_LISTED, *PLACES_VISITED), m.end)) or (
                m.word.endswith("内") and text.startswith(_MOVED, m.end)):
            # "向大连、天津等地输送务工人员460余人": origins and destinations listed, not who acts ("省内转移55.56万人":
            # where the workers went)
            object_end = m.end
            continue
        zone = next((n for n in words[i + 1 :] if n.start >= m.end), None)
        if zone is not None and zone.name in _ZONE_NAMES and zone.end <= hi and gz.ZONE_GAP.fullmatch(text, m.end, zone.start):
            return zone.name  # "包头稀土高新区规上工业企业复工率达到98.2%": the city's zone acts, as asked_place reads it
        return _place_name(m, ctx)
    return None


# Between a compared place and its figure: "高于全市94.8%", "比全省（下降8.3%）小", "比全省平均水平（72.4%）",
# "比全省平均进度（58.2%）".
_COMPARED_GAP = re.compile(r"(?:平均水平|平均进度|平均增速|平均)?(?:的?|[（(](?:下降|增长|上升|提高|降低|减少|增加|回落|为|达|是)?)")


_WHOLE_IN_BRACKETS = re.compile(r"[\u4e00-\u9fff]{0,6}[（(]")


def figure_place(text: str, c0: int, fig: Figure, figs: list[Figure], orgs: list[tuple[int, int]],
                 ctx: Context) -> str | None:
    """The place of `fig` in its clause text[c0:…]: a list item's own (其中青岛市1例、济宁市2例: 济宁市 for 2例),
    named after the clause's previous figure, else the clause's actor."""
    for w in place_words(text):
        if c0 <= w.start and w.end <= fig.start and _COMPARED_GAP.fullmatch(text, w.end, fig.start) \
                and _COMPARATOR.search(text, c0, w.start):
            # "全县…96.4%，高于全市94.8%的平均水平": the figure right after a compared place is that place's
            # (not "占全市的44.6%": a share of it).
            return _place_name(w, ctx)
        if c0 <= w.start and w.end <= fig.start and text[c0 : w.start].endswith("占") \
                and _WHOLE_IN_BRACKETS.fullmatch(text, w.end, fig.start):
            # "占全市总产量（126.4万吨）的30.5%": the bracketed whole is the place's
            return _place_name(w, ctx)
    at = text.find("分别", c0, fig.start)
    if at >= 0:
        # "铁东区、铁西区、立山区规上工业企业分别复工58家、71家、46家": the i-th place has the i-th figure.
        items = [w for w in place_words(text) if c0 <= w.start and w.end <= at and w.word not in gz.REFERENCE_WORDS]
        after = [f for f in figs if f.kind in ("number", "percent") and at < f.start <= fig.start
                 and text[f.start - 1 : f.start] != "每"]  # "分别为每500克28.50元、…": 500克 says per what
        if len(items) >= 2 and len(after) <= len(items):
            return _place_name(items[len(after) - 1], ctx)
    prev = max((f.end for f in figs if f.kind in ("number", "percent") and c0 <= f.start and f.end <= fig.start),
               default=-1)
    place = (actor_place(text, prev, fig.start, orgs, ctx) if prev >= 0 else None) or actor_place(
        text, c0, fig.start, orgs, ctx)
    kind = gz.REFERENCE_WORDS.get(place or "")
    if kind:
        # 全市 left unresolved by the article (a province's report): the city the sentence named before it
        # (武汉市又有2家方舱医院投入使用，…，全市开放方舱医院达到13家).
        named = [p.name for w in place_words(text) if w.end <= c0 and (p := gz.place(w.name)) and p.kind == kind]
        place = named[-1] if named else place
    return place


# After a place, what makes it a list item rather than the actor: "青岛市1例、…", "耒阳市、常宁市…"; not
# "吴忠市与北京…对接". A paragraph's actor is not a label's place either ("江油：…", "·东台").
_ITEM_AFTER = r"\d|[一二三四五六七八九十百]+[例人家个名]"
ITEM_OPENING = re.compile(rf"\s*(?:[、和及]|{_ITEM_AFTER})")
LIST_ITEM = re.compile(rf"\s*(?:[、和及与:：·]|{_ITEM_AFTER})")


def clause_openings(sentence: str, clauses: list[tuple[int, int]], orgs: list[tuple[int, int]],
                    ctx: Context, item: re.Pattern[str] = ITEM_OPENING) -> dict[int, str]:
    """The place opening each clause that opens with one (after time and lead words) and is no list item
    (`item` after it), by clause start; an unresolved 全区 is none."""
    out = {}
    words = place_words(sentence)
    for c0, c1 in clauses:
        first = next((w for w in words if c0 <= w.start < c1), None)
        if first is None:
            continue
        if first.word not in gz.REFERENCE_WORDS and item.match(sentence, first.end):
            continue  # "其中青岛市1例、济宁市2例": list items, whose places the next clause does not go on about
        actor = actor_place(sentence, c0, c1, orgs, ctx, at_start_only=True)
        if actor and actor not in gz.REFERENCE_WORDS:
            out[c0] = actor
    return out


def carried_place(openings: dict[int, str], c0: int) -> str | None:
    """A clause naming no place goes on about the place opening a clause before it in its sentence
    ("全区规上工业企业118家，已复工115家"), not one named inside a clause ("其中来自湖北的…3147人，已解除隔离
    2968人")."""
    before = [c for c in openings if c < c0]
    return openings[max(before)] if before else None


def leading_org(pre: str) -> tuple[str, str]:
    """(organisation opening the clause, the rest): 百大超市示范区店|2月份的营业额达."""
    m = ORG.match(pre)
    if m and not ORG_STOP.search(m.group()):
        return m.group(), pre[m.end():]
    return "", pre


# A line that says who speaks or what a section is about: "吴建华（晋江市副市长）：", "【乐清市副市长 周文斌】",
# "耒阳：企业复工和春耕两不误", "陈明辉：". The places it names are what 全市/我县 mean in the lines under it.
LABEL_LINE = re.compile(
    rf"\s*(?:【[^】\n]{{2,30}}】|{SPEAKER_LABEL}"
    r"|[\u4e00-\u9fff]{2,12}\s*[:：][^。\n]{0,30}$)", re.M)
# A line with no sentence end (a headline, a table row) starts a new section: the search for a label stops.
HEADING_LINE = re.compile(r"[^\n]{1,40}(?<![。！!？?；;”])[ \t]*$", re.M)
# A paragraph opened by a place and a colon ("【县区速递】偃师：截至3月11日，全市…", "偃师：…"): its 全市 is 偃师.
# ... or by a place in brackets ("【上虞】3月份全区新签约项目12个"): its 全区 is 上虞区.
PLACE_LABEL = re.compile(r"[ \t　]*(?:(?:【[^】\n]{2,30}】|[▲△●○◆◇■□▶▷►·•★☆※]|\d{1,2}[.．、])?[ \t　]*([\u4e00-\u9fff]{2,8})[:：]"
                         r"|【([\u4e00-\u9fff]{2,8})】)")  # "▲都兰县：", "10.荔波县：" (a numbered item)
# A sentence inside a paragraph opened by a place and a colon ("六、县市区情况。湘潭县：全县…。湘乡市：全市…"): its
# 全市 and the next sentences' are that place's, up to the next such label.
INLINE_PLACE_LABEL = re.compile(r"[。；;！!？?]\s*([\u4e00-\u9fff]{2,8})[:：]")
# A paragraph opened by a town and a colon ("七、乡镇动态" items: "马官镇：全镇已复工各类企业23家…").
TOWN_LABEL = re.compile(r"[ \t　]*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*"
                        r"(?:[\u4e00-\u9fff]{0,6}(?:动态|情况|速递|简讯|信息|传真)\s*)?)?"  # "七、乡镇动态" run into it
                        r"(?![各全本该我每])([\u4e00-\u9fff]{2,8}(?<!乡)(?:镇|乡|街道))[:：]")  # not "各乡镇："
# A town's head answering at a 发布会 ("喇嘛甸镇镇长　韩立新：全镇今年计划种植玉米8.6万亩…"): the answer is the town's.
SPEAKER_TOWN = re.compile(r"[ \t　]*(?:[\u4e00-\u9fff]{0,6}?[市县区旗])?([\u4e00-\u9fff]{2,6}?(?:镇|乡|街道))"
                          r"(?:党委|党工委|人民政府|政府|办事处)?副?(?:镇长|乡长|书记|主任)[ \t　]*[\u4e00-\u9fff]{2,4}[:：]")
# Any turn of a 发布会 transcript ("主持人　马丽：", "区委常委、副区长　孙志刚：", "大庆日报记者："): it ends the town head's.
SPEAKER_TURN = re.compile(r"[ \t　]*[\u4e00-\u9fff、]{2,24}(?:[ \t　]+[\u4e00-\u9fff]{2,4})?[:：]")
LABEL_REACH = 3000  # characters back to a label line: one speaker's answer runs several paragraphs
LOCAL_KINDS = ("市", "县", "区")


def _named_kinds(text: str, loose: bool = False) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in gz.gazetteer().mentions(text, loose=loose):
        if m.place.kind in LOCAL_KINDS:
            out.setdefault(m.place.kind, m.place.name)
    return out


@lru_cache(maxsize=1024)
def _introduced_place(text: str, label: str) -> dict[str, str]:
    """The place of a speaker labelled by name only ("【李国栋】"), from where the text introduces them with
    their title ("…、腾冲市人民政府副市长李国栋、…"); {} when it never does (主持人, a host without a place)."""
    name = re.search(r"[\u4e00-\u9fff]{2,4}", label)
    if name is None:
        return {}
    for m in re.finditer(re.escape(name.group()), text):
        title = re.split(r"[、，,。；;：:\n（(]", text[max(0, m.start() - 20) : m.start()])[-1]
        kinds = _named_kinds(title)
        if kinds:
            return kinds
    return {}


def _label_place(label: str, bracketed: bool) -> gz.Place | None:
    """The place a paragraph's label names: "偃师：", or "【上虞】" (a district's label by its short name, which is
    no name in running text)."""
    place = _whole_place(label)
    if place is None and bracketed:
        place = next((p for suffix in "区县市" if (p := _whole_place(label + suffix)) is not None), None)
    return place


@lru_cache(maxsize=4096)  # a label is read again for every figure under it
def _whole_place(text: str) -> gz.Place | None:
    """The place the text names, whole ("偃师", "耒阳市"), not a word that holds one; else None."""
    found = gz.gazetteer().mentions(text, loose=True)  # a label is a name's place: "繁昌：" (now 繁昌区)
    whole = len(found) == 1 and found[0].start == 0 and found[0].end == len(text) and found[0].place.kind in LOCAL_KINDS
    return found[0].place if whole else None


def _opening_places(text: str, start: int, end: int) -> dict[str, str]:
    """The places that open a clause (after its time and lead words) of the first sentence of text[start:end]
    that says something (大家好。 and 谢谢。 do not), by kind: the paragraph's actor (本报讯…台安县在抓好…)."""
    for ps, pe in split_sentences(text[start:end], base=start):
        sentence = text[ps:pe]
        if len(squash(sentence)) >= 8:
            openings = clause_openings(sentence, clause_spans(sentence), org_spans(sentence), Context(), LIST_ITEM)
            places = [p for name in openings.values() if (p := gz.place(name)) and p.kind in LOCAL_KINDS]
            return {p.kind: p.name for p in places}  # the last of each kind
    return {}


@lru_cache(maxsize=8192)  # per sentence of the same bulletin text, asked again for every question
def speaker_town(text: str, s: int) -> str:
    """The town whose head speaks the paragraph at offset `s` of a transcript, or "" (another speaker, or none
    within LABEL_REACH)."""
    line = text.rfind("\n", 0, s) + 1
    while s - line <= LABEL_REACH:
        if m := SPEAKER_TOWN.match(text, line):
            return m.group(1)
        if SPEAKER_TURN.match(text, line) or line == 0:
            return ""
        line = text.rfind("\n", 0, line - 1) + 1
    return ""


def local_places(text: str, s: int) -> dict[str, str]:
    """What 全市/全县/全区 at offset `s` of a bulletin's cleaned text mean where that is nearer than the
    article's place, by kind: the place opening a clause of the paragraph's first sentence (连日来，耒阳市在
    抓好…。截至2月16日，全市…: 耒阳市, in a 衡阳 bulletin) unless a place labels a sentence of the paragraph
    up to `s` ("。湘乡市：全市…", the nearest wins), else the places of the nearest label line
    above within LABEL_REACH (a speaker "吴建华（晋江市副市长）：" or a section "耒阳：…"); a speaker labelled by
    name ("劳建华：") speaks for the place the text introduces them with. A label without a place (主持人,
    陈明辉：) ends the search: the article's own place holds again."""
    line = text.rfind("\n", 0, s) + 1
    found = _opening_places(text, line, s)
    inline = [m for m in INLINE_PLACE_LABEL.finditer(text, line, min(len(text), s + 12)) if m.start() < s]
    if inline and (place := _whole_place(inline[-1].group(1))) is not None:
        return {**found, **_named_kinds(place.name, loose=True)}  # "。湘乡市：全市4月份…": 湘乡市's 全市
    named = PLACE_LABEL.match(text, line)
    labelled = named and _label_place(named.group(1) or named.group(2), not named.group(1))
    if labelled:
        return {**_named_kinds(labelled.name, loose=True), **found}  # this paragraph's own place, not the next's
    introduced = named and named.group(1) and not labelled and _introduced_place(text, named.group(1))
    if introduced:
        return {**introduced, **found}  # "劳建华：全区63家…", introduced as 钦州港经济技术开发区管委会副主任劳建华
    while s - line <= LABEL_REACH:
        label = LABEL_LINE.match(text, line)
        if label:  # above `s`, or opening the very sentence at `s` ("【乐清市副市长 周文斌】截至3月6日，…")
            return {**(_named_kinds(label.group()) or _introduced_place(text, label.group())), **found}
        if HEADING_LINE.match(text, line):  # a heading above, or the line of `s` is one itself
            heading = text[line : text.find("\n", line)]
            # "青田侨乡进口商品城人气回升": a headline may name its county by its short name only
            return {**(_named_kinds(heading) or _named_kinds(heading, loose=True)), **found}
        if line == 0:
            break
        line = text.rfind("\n", 0, line - 1) + 1
    return found


# --------------------------------------------------------------------------- rows of one sentence


def read_pre(slot: Slot, ctx: Context) -> tuple[str, str]:
    """(subject named before the figure, the words left for the metric)."""
    pre = strip_lead(TIME.sub("", slot.pre))
    subject, pre = leading_org(pre)
    m_place = PLACE_RE.match(pre)
    if m_place and not subject:
        pre = strip_lead(pre[m_place.end():])
    near = re.search(f"(?:作为|是)(?:{PLACE_RE.pattern})$", pre)
    if near and slot.fig.unit in COUNT_UNITS:
        # 焦作同仁医院作为我市30家…之一: the count belongs to the place, not to the hospital.
        return resolve_place(PLACE_RE.search(near.group()).group(), ctx), ""
    # 累计/共 after an actor: 防控物资生产企业|累计生产口罩; otherwise the word just goes.
    pivot = PIVOT.search(pre)
    if pivot and pivot.start() > 0:
        left = clean_metric(pre[: pivot.start()])
        if left and ENDS_WITH_ENTITY.search(left) and not subject and clean_metric(pre[pivot.end():]):
            return left, pre[pivot.end():]
        pre = pre[: pivot.start()] + pre[pivot.end():]
    return subject, pre


@dataclass
class Slot:
    """One candidate figure with the raw text its metric is read from."""

    fig: Figure
    c0: int
    c1: int
    pre: str
    post: str
    more: bool  # another number follows in the clause (the post text is shared with it)
    listed: bool  # a list item after 、/和: 生产口罩51.13万个、[消毒剂]1373.5吨
    after_entity: bool  # the pre text starts right after the thing the previous figure counted


def slots(sentence: str, figs: list[Figure], cands: list[Figure]) -> list[Slot]:
    """Cut each clause between its figures. The text between two figures belongs to the first when it
    is the thing counted (10家[消毒剂和生产企业]日生产能力201吨) or before a 、 (储备粮食4748.4吨、食用油19.7吨),
    else to the second."""
    out: list[Slot] = []
    numbers = [f for f in figs if f.kind in ("number", "percent")]
    for c0, c1 in clause_spans(sentence):
        consumed, after_entity, after_list = c0, False, False
        for fig in (f for f in cands if c0 <= f.start and f.end <= c1):
            nxt = next((f.start for f in numbers if f.start >= fig.end and f.start < c1), c1)
            pre = sentence[max(consumed, c0) : fig.start]
            post = sentence[fig.end : nxt]
            listed = after_list or bool(re.match(r"\s*[、和及与]", pre))
            slot = Slot(fig, c0, c1, pre, post, nxt < c1, listed, after_entity and not listed)
            after_list = False
            out.append(slot)
            after_entity = False
            lead = len(post) - len(post.lstrip("的"))
            body = post[lead:]
            m = entity_at(body) if fig.unit in COUNT_UNITS else None
            if m and slot.more:
                consumed, after_entity = fig.end + lead + m.end(), True
            elif slot.more:
                cut = post.rfind("、")
                consumed = fig.end + cut + 1 if cut >= 0 else fig.end
                after_list = cut >= 0
            else:
                consumed = c1
    return out


def entity_at(body: str) -> re.Match[str] | None:
    """The counted thing opening `body` (消毒剂和生产企业…), not a list continuation or a verb phrase."""
    if not body[:1] or body[0] in "和及与并或等、":
        return None
    m = ENTITY.match(body)
    return None if m is None or NOT_ENTITY.search(m.group()) else m


def read_post(slot: Slot) -> tuple[str, str]:
    """(thing counted, metric words) after the figure."""
    body = slot.post.lstrip("的")
    if slot.fig.unit in COUNT_UNITS:
        m = entity_at(body)
        if m:
            counted = m.group().removesuffix("之一")
            if slot.more:
                return counted, counted
            rest = body[m.end():]
            if m.group().endswith("之一"):
                rest = ""  # 30家…机构之一、示范区唯一一家…: what follows is another item
            rest = strip_tail(VERB_TRIM.sub("", rest))  # keeps 为: 3家医院[为后备医院]
            return counted, counted + (rest if len(rest) <= 20 and not re.search(r"\d", rest) else "")
    if slot.more:
        cut = slot.post.rfind("、")
        return "", clean_metric(slot.post[:cut]) if cut >= 0 else ""
    tail = clean_metric(body)
    return "", tail if len(tail) <= 16 and not re.search(r"\d", tail) and tail[:1] not in "(（" else ""


# The words between a compared value and its change: "比去年同期的15.20元/斤上涨96.1%".
CHANGE_AFTER_VALUE = re.compile(rf"(?:/[\u4e00-\u9fff]{{1,2}})?\s*({CHANGE_VERBS})了?\s*")


# "其中1—2月2015.8万吨，3月份1112.8万吨", "其中3月份上涨4.2%": a period and its value (or change), of the metric the
# sentence named before (粗钢产量, 居民消费价格…上涨).
PERIOD_ONLY = re.compile(rf"\s*(?:其中[，,:：]?)?\s*(?:{TIME.pattern})(?:当月)?\s*(?:为|是|达到?|实现|完成)?"
                         rf"(?P<change>(?:同比|环比)?(?:{CHANGE_VERBS})了?)?\s*")


def _period_metric(pre: str, fig: Figure, rows: list[Row]) -> str | None:
    """The metric of a figure stated by its period only, from the sentence's earlier figure of its kind."""
    m = PERIOD_ONLY.fullmatch(pre)
    if not m:
        return None
    same = next((r for r in rows if r.figure.kind == fig.kind and r.figure.unit == fig.unit
                 and not re.search("(?<![同环])[比较]", r.metric) and (not m["change"] or len(r.metric) > len(m["change"]))), None)
    if same is None:
        return None
    # "…同比下降4.6%…；3月份当月增长2.7%": the metric's own words with this figure's change
    return re.sub(rf"(?:同比|环比)?(?:{CHANGE_VERBS})了?$", "", same.metric) + (m["change"] or "")


def sentence_rows(
    sentence: str, ctx: Context, inherited_time: tuple[str | None, str | None] = (None, None),
    figs: list[Figure] | None = None,
) -> list[Row]:
    """The figures of one cleaned sentence whose metric can be read (key-figure rows, duplicates kept);
    offsets are into `sentence`."""
    figs = parse_figures(sentence) if figs is None else figs
    cands = [f for f in figs if is_key_candidate(f, sentence)]
    if not cands:
        return []
    orgs = org_spans(sentence)
    clauses = clause_spans(sentence)
    first = clauses[0] if clauses else (0, len(sentence))
    sentence_place = actor_place(sentence, first[0], min(first[1], cands[0].start), orgs, ctx, at_start_only=True)
    rows: list[Row] = []
    counted_last = ""  # the thing the sentence's last count figure counted
    respectively: dict[int, list[str]] = {}  # clause start -> metrics of a 分别 list
    openings = clause_openings(sentence, clauses, orgs, ctx)
    for slot in slots(sentence, figs, cands):
        fig = slot.fig
        subject, pre = read_pre(slot, ctx)
        if "分别" in pre and slot.c0 not in respectively:
            left, _, right = pre.partition("分别")
            n = sum(1 for c in cands if slot.c0 <= c.start < slot.c1 and c.start >= fig.start)
            items = spread_respectively(clean_metric(left), n)
            if items:
                respectively[slot.c0] = [x + clean_metric(right) for x in items]
        # 省专家、市领导、5名副指挥长 / “一办五部”和14个工作组: the words before belong to the list, not here.
        pre_metric = "" if re.search(r"[、和及与]\s*$", slot.pre) else clean_metric(pre)
        counted, post_metric = read_post(slot)
        # 总投资100亿元的恒大文旅城: the project is the subject, 总投资 the metric.
        if pre_metric.endswith("投资") and slot.post.startswith("的") and post_metric and not counted:
            subject, pre_metric, post_metric = post_metric, pre_metric[pre_metric.rfind("总投资"):] if "总投资" in pre_metric else "投资", ""
        if GENERIC.search(pre_metric + post_metric) or GENERIC.search(post_metric or "-"):
            continue
        metric = pre_metric + post_metric
        if len(metric) > 32:
            metric = post_metric if counted else pre_metric or post_metric
        if slot.c0 in respectively:
            k = sum(1 for r in rows if r.start == slot.c0)
            if k < len(respectively[slot.c0]):
                metric = respectively[slot.c0][k]
        if not metric and rows and rows[-1].start == slot.c0:
            metric = rows[-1].metric  # 7%、3%、24% after one metric
        if rows:
            metric = _period_metric(slot.pre, fig, rows) or metric
        if metric.startswith("占") and rows and len(rows[-1].metric) <= 8:
            metric = rows[-1].metric + metric  # 开工企业236家，占规上工业企业19.7%
        change = CHANGE_AFTER_VALUE.fullmatch(slot.pre.strip())
        if change and rows and rows[-1].start == slot.c0 and re.search(r"[比较]", rows[-1].metric):
            metric = rows[-1].metric + change.group(1)  # 精瘦肉均价比去年同期的15.20元/斤[上涨]96.1%
        if not metric or GENERIC.search(metric) or len(metric) <= 3 and metric[-1] in "到至" or metric.endswith("等"):
            continue
        if not counted and fig.unit in COUNT_UNITS and ENDS_WITH_ENTITY.search(metric):
            counted = metric
        listed = slot.listed and rows and rows[-1].start == slot.c0
        if not subject and listed:
            subject = rows[-1].subject  # 累计生产口罩51.13万个、消毒剂1373.5吨、医用酒精18571吨
        if not subject and not counted and rows:
            if slot.after_entity or len(metric) <= 3:
                subject = rows[-1].counted or rows[-1].subject  # 10家消毒剂和生产企业|日生产能力201吨; …已开工25个
            elif RELATIONAL.search(metric) and not HEAD_IN.search(metric):
                subject = counted_last or rows[-1].subject  # …复工复产率达96.6%; 同比增长30.5%
        place = figure_place(sentence, slot.c0, fig, figs, orgs, ctx) or carried_place(openings, slot.c0) \
            or sentence_place or default_place(ctx)
        as_of, period = figure_time(sentence, fig, ctx, inherited_time)
        rows.append(Row(subject or place, metric, fig, as_of, period, place, slot.c0, slot.c1, counted))
        counted_last = counted or counted_last
    return rows



# "其中贫困劳动力返岗11.6万人": a clause opened by 其中 states a part however long its label
_PART_CLAUSE = re.compile(r"\s*其中[^\d，,；;。]*$")


def figure_part(clause: str, fig: Figure) -> str:
    """"part" (已复工84家, 其中县内…1673人), "total" (共集中隔离3558人, 全县…) or "": how a count is stated.
    `fig` offsets are into `clause`, an answer clause (vectorstore.chunking.clause_spans)."""
    if fig.kind != "number":
        return ""
    before = squash(clause[max(0, fig.start - PART_WINDOW) : fig.start])
    whole = _PART_AFTER_WHOLE.search(squash(clause[max(0, fig.start - WHOLE_WINDOW) : fig.start]))
    if PART_MARK.search(before) or (whole is not None and fig.unit and whole["unit"] == fig.unit) \
            or _PART_CLAUSE.match(clause, 0, fig.start):
        return "part"
    return "total" if TOTAL_MARK.search(before) else ""


_DAY_BEFORE = re.compile(r"(?:较|比)(?:前一日|前一天|上一日|昨日)\s*[（(]")


def _day_before(as_of: str, published: str | None) -> str | None:
    """"截至3月1日24时" -> "2月29日" (the year from the publication date, 2020 when unknown)."""
    m = re.search(r"(\d{1,2})月(\d{1,2})日", as_of)
    if not m:
        return None
    year = int(published[:4]) if published and re.match(r"\d{4}", published) else 2020
    try:
        d = date(year, int(m.group(1)), int(m.group(2))) - timedelta(days=1)
    except ValueError:
        return None
    return f"{d.month}月{d.day}日"


def figure_time(
    sentence: str, fig: Figure, ctx: Context, inherited: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """(as_of, period): the sentence's time phrase before the figure, else the one carried over from a
    ；-chained sentence before, else the article's publication date."""
    before_day = _DAY_BEFORE.search(sentence, 0, fig.start)
    if before_day and before_day.end() == fig.start:
        # "集中隔离医学观察286人，较前一日（320人）减少34人": 320人 is of the day before the sentence's
        as_of, _ = time_phrase(sentence, before_day.start())
        as_of = as_of or inherited[0]
        day = _day_before(as_of or "", ctx.published)
        if day:
            return day, None
    compared = compared_time(sentence, fig)
    if compared:
        # "比1—2月的下降17.9%": months compared with are the value's period, a day its as-of.
        return (None, compared) if months_of(compared) and "日" not in compared else (compared, None)
    as_of, period = time_phrase(sentence, fig.start)
    if as_of is None and period is None:
        as_of, period = inherited
    if as_of is None and period is None and ctx.published:
        as_of = f"{ctx.published}（发布日）"
    return as_of, period


def read_sentence(
    sentence: str, ctx: Context, inherited_time: tuple[str | None, str | None] = (None, None),
    statement: bool = True,
) -> list[Row]:
    """One row per figure of the sentence, in text order: the key-figure reading where a metric can be
    read (only in a `statement`, not a headline), else metric "" with the same place and time rules."""
    figs = parse_figures(sentence)
    if not figs:
        return []
    read = {r.figure.start: r for r in sentence_rows(sentence, ctx, inherited_time, figs)} if statement else {}
    clauses = clause_spans(sentence) or [(0, len(sentence))]
    orgs = org_spans(sentence)
    openings = clause_openings(sentence, clauses, orgs, ctx)
    sentence_place: str | None = None
    if len(read) < len(figs):
        cands = [f for f in figs if is_key_candidate(f, sentence)] or figs
        first = clauses[0]
        sentence_place = actor_place(sentence, first[0], min(first[1], cands[0].start), orgs, ctx, at_start_only=True)
    out = []
    for fig in figs:
        if fig.start in read:
            out.append(read[fig.start])
            continue
        c0, c1 = next(((a, b) for a, b in clauses if a <= fig.start < b), (0, len(sentence)))
        place = figure_place(sentence, c0, fig, figs, orgs, ctx) or carried_place(openings, c0) or sentence_place \
            or default_place(ctx)
        as_of, period = figure_time(sentence, fig, ctx, inherited_time)
        out.append(Row(place, "", fig, as_of, period, place, c0, max(c1, fig.end)))
    return out


# --------------------------------------------------------------------------- a bulletin


def article_context(art: Article) -> Context:
    # A county's or district's 全市 is its own prefecture's ("襄垣县…高于全市94.2%": 长治市), never another city
    # the article names first (北京 as a destination).
    subject = gz.place(art.places[0]) if art.places else None
    own = _enclosing(subject.name, "市") if subject is not None and subject.kind in ("县", "区") else None
    city = own or gz.resolve_reference("我市", art.places) or ""
    return Context(subject_place=art.places[0] if art.places else "", city=city, published=art.published)


def is_statement(sentence: str) -> bool:
    """A headline (short, no closing punctuation) repeats figures of the body: no metric of its own; a data
    card's "已复工：181家" is the figure's own statement."""
    return sentence[-1] in "。！!；;”" or len(sentence) > 60 or bool(LABEL_VALUE.match(sentence))


_FIRST_PERSON = re.compile(r"我们|咱们")


def speaking_place(sentence: str, local: dict[str, str], subject: str) -> str | None:
    """The place inside the article's that says "我们" here: a district's speaker in a city's press
    conference (local_places found it by the speaker's label), or None."""
    if not local:
        return None
    # ... or one whose own 全区/本区 the sentence says ("【刘海涛】全区个体工商户3.86万户，已复业3.12万户").
    names = list(local.values()) if _FIRST_PERSON.search(sentence) else [
        name for kind, name in local.items() if any(w in sentence for w in gz.REFERENCES.get(kind, ()))]
    return next((name for name in names if name != subject and (p := gz.place(name)) and subject in p.parents), None)


SAME_DAY = re.compile(r"\s*(?:截至|截止)?(?:同日|当日|当天|同一天|同期|同一时间|同一时点)(?:[，,]|(?=[\u4e00-\u9fff]))")


# A table whose first column names places ("地区｜2月21日累计确诊｜…"); its 合计 row is the whole.
_PLACE_COLUMN = re.compile(r"\s*(?:地区|地方|区域|县区|县（市、区）|县\(市、区\)|县（区）|县（市）|市州|地市|城市|各地)\s*$")
_WHOLE_ROW = re.compile(r"\s*(?:合计|总计|小计|全[省市区县州盟旗]|总体|全部)\s*$")


def unknown_row_place(text: str, line: int, sentence: str) -> str:
    """The first cell of a table row under a place column when the gazetteer knows no place in it ("巴州" for
    巴音郭楞): the row is that place's, not the article's. "" for any other row."""
    if not TABLE_ROW.match(sentence.strip()):
        return ""
    first = re.split(r"[|｜]", sentence.strip(), maxsplit=1)[0].strip()
    if not first or _WHOLE_ROW.fullmatch(first) or _PLACE_COLUMN.fullmatch(first) or place_words(first):
        return ""
    header = line
    while header > 0:  # up the table to its header row
        above = text.rfind("\n", 0, header - 1) + 1
        if not TABLE_ROW.match(text[above : header - 1].strip()):
            break
        header = above
    end = text.find("\n", header)
    head = re.split(r"[|｜]", text[header : end if end >= 0 else len(text)], maxsplit=1)[0]
    return first if _PLACE_COLUMN.fullmatch(head) else ""


# A company's spokesperson opening a sentence: what follows is the company's ("江苏海安鑫宇家纺有限公司总经理沈建华
# 说，企业…前4个月出口额达到1.28亿元").
ORG_SPEAKS = re.compile(r"[”\s]*([\u4e00-\u9fff]{2,20}(?:有限公司|公司|集团|合作社|工厂|厂))"
                        r"[\u4e00-\u9fff]{0,10}?(?:说|表示|介绍|告诉记者)[，,：:]"
                        # ... or a story's "这家企业今年新招了48名工人，已申领以工代训补贴6.2万元"
                        r"|[”\s]*((?:这|该|此)(?:家|个)?(?:企业|公司|工厂|厂|合作社|商户|门店))")


# A venue opening a sentence with its county in brackets: "大鹿岛景区（东港市）于5月1日起恢复登岛".
LOCATED_VENUE = re.compile(r"\s*([\u4e00-\u9fff]{2,12}?(?:景区|纪念馆|博物馆|公园|度假区|古镇|古城|园区|基地))[（(]")


def article_facts(doc_id: str, original: str, clean: CleanText, art: Article) -> list[FigureFact]:
    text = clean.text
    ctx = article_context(art)
    out: list[FigureFact] = []
    carried: tuple[str | None, str | None] = (None, None)
    para_period: str | None = None  # the months opening the paragraph ("1—3月，…")
    prev_end = -1
    chain_place: str | None = None  # the place a ；-chain's sentences named, for a link that names none
    for s, e in split_sentences(text[art.clean_start : art.clean_end], base=art.clean_start):
        sentence = text[s:e]
        line = text.rfind("\n", 0, s) + 1
        chained = prev_end > 0 and text[prev_end - 1] in "；;" and "\n" not in text[prev_end:s]
        names_place = bool(place_words(sentence))
        if not chained or names_place:
            chain_place = None
        # A 截至… carries over only along a run of ；-chained sentences in one paragraph.
        if not chained:
            # ... and months that open a paragraph ("前4个月，全市以一般贸易方式进出口…。民营企业进出口498.6亿元")
            # along the whole paragraph
            carried = (None, para_period) if para_period and line < prev_end else (None, None)
        opening = leading_time(sentence)
        if line >= prev_end:  # the paragraph's first sentence
            para_period = opening[1] if opening and opening[0] is None else None
        elif opening and opening[0] is None and opening[1] and para_period is None:
            # "答：…。1—5月，二连浩特口岸…。经二连浩特口岸出入境的中欧班列1026列": 1—5月's too, in a paragraph that
            # opened with no months (not "1—3月，…；3月份当月增长2.7%…。分行业看，…": those stay 1—3月's)
            para_period = opening[1]
        if SAME_DAY.match(sentence) and carried == (None, None):
            # "截至3月3日24时，…。同日，全省累计报告确诊病例631例": the paragraph's day (its last 截至…, not "已于2月19日
            # 治愈出院" after it)
            days = [m for m in TIME.finditer(text, line, s) if m["date"]]
            days = [m for m in days if m["upto"]] or days
            carried = (re.sub(r"\s+", "", days[-1].group()), None) if days else carried
        parts = answer_clauses(sentence, 0, len(sentence))
        local = local_places(text, s)
        sctx = replace(ctx, local=local) if local else ctx
        inner = speaking_place(sentence, local, ctx.subject_place)
        if inner:
            sctx = replace(sctx, subject_place=inner)  # "我们从河北…接回员工3200余人" by 武清区副区长韩德林
        elif (label := PLACE_LABEL.match(text, line)) and (
                labelled := _label_place(label.group(1) or label.group(2), not label.group(1))):
            # "▲都兰县：全县枸杞加工企业14家，已复工12家": every figure of the line is the labelled place's
            sctx = replace(sctx, subject_place=labelled.name)
        town = (m.group(1) if (m := TOWN_LABEL.match(text, line)) else "") or speaker_town(text, s)
        row_place = unknown_row_place(text, line, sentence)
        org_speaks = ORG_SPEAKS.match(sentence)
        venue = LOCATED_VENUE.match(sentence)
        n_before = len(out)
        for r in read_sentence(sentence, sctx, carried, statement=is_statement(sentence)):
            if row_place:
                r = replace(r, place=row_place)  # "巴州｜3例｜…" under "地区｜…": 巴州's, whatever the gazetteer knows
            if org_speaks and r.figure.start >= org_speaks.end():
                # "…家纺有限公司总经理沈建华说，…前4个月出口额达到1.28亿元": the company's, not the city's
                r = replace(r, place="", subject=org_speaks.group(1) or org_speaks.group(2))
            elif venue and r.subject in ("", r.place):
                # "大鹿岛景区（东港市）…接待游客1.18万人次": the venue's count, in 东港市 (not all of 东港市's)
                r = replace(r, subject=venue.group(1))
            if chain_place and r.place == sctx.subject_place:
                r = replace(r, place=chain_place)  # "经二连浩特口岸…中欧班列1026列…；5月份通行268列": 二连浩特's
            if town and not any(w.word not in gz.REFERENCE_WORDS for w in place_words(sentence[: r.figure.start])):
                # "化处镇：全镇韭黄种植面积6800亩，春节以来销售韭黄3900吨" is the town's (the gazetteer has no towns)
                r = replace(r, place=town)
            start, end = clean.to_original(s + r.start, s + r.end)
            a0, _ = next(((a, b) for a, b in parts if a <= r.figure.start < b), (0, 0))
            out.append(FigureFact(
                doc_id=doc_id, article=art.index, figure=with_offset(r.figure, s), metric=r.metric,
                subject=r.subject, counted=r.counted, place=r.place, as_of=r.as_of, period=r.period,
                sentence=(s, e), clause=(s + r.start, s + r.end), start=start, end=end, quote=original[start:end],
                part=figure_part(sentence[a0:], with_offset(r.figure, -a0)),
            ))
        carried = opening or carried
        if names_place and len(out) > n_before and out[n_before].place not in ("", sctx.subject_place):
            chain_place = out[n_before].place  # the place of the sentence's first figure
        prev_end = e
    return out


def build_facts(doc_id: str, original: str, clean: CleanText, articles: list[Article]) -> list[FigureFact]:
    """Every figure of a bulletin as a FigureFact, in document order."""
    return [f for art in articles for f in article_facts(doc_id, original, clean, art)]
