"""Server-side conversation history, bounded in turns, age and count, and follow-up resolution.

"那修武县呢？" after "示范区累计排查密接多少人？" becomes "修武县累计排查密接多少人？": a follow-up keeps
the previous turn's metric and swaps in the place, date or detail it names. A rewrite is built from the
previous question's topic, never by appending to the previous rewrite, and is capped in length.

A conversation belongs to the staff key that began it (kept as a hash): another key gets "not found".
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from service.intent import is_follow_up, parse_intent, places_in
from vectorstore.places import forms_of

_ASK = re.compile(r"(多少|几|哪天|哪一天|何时|什么时候|是谁|谁|哪家|哪个|哪位|是多少)")
_MEASURE = re.compile(
    r"(?:万|亿)?(?:个百分点|人次|条次|平方米|公斤|千克|小时|个月|[家人名例吨只个元份张辆盒瓶套台件项次户条场天周位部处所座批支轮袋])?"
)
_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:\d{1,2}时)?")


@dataclass
class Turn:
    question: str
    resolved: str
    answer: str
    at: float = field(default_factory=time.time)


@dataclass
class Conversation:
    id: str
    turns: list[Turn] = field(default_factory=list)
    updated: float = field(default_factory=time.time)
    owner: str | None = None  # sha256 of the staff key that began it; None without keys


class ConversationNotFound(LookupError):
    """No conversation with this id for this key (one of another key is not revealed)."""


class ConversationStore:
    def __init__(self, max_turns: int = 20, ttl_s: int = 3600, max_count: int = 1000) -> None:
        self.max_turns, self.ttl_s, self.max_count = max_turns, ttl_s, max_count
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for cid in [cid for cid, c in self._items.items() if now - c.updated > self.ttl_s]:
            del self._items[cid]
        while len(self._items) > self.max_count:
            self._items.popitem(last=False)

    def get(self, cid: str | None, owner: str | None = None) -> Conversation:
        """The conversation `cid` of `owner`, or a new one (under `cid` when given and unused)."""
        now = time.time()
        with self._lock:
            self._expire(now)
            if cid and cid in self._items:
                if self._items[cid].owner != owner:
                    raise ConversationNotFound(cid)
                self._items.move_to_end(cid)
                return self._items[cid]
            conv = Conversation(id=cid or uuid.uuid4().hex, owner=owner)
            self._items[conv.id] = conv
            return conv

    def add(self, conv: Conversation, turn: Turn) -> None:
        with self._lock:
            conv.turns.append(turn)
            del conv.turns[: -self.max_turns]
            conv.updated = time.time()

    def __len__(self) -> int:
        return len(self._items)


MAX_RESOLVED_CHARS = 2000  # Settings.max_question_chars' default: no rewrite is longer than a question may be


def resolve(question: str, history: list[str], max_chars: int = MAX_RESOLVED_CHARS) -> str:
    """Rewrite a follow-up into a standalone question using the previous (resolved) question; at most
    `max_chars` long (a longer rewrite gives way to the question as asked)."""
    resolved = _resolve(question, history)
    return resolved if len(resolved) <= max_chars else question


def _topic(question: str) -> str:
    """The question without the narrowing ("，其中县内是多少？") an earlier follow-up added to it."""
    i = question.find("，其中")
    return question[:i] + "？" if i > 0 else question


def _resolve(question: str, history: list[str]) -> str:
    if not history:
        return question
    prev = history[-1]
    q = question.strip()
    new_places = places_in(q, question=True)
    new_dates = _DATE.findall(q)
    looks_follow = is_follow_up(q) or (len(q) <= 12 and not _ASK.search(q))
    if not looks_follow:
        # A full question that names no place inherits the previous one's place ("县内多少人？").
        if not new_places and parse_intent(prev).places and q.startswith(("其中", "那", "另外")):
            return "".join(parse_intent(prev).places[:1]) + q
        return q
    core = re.sub(r"^(?:那么|那在|那|再|还有|另外|同期)", "", q)
    core = re.sub(r"(?:的情况)?呢[？?]?$|[？?]$", "", core)
    if core.startswith("其中"):
        # "其中县内多少人？" narrows the previous metric; a new narrowing replaces the previous one.
        base = re.sub(r"[？?]$", "", _topic(prev))
        m = _ASK.search(base)
        if m and _ASK.search(core):
            base = base[: m.start()].rstrip("了的是有共，, ")
        return f"{base}，{core}？" if _ASK.search(core) else f"{base}，{core}是多少？"
    resolved = prev
    prev_places = parse_intent(prev).places
    if new_places:
        if prev_places:
            for old in prev_places:
                # The previous question may name the place by an alias (高新区, 定州市, 焦作全市).
                forms = forms_of(old)
                for form in forms:
                    suffix = "" if form[-1] in "市县区省" else "(?:全市|市)?"
                    resolved, n = re.subn(re.escape(form) + suffix, "\0", resolved, count=1)
                    if n:
                        break
            resolved = resolved.replace("\0", new_places[0], 1).replace("\0", "")
            core = core.replace(new_places[0], "", 1)
        else:
            resolved = new_places[0] + resolved
            core = core.replace(new_places[0], "", 1)
    if new_dates:
        prev_dates = _DATE.findall(resolved)
        if prev_dates:
            resolved = resolved.replace(prev_dates[0], new_dates[0], 1)
        else:
            resolved = new_dates[0] + "，" + resolved
        for d in new_dates:
            core = core.replace(d, "", 1)
    core = core.strip("，, 的")
    if core and not new_places and not new_dates:
        # "那口罩呢？": a new subject with the previous question's place and ask.
        prev = _topic(prev)
        m = _ASK.search(prev)
        if m and m.group() in ("多少", "几"):
            unit = _MEASURE.match(prev, m.end())
            if prev[unit.end():].rstrip("？?"):
                # "修武县储备了多少吨粮食？" + "那肉类呢？" -> "修武县储备了多少肉类？" (the new subject may
                # be counted in another unit: 件 防护服 vs 只 口罩, so the measure word is dropped)
                return prev[: m.end()] + core + "？"
        ask = prev[m.start():] if m else "是多少？"
        return "".join(prev_places[:1]) + core + ask
    return resolved
