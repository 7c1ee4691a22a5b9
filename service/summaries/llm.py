"""LLM bulletin summaries, map-reduce: one prompt per article over its numbered sentences (map), then one
prompt joining the article summaries (reduce). LCEL chains: PromptTemplate | ChatOpenAI | StrOutputParser.

Every generated sentence must cite [n], and every figure it states must be found, with unit and
magnitude, in the sentences it cites (the same check as answers: service.citations.check_figures).
An article whose summary fails keeps its extractive summary, and the reason goes into the notice; so
does every article after an LLM error (the client has already retried by then).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate
from langchain_core.runnables import Runnable

from service.chat.models import Citation
from service.citations import MARKER, check_figures
from service.components.llm import load_prompt, make_chat_model
from service.figures import matches, parse_figures
from service.settings import Settings
from service.summaries.extractive import Sentence, article_sentences, bigrams, ranked
from service.summaries.models import ArticleSummary, SummarySentence
from vectorstore.cleaning import CleanText, split_sentences
from vectorstore.models import Article
from vectorstore.tokens import count_tokens

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    articles: list[ArticleSummary]
    summary: str
    mode: str  # "llm" when at least one article's LLM summary was accepted
    notice: str | None
    prompt_version: str
    problems: list[str] = field(default_factory=list)


def build_chains(settings: Settings) -> tuple[Runnable, Runnable, str]:
    llm = make_chat_model(settings)
    map_text, map_version = load_prompt(settings, "summarize_map")
    reduce_text, reduce_version = load_prompt(settings, "summarize_reduce")
    parse = StrOutputParser()
    return (
        PromptTemplate.from_template(map_text) | llm | parse,
        PromptTemplate.from_template(reduce_text) | llm | parse,
        f"{map_version}+{reduce_version}",
    )


def prompt_sentences(sents: list[Sentence], budget: int) -> str:
    """Numbered sentences, most central first until the token budget, shown in document order."""
    keep, used = [], 0
    for s in ranked(sents):
        n = count_tokens(s.text) + 4
        if used + n > budget:
            continue
        keep.append(s)
        used += n
    return "\n".join(f"[{s.n}] {s.text}" for s in sorted(keep, key=lambda s: s.cs))


def _numbers(marker_text: str) -> list[int]:
    return [int(x) for m in MARKER.finditer(marker_text) for x in re.split(r"\s*[,，、]\s*", m.group(1))]


def _support(claim: str, cited: list[Sentence]) -> Sentence:
    """The cited sentence that states most of the claim's figures, then shares most bigrams."""
    figs = parse_figures(claim)
    grams = bigrams(claim)

    def key(s: Sentence) -> tuple[int, int]:
        src = parse_figures(s.text, loose=True)
        return sum(1 for f in figs if any(matches(f, g) for g in src)), len(grams & s.grams)

    return max(cited, key=key)


def check(text: str, by_n: dict[int, Sentence], original: str, clean: CleanText) -> tuple[list[SummarySentence], str | None]:
    """Generated summary -> cited sentences, or the reason it cannot be accepted."""
    pieces: list[tuple[str, list[int]]] = []
    for s, e in split_sentences(text.strip()):
        part = text.strip()[s:e]
        plain = MARKER.sub("", part).strip()
        if not plain.strip("。；;，, "):
            if pieces:  # "…复工。[3]": the marker belongs to the sentence before
                pieces[-1][1].extend(_numbers(part))
            continue
        pieces.append((plain, _numbers(part)))
    if not pieces:
        return [], "大模型返回了空摘要"
    out: list[SummarySentence] = []
    for plain, nums in pieces:
        if not nums:
            return [], f"句子“{plain[:20]}…”没有标注引用"
        unknown = sorted({n for n in nums if n not in by_n})
        if unknown:
            return [], f"引用了不存在的句子编号 {unknown}"
        cited = [by_n[n] for n in dict.fromkeys(nums)]
        citations = []
        for s in cited:
            start, end = clean.to_original(s.cs, s.ce)
            citations.append(Citation(n=s.n, doc_id="", article=s.article, quote=original[start:end], text=s.text,
                                      start=start, end=end))
        _, bad = check_figures(plain, citations)
        if bad:
            return [], f"数字 {'、'.join(bad)} 在所引原文中找不到"
        best = _support(plain, cited)
        start, end = clean.to_original(best.cs, best.ce)
        out.append(SummarySentence(text=plain, quote=original[start:end], start=start, end=end,
                                   article=best.article, cites=list(dict.fromkeys(nums))))
    return out, None


