"""Sentence-aware chunking sized in tokens. Pure functions.

Chunks are runs of whole sentences (。！？；), at most `max_tokens` tiktoken tokens, overlapping by
`overlap` sentences so a fact that straddles a boundary is still whole in one chunk. A sentence longer
than the budget is split at a comma, never inside a figure ("1,000", "2.5万").
"""

from __future__ import annotations

import re

from vectorstore.cleaning import LABEL_VALUE, split_sentences
from vectorstore.tokens import count_tokens

# A comma between two digits is a thousands separator ("1,000"); any other comma ends a clause.
CLAUSE_BREAK = re.compile(r"(?<!\d)[，,、：:]|[，,、：:](?!\d)")


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at commas that are not thousands separators (nor a data card label's colon:
    "已复工：181家" is one clause)."""
    spans, s = [], start
    line = text.rfind("\n", 0, start) + 1
    label = LABEL_VALUE.match(text, line)
    for m in CLAUSE_BREAK.finditer(text, start, end):
        if label and m.end() == label.end():
            continue
        if m.end() - s > 0:
            spans.append((s, m.end()))
        s = m.end()
    if end > s:
        spans.append((s, end))
    return spans


def _fit(text: str, spans: list[tuple[int, int]], max_tokens: int) -> list[tuple[int, int]]:
    """Break spans over budget into clause groups."""
    out = []
    for s, e in spans:
        if count_tokens(text[s:e]) <= max_tokens:
            out.append((s, e))
            continue
        cur_s, cur_e = None, None
        for cs, ce in clause_spans(text, s, e):
            if cur_s is None:
                cur_s, cur_e = cs, ce
            elif count_tokens(text[cur_s:ce]) <= max_tokens:
                cur_e = ce
            else:
                out.append((cur_s, cur_e))
                cur_s, cur_e = cs, ce
        if cur_s is not None:
            out.append((cur_s, cur_e))
    return out


def chunk_spans(text: str, start: int, end: int, max_tokens: int = 160, overlap: int = 1) -> list[tuple[int, int]]:
    """Chunk spans (cleaned offsets) covering text[start:end]."""
    sentences = _fit(text, split_sentences(text[start:end], base=start), max_tokens)
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j = i
        s = sentences[i][0]
        while j + 1 < len(sentences) and count_tokens(text[s : sentences[j + 1][1]]) <= max_tokens:
            j += 1
        chunks.append((s, sentences[j][1]))
        if j + 1 >= len(sentences):
            break
        # Start the next chunk `overlap` sentences back, but always move forward.
        nxt = max(j + 1 - overlap, i + 1)
        # Overlap only when the repeated sentence fits with the next one; else it would be a chunk alone.
        if nxt <= j and count_tokens(text[sentences[nxt][0] : sentences[j + 1][1]]) > max_tokens:
            nxt = j + 1
        i = nxt
    return chunks
