"""LLM adapter: LangChain `ChatOpenAI` against OpenAI or any OpenAI-compatible server (vLLM, Ollama,
llama.cpp), with retries on 429/5xx/timeouts.

Retries: the openai client's own retry loop already backs off on 408/409/429/5xx and connection errors
(honouring Retry-After); `max_retries` is passed through, so one well-kept implementation does it.
`run_with_deadline` bounds the whole loop (tries, back-offs) by cancelling it.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.language_models.chat_models import BaseChatModel

from service.settings import Settings
from vectorstore.tokens import ensure_offline_cache

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """The LLM did not finish within the deadline; the call was cancelled."""


def make_chat_model(settings: Settings, http_async_client: Any = None) -> BaseChatModel:
    ensure_offline_cache()  # LangChain may count tokens with tiktoken; never let it download
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        http_async_client=http_async_client,
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        api_key=settings.openai_api_key or "not-needed",  # local servers often need no key
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """httpx's default context (SSL_CERT_FILE/SSL_CERT_DIR honoured), built once: loading the CA
    certificates costs ~30 ms, and run_with_deadline makes a client per call."""
    from httpx import create_ssl_context

    return create_ssl_context()


def run_with_deadline(settings: Settings, call: Callable[[BaseChatModel], Awaitable[T]], deadline_s: float) -> T:
    """`call(model)` on an event loop of its own, cancelled after `deadline_s` (DeadlineExceeded).

    Why async: a sync openai call cannot be stopped from outside, so a hung server would keep the thread
    for timeout x tries; cancelling the coroutine closes the connection at once. The HTTP client is made
    per call because an async client must not outlive the loop that opened its connections."""
    import openai

    async def main() -> T:
        async with openai.DefaultAsyncHttpxClient(verify=_tls_context()) as http:
            try:
                return await asyncio.wait_for(call(make_chat_model(settings, http)), deadline_s)
            except TimeoutError as exc:
                raise DeadlineExceeded(f"no LLM answer within {deadline_s:g} s") from exc

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(1) as one:  # called from inside a running loop: use a thread of its own
        return one.submit(asyncio.run, main()).result()


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
