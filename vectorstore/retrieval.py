"""Hybrid retrieval: dense (Chroma) + BM25, fused with reciprocal rank fusion, plus a LangChain retriever.

Dense-only retrieval misses exact figures and names; BM25 alone misses paraphrases ("规上" vs
"规模以上", "复工" vs "恢复生产"). RRF needs no score calibration between the two, which is why
Langchain-Chatchat and RAGFlow use it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.cleaning import has_lone_surrogate
from vectorstore.lexical import LexicalIndex
from vectorstore.models import Chunk
from vectorstore.store import ChunkStore

Mode = Literal["hybrid", "dense", "lexical"]
FILTER_KEYS = {"doc_id", "place", "date_from", "date_to"}
# Chroma turns a list into one SQL variable per value and SQLite allows 32,766 per statement; no staff
# filter needs more than a few hundred bulletins or places.
MAX_FILTER_VALUES = 1000


class FilterError(ValueError):
    pass


@dataclass
class Filters:
    doc_id: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    date_from: str | None = None  # ISO dates; chunks with no stated date are excluded by a date filter
    date_to: str | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any] | None) -> Filters:
        raw = raw or {}
        unknown = set(raw) - FILTER_KEYS
        if unknown:
            raise FilterError(f"unknown filter(s) {sorted(unknown)}; allowed: {sorted(FILTER_KEYS)}")

        def as_list(v: Any, key: str) -> list[str]:
            if v is None:
                return []
            values = [v] if isinstance(v, str) else v
            if not (isinstance(values, list) and all(isinstance(x, str) for x in values)):
                raise FilterError(f"filter {key!r} must be a string or a list of strings")
            if len(values) > MAX_FILTER_VALUES:
                raise FilterError(
                    f"filter {key!r} has {len(values)} values; the limit is {MAX_FILTER_VALUES}. "
                    "Narrow it, or filter by date instead"
                )
            if not all(not has_lone_surrogate(x) for x in values):
                raise FilterError(f"filter {key!r} contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is "
                                  "not a character: send valid UTF-8 text")
            return values

        for key in ("date_from", "date_to"):
            v = raw.get(key)
            if v is not None and not (isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-"
                                      and not has_lone_surrogate(v)):
                raise FilterError(f"filter {key!r} must be an ISO date like 2020-03-01")
        return cls(as_list(raw.get("doc_id"), "doc_id"), as_list(raw.get("place"), "place"),
                   raw.get("date_from"), raw.get("date_to"))

    def active(self) -> bool:
        return bool(self.doc_id or self.place or self.date_from or self.date_to)

    def accepts(self, chunk: Chunk) -> bool:
        if self.doc_id and chunk.doc_id not in self.doc_id:
            return False
        if self.place and not any(p in chunk.places for p in self.place):
            return False
        if self.date_from or self.date_to:
            if not chunk.published:
                return False
            if self.date_from and chunk.published < self.date_from:
                return False
            if self.date_to and chunk.published > self.date_to:
                return False
        return True


@dataclass
class Hit:
    chunk: Chunk
    score: float  # fused RRF score (or the single retriever's score)
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = None
    lexical_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "chunk_id": c.chunk_id, "doc_id": c.doc_id, "article": c.article, "title": c.title,
            "start": c.start, "end": c.end, "score": round(self.score, 6), "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank, "text": c.text,
        }


class HybridRetriever:
    def __init__(
        self,
        chunks: list[Chunk],
        store: ChunkStore | None,
        tokenizer: Callable[[str], list[str]],
        candidates: int = 30,
        rrf_k: int = 60,
        boost: Callable[[str, Chunk], float] | None = None,
        dense_weight: float = 1.0,
        lexical_weight: float = 1.0,
        expand: Callable[[str], str] | None = None,
    ) -> None:
        self.chunks = {c.chunk_id: c for c in chunks}
        self.store = store
        self.lexical = LexicalIndex([c.chunk_id for c in chunks], [f"{c.title}\n{c.text}" for c in chunks], tokenizer)
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.boost = boost
        self.expand = expand  # adds the bulletins' wording for staff shorthand (密接 -> 密切接触者) to BM25 queries  # question-aware re-scoring of the fused candidates (hybrid mode only)

    def search(self, query: str, k: int = 5, filters: Filters | None = None, mode: Mode = "hybrid") -> list[Hit]:
        filters = filters or Filters()
        allowed = {cid for cid, c in self.chunks.items() if filters.accepts(c)} if filters.active() else None
        n = self.candidates
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense") and self.store is not None:
            # Over-fetch when filtering by place/date: Chroma filters only by doc_id here.
            fetch = n * 4 if (filters.place or filters.date_from or filters.date_to) else n
            dense = [(cid, s) for cid, s in self.store.query(query, fetch, filters.doc_id or None)
                     if cid in self.chunks and (allowed is None or cid in allowed)][:n]
        if mode in ("hybrid", "lexical"):
            lexical = self.lexical.search(self.expand(query) if self.expand else query, n, allowed)
        hits: dict[str, Hit] = {}
        for rank, (cid, s) in enumerate(dense):
            h = hits.setdefault(cid, Hit(self.chunks[cid], 0.0))
            h.dense_rank, h.dense_score = rank + 1, s
            h.score += self.dense_weight / (self.rrf_k + rank + 1)
        for rank, (cid, s) in enumerate(lexical):
            h = hits.setdefault(cid, Hit(self.chunks[cid], 0.0))
            h.lexical_rank, h.lexical_score = rank + 1, s
            h.score += self.lexical_weight / (self.rrf_k + rank + 1)
        if mode == "hybrid" and self.boost is not None:
            for h in hits.values():
                h.score += self.boost(query, h.chunk)
        if mode == "dense":
            for h in hits.values():
                h.score = h.dense_score or 0.0
        elif mode == "lexical":
            for h in hits.values():
                h.score = h.lexical_score or 0.0
        return sorted(hits.values(), key=lambda h: (-h.score, h.chunk.chunk_id))[:k]


def hit_to_document(hit: Hit) -> Document:
    c = hit.chunk
    return Document(
        page_content=c.text,
        metadata={
            "chunk_id": c.chunk_id, "doc_id": c.doc_id, "article": c.article, "title": c.title, "start": c.start,
            "end": c.end, "clean_start": c.clean_start, "clean_end": c.clean_end, "score": hit.score,
        },
    )


class BulletinRetriever(BaseRetriever):
    """LangChain face of our retrieval, for LCEL chains. `retriever` is anything with
    `search(query, k, filters, mode) -> list[Hit]`: a HybridRetriever, or the service's Engine (which
    adds answer-aware re-ranking)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Any
    k: int = 5
    filters: Filters | None = None
    mode: Mode = "hybrid"

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [hit_to_document(h) for h in self.retriever.search(query, self.k, self.filters, self.mode)]
