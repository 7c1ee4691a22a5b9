"""Chroma adapter: on disk under BULLETINS_DATA_DIR by default, a Chroma server when BULLETINS_CHROMA_URL is set."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.api.types import EmbeddingFunction
from chromadb.config import Settings as ChromaSettings

from vectorstore.embedding_cache import EmbeddingCache
from vectorstore.models import Chunk


def make_client(chroma_path: Path, chroma_url: str | None = None) -> chromadb.ClientAPI:
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        u = urlparse(chroma_url)
        if not u.hostname:
            raise ValueError(f"BULLETINS_CHROMA_URL={chroma_url!r} is not a URL; use e.g. http://127.0.0.1:8001")
        return chromadb.HttpClient(
            host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000), ssl=u.scheme == "https",
            settings=settings,
        )
    chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(chroma_path), settings=settings)


# Above the chunk count of the largest eval index (the fit's: 2,0xx chunks of 84 bulletins on 2026-12-07).
EF_SEARCH = 4000
log = logging.getLogger(__name__)


def embedding_text(chunk: Chunk) -> str:
    # The headline tells the embedder what the chunk is about when the body only says "我区"/"该企业".
    return f"{chunk.title}\n{chunk.text}" if chunk.title else chunk.text


class ChunkStore:
    def __init__(
        self, client: chromadb.ClientAPI, name: str, embedding_function: EmbeddingFunction,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self.client = client
        self.ef = embedding_function
        self.cache = cache
        # ef_search far above the number of bulletin chunks makes HNSW search exhaustive: the same index
        # built twice answers the same (with the default 100, Chroma's multi-threaded build changed the
        # dense top-30 of 23 of 262 eval questions between two builds of identical vectors).
        self.collection = client.get_or_create_collection(
            name, embedding_function=embedding_function,
            configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH, "ef_construction": 200}},
        )
        hnsw = (self.collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search", EF_SEARCH) < EF_SEARCH:
            # A collection made by an older version: raise it before its segment is loaded.
            try:
                self.collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
            except Exception as exc:  # a server may refuse; search then stays approximate
                log.warning("cannot raise ef_search on %s: %s", name, exc)

    def add(self, chunks: list[Chunk], batch: int = 64) -> None:
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            docs = [embedding_text(c) for c in part]
            self.collection.upsert(
                ids=[c.chunk_id for c in part],
                documents=docs,
                embeddings=self.cache.embed(docs, self.ef) if self.cache else None,
                metadatas=[
                    {"doc_id": c.doc_id, "article": c.article, "start": c.start, "end": c.end, "title": c.title}
                    for c in part
                ],
            )

    def delete_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def doc_ids(self) -> set[str]:
        got = self.collection.get(include=["metadatas"])
        return {m["doc_id"] for m in got["metadatas"] or []}

    def count(self, doc_id: str | None = None) -> int:
        if doc_id is None:
            return self.collection.count()
        return len(self.collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def query(self, text: str, n: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity)."""
        total = self.collection.count()
        if total == 0:
            return []
        where = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        emb = self.ef.embed_query([text])
        res = self.collection.query(query_embeddings=emb, n_results=min(n, total), where=where, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]


def reopen(store: ChunkStore, chroma_path: Path) -> ChunkStore:
    """The on-disk index opened afresh, with what other processes wrote since: an open client keeps its HNSW
    index in memory and never sees their writes (filtering on their documents fails with "Error finding id").
    Close first: Chroma shares one client per path within a process, and a new one would join the stale one."""
    store.client.close()
    return ChunkStore(make_client(chroma_path), store.collection.name, store.ef, store.cache)
