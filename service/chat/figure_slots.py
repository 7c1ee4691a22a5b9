"""Whose figure it is and of which day, against what the question asks (its place and date slots).

A figure's place is its figure fact's (service.facts: the actor of its clause, 全市/我县 resolved to the
article's own place). Its day is the date its fact reads in its own sentence, else the date of its
paragraph or section (a two-day report's "2月16日0时至24时，…" paragraph, a "湖北省…情况（2月10日）" section),
else for "目前" the bulletin's publication day. Each says +1 (the asked one), -1 (another known one) or 0
(unknown, or nothing asked); extractive.py scores them as features (service.chat.scoring).
"""

from __future__ import annotations

import bisect
import calendar
import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from service.facts.reading import SPEAKER_LABEL, months_of
from service.intent import COMPARED_MONTHS, Intent, expand_question, fact_place_agreement
from vectorstore import places as gz
from vectorstore.cleaning import NUMBERED_HEADING, squash

if TYPE_CHECKING:
    from service.citations import Passage
    from service.facts.store import DocumentFacts

_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")
_BARE_DAY = re.compile(r"(?<![月\d])(\d{1,2})日")  # "截至20日": a day of the month last named
_MONTH_END = re.compile(r"(?<![\d—－至到-])(\d{1,2})月(?:末|底)(?!前)")
_HEADING_MAX = 40  # a line this short without 。，； is a heading ("湖北省新冠肺炎疫情情况（2月10日）")
# A paragraph dated at its start, after a news item's lead-in if any ("本网讯　记者从…获悉，截至2月20日，").
_PARAGRAPH_DATE = re.compile(r"\s*(?:本[报网台]讯[\s　]*(?:[（(][^（）()]{0,20}[）)])?[\s　]*)?(?:[^，,。]{0,30}获悉[，,]\s*)?"
                             rf"(?:{SPEAKER_LABEL}\s*)?"  # a speaker: "答（…）："
                             r"(?:截至|截止)?(?:\d{4}年)?(\d{1,2})月(\d{1,2})[日号][^，,。]{0,12}[，,]")
_NOW = re.compile(r"目前|现在|当前|至今|到目前")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _is_title(line: str) -> bool:
    """A short line that is no sentence and no table row: a heading or a news item's headline."""
    body = line.strip()
    return bool(body) and len(body) <= _HEADING_MAX and not re.search(r"[。，,；;｜|]", body)


# A page's metadata line ("发布日期：2020-02-17 08:00", "首页 > 疫情通报") is no news item's headline.
_META = re.compile(r"发布|来源|浏览|作者|编辑|日期|时间|首页|>|\d{4}-\d{1,2}-\d{1,2}")


_UP_TO = re.compile(r"截至|截止")


def _is_heading(line: str) -> bool:
    return _is_title(line) and len(set(_MONTH_DAY.findall(line))) == 1


