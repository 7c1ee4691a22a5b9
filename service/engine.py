"""The service's state: catalog, vector store and retriever, built once from settings and shared by the
API, the CLI and the eval harness."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from service.components.vector_store import make_catalog, make_lexical_tokenizer, make_store
from service.intent import expand_question
from service.ranking import RERANK_DEPTH, question_boost, rerank
from service.settings import Settings
from vectorstore.cleaning import CleanText
from vectorstore.ingest import Ingestor, IngestReport
from vectorstore.models import Chunk
from vectorstore.retrieval import Filters, Hit, HybridRetriever, Mode

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = make_catalog(settings)
        self._lock = threading.RLock()
        self._retriever: HybridRetriever | None = None
        self._clean_cache: dict[str, tuple[str, CleanText, str]] = {}

    @cached_property
    def store(self):
        return make_store(self.settings)

    # --- ingest ----------------------------------------------------------------------------------
    def ingestor(self) -> Ingestor:
        return Ingestor(
            self.catalog, self.store, self.settings.chunk_tokens, self.settings.chunk_overlap_sentences,
            on_document=self._after_document, max_bytes=int(self.settings.max_file_mb * 2**20),
        )

    def _after_document(self, doc_id: str) -> None:
        # Summaries are made on ingest (issue 4); imported lazily to keep ingest usable on its own.
        from service.summaries.service import ensure_summary

        ensure_summary(self, doc_id)

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        with self._lock:
            report = self.ingestor().ingest(paths, progress=progress)
            self._retriever = None
            self._clean_cache.clear()
            return report

    def remove(self, doc_id: str) -> bool:
        with self._lock:
            ok = self.ingestor().remove(doc_id)
            self._retriever = None
            self._clean_cache.pop(doc_id, None)
            return ok

    # --- retrieval -------------------------------------------------------------------------------
    @property
    def retriever(self) -> HybridRetriever:
        with self._lock:
            if self._retriever is None:
                self._retriever = HybridRetriever(
                    self.catalog.chunks(), self.store, make_lexical_tokenizer(self.settings), self.settings.candidates,
                    boost=question_boost, expand=expand_question,
                )
            return self._retriever

    def search(self, query: str, k: int | None = None, filters: Filters | None = None, mode: Mode = "hybrid") -> list[Hit]:
        k = k or self.settings.top_k
        if mode != "hybrid":
            return self.retriever.search(query, k, filters, mode)
        hits = self.retriever.search(query, max(k, RERANK_DEPTH), filters, mode)
        return rerank(query, hits, self.passages(hits))[:k]

    def passages(self, hits: list[Hit]) -> list:
        """Numbered passages (chunk + its bulletin's texts) for answerers and citations."""
        from service.citations import Passage

        out = []
        for i, h in enumerate(hits, 1):
            bt = self.bulletin_text(h.chunk.doc_id)
            if bt is not None:
                out.append(Passage(i, h.chunk, bt[1], bt[0], h.score))
        return out

    # --- documents -------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.catalog.documents()

    def bulletin_text(self, doc_id: str) -> tuple[str, CleanText, str] | None:
        """(original, cleaned text with offsets, title) of a complete document, cached."""
        hit = self._clean_cache.get(doc_id)
        if hit is not None:
            return hit
        row = self.catalog.document(doc_id)
        if row is None or row["status"] != "complete":
            return None
        value = (row["original"], CleanText(row["clean_text"], json.loads(row["clean_offsets"])), row["title"])
        self._clean_cache[doc_id] = value
        return value

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.retriever.chunks.get(chunk_id)

    def list_documents(self) -> list[dict]:
        counts = self.catalog.counts()
        out = []
        for row in self.catalog.documents():
            arts = self.catalog.articles(row["doc_id"])
            dates = sorted({a.published for a in arts if a.published})
            out.append({
                "doc_id": row["doc_id"], "title": row["title"], "path": row["path"], "encoding": row["encoding"],
                "sha256": row["sha256"], "articles": counts.get(row["doc_id"], (0, 0))[0],
                "chunks": counts.get(row["doc_id"], (0, 0))[1], "published": row["published"], "dates": dates,
                "places": json.loads(row["places"]), "characters": len(row["original"]),
            })
        return out
