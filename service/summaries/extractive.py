"""Extractive per-article summaries: the article's most central sentences, no model. Pure functions.

Centrality is TextRank over character-bigram overlap (deterministic power iteration with numpy), nudged
towards sentences that carry figures and towards the news lead (what/where/when), with long sentences
damped so a summary is not one run-on sentence. Near-duplicates are dropped (001 reprints paragraphs
with small differences) and the chosen sentences are kept in document order. Every sentence keeps its
citation: offsets into the original file text through the bulletin's CleanText.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from service.facts.reading import is_key_candidate
from service.figures import parse_figures
from service.summaries.models import ArticleSummary, SummarySentence
from vectorstore.articles import NAV
from vectorstore.cleaning import CleanText, split_sentences, squash
from vectorstore.models import Article

ARTICLE_MIN, ARTICLE_MAX = 150, 300  # characters per article summary
DOCUMENT_MAX = 600  # the joined bulletin summary of a multi-article file
MIN_SENTENCE = 15

SENTENCE_END = tuple("。！!；;") + ("。”", "！”", "。」", "。）", "。)")
LEAD = re.compile(r"本报讯\s*[（(][^）)\n]{0,24}[）)]\s*")  # the dateline says nothing
CAPTION_AT_START = re.compile(r"(?:本报)?记者[\u4e00-\u9fff]{2,4}摄\s*")
CAPTION = re.compile(r"(?:(?:本报)?记者[\u4e00-\u9fff]{2,4}(?:整理)?|图/[^。]{0,12})摄[。]?$|^图为")
ATTENDANCE = re.compile(r"领导[^。；]{0,90}(?:出席|一同|陪同|一起|参加)[^。；]{0,6}[。；]$")
SPEAKER = re.compile(r"[\u4e00-\u9fff]{2,4}(?:[（(][^）)]{0,30}[）)])?[:：]")
# A status report ("截至3月10日24时,全区确诊1例…", "目前,全市已开工企业236家…") is what staff read first.
STATUS = re.compile(r"^(?:据[^，,]{0,6}[，,])?(?:截至|截止|目前|当前|至今)")
# Stock phrases of official prose: a sentence made of them says little about what happened.
STOCK = re.compile(r"习近平|总书记|重要讲话|重要指示|决策部署|贯彻落实|学习贯彻|指示精神|会议精神|高度重视|阻击战|双胜利|统筹推进")


@dataclass
class Sentence:
    article: int
    cs: int  # cleaned offsets into the bulletin's CleanText
    ce: int
    text: str
    figures: int = 0  # stated quantities (number/percent with a unit or %)
    position: int = 0  # among the article's content sentences
    dated: bool = False  # states when: the lead of a meeting report
    n: int = 0  # global number across the bulletin, used as [n] in LLM prompts
    grams: set[str] = field(default_factory=set, repr=False)


def bigrams(text: str) -> set[str]:
    s = re.sub(r"[^\w%.]", "", squash(text))
    return {s[i : i + 2] for i in range(len(s) - 1)}


def stated_quantities(text: str) -> int:
    return sum(1 for f in parse_figures(text) if is_key_candidate(f, text))


def has_date(text: str) -> bool:
    return any(f.kind == "date" for f in parse_figures(text))


def _is_content(text: str, next_text: str) -> bool:
    if len(text) < MIN_SENTENCE or not text.endswith(SENTENCE_END):
        return False  # headlines, labels, a column cut mid-sentence
    if NAV.match(text) or "责任编辑" in text or text.startswith("首页"):
        return False
    if CAPTION.search(text) or CAPTION_AT_START.match(next_text):
        return False  # a photo caption, or the sentence a "记者…摄" line credits
    return not ATTENDANCE.search(text)


def article_sentences(clean: CleanText, art: Article) -> list[Sentence]:
    """The article's content sentences with boilerplate dropped and datelines/captions trimmed off."""
    text = clean.text
    spans = split_sentences(text[art.clean_start : art.clean_end], base=art.clean_start)
    out: list[Sentence] = []
    for k, (s, e) in enumerate(spans):
        for rx in (LEAD, CAPTION_AT_START, SPEAKER):  # trimming keeps the span verbatim
            m = rx.match(text, s, e)
            if m and m.end() < e:
                s = m.end()
        nxt = text[spans[k + 1][0] : spans[k + 1][1]] if k + 1 < len(spans) else ""
        sent = text[s:e]
        if text[e - 1] in "?？" or not _is_content(sent, nxt):
            continue
        cand = Sentence(art.index, s, e, sent, stated_quantities(sent), len(out), has_date(sent), grams=bigrams(sent))
        if not any(near_duplicate(cand, o) for o in out):  # a reprint would look central
            out.append(cand)
    return out


