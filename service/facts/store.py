"""Figure facts in and out of the catalog: the builder handed to ingest, the lazy load for documents
whose stored facts are missing or stale, and a per-document index by offset for the answerers.

Staleness: `VERSION` hashes the source of the code that shapes a reading (the builder, the figure parser,
places, cleaning). Facts stored under another version, or for another sha256 of the document, or never
stored (a catalog made before the `figure_facts` table, an ingest without a builder), are rebuilt from the
catalog's cleaned text on first read and stored then; `bulletins ingest` of the unchanged file does the same.
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import json
import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from service.facts.model import FigureFact
from service.facts.reading import build_facts
from service.figures import Figure, with_offset
from vectorstore.catalog import Catalog, FactSet
from vectorstore.cleaning import CleanText
from vectorstore.models import Article

log = logging.getLogger(__name__)

# Modules whose code decides what a fact says; a package counts with all its files.
READING_MODULES = ("service.facts.model", "service.facts.reading", "service.figures", "vectorstore.places",
                   "vectorstore.cleaning")


def source_version(modules: Iterable[str] = READING_MODULES) -> str:
    h = hashlib.sha256()
    for name in modules:
        path = Path(importlib.import_module(name).__file__ or "")
        # A package counts with its vocabularies (service/figures/vocab.toml says what a unit is).
        files = sorted([*path.parent.rglob("*.py"), *path.parent.rglob("*.toml")]) if path.name == "__init__.py" \
            else [path]
        for f in files:
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


VERSION = source_version()


class Builder:
    """vectorstore.ingest.FactBuilder: the facts of one document as catalog rows."""

    version = VERSION

    def __call__(self, doc_id: str, original: str, clean: CleanText, articles: list[Article]) -> FactSet:
        facts = build_facts(doc_id, original, clean, articles)
        return FactSet(self.version, [f.to_row(i) for i, f in enumerate(facts)])


BUILDER = Builder()


def load_facts(catalog: Catalog, doc_id: str) -> list[FigureFact] | None:
    """The document's facts, built and stored now when missing or stale; None when there is no complete
    document `doc_id`. Reads the catalog, never a cache: mid-ingest a cache may hold the old text."""
    row = catalog.document(doc_id)
    if row is None or row["status"] != "complete":
        return None
    stored = catalog.fact_set(doc_id)
    if stored is not None and stored["version"] == BUILDER.version and stored["sha256"] == row["sha256"]:
        return [FigureFact.from_row(r) for r in catalog.facts(doc_id)]
    log.info("building the figure facts of %s (%s)", doc_id, "stale" if stored else "none stored")
    clean = CleanText(row["clean_text"], json.loads(row["clean_offsets"]))
    facts = build_facts(doc_id, row["original"], clean, catalog.articles(doc_id))
    try:
        catalog.write_facts(doc_id, row["sha256"], FactSet(BUILDER.version, [f.to_row(i) for i, f in enumerate(facts)]))
    except sqlite3.Error as exc:  # a read-only or busy catalog: serve the facts, store them another time
        log.warning("could not store the figure facts of %s: %s", doc_id, exc)
    return facts


class DocumentFacts:
    """One bulletin's facts by position in its cleaned text: the figures of any span without parsing it."""

    def __init__(self, facts: list[FigureFact]) -> None:
        self.facts = sorted(facts, key=lambda f: f.figure.start)
        self._starts = [f.figure.start for f in self.facts]
        # The answerer asks for the same sentences and clauses question after question: keep the shifted
        # figures (a few thousand spans per bulletin at most; the document's facts go with the Engine cache).
        self._spans: dict[tuple[int, int], tuple[Figure, ...]] = {}

    def within(self, start: int, end: int) -> list[FigureFact]:
        """Facts whose figure lies wholly inside [start, end) of the cleaned text, in text order."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end, lo=i)
        return [f for f in self.facts[i:j] if f.figure.end <= end]

    def at(self, start: int) -> FigureFact | None:
        """The fact of the figure starting at `start` of the cleaned text, if one was read there."""
        i = bisect.bisect_left(self._starts, start)
        return self.facts[i] if i < len(self.facts) and self._starts[i] == start else None

    def figures(self, start: int, end: int) -> tuple[Figure, ...]:
        """The figures of text[start:end], offsets relative to `start` (as parse_figures(text[start:end]))."""
        hit = self._spans.get((start, end))
        if hit is None:
            hit = self._spans[(start, end)] = tuple(with_offset(f.figure, -start) for f in self.within(start, end))
        return hit
