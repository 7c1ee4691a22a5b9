"""People named in a bulletin sentence ("区领导赵俊生一同调研", "时东风(示范区发改委主任)"). Pure.

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
_AFTER_TITLE = re.compile(rf"(?:{TITLES})([{SURNAMES}][\u4e00-\u9fff]{{1,2}})")
_BEFORE_ROLE = re.compile(rf"(?<![\u4e00-\u9fff])({_NAME})[（(][^）)]{{2,30}}(?:{TITLES})[）)]")
_BEFORE_ACTION = re.compile(rf"(?<![\u4e00-\u9fff])({_NAME})(?=主持|一同|一行|出席|讲话|指出|强调|要求|调研|看望)")
_LIST = re.compile(rf"((?:[{SURNAMES}][\u4e00-\u9fff]{{1,2}}、)+[{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=出席|参加|一同|等)")
# Words a surname character starts that are not names ("高度重视", "全力以赴" never reach here, but these do).
_NOT_NAMES = {"万元", "万人", "万只", "高新", "时间", "时期", "周边", "任务", "程序", "方面", "方式", "金额", "马上",
              "向社会", "于是", "江苏", "石家庄", "黄河", "关于", "常态", "常务", "康复", "齐心", "武汉", "安全", "严格",
              "全力", "高度", "任何", "申报", "孟州", "温县", "武陟", "修武"}


@dataclass(frozen=True)
class PersonName:
    text: str
    start: int
    end: int


def person_names(text: str) -> list[PersonName]:
    """Names of people in `text`, each once at its first position, in text order."""
    found: dict[str, PersonName] = {}

    def add(name: str, start: int) -> None:
        if len(name) < 2 or name in _NOT_NAMES or any(name.startswith(w) for w in _NOT_NAMES):
            return
        if name not in found or start < found[name].start:
            found[name] = PersonName(name, start, start + len(name))

    for m in _AFTER_TITLE.finditer(text):
        name = m.group(1)
        if len(name) == 3 and _AFTER_WORD.match(text, m.start(1) + 2):
            name = name[:2]  # "县长魏松重点介绍", "省长许勤亲自"
        add(name, m.start(1))
    for pattern in (_BEFORE_ROLE, _BEFORE_ACTION):
        for m in pattern.finditer(text):
            add(m.group(1), m.start(1))
    for m in _LIST.finditer(text):
        pos = m.start(1)
        for item in m.group(1).split("、"):
            if len(item) in (2, 3):
                add(item, pos)
            pos += len(item) + 1
    return sorted(found.values(), key=lambda n: n.start)
