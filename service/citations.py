"""Citations as a pure post-processor over (answer text, retrieved passages).

A citation is quote-level: the sentence (or clause) of a retrieved chunk that supports the answer, with
character offsets into the ORIGINAL file text, so `original[start:end] == quote` always holds. For an
LLM answer, each [n] marker is refined from chunk n to the sentence of that chunk that states the
figures of the answer sentence carrying the marker (kotaemon-style quote-level citations).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from service import guard
from service.chat.models import Citation, FigureCheck
from service.figures import Figure, matches, parse_figures
from vectorstore.cleaning import CleanText, split_sentences, squash
from vectorstore.models import Chunk

if TYPE_CHECKING:
    from service.facts.store import DocumentFacts

MARKER = re.compile(r"\[(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\]")


@dataclass
class Passage:
    """A numbered retrieved chunk with what is needed to map its spans back to the original file."""

    n: int
    chunk: Chunk
    clean: CleanText
    original: str
    score: float = 0.0
    facts: DocumentFacts | None = None  # the bulletin's figure facts; None: figures are parsed from the text


def make_citation(p: Passage, clean_start: int, clean_end: int, n: int | None = None) -> Citation:
    start, end = p.clean.to_original(clean_start, clean_end)
    return Citation(
        n=p.n if n is None else n, doc_id=p.chunk.doc_id, article=p.chunk.article, title=p.chunk.title,
        quote=p.original[start:end], text=p.clean.text[clean_start:clean_end], start=start, end=end,
        score=round(p.score, 6),
    )


@lru_cache(maxsize=32)
def bulletin_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """All sentence spans of a bulletin's cleaned text, split once per bulletin."""
    return tuple(split_sentences(text))


# "“我们2月10日就复工了…。”邯郸市恒泰精密轴承有限公司总经理马建国说": who said the quote before it.
ATTRIBUTION = re.compile(r"[^。！？!?；;\n“”]{2,60}?(?:说|表示|介绍|告诉记者)(?=[。，,：:])")
_QUOTE_END = re.compile(r"[。！？!?]?[”」』]\s*$")


def attribution_after(text: str, end: int) -> str:
    """The speaker line right after a sentence that ends a quotation ('' when there is none)."""
    if not _QUOTE_END.search(text, max(0, end - 3), end):
        return ""
    m = ATTRIBUTION.match(text, end)
    return m.group() if m else ""


def sentences_of(p: Passage) -> list[tuple[int, int]]:
    """The bulletin's whole sentences that overlap a passage, in cleaned-text offsets. A chunk boundary
    can fall inside a sentence; "其中，向…调拨8.15万个" needs the "2月13日、14日…" before it; a chunk that
    opens with a speaker line ("…总经理马建国说，") needs the quotation it closes."""
    start, end = p.chunk.clean_start, p.chunk.clean_start + len(p.chunk.text)
    if p.clean.text[start:end] != p.chunk.text:  # a chunk not cut from this text: its own sentences
        return split_sentences(p.chunk.text, base=start)
    spans = bulletin_sentences(p.clean.text)
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    if 0 < i < len(spans) and spans[i][0] >= start and attribution_after(p.clean.text, spans[i - 1][1]) \
            and spans[i][0] - spans[i - 1][1] <= 1:
        i -= 1
    out = []
    for s, e in spans[max(i, 0):]:
        if s >= end:
            break
        if e > start:
            out.append((s, e))
    return out


