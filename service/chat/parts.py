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
from dataclasses import dataclass, replace

from service.chat.conversations import resolve
from service.intent import parse_intent, places_in
from vectorstore.lexical import words
from vectorstore.places import Mention, gazetteer

_ASK = re.compile(r"多少|几")
# "A，其中B多少": the second ask narrows the first (a part of it, or a place inside it); a date may open it
# ("…共多少个，截至3月11日其中已开复工多少个").
_WHEREOF = re.compile(r"^(?P<a>.*?(?:多少|几).*?)[，,；;]\s*(?P<when>[^，,；;其]{0,16}?)(?P<b>其中.*(?:多少|几).*)$")
# "A多少，B几": a second ask of its own ("贷款有多少，惠及几家企业", "企业有多少家、一共减征了多少").
_SIBLING = re.compile(r"^(?P<a>.*?(?:多少|几)[^，,；;、]*)[，,；;、]\s*(?P<b>[^，,；;、]*(?:多少|几)[^，,；;、]*)$")
# "…，一共多少": the same ask again as a total, no second figure of its own.
_SAME_ASK = re.compile(r"(?:其中|分别|各|具体)|(?:一共|总共|共|合计)(?:有|是)?(?:多少|几)[个家人名户项条元]?$")
_WHEN = re.compile(r"^(?:截[至止]|到)?(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:\d{1,2}时)?(?:底|末|份)?$")
# "各复工了多少家" as "分别复工了多少家"; not 各类/各地/各级…
_RESPECTIVELY = re.compile(r"分别(?:是|有|为|达|达到)?|各(?![类级地种项个界部])(?=[\u4e00-\u9fff]{0,3}(?:多少|几))")
_ITEM_SEP = re.compile(r"和|与|及|以及|、")
# "鞋业和三轮摩托车两大产业的规上企业": the items' count, then what every item shares.
_ITEM_COUNT = re.compile(r"(?:两|二|三|四|五|六|七|八|九|十|\d)(?:个|大|类|项)")
MAX_PARTS = 5
_DONE = re.compile(r"(?:开复工|复工|复产|开工|复业|开业|恢复营业|恢复|投产|到岗|返岗|开放|解除隔离|治愈出院|出院)+")


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
    text = re.sub(r"(?:\d{4}年)?(?:\d{1,2}[—\-－~至到])?\d{1,2}月(?:\d{1,2}[日号])?份?|截[至止]", "", text)  # "2月份" whole, not "月份"
    return re.sub(r"[\d０-９.]+|[有是为达]+$|[？?，,]", "", text).strip() or "该项"


_PERIOD = re.compile(r"(?:\d{1,2}(?:—|－|-|至|到))?\d{1,2}月份?(?!\d)|第?[一二三四]季度|上半年")
_PERIOD_OPENING = re.compile(r"(?:\d{1,2}(?:—|－|-|至|到))?\d{1,2}月份?(?![\d日号])|第?[一二三四]季度|上半年")  # not 4月3日


def _whereof(question: str) -> list[Part] | None:
    m = _WHEREOF.match(_strip_end(question))
    if not m or (m.group("when") and not _WHEN.match(m.group("when"))):
        return None
    first = m.group("a") + "？"
    if m.group("when"):
        # "…共多少个，截至3月11日其中已开复工多少个": the date is the part's.
        parts = _whereof(m.group("a") + "，" + m.group("b"))
        if parts:
            second = parts[1]
            return [parts[0], Part(second.label, m.group("when") + "，" + second.question, second.of, second.is_place,
                                   second.rivals)]
    rest = m.group("b")[2:]  # without 其中
    places = gazetteer().mentions(rest, loose=True)
    if places and places[0].start == 0:
        # "其中武汉多少例": the first question asked of that place, and the figure must be stated of it.
        second = resolve(f"那{places[0].surface}呢？", [first])
        return [Part("合计", first), Part(_label("其中" + rest), second, places[0].place.name, True)]
    asked = re.search(r"(?:多少|几)(?P<noun>[^，,；;？?]{2,10})$", m.group("a"))
    if asked and re.search(r"(?:多少|几)$", rest) and asked["noun"][-2:] not in rest:
        rest += asked["noun"]  # "预付了多少3月份医保基金，其中民营医院多少": 民营医院's 医保基金
    if _PERIOD_OPENING.match(rest):
        # "1—4月社零总额多少，其中4月份卖了多少": the part's own months, not the whole's
        second = resolve("其中" + rest + "？", [_PERIOD.sub("", first)])
    else:
        second = resolve("其中" + rest + "？", [first])
    # "其中县外多少人": only a figure stated of 县外 ("县外集中隔离1885人", not "县内…1673人") answers it.
    item = re.sub(r"^(?:已|有|是|给|为|对|向|通过|从)+|(?:了|的)+$", "", _label(rest))
    if _DONE.fullmatch(item):
        item = ""  # "其中已复工多少家" asks for those that did it, not for an item named 复工 ("70家…已全部复工")
    return [Part("合计", first), Part(_label("其中" + rest), second, item if 2 <= len(item) <= 6 else "")]


