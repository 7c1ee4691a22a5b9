from __future__ import annotations

from service.components.embedding import make_embedding_function
from service.settings import Settings
from vectorstore.catalog import Catalog
from vectorstore.embedding_cache import EmbeddingCache
from vectorstore.embeddings import embedder_key
from vectorstore.lexical import make_tokenizer
from vectorstore.store import ChunkStore, make_client


def make_catalog(settings: Settings) -> Catalog:
    return Catalog(settings.catalog_path)


def make_store(settings: Settings) -> ChunkStore:
    client = make_client(settings.chroma_path, settings.chroma_url)
    ef = make_embedding_function(settings)
    return ChunkStore(client, settings.collection, ef, EmbeddingCache(settings.embedding_cache_path, embedder_key(ef)))


def make_lexical_tokenizer(settings: Settings):
    from service.figures import index_tokens

    return make_tokenizer(settings.lexical_tokenizer, extra=index_tokens)
