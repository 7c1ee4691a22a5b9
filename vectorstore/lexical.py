"""BM25 over Chinese tokens (bm25s), with figures normalised so "1.8万" matches "18000".

Tokeniser: jieba's search mode plus character bigrams by default. Bigrams catch names and terms jieba
splits differently in question and text (规上 vs 规模以上); jieba keeps whole words ranking high. The
choice was measured on the seeds' question set (bench/retrieval.py prints the comparison).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import bm25s
import numpy as np

from vectorstore.cleaning import fold_all, is_cjk

# bm25s sets its own logger to DEBUG at import; keep its chatter out of the service's log.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
STOPWORDS = set("的 了 和 是 在 与 及 等 为 对 把 被 将 也 都 有 多少 几 哪 什么 吗 呢 ？ ?".split())


def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def jieba_tokens(text: str) -> list[str]:
    return [t for t in _jieba().lcut_for_search(text) if not _PUNCT.fullmatch(t) and t not in STOPWORDS]


def words(text: str) -> list[str]:
    """jieba's segmentation (accurate mode), punctuation kept as its own pieces."""
    return _jieba().lcut(text)


def bigram_tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9.%]+", text):
        if is_cjk(run[0]):
            out.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
        else:
            out.append(run.lower())
    return out


def make_tokenizer(kind: str, extra: Callable[[str], list[str]] | None = None) -> Callable[[str], list[str]]:
    def tokenize(text: str) -> list[str]:
        text = fold_all(text)
        toks: list[str] = []
        if "jieba" in kind:
            toks += jieba_tokens(text)
        if "bigram" in kind:
            toks += bigram_tokens(text)
        if extra is not None:
            toks += extra(text)
        return toks

    return tokenize


class LexicalIndex:
    def __init__(self, ids: list[str], texts: list[str], tokenizer: Callable[[str], list[str]]) -> None:
        self.ids = ids
        self.tokenizer = tokenizer
        self.bm25 = bm25s.BM25()
        self.empty = not ids
        if not self.empty:
            self.bm25.index([tokenizer(t) or ["<empty>"] for t in texts], show_progress=False)
            self.vocab = self.bm25.vocab_dict

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        if self.empty:
            return []
        q = [t for t in self.tokenizer(query) if t in self.vocab]
        if not q:
            return []
        scores = self.bm25.get_scores(q)
        out = []
        for i in np.argsort(-scores):
            if scores[i] <= 0:
                break
            cid = self.ids[i]
            if allowed is None or cid in allowed:
                out.append((cid, float(scores[i])))
                if len(out) >= n:
                    break
        return out
