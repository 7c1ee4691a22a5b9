"""The embedded default answerer: no model, no key. It picks the clause of a retrieved sentence that
answers the question's shape (a figure with the asked unit, a date, a phone number, a person's name, the
place or organisation of the kind asked), prefers the place and date the question names, and quotes it.
When no retrieved sentence supports an answer it abstains and states no figure.

How a sentence is scored: coverage of the question's topic (bigrams inside its words, weighted by how
rare they are in the bulletins), with the heading, the speaker of a press-conference answer and up to
CONTEXT_CHARS before the sentence as half-weight context; the place and date it names; and how close
the topic words stand to the figure, within its own list item. Reading rules pick the figure inside a
sentence: "A、B分别达X、Y" gives B's figure Y; "由80%提升到90%" gives 90%; a date opening the sentence
dates what follows it, an embedded one only its clause; a per-day figure answers per-day questions; a
count with a modifier the question lacks ("解除隔离109人") is another metric, and one the question asks
for but the sentence never states ("解除") cannot answer; a date of preparations ("复课准备工作") does
not date the event; a question's year rules out a bulletin of another year. Rules and weights were
chosen on evals/facts.yaml and evals/tuning.yaml; evals/heldout.yaml measures them on unseen questions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from service import guard
from service.chat import scoring
from service.chat.figure_slots import (
    date_agreement,
    fact_asked,
    figure_day,
    months_agreement,
    period_agreement,
    place_agreement,
    several_days,
    span_asked,
    stale_figure,
    superseded,
)
from service.chat.models import Citation
from service.chat.tables import row_cells, with_cell_unit
from service.citations import Passage, attribution_after, bulletin_sentences, make_citation, sentences_of
from service.facts.reading import (
    CHANGE_AFTER_VALUE,
    CHANGE_VERBS,
    HEADING_LINE,
    PERIOD_ONLY,
    figure_part,
    local_places,
    place_words,
    speaking_place,
)
from service.figures import Figure, matches, parse_figures, with_offset
from service.intent import (
    COMPARED_MONTHS,
    KINDS,
    SYNONYMS,
    UNIT_AFTER_ASK,
    Intent,
    ask_form,
    asked_noun,
    asked_place,
    asks_duration,
    asks_rate,
    counts_other,
    expand_question,
    figures_of,
    fits,
    misses_kind,
    names_other_kind,
    parse_intent,
    place_score,
    places_in,
    written_form,
)
from service.names import NameSpan, asked_kind, entity_names, person_names
from vectorstore import places as gz
from vectorstore.chunking import clause_spans
from vectorstore.cleaning import FIGURE_LINE, fold_all, split_sentences, squash
from vectorstore.lexical import words

if TYPE_CHECKING:
    from service.chat.parts import Part

ABSTAIN_TEXT = "公报中没有找到能回答这个问题的内容。"
# Words that carry no topic: question words, fillers, time words. Removing them leaves the metric.
_QUESTION_NOISE = re.compile(
    r"多少|几|哪天|哪一天|何时|什么时候|什么|是谁|谁|哪位|哪家|哪个|哪些|是否|有没有|一共|总共|共计|累计|"
    r"目前|截至|截止|现在|当时|期间|左右|请问|一下|情况|数量|多大|多长|是|的|了|吗|呢|"
    # colloquial asks: adverbs, "this part", verb complements the bulletins' written style leaves out
    r"具体|大概|大约|大致|到底|究竟|麻烦|想问|问下|想知道|请教|这块|这边|那边|当天|当日|那天|这天|那一天|这一天|这次|本次|这回|"
    r"出来|下来|下去|起来|出去|过来|(?<=[日号])一天|"  # "2月22号一天新增…": that day
    r"(?:前|头)(?:两|三|四|五|[2-9])个月|"  # months, which the figure's period answers (前两个月 is 1—2月)
    r"\d{4}年|\d{1,2}月\d{1,2}[日号]|(?<=[至到—－-])\d{1,2}[日号]|那一周|那周|\d{1,2}[时点](?:\d{1,2}分)?|\d{1,2}月份?|[？?。，,、！!：:\s]"
)


def _without_places(q: str) -> str:
    """Place names in any spelling ("定州市", "定州", "高新区") out of a question: the place is scored
    apart, not as topic."""
    for m in reversed(gz.gazetteer().mentions(q, loose=True)):
        end = m.end + (1 if q[m.end : m.end + 1] in ("市", "县", "区", "省") and m.surface != m.place.name else 0)
        q = q[: m.start] + " " + q[end:]
    return q
# "（不限于规上企业）": a narrower group the question does not ask about; not topic, and a clause about
# only that group answers a different question.
_NOT_LIMITED = re.compile(r"[（(]?(?:不限于|不仅限于|不只是|不仅是|不止|包括但不限于)([^）)，,？?]{2,12})[）)]?")
# "不算降费，…新增减税是多少": a clause counting the left-out part too (新增减税降费4.62亿元) is not the answer.
_NOT_COUNTED = re.compile(r"(?:不算|不含|不包含|不包括|除去|扣除|刨去|去掉)([\u4e00-\u9fff]{2,8}?)(?=[，,的以之外]|$)")


# "规模以下工业企业复工率" answers no question about 规上 (规模以上) firms, nor the other way round.
_ABOVE_SCALE = re.compile(r"规上|规模以上")
_BELOW_SCALE = re.compile(r"规下|规模以下")


def opposite_scale(question: str, clause: str) -> bool:
    """The clause is about firms of the other size than the question asks (规模以下 for 规上)."""
    above, below = bool(_ABOVE_SCALE.search(question)), bool(_BELOW_SCALE.search(question))
    if above == below:
        return False  # neither size asked, or both
    if above:
        return bool(_BELOW_SCALE.search(clause))
    return bool(_ABOVE_SCALE.search(clause)) and not _BELOW_SCALE.search(clause)


def _scale_scope(text: str, s: int, at: int, before: str) -> str:
    """What says the size of the firms a figure counts: its clause before it, or when that names no size, the
    sentence before it ("1864家规下工业企业已复工1712家，复工率91.8%，高于全市89.5%": 规下 too)."""
    if _ABOVE_SCALE.search(before) or _BELOW_SCALE.search(before):
        return before
    return text[s:at] + before


def excluded_terms(question: str) -> list[str]:
    """"工业企业（不限于规上企业）" -> ["规上企业", "规模以上企业"], "不算降费，…" -> ["降费"]: wordings of the
    group not asked."""
    out = []
    for m in [*_NOT_LIMITED.finditer(fold_all(question)), *_NOT_COUNTED.finditer(fold_all(question))]:
        term = m.group(1)
        out.append(term)
        for k, v in SYNONYMS:
            if k in term:
                out.append(term.replace(k, v))
    return out


# "多少家": the asked unit, which fits() checks; it is not the topic. "多少人员" keeps its noun.
_ASKED_UNIT = re.compile(UNIT_AFTER_ASK.pattern + "(?![员数口群])")
# One-character words that say nothing about the metric ("有多少人" leaves "有").
_FILLER_CHARS = set("有在和与及为被把对又也都就要会能中")
# A person candidate holds a name found by service.names, stronger evidence than a bare sentence.
MIN_COVERAGE = {"figure": 0.34, "percent": 0.34, "date": 0.3, "phone": 0.2, "name": 0.45, "person": 0.34, "text": 0.45}
CONTEXT_CHARS = 100  # characters before a sentence that may say what it is about
NAME_CONTEXT_CHARS = 200  # ... for a 谁 question: a press conference's question is the paragraph before
WINDOW = 10  # characters either side of a figure that should name the asked metric


@dataclass
class Candidate:
    passage: Passage
    sent: tuple[int, int]  # cleaned offsets of the sentence
    clause: tuple[int, int]  # cleaned offsets of the answering clause
    figure: Figure | None
    features: dict[str, float]  # see service.chat.scoring.FEATURES
    coverage: float
    consistent: bool  # place and date of the sentence do not contradict the question
    name: str | None = None  # the person a 谁/哪位 question asks for
    item: str | None = None  # the item before 分别 whose figure this is ("规模以上服务业企业")
    score: float = 0.0  # weights . features (service.chat.scoring)


@dataclass
class ExtractiveResult:
    answer: str
    citations: list[Citation]
    abstained: bool
    figure: str | None = None
    coverage: float = 0.0
    confidence: float | None = None  # P(the answer answers the question), from the fitted model
    answers_question: bool = False  # confident enough to state a figure; False: evidence only
    stated_at: tuple[str, int] | None = None  # (doc_id, cleaned offset) of the figure stated


CROSS_WORD_WEIGHT = 0.5
SINGLE_CHAR_WEIGHT = 0.5  # "划了几个管控区": a one-character verb says less than 管控


def topic_bigrams(question: str, places: list[str]) -> dict[str, float]:
    """The question's topic as weighted character bigrams, less question words and places. A bigram
    inside one of the question's words (jieba) weighs 1; one across a word boundary ("次密接者" ->
    "次密", "多少份核酸" -> "份核") weighs CROSS_WORD_WEIGHT: it sometimes tells similar metrics apart,
    but more often only dilutes the coverage of a paraphrase."""
    q = fold_all(question)
    q = _NOT_LIMITED.sub(" ", q)
    q = _without_places(q)
    for p in places:
        q = q.replace(p, " ")
    q = _ASKED_UNIT.sub(" ", q)  # "多少家" asks for a unit, which fits() checks; it is not the topic
    grams: dict[str, float] = {}
    for run in re.findall(r"[\u3400-\u9fffA-Za-z0-9]+", _QUESTION_NOISE.sub(" ", q)):
        if len(run) == 1:
            if run not in _FILLER_CHARS:
                grams.setdefault(run, SINGLE_CHAR_WEIGHT)
            continue
        inside: set[int] = set()  # start offsets of the bigrams inside a word
        pos = 0
        for word in words(run):
            inside |= set(range(pos, pos + len(word) - 1))
            pos += len(word)
        for i in range(len(run) - 1):
            w = 1.0 if i in inside else CROSS_WORD_WEIGHT
            grams[run[i : i + 2]] = max(grams.get(run[i : i + 2], 0.0), w)
    return grams


class Topic(tuple):
    """The question's topic bigrams, as asked and with staff shorthand replaced by the bulletins' wording
    (密接 -> 密切接触者); a text covers the topic as well as it covers either wording."""


_RANGE_TO = re.compile(r"(?<=[一二三四五六七八九十\d])到(?=[一二三四五六七八九十\d])")
_ASK_BETWEEN = re.compile(r"(?<=[\u4e00-\u9fff])了?(?:多少|几)(?=[\u4e00-\u9fff])(?!"
                          + UNIT_AFTER_ASK.pattern.removeprefix("(?:多少|几)") + ")")  # not before a unit: 多少亩


def make_topic(question: str, places: list[str], passages: list[Passage] | None = None) -> Topic:
    swaps = [(k, v) for k, v in SYNONYMS if k in question and v not in question.replace(k, "")]
    wordings: dict[str, list[str]] = {}
    for k, v in swaps:
        wordings.setdefault(k, []).append(v)
    # Every word swapped, each word's n-th wording in the n-th form ("到成都的班车…发了多少人" is written "班线发送"
    # as well as "班线发放")
    swapped = []
    for n in range(max((len(vs) for vs in wordings.values()), default=1)):
        form = question
        for k, vs in wordings.items():
            form = form.replace(k, vs[min(n, len(vs) - 1)])
        swapped.append(form)
    # One wording swapped at a time too: "瑞昌经开区…规上企业" is written "瑞昌经济开发区规上工业企业".
    singles = [question.replace(k, v) for k, v in swaps] if len(swaps) > 1 else []
    # "府谷县每天产多少煤" is written "日均产煤": the words either side of 多少 read as one too; "四到六年级" is
    # written "四至六年级"
    asked = (question, *swapped, *singles)
    asked = (*asked, *(r for q in asked if (r := _RANGE_TO.sub("至", q)) != q))
    topics = tuple(topic_bigrams(q, places) for q in dict.fromkeys((*asked, *(_ASK_BETWEEN.sub("", q) for q in asked))))
    if passages:
        topics = tuple(_idf_weighted(t, passages) for t in topics)
    return Topic(topics)


@lru_cache(maxsize=32)
def _sentence_df(doc_id: str, text: str) -> tuple[Counter, int]:
    """In how many sentences of a bulletin each bigram occurs, and how many sentences it has."""
    df: Counter = Counter()
    spans = bulletin_sentences(text)
    for s, e in spans:
        t = squash(text[s:e])
        df.update({t[i : i + 2] for i in range(len(t) - 1)})
    return df, len(spans)


def _doc_freq(grams: dict[str, float], passages: list[Passage]) -> tuple[Counter, int]:
    df: Counter = Counter()
    n = 0
    for doc_id, p in {p.chunk.doc_id: p for p in passages}.items():
        d, k = _sentence_df(doc_id, p.clean.text)
        df.update({g: d[g] for g in grams if d[g]})
        n += k
    return df, n


def _idf_weighted(grams: dict[str, float], passages: list[Passage]) -> dict[str, float]:
    """Rare words weigh more: "金隅冀东" names one company, "医疗废物" a whole article. A bigram the
    bulletins never use (a paraphrase's own wording) weighs as a word in 1% of sentences would."""
    df, n = _doc_freq(grams, passages)
    if not n:
        return grams
    return {g: w * math.log((n + 1) / ((df[g] or 0.01 * n) + 1)) for g, w in grams.items()}


# squash folds character by character in Python; the same sentences and clauses are covered again and again
# (~70k coverage calls for 80 questions, 95% of their time in squash before this cache).
_squashed = lru_cache(maxsize=16384)(squash)


def _coverage(topic: Topic | dict[str, float], text: str) -> float:
    if isinstance(topic, Topic):
        s = _squashed(text)
        return max(_coverage(g, s) for g in topic)
    total = sum(topic.values())
    if total <= 0:
        return 0.0  # no topic, or only words every sentence has (IDF 0)
    s = _squashed(text)
    return sum(w for g, w in topic.items() if g in s) / total


# A month compared with and no value of it given ("比3月份提高21.7个百分点"; "比3月份（下降6.2%）" gives March's)
_COMPARED_ONLY = re.compile(rf"(?:{COMPARED_MONTHS.pattern})(?!份?[（(的])")


def _date_fit(intent: Intent, text: str, figures: tuple[Figure, ...]) -> int:
    """+1 the sentence states an asked date/month, -1 it states only other dates, 0 no opinion."""
    if not intent.dates and not intent.months:
        return 0
    figs = [f for f in figures if f.kind == "date"]
    t = squash(text)
    if any(f"{m}月{d}日" in t for _, m, d in intent.dates) or any(f"{m}月" in _COMPARED_ONLY.sub("", t) for m in intent.months):
        return 1
    if any(d >= 28 and (f"{m}月底" in t or f"{m}月末" in t) for _, m, d in intent.dates):
        return 1  # "截至2月底" asked, and stated so
    if any(re.search(rf"(?:截至|截止)(?<![月\d]){d}日", t) for _, m, d in intent.dates):
        return 1  # "4月18日…。截至20日，…": the day asked, of the month named before it
    if intent.months and figs:
        return -1
    return -1 if figs and intent.dates and not intent.months else 0


_FIRST_UNIT = {"天": "日"}  # 开学第一天 is 开学首日
_DESCRIPTIVE_COUNT = re.compile(r"[两二三四五六七八九十]个")
_ISSUE_UNITS = ("周", "期")  # "第12周" names the bulletin's week: said once, in its opening


def _states_question_figures(intent: Intent, figs: tuple[Figure, ...], text: str = "", whole: str | None = None) -> bool:
    """A question stating "第十一场" or "9家超市" is about a sentence that states them too (or the text
    just before it: "…第七次会议，…；研究成立…指挥部有关事宜；"). "二次体检" states "第二次体检", "首期消费券"
    "第一期"; a week or issue (第12周) the bulletin names anywhere (`whole`) is its own."""
    asked = [q for q in intent.figures if not _DESCRIPTIVE_COUNT.fullmatch(q.text)]  # "市区四个区加起来": no figure asked
    return all(any(_same_figure(q, f) for f in figs)
               or (q.kind == "ordinal" and q.value == 1 and q.unit and f"首{_FIRST_UNIT.get(q.unit, q.unit)}" in text)
               or (q.kind == "ordinal" and q.unit in _ISSUE_UNITS and whole is not None and q.text in whole)
               for q in asked)


def _same_figure(a: Figure, b: Figure) -> bool:
    if matches(a, b) or matches(b, a):
        return True
    counts = {"number", "ordinal"}
    return a.kind in counts and b.kind in counts and a.value == b.value and a.unit == b.unit


def _echoes_question(intent: Intent, fig: Figure) -> bool:
    return any(matches(q, fig) or matches(fig, q) for q in intent.figures)


_NEXT_FIGURE = re.compile(r"[\u4e00-\u9fff]{2,}\d")  # words, then the next figure
_ITEM_BREAK = re.compile(r"[、，,；;。]|(?<=[\d万亿%个只人家吨元支])(?:和|及|与)")


def _proximity(grams: Topic | dict[str, float], text: str, fig: Figure | NameSpan) -> float:
    """Topic bigrams named right around the figure ("库存448万只", "23个交通卡点"), nearer counts more."""
    if isinstance(grams, Topic):
        return max(_proximity(g, text, fig) for g in grams)
    if sum(grams.values()) <= 0:
        return 0.0
    # A list item ends at 和/及/、: in "党员志愿队115支和宣传队117支" 宣传队 belongs to 117支 only.
    before = _ITEM_BREAK.split(squash(text[max(0, fig.start - 2 * WINDOW) : fig.start]))[-1][-WINDOW:]
    after = _ITEM_BREAK.split(re.sub(r"^(?:和|及|与)", "，", squash(text[fig.end : fig.end + 2 * WINDOW])))[0][:WINDOW]
    if isinstance(fig, Figure) and fig.kind == "percent" and _NEXT_FIGURE.match(after):
        # "贴息50%后企业实际融资成本1.43%": the words before the next figure are its label (a percent takes no
        # noun after it, as "2个高速口检查站" does)
        after = ""
    total = 0.0
    for g, w in grams.items():
        dists = []
        i = before.rfind(g)
        if i >= 0:
            dists.append(len(before) - (i + len(g)))
        j = after.find(g)
        if j >= 0:
            dists.append(j)
        if dists:
            total += w * (1.0 - min(dists) / (WINDOW + 1))
    return total / sum(grams.values())


# "全国其他省份（不含湖北）新增确诊病例381例" is not 湖北's figure: a place it leaves out is not named.
_LEFT_OUT = re.compile(r"[（(]?(?:不含|不包括|不计|除去?)[^（）()，,。；;]{1,16}?(?:[）)]|以外|之外|外)")


# A figure whose scope is the country ("全国累计…", "31个省（自治区、直辖市）…累计报告…"); not "学习传达全国、
# 全省防控工作会议精神", which only names a meeting.
_NATIONAL = re.compile(r"31个省|全国(?:累计|新增|现有|共|其他|各地|范围)")


_ASKS_NATIONAL = re.compile(r"(?<![除含括计])全国(?!各地|性|人民|的?支援|两会|[、和与]?全省)")


def _names(text: str, place: str) -> bool:
    return place != "全国" and any(f in text for f in gz.forms_of(place))


def _leaves_out(text: str, place: str) -> bool:
    return any(f in m.group() for m in _LEFT_OUT.finditer(text) for f in gz.forms_of(place))


def _place_context(p: Passage, s: int, e: int) -> str:
    """The sentence, or when it names no place, the nearest earlier sentence of its paragraph that does
    ("该区集中隔离点…" follows a sentence about 示范区); places it leaves out ("不含湖北") blanked. Its
    全市/全县 stands for the nearer place it means there (service.facts.reading.local_places): under
    "【乐清市副市长 周文斌】", "全市规上工业企业1548家" is 乐清市's, not the bulletin's 温州市."""
    text = p.clean.text
    own = _LEFT_OUT.sub("", text[s:e])
    if own != text[s:e]:
        return own  # it names what it leaves out, so it is not about an earlier sentence's place
    speaking = speaking_place(own, local_places(text, s), p.chunk.places[0]) if p.chunk.places else None
    if speaking:
        return speaking + own  # "我们从河北…接回员工" said by 武清区副区长: 武清区's, not 河北's
    if places_in(own) or gz.references(own):
        return _local_names(text, s, own) + own
    para_start = text.rfind("\n", 0, s) + 1
    for ps, pe in reversed(split_sentences(text[para_start:s], base=para_start)):
        if places_in(text[ps:pe]):
            return _local_names(text, ps, text[ps:pe]) + text[ps:pe] + own
    return own


# "全镇/本镇/我镇/该镇" (乡, 街道): the town named in its paragraph or the headline above, else the town the
# bulletin is about ("泽国镇…情况的汇报…全镇共设置卡口86个").
_TOWN_NAMED = re.compile(r"(?<![各全本该我每乡城])([\u4e00-\u9fff]{2})(?:镇|乡(?![人村亲镇下土里])|街道)(?!长|政府|党委|人大)")
OPENING_CHARS = 300  # a town report names its town in the heading lines


@lru_cache(maxsize=64)
def _towns_named(text: str) -> Counter:
    """The towns a bulletin names, with how often: a name named twice, or right after its county ("温岭市泽国镇");
    not "外来及返乡人员", "业跨镇"."""
    found = list(_TOWN_NAMED.finditer(text))
    counts = Counter(m.group(1) for m in found)
    after_county = {m.group(1) for m in found if text[m.start() - 1 : m.start()] in ("市", "县", "区", "旗")}
    return Counter({t: n for t, n in counts.items() if (n > 1 or t in after_county) and t[-1] not in "全本该我各每"})


@lru_cache(maxsize=64)
def _own_town(text: str) -> str:
    """The town a bulletin is a report of: named in its opening lines and the town it names most (more than
    twice); "泽国镇是温岭市工业强镇" names 泽国, not 业强."""
    counts = _towns_named(text)
    if not counts:
        return ""
    town, n = counts.most_common(1)[0]
    # "记者蹲点郎岱镇、落别乡见闻" opens a county's report on two towns: neither is the report's own. The town
    # is named in a headline: a district's 发布会 whose lead names "喇嘛甸镇镇长韩立新" among its speakers is not
    # the town's report.
    opening = [t for t in counts if t in text[:OPENING_CHARS]]
    headlines = "".join(m.group() for m in HEADING_LINE.finditer(text, 0, OPENING_CHARS))
    return town if n > 2 and opening == [town] and town in headlines else ""


def _town_stem(town: str) -> str:
    """The two characters before a town's suffix, as _towns_named keys it: 莫格 of 莫莫格乡, 黄口 of 崔黄口镇."""
    return re.sub(r"(?:镇|乡|街道|新区|管理区)$", "", town)[-2:]


_OWN_TOWN_WORD = re.compile(r"全(?:乡|镇)|本(?:乡|镇)")


def _about_town(text: str, s: int, e: int, place_context: str, town: str) -> bool:
    """The sentence text[s:e] is about the asked town: it (or its context) names it, it is of the town its
    paragraph is about, or it says 全乡/本镇 in a paragraph that names the town ("莫莫格蒙古族乡…。全乡组织…")."""
    if town[:2] in place_context or _town_meant(text, s) in (town[:2], _town_stem(town)):
        return True
    if town.endswith(("新区", "管理区")) and town[:2] in text[text.rfind("\n", 0, s) + 1 : e]:
        return True  # "江东新区完成投资增长38.6%；3月18日，新区集中开工项目26个": the zone its paragraph names
    return bool(_OWN_TOWN_WORD.search(text, s, e)) and town[:2] in text[text.rfind("\n", 0, s) + 1 : e]


def _fact_of_town(p: Passage, start: int, towns: list[str]) -> bool:
    """The figure's fact reads it as the asked town's ("喇嘛甸镇镇长…：全镇…")."""
    fact = p.facts.at(start) if p.facts is not None else None
    return fact is not None and len(towns) == 1 and fact.place[:2] == towns[0][:2]


def _names_scope(text: str, place: str) -> bool:
    """The text names the place, or a 全市/全县/本区 (no 全镇) that may mean it."""
    return _names(text, place) or any(not r.endswith(("镇", "乡", "街道")) for r in gz.references(text))


def _town_meant(text: str, s: int) -> str:
    """The first two characters of the town a sentence is about when it names none, or "": its 全镇 (本乡,
    该街道), or any figure of a town's own report."""
    para = text.rfind("\n", 0, s) + 1
    heading = text.rfind("\n", 0, max(para - 1, 0)) + 1
    known = _towns_named(text)
    for m in reversed(list(_TOWN_NAMED.finditer(text, heading, s))):
        if m.group(1) in known and (m.start() >= para or HEADING_LINE.match(text, heading)):
            return m.group(1)  # named in its paragraph, or in the headline just above
    return _own_town(text)


def _local_names(text: str, s: int, sentence: str) -> str:
    """The nearer places the sentence's reference words mean, when it names no place itself."""
    refs = gz.references(sentence)
    if not refs or gz.find_places(sentence):
        return ""
    local = local_places(text, s)
    return "".join(local[k] for k in dict.fromkeys(gz.REFERENCE_WORDS[r] for r in refs) if k in local)


# A clause that is only a date (and a byline before it): "本报讯（记者郭树勋）2月29日下午，".
_DATE_ADVERBIAL = re.compile(
    r"^\s*(?:本报讯\s*[（(][^）)]*[）)])?\s*(?:自|从)?(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:[、和至到—-]\d{1,2}[日号])*"
    r"(?:上午|下午|晚上|晚间|晚|凌晨|中午|早上|以来|起|前后)?\s*[，,]?\s*$"
)
ADVERBIAL_PROXIMITY = 0.5


def _adverbial_scope(text: str, clauses: list[tuple[int, int]], k: int) -> str:
    """The clauses a sentence-opening date governs: up to the next clause that opens with a date."""
    end = clauses[k][1]
    for cs, ce in clauses[k + 1 :]:
        if _DATE_ADVERBIAL.match(text[cs:ce]) or re.match(r"\s*(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]", text[cs:ce]):
            break
        end = ce
    return text[clauses[k][0] : end]


_BYLINE = re.compile(r"(?:记者|通讯员)$")
_CHANGE_TO = re.compile(r"(?:提升|提高|增加|增长|上升|下降|降低|减少|扩大|缩小|下调|上调|调低|调高|压缩|缩短|延长|降|升|涨)(?:到|至)")
# A data card's "46个（上周：" ends the clause before last week's value ("27个）").
_CARD_BASE = re.compile(r"[（(]\s*(?:上周|上月|去年同期|上年同期)\s*[:：]\s*$")
# "比2月25日的" or "比3月18日（" before an earlier value; "（上周：" or "上周为" (a data card's or a sentence's last week).
_COMPARISON_BASE = re.compile(r"\s*(?:(?:比|较)[^，,；;。]{0,14}(?:的|[（(])|[（(]?\s*(?:上周|上月|去年同期|上年同期)\s*[:：为是]?)\s*$")
COMPARED_PROXIMITY = 0.5
# "目前达到", "现已提高到": a clause saying only that the metric before has now reached the figure
_NOW_REACHES = re.compile(r"\s*(?:目前|现在|当前|截至目前|如今)?(?:已经?|已)?(?:达到|达|提高到|提升到|增加到|增至|升至|恢复到)\s*")
# "比全省平均水平（", "高于全市（": a clause that opens by naming the place compared with
_COMPARED_OPENING = re.compile(r"\s*(?:比|较|高于|低于)(?:全|本)?[省市县区州国]")
# "分县区看，芗城区、龙文区、龙海市分别减征…，漳浦县减征2180万元。": a breakdown of the sentence before's metric.
_BREAKDOWN_OPENING = re.compile(r"(?:分|从|按)(?:县区|县（区）|县市区|县\(区\)|地区|区域|行业|产业|企业规模|类型|门类)(?:看|来看|分)?[，,]")
# "同比增长12.4%": a change, which "4月份可再生能源发电量有多少" (an amount, no change asked) is not answered by.
_CHANGE_BEFORE = re.compile(rf"(?:{CHANGE_VERBS}|回升)了?\s*$")
_ASKS_BEFORE = re.compile(r"之前|此前|以前|原来|原先|原本|由多少|从多少")


def _drop_before_values(question: str, clause: str, figs: list[Figure], clause_figs: tuple[Figure, ...],
                        compared_asked: bool = False) -> list[Figure]:
    """In "市场占有率由之前的80%提升到90%" the figure now is 90%; 80% answers only a question about before
    (or about the day the sentence compares with: "与2月14日24时相比，…由23例增加到25例")."""
    if compared_asked or _ASKS_BEFORE.search(question):
        return figs
    return [f for f in figs if not (_CHANGE_TO.match(clause, f.end) and any(g.start >= f.end for g in clause_figs))]


_SEGMENT_END = re.compile(r"[，,；;。！!？?]")
_OWN_PLACE = re.compile(r"^[全我本该][省市县区州旗](?=[\u4e00-\u9fff]{2})")


# What a clause did before its figure's noun: "全州共接待游客" is 游客, "实现旅游收入" 旅游收入
_ITEM_VERB = re.compile(r"^.*?(?:共|累计)?(?:接待|实现|完成|达到|发放|销售|运送|新增)")


def _clause_items(before: str, figs: list[Figure], n: int) -> list[str] | None:
    """"全州共接待游客58.3万人次，实现旅游收入3.72亿元，分别恢复到去年同期的58.6%和46.8%": 分别 opening its clause
    lists the metrics of the n clauses before it, one figure each (游客, 旅游收入); None when they are not so."""
    pieces, pos = [], 0
    for m in [*re.finditer(r"[，,；;]", before), None]:
        end = m.start() if m else len(before)
        pieces.append((pos, end))
        pos = end + 1
    pieces = [(a, b) for a, b in pieces if b > a][-n:]
    if len(pieces) != n:
        return None
    items = []
    for a, b in pieces:
        own = [f for f in figs if a <= f.start < b]
        if len(own) != 1:
            return None
        items.append(_ITEM_VERB.sub("", before[a : own[0].start]) or before[a : own[0].start])
    return items


def _respective_groups(sentence: str, figs: list[Figure]) -> tuple[list[str], list[str], list[list[Figure]]] | None:
    """"省、市重点项目开工复工率分别达100%、91%": the items before 分别 (as written, and the heads a question
    would name them by) and the groups of one figure per item after it, or None if it is no such list."""
    at = sentence.find("分别")
    if at < 0:
        return None
    figs = [f for f in figs if sentence[f.start - 1 : f.start] != "每"]  # "分别为每500克28.50元、…": 500克 is per what
    opening = re.sub(r"^\s*其中\s*", "", re.split(r"[，,；;：:]", sentence[:at])[-1])  # "其中东海县、灌南县分别…"
    items = re.split(r"[、和及与]", opening)
    first = _SEGMENT_END.search(sentence, at)
    n = len([f for f in figs if at <= f.start < (first.start() if first else len(sentence))])
    if not opening.strip() and n >= 2:
        items = _clause_items(sentence[:at], figs, n) or items
    if len(items) != n and len(re.split(r"、", opening)) == n:
        items = opening.split("、")  # "汽车及零部件、电子电器、新材料三大产业…": 及 inside an item's name
    if len(items) < 2 or not all(items):
        return None
    if 2 <= n < len(items):
        # "大通县、湟源县今年计划种植油菜、马铃薯等农作物分别为42万亩、18万亩": what the items share has a
        # list of its own; the items are the first ones, one a figure.
        items = [*items[: n - 1], "、".join(items[n - 1 :])]
    # "全县限额以上商贸企业和…", "霍山县限额以上…": the item, not its place
    named = gz.gazetteer().mentions(items[0])
    items[0] = _OWN_PLACE.sub("", items[0][named[0].end :] if named and named[0].start == 0 else items[0]) or items[0]
    # The last item runs into what all of them share: "稠城街道、福田街道、佛堂镇的规上工业企业分别…".
    last = items[-1].split("的")[0] or items[-1]
    heads = [*items[:-1], last[: max(1, len(items[-2]))]]
    groups: list[list[Figure]] = []
    pos = at
    while pos < len(sentence):
        m = _SEGMENT_END.search(sentence, pos)
        end = m.start() if m else len(sentence)
        seg = [f for f in figs if pos <= f.start < end]
        if len(seg) != len(items) or (groups and any(_mentions(sentence[pos:end], h) for h in heads)):
            break  # a clause naming the items again, or with another count, is not a continuation
        groups.append(seg)
        pos = end + 1
    return (items, heads, groups) if groups else None


def _respectively(question: str, sentence: str, figs: list[Figure],
                  all_figs: tuple[Figure, ...] | list[Figure] | None = None) -> tuple[list[Figure], dict[int, str], set[int]]:
    """The i-th item before 分别 has the i-th figure after it, and so has a clause after it giving one figure
    per item ("分别为73家和38家，已复工复业71家和35家"). When the question names exactly one item, only its
    figures answer: they are returned with the item (by figure start), the other items' figures dropped.
    When it names none, every item's figure is returned and also listed as a part it did not ask for
    (汽车's 98.1% of "汽车、新能源、电子信息三大主导产业…复工率分别为98.1%…" for "盐城规上企业复工率")."""
    # The list's clauses are read with all their figures: "分别复工1286家、348家，复工率分别为93.5%、76.2%"
    # maps the rates even when only percents answer.
    found = _respective_groups(sentence, list(all_figs) if all_figs is not None else figs)
    if found is None:
        return figs, {}, set()
    items, heads, groups = found
    wanted = {f.start for f in figs}
    groups = [[f for f in g if f.start in wanted] for g in groups]
    groups = [g for g in groups if len(g) == len(items)]
    if not groups:
        return figs, {}, set()
    # an item asked by its words, or a place asked by another of its forms (东乌旗 for "东乌珠穆沁旗分别…")
    asked = [i for i, h in enumerate(heads) if _short_forms(h) in _short_forms(question)
             or ((item := gz.place(h)) is not None and item.name in places_in(question, question=True))]
    if not asked:
        return figs, {}, {f.start for g in groups for f in g}
    if len(asked) != 1:
        return figs, {}, set()
    dropped = {f.start for g in groups for i, f in enumerate(g) if i != asked[0]}
    return [f for f in figs if f.start not in dropped], {g[asked[0]].start: items[asked[0]] for g in groups}, set()


def _respectively_metric(sentence: str, figs: tuple[Figure, ...]) -> str:
    """What every item of a 分别 list is measured by: the words from the list's clause start to its first
    figure ("铁东区、铁西区、立山区规上工业企业分别复工" of "…分别复工58家、71家、46家")."""
    at = sentence.find("分别")
    first = next((f.start for f in figs if f.start > at), len(sentence))
    return re.split(r"[，,；;：:]", sentence[:at])[-1] + sentence[at:first]


# A press conference answer opens with its speaker: "徐何红(河南卓立膜材料股份有限公司总经理):".
_SPEAKER = re.compile(r"^[\u4e00-\u9fff]{2,4}[（(][^（）()\n]{2,40}[）)][:：]", re.M)
SPEAKER_REACH = 3000  # characters back to the speaker line: one answer runs several paragraphs


def _speaker(text: str, s: int) -> str:
    """Who is speaking at offset s of a press conference: "公司…于2月8日复工复产" is about 卓立膜,
    named only in the speaker line that opens the answer. '' when no speaker line is in reach."""
    found = ""
    for m in _SPEAKER.finditer(text, max(0, s - SPEAKER_REACH), s):
        found = m.group(0)
    return found


_RATE_BEFORE = re.compile(r"(?:(?:日|每日|每天|一天|日均|日生产|日产)(?:生产|供应|产|供)?(?:能力|产能)?"
                          r"|(?:日|每日|每天)[\u4e00-\u9fff]{1,3}?能力)(?:达到?|为|约)?$")  # "日检测能力3600份"


# A table column of an earlier period than the report's own ("上周均价", "上年同期"): not what a question of now asks.
_PAST_COLUMN = re.compile(r"上周|上月|上年|去年|前一[天日]|上期|上一")
_PER_DAY_ASKED = re.compile(r"每天|每日|一天|日均|单日|日产")


# A quantity for one person or household is asked, and a clause states one ("每招用1人补贴1000元", "每户最高10万元").
_PER_ONE_ASKED = re.compile(r"(?:每|一)(名|个人|人|位|户|家)|(人|户)均")
_PER_ONE_BEFORE = re.compile(r"每[\u4e00-\u9fff]{0,4}?(?:1|一)?(名|人|位|户|家)|(人|户)均")
_PER_HOUSEHOLD = ("户", "家")  # one household or firm; 名/个人/人/位 are one person


def _per_one(m: re.Match[str]) -> str:
    return "户" if (m.group(1) or m.group(2)) in _PER_HOUSEHOLD else "人"


def _rate_agreement(question: str, clause: str, fig: Figure) -> float:
    """"日生产能力2700吨,库存酒精9000吨": a per-day figure answers 每天/日产 questions (+1) and not others
    (-1); 0 when the figure is not stated per day."""
    if fig.kind != "number":
        return 0.0
    asked, said = _PER_ONE_ASKED.search(question), _PER_ONE_BEFORE.search(clause[: fig.start])
    if asked and said:
        # "招一名应届高校毕业生能拿多少补贴": "每招用1人补贴1000元", not 52家企业's 18.6万元; "一家企业最多能拿
        # 多少" is "每户企业最高不超过10万元", not "按每人2000元"
        return 1.0 if _per_one(asked) == _per_one(said) else -1.0
    if _DONE_ASKED.search(question) and _PER_ONE_BEFORE.search(clause[: fig.start]):
        return -1.0  # "发了多少交通补助" asks what was paid: "每人给予一次性交通补助300元" is the rule
    if not _RATE_BEFORE.search(squash(clause[max(0, fig.start - 8) : fig.start])):
        # "每天能做多少份" is not "累计检测2.86万份"
        return -1.0 if "累计" in clause[: fig.start] and _PER_DAY_ASKED.search(question) else 0.0
    return 1.0 if asks_rate(question) else -1.0


# A day in a question that is not the day of the figure asked: a day compared with ("比2月26日提高了几个百分点"),
# a span ("本周（2月13日至19日）"), a start ("2月1日以来").
_COMPARED_OR_SPAN = re.compile(r"(?:比|较|与|和|同|从|自)\s*\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号]\s*(?:至|到|—|－|-|~|～|以来|起)")


# A figure stated as a goal or a plan: asked only by a question that asks for one ("列入搬迁改造计划的企业有16家"
# is a count of what is listed).
_TARGET = re.compile(r"力争|争取|目标|计划(?![的中内])|预计|预期|确保|力求|\d+月(?:\d+日)?(?:前|底前)[^，,。；;]{0,20}达到")
_PLANNED = re.compile(r"计划|目标|预计|力争|年度|全年|任务|规划|拟|将")
# "目标是多少人" is not answered by "转移就业96.82万人" (nor "计划完成投资多少" by "累计完成投资68.2亿元"); a share
# done of it is any rate's ("任务完成了百分之几": a table's 完成率 column)
# "完成年度目标任务112万人的86.4%": the share of the goal done, not a goal
_DONE_SHARE = re.compile(r"完成[^，,；;。]{0,12}(?:目标|计划|任务)[^，,；;。]{0,16}的$")
_PLAN_ASKED = re.compile(r"(?:计划|目标)(?![^，,？?]*完成(?:率|了?百分之|进度))")
_TARGET_LEAD = re.compile(r"力争|争取|确保|力求")  # in a clause before: the sentence's clauses after it are the goal
_REACHES = re.compile(r"达到|实现|提高到|提升到|控制在")
# "第二期消费券2000万元定于5月1日发放" is yet to be done: it does not answer "发放了多少"
_SCHEDULED = re.compile(r"定于|将于|拟于|拟在")
_DONE_ASKED = re.compile(r"[\u4e00-\u9fff]了(?:多少|几)")
_TARGET_ASKED = re.compile(r"力争|争取|目标|计划|预计|预期|确保|力求|达到多少|打算|准备|(?<![需主重只还])要(?![求点素是])")
# "每日接待不超过8000人次", "每日消毒不少于2次": a limit set, which "接待了多少" (what was done) does not ask
# What a gap in 个百分点 is taken against: "比全省平均水平（8.9%）高0.9个百分点", not "高于各项贷款增速6.6个百分点"
_GAP_TARGET = re.compile(r"(?<![同环])(?:比|较|高于|低于)(?:[\u4e00-\u9fff]{2,5}?(?=全[国省市区县州]))?"  # "比浙江全省小多少"
                         r"(全国|全省|全市|全区|全县|全州|去年同期|上年同期|去年|上月|上周|年初)")
_GAP_AGAINST = re.compile(r"(?<![同环])(?:比|较|高于|低于)([^，,；;。]{1,12})")  # "比1—2月收窄" too


# Which way a gap goes: the last such word of a question's ask or before a clause's 个百分点 figure.
_GAP_WAY = re.compile(r"收窄|缩小|放缓|回落|下降|降低|下滑|减少|高于|低于|快于|慢于|高出|提高|提升|上升|增加|加快|扩大|上涨|"
                      r"[高快多大涨升][了出]?|[低慢少小降跌][了出]?")
_GAP_ASKED_WAY = re.compile(rf"(?:{_GAP_WAY.pattern})(?=了?(?:多少|几))")
_DOWN = ("收窄", "缩小", "放缓", "回落", "下降", "降低", "下滑", "减少", "低于", "慢于", "低", "慢", "少", "小", "降", "跌")


_LISTED_TOTAL = re.compile(r"([\u4e00-\u9fff]{2,4}(?:[、和及与][\u4e00-\u9fff]{2,4})+)(?:等)?(?:共|合计|总计|共计)")
_TOTAL_WORDS = re.compile(r"共|合计|总计|总共|一共|全部|总")


def _listed_total(question: str, before: str) -> bool:
    """The figure totals a list of which the question asks one item ("道路、铁路、水路共发送" for 铁路)."""
    m = _LISTED_TOTAL.search(before)
    if m is None or _TOTAL_WORDS.search(question):
        return False
    items = re.split(r"[、和及与]", m.group(1))  # "公路、铁路、水路和城市公交共运送"
    asked = [x for x in items if x in question]
    return bool(asked) and len(asked) < len(items)


def _gap_way(text: str, pattern: re.Pattern[str] = _GAP_WAY) -> int:
    """+1 up ("高于", "提高"), -1 down ("小", "收窄"), 0 neither said."""
    found = list(pattern.finditer(text))
    if not found:
        return 0
    word = found[-1].group().rstrip("了出")
    return -1 if word in _DOWN else 1


def _other_target(asked: str, before: str) -> bool:
    """The clause's gap is taken against another thing than the asked one."""
    said = _GAP_AGAINST.search(before)
    return said is not None and asked not in said.group(1)


_LIMITS = frozenset({"不超过", "不高于", "不多于", "不少于", "不低于"})
_LIMIT_ASKED = re.compile(r"最多|最少|至多|至少|上限|下限|限流|限量|限[购领乘]|不超过|不能超过|不得超过|不少于|不低于|不高于|控制在|"
                          r"允许|可以|能|要求|规定|标准|每[日天桌人车]|单日最大")


_WHEN = re.compile(r"哪天|哪一天|何时|什么时候|什么时间|几月几[日号]|哪日|几号")
_PREPARES = re.compile(r"准备|筹备|计划|预计|拟|将于|方案")


@lru_cache(maxsize=256)
def _predicate(question: str) -> frozenset[str]:
    """The words of what a date question asks about: those after 哪天 ("哪天正式复课开学的" -> 正式, 复课, 开学)."""
    m = _WHEN.search(question)
    return frozenset(w for w in words(question[m.end() :] if m else question) if len(w) >= 2)


def _only_prepares(question: str, sentence: str) -> bool:
    """"3月6日，副省长检查了我区学校复课准备工作" dates an inspection of the preparations, not 复课 itself:
    every word of the question's predicate (after 哪天) that the sentence has is followed by 准备/筹备 (or
    preceded by 计划/拟/将于), and the question does not ask about preparations."""
    if _PREPARES.search(question):
        return False
    found = False
    for w in _predicate(question):
        for m in re.finditer(re.escape(w), sentence):
            found = True
            after = sentence[m.end() : m.end() + 4]
            before = sentence[max(0, m.start() - 4) : m.start()]
            if not (re.match(r"(?:工作)?(?:准备|筹备|方案|计划)", after) or re.search(r"计划|预计|拟|将于?$", before)):
                return False
    return found


# Words that make a count a different metric: "解除隔离" is not "隔离", "新增确诊" is not "确诊".
_METRIC_MODIFIERS = ("解除", "新增", "治愈", "出院", "死亡", "疑似", "无症状", "重症", "危重", "境外输入", "仍在",
                     "现有", "规模以下", "限额以下", "外贸货物", "内贸货物", "过夜")
_OWN_WORDS = 8  # the words right before a figure: its own ("其中省外务工31.6万人"), not its parent's
_WITHIN_OR_OUT = tuple((f"{k}内", f"{k}外") for k in "省市县区境")
# Groups a sentence's subject may be narrowed to: "全市建档立卡贫困劳动力…返岗率71.3%" is not 全市农村劳动力's.
_SUBGROUPS = (("贫困", "建档立卡"), ("低保",), ("残疾",))


def _subject_clause(p: Passage, clauses: list[tuple[int, int]], k: int) -> str:
    """The sentence's first clause when it states no figure and the figure's clause is another: what the sentence
    is about ("全市小麦播种已基本结束，累计播种18.4万亩")."""
    if k == 0 or _figures(p, *clauses[0]):
        return ""
    return p.clean.text[clauses[0][0] : clauses[0][1]]


_EXAMPLES = re.compile(r"[\u4e00-\u9fff、]{1,16}等")
_ALIASED = re.compile(r"([\u4e00-\u9fff]{1,6})[（(]([^（）()]{1,8})[）)]")
_BESIDES = re.compile(r"[\u4e00-\u9fff]{0,12}(?:之外|以外)")  # "在市级消费券之外另发放…": not what it counts


_SUMMED = re.compile(r"共|合计|总计")  # a list's total follows


def _unasked_kind(question: str, before: str) -> bool:
    """The sentence narrows what it counts to a kind of its whole the question names none of: "全市小麦播种已基本
    结束，累计播种18.4万亩" for 大田一共播了多少 (进出口 names the whole of 出口 and 进口). `before`: the sentence's
    subject clause and the figure's own clause up to it."""
    # "蔬菜、肉蛋等物资680吨" gives examples of the whole; "猪肉（精瘦肉）" is the 精瘦肉 asked
    before = _EXAMPLES.sub("", _BESIDES.sub("", before))
    before = _ALIASED.sub(lambda m: "" if m.group(2) in question else m.group(), before)
    question, before = question.replace("进出口", "〇"), before.replace("进出口", "〇")
    # "公路、铁路、水路和城市公交共运送旅客38.6万人次": kinds listed into one total are the whole
    summed = _SUMMED.search(before) is not None
    return any(not any(w in question for w in g) and 0 < sum(w in before for w in g if w != "〇") < (2 if summed else 99)
               for g in KINDS)


# "对新吸纳贫困劳动力的社区工厂，按每人每月200元…，最长6个月": whom a rule is for, not a group its figure counts
_RULE_CONDITION = re.compile(r"\s*对[^，,；;。]{2,30}的[^，,；;。]{0,12}[，,]?\s*$")


def _other_group(question: str, before: str) -> bool:
    """The sentence's subject (its first clause) or the figure's clause counts a group the question does not ask
    about, or not the one it asks (not "…每人每月500元，吸纳建档立卡贫困劳动力的每人每月600元，补贴期限最长6个月")."""
    return any(any(w in before for w in g) != any(w in question for w in g) for g in _SUBGROUPS)


# Against the same time last year, against the period before: how each is written.
_ONE_DAY = re.compile(r"当日|当天")
_COUNT_CHANGE_ASKED = re.compile(r"(?:比|较)[^，,。？?]{1,8}?(?:多|少|增加|减少)了?(?:多少|几)"
                                 # "今年以来存款余额增加了多少": "比年初增加218.6亿元", not the 余额
                                 r"|(?:今年以来|年初以来|比年初|较年初)[^，,。？?]{0,12}?(?:增加|减少)了?(?:多少|几)")
_CHANGE_JUST_BEFORE = re.compile(rf"(?:{CHANGE_VERBS}|多|少)了?$")
_DAY_ASKED = re.compile(r"当日|当天|那一?天|这一?天|哪天|\d+[日号]|每天|每日|日均|一天|单日")
_ONE_DAY_ASKED = re.compile(r"当日|当天|这一?天|那一?天|单日")
_UP_TO_DAY = re.compile(r"(?:截至|截止|截止到|到)\s*\d{1,2}月\d{1,2}[日号](?:\d{1,2}时|24时)?")  # a total up to a day
_STILL_IN = re.compile(r"在院|在隔离|在医学观察|在治疗")
_STILL = re.compile(r"还有|尚有|仍有|目前|现在")
_CASES = re.compile(r"确诊|病例|患者|感染|疑似|无症状|病人")
_STATE_ASKED = re.compile(r"重症|危重|在院|住院|在治")
_CUMULATIVE_ASKED = re.compile(r"累计|一共|总共|共有|合计")
_COMPARED_WITH = {"同比": ("同比", "去年同期", "上年同期"), "环比": ("环比", "上月", "上个月", "上周")}
_BELOW_SHORT = (("规下", "规模以下"), ("限下", "限额以下"))  # "规下企业" is 规模以下企业
_ABOVE_SHORT = (("规上", "规模以上"), ("限上", "限额以上"))


def _short_forms(text: str) -> str:
    """"限额以上批发零售企业" as a question says it: 限上批发零售企业."""
    for short, long in _ABOVE_SHORT + _BELOW_SHORT:
        text = text.replace(long, short)
    return text


def _long_form(text: str) -> str:
    for short, long in _BELOW_SHORT:
        text = text.replace(short, long)
    return text.replace("治愈出院", "出院")  # every discharge is one cured: "累计出院" answers "治愈出院"


def _other_metric(question: str, clause_before: str, sentence: str) -> tuple[bool, bool]:
    """(the clause's count is modified in a way the question does not ask: "解除隔离109人" for 隔离多少人,
    the question asks for a modified count the sentence does not state at all: "累计解除集中隔离多少人"
    against "全县共集中隔离3558人"). The second means the figure cannot answer."""
    # "涵盖重症医学、呼吸内科…等专业" names a specialty, not 重症 cases
    clause, sentence = (_long_form(squash(t)).replace("重症医学", "") for t in (clause_before, sentence))
    question = _long_form(expand_question(question))  # "新开复工" is written "新增开复工"
    # "还有多少例在院治疗" asks for what 现有 states (but a sentence without 现有 may answer it too).
    # "重症病人有几个" asks a state now: "现有在院治疗58例，其中重症病例5例" states it
    # and "低保对象有多少人" what "现有城乡低保对象6.42万人" states (a case count's 现有 is not its 累计)
    asked = question + ("现有" if _STILL.search(question) or (
        _STATE_ASKED.search(question) and not _CUMULATIVE_ASKED.search(question)) or (
        "累计" not in question and not _CASES.search(question)) else "") + (
        "仍在" if _STILL_IN.search(question) else "")  # "在院治疗的危重症患者" asks what 仍在院治疗 states
    one_day = _ONE_DAY_ASKED.search(question) is not None  # "2月15日当天出院了几个" asks that day's 新增
    asked += "新增" if one_day else ""
    unasked = any(m in clause and m not in asked for m in _METRIC_MODIFIERS) or any(
        # "转移到省外就业的有多少人" is not "省内转移55.56万人" (nor the reverse), and "返岗的有多少" is neither
        # of "其中省外务工31.6万人，省内务工21.2万人" (the sentence's split of the whole asked)
        (said in clause and said not in asked and (other in asked or (other in sentence and said in clause[-_OWN_WORDS:])))
        for inside, outside in _WITHIN_OR_OUT for said, other in ((inside, outside), (outside, inside))) or (
        one_day and "累计" in clause and "累计" not in question) or (
        # "当日接待1.48万人次" for 假期; "当日播种17.6万亩" for 截至4月27日 (a total up to it)
        _ONE_DAY.search(clause) is not None and not _DAY_ASKED.search(_UP_TO_DAY.sub("", question))) or (
        # "比前一天多了几个人" asks the change: "累计追踪密切接触者421人" is the level, "较前一日增加9人" the change
        _COUNT_CHANGE_ASKED.search(question) is not None and not _CHANGE_JUST_BEFORE.search(clause))
    missing = any(m in question and m not in sentence for m in _METRIC_MODIFIERS) or names_other_kind(question, sentence)
    said = {k for k, forms in _COMPARED_WITH.items() if any(f in question for f in forms)}
    if said:
        # "环比下降多少" is not answered by "同比下降21.8%"; a question naming neither takes either.
        def names(text: str, k: str) -> bool:
            return any(f in text for f in _COMPARED_WITH[k])
        unasked = unasked or any(names(clause, k) and k not in said for k in _COMPARED_WITH)
        missing = missing or any(not names(sentence, k) for k in said)
    return unasked, missing


# "全县86家规上工业企业，已复工84家", "共排查504人，已解除隔离303人": a part (已/其中/尚…) and a total
# (共/全/总…) in one sentence (service.facts.reading.figure_part). Which the question asks for decides.
_PART_ASKED = re.compile(r"已|其中|尚未|仍有|仍在|还有|未")
_WITHIN = re.compile(r"中[，,]")
# "70家规模以上工业企业已全部复工": every one of the counted did it (the counted words first, then 全部/均).
_ALL_DID = re.compile(r"[\u4e00-\u9fff]{0,12}?(?:已经?|均已|都已)?(?:全部|全都|均|都)(?:已经?)?(?:实现)?"
                      r"(?:复工|复产|开工|复业|开业|恢复|投产|到岗|返岗|解除|治愈|出院|开放)")


_ASK_WORDS = re.compile(r"多少|几|有|是|了|的|哪")


def _chained_before(text: str, s: int) -> str:
    """The sentence a "其中…" sentence is a part of, when a ； ends it: "同比下降16.8%…；其中3月份下降9.4%" is 同比."""
    if not text.startswith("其中", s) or text[s - 1 : s] not in ("；", ";"):
        return ""
    para = text.rfind("\n", 0, s) + 1
    return text[para:s]


def _bigrams(text: str) -> set[str]:
    """The two-character words of a text's Chinese runs, less the asking words (多少, 有几)."""
    runs = _HAN.findall(_ASK_WORDS.sub("，", text))
    return {r[i : i + 2] for r in runs for i in range(len(r) - 1)}



def _within(question: str) -> str:
    """What is asked of a set the question names first: "已开工的重点项目中，新开工项目有多少个" asks for the
    新开工 ones; its 已开工 names the whole, which is then no part asked for."""
    return _WITHIN.split(question)[-1]


_TOTAL_ASKED = re.compile(r"(?:一共|总共|共)有|共计|合计|总数|总计")  # "一共复工了几家" counts an action, not the whole
# "开放了几家", "复工了多少家": how many did it, which "14家A级景区已开放12家" states as its part (12家).
_ACTION_ASKED = re.compile(r"(?<![一总]共)(?<!新)(?P<verb>复工|复产|开工|复业|开放|开业|营业|返岗|到岗|复学|开学|恢复|开通|开行)"
                           r"(?:了|的有|的)?(?:多少|几)|(?<![一总]共)(?<!新)(?P<verb2>复工|复产|开工|复业|开业|返岗|到岗|复学)"
                           r"的[\u4e00-\u9fff]{1,10}?(?:有|是)(?:多少|几)"  # "复工的规上工业企业有多少家"
                           r"|(?:多少|几)[个家户所座]?[\u4e00-\u9fff]{1,8}?(?<![一总]共)(?<!新)"
                           r"(?P<verb3>复工|复产|开工|复业|开业|返岗|到岗|复学)了?[？?。]?$")  # "有几家规上企业复工"
# How staff say the verbs a bulletin uses ("恢复生产的有多少个": 复产; "景区现在开了多少家": 开放)
_ACTION_WORDS = {"恢复生产": "复产", "恢复营业": "复业", "重新开门营业": "复业", "重新开业": "复业", "回去上班": "返岗",
                 "回来上班": "返岗", "回到工作岗位": "返岗", "开了": "开放"}
_ACTION_WORD = re.compile("|".join(_ACTION_WORDS))
_NEW_ASKED = re.compile(r"又有|新增")
_ACTUAL_ASKED = re.compile(r"实际")
# An enterprise that 开工 again has 复工: "规上工业企业开工的有多少家" is "312家…已复工309家"'s 309家
_SAME_VERB = {"开工": ("开工", "复工"), "复工": ("复工", "开工")}


def _action_asked(question: str) -> str | None:
    """The verb of "复工了几家", "恢复生产的有多少个" (复产): how many did it."""
    if _NEW_ASKED.search(question):
        return None  # "当天又有几家复工", "新增复工几家": the new ones, not all that did it
    m = _ACTION_ASKED.search(_ACTION_WORD.sub(lambda m: _ACTION_WORDS[m.group()], question))
    return (m["verb"] or m["verb2"] or m["verb3"]) if m else None


def _did_asked(question: str) -> str | None:
    """The verb of "已开复工几个": what the asked part did."""
    m = _DID_ASKED.search(question)
    return m["verb"] if m else None
# "省级重点项目里已开复工几个": what the asked part did (a 其中 part that never says it is another part).
_DID_ASKED = re.compile(r"(?:已经?|其中)开?(?P<verb>复工|复产|开工|复业|开放|开业|营业|返岗|到岗|复学|开学|恢复|开通|开行|解除|出院)")


def part_agreement(question: str, clause: str, fig: Figure, before: str = "") -> float:
    """+1 the question asks for a part (已复工, 其中武汉) and the figure is stated as one, or for a total
    (一共, 共有) and it is stated as the total; -1 the other way round; 0 otherwise. A question asking how
    many did it (复工了多少家) asks for a part only of a whole stated before it in its sentence (`before`:
    the sentence before the clause): "全市2106家…已复工2051家", not "房地产…企业已复工复产86家" alone."""
    if fig.kind != "number":
        return 0.0
    within = _WITHIN.split(question)
    if len(within) > 1:
        # "已开工的重点项目中，新开工项目有多少个": a part named after 中，; a figure whose label names it (新开工
        # 项目…17个) answers, one stated as a whole or a part of what comes before 中 (已开工58个) does not.
        own = _bigrams(within[-1]) - _bigrams("".join(within[:-1]))
        if own & _bigrams(clause[: fig.start]):
            return 1.0
        return -1.0 if figure_part(clause, fig) else 0.0
    action = _action_asked(question)
    if _PART_ASKED.search(question) or (action and _states_whole(before + clause[: fig.start], fig)):
        if _ALL_DID.match(squash(clause[fig.end : fig.end + 24])):
            return 1.0  # "全区70家规模以上工业企业已全部复工复产": the whole is the part that did it
        did = action if action and not _PART_ASKED.search(question) else _did_asked(question)
        if did and not any(v in clause for v in _SAME_VERB.get(did, (did,))):
            return 0.0  # "其中省级重点项目9个，已开复工8个": 9个 is a part, but not the ones that did it
        return {"part": 1.0, "total": -1.0}.get(figure_part(clause, fig), 0.0)
    if _TOTAL_ASKED.search(question):
        return {"part": -1.0, "total": 1.0}.get(figure_part(clause, fig), 0.0)
    return 0.0


_HAN = re.compile(r"[\u4e00-\u9fff]+")
_HAN_CHARS = re.compile(r"[\u4e00-\u9fff]")
_SUBLIST_HEAD = re.compile(r"\s*其中\s*[:：]?\s*")
_PART_OPENING = re.compile(r"^\s*其中\s*[:：]?\s*(?:向|对|给|为|有)?")


def _names_word(question: str, word: str, whole: set[str]) -> bool:
    """The question names `word` itself, not inside a longer word of the whole (出口 in 进出口)."""
    for w in whole:
        if word in w and w != word:
            question = question.replace(w, " ")
    return word in question


def named_part(question: str, label: str, parent: str, common: Callable[[str], bool] = lambda w: False) -> bool | None:
    """True: the question names what sets a 其中 part apart ("给中小微企业的贷款" for "其中中小微企业贷款
    31.2亿元"); False: the part has such words and the question names none; None: nothing tells.
    `parent`: the sentence before the part (its whole)."""
    whole = set(words(parent))
    question = expand_question(question)  # "调进来的" names 调入
    # The words that tell the part from its whole: "中小微企业贷款" under "发放专项贷款" -> 中小微; a word
    # the bulletin uses everywhere (疫情) tells nothing apart.
    distinct = [w for w in words(label) if len(w) >= 2 and _HAN.fullmatch(w) and not common(w)
                and w not in whole and not any(x.endswith(w) and len(x) - len(w) >= 2 for x in whole)]
    # (贷款 of a whole's 发放贷款 tells nothing apart; 出口 of 进出口 does)
    if not distinct:
        return None
    return any(_names_word(question, w, whole) for w in distinct)


# "累计确诊病例中，济南市47例、青岛市60例": a clause naming the metric its list breaks down.
_METRIC_HEAD = re.compile(r"\s*[\u4e00-\u9fff]{2,16}中\s*[，,:：]?\s*")


# "新增确诊病例2例（耒阳市1例、衡南县1例）": a bracketed list of items, each a place or group and its figure.
# ... not a value in brackets: "降幅比全省（下降8.3%）小3.1个百分点" says what 全省's 8.3% is before the bracket.
_PAREN_ITEMS = re.compile(r"[（(](?!下降|增长|上升|提高|降低|减少|增加|回落|为|达|是)(?=[\u4e00-\u9fff]{2,12}\d)")


def _paren_items(text: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clauses, with a bracketed list's first item as a clause of its own."""
    out = []
    for cs, ce in clauses:
        m = _PAREN_ITEMS.search(text, cs, ce)
        if m and m.start() > cs:
            out += [(cs, m.end()), (m.end(), ce)]
        else:
            out.append((cs, ce))
    return out


# "（一）道路客运。全市已恢复客运班线186条…": a paragraph's own heading, run in before its first sentence.
_INLINE_HEADING = re.compile(r"[（(][一二三四五六七八九十\d]{1,3}[）)]([^。，,；;：:（(\n]{2,12})[。：:]")


def _inline_heading(text: str, s: int) -> str:
    """The run-in heading of the paragraph holding offset `s` ("道路客运"), or ""."""
    m = _INLINE_HEADING.match(text, text.rfind("\n", 0, s) + 1)
    return m.group(1) if m else ""


SECTION_REACH = 800  # characters back to a section's heading line


@lru_cache(maxsize=4096)  # asked for every sentence of every passage, for every question
def _section_heading(text: str, s: int) -> str:
    """The nearest heading line above the line of offset `s` ("▍政策二：以工代训补贴" over "补贴标准：…，补贴期限
    最长6个月"), or "": a short line with no sentence end and no figure (a data card's lines have figures)."""
    line = text.rfind("\n", 0, s) + 1
    while line > 0 and s - line <= SECTION_REACH:
        line = text.rfind("\n", 0, line - 1) + 1
        m = HEADING_LINE.match(text, line)
        if m and m.group().strip() and not re.search(r"\d", m.group()):
            return m.group()
    return ""


# A list item's label ("1．遇龙河景区（含竹筏漂流）：", "广丰区："): what every clause of its line is about.
_LINE_LABEL = re.compile(r"(?:\d{1,2}[．.、]\s*|[（(][一二三四五六七八九十\d]{1,2}[）)]\s*)?"
                         r"((?:[^，,。；;：:\n（(]|[（(][^）)\n]{1,10}[）)]){2,20})[：:]")


def _line_label(text: str, s: int) -> tuple[str, int] | None:
    """(label, where its line's text after the colon starts) for the line holding offset `s`, or None."""
    m = _LINE_LABEL.match(text, text.rfind("\n", 0, s) + 1)
    return (m.group(1), m.end()) if m else None


_CHANGE_ONLY_BEFORE = re.compile(rf"\s*(?:同比|环比|比上年同期|较上年同期|比去年同期|较去年同期)?(?:{CHANGE_VERBS})了?\s*")


# "贷款加权平均利率4.56%，较年初下降0.38个百分点": a gap whose rate is the clause before's.
_GAP_ONLY_BEFORE = re.compile(rf"\s*(?:比|较|与|同)[^，,；;。\d]{{1,10}}?(?:相比)?(?:{CHANGE_VERBS})了?\s*")


_CHANGE_ASKED = re.compile(r"同比|环比|增长|增幅|降|涨|跌|提高|回落|减少|增加|变化|[比较]上一?个?[周月年]")


def _previous_metric(text: str, s: int) -> str:
    """The words of the sentence before offset `s`, up to its first figure (what a "其中…" sentence breaks down)."""
    ps = max(text.rfind(x, 0, max(s - 1, 0)) for x in "。；;\n") + 1
    first = next((f for f in figures_of(text[ps:s]) if f.kind in ("number", "percent")), None)
    return text[ps : ps + first.start] if first else ""


_LISTED_NAME_MAX = 10  # "从山东、": a name in a list, not a clause of its own
_LIST_END = re.compile(r"[\u4e00-\u9fff]{1,8}等(?:地|省|市|县|国|城市|地区|国家)")


def _joined_names(p: Passage, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"从山东、广西、云南等地调入约500吨": a piece before a 、 with no figure is a name in a list, not a clause;
    it joins the next piece (whose words then stand next to its figure)."""
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for k, (cs, ce) in enumerate(clauses):
        start = cs if pending is None else pending
        # ... or a longer piece whose list the next piece ends ("其中通过电商销往广东、|浙江等地5.8万吨")
        ends_list = k + 1 < len(clauses) and bool(_LIST_END.match(p.clean.text, clauses[k + 1][0]))
        if p.clean.text[ce - 1 : ce] == "、" and (ce - cs <= _LISTED_NAME_MAX or ends_list) and not _figures(p, cs, ce):
            pending = start
            continue
        out.append((start, ce))
        pending = None
    if pending is not None:
        out.append((pending, clauses[-1][1]))
    return out


def _sublist_parent(text: str, clauses: list[tuple[int, int]], k: int) -> str | None:
    """The clause a 其中 list breaks down, for an item of that list: "湖北省新增…2184例，其中：武汉市1503例、
    孝感市172例" -> "湖北省新增…2184例，" for 孝感市172例 (the item itself names only its place)."""
    j = k
    while j > 0 and text[clauses[j - 1][0] : clauses[j - 1][1]].rstrip().endswith("、"):
        j -= 1  # back to the list's first item
    if text[clauses[j][0] : clauses[j][1]].lstrip().startswith("其中"):
        parent = j - 1
    elif j > 0 and _SUBLIST_HEAD.fullmatch(text[clauses[j - 1][0] : clauses[j - 1][1]]):
        parent = j - 2
    elif j > 0 and _METRIC_HEAD.fullmatch(text[clauses[j - 1][0] : clauses[j - 1][1]]):
        parent = j - 1
    elif j > 0 and text[clauses[j - 1][0] : clauses[j - 1][1]].rstrip().endswith(("（", "(")):
        parent = j - 1  # "新增确诊病例2例（耒阳市1例、衡南县1例）"
    else:
        return None
    if parent < 0:
        return None
    if parent > 0 and _PART_OPENING.match(text[clauses[parent][0] : clauses[parent][1]]):
        parent -= 1  # "…确诊病例10例，其中本地病例9例（个旧市3例、": the part's own whole names the metric too
        return text[clauses[parent][0] : clauses[parent + 1][1]]
    return text[clauses[parent][0] : clauses[parent][1]]


_LIST_HEAD = re.compile(r"[^，,；;。：:\d]{2,16}[：:](?=[^，,；;。]{2,16}?\d)")


def _list_head(sentence: str) -> str:
    """"累计确诊病例分布：邵东市18例，隆回县15例，…": what every place of a ：-headed list counts."""
    m = _LIST_HEAD.match(sentence)
    return m.group()[:-1] if m else ""


_LABEL_AFTER = re.compile(r"[\u4e00-\u9fff]{2,12}?(?=已经?|均|都|全部|[，,。；;]|$)")


def _part_named(question: str, p: Passage, s: int, clauses: list[tuple[int, int]], k: int, fig: Figure) -> float:
    """A part asked by its name, not by 其中: +1 a 其中 part the question names (or -1 one it does not),
    -1 the whole right before a 其中 part the question names. `s`: the sentence's start."""
    text = p.clean.text
    df, n = _sentence_df(p.chunk.doc_id, text)

    def common(w: str) -> bool:  # in more than 5% of the bulletin's sentences
        return min(df[w[i : i + 2]] for i in range(len(w) - 1)) > max(2, 0.05 * n)

    cs, ce = clauses[k]
    opening = _PART_OPENING.match(text[cs:ce])
    head = k
    if not opening and k > 0 and text[clauses[k - 1][1] - 1 : clauses[k - 1][1]] == "、":
        head = k - 1  # "其中中小微企业52户、贷款1.36亿元": the part goes on past its 、
        opening = _PART_OPENING.match(text[clauses[head][0] : clauses[head][1]])
    if opening:
        if _sublist_parent(text, clauses, head) is None:
            return 0.0
        parent = text[s : clauses[head][0]]
        # An item after the 、 is told apart by its own words ("其中减免社保费2.12亿元、减免国有房产租金3860万元"),
        # else by the words of the part it goes on with ("其中中小微企业52户、贷款1.36亿元").
        own = text[cs : cs + fig.start]
        if head < k and named_part(question, own, parent) is not None:
            named = named_part(question, own, parent, common)
        else:
            label = text[clauses[head][0] + opening.end() : cs + fig.start]
            if not _HAN.search(label):  # "其中十五个市级重大项目全部开工": the label follows the figure
                after = _LABEL_AFTER.match(text, cs + fig.end, ce)
                label = after.group() if after else label
            named = named_part(question, label, parent, common)
        return 0.0 if named is None else (1.0 if named else -1.0)
    if k + 1 < len(clauses):
        ns, ne = clauses[k + 1]
        opening = _PART_OPENING.match(text[ns:ne])
        first = next(iter(parse_figures(text[ns:ne])), None) if opening else None
        if opening and first and named_part(question, text[ns + opening.end() : ns + first.start], text[s:ns], common):
            return -1.0
    return 0.0


# "裁员率不高于5.5%（参保职工30人及以下的企业，裁员率不高于20%）": an aside that opens with a condition holds the
# exception's figure, not the rule's.
_CONDITION_ASIDE = re.compile(r"[（(]([^（）()，,；;。]{2,24}?)的[\u4e00-\u9fff]{0,6}[，,][^（）()]*$")


def _in_condition_aside(text: str, s: int, at: int, question: str) -> bool:
    """The figure at `at` stands in a conditional aside of its sentence (from `s`) whose condition the question
    does not name."""
    m = _CONDITION_ASIDE.search(text, s, at)
    return m is not None and not (_bigrams(m.group(1)) & _bigrams(question))


def _states_whole(text: str, fig: Figure) -> bool:
    return any(f.kind == "number" and f.unit == fig.unit for f in figures_of(text))


def _nearest(question: str, clause: str, figs: list[Figure], grams: Topic | dict[str, float],
             before: str = "") -> list[Figure]:
    """The clause's candidate figures: the one nearest the question's words and, when the question asks
    for a part and the clause states one (已复工1221家 beside the total 1268家), that part too; the
    weights choose between them."""
    nearest = max(figs, key=lambda f: _proximity(grams, clause, f))
    part = next((f for f in figs if part_agreement(question, clause, f, before) > 0), None)
    return [nearest] if part is None or part is nearest else [nearest, part]


def _head(term: str) -> str:
    return term[:-2] if len(term) > 3 else term  # "规模以上" of "规模以上企业", "批发零售" of "批发零售业"


def _mentions(text: str, term: str) -> bool:
    """The term's head is in the text: the group is named."""
    return _head(term) in squash(text)


def _text_before(p: Passage, s: int, e: int, limit: int) -> str:
    """The sentence with up to `limit` characters before it ("大河报记者:…请介绍一下。" then
    "时东风(…主任):…": who answers is in one sentence, what about in the one before)."""
    return p.clean.text[max(0, s - limit) : e]


def _share_opening(text: str, clauses: list[tuple[int, int]], k: int, before: str) -> int | None:
    """The index of the clause opening with 占 whose share the figure after `before` (in clause k) is: clause k
    itself ("占全市的13.0%"), or, past a bracket closed in clause k ("…16.2万亩）的61.2%"), the clause that
    opened it ("占计划面积46.7万亩（")."""
    close = max(before.rfind("）"), before.rfind(")"))
    if close < 0:
        return k if before.lstrip().startswith("占") else None
    if not _SHARE_TAIL.fullmatch(before, close + 1):
        return None
    j = k - 1
    while j >= 0 and not text[clauses[j][0] : clauses[j][1]].rstrip().endswith(("（", "(")):
        j -= 1
    return j if j >= 0 and text[clauses[j][0] : clauses[j][1]].lstrip().startswith("占") else None


_SHARE_TAIL = re.compile(r"\s*的?(?:比重|比例)?(?:为|达到?)?\s*")


_DAY_OPENING = re.compile(r"\s*\d{1,2}月\d{1,2}[日号][，,]")
# "…共运送旅客38.6万人次，…；日均5.51万人次。": after a ；, the metric before goes on per day or as a change
_METRIC_GOES_ON = re.compile(r"\s*(?:日均|平均每[天日]|每[天日]平均|同比|环比)")


# A period's total asked, no day: a figure of one day of it does not answer.
_TOTAL_OF_PERIOD = re.compile(r"一共|总共|共计|合计|累计|期间|假期|全年|季度|前[两三四五六七八九十\d]{1,2}个?月|以来")


def _one_day(p: Passage, start: int) -> bool:
    """The figure's fact is of one day ("5月1日，全市接待游客42.8万人次"), not up to it (截至…) or a period."""
    fact = p.facts.at(start) if p.facts is not None else None
    return fact is not None and not fact.period and bool(re.fullmatch(r"\d{1,2}月\d{1,2}日", fact.as_of or ""))


def _previous_start(text: str, s: int) -> int:
    """Where the sentence before the one starting at `s` starts, after the 。 or line break before it: a run of
    ；-chained sentences counts as one ("…；5月4日，接待35.5万人次；" goes back to the chain's first)."""
    return max(text.rfind(ch, 0, s - 1) for ch in "。！？!?\n") + 1


def _figures(p: Passage, start: int, end: int) -> tuple[Figure, ...]:
    """The figures of p.clean.text[start:end], offsets relative to `start`: from the bulletin's figure facts
    (read once at ingest, as key figures are), parsed here only for a passage that comes without them."""
    if p.facts is not None:
        return p.facts.figures(start, end)
    return figures_of(p.clean.text[start:end])


def _other_ordinal(asked: list[Figure], figs: list[Figure]) -> bool:
    """The clause states another ordinal of what the question counts (第一批 for 第二批) and not the asked one."""
    stated = [f for f in figs if f.kind == "ordinal"]
    return any(o.unit == a.unit and o.value != a.value for o in stated for a in asked) and not any(
        o.unit == a.unit and o.value == a.value for o in stated for a in asked)


# A venue asked by its name: only a sentence naming it (or right after one in its paragraph that does) answers for it.
_VENUE = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:纪念馆|博物馆|景区|公园|图书馆|体育馆|展览馆|科技馆|大剧院)")
_TOTAL_ONLY = re.compile(r"\s*(?:共|共计|合计|总计|累计)(?:有|达|为)?\s*")
_LASTED = re.compile(r"\s*(?:历时|用时|耗时|持续|为期|共)(?:了)?\s*")
# A line (or sentence) of items that are only days and figures: "3月16日26.4万件；3月17日27.2万件"
_DATA_ONLY = re.compile(r"(?:\s|[；;，,、]|\d{1,2}月\d{1,2}[日号]|[（(](?:周|星期)?[一二三四五六日天][）)]"  # "3月9日（一）"
                        r"|[-+]?\d[\d.,]*%?(?:[万亿]?[\u4e00-\u9fff]{1,2})?)+")
# A daily log's line ("2月22日，复工648家，新增36家，复工率77.9%，到岗5.46万人"): a day, then its items, each with a figure
_DAY_ITEMS = re.compile(r"\d{1,2}月\d{1,2}[日号](?:，[^，,。；;\n]*\d[^，,。；;\n]*)+")
ITEMS_HEADING_LINES = 8  # lines of items back to their heading, at most (a week of days)


def _items_line(text: str, start: int, end: int) -> bool:
    return bool(_DATA_ONLY.fullmatch(text, start, end) or _DAY_ITEMS.fullmatch(text, start, end))


def _items_heading(text: str, s: int) -> str:
    """The line above a run of lines of items (days and figures only, or a day's items): what every item
    measures."""
    end = text.rfind("\n", 0, s)
    for _ in range(ITEMS_HEADING_LINES):
        if end < 0:
            return ""
        start = text.rfind("\n", 0, end) + 1
        if not _items_line(text, start, end):
            return text[start:end]
        end = start - 1
    return ""


_WHOLE_ROWS = ("全市", "合计", "总计")
_PLACES_TOGETHER = re.compile(r"市辖区|市区|城区|主城区|中心城区")


def _place_row(row: str) -> bool:
    """A table row named by a place ("宝清县") or by places together ("市辖区"), not by a project ("…旅游区")."""
    found = gz.gazetteer().mentions(row)
    return bool(_PLACES_TOGETHER.fullmatch(row)) or (len(found) == 1 and (found[0].start, found[0].end) == (0, len(row)))
_FIGURE_LABEL = re.compile(r"(?:附?表|附?图|附件)\s*$")  # "表1各县（区）大田播种进度": a table's number
_SHARE_BEFORE = re.compile(r"占[^，,；;。]{0,12}?(?:的|比重|比例)?(?:为|达到?|超过|接近|近)?$")
_SHARE_ASKED = re.compile(r"占|比重|比例|几成|百分之|%|率|份额")
_RATE_NAME = re.compile(r"([\u4e00-\u9fff]{2})率")
_ASKED_RATE = re.compile(r"([\u4e00-\u9fff]{2,4})率")


def _other_rate(asked: frozenset[str], before: str) -> bool:
    """The clause names another rate than the one asked ("复工率接近九成" for 到岗率) and not the asked one."""
    if not asked:
        return False
    named = set(_RATE_NAME.findall(before))
    return bool(named) and not named & asked and not any(r in before for r in asked)


def candidates(question: str, passages: list[Passage], weights: dict[str, float] | None = None) -> list[Candidate]:
    intent = parse_intent(question)
    asked = asked_place(intent)
    grams = make_topic(ask_form(question), intent.places, passages)
    excluded = excluded_terms(question)
    noun = asked_noun(question)
    kind = asked_kind(question, [p.chunk.text for p in passages]) if intent.wants == "name" and not intent.person else ""
    owner = _zone_owner(question)
    asked_zones = [x for x in _zone_prefixes(question) if x]  # "松江经济技术开发区…": 松江
    action = _action_asked(question)  # "复工了几家": how many did it
    did = action or _did_asked(question)  # ... or "已开复工几个"
    # A town asked by its short name ("泽国规上企业复工率") when a retrieved bulletin is that town's own report.
    towns = intent.towns or ([] if intent.places else list(dict.fromkeys(
        t for p in passages if (t := _own_town(p.clean.text)) and t in question)))
    predicate = _predicate(question) if intent.wants == "date" and _WHEN.search(question) else frozenset()
    # A day asked of a figure (not the day something happened): a figure known to be of another day cannot answer.
    day_asked = intent.wants in ("figure", "percent") and bool(intent.dates) and not _COMPARED_OR_SPAN.search(question)
    per_day = bool(_PER_DAY_ASKED.search(question))
    one_day_asked = day_asked and bool(_ONE_DAY_ASKED.search(question))
    up_to_day = bool(_UP_TO_DAY.search(question)) and not _ONE_DAY_ASKED.search(question)
    asked_span = span_asked(question)
    compared_with = m.group(1) if (m := _GAP_TARGET.search(question)) else ""  # "比全省高几个百分点": 全省
    # "梧州市区…": the city's urban districts (not 芗城区, a district named so)
    urban = bool(asked) and any((m := re.search(re.escape(f) + f"(?:{_PLACES_TOGETHER.pattern})", question))
                                and gz.place(m.group()) is None for f in gz.forms_of(asked))
    whole = bool(asked) and any(re.search(re.escape(f) + r"(?:的)?全[省市县区州盟旗]", question) for f in gz.forms_of(asked))
    asked_ordinals = [f for f in intent.figures if f.kind == "ordinal"]  # "第二批…是哪天投放的"
    venue = next(iter(_VENUE.findall(question)), "")
    # "蔬菜销量是多少" asks an amount: "其中本地蔬菜占四成" is a share of it
    share_only = intent.wants == "figure" and not intent.unit and not _SHARE_ASKED.search(question)
    # ... and "4月份可再生能源发电量有多少" an amount: "同比增长12.4%" is its change
    amount_only = share_only and not _CHANGE_ASKED.search(question)
    # "到岗率" is not answered by "复工率接近九成" (复工复产率 asks 复工 and 复产 alike)
    verbs = _asked_verbs(question)  # "带动了多少消费": "直接带动消费2.34亿元", not "首轮3000万元消费券"
    asked_rates = frozenset(w[i : i + 2] for w in _ASKED_RATE.findall(question) for i in range(len(w) - 1))
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        prior = 0.05 / (rank + 1)
        for s, e in sentences_of(p):
            if guard.overlaps_instruction(p.clean.text, s, e):
                continue  # a sentence planted to instruct the answerer is never quoted as an answer
            sent_text = p.clean.text[s:e]
            if FIGURE_LINE.match(sent_text):
                continue  # a 数读 heading ("96.8亿元") says nothing of what it measures; its paragraph does
            # A quotation's figures are about whoever says it after it: "“我们2月10日就复工了。”…总经理马建国说"
            # (a question for the name is answered by the speaker line itself).
            said_by = attribution_after(p.clean.text, e) if intent.wants != "name" else ""
            # A paragraph's run-in heading ("（一）道路客运。") says what each of its sentences is about.
            cov = _coverage(grams, _inline_heading(p.clean.text, s) + sent_text + said_by)
            # The heading gives context ("修武县：…"); a little of its coverage counts.
            before = _text_before(p, s, e, CONTEXT_CHARS)
            # A sentence that goes on with the one before it: a part's with its whole's ("…前4个月，南通市外贸进出口
            # 总值826.4亿元，…。其中，出口532.6亿元"), a breakdown's ("分县区看，…"), a day of a ；-chained list
            # with the chain's first, which names what each day's goes on counting ("5月1日，全市接待游客42.8万人次；
            # …；5月4日，接待35.5万人次；").
            continued = sent_text.startswith("其中") or _BREAKDOWN_OPENING.match(sent_text) is not None or (
                s > 0 and p.clean.text[s - 1 : s] in "；;" and intent.wants in ("figure", "percent")
                and (_DAY_OPENING.match(sent_text) or _METRIC_GOES_ON.match(sent_text)) is not None)
            if continued:
                before = p.clean.text[_previous_start(p.clean.text, s) : e]
            # Who speaks: "徐何红(…总经理):" above, or the places of a speaker labelled by name ("韩德林：", the
            # attendance line's 武清区副区长韩德林) or of the paragraph's label.
            speaker = _speaker(p.clean.text, s) or (
                "".join(local_places(p.clean.text, s).values()) if intent.wants != "name" else "")
            heading = _section_heading(p.clean.text, s)
            cov_ctx = max(cov, 0.5 * cov + 0.5 * _coverage(grams, p.chunk.title + heading + speaker + sent_text),
                          0.5 * cov + 0.5 * _coverage(grams, before))
            if continued:
                cov_ctx = max(cov_ctx, _coverage(grams, before))
            # "■本周每日运量" over "3月9日（一）4.62万人次；…": a sentence of days and figures only is measured by the
            # heading of its lines (read once a sentence, for its coverage and its figures' proximity)
            items_heading = _items_heading(p.clean.text, s) if _items_line(p.clean.text, s, e) else None
            if intent.wants in ("figure", "percent") and items_heading is not None:
                cov_ctx = max(cov_ctx, _coverage(grams, items_heading + sent_text))
            place_context = _place_context(p, s, e)
            place = place_score(intent, place_context, p.chunk.places)
            if (owner and _other_zone(place_context, owner)) or (asked_zones and _unasked_zone(asked_zones, sent_text)):
                place = -1.0  # "南部经济开发区…" does not answer for 盐城经开区: zones are named by kind
            if towns and not all(_about_town(p.clean.text, s, e, place_context, t) for t in towns):
                place = -1.0  # "佛堂镇…多少家": a sentence that never names the town is not about it
            elif towns and all(t[:2] in sent_text for t in towns):
                place = 1.0  # "王庆坨镇、崔黄口镇…分别复工" answers for 武清区崔黄口镇: the town is below the place
            if _ASKS_NATIONAL.search(question) and not _NATIONAL.search(sent_text):
                place = -1.0  # "全国新增确诊多少" is not answered by a province's figure
            if intent.places and (_leaves_out(sent_text, intent.places[0])
                                  or (_NATIONAL.search(sent_text) and not _names(sent_text, intent.places[0]))):
                place = -1.0  # "全国…累计报告确诊病例70620例" in a 山东 report is not 山东's figure
            sent_figs = _figures(p, s, e)
            date_fit = _date_fit(intent, sent_text, sent_figs)
            consistent = (place >= 0 and date_fit >= 0
                          and _states_question_figures(intent, _figures(p, max(0, s - CONTEXT_CHARS), e),
                                                       p.clean.text[max(0, s - CONTEXT_CHARS) : e], p.clean.text))
            if intent.years and p.chunk.published and int(p.chunk.published[:4]) not in intent.years:
                consistent = False  # "2022年3月…确诊了多少例" is not answered by a 2020 bulletin
            if intent.wants == "date" and _only_prepares(question, sent_text):
                consistent = False
            if venue and venue in p.clean.text and venue not in p.clean.text[_previous_start(p.clean.text, s) : e]:
                consistent = False  # "抗美援朝纪念馆…接待了多少" is not the city's 24.3万人次 (the bulletin names it elsewhere)
            base = {"coverage": cov_ctx, "place": place, "date": date_fit, "prior": prior}
            compared_asked = any(re.search(rf"(?:与|和|同|较)\s*{m}月{d}日[^，,；;。]{{0,8}}?(?:相比|比较|相较)"
                                           rf"|(?:比|较)\s*{m}月{d}日(?:的|[（(])", sent_text)  # "比3月18日（42.3%）"
                                 for _, m, d in intent.dates)
            if intent.wants in ("figure", "percent", "date", "phone"):
                other_items: set[int] = set()  # "省、市…分别达100%、91%": the figures of items not asked
                respective: dict[int, str] = {}  # ... and the asked item of the one that is
                shared = ""  # ... and what all the items are measured by
                unasked_items: set[int] = set()  # ... or, when the question names no item, every item's figures
                if "分别" in sent_text:
                    fitting_sent = [f for f in sent_figs if fits(intent, f)]
                    kept, mapped, unasked_items = _respectively(question, sent_text, fitting_sent, sent_figs)
                    unasked_items = {s + start for start in unasked_items}
                    other_items = {s + f.start for f in fitting_sent if f.start not in {k.start for k in kept}}
                    respective = {s + start: item for start, item in mapped.items()}
                    shared = _respectively_metric(sent_text, sent_figs)
                clauses = _joined_names(p, _paren_items(p.clean.text, clause_spans(p.clean.text, s, e)))
                # A table row's cells are its clauses, each read under its column's name ("在院治疗3例").
                cells = {c.start: c for c in row_cells(p.clean.text, s)}
                label = _line_label(p.clean.text, s)
                # a row's metrics are its header's; a paragraph's run-in heading ("（一）道路客运。") its sentences'
                header = "".join(c.column for c in cells.values()) + _inline_heading(p.clean.text, s)
                if cells:
                    clauses = [(c.start, c.end) for c in cells.values()]
                # "牛肉价格…涨了多少": a paragraph that never names 牛肉 does not answer ("粳米…上涨1.8%")
                kind_missing = misses_kind(expand_question(question),
                                           header + heading + p.clean.text[p.clean.text.rfind("\n", 0, s) + 1 : e])
                for k, (cs, ce) in enumerate(clauses):
                    column = cells[cs].column if cs in cells else ""
                    at = cs - len(column)  # cleaned offset of the (virtual) clause's start
                    clause = column + p.clean.text[cs:ce]
                    clause_figs = [with_offset(with_cell_unit(f, cells[cs].unit, p.clean.text[cs + f.start - 1 : cs + f.start])
                                               if cs in cells else f, len(column)) for f in _figures(p, cs, ce)]
                    # "复工率99.5%，比全省平均水平（98.6%）高…": the compared place's value is of the rate before
                    # (past other compared clauses: "翻耕进度66.4%，比3月18日（42.3%）提高…，比全省平均进度（58.2%）")
                    compared_metric = ""
                    if k > 0 and not column and _COMPARED_OPENING.match(clause):
                        j = k - 1
                        while j > 0 and re.match(r"\s*(?:比|较|高于|低于)", p.clean.text[clauses[j][0] : clauses[j][1]]):
                            j -= 1
                        compared_metric = p.clean.text[clauses[j][0] : clauses[j][1]]
                    if _other_ordinal(asked_ordinals, clause_figs):
                        continue  # "第一批60吨于2月11日投放" does not answer for 第二批
                    fitting = [f for f in clause_figs if fits(intent, f) and not _echoes_question(intent, f)
                               and not (not f.unit and _FIGURE_LABEL.search(clause[: f.start]))
                               and not (f.kind == "number" and counts_other(question, clause[f.end :]))
                               and not (share_only and f.kind == "percent" and _SHARE_BEFORE.search(clause[: f.start]))
                               and not _other_rate(asked_rates, compared_metric + clause[: f.start])
                               # "复工率到多少了" is not "其中3月当月增长1.8%": a change, of no rate named
                               and not (asked_rates and f.kind == "percent" and not _CHANGE_ASKED.search(question)
                                        and _CHANGE_BEFORE.search(clause[: f.start])
                                        and not _RATE_NAME.search(compared_metric + clause[: f.start]))
                               and not (amount_only and f.kind == "percent" and _CHANGE_BEFORE.search(clause[: f.start]))]
                    now = _drop_before_values(question, clause, fitting, clause_figs, compared_asked)
                    # "日产能由…不足2万只提高到目前的35万只": the metric stands before the old value.
                    before_prox = max((_proximity(grams, clause, f) for f in fitting if f not in now), default=0.0)
                    fitting = [f for f in now if at + f.start not in other_items]
                    if not fitting:
                        continue
                    # Proximity within the clause: in "食用油19.7吨、肉类2000吨" only 2000吨 is next to 肉类. In
                    # "全市1268家规上工业企业已复工1221家" a question asking for a part (已复工) takes the part.
                    for fig in _nearest(question, clause, fitting, grams, p.clean.text[s:cs]):
                        prox = max(_proximity(grams, clause, fig), before_prox)
                        if fig.kind == "percent":
                            # "精瘦肉均价比去年同期的15.20元/斤上涨96.1%": the change's metric stands before its base
                            base_fig = next((f for f in clause_figs if f.end <= fig.start and CHANGE_AFTER_VALUE.fullmatch(
                                clause, f.end, fig.start) and _COMPARISON_BASE.search(clause[: f.start])), None)
                            if base_fig is not None:
                                prox = max(prox, _proximity(grams, clause, base_fig))
                        change_of = ""  # the metric a bare change is of
                        if k > 0 and fig.kind == "percent" and _CHANGE_ONLY_BEFORE.fullmatch(clause[: fig.start]) \
                                and _CHANGE_ASKED.search(question):
                            # "其中工业用电量168.2亿千瓦时，同比增长4.6%": the change of the metric named before
                            ps_, pe_ = clauses[k - 1]
                            named = _figures(p, ps_, pe_)  # the value right before the change ("…每500克3.26元，")
                            change_of = p.clean.text[ps_ : ps_ + named[-1].start] if named else ""
                            prox = max(prox, _proximity(grams, change_of + clause, with_offset(fig, len(change_of))))
                        if prox <= 0 and sent_text.startswith("其中") and _sublist_parent(p.clean.text, clauses, k) is None:
                            # "…社会消费品零售总额96.8亿元，…。其中，3月份实现32.6亿元": the sentence before's metric
                            prox = COMPARED_PROXIMITY * _coverage(grams, _previous_metric(p.clean.text, s))
                        if label and cs >= label[1]:  # "1．遇龙河景区（含竹筏漂流）：…，每日限量2400人次"
                            prox = max(prox, _proximity(grams, label[0] + clause, with_offset(fig, len(label[0]))))
                        if PERIOD_ONLY.fullmatch(clause[: fig.start]) and p.facts is not None \
                                and (fact := p.facts.at(at + fig.start)) is not None and fact.metric:
                            # "其中1—2月2015.8万吨，3月份1112.8万吨": the period's value of the metric read before it
                            prox = max(prox, _coverage(grams, fact.metric))
                        if column:  # "大白菜｜1.35元": the row's name is the cell's other label
                            prox = max(prox, _proximity(grams, cells[cs].row + clause, with_offset(fig, len(cells[cs].row))))
                        if fig.start + at in respective:
                            # 利润 of "产量、收入、利润分别…"; 复工…企业 of "铁东区、铁西区、立山区规上工业企业分别复工…"
                            prox = max(prox, _coverage(grams, respective[fig.start + at]), _coverage(grams, shared))
                        if prox <= 0 and any(f in clause[: fig.start] for pl in intent.places for f in gz.forms_of(pl)):
                            # "其中：武汉市18756例": the list item names its place; the metric is the parent clause's.
                            parent = _sublist_parent(p.clean.text, clauses, k) or _list_head(sent_text)
                            prox = _coverage(grams, parent) if parent else prox
                        compared = _COMPARISON_BASE.search(clause[: fig.start])
                        if prox <= 0 and compared and compared.start() > 0 and not column:
                            # "蔬菜较上周（2303吨）增长6.8%": the earlier value of the metric named before 较
                            prox = COMPARED_PROXIMITY * _coverage(grams, clause[: compared.start()])
                        if compared_metric and compared and compared.start() == 0:
                            # the rate before and what the clause says of the place, not 全省's word alone
                            prox = COMPARED_PROXIMITY * _coverage(
                                grams, compared_metric + re.sub(r"全[国省市区县州]", "", clause[: fig.start]))
                        if prox <= 0 and k > 0 and not column and ((compared and compared.start() == 0) or (
                                not clause[: fig.start].strip()
                                and _CARD_BASE.search(p.clean.text, clauses[k - 1][0], clauses[k - 1][1]))):
                            # "复工率96.2%，比2月25日的84.7%提高11.5个百分点": the earlier value of the metric
                            # named in the clause before; the day asked decides between the two.
                            ps_, pe_ = clauses[k - 1]
                            prox = COMPARED_PROXIMITY * _coverage(grams, p.clean.text[ps_:pe_])
                        if prox <= 0 and k > 0 and not column and _NOW_REACHES.fullmatch(clause[: fig.start]):
                            # "全市口罩日产能从1月底的零起步，目前达到42万只": the level now of the metric before
                            ps_, pe_ = clauses[k - 1]
                            prox = COMPARED_PROXIMITY * _coverage(grams, p.clean.text[ps_:pe_])
                        opening = _PART_OPENING.match(clause)
                        if prox <= 0 and opening and fig.kind == "number":
                            # "其中通过电商销往广东、浙江等地5.8万吨": a part's label says what it is, however long
                            prox = _coverage(grams, clause[opening.end() : fig.start])
                        if prox <= 0 and fig.kind == "number" and k > 0 and not _HAN.search(clause[: fig.start]) \
                                and p.clean.text[clauses[k - 1][1] - 1 : clauses[k - 1][1]] == "、":
                            # "其中民营医院38家、0.42亿元": the item's second figure, labelled by the piece before 、
                            prox = _coverage(grams, p.clean.text[clauses[k - 1][0] : clauses[k - 1][1]])
                        if prox <= 0 and fig.unit == "个百分点" and k > 0 and (
                                any(f.end <= fig.start for f in clause_figs) or _GAP_ONLY_BEFORE.fullmatch(clause[: fig.start])):
                            # "返岗率75.0%，比全省平均水平（72.4%）高2.6个百分点": the gap of the rate before and the
                            # compared place's
                            ps_, pe_ = clauses[k - 1]
                            prox = COMPARED_PROXIMITY * _coverage(grams, p.clean.text[ps_:pe_] + clause[: fig.start])
                        if prox <= 0 and fig.kind == "percent" and k > 0:
                            # "已完成春耕备耕面积28.6万亩，占计划面积46.7万亩（其中…）的61.2%": a share of what the
                            # clause before the 占… names (its bracket's items stand between)
                            j = _share_opening(p.clean.text, clauses, k, clause[: fig.start])
                            if j is not None and j > 0:
                                ps_, pe_ = clauses[j - 1]
                                prox = COMPARED_PROXIMITY * _coverage(grams, p.clean.text[ps_:pe_])
                        if prox <= 0 and k > 0 and not column and (_TOTAL_ONLY.fullmatch(clause[: fig.start]) or (
                                asks_duration(fig, question) and _LASTED.fullmatch(clause[: fig.start]))):
                            # "每所学校均设置了临时留观室，共412个", "…开展线上教学，历时8周": of the clause before
                            prox = _coverage(grams, p.clean.text[s : clauses[k - 1][1]])
                        if prox <= 0 and not column and items_heading is not None:
                            # "附：第12周每日揽收量" over lines of "3月21日29.3万件；": the items' heading says what
                            prox = COMPARED_PROXIMITY * _coverage(grams, items_heading)
                        if prox <= 0 and fig.kind in ("number", "percent") and not asks_duration(fig, question):
                            continue  # no word of the question next to the figure: it measures something else
                        clause_cov = _coverage(grams, change_of + clause)
                        if fig.start + at in respective:
                            # "38家、" of "东川…、甘河工业园区…的规上工业企业分别复工52家、38家": the item's clause
                            # is its name and what the list says of every item.
                            clause_cov = max(clause_cov, _coverage(grams, respective[fig.start + at] + shared))
                        if fig.kind == "date" and _DATE_ADVERBIAL.match(clause):
                            # "2月29日下午，王家鹏主持召开…第八次会议，传达贯彻2月28日…调度会精神": a date that
                            # opens the sentence dates what follows it; an embedded one only its own clause.
                            scope = _adverbial_scope(p.clean.text, clauses, k)
                            clause_cov = max(clause_cov, _coverage(grams, scope))
                            ns, ne = clauses[min(k + 1, len(clauses) - 1)]  # the clause right after the date
                            prox = max(prox, ADVERBIAL_PROXIMITY * _coverage(grams, p.clean.text[ns:ne]))
                        if fig.kind == "date" and any(w in clause for w in predicate):
                            # "最晚哪天前要申请": the clause with the date does what is asked ("6月30日前…提出申请")
                            prox = max(prox, ADVERBIAL_PROXIMITY)
                        # "隆回县：当日新增的1例…": the line's label names the place as a clause would
                        labelled = label[0] + "：" if label and cs >= label[1] else ""
                        fact_place, other_place = place_agreement(p, at + fig.start, asked, labelled + clause[: fig.start])
                        if towns and (all(t[:2] in respective.get(fig.start + at, clause[: fig.start]) for t in towns)
                                      or _fact_of_town(p, at + fig.start, towns)):
                            fact_place, other_place = 1.0, False  # the town's own figure (the gazetteer lacks towns)
                        elif asked and not towns and fact_place >= 0 and _own_town(p.clean.text) \
                                and not _names_scope(p.clean.text[s : at] + clause[: fig.start], asked):
                            # A town's own report ("泽国镇…汇报"): a figure of no named place is the town's, not 温岭's;
                            # "高于全市89.5%" names the city's.
                            fact_place, other_place = -1.0, True
                        if urban and column and (_place_row(cells[cs].row) or _PLACES_TOGETHER.match(cells[cs].row)
                                                 or cells[cs].row in _WHOLE_ROWS):
                            # "梧州市区…社零": the 市区 row of a table of places, not 全市's
                            fact_place, other_place = (1.0, False) if _PLACES_TOGETHER.match(cells[cs].row) else (-1.0, True)
                        elif urban and not column and "全市" in sent_text[: at + fig.start - s]:
                            fact_place, other_place = -1.0, True  # "一季度全市社会消费品零售总额98.2亿元"
                        elif column and asked and _PLACES_TOGETHER.match(cells[cs].row):
                            fact_place, other_place = -1.0, True  # "市区（万秀区、长洲区、龙圩区）": no one district's row
                        elif column and asked and _place_row(cells[cs].row) \
                                and not any(f in cells[cs].row for f in gz.forms_of(asked)):
                            # "市辖区｜42.2万亩｜…" (注：市辖区为尖山区、岭东区…合计) is no row of 尖山区's
                            fact_place, other_place = -1.0, True
                        period = period_agreement(p, at + fig.start, question)
                        fig_day = figure_day(p, at + fig.start)
                        day_fit = date_agreement(intent, fig_day)
                        # "3月18日当天…接待", "每天…" are not answered by 3月18日至19日's total
                        span = (day_asked or (per_day and not _PER_DAY_ASKED.search(p.clean.text, s, at + fig.start))) \
                            and several_days(p, at + fig.start)  # (a 日均 of those days answers 每天)
                        span = span and not up_to_day  # "今年到3月22日…累计": the period up to it answers
                        if span:
                            day_fit = -1.0
                        if not day_fit and not intent.dates and _TOTAL_OF_PERIOD.search(question) \
                                and _one_day(p, at + fig.start):
                            day_fit = -1.0  # "五一假期…一共接待" is not "5月1日，全市接待游客42.8万人次"
                        stale = stale_figure(p, at + fig.start, intent)
                        feats = {**base, "clause_coverage": clause_cov, "proximity": prox,
                                 "rate": _rate_agreement(question, clause, fig),
                                 "excluded": float(any(_mentions(clause, t) for t in excluded)
                                                   or opposite_scale(question, _scale_scope(p.clean.text, s, at, clause[: fig.start]))),
                                 "part": part_agreement(question, clause, fig, p.clean.text[s:cs]),
                                 "fact_place": fact_place,
                                 "fact_date": day_fit or -float(stale or superseded(p, at + fig.start, intent)) or period,
                                 "counted_match": float(bool(noun) and noun in clause),
                                 "fact_asked": fact_asked(p, at + fig.start, question),
                                 "asked_verb": float(any(v in _verb_scope(p, s, at, clauses, k, clause, fig)
                                                         or (at + fig.start in respective and v in sent_text) for v in verbs))}
                        if feats["part"] == 0 and fig.kind == "number" and _PART_ASKED.search(_within(question)) \
                                and _sublist_parent(p.clean.text, clauses, k) is not None:
                            feats["part"] = 1.0  # "其中县内…1673人、县外…1885人": each item of a 其中 list is a part
                        if fig.kind == "number" and not column:
                            named = _part_named(question, p, s, clauses, k, fig)
                            if feats["part"] == 0 or (named < 0 and _PART_OPENING.match(clause)):
                                # "其中十五个市级重大项目全部开工" is all of its kind, but of a kind not asked
                                feats["part"] = named or feats["part"]
                        if did and fig.kind == "number" and did not in clause and k + 1 < len(clauses) \
                                and did in p.clean.text[clauses[k + 1][0] : clauses[k + 1][1]] \
                                and _figures(p, *clauses[k + 1]):
                            feats["part"] = -1.0  # "其中省级重点项目7个，已开复工6个": 7个 is the whole of the part asked
                        if fig.start + at in respective and feats["part"] == 0 and action and action in shared:
                            feats["part"] = 1.0  # "甘河工业园区…分别复工…38家": the asked item's count of those that did it
                        # another place named right before it, or another place's when the whole of the asked
                        # one is ("天水全市…" is not answered by "全县…7.86万人" of a county in it): not its figure
                        states_asked = not other_place and not (whole and fact_place < 0)
                        actual_only = bool(_ACTUAL_ASKED.search(question))  # "实际复工率": no forecast or goal
                        if fig.kind in ("number", "percent"):
                            # A list item's metric is its parent's: "新增确诊病例6例，其中青岛市1例" is 新增.
                            parent = _sublist_parent(p.clean.text, clauses, k) or ""
                            unasked, missing = _other_metric(question, parent + clause[: fig.start],
                                                             header + _chained_before(p.clean.text, s) + sent_text)
                            feats["unasked_modifier"] = float(unasked)
                            states_asked = states_asked and not missing and not kind_missing
                        if fig.kind in ("number", "percent") and _in_condition_aside(p.clean.text, s, at + fig.start, question):
                            feats["unasked_modifier"] = 1.0  # "（参保职工30人及以下的企业，裁员率不高于20%）": an exception
                        if at + fig.start in unasked_items or (
                                fig.kind in ("number", "percent") and not _DONE_SHARE.search(clause[: fig.start]) and (
                                    # "今年全市计划播种…1880万亩，其中玉米1420万亩": an item of a planned whole
                                    _TARGET.search(clause[: fig.start]) or (fig.kind == "number" and _TARGET.search(parent)) or (
                                    # "力争3月底前…全部复工，4月份重大项目开复工率达到98%以上": the goal goes on
                                    _TARGET_LEAD.search(p.clean.text, s, at) and _REACHES.search(clause[: fig.start])))
                                and not _TARGET_ASKED.search(question)) or (
                                fig.qualifier in _LIMITS and not _LIMIT_ASKED.search(question)) or (
                                fig.kind in ("number", "percent") and not column
                                and _unasked_kind(expand_question(question), _subject_clause(p, clauses, k) + clause[: fig.start])) or (
                                _SCHEDULED.search(clause) and _DONE_ASKED.search(question)
                                and not _TARGET_ASKED.search(question)) or (
                                # "今年计划完成投资多少" is not "累计完成投资68.2亿元": a plan asked, none stated
                                fig.kind in ("number", "percent") and _PLAN_ASKED.search(question)
                                and not _PLANNED.search(p.clean.text[s : at] + clause)) or (
                                compared_with and fig.unit == "个百分点" and _other_target(compared_with, clause[: fig.start])) or (
                                # "铁路发送了多少旅客" is not "道路、铁路、水路共发送旅客3.26万人次": the list's total
                                fig.kind == "number" and _listed_total(expand_question(question), clause[: fig.start])) or (
                                # "铁路累计发送了多少" is not "其中道路客运累计发送142.8万人次"
                                fig.kind in ("number", "percent") and names_other_kind(expand_question(question), clause[: fig.start])) or (
                                # "高出几个百分点" is not answered by "降幅比全区平均水平小8.3个百分点"
                                fig.unit == "个百分点" and _gap_way(question, _GAP_ASKED_WAY) * _gap_way(clause[: fig.start]) < 0) or (
                                fig.kind in ("number", "percent") and not fig.unit.endswith("元")
                                and _other_group(question, (p.clean.text[clauses[0][0] : clauses[0][1]] if k and len(
                                    _HAN_CHARS.findall(clause[: fig.start])) <= 4
                                    and not _RULE_CONDITION.match(p.clean.text, *clauses[0]) else "") + clause[: fig.start])):
                            # "4月10日前返岗率达到95%以上" is a goal, not the rate; "不超过8000人次" a limit
                            feats["unasked_modifier"] = 1.0
                            states_asked = states_asked and not actual_only
                        # "1—2月…地区生产总值" is not answered by 一季度's: months asked and others stated
                        coverage, fits_day = cov_ctx, period >= 0 and not span and not (
                            day_asked and not asks_duration(fig, question) and (day_fit < 0 or stale)) and not (
                            # "4月17日当天核销了多少": only a figure said to be of that day answers
                            one_day_asked and not column and day_fit <= 0 and date_fit <= 0) and not (
                            # "2月3日至9日那一周…均价": a figure of a day outside the span asked does not answer
                            asked_span is not None and fig_day is not None and not asked_span[0] <= fig_day <= asked_span[1])
                        if column:
                            cell = cells[cs]  # the row says only its place: its caption and column say what, when
                            coverage = max(cov_ctx, _coverage(grams, cell.caption + cell.row + cell.measured + clause))
                            feats["coverage"] = coverage
                            # The cell reads as its row's clause: "伊犁州 2月22日累计确诊 18例".
                            feats["clause_coverage"] = max(feats["clause_coverage"], _coverage(grams, cell.row + cell.measured + clause))
                            if in_months := months_agreement(question, cell.column) or months_agreement(question, cell.caption):
                                # "指标｜4月份｜1—4月": the column says which period the cell is of
                                feats["fact_date"] = in_months
                                fits_day = fits_day and in_months > 0
                            elif _PAST_COLUMN.search(cell.column) and not _PAST_COLUMN.search(question):
                                feats["fact_date"] = -1.0  # "品种｜本周均价｜上周均价": a price now is this week's
                            if not feats["date"]:
                                dated = cell.caption + cell.column  # "2月22日累计确诊": the column's day
                                feats["date"] = _date_fit(intent, dated, figures_of(dated))
                                # the caption's day decides; without one, a cell known to be of another day stays out
                                fits_day = feats["date"] > 0 if feats["date"] else fits_day
                        out.append(Candidate(p, (s, e), (cs, ce), with_offset(fig, -len(column)), feats, coverage,
                                             consistent and states_asked and fits_day,
                                             item=respective.get(at + fig.start)))
            elif intent.person:
                # "区领导赵俊生一同调研。" is short: what it is about is said in its paragraph before it.
                para = _text_before(p, s, e, NAME_CONTEXT_CHARS)
                cov_name = max(cov_ctx, 0.5 * cov + 0.5 * _coverage(grams, para))
                # A sentence naming no one it can find still answers, below any that does: the name
                # finder only knows common surnames and anchors.
                out.append(Candidate(p, (s, e), (s, e), None, {**base, "nameless": 1.0}, cov_ctx, consistent))
                answered = _answerer(p.clean.text, s)
                if answered is not None:
                    # "河南电视台记者：…采取了哪些措施？" then "王小燕（示范区卫健委主任）：…": who answered the
                    # question this sentence asks is the next speaker; the quote is that speaker's line.
                    name, span = answered
                    out.append(Candidate(p, span, span, None, {**base, "coverage": cov_name, "proximity": cov},
                                         cov_name, consistent, name))
                for name in person_names(sent_text):
                    if name.text in question:
                        continue  # "王家鹏调研…时，哪位区领导一同调研？" does not ask for 王家鹏
                    if _BYLINE.search(sent_text[: name.start]) and "记者" not in question:
                        continue  # the reporter of "本报讯（记者郭树勋）" is not who the question is about
                    prox = _proximity(grams, sent_text, name)
                    role = _ROLE_OF.search(sent_text, 0, name.start)
                    if role:
                        # "领队为靖江市人民医院重症医学科副主任朱海峰": the role is the name's, across its title.
                        at = role.start() + 1
                        alt = sent_text[:at] + sent_text[name.start :]
                        prox = max(prox, _proximity(grams, alt, NameSpan(name.text, at, at + len(name.text))))
                    feats = {**base, "coverage": cov_name, "proximity": prox}
                    out.append(Candidate(p, (s, e), (s, e), None, feats, cov_name, consistent, name.text))
            elif kind:
                # "在中旅银行科技支行，王家鹏一行了解了…。王家鹏要求，要…": the place is set in the sentence
                # before; the quote then runs from that sentence on.
                para = _text_before(p, s, e, NAME_CONTEXT_CHARS)
                cov_name = max(cov_ctx, 0.5 * cov + 0.5 * _coverage(grams, para))
                out.append(Candidate(p, (s, e), (s, e), None, {**base, "nameless": 1.0}, cov_ctx, consistent))
                own = [n for n in entity_names(sent_text, kind) if n.text not in question]
                named = [(n, s) for n in own]
                if not own:
                    named = [(n, bs) for n, bs in _entity_before(p, s, kind)[-1:] if n.text not in question]
                for name, from_ in named:
                    prox = _proximity(grams, sent_text, name) if from_ == s else 0.0
                    feats = {**base, "coverage": cov_name, "proximity": prox}
                    out.append(Candidate(p, (from_, e), (s, e), None, feats, cov_name, consistent, name.text))
            else:
                out.append(Candidate(p, (s, e), (s, e), None, base, cov_ctx, consistent))
    w = weights if weights is not None else scoring.weights()
    for c in out:
        c.score = scoring.score(c.features, w)
    out.sort(key=lambda c: -c.score)
    return out


def _zone_owner(question: str) -> str:
    """Whose zone a question asks about: 盐城市 of "盐城经开区"; '' for none or an unowned one."""
    zone = next((m.place for m in gz.gazetteer().mentions(question, loose=True) if m.place.level == gz.ZONE), None)
    return zone.parents[-1] if zone is not None and zone.parents else ""


_ZONE_PREFIX = re.compile(r"[\u4e00-\u9fff]{2}$")
_NOT_ZONE_OWNER = re.compile(r"[和与及的在是为了对向从全我本该市县区省]")


def _zone_prefixes(text: str) -> list[str]:
    """The names before the zones a text names: 西宁 of "西宁经济技术开发区", 松江 of "松江经济技术开发区"
    (a prefix the gazetteer does not hold); '' for a zone named by its kind alone or as 全市/该区…'s."""
    out = []
    for m in gz.gazetteer().mentions(text, loose=True):
        if m.place.level != gz.ZONE:
            continue
        kind = next((k for k in sorted(gz.ZONE_KINDS, key=len, reverse=True) if m.surface.endswith(k)), m.surface)
        prefix = m.surface[: len(m.surface) - len(kind)]
        if not prefix:
            # An unknown name counts only where the zone's name opens a clause ("松江经济技术开发区已复工…",
            # not "检查示范区" or "推广示范区").
            before = _ZONE_PREFIX.search(text, 0, m.start)
            opens = before is not None and (before.start() == 0 or text[before.start() - 1] in "，,。；;：:、 \n")
            prefix = before.group() if opens and not _NOT_ZONE_OWNER.search(before.group()) else ""
        out.append(prefix)
    return out


def _unasked_zone(asked: list[str], text: str) -> bool:
    """The question asks for zones of these names (_zone_prefixes) and the text names only zones of other
    names: "西宁经济技术开发区…" does not answer "松江经济技术开发区…" (zones are named by kind; the prefix says whose)."""
    named = [x for x in _zone_prefixes(text) if x]
    return bool(asked and named) and not any(a in n or n in a for a in asked for n in named)


def _other_zone(text: str, owner: str) -> bool:
    """The text names zones, all of another place's: "南部经济开发区" or "南部经开区" for a 盐城 question.
    A zone whose prefix the gazetteer does not know (南部 is a common word) is another place's unless the
    prefix is the owner's name; 全市/市/该区 or a conjunction before it says nothing."""
    zones = [m for m in gz.gazetteer().mentions(text) if m.place.level == gz.ZONE]
    if not zones:
        return False
    forms = gz.forms_of(owner)
    for m in zones:
        if m.place.parents:
            if owner in m.place.parents:
                return False
            continue
        prefix = _ZONE_PREFIX.search(text, 0, m.start)
        if not prefix or _NOT_ZONE_OWNER.search(prefix.group()) or any(text.endswith(f, 0, m.start) for f in forms):
            return False
    return True


# "领队为<title>朱海峰", "由<title>李民生带队": the word before 为/是/由 names the role of the name after the title.
_ROLE_OF = re.compile(r"[为是由][^，,。；;为是由]{0,30}$")


# A reporter's question at a press conference, and the speaker label that opens the answer after it.
_REPORTER = re.compile(r"[^\n:：。]{0,20}记者\s*[:：]")
_SPEAKER_LABEL = re.compile(r"([\u4e00-\u9fff]{2,4})\s*(?:[（(][^（）()\n]{2,40}[）)])?\s*[:：]")
ANSWER_REACH = 600  # characters from a reporter's question to the answer's speaker line


def _answerer(text: str, s: int) -> tuple[str, tuple[int, int]] | None:
    """For a sentence opening a reporter's question line, the name of the speaker who answers it (the next
    line opened by a speaker label that is no reporter's or host's) and the first sentence of that line."""
    line = text.rfind("\n", 0, s) + 1
    if line != s or not _REPORTER.match(text, line):
        return None
    pos = text.find("\n", s)
    while 0 <= pos < s + ANSWER_REACH:
        label = _SPEAKER_LABEL.match(text, pos + 1)
        if label and "记者" not in label.group() and "主持" not in label.group():
            name = label.group(1)
            if not person_names(label.group()) and not re.search(re.escape(name) + r"\s*[（(]", text):
                return None  # a label naming no person ("问：", "答："), nor one introduced with a title elsewhere
            first = next(iter(split_sentences(text[pos + 1 : pos + 1 + ANSWER_REACH], base=pos + 1)), None)
            return (name, first) if first else None
        if _REPORTER.match(text, pos + 1):
            return None  # another question before any answer
        pos = text.find("\n", pos + 1)
    return None


def _entity_before(p: Passage, s: int, kind: str) -> list[tuple[NameSpan, int]]:
    """Names of the asked kind in the sentences of the paragraph before offset s (within
    NAME_CONTEXT_CHARS), each with the start of its sentence, in text order."""
    text = p.clean.text
    para_start = max(text.rfind("\n", 0, s) + 1, s - NAME_CONTEXT_CHARS)
    out = []
    for ss, se in split_sentences(text[para_start:s], base=para_start):
        out += [(n, ss) for n in entity_names(text[ss:se], kind)]
    return out


def _trim(text: str) -> str:
    text = text.strip(" ，,、；;：:")
    # An opening bracket closed inside the text stays: "（0898）68724561" is the phone with its area code.
    while text[:1] in ("（", "(") and not re.search(r"[）)]", text):
        text = text[1:].lstrip(" ，,、；;：:")
    return text.rstrip(" ，,、；;：:（(")


def _verb_scope(p: Passage, s: int, at: int, clauses: list[tuple[int, int]], k: int, clause: str,
                fig: Figure) -> str:
    """Where the verb of a figure stands: its clause before it, and for a 其中 part its whole's clauses too
    ("全市银行业为复工企业发放贷款286.4亿元，其中小微企业贷款163.5亿元": 163.5亿元 was 发放 too), and after a
    figure all of whose counted did it."""
    before = clause[: fig.start]
    if _ALL_DID.match(squash(clause[fig.end : fig.end + 24])):
        before += clause[fig.end :]  # "示范区40家重点工业企业全部复工复产": all 40 did it
    parent = _sublist_parent(p.clean.text, clauses, k) if k else None
    if parent:
        return parent + before  # "全州累计报告确诊病例10例，其中…个旧市3例": 3例 were 报告 too
    if not _PART_OPENING.match(clause):
        return before
    return p.clean.text[_previous_start(p.clean.text, s) if k == 0 else s : max(at, s)] + before


def _asked_verbs(question: str) -> tuple[str, ...]:
    """The verb of "带动了多少消费" (带动), with the bulletins' word for a staff one ("发了多少" -> 发放)."""
    ws = words(question)
    out: list[str] = []
    for i, w in enumerate(ws[:-1]):
        after = ws[i + 2] if i + 2 < len(ws) else ""
        if (ws[i + 1] == "了" and after.startswith(("多少", "几"))) or (
                w.endswith("了") and ws[i + 1].startswith(("多少", "几"))):
            out += [w, *(v for k, v in SYNONYMS if k in (w, w + "了"))]
    return tuple(v for v in dict.fromkeys(out) if len(v) >= 2 and not v.endswith("了"))


def passes(c: Candidate, intent: Intent) -> bool:
    """Enough of the topic covered, and no contradiction with the asked place, date or metric."""
    min_cov = MIN_COVERAGE["person" if intent.person else intent.wants]
    return c.consistent and c.coverage >= (MIN_COVERAGE["person"] if c.name else min_cov)


def answer_key(c: Candidate) -> str:
    """What the candidate would state: two candidates with the same key give the same answer."""
    if c.name is not None:
        return "name:" + c.name
    if c.figure is not None:
        return c.figure.normalized
    return f"sentence:{c.passage.chunk.doc_id}:{c.sent[0]}"


def ranked(question: str, passages: list[Passage], weights: dict[str, float] | None = None) -> list[Candidate]:
    """The candidates that may answer, best first."""
    # "到18号", "满100块": asked as the bulletin it is asked of writes it (the top passage's)
    question = written_form(question, next((p.chunk.published for p in passages if p.chunk.published), None))
    intent = parse_intent(question)
    return [c for c in candidates(question, passages, weights) if passes(c, intent)]


def render(best: Candidate) -> ExtractiveResult:
    p = best.passage
    citation = make_citation(p, best.sent[0], best.sent[1], n=1)
    sentence = p.clean.text[best.sent[0] : best.sent[1]]
    stated_at = None
    if best.name is not None:
        text = f"{best.name}。公报原文：“{sentence}”[1]"
        figure = None
    elif best.figure is not None:
        clause = _trim(p.clean.text[best.clause[0] : best.clause[1]])
        # "143家。" of a 分别 list, "吴忠市利通区1例" of a bracketed list: the item says nothing without its sentence.
        in_list = best.item or "分别" in sentence[: best.clause[0] - best.sent[0]] \
            or p.clean.text[best.clause[0] - 1 : best.clause[0]] in ("（", "(", "、")
        lead = clause[: max(clause.find(best.figure.text), 0)]
        # "目前达到42万只", "环比下降5.8%": of what? The sentence says.
        bare = _NOW_REACHES.fullmatch(lead) or (best.figure.kind == "percent" and _CHANGE_ONLY_BEFORE.fullmatch(lead))
        if in_list or bare or len(re.findall(r"[\u4e00-\u9fff]", clause.replace(best.figure.text, ""))) < 4:
            clause = _trim(sentence)
        text = f"{best.figure.text}。公报原文：“{clause}”[1]"
        figure = best.figure.text
        stated_at = (p.chunk.doc_id, best.clause[0] + best.figure.start)
    else:
        text = f"公报原文：“{sentence}”[1]"
        figure = None
    return ExtractiveResult(text, [citation], False, figure, best.coverage, answers_question=True, stated_at=stated_at)


EVIDENCE_TEXT = "公报中没有足以确切回答这个问题的内容（把握不足），不给出数字；下面是最相关的原文，供核对。"
EVIDENCE_SENTENCES = 2


def evidence(cands: list[Candidate], confidence: float | None) -> ExtractiveResult:
    """Below the confidence threshold: no figure is asserted; the best sentences are shown as citations."""
    citations, seen = [], set()
    for c in cands:
        key = (c.passage.chunk.doc_id, c.sent)
        if key in seen:
            continue
        seen.add(key)
        citations.append(make_citation(c.passage, c.sent[0], c.sent[1], n=len(citations) + 1))
        if len(citations) == EVIDENCE_SENTENCES:
            break
    return ExtractiveResult(EVIDENCE_TEXT, citations, True, None, cands[0].coverage, confidence, False)


_COMPOUNDS = re.compile(r"进出口")  # words that hold a part's name without naming it


def states_part(c: Candidate, part: Part) -> bool:
    """The candidate's figure is stated of the part's place or item: in "湖北省新增…2184例，其中：武汉市1503例"
    only 1503例 is 武汉's, and in "其中医生4名、护士8名" only 4名 the 医生's. The nearest place (item)
    named before the figure in its sentence decides; a sentence naming no place is its article's."""
    if not part.of or c.figure is None:
        return True
    text = c.passage.clean.text
    before = text[c.sent[0] : c.clause[0] + c.figure.start]
    if part.is_place and (urban := _PLACES_TOGETHER.search(part.label)) and part.label.endswith(urban.group()):
        return _PLACES_TOGETHER.match(before.lstrip()) is not None  # "梧州市区": the 市区 row, not 全市's
    if part.is_place and c.item is not None:
        return any(f in c.item for f in gz.forms_of(part.of))  # 耒阳市 of "耒阳市、常宁市…分别复工136家、88家"
    if part.is_place:
        words = place_words(before)
        fact = c.passage.facts.at(c.clause[0] + c.figure.start) if c.passage.facts is not None else None
        if words and words[-1].word in gz.REFERENCE_WORDS and fact is not None and fact.place:
            # "全省…共136名，其中我市医护人员94名": what 全省/我市 mean there decides (the figure's fact)
            return fact.place == part.of
        named = gz.gazetteer().mentions(before)
        if named:
            # "吴忠市利通区1例" is 吴忠市's too; "耒阳经济开发区…58家" is the zone's, not 耒阳市's.
            return named[-1].place.name == part.of or (
                len(named) > 1 and named[-2].end == named[-1].start and named[-2].place.name == part.of)
        return bool(c.passage.chunk.places) and c.passage.chunk.places[0] == part.of
    if c.item is not None:
        of, item = _short_forms(part.of), _short_forms(c.item)
        return _head(of) in item or _head(item) in of
    masked = _COMPOUNDS.sub(lambda m: "〇" * len(m.group()), before)  # 出口 is not named by 进出口
    terms = (part.of, *part.rivals)
    at = {t: _last_named(t, terms, before, masked) if t == part.of else masked.rfind(_head(t)) for t in terms}
    nearest = max(at, key=lambda t: at[t])
    return at[nearest] >= 0 and nearest == part.of


def _last_named(term: str, terms: tuple[str, ...], before: str, masked: str) -> int:
    """Where `before` last names the part's term: its head ("外贸进出口" of 外贸进出口总额), else a word of it that no
    other term holds ("全市进出口总额86.4亿元" names 外贸进出口总额, not 出口额; "消费券已领取4862万元" 消费券已经领取).
    A rival is named by its head only: the words of "大龙山蔬菜批发市场" include the 蔬菜 every item measures."""
    at = masked.rfind(_head(term))
    if at >= 0:
        return at
    pieces = [x for w in words(term) for x in ((w, w[:2]) if len(w) >= 3 else (w,))]  # 出口 of 出口额
    for w in pieces:
        compound = bool(_COMPOUNDS.fullmatch(w))
        others = [t if compound else _COMPOUNDS.sub(lambda m: "〇" * len(m.group()), t) for t in terms if t != term]
        if len(w) >= 2 and _HAN.fullmatch(w) and not any(w in t for t in others):
            at = max(at, (before if compound else masked).rfind(w))
    return at


PRECISE_MARGIN = 1.5  # how far below a rounded figure's score its exact value may rank and still be preferred


def _within_bound(exact: Figure, rounded: Figure) -> bool:
    """91.9% states "超九成" more exactly (as 5.8万吨 does "近6万吨", 6.1万件 "约6万件")."""
    if exact.bound != "eq" or exact.kind != rounded.kind or exact.unit != rounded.unit \
            or exact.value is None or rounded.value is None or rounded.value <= 0 or rounded.qualifier in _LIMITS:
        return False  # "不超过8000人次" is a limit, not a rounding
    ratio = exact.value / rounded.value
    if rounded.bound == "gt":
        return 1 < ratio <= Decimal("1.2")
    if rounded.bound == "lt":
        return Decimal("0.8") <= ratio < 1
    return Decimal("0.9") <= ratio <= Decimal("1.1")


_IN_TABLE = re.compile(r"[|｜]")


def answer(question: str, passages: list[Passage], weights: dict[str, float] | None = None,
           model: dict | None = None, part: Part | None = None, min_confidence: float | None = None,
           stated: frozenset[tuple[str, int]] = frozenset()) -> ExtractiveResult:
    """`stated`: where the figures of a question's earlier parts stand; a later part answers with another."""
    cands = ranked(question, passages, weights)
    if part is not None:
        cands = [c for c in cands if states_part(c, part)]
    if stated:
        cands = [c for c in cands if c.figure is None
                 or (c.passage.chunk.doc_id, c.clause[0] + c.figure.start) not in stated]
    if not cands:
        return ExtractiveResult(ABSTAIN_TEXT, [], True)
    best = cands[0]
    if best.figure is not None and best.figure.bound != "eq":
        # "兰炭企业复产率超九成" heads the page, "复产率91.9%" is in the story: the exact figure is the answer
        exact = next((c for c in cands[1:] if c.figure is not None and c.score >= best.score - PRECISE_MARGIN
                      and c.passage.chunk.doc_id == best.passage.chunk.doc_id and _within_bound(c.figure, best.figure)),
                     None)
        if exact is not None:
            cands = [exact, *(c for c in cands if c is not exact)]
            best = exact
    rival = next((c.score for c in cands[1:] if answer_key(c) != answer_key(best)), None)
    conf = scoring.confidence(best.score, rival, model, best.features, len({answer_key(c) for c in cands}),
                              scoring.answer_kind(answer_key(best)))
    if conf is not None and conf < (scoring.threshold(model) if min_confidence is None else min_confidence):
        return evidence(cands, conf)
    if best.figure is not None and _IN_TABLE.search(best.passage.clean.text, best.sent[0], best.sent[1]):
        # "原煤产量｜万吨｜4126.3｜3.5" restates "全市原煤产量4126.3万吨": quote the sentence, which says what it is
        best = next((c for c in cands[1:] if answer_key(c) == answer_key(best)
                     and c.passage.chunk.doc_id == best.passage.chunk.doc_id
                     and not _IN_TABLE.search(c.passage.clean.text, c.sent[0], c.sent[1])), best)
    result = render(best)
    result.confidence = conf
    return result


def one_figure_once(results: list[ExtractiveResult]) -> list[ExtractiveResult]:
    """Each part of a multi-part question states its own figure: a part that found only the figure an earlier part
    states (the whole again for "其中线上卖了多少") found none of its own."""
    seen: set[tuple[str, int]] = set()
    out = []
    for r in results:
        if r.stated_at is not None and r.stated_at in seen:
            r = ExtractiveResult(ABSTAIN_TEXT, [], True)
        elif r.stated_at is not None:
            seen.add(r.stated_at)
        out.append(r)
    return out


def combine(labels: list[str], results: list[ExtractiveResult]) -> ExtractiveResult:
    """One answer to a multi-part question: each part's answer on its line after its label (which states
    no figure), citations renumbered."""
    lines, citations = [], []
    for label, res in zip(labels, results, strict=True):
        offset = len(citations)
        text = re.sub(r"\[(\d+)\]", lambda m, k=offset: f"[{int(m.group(1)) + k}]", res.answer)
        citations += [c.model_copy(update={"n": c.n + offset}) for c in res.citations]
        lines.append(f"{label}：{text}")
    confs = [r.confidence for r in results if r.confidence is not None]
    return ExtractiveResult(
        "\n".join(lines), citations, all(r.abstained for r in results),
        coverage=min(r.coverage for r in results), confidence=min(confs) if confs else None,
        answers_question=all(r.answers_question for r in results),
    )
