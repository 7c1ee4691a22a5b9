"""What counts as text in a request: valid Unicode (no lone UTF-16 surrogates, which JSON's \\ud800 escape
can carry but UTF-8 cannot encode, so the embedder, Chroma and the response all fail on them), and
something visible (zero-width and control characters alone are an empty question)."""

from __future__ import annotations

import unicodedata

from vectorstore.cleaning import has_lone_surrogate

__all__ = ["SURROGATE_HINT", "has_lone_surrogate", "strip_invisible"]

SURROGATE_HINT = (
    "contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is not a character: send valid UTF-8 text "
    "(a character escaped in JSON as a surrogate pair needs both halves)"
)
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}  # controls, format (U+200B, U+FEFF, U+00AD ...), separators


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in _INVISIBLE


def strip_invisible(text: str) -> str:
    """`text` without whitespace, zero-width, format or control characters at either end."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]