def _place_items(segments: list[str]) -> tuple[str, list[Mention], str] | None:
    """"鞍山铁东区和立山区的规上工业企业": every item a place. Returns what stands before the first place
    (鞍山), the places, and what they share (的规上工业企业); None when an item is not a place."""
    named: list[Mention] = []
    prefix = shared = ""
    for i, seg in enumerate(segments):
        found = gazetteer().mentions(seg, loose=True)
        if not found:
            return None
        if found[-1].surface.endswith("市") and seg[found[-1].end : found[-1].end + 1] == "区":
            # "梧州市区和岑溪市": the city's urban districts (a table's 市区 row), an item of their own
            found[-1] = replace(found[-1], end=found[-1].end + 1, surface=found[-1].surface + "区")
        if i < len(segments) - 1:
            if found[-1].end != len(seg) or (i > 0 and found[-1].start != 0):
                return None
            prefix = seg[: found[-1].start] if i == 0 else prefix
            named.append(found[-1])
        elif found[0].start == 0:
            named.append(found[0])
            shared = seg[found[0].end :]
        else:
            return None
    return prefix, named, shared


# A rate phrase every item of a list shares ("…每人每月各补多少").
_PER = re.compile(r"(?:每人|每户|每家|每天|每日|每月|每周|日均|人均)+$")
# A time that opens an item list and is every item's ("一季度新增减税和新增降费").
_LEADING_TIME = re.compile(r"(?:今年|去年|本周|上周|上半年|第?[一二三四]季度|前[一二三四五六七八九十\d]{1,2}个月"
                           r"|(?:截[至止])?\d{1,2}月\d{1,2}[日号]|(?:\d{1,2}(?:—|－|-|至|到))?\d{1,2}月份?)+")


def _item_spans(head: str) -> list[tuple[int, int]]:
    """Where the pieces of a list split at 和/与/及/、 lie: never inside a place's name (和平区), nor at the start
    ("和田市和洛浦县"; but "三明和龙岩" is no 和龙)."""
    names = [(x.start, x.end) for x in gazetteer().mentions(head, loose=True)]
    seps = [sep for sep in _ITEM_SEP.finditer(head) if sep.start() > 0 and not any(a < sep.start() < b for a, b in names)]
    if len(seps) > 1 and seps[0].group() != "、" and all(sep.group() == "、" for sep in seps[1:]):
        seps = seps[:1]  # "小微企业和个体工商户、农户": two items, the second a pair written with 、
    out, start = [], 0
    for sep in seps:
        out.append((start, sep.start()))
        start = sep.end()
    return [*out, (start, len(head))]


