"""Chat feature: validate the question, resolve follow-ups, retrieve, answer (LLM or extractive), cite,
check every figure against the cited quotes, and fall back to the extractive answer when the LLM fails
or states a figure its citations do not support."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from service import guard
from service.chat import extractive
from service.chat.conversations import ConversationStore, Turn, resolve
from service.chat.models import Answer
from service.chat.parts import split_question
from service.chat.text import SURROGATE_HINT, has_lone_surrogate, strip_invisible
from service.citations import Passage, check_figures, citations_from_markers, make_citation
from service.engine import Engine
from vectorstore.retrieval import BulletinRetriever, FilterError, Filters, Hit

log = logging.getLogger(__name__)

ANSWER_CANDIDATES = 8  # chunks the extractive answerer reads; more than shown, so it can pick


class QuestionError(ValueError):
    """Bad input from the user: the message says what to change."""


class ChatService:
    def __init__(self, engine: Engine, conversations: ConversationStore | None = None) -> None:
        self.engine = engine
        s = engine.settings
        self.conversations = conversations or ConversationStore(
            s.conversation_max_turns, s.conversation_ttl_s, s.conversation_max_count
        )
        self.prompt_version: str | None = None

    # --- input -----------------------------------------------------------------------------------
    def validate(self, question: str, filters: dict | Filters | None) -> tuple[str, Filters]:
        if has_lone_surrogate(question or ""):
            raise QuestionError(f"question {SURROGATE_HINT}")
        q = strip_invisible(question or "")  # zero-width or control characters alone are no question
        if not q:
            raise QuestionError("question is empty; ask something like 示范区规模以上工业企业复工了多少家？")
        limit = self.engine.settings.max_question_chars
        if len(q) > limit:
            raise QuestionError(f"question is {len(q)} characters; the limit is {limit}. Shorten it.")
        try:
            flt = filters if isinstance(filters, Filters) else Filters.parse(filters)
        except FilterError as exc:
            raise QuestionError(str(exc)) from exc
        missing = [d for d in flt.doc_id if not self.engine.has_document(d)]
        if missing:  # say so, rather than answer from nothing (or fail in Chroma) as if it were ingested
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise QuestionError(f"no document {', '.join(map(repr, missing[:5]))}{more} (filters.doc_id); "
                                "GET /documents or `bulletins list` shows what is ingested")
        return q, flt

    # --- retrieval -------------------------------------------------------------------------------
    def passages(self, hits: list[Hit]) -> list[Passage]:
        return self.engine.passages(hits)

    # --- answering -------------------------------------------------------------------------------
    def answer(
        self,
        question: str,
        top_k: int | None = None,
        filters: dict | Filters | None = None,
        conversation_id: str | None = None,
        answerer: str | None = None,
        owner: str | None = None,
    ) -> Answer:
        """`owner`: the hash of the staff key asking; a conversation answers only to the key that began it
        (ConversationNotFound otherwise)."""
        t0 = time.perf_counter()
        q, flt = self.validate(question, filters)
        conv = self.conversations.get(conversation_id, owner) if conversation_id is not None else None
        resolved = self.resolve(q, conv.turns) if conv else q
        use_llm = (answerer == "llm") if answerer else self.engine.settings.use_llm
        result = self._llm_answer(resolved, top_k, flt) if use_llm else None
        if result is None or result.notice:
            ext = self._extractive_answer(resolved, top_k, flt)
            if result is not None:
                ext.notice = result.notice
            result = ext
        result.question = q
        result.resolved_question = resolved if resolved != q else None
        if conv is not None:
            result.conversation_id = conv.id
            self.conversations.add(conv, Turn(q, resolved, result.answer))
        result.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return result

    def resolve(self, question: str, turns: list[Turn]) -> str:
        return resolve(question, [t.resolved for t in turns], self.engine.settings.max_question_chars)

    def _extractive_answer(self, question: str, top_k: int | None, flt: Filters) -> Answer:
        parts = split_question(question)
        results = []
        for part in parts:
            hits = self.engine.search(part.question, max(top_k or 0, ANSWER_CANDIDATES), flt)
            stated = frozenset(r.stated_at for r in results if r.stated_at is not None)
            results.append(extractive.answer(part.question, self.passages(hits), part=part if len(parts) > 1 else None,
                                             min_confidence=self.engine.settings.min_confidence, stated=stated))
        if len(parts) > 1:
            results = extractive.one_figure_once(results)
        res = results[0] if len(parts) == 1 else extractive.combine([p.label for p in parts], results)
        # The parts' labels are the question's words ("三轮摩托车"): only what each part states is checked.
        checks, ungrounded = check_figures("\n".join(r.answer for r in results), res.citations)
        return Answer(
            answer=res.answer, citations=res.citations, abstained=res.abstained, mode="extractive",
            figures=checks, ungrounded_figures=ungrounded, answers_question=res.answers_question,
            confidence=res.confidence, parts=[p.question for p in parts] if len(parts) > 1 else [],
        )

    def chain(self, top_k: int | None = None, filters: Filters | None = None, llm=None):
        """The LCEL chain for one request (k and filters differ per request)."""
        from service.chat.llm import build_chain

        retriever = BulletinRetriever(retriever=self.engine, k=top_k or self.engine.settings.top_k, filters=filters)
        chain, self.prompt_version = build_chain(self.engine.settings, retriever, llm)
        return chain

    def _llm_answer(self, question: str, top_k: int | None, flt: Filters) -> Answer:
        from service.chat.llm import is_abstention
        from service.components.llm import DeadlineExceeded, run_with_deadline

        s = self.engine.settings
        try:
            out = run_with_deadline(s, lambda llm: self.chain(top_k, flt, llm).ainvoke(question), s.llm_deadline_s)
        except DeadlineExceeded:
            log.warning("LLM gave no answer within %s s, answering extractively", s.llm_deadline_s)
            return Answer(answer="", mode="llm", notice=f"大模型在{s.llm_deadline_s:g}秒内未答完，已改用抽取式回答。")
        except Exception as exc:  # openai raises several types; after retries any failure falls back
            log.warning("LLM failed, answering extractively: %s", exc)
            return Answer(answer="", mode="llm", notice=f"大模型调用失败（{type(exc).__name__}），已改用抽取式回答。")
        problem = guard.reply_problem(out["answer"])
        if problem:  # nothing in such a reply can be checked against a quote
            log.warning("LLM reply refused (%s): %r", problem, out["answer"][:200])
            return Answer(answer="", mode="llm", notice=f"{guard.NOTICES[problem]}，已改用抽取式回答。")
        passages = []
        for i, d in enumerate(out["docs"], 1):  # numbered as the prompt numbered them
            c = self.engine.chunk(d.metadata["chunk_id"])
            bt = self.engine.bulletin_text(c.doc_id) if c is not None else None
            if bt is not None:  # else removed meanwhile (by another process, mid-request): never cited
                passages.append(Passage(i, c, bt[1], bt[0], score=d.metadata.get("score", 0.0)))
        text = out["answer"].strip()
        citations = citations_from_markers(text, passages)
        checks, ungrounded = check_figures(text, citations)
        abstained = is_abstention(text) and not citations
        if abstained and checks:
            ungrounded = [c.text for c in checks]
        if ungrounded:
            log.warning("LLM answer has ungrounded figures %s; falling back", ungrounded)
            return Answer(
                answer=text, mode="llm", ungrounded_figures=ungrounded,
                notice=f"大模型回答中的数字 {'、'.join(ungrounded)} 在引用原文中找不到，已改用抽取式回答。",
            )
        if not citations and not abstained:
            # An answer citing nothing cannot be checked; cite the best sentence of the top passage.
            if passages:
                citations = [make_citation(passages[0], passages[0].chunk.clean_start, passages[0].chunk.clean_end)]
        return Answer(answer=text, citations=citations, abstained=abstained, mode="llm", figures=checks)

    # --- streaming -------------------------------------------------------------------------------
    def stream(self, question: str, top_k: int | None = None, filters: dict | None = None,
               conversation_id: str | None = None, owner: str | None = None) -> Iterator[tuple[str, dict]]:
        """Events for SSE: ("meta", ...), ("delta", {"text"}) per clause, then ("done", answer)."""
        q, flt = self.validate(question, filters)
        conv = self.conversations.get(conversation_id, owner)
        resolved = self.resolve(q, conv.turns)
        yield "meta", {"conversation_id": conv.id, "resolved_question": resolved if resolved != q else None}
        answer = self.answer(q, top_k, flt, conversation_id=conv.id, owner=owner)
        # The answer is checked before any of it is sent: a streamed figure is never retracted.
        for piece in _clauses(answer.answer):
            yield "delta", {"text": piece}
        yield "done", answer.model_dump()


def _clauses(text: str) -> list[str]:
    out, cur = [], ""
    for ch in text:
        cur += ch
        if ch in "，。；：、！？,;:" and len(cur) >= 4:
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out
