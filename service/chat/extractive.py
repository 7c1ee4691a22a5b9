"""The embedded default answerer: no model, no key. It picks the clause of a retrieved sentence that
answers the question's shape (a figure with the asked unit, a date, a phone number, a person's name),
prefers the place and date the question names, and quotes it. When no retrieved sentence supports an
answer it abstains and states no figure.

How a sentence is scored: coverage of the question's topic (bigrams inside its words, weighted by how
rare they are in the bulletins), with the heading and up to CONTEXT_CHARS before the sentence as half-
weight context; the place and date it names; and how close the topic words stand to the figure. Two
reading rules pick the figure inside a sentence: "A、B分别达X、Y" gives B's figure Y, and "由80%提升到90%"
gives 90%. Rules and weights were chosen on evals/facts.yaml; evals/heldout.yaml measures them on
unseen questions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from service.chat.models import Citation
from service.citations import Passage, make_citation, sentences_of
from service.figures import Figure, matches
from service.intent import SYNONYMS, Intent, figures_of, fits, parse_intent, place_score, places_in
from service.names import person_names
from vectorstore.chunking import clause_spans
from vectorstore.cleaning import fold_all, split_sentences, squash
from vectorstore.lexical import words

ABSTAIN_TEXT = "公报中没有找到能回答这个问题的内容。"
# Words that carry no topic: question words, fillers, time words. Removing them leaves the metric.
_QUESTION_NOISE = re.compile(
    r"多少|几|哪天|哪一天|何时|什么时候|什么|是谁|谁|哪位|哪家|哪个|哪些|是否|有没有|一共|总共|共计|累计|"
    r"目前|截至|截止|现在|当时|期间|左右|请问|一下|情况|数量|多大|多长|是|的|了|吗|呢|"
    r"\d{4}年|\d{1,2}月\d{1,2}[日号]|\d{1,2}月份?|[？?。，,、！!：:\s]"
)
# A person candidate holds a name found by service.names, stronger evidence than a bare sentence.
MIN_COVERAGE = {"figure": 0.34, "percent": 0.34, "date": 0.3, "phone": 0.2, "name": 0.45, "person": 0.34, "text": 0.45}
NAMELESS_PENALTY = 0.3  # a 谁 question answered by a sentence in which no name was found
CONTEXT_CHARS = 100  # characters before a sentence that may say what it is about
NAME_CONTEXT_CHARS = 200  # ... for a 谁 question: a press conference's question is the paragraph before
WINDOW = 10  # characters either side of a figure that should name the asked metric


@dataclass
class Candidate:
    passage: Passage
    sent: tuple[int, int]  # cleaned offsets of the sentence
    clause: tuple[int, int]  # cleaned offsets of the answering clause
    figure: Figure | None
    score: float
    coverage: float
    consistent: bool  # place and date of the sentence do not contradict the question
    name: str | None = None  # the person a 谁/哪位 question asks for


@dataclass
class ExtractiveResult:
    answer: str
    citations: list[Citation]
    abstained: bool
    figure: str | None = None
    coverage: float = 0.0


CROSS_WORD_WEIGHT = 0.5


def topic_bigrams(question: str, places: list[str]) -> dict[str, float]:
    """The question's topic as weighted character bigrams, less question words and places. A bigram
    inside one of the question's words (jieba) weighs 1; one across a word boundary ("次密接者" ->
    "次密", "多少份核酸" -> "份核") weighs CROSS_WORD_WEIGHT: it sometimes tells similar metrics apart,
    but more often only dilutes the coverage of a paraphrase."""
    q = fold_all(question)
    for p in places:
        q = q.replace(p, " ").replace(p.rstrip("市县区"), " ")
    grams: dict[str, float] = {}
    for run in re.findall(r"[\u3400-\u9fffA-Za-z0-9]+", _QUESTION_NOISE.sub(" ", q)):
        if len(run) == 1:
            grams.setdefault(run, 1.0)
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


def make_topic(question: str, places: list[str], passages: list[Passage] | None = None) -> Topic:
    swapped = question
    for k, v in SYNONYMS.items():
        if k in swapped and v not in swapped:
            swapped = swapped.replace(k, v)
    topics = (topic_bigrams(question, places), topic_bigrams(swapped, places))
    if passages:
        topics = tuple(_idf_weighted(t, passages) for t in topics)
    return Topic(topics)


@lru_cache(maxsize=32)
def _sentence_df(doc_id: str, text: str) -> tuple[Counter, int]:
    """In how many sentences of a bulletin each bigram occurs, and how many sentences it has."""
    df: Counter = Counter()
    spans = split_sentences(text)
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


def _coverage(topic: Topic | dict[str, float], text: str) -> float:
    if isinstance(topic, Topic):
        return max(_coverage(g, text) for g in topic)
    if not topic:
        return 0.0
    s = squash(text)
    return sum(w for g, w in topic.items() if g in s) / sum(topic.values())


def _date_fit(intent: Intent, text: str) -> int:
    """+1 the sentence states an asked date/month, -1 it states only other dates, 0 no opinion."""
    if not intent.dates and not intent.months:
        return 0
    figs = [f for f in figures_of(text) if f.kind == "date"]
    t = squash(text)
    if any(f"{m}月{d}日" in t for _, m, d in intent.dates) or any(f"{m}月" in t for m in intent.months):
        return 1
    if intent.months and figs:
        return -1
    return -1 if figs and intent.dates and not intent.months else 0


def _states_question_figures(intent: Intent, text: str) -> bool:
    """A question stating "第十一场" or "9家超市" is about a sentence that states them too."""
    if not intent.figures:
        return True
    figs = figures_of(text)
    return all(any(matches(q, f) or matches(f, q) for f in figs) for q in intent.figures)


def _echoes_question(intent: Intent, fig: Figure) -> bool:
    return any(matches(q, fig) or matches(fig, q) for q in intent.figures)


def _proximity(grams: Topic | dict[str, float], text: str, fig: Figure) -> float:
    """Topic bigrams named right around the figure ("库存448万只", "23个交通卡点"), nearer counts more."""
    if isinstance(grams, Topic):
        return max(_proximity(g, text, fig) for g in grams)
    if not grams:
        return 0.0
    before = squash(text[max(0, fig.start - 2 * WINDOW) : fig.start])[-WINDOW:]
    after = squash(text[fig.end : fig.end + 2 * WINDOW])[:WINDOW]
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


def _place_context(p: Passage, s: int, e: int) -> str:
    """The sentence, or when it names no place, the nearest earlier sentence of its paragraph that does
    ("该区集中隔离点…" follows a sentence about 示范区)."""
    text = p.clean.text
    own = text[s:e]
    if places_in(own):
        return own
    para_start = text.rfind("\n", 0, s) + 1
    for ps, pe in reversed(split_sentences(text[para_start:s], base=para_start)):
        if places_in(text[ps:pe]):
            return text[ps:pe] + own
    return own


_BYLINE = re.compile(r"(?:记者|通讯员)$")
_CHANGE_TO = re.compile(r"(?:提升|提高|增加|增长|上升|下降|降低|减少|扩大|缩小)(?:到|至)")
_ASKS_BEFORE = re.compile(r"之前|此前|以前|原来|原先|原本|由多少|从多少")


def _drop_before_values(question: str, clause: str, figs: list[Figure]) -> list[Figure]:
    """In "市场占有率由之前的80%提升到90%" the figure now is 90%; 80% answers only a question about before."""
    if _ASKS_BEFORE.search(question):
        return figs
    return [f for f in figs if not (_CHANGE_TO.match(clause, f.end) and figures_of(clause[f.end :]))]


def _respectively(question: str, clause: str, figs: list[Figure]) -> list[Figure]:
    """"省、市重点项目开工复工率分别达100%、91%": the i-th item before 分别 has the i-th figure after it.
    When the question names exactly one item, only its figure answers."""
    at = clause.find("分别")
    after = [f for f in figs if f.start > at]
    if at < 0 or len(after) < 2:
        return figs
    items = re.split(r"[、和及与]", re.split(r"[，,；;：:]", clause[:at])[-1])
    if len(items) != len(after) or not all(items):
        return figs
    heads = [item if i < len(items) - 1 else item[: max(1, len(items[-2]))] for i, item in enumerate(items)]
    asked = [i for i, h in enumerate(heads) if h in question]
    if len(asked) != 1:
        return figs
    return [f for f in figs if f.start < at] + [after[asked[0]]]


def _text_before(p: Passage, s: int, e: int, limit: int) -> str:
    """The sentence with up to `limit` characters before it ("大河报记者:…请介绍一下。" then
    "时东风(…主任):…": who answers is in one sentence, what about in the one before)."""
    return p.clean.text[max(0, s - limit) : e]


def candidates(question: str, passages: list[Passage]) -> list[Candidate]:
    intent = parse_intent(question)
    grams = make_topic(question, intent.places, passages)
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        prior = 0.05 / (rank + 1)
        for s, e in sentences_of(p):
            sent_text = p.clean.text[s:e]
            cov = _coverage(grams, sent_text)
            # The heading gives context ("修武县：…"); a little of its coverage counts.
            cov_ctx = max(cov, 0.5 * cov + 0.5 * _coverage(grams, p.chunk.title + sent_text),
                          0.5 * cov + 0.5 * _coverage(grams, _text_before(p, s, e, CONTEXT_CHARS)))
            place = place_score(intent, _place_context(p, s, e), p.chunk.places)
            date_fit = _date_fit(intent, sent_text)
            consistent = place >= 0 and date_fit >= 0 and _states_question_figures(intent, sent_text)
            base = cov_ctx + 0.2 * place + 0.15 * date_fit + prior
            if intent.wants in ("figure", "percent", "date", "phone"):
                other_items: set[int] = set()  # "省、市…分别达100%、91%": the figures of items not asked
                if "分别" in sent_text:
                    sent_figs = [f for f in figures_of(sent_text) if fits(intent, f)]
                    kept = {f.start for f in _respectively(question, sent_text, sent_figs)}
                    other_items = {s + f.start for f in sent_figs if f.start not in kept}
                for cs, ce in clause_spans(p.clean.text, s, e):
                    clause = p.clean.text[cs:ce]
                    fitting = [f for f in figures_of(clause) if fits(intent, f) and not _echoes_question(intent, f)]
                    fitting = [f for f in _drop_before_values(question, clause, fitting) if cs + f.start not in other_items]
                    if not fitting:
                        continue
                    # Proximity within the clause: in "食用油19.7吨、肉类2000吨" only 2000吨 is next to 肉类.
                    fig, prox = max(((f, _proximity(grams, clause, f)) for f in fitting), key=lambda fp: fp[1])
                    if prox <= 0 and fig.kind in ("number", "percent"):
                        continue  # no word of the question next to the figure: it measures something else
                    score = base + 0.3 * _coverage(grams, clause) + 0.8 * prox
                    out.append(Candidate(p, (s, e), (cs, ce), fig, score, cov_ctx, consistent))
            elif intent.person:
                # "区领导赵俊生一同调研。" is short: what it is about is said in its paragraph before it.
                para = _text_before(p, s, e, NAME_CONTEXT_CHARS)
                cov_name = max(cov_ctx, 0.5 * cov + 0.5 * _coverage(grams, para))
                # A sentence naming no one it can find still answers, below any that does: the name
                # finder only knows common surnames and anchors.
                out.append(Candidate(p, (s, e), (s, e), None, base - NAMELESS_PENALTY, cov_ctx, consistent))
                for name in person_names(sent_text):
                    if name.text in question:
                        continue  # "王家鹏调研…时，哪位区领导一同调研？" does not ask for 王家鹏
                    if _BYLINE.search(sent_text[: name.start]) and "记者" not in question:
                        continue  # the reporter of "本报讯（记者郭树勋）" is not who the question is about
                    prox = _proximity(grams, sent_text, name)
                    score = base - cov_ctx + cov_name + 0.8 * prox
                    out.append(Candidate(p, (s, e), (s, e), None, score, cov_name, consistent, name.text))
            else:
                out.append(Candidate(p, (s, e), (s, e), None, base, cov_ctx, consistent))
    out.sort(key=lambda c: -c.score)
    return out


def _trim(text: str) -> str:
    return text.strip(" ，,、；;：:")


def answer(question: str, passages: list[Passage]) -> ExtractiveResult:
    intent = parse_intent(question)
    min_cov = MIN_COVERAGE["person" if intent.person else intent.wants]
    best = next((c for c in candidates(question, passages) if c.coverage >= min_cov and c.consistent), None)
    if best is None:
        return ExtractiveResult(ABSTAIN_TEXT, [], True)
    p = best.passage
    citation = make_citation(p, best.sent[0], best.sent[1], n=1)
    sentence = p.clean.text[best.sent[0] : best.sent[1]]
    if best.name is not None:
        text = f"{best.name}。公报原文：“{sentence}”[1]"
        figure = None
    elif best.figure is not None:
        clause = _trim(p.clean.text[best.clause[0] : best.clause[1]])
        text = f"{best.figure.text}。公报原文：“{clause}”[1]"
        figure = best.figure.text
    else:
        text = f"公报原文：“{sentence}”[1]"
        figure = None
    return ExtractiveResult(text, [citation], False, figure, best.coverage)