@lru_cache(maxsize=32)
def section_dates(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, int] | None, ...]]:
    """Where the text dates what follows: (line offsets, the (month, day) of each line or None). A paragraph
    that opens with a date ("2020年2月16日0时至24时，…", "截至2月16日24时，…") is of that day. A heading line
    naming one date ("湖北省新冠肺炎疫情情况（2月10日）") opens a section; the section's other paragraphs are
    of its first dated paragraph's day, or the heading's when none is dated (a daily report headed with
    its publication day, 2月17日, reports 2月16日)."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    days: list[tuple[int, int] | None] = []
    section: tuple[int, int] | None = None
    for i, (_, line) in enumerate(lines):
        if _is_heading(line):
            ((m, d),) = set(_MONTH_DAY.findall(line))
            section = (int(m), int(d))
            # "一、总体情况（截至2月27日24时）" states its day; only a heading naming a day alone ("（2月10日）")
            # may be its publication day, its section of the day its first dated paragraph says
            for _, later in lines[i + 1 :] if not _UP_TO.search(line) else ():
                head = _PARAGRAPH_DATE.match(later)
                if head:
                    section = (int(head.group(1)), int(head.group(2)))
                    break
                if _is_heading(later) or NUMBERED_HEADING.match(later):
                    break  # the next heading: no dated paragraph in this section
            days.append(section)
            continue
        if _is_title(line) and not _META.search(line):
            section = None  # "全区规上工业企业复工率达80.2%": a new item, not the report's day any more
        head = _PARAGRAPH_DATE.match(line)
        days.append((int(head.group(1)), int(head.group(2))) if head else section)
    return tuple(at for at, _ in lines), tuple(days)


def figure_day(p: Passage, start: int) -> tuple[int, int] | None:
    """The (month, day) the figure at cleaned offset `start` is of; None when none is known (a fact dated
    only by the reader's fallback to the publication day is not taken as dated)."""
    fact = p.facts.at(start) if p.facts is not None else None
    as_of = fact.as_of if fact is not None and fact.as_of and "发布日" not in fact.as_of else ""
    own = _MONTH_DAY.findall(as_of)
    if own:
        return int(own[-1][0]), int(own[-1][1])
    if bare := _BARE_DAY.search(as_of):
        # "4月18日，莲都区…上线…。截至20日，全区已核销186万元": the month last named in its paragraph, else the
        # bulletin's
        named = _MONTH_DAY.findall(p.clean.text, p.clean.text.rfind("\n", 0, start) + 1, start)
        month = int(named[-1][0]) if named else int(p.chunk.published[5:7]) if re.match(
            r"\d{4}-\d{2}", p.chunk.published or "") else 0
        if month:
            return month, int(bare.group(1))
    if (end := _MONTH_END.search(as_of)) and 1 <= int(end.group(1)) <= 12:
        # "3月末…余额": the month's last day (of the bulletin's year), as "截至3月底" in a question reads
        year = int(p.chunk.published[:4]) if re.match(r"\d{4}", p.chunk.published or "") else 2020
        return int(end.group(1)), calendar.monthrange(year, int(end.group(1)))[1]
    period = fact.period or "" if fact is not None else ""
    if _THIS_WEEK.fullmatch(period) and (week := report_week(p.clean.text)) is not None:
        return week[1]  # "本周…" of a weekly report headed "监测时段：4月6日至4月12日": up to its last day
    if end := _PERIOD_END.search(period):
        # "1月1日至3月22日…累计2146.8万件" is up to 3月22日 (a question of one day is kept off by several_days);
        # "3月16日至22日" ends in its first day's month
        first = _MONTH_DAY.search(period)
        month = end.group(1) or (first.group(1) if first else "")
        if month:
            return int(month), int(end.group(2))
    offsets, days = section_dates(p.clean.text)
    i = bisect.bisect_right(offsets, start)
    if i and days[i - 1] is not None:
        return days[i - 1]
    if _NOW.search(as_of) and re.match(r"\d{4}-\d{2}-\d{2}", p.chunk.published or ""):
        return int(p.chunk.published[5:7]), int(p.chunk.published[8:10])
    return None


_PERIOD_END = re.compile(r"(?:至|到|—|－|-)\s*(?:(\d{1,2})月)?(\d{1,2})[日号]$")  # "1月1日至3月22日", "3月16日至22日"
STALE_DAYS = 3  # a bulletin reports up to this many days back as current ("截至2月16日" in a 2月19日 paper)


def stale_figure(p: Passage, start: int, intent: Intent) -> bool:
    """The figure is dated only by its bulletin's publication day (what it says holds then), and every day
    the question asks lies more than STALE_DAYS before that day or after it: "2月18日盐城规上工业企业复工率"
    is not the 96.2% a 3月4日 paper reports."""
    asked = [(m, d) for _, m, d in intent.dates if m and d]
    fact = p.facts.at(start) if p.facts is not None and asked else None
    published = p.chunk.published or ""
    if fact is None or "发布日" not in (fact.as_of or "") or not re.match(r"\d{4}-\d{2}-\d{2}", published):
        return False
    try:
        pub = date(int(published[:4]), int(published[5:7]), int(published[8:10]))
        gaps = [(pub - date(pub.year, m, d)).days for m, d in asked]
    except ValueError:
        return False
    return all(g > STALE_DAYS or g < 0 for g in gaps)


_WEEK = re.compile(r"本周|上周")
_EARLIER_AFTER = re.compile(r"\s*[（(]\s*上周")  # a value followed by last week's in brackets is this week's
# A week a figure is of: "本周…", "（上周：", "上周为", "比上周（3月6日）的91.5%", "较上周（2303吨）"; not
# "比上周提高5.7个百分点".
_WEEK_SAID = re.compile(r"(?<![比较])(?P<w>本周|上周)|(?<=[比较])(?P<c>本周|上周)(?=[^，,；;。提高增长下降减少多少]{0,12}?的|\s*[（(])")
_DELTA = re.compile(r"(?:比|较)(?:本周|上周)[^，,；;。的]{0,8}?(?:多|少|增加|减少|增长|下降|提高|降低)\s*$")
_NOW_ASKED = re.compile(r"目前|现在|当前|最新|还有|尚有|现有")


def _bigram_set(text: str) -> frozenset[str]:
    return frozenset(r[i : i + 2] for r in _HAN_RUN.findall(text) for i in range(len(r) - 1))


def _stated_day(as_of: str | None) -> tuple[int, int] | None:
    """(month, day) of a day the text states ("截至2月20日24时"); None for a publication day or no day."""
    day = _MONTH_DAY.search(as_of or "")
    return (int(day[1]), int(day[2])) if day and "发布日" not in (as_of or "") else None


@lru_cache(maxsize=64)  # per bulletin (DocumentFacts by identity), asked again for every candidate
def _dated_metrics(facts: DocumentFacts) -> tuple[tuple[tuple[int, int], str, frozenset[str]], ...]:
    """Each fact with a stated day: (day, unit, its metric's bigrams)."""
    return tuple((day, f.figure.unit, _bigram_set(f.metric)) for f in facts.facts if (day := _stated_day(f.as_of)))


def superseded(p: Passage, start: int, intent: Intent) -> bool:
    """A question about now ("牡丹江现在还有多少例在院治疗") is not answered by a figure of a day when the
    bulletin gives the same metric, in the same unit, for a later day (a two-day report's earlier section)."""
    if intent.dates or p.facts is None or not _NOW_ASKED.search(intent.question):
        return False
    fact = p.facts.at(start)
    when = _stated_day(fact.as_of) if fact is not None else None
    if when is None:
        return False
    grams = _bigram_set(fact.metric)
    return any(day > when and unit == fact.figure.unit and grams & other
               for day, unit, other in _dated_metrics(p.facts))


def period_agreement(p: Passage, start: int, question: str) -> float:
    """+1 the figure's fact is of the months the question asks ("1—2月…进出口" for 1—2月), -1 of others
    ("1—2月…14.8亿元" for "1月份…进出口总值"), 0 when either names no months."""
    # "比上周增长了多少" compares with last week: it asks for no week's value
    asked_week = re.sub(r"(?:比|较|与|同|和)(?:上周|上一周)", "", question)
    week = _WEEK.search(re.sub(r"上一周", "上周", re.sub(r"这一?周", "本周", asked_week)))
    if week and p.facts is not None and (fact := p.facts.at(start)) is not None:
        # "本周新开工了几个" is this week's figure: not last week's ("2860万千瓦时（上周：2510万千瓦时）", "本周…4.6亿元，
        # 上周为3.79亿元": the nearest week word before it says), nor a running total (截至3月12日…572个).
        if _DELTA.search(p.clean.text, fact.sentence[0], start):
            return -1.0  # "比上周多19个", "比上周增长13.9%": a change, no week's value
        said = [m["w"] or m["c"] for m in _WEEK_SAID.finditer(p.clean.text, fact.sentence[0], start)]
        if _EARLIER_AFTER.match(p.clean.text, fact.figure.end):
            return 1.0 if week.group() == "本周" else -1.0  # "97.2%（上周：91.5%）": 97.2% is this week's
        if said:
            return 1.0 if said[-1] == week.group() else -1.0
        # "2月10日复工以来，全市累计运送旅客128.4万人次" is a running total too
        return -1.0 if (fact.as_of or "").startswith(("截至", "截止")) or (fact.period or "").endswith("以来") else 0.0
    fact = p.facts.at(start) if p.facts is not None else None
    if fact is None or not fact.period or "日" in fact.period:
        return 0.0
    return months_agreement(question, fact.period)


# "到4月累计投了多少", "截至3月底": the months from the year's start (not "1月到4月", "1到4月": their own)
_UP_TO_MONTH = re.compile(r"(?<![月\d])(?:截至|截止|到)(\d{1,2})月份?(?=底|末|累计|为止|以来|，|,|$)")


def months_agreement(question: str, period: str) -> float:
    """+1 `period` (a fact's, a table column's: "1—4月" under "指标｜4月份｜1—4月") is of the months the question
    asks, -1 of others, 0 when either names no months ("降幅比1—2月收窄了几个百分点" asks none)."""
    asked = months_of(_UP_TO_MONTH.sub(r"1—\1月", COMPARED_MONTHS.sub("", question)))
    stated = months_of(period)
    if asked is None or stated is None:
        return 0.0
    return 1.0 if asked == stated else -1.0


# "3月18日至19日", "2月17日—2月23日": a fact of several days (or the days a question asks about)
_DAY_SPAN = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?\s*(?:至|到|—|－|-|~|～)\s*(?:(\d{1,2})月)?(\d{1,2})[日号]")


def span_asked(question: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """"2月3日至9日": ((2, 3), (2, 9)), the first and last day of the days a question asks about."""
    m = _DAY_SPAN.search(question)
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2))), (int(m.group(3) or m.group(1)), int(m.group(4)))