def _respectively(question: str) -> list[Part] | None:
    q = _strip_end(question)
    m = _RESPECTIVELY.search(q)
    if not m or not _ASK.search(q[m.end() :]):
        return None
    head = re.split(r"[，,；;：:]", q[: m.start()])[-1]
    head_at = m.start() - len(head)
    spans = _item_spans(head)
    segments = [head[a:b] for a, b in spans]
    if len(segments) < 2 or len(segments) > MAX_PARTS or not all(segments):
        return None
    verb = m.group()[2:] or ("有" if _ASK.match(q[m.end() :]) else "")
    ask = verb + q[m.end() :]
    # "一般职工和建档立卡贫困劳动力每人每月各补多少": a rate phrase ending the last item is every item's
    per = _PER.search(segments[-1])
    if per and per.start() > 0:
        ask = per.group() + ask
        head = head[: len(head) - len(per.group())]
        segments[-1] = segments[-1][: per.start()]
    ask += "？"
    last = segments[-1]
    # (not "快递业务量同比和环比": an ending of one kind, which the rule below the items keeps with its head)
    long_at = [j for j, seg in enumerate(segments[:-1]) if len(seg) >= len(last) + 3 and seg[-1] != last[-1]]
    if len(last) <= 2 and long_at and not _place_items(segments):
        # "超市和农贸市场每天投放蔬菜和猪肉各多少吨", "喇嘛甸镇今年玉米和水稻分别…": a two-character last item lists with
        # as short a tail of the last long piece; what comes before it is every item's.
        # (as long as the long piece's last word, though: "五原今年向日葵和玉米" lists 向日葵, not 日葵)
        tail = next(iter(reversed(words(segments[long_at[-1]]))), "")
        cut = spans[long_at[-1]][1] - (len(tail) if len(last) < len(tail) <= 4 else len(last))
        head_at += cut
        head = head[cut:]
        segments = [head[a:b] for a, b in _item_spans(head)]
    places = _place_items(segments)
    if places:
        # "耒阳市和衡南县的规上工业企业分别复工了多少家": one question per place, answered by that place's figure.
        prefix, named, shared = places
        names = [n.place.name for n in named]
        return [Part(n.surface, q[:head_at] + prefix + n.surface + shared + ask, n.place.name, True,
                     tuple(o for o in names if o != n.place.name)) for n in named]
    # The first item starts after the last 的 or place name before it: "霍山县的高端装备制造企业".
    first = segments[0]
    cut = max(first.rfind("的") + 1, (m.end() if (m := re.search(r".*[表单][里中]", first)) else 0))  # "附表里联树村"
    for p in gazetteer().mentions(first, loose=True):
        cut = max(cut, p.end)
    if (lead := _LEADING_TIME.match(first, cut)) and lead.end() < len(first):
        cut = lead.end()  # "庆阳一季度新增减税和新增降费": 一季度 is every item's
    items = [first[cut:], *segments[1:]]
    if not all(items):
        return None
    span_start = head_at + len(first) - len(items[0])
    last = items[-1]
    # "服装和教玩具两个产业的规上企业", "批发零售企业和住宿餐饮企业的复工率": the last item runs into what
    # every item shares.
    count = _ITEM_COUNT.search(last)
    own_end, shared = (count.start(), last[count.end() :]) if count else (last.find("的"), last[last.find("的") :])
    if own_end > 0 and shared:
        own = [*items[:-1], last[:own_end]]
        full = [it + shared for it in own]
    else:
        # "省、市重点项目开工复工率": a short item shares the last item's head noun.
        full = [it + last[len(it) :] if len(it) <= 2 < len(last) - len(it) else it for it in items]
        # "快递业务量同比和环比": a short last item of the same kind as the first one's ending (同比/环比) shares
        # the first one's head; each is then told apart by its own ending.
        own = full
        if len(last) <= 2 < len(items[0]) - len(last) and items[0][-1] == last[-1]:
            full[-1] = items[0][: -len(last)] + last
            own = [items[0][-len(last) :], *items[1:]]
    return [Part(_label(item), q[:span_start] + item + ask, mine, False, tuple(o for o in own if o != mine))
            for item, mine in zip(full, own, strict=True)]