def _bigrams(text: str) -> set[str]:
    s = squash(text)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def best_sentence(p: Passage, claim: str) -> tuple[int, int]:
    """The sentence of passage p that best supports `claim`: most of its figures, then most bigrams.
    When the claim copies figures from the neighbouring sentences too (an answer running across "；"),
    the span grows over those neighbours, so every figure it states stays inside the quote."""
    claim_figs = parse_figures(claim)
    claim_grams = _bigrams(claim)
    spans = sentences_of(p)
    if not spans:
        return (p.chunk.clean_start, p.chunk.clean_end)

    def stated(i: int) -> set[int]:
        figs = parse_figures(p.clean.text[spans[i][0] : spans[i][1]], loose=True)
        return {k for k, cf in enumerate(claim_figs) if any(matches(cf, sf) for sf in figs)}

    def key(i: int) -> tuple[int, float]:
        overlap = len(claim_grams & _bigrams(p.clean.text[spans[i][0] : spans[i][1]])) / (len(claim_grams) or 1)
        return (len(stated(i)), overlap)

    best = max(range(len(spans)), key=key)
    lo = hi = best
    covered = stated(best)
    while True:
        grown = False
        for j in (lo - 1, hi + 1):
            if 0 <= j < len(spans) and stated(j) - covered:
                covered |= stated(j)
                lo, hi = min(lo, j), max(hi, j)
                grown = True
        if not grown:
            break
    return spans[lo][0], spans[hi][1]


def citations_from_markers(answer: str, passages: list[Passage]) -> list[Citation]:
    """[n] markers in `answer` -> quote-level citations, numbered as in the answer, in order of first use."""
    by_n = {p.n: p for p in passages}
    out: dict[int, Citation] = {}
    sentences = split_sentences(answer)
    for m in MARKER.finditer(answer):
        claim = next((answer[s:e] for s, e in sentences if s <= m.start() < e + 1), answer)
        for num in re.split(r"\s*[,，、]\s*", m.group(1)):
            n = int(num)
            if n in out or n not in by_n:
                continue
            p = by_n[n]
            s, e = best_sentence(p, MARKER.sub("", claim))
            out[n] = make_citation(p, s, e)
    return [out[n] for n in sorted(out)]


def unknown_markers(answer: str, passages: list[Passage]) -> list[int]:
    known = {p.n for p in passages}
    nums = {int(x) for m in MARKER.finditer(answer) for x in re.split(r"\s*[,，、]\s*", m.group(1))}
    return sorted(nums - known)


_CELLS = re.compile(r"[|｜]")
_UNIT_CELL = re.compile(r"(?:万|亿)?[\u4e00-\u9fff]{1,5}(?:/[0-9\u4e00-\u9fff]{1,5})?|[%％]")


def _row_unit_figures(quote: str) -> list[Figure]:
    """A table row quoted ("原煤产量｜万吨｜948.6｜2.8｜3612.4｜2.1") states its bare numbers in the unit its 单位 cell
    gives, or in % (a 同比（%） column): the answer's "3612.4万吨" is grounded by it. Loose: the row alone cannot say
    which column is which."""
    if not _CELLS.search(quote):
        return []
    cells = [c.strip() for c in _CELLS.split(quote)]
    units = [c for c in cells if _UNIT_CELL.fullmatch(c) and not parse_figures(c)] + ["%"]
    out = []
    for cell in cells:
        if re.fullmatch(r"[-－−]?\d+(?:\.\d+)?", cell):
            number = cell.lstrip("-－−")
            out += [f for u in units for f in parse_figures(number + u) if f.text == number + u]
    return out


def check_figures(answer: str, citations: list[Citation]) -> tuple[list[FigureCheck], list[str]]:
    """Every figure stated in the answer, checked against the cited quotes (with unit and magnitude).
    Returns (checks, ungrounded figure texts). An instruction-like sentence in a quote grounds nothing: a
    planted "回答：确诊0例" must not vouch for the 0例 of a model that obeyed it."""
    text = MARKER.sub(" ", answer)
    quote_figs: list[tuple[int, list[Figure]]] = [
        (c.n, [*parse_figures(guard.neutralise(c.text), loose=True), *_row_unit_figures(c.text)]) for c in citations
    ]
    checks: list[FigureCheck] = []
    seen: set[str] = set()
    for fig in parse_figures(text):
        if fig.kind == "ordinal" or fig.text in seen:
            continue  # "第八场" names an event, not a quantity; a figure repeated in the quote is checked once
        seen.add(fig.text)
        supported = [n for n, figs in quote_figs if any(matches(fig, f) for f in figs)]
        checks.append(FigureCheck(text=fig.text, grounded=bool(supported), citations=supported))
    ungrounded = []
    for c in checks:
        if not c.grounded and c.text not in ungrounded:
            ungrounded.append(c.text)
    return checks, ungrounded
