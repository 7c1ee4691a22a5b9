"""The service's state: catalog, vector store and retriever, built once from settings and shared by the
API, the CLI and the eval harness.

Other processes may ingest or remove bulletins while a server runs on the same data dir (`bulletins
ingest` beside `bulletins serve`). Every search reads the catalog's generation (one SQLite read); when it
moved, the BM25 index and text cache are rebuilt and the on-disk Chroma client reopened (`refresh`)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from chromadb.errors import InternalError

from service.components.vector_store import make_catalog, make_lexical_tokenizer, make_store
from service.facts.store import BUILDER, DocumentFacts, load_facts
from service.gate import Gate
from service.intent import expand_question
from service.ranking import RERANK_DEPTH, question_boost, rerank
from service.settings import Settings
from vectorstore.cleaning import CleanText
from vectorstore.ingest import Ingestor, IngestReport
from vectorstore.models import Chunk
from vectorstore.retrieval import Filters, Hit, HybridRetriever, Mode
from vectorstore.store import reopen

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalog = make_catalog(settings)
        # Not reentrant on purpose: a refresh reached from inside an ingest (its summary hook) must skip.
        self._write_lock = threading.Lock()  # ingest, remove, refresh: one at a time
        self._build_lock = threading.Lock()  # the retriever is built once
        self._store_users = Gate()  # searches share the store; a refresh replacing it waits for them
        self._retriever: HybridRetriever | None = None
        self._clean_cache: dict[str, tuple[str, CleanText, str]] = {}
        self._facts_cache: dict[str, DocumentFacts] = {}
        self._generation = self.catalog.generation()  # what the retriever, cache and Chroma client reflect

    @cached_property
    def store(self):
        return make_store(self.settings)

    # --- ingest ----------------------------------------------------------------------------------
    def ingestor(self) -> Ingestor:
        return Ingestor(
            self.catalog, self.store, self.settings.chunk_tokens, self.settings.chunk_overlap_sentences,
            on_document=self._after_document, max_bytes=int(self.settings.max_file_mb * 2**20), facts=BUILDER,
        )

    def _after_document(self, doc_id: str) -> None:
        # Summaries are made on ingest (issue 4); imported lazily to keep ingest usable on its own.
        from service.summaries.service import ensure_summary

        ensure_summary(self, doc_id)

    # Each write first catches up: a stale Chroma client would persist an index missing others' vectors.
    # The first search after it picks up the write itself (the generation moved).
    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        self.refresh()
        with self._write_lock:
            return self.ingestor().ingest(paths, progress=progress)

    def ingest_upload(self, name: str, data: bytes) -> tuple[str, str]:
        """An uploaded file through the same reading, cleaning and ingest as `bulletins ingest`."""
        self.refresh()
        with self._write_lock:
            return self.ingestor().ingest_upload(name, data)

    def remove(self, doc_id: str) -> bool:
        self.refresh()
        with self._write_lock:
            return self.ingestor().remove(doc_id)

    def refresh(self, force: bool = False) -> bool:
        """Catch up with changes to the catalog, by another process or this one; returns whether it did."""
        gen = self.catalog.generation()
        if (gen == self._generation and not force) or not self._write_lock.acquire(blocking=False):
            return False  # unchanged, or a write here is running (the first search after it refreshes)
        try:
            with self._store_users.exclusive(), self._build_lock:
                self._retriever = None
                self._clean_cache.clear()
                self._facts_cache.clear()
                if "store" in self.__dict__ and not self.settings.chroma_url:  # a Chroma server is shared: current
                    self.store = reopen(self.store, self.settings.chroma_path)
                self._generation = gen
            return True
        finally:
            self._write_lock.release()

    # --- retrieval -------------------------------------------------------------------------------
    @property
    def retriever(self) -> HybridRetriever:
        with self._build_lock:
            if self._retriever is None:
                self._retriever = HybridRetriever(
                    self.catalog.chunks(), self.store, make_lexical_tokenizer(self.settings), self.settings.candidates,
                    boost=question_boost, expand=expand_question,
                )
            return self._retriever

    def search(self, query: str, k: int | None = None, filters: Filters | None = None, mode: Mode = "hybrid") -> list[Hit]:
        k = k or self.settings.top_k
        depth = k if mode != "hybrid" else max(k, RERANK_DEPTH)
        self.refresh()
        try:
            with self._store_users.shared():
                hits = self.retriever.search(query, depth, filters, mode)
        except InternalError as exc:
            # Another process rewrote vectors between the generation check and the query ("Error finding
            # id"): reopen the index, which then has them, and ask once more.
            log.warning("the vector index changed during a query (%s); reopening it", exc)
            self.refresh(force=True)
            with self._store_users.shared():
                hits = self.retriever.search(query, depth, filters, mode)
        return hits if mode != "hybrid" else rerank(query, hits, self.passages(hits))[:k]

    def passages(self, hits: list[Hit]) -> list:
        """Numbered passages (chunk + its bulletin's texts) for answerers and citations."""
        from service.citations import Passage

        out = []
        for i, h in enumerate(hits, 1):
            bt = self.bulletin_text(h.chunk.doc_id)
            if bt is not None:
                c = h.chunk
                # Facts index the bulletin's cleaned text: only for a chunk cut from that very text.
                same = bt[1].text[c.clean_start : c.clean_start + len(c.text)] == c.text
                out.append(Passage(i, c, bt[1], bt[0], h.score, self.facts(c.doc_id) if same else None))
        return out

    # --- documents -------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.catalog.documents()

    def has_document(self, doc_id: str) -> bool:
        row = self.catalog.document(doc_id)
        return row is not None and row["status"] == "complete"

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

    def facts(self, doc_id: str) -> DocumentFacts | None:
        """The figure facts of a complete document (read once, then cached until the catalog changes)."""
        hit = self._facts_cache.get(doc_id)
        if hit is not None:
            return hit
        facts = load_facts(self.catalog, doc_id)
        if facts is None:
            return None
        value = self._facts_cache[doc_id] = DocumentFacts(facts)
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
