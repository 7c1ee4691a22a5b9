from __future__ import annotations

from chromadb.api.types import EmbeddingFunction

from service.settings import Settings
from vectorstore.embeddings import E5EmbeddingFunction, OpenAICompatibleEmbeddingFunction


def make_embedding_function(settings: Settings) -> EmbeddingFunction:
    if settings.embedding == "openai":
        return OpenAICompatibleEmbeddingFunction(
            model=settings.embedding_model, base_url=settings.openai_base_url, api_key=settings.openai_api_key
        )
    return E5EmbeddingFunction()
