"""LLM adapter: LangChain `ChatOpenAI` against OpenAI or any OpenAI-compatible server (vLLM, Ollama,
llama.cpp), with retries on 429/5xx/timeouts.

Retries: the openai client's own retry loop already backs off on 408/409/429/5xx and connection errors
(honouring Retry-After); `max_retries` is passed through, so one well-kept implementation does it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel

from service.settings import Settings
from vectorstore.tokens import ensure_offline_cache


def make_chat_model(settings: Settings) -> BaseChatModel:
    ensure_offline_cache()  # LangChain may count tokens with tiktoken; never let it download
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        api_key=settings.openai_api_key or "not-needed",  # local servers often need no key
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


@lru_cache(maxsize=64)
def _read_prompt(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_prompt(settings: Settings, name: str) -> tuple[str, str]:
    """(template text, version) of prompts/<name>.txt. The version is the first line's `# version: X`."""
    path = settings.prompts_dir / f"{name}.txt"
    if not path.exists():
        raise FileNotFoundError(f"prompt {name!r} not found at {path}")
    text = _read_prompt(str(path))
    version = "unversioned"
    lines = text.splitlines()
    if lines and lines[0].startswith("# version:"):
        version = lines[0].split(":", 1)[1].strip()
        text = "\n".join(lines[1:]).lstrip("\n")
    return text, version