def _with_markers(summary: ArticleSummary, n_of: dict[tuple[int, int], int]) -> str:
    parts = []
    for s in summary.sentences:
        cites = s.cites or ([n_of[(s.start, s.end)]] if (s.start, s.end) in n_of else [])
        parts.append(s.text + "".join(f"[{n}]" for n in cites))
    return "".join(parts)


def summarize(
    settings: Settings, title: str, original: str, clean: CleanText, articles: list[Article],
    extractive: list[ArticleSummary], extractive_text: str,
) -> Outcome:
    map_chain, reduce_chain, version = build_chains(settings)
    per_article = [article_sentences(clean, a) for a in articles]
    n = 0
    for sents in per_article:  # one numbering for the whole bulletin, so reduce can cite it too
        for s in sents:
            n += 1
            s.n = n
    by_n = {s.n: s for sents in per_article for s in sents}
    n_of = {clean.to_original(s.cs, s.ce): s.n for s in by_n.values()}
    out = list(extractive)
    problems: list[str] = []
    accepted = 0
    failed: str | None = None
    for k, (art, sents) in enumerate(zip(articles, per_article, strict=True)):
        if not sents or failed:
            continue
        label = f"第{k + 1}篇" if len(articles) > 1 else "摘要"
        try:
            text = map_chain.invoke({
                "title": art.title or title, "sentences": prompt_sentences(sents, settings.context_tokens),
            })
        except Exception as exc:  # openai raises several types; after its retries any failure falls back
            log.warning("LLM summary failed for %s: %s", art.doc_id, exc)
            failed = f"大模型调用失败（{type(exc).__name__}），已保留抽取式摘要"
            problems.append(failed)
            continue
        checked, problem = check(text, {s.n: s for s in sents}, original, clean)
        if problem:
            log.warning("LLM summary of %s article %d rejected: %s", art.doc_id, art.index, problem)
            problems.append(f"{label}：{problem}，已保留抽取式摘要")
            continue
        out[k] = ArticleSummary(index=art.index, title=art.title, sentences=checked, mode="llm")
        accepted += 1
    summary = extractive_text
    if accepted:
        summary = "".join(s.text for a in out for s in a.sentences)
        if len(articles) > 1 and not failed:
            summary = _reduce(reduce_chain, title, out, n_of, by_n, original, clean, problems) or summary
    notice = "；".join(problems) + "。" if problems else None
    return Outcome(out, summary, "llm" if accepted else "extractive", notice, version, problems)


def _reduce(
    chain: Runnable, title: str, arts: list[ArticleSummary], n_of: dict[tuple[int, int], int],
    by_n: dict[int, Sentence], original: str, clean: CleanText, problems: list[str],
) -> str | None:
    blocks = [f"第{i + 1}篇：{_with_markers(a, n_of)}" for i, a in enumerate(arts) if a.sentences]
    allowed = {int(x) for b in blocks for x in re.findall(r"\[(\d+)\]", b)}
    try:
        text = chain.invoke({"title": title, "summaries": "\n".join(blocks)})
    except Exception as exc:
        problems.append(f"总摘要：大模型调用失败（{type(exc).__name__}），已拼接各篇摘要")
        return None
    checked, problem = check(text, {n: by_n[n] for n in allowed}, original, clean)
    if problem:
        problems.append(f"总摘要：{problem}，已拼接各篇摘要")
        return None
    return "".join(s.text for s in checked)
