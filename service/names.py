"""Names in a bulletin sentence: people ("区领导赵俊生一同调研", "时东风(示范区发改委主任)") and the places or
organisations a 哪个/哪家 question asks for ("在中旅银行科技支行，…", "大江重工集中隔离点"). Pure.

jieba's part-of-speech tags miss most officials' names in these bulletins (王家鹏 comes out as 鹏), so
names are found the way a reader finds them: a common surname and one or two more characters, anchored
by a title before them ("书记、主任王家鹏"), a role in brackets after them, an action right after them
("主持", "一同调研", "出席会议"), or a 、-list of such names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The ~130 most common single-character surnames; officials in the bulletins all carry one of these.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤霍时牛岳常齐康伍申焦翟尚温樊兰芦殷耿关靳裴葛庞宫"
)
TITLES = (
    r"书记|副书记|主任|副主任|区长|副区长|县长|副县长|市长|副市长|省长|副省长|局长|副局长|主席|副主席|"
    r"指挥长|总指挥长|总指挥|区领导|市领导|县领导|领导|厅长|部长|院长|委员|主持人|记者|通讯员|队长|总经理|董事长"
)
# What follows a name in a report of officials' doings.
AFTER = (
    r"主持|一同|一行|参加|出席|讲话|调研|看望|慰问|检查|督导|指出|强调|要求|表示|介绍|带队|陪同|到|在|对|"
    r"深入|实地|先后|率|带|和|及|等|同志|亲自|重点|负责|代表|分别|[、，,。；;：:（(）)\s]"
)
_AFTER_WORD = re.compile(rf"(?:{AFTER})")
_NAME = rf"[{SURNAMES}][\u4e00-\u9fff]{{1,2}}?"
# Greedy: most full names have three characters; a two-character one is cut where an action starts.
_AFTER_TITLE = re.compile(rf"(?:{TITLES})([{SURNAMES}](?:(?!{TITLES})[\u4e00-\u9fff]){{1,2}})")  # "记者周敏通讯员季伟"
_BEFORE_ROLE = re.compile(rf"(?<![\u4e00-\u9fff])({_NAME})[（(][^）)]{{2,30}}(?:{TITLES})[）)]")
_BEFORE_ACTION = re.compile(rf"(?<![\u4e00-\u9fff])({_NAME})(?=主持|一同|一行|出席|讲话|指出|强调|要求|调研|看望)")
# A name after a contact label, past the office it sits in: "联系人：种植业科王建军电话：…",
# "数据咨询：市统计局综合统计科彭立群电话：…" (cleaning drops the spaces that set it apart).
_LABELLED = re.compile(
    rf"(?:联系人|联络人|数据咨询|咨询|签发|审核|审签|责任编辑|编辑|撰稿|值班领导|发布人|填报人|报送人|校对)\s*[:：]\s*"
    rf"(?:[\u4e00-\u9fff]{{0,16}}?(?:科|处|室|股|办|中心|局|组|部|站|所|队)\s*)?({_NAME}[\u4e00-\u9fff]?)"
    r"(?=\s*(?:联系电话|电话|手机|座机|[，,；;。、\n（(]|$))"
)
_LIST = re.compile(rf"((?:[{SURNAMES}][\u4e00-\u9fff]{{1,2}}、)+[{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=出席|参加|一同|等)")
# Words a surname character starts that are not names ("高度重视", "全力以赴" never reach here, but these do).
_NOT_NAMES = {"万元", "万人", "万只", "高新", "时间", "时期", "周边", "任务", "程序", "方面", "方式", "金额", "马上",
              "向社会", "于是", "江苏", "石家庄", "黄河", "关于", "常态", "常务", "康复", "齐心", "武汉", "安全", "严格",
              "全力", "高度", "任何", "申报", "孟州", "温县", "武陟", "修武"}


@dataclass(frozen=True)
class NameSpan:
    text: str
    start: int
    end: int


def person_names(text: str) -> list[NameSpan]:
    """Names of people in `text`, each once at its first position, in text order."""
    found: dict[str, NameSpan] = {}

    def add(name: str, start: int) -> None:
        if len(name) < 2 or name in _NOT_NAMES or any(name.startswith(w) for w in _NOT_NAMES):
            return
        if name not in found or start < found[name].start:
            found[name] = NameSpan(name, start, start + len(name))

    for m in _AFTER_TITLE.finditer(text):
        name = m.group(1)
        if len(name) == 3 and _AFTER_WORD.match(text, m.start(1) + 2):
            name = name[:2]  # "县长魏松重点介绍", "省长许勤亲自"
        add(name, m.start(1))
    for pattern in (_BEFORE_ROLE, _BEFORE_ACTION, _LABELLED):
        for m in pattern.finditer(text):
            add(m.group(1), m.start(1))
    for m in _LIST.finditer(text):
        pos = m.start(1)
        for item in m.group(1).split("、"):
            if len(item) in (2, 3):
                add(item, pos)
            pos += len(item) + 1
    return sorted(found.values(), key=lambda n: n.start)


# --- Places and organisations ("哪家银行", "哪个集中隔离点", "什么指挥部") ------------------------------

# What the asked noun follows in a question: "哪个售楼部设了…" asks for a 售楼部.
_ASKED_KIND = re.compile(r"(?:哪个|哪家|哪所|哪座|哪一个|哪一家|什么)([\u4e00-\u9fff]{1,8})")
# Characters and words a name does not run across, going left from its head noun.
_LEFT_STOP = re.compile(
    r".*(?:[^\u4e00-\u9fff]|[在到对与和了是为从向将把被的由及等于暨、]|成立|设立|组建|研究|深入|来到|前往|走进|调研|视察|"
    r"检查|督导|包括|其中|位于)"
)
# "该售楼部", "各隔离点": a reference back, not a name.
_NOT_NAMING = re.compile(r"^(?:该|此|这|那|本|各|全|每|其|上述|一个|一家|多个|多家|\d)")
# A name may go on past the head noun to a more specific unit: "中旅银行" + "科技支行".
_RIGHT_MORE = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:支行|分行|分公司|分店|营业部|项目部|工地|分院)")
MAX_NAME_LEFT = 12


def asked_kind(question: str, texts: list[str]) -> str:
    """The noun a 哪个/哪家/什么 question asks for, as the bulletins write it: the longest start of the
    words after 哪个 that the texts contain ("哪个售楼部设了…" -> 售楼部). '' when none."""
    m = _ASKED_KIND.search(question)
    if not m:
        return ""
    rest = m.group(1)
    for n in range(len(rest), 1, -1):
        if any(rest[:n] in t for t in texts):
            return rest[:n]
    return ""


def entity_names(text: str, kind: str) -> list[NameSpan]:
    """Names of the asked kind in `text`: "在恒大悦龙台售楼部，" -> 恒大悦龙台售楼部 for kind 售楼部. A
    reference back ("该售楼部") or the bare kind is no name."""
    found: dict[str, NameSpan] = {}
    if not kind:
        return []
    for m in re.finditer(re.escape(kind), text):
        left = text[max(0, m.start() - MAX_NAME_LEFT) : m.start()]
        stop = _LEFT_STOP.match(left)
        left = left[stop.end() :] if stop else left
        if len(left) < 2 or _NOT_NAMING.match(left):
            continue
        more = _RIGHT_MORE.match(text, m.end())
        end = more.end() if more else m.end()
        start = m.start() - len(left)
        name = text[start:end]
        if name not in found:
            found[name] = NameSpan(name, start, end)
    return sorted(found.values(), key=lambda n: n.start)
