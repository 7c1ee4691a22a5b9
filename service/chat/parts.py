"""Multi-part questions, split into one question per figure asked. Pure.

"湖北省新增确诊多少例，其中武汉多少例？" -> "湖北省新增确诊多少例？", "武汉市新增确诊多少例？"
"霍山县的高端装备制造企业和电子信息企业分别有多少家？" -> "霍山县的高端装备制造企业有多少家？",
                                                    "霍山县的电子信息企业有多少家？"
Each part is answered and cited on its own; a question that is one part is returned as it is. A part
names what its figure must be stated of (`of`: 武汉, 批发零售业) and the other parts' (`rivals`), so that a
total or a sibling's figure is never given as the part's (see extractive.states_part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.chat.conversations import resolve
from vectorstore.places import gazetteer

_ASK = re.compile(r"多少|几")
# "A，其中B多少": the second ask narrows the first (a part of it, or a place inside it).
_WHEREOF = re.compile(r"^(?P<a>.*?(?:多少|几).*?)[，,；;]\s*(?P<b>其中.*(?:多少|几).*)$")
_RESPECTIVELY = re.compile(r"分别(?:是|有|为|达|达到)?")
_ITEM_SEP = re.compile(r"和|与|及|以及|、")
MAX_PARTS = 5


def _strip_end(q: str) -> str:
    return q.rstrip("？?。 ")


@dataclass(frozen=True)
class Part:
    label: str  # what the part asks for, as the answer names it ("合计", "其中武汉", "医生"); no figures
    question: str
    of: str = ""  # the place or item the figure must be stated of ("" = no constraint)
    is_place: bool = False
    rivals: tuple[str, ...] = ()  # the items of the other parts: the nearest one named must be `of`


def _label(text: str) -> str:
    # A label carries no figure: the figure check would look for it in the citations.
    text = re.sub(r"(?:多少|几).*$", "", text)
    text = re.sub(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?份?|截[至止]", "", text)  # "2月份" whole, not "月份"
    return re.sub(r"[\d０-９.]+|[有是为达]+$|[？?，,]", "", text).strip() or "该项"


def _whereof(question: str) -> list[Part] | None:
    m = _WHEREOF.match(_strip_end(question))
    if not m:
        return None
    first = m.group("a") + "？"
    rest = m.group("b")[2:]  # without 其中
    places = gazetteer().mentions(rest, loose=True)
    if places and places[0].start == 0:
        # "其中武汉多少例": the first question asked of that place, and the figure must be stated of it.
        second = resolve(f"那{places[0].surface}呢？", [first])
        return [Part("合计", first), Part(_label("其中" + rest), second, places[0].place.name, True)]
    second = resolve("其中" + rest + "？", [first])
    # "其中县外多少人": only a figure stated of 县外 ("县外集中隔离1885人", not "县内…1673人") answers it.
    item = re.sub(r"^(?:已|有|是|给|为|对|向|通过|从)+|(?:了|的)+$", "", _label(rest))
    return [Part("合计", first), Part(_label("其中" + rest), second, item if 2 <= len(item) <= 6 else "")]


def _respectively(question: str) -> list[Part] | None:
    q = _strip_end(question)
    m = _RESPECTIVELY.search(q)
    if not m or not _ASK.search(q[m.end() :]):
        return None
    head = re.split(r"[，,；;：:]", q[: m.start()])[-1]
    head_at = m.start() - len(head)
    segments = _ITEM_SEP.split(head)
    if len(segments) < 2 or len(segments) > MAX_PARTS or not all(segments):
        return None
    # The first item starts after the last 的 or place name before it: "霍山县的高端装备制造企业".
    first = segments[0]
    cut = first.rfind("的") + 1
    for p in gazetteer().mentions(first, loose=True):
        cut = max(cut, p.end)
    items = [first[cut:], *segments[1:]]
    if not all(items):
        return None
    span_start = head_at + len(first) - len(items[0])
    last = items[-1]
    # "省、市重点项目开工复工率": a short item shares the last item's head noun.
    full = [it + last[len(it) :] if len(it) <= 2 < len(last) - len(it) else it for it in items]
    # "快递业务量同比和环比": a short last item of the same kind as the first one's ending (同比/环比) shares
    # the first one's head; each is then told apart by its own ending.
    own = full
    if len(last) <= 2 < len(items[0]) - len(last) and items[0][-1] == last[-1]:
        full[-1] = items[0][: -len(last)] + last
        own = [items[0][-len(last) :], *items[1:]]
    verb = m.group()[2:] or ("有" if _ASK.match(q[m.end() :]) else "")
    return [Part(_label(item), q[:span_start] + item + verb + q[m.end() :] + "？", mine, False,
                 tuple(o for o in own if o != mine)) for item, mine in zip(full, own, strict=True)]


def split_question(question: str) -> list[Part]:
    """The questions a multi-part question asks, in order; one part when it asks one thing."""
    for split in (_whereof, _respectively):
        parts = split(question)
        if parts and len(parts) > 1:
            return parts
    return [Part("", question)]
