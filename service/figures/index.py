"""Figure tokens for the lexical (BM25) index, so "1.8万" and "18000" retrieve each other."""

from __future__ import annotations

from service.figures.figure import dec_str
from service.figures.parse import parse_figures


def index_tokens(text: str) -> list[str]:
    """Extra BM25 tokens: per figure its scaled value ("18000") and its normalized key."""
    tokens: list[str] = []
    for f in parse_figures(text):
        if f.value is not None:
            tokens.append(dec_str(f.value))
        tokens.append(f.normalized)
    return tokens
