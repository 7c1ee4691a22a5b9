"""The embedded default answerer: no model, no key. It picks the clause of a retrieved sentence that
answers the question's shape (a figure with the asked unit, a date, a phone number, a name), prefers the
place and date the question names, and quotes it. When no retrieved sentence supports an answer it
abstains and states no figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.chat.models import Citation
from service.citations import Passage, make_citation, sentences_of
from service.figures import Figure, matches
from service.intent import SYNONYMS, Intent, figures_of, fits, parse_intent, place_score, places_in
from vectorstore.chunking import clause_spans
from vectorstore.cleaning import fold_all, split_sentences, squash

ABSTAIN_TEXT = "公报中没有找到能回答这个问题的内容。"
# Words that carry no topic: question words, fillers, time words. Removing them leaves the metric.
_QUESTION_NOISE = re.compile(
    r"多少|几|哪天|哪一天|何时|什么时候|什么|是谁|谁|哪位|哪家|哪个|哪些|是否|有没有|一共|总共|共计|累计|"
    r"目前|截至|截止|现在|当时|期间|左右|请问|一下|情况|数量|多大|多长|是|的|了|吗|呢|"
    r"\d{4}年|\d{1,2}月\d{1,2}[日号]|\d{1,2}月份?|[？?。，,、！!：:\s]"
)
MIN_COVERAGE = {"figure": 0.34, "percent": 0.34, "date": 0.3, "phone": 0.2, "name": 0.45, "text": 0.45}
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


@dataclass
class ExtractiveResult:
    answer: str
    citations: list[Citation]
    abstained: bool
    figure: str | None = None
    coverage: float = 0.0


def topic_bigrams(question: str, places: list[str]) -> set[str]:
    q = _QUESTION_NOISE.sub(" ", fold_all(question))
    for p in places:
        q = q.replace(p, " ").replace(p.rstrip("市县区"), " ")
    grams: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fffA-Za-z0-9]+", q):
        grams |= {run[i : i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return grams


class Topic(tuple):
    """The question's topic bigrams, as asked and with staff shorthand replaced by the bulletins' wording
    (密接 -> 密切接触者); a text covers the topic as well as it covers either wording."""


def make_topic(question: str, places: list[str]) -> Topic:
    swapped = question
    for k, v in SYNONYMS.items():
        if k in swapped and v not in swapped:
            swapped = swapped.replace(k, v)
    return Topic((topic_bigrams(question, places), topic_bigrams(swapped, places)))


def _coverage(topic: Topic | set[str], text: str) -> float:
    if isinstance(topic, Topic):
        return max(_coverage(g, text) for g in topic)
    if not topic:
        return 0.0
    s = squash(text)
    return sum(1 for g in topic if g in s) / len(topic)


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


def _proximity(grams: Topic | set[str], text: str, fig: Figure) -> float:
    """Topic bigrams named right around the figure ("库存448万只", "23个交通卡点"), nearer counts more."""
    if isinstance(grams, Topic):
        return max(_proximity(g, text, fig) for g in grams)
    if not grams:
        return 0.0
    before = squash(text[max(0, fig.start - 2 * WINDOW) : fig.start])[-WINDOW:]
    after = squash(text[fig.end : fig.end + 2 * WINDOW])[:WINDOW]
    total = 0.0
    for g in grams:
        dists = []
        i = before.rfind(g)
        if i >= 0:
            dists.append(len(before) - (i + len(g)))
        j = after.find(g)
        if j >= 0:
            dists.append(j)
        if dists:
            total += 1.0 - min(dists) / (WINDOW + 1)
    return total / len(grams)


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


def candidates(question: str, passages: list[Passage]) -> list[Candidate]:
    intent = parse_intent(question)
    grams = make_topic(question, intent.places)
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        prior = 0.05 / (rank + 1)
        for s, e in sentences_of(p):
            sent_text = p.clean.text[s:e]
            cov = _coverage(grams, sent_text)
            # The heading gives context ("修武县：…"); a little of its coverage counts.
            cov_ctx = max(cov, 0.5 * cov + 0.5 * _coverage(grams, p.chunk.title + sent_text))
            place = place_score(intent, _place_context(p, s, e), p.chunk.places)
            date_fit = _date_fit(intent, sent_text)
            consistent = place >= 0 and date_fit >= 0 and _states_question_figures(intent, sent_text)
            base = cov_ctx + 0.2 * place + 0.15 * date_fit + prior
            if intent.wants in ("figure", "percent", "date", "phone"):
                for cs, ce in clause_spans(p.clean.text, s, e):
                    clause = p.clean.text[cs:ce]
                    fitting = [f for f in figures_of(clause) if fits(intent, f) and not _echoes_question(intent, f)]
                    if not fitting:
                        continue
                    # Proximity within the clause: in "食用油19.7吨、肉类2000吨" only 2000吨 is next to 肉类.
                    fig, prox = max(((f, _proximity(grams, clause, f)) for f in fitting), key=lambda fp: fp[1])
                    if prox <= 0 and fig.kind in ("number", "percent"):
                        continue  # no word of the question next to the figure: it measures something else
                    score = base + 0.3 * _coverage(grams, clause) + 0.8 * prox
                    out.append(Candidate(p, (s, e), (cs, ce), fig, score, cov_ctx, consistent))
            else:
                out.append(Candidate(p, (s, e), (s, e), None, base, cov_ctx, consistent))
    out.sort(key=lambda c: -c.score)
    return out


def _trim(text: str) -> str:
    return text.strip(" ，,、；;：:")


def answer(question: str, passages: list[Passage]) -> ExtractiveResult:
    intent = parse_intent(question)
    min_cov = MIN_COVERAGE.get(intent.wants, 0.45)
    best = next((c for c in candidates(question, passages) if c.coverage >= min_cov and c.consistent), None)
    if best is None:
        return ExtractiveResult(ABSTAIN_TEXT, [], True)
    p = best.passage
    citation = make_citation(p, best.sent[0], best.sent[1], n=1)
    sentence = p.clean.text[best.sent[0] : best.sent[1]]
    if best.figure is not None:
        clause = _trim(p.clean.text[best.clause[0] : best.clause[1]])
        text = f"{best.figure.text}。公报原文：“{clause}”[1]"
        figure = best.figure.text
    else:
        text = f"公报原文：“{sentence}”[1]"
        figure = None
    return ExtractiveResult(text, [citation], False, figure, best.coverage)