def _sibling(question: str) -> list[Part] | None:
    """"专项贷款有多少，惠及几家企业": two asks, the second of its own. A short second ask ("惠及几家企业",
    "复工率多少") goes on about the first's subject; a longer one takes the first's place and date."""
    m = _SIBLING.match(_strip_end(question))
    if not m or _SAME_ASK.match(m.group("b")):
        return None
    a, b = m.group("a"), m.group("b")
    subject = b[: _ASK.search(b).start()]
    if len(re.sub(r"^(?:是|有|为|达|的|了)+|(?:是|有|为|达|的|了)+$", "", subject)) <= 4:
        ask = _ASK.search(a)
        base = re.sub(r"(?:共|一共|总共|累计)?(?:是|有|为|达到?)?$", "", a[: ask.start()]).rstrip("，, ")
        rest = re.sub(r"^(?:[个家名人所项条户例元只吨]|万元|亿元)", "", a[ask.end() :])
        if not _ASK.match(b) and len(rest) > 3:
            # "房租补助已经给多少户企业兑现了，一共多少钱": what the first ask's verb did goes on ("…给企业兑现了"); a
            # noun alone ("应到校多少学生，实际到了多少") stays with the first ask
            base += rest
        second = f"{base}{'' if _ASK.match(b) else '，'}{b}？"  # "…计划种多少亩玉米、多少亩辣椒": 计划种多少亩辣椒
    else:
        second = resolve(b + "？", [a + "？"])
        if not places_in(b, question=True):
            second = "".join(parse_intent(a).places[:1]) + second
    label_b = re.sub(r"(?:多少|几)[个家名人所项条户例元]?", "", b).strip() or "该项"
    return [Part(_label(a), a + "？"), Part(label_b, second)]


# A day or period as one item of a list that opens a question: "2月21日和2月20日，…各是多少", "一季度和1—2月，…分别…".
_WHEN_ITEM = (r"(?:截[至止])?(?:\d{4}年)?(?:\d{1,2}月\d{1,2}[日号](?:\d{1,2}时)?|\d{1,2}(?:—|－|-|至|到)\d{1,2}月份?"
              r"|\d{1,2}月份|第?[一二三四]季度|上半年|本周|上周)")
_WHEN_ITEMS = re.compile(rf"^(?P<items>{_WHEN_ITEM}(?:(?:和|与|及|、){_WHEN_ITEM})+)[，,]?\s*(?P<rest>.+)$")


def _when_items(question: str) -> list[Part] | None:
    """"2月21日和2月20日，昌图县尚在医学观察的人数各是多少": one question per day, each answered by that day's
    figure (the days decide: a figure of another day does not answer)."""
    q = _strip_end(question)
    m = _WHEN_ITEMS.match(q)
    if not m:
        return None
    rest = m.group("rest")
    each = _RESPECTIVELY.search(rest)
    if not each or not _ASK.search(rest[each.end() :]):
        return None
    rest = rest[: each.start()] + (each.group()[2:] if each.group().startswith("分别") else "") + rest[each.end() :]
    items = re.findall(_WHEN_ITEM, m.group("items"))
    if len(items) > MAX_PARTS:
        return None
    return [Part(item, f"{item}，{rest}？") for item in items]


# "运用了多少支农支小再贷款和再贴现": one ask, then the items it asks of (the question ends with them)
_ASK_THEN_ITEMS = re.compile(r"^(?P<pre>.*?(?:多少|几)(?:[个家名人所项条户例元只吨]|万元|亿元)?)(?P<items>[\u4e00-\u9fff、]+)$")


def _ask_then_items(question: str) -> list[Part] | None:
    m = _ASK_THEN_ITEMS.match(_strip_end(question))
    if not m or _ASK.search(m.group("items")):
        return None
    head = m.group("items")
    items = [head[a:b] for a, b in _item_spans(head)]
    # Two short names joined by 和/与/及, nothing else: not "多少个三无小区逐楼明确了包联单位和责任人", "多少名不敢担当、
    # 落实不力的干部", "几家医药和消杀用品企业全面恢复生产"
    if len(items) != 2 or "、" in head or any(not 2 <= len(it) <= 8 or re.search(r"[的了等些]", it) for it in items):
        return None
    last = items[-1]
    # "多少确诊和疑似病例": a short item shares the last item's head noun
    full = [it + last[len(it) :] if len(it) <= 2 < len(last) - len(it) else it for it in items]
    return [Part(it, m.group("pre") + it + "？", it, False, tuple(o for o in items if o != it))
            for it in full]


def split_question(question: str) -> list[Part]:
    """The questions a multi-part question asks, in order; one part when it asks one thing."""
    for split in (_when_items, _whereof, _respectively, _sibling, _ask_then_items):
        parts = split(question)
        if parts and len(parts) > 1:
            return parts
    return [Part("", question)]