def centrality(sents: list[Sentence]) -> np.ndarray:
    """TextRank scores: PageRank over the bigram-overlap graph (Mihalcea & Tarau's similarity)."""
    n = len(sents)
    if n == 0:
        return np.zeros(0)
    w = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(sents[i].grams & sents[j].grams)
            if shared:
                sim = shared / (math.log(len(sents[i].grams) + 1) + math.log(len(sents[j].grams) + 1))
                w[i, j] = w[j, i] = sim
    out_weight = w.sum(axis=1, keepdims=True)
    trans = np.divide(w, out_weight, out=np.full_like(w, 1.0 / n), where=out_weight > 0)
    scores = np.full(n, 1.0 / n)
    for _ in range(100):
        new = 0.15 / n + 0.85 * trans.T @ scores
        if np.abs(new - scores).sum() < 1e-10:
            return new
        scores = new
    return scores


def ranked(sents: list[Sentence]) -> list[Sentence]:
    """Sentences best first: centrality, more for figures and for the news lead (what/where/when come
    first in a news item), less for stock official phrases and run-on length."""
    base = centrality(sents)
    keyed = []
    for i, s in enumerate(sents):
        score = math.sqrt(base[i]) * (1 + 0.4 * min(s.figures, 3)) * (1 + math.exp(-s.position / 4))
        if not (s.dated and s.position == 0):  # a dated lead says who met when, stock phrases or not
            score *= 0.7 ** min(len(STOCK.findall(s.text)), 3)
        if STATUS.match(s.text):
            score *= 1.5
        if "——" in s.text:
            score *= 0.5  # a section heading run into its first sentence
        score *= min(1.0, 100 / max(len(s.text), 1)) ** 0.7
        keyed.append((-score, i))
    return [sents[i] for _, i in sorted(keyed)]


def near_duplicate(a: Sentence, b: Sentence) -> bool:
    shared = len(a.grams & b.grams)
    small = min(len(a.grams), len(b.grams)) or 1
    return shared / small >= 0.8 or shared / (len(a.grams | b.grams) or 1) >= 0.5


def select(order: list[Sentence], low: int = ARTICLE_MIN, high: int = ARTICLE_MAX) -> list[Sentence]:
    """Best sentences until `low` characters, never past `high` (unless the best alone is longer)."""
    chosen: list[Sentence] = []
    total = 0
    for s in order:
        if total >= low:
            break
        if any(near_duplicate(s, c) for c in chosen):
            continue
        if total + len(s.text) <= high or not chosen and s is order[0]:
            chosen.append(s)
            total += len(s.text)
    return chosen


def to_model(s: Sentence, original: str, clean: CleanText) -> SummarySentence:
    start, end = clean.to_original(s.cs, s.ce)
    return SummarySentence(text=s.text, quote=original[start:end], start=start, end=end, article=s.article)


def summarize(
    original: str, clean: CleanText, articles: list[Article]
) -> tuple[list[ArticleSummary], str]:
    """(per-article summaries, the joined bulletin summary text)."""
    summaries: list[ArticleSummary] = []
    picks: list[list[Sentence]] = []  # per article, best first
    for art in articles:
        chosen = select(ranked(article_sentences(clean, art)))
        picks.append(chosen)
        in_order = sorted(chosen, key=lambda s: s.cs)
        summaries.append(ArticleSummary(
            index=art.index, title=art.title, sentences=[to_model(s, original, clean) for s in in_order],
        ))
    return summaries, joined(picks, articles)


def joined(picks: list[list[Sentence]], articles: list[Article]) -> str:
    """One text for the bulletin: every article's summary when it fits, else the top sentences of each
    article round by round (longer articles first) while the text stays under DOCUMENT_MAX."""
    flat = [s for p in picks for s in p]
    if len(picks) <= 1 or sum(len(s.text) for s in flat) <= DOCUMENT_MAX:
        return "".join(s.text for s in sorted(flat, key=lambda s: s.cs))
    by_size = sorted(range(len(picks)), key=lambda i: -(articles[i].clean_end - articles[i].clean_start))
    kept: list[Sentence] = []
    total = 0
    for rnd in range(max(len(p) for p in picks)):
        for i in by_size:
            if rnd < len(picks[i]) and total + len(picks[i][rnd].text) <= DOCUMENT_MAX:
                kept.append(picks[i][rnd])
                total += len(picks[i][rnd].text)
    return "".join(s.text for s in sorted(kept, key=lambda s: s.cs))