def several_days(p: Passage, start: int) -> bool:
    """The figure's fact is of a span of days ("3月18日至19日，全市接待游客1.26万人次", "本周…共运送旅客38.6万人次"):
    no one day's figure."""
    fact = p.facts.at(start) if p.facts is not None else None
    return fact is not None and bool(_DAY_SPAN.search(fact.period or "") or _WEEK_SPAN.fullmatch(fact.period or ""))


_THIS_WEEK = re.compile(r"本周|当周|全周|这周")
_WEEK_SPAN = re.compile(rf"{_THIS_WEEK.pattern}|上周")
REPORT_HEAD_CHARS = 300  # a weekly report states its week in its first lines


@lru_cache(maxsize=64)
def report_week(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The span of days a weekly report's head states ("第11周（2020年3月9日—3月15日）", "监测时段：4月6日至4月12日"),
    as (first, last) (month, day); None when its head states none."""
    m = _DAY_SPAN.search(text, 0, REPORT_HEAD_CHARS)
    if m is None:
        return None
    return (int(m.group(1)), int(m.group(2))), (int(m.group(3) or m.group(1)), int(m.group(4)))


def date_agreement(intent: Intent, day: tuple[int, int] | None) -> float:
    """+1 the figure is of an asked day, -1 of another known day, 0 no day asked or the figure's unknown."""
    if not intent.dates or day is None:
        return 0.0
    return 1.0 if any((m, d) == day for _, m, d in intent.dates) else -1.0


def place_agreement(p: Passage, start: int, asked: str | None, before: str) -> tuple[float, bool]:
    """Whether the figure at cleaned offset `start` is, as its fact reads it, the asked place's (+1, -1, 0), and
    whether that other place is named in its clause before it ("金华全市规上工业企业复工率为95.1%" for 义乌):
    then the figure cannot answer, however well its words match."""
    fact = p.facts.at(start) if p.facts is not None and asked else None
    if fact is None:
        return 0.0, False
    agreement = fact_place_agreement(asked, fact.place)
    named = agreement < 0 and (any(m.place.name == gz.canon(fact.place) for m in gz.gazetteer().mentions(before))
                               or _says_own_level(before, fact.place, asked))
    return agreement, named


def _says_own_level(before: str, place: str, asked: str) -> bool:
    """"乳源县：全县…复工率98.5%" for 韶关: the clause's 全县 says it is the county's, not the asked city's."""
    own, other = gz.place(place), gz.place(asked)
    return own is not None and other is not None and own.kind != other.kind \
        and any(w in before for w in gz.REFERENCES.get(own.kind, ()))


def fact_asked(p: Passage, start: int, question: str) -> float:
    """How much of what the figure at cleaned offset `start` is about, as its fact reads it (metric, counted
    thing, and subject when that is no place), the question names: from -1 (none) to +1 (all); 0 when its
    fact reads nothing. "全区89家限额以上批零餐、房地产和重点服务业企业已复工复产86家" is about more than
    "工业企业…复工复产了多少家" asks; "全区工业企业复工复产196家" is about just that."""
    fact = p.facts.at(start) if p.facts is not None else None
    if fact is None:
        return 0.0
    subject = "" if fact.subject == fact.place or gz.place(fact.subject) else fact.subject
    about = "".join(_HAN_RUN.findall(fact.metric + "|" + fact.counted + "|" + subject))
    grams = {about[i : i + 2] for i in range(len(about) - 1)}
    if not grams:
        return 0.0
    asked = squash(expand_question(question))
    if "进出口" not in about:
        asked = asked.replace("进出口", "〇")  # "其中出口412.3亿元" is not what "进出口总值" asks
    return 2.0 * sum(g in asked for g in grams) / len(grams) - 1.0
