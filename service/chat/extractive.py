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
from service.figures import Figure
from service.intent import Intent, figures_of, fits, parse_intent, place_score
from vectorstore.chunking import clause_spans
from vectorstore.cleaning import fold_all, squash

ABSTAIN_TEXT = "公报中没有找到能回答这个问题的内容。"
# Words that carry no topic: question words, fillers, time words. Removing them leaves the metric.
_QUESTION_NOISE = re.compile(
    r"多少|几|哪天|哪一天|何时|什么时候|什么|是谁|谁|哪位|哪家|哪个|哪些|是否|有没有|一共|总共|共计|累计|"
    r"目前|截至|截止|现在|当时|期间|左右|请问|一下|情况|数量|是|的|了|吗|呢|有|在|和|与|及|对|把|被|"
    r"\d{4}年|\d{1,2}月\d{1,2}[日号]|\d{1,2}月|[？?。，,、！!：:\s]"
)
MIN_COVERAGE = 0.34  # share of the question's topic bigrams a supporting sentence must contain
NAME_MIN_COVERAGE = 0.45


@dataclass
class Candidate:
    passage: Passage
    sent: tuple[int, int]  # cleaned offsets of the sentence
    clause: tuple[int, int]  # cleaned offsets of the answering clause
    figure: Figure | None
    score: float
    coverage: float


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


def _coverage(grams: set[str], text: str) -> float:
    if not grams:
        return 0.0
    s = squash(text)
    return sum(1 for g in grams if g in s) / len(grams)


def _date_bonus(intent: Intent, text: str) -> float:
    if not intent.dates:
        return 0.0
    t = squash(text)
    return 0.15 if any(f"{m}月{d}日" in t for _, m, d in intent.dates) else 0.0


def candidates(question: str, passages: list[Passage]) -> list[Candidate]:
    intent = parse_intent(question)
    grams = topic_bigrams(question, intent.places)
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        prior = 0.05 / (rank + 1)
        for s, e in sentences_of(p):
            sent_text = p.clean.text[s:e]
            cov = _coverage(grams, sent_text)
            # The heading gives context ("修武县：…"); a little of its coverage counts.
            cov_ctx = max(cov, 0.5 * cov + 0.5 * _coverage(grams, p.chunk.title + sent_text))
            place = place_score(intent, sent_text, p.chunk.places)
            base = cov_ctx + 0.2 * place + _date_bonus(intent, sent_text) + prior
            if intent.wants in ("figure", "percent", "date", "phone"):
                for cs, ce in clause_spans(p.clean.text, s, e):
                    clause = p.clean.text[cs:ce]
                    fitting = [f for f in figures_of(clause) if fits(intent, f)]
                    if not fitting:
                        continue
                    clause_cov = _coverage(grams, clause)
                    # The figure's own clause should carry the metric; the sentence gives context.
                    score = base + 0.6 * clause_cov + (0.1 if intent.unit and fitting else 0.0)
                    out.append(Candidate(p, (s, e), (cs, ce), fitting[0], score, cov_ctx))
            else:
                out.append(Candidate(p, (s, e), (s, e), None, base, cov_ctx))
    out.sort(key=lambda c: -c.score)
    return out


def _trim(text: str) -> str:
    return text.strip(" ，,、；;：:")


def answer(question: str, passages: list[Passage]) -> ExtractiveResult:
    intent = parse_intent(question)
    cands = candidates(question, passages)
    min_cov = NAME_MIN_COVERAGE if intent.wants in ("name", "text") else MIN_COVERAGE
    best = next(
        (c for c in cands if c.coverage >= min_cov and place_score(intent, c.passage.clean.text[c.sent[0]:c.sent[1]],
                                                                    c.passage.chunk.places) >= 0),
        None,
    )
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
