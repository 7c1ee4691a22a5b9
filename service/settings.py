"""One typed settings object for the whole service (env prefix BULLETINS_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BULLETINS_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Path("./data")
    seeds_dir: Path = REPO_ROOT / "seeds"
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8001 -> HttpClient instead of on-disk
    collection: str = "bulletins"
    max_file_mb: float = 10.0  # larger files (CLI, uploads, interrupted ingests) are refused by name

    # Embeddings: the embedded default needs no network; "openai" uses any OpenAI-compatible server.
    embedding: Literal["e5", "openai"] = "e5"
    embedding_model: str = "text-embedding-3-small"
    # Passage vectors by text, so no chunk is embedded twice (default <data_dir>/embeddings.sqlite3).
    embedding_cache: Path | None = None

    # Chunking and retrieval
    chunk_tokens: int = 160
    chunk_overlap_sentences: int = 1
    top_k: int = 5
    candidates: int = 30
    lexical_tokenizer: Literal["jieba", "bigram", "jieba+bigram"] = "jieba+bigram"

    # Answering
    answerer: Literal["auto", "extractive", "llm"] = "auto"
    llm_model: str = "gpt-4o-mini"
    llm_temperature: float = 0.0
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 3
    llm_deadline_s: float = 20.0  # all LLM time of one answer, retries included; then extractive
    context_tokens: int = 3000
    max_question_chars: int = 2000
    # Below this confidence the extractive answer states no figure and shows its evidence sentences.
    # None: the threshold fitted into service/chat/weights.json; 0 states every figure it finds.
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    prompts_dir: Path = REPO_ROOT / "prompts"
    openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("BULLETINS_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("BULLETINS_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )

    # Server
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: Annotated[list[str], NoDecode] = []
    max_body_bytes: int = Field(default=1024 * 1024, ge=0)  # JSON request bodies; 0 = no limit
    conversation_max_turns: int = 20
    conversation_ttl_s: int = 3600
    conversation_max_count: int = 1000
    answer_workers: int = 8  # the service's own answering threads (not Starlette's shared pool)
    answer_queue_s: float = 10.0  # longest wait for a free answering thread, then 503

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, v: object) -> object:
        # BULLETINS_API_KEYS="k1,k2" is friendlier than JSON in a shell.
        if isinstance(v, str):
            return [k.strip() for k in v.split(",") if k.strip()]
        return v

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def use_llm(self) -> bool:
        if self.answerer == "llm":
            return True
        return self.answerer == "auto" and self.llm_configured

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def embedding_cache_path(self) -> Path:
        return self.embedding_cache or self.data_dir / "embeddings.sqlite3"


@lru_cache
def get_settings() -> Settings:
    return Settings()
