"""Idempotent, crash-safe ingestion of bulletin files into the catalog and Chroma.

- The same file twice changes nothing (sha256 of the decoded text is compared).
- A changed file replaces its old chunks.
- Per document: catalog 'pending' -> delete its old vectors -> upsert new ones (deterministic ids) ->
  catalog 'complete' in one transaction. A kill -9 anywhere leaves either the old complete state or a
  'pending' row; `reconcile()` (run at the start of every ingest) re-ingests pending documents from their
  stored text and deletes vectors of documents the catalog does not know, so no duplicates survive.
- A pending document that cannot be repaired (over the size limit, or its repair fails) is reported once
  and set aside as 'failed', so it never blocks or fails later ingests.
- What cannot be walked (unreadable folders, link loops, broken links) is reported like a failed file.
- With a fact builder (service.facts), each document's figure facts are built from its cleaned text and
  written with its chunks, in the same transaction; an unchanged file whose stored facts came from another
  builder version gets them rebuilt.
"""

from __future__ import annotations

import errno
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from vectorstore.catalog import Catalog, FactSet
from vectorstore.cleaning import CleanText
from vectorstore.models import Article
from vectorstore.pipeline import process
from vectorstore.reading import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    DecodedFile,
    ReadError,
    decoded,
    doc_id_for,
    read_file,
    too_large,
)
from vectorstore.store import ChunkStore

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)

    @property
    def changed(self) -> list[str]:
        return self.added + self.updated + self.repaired

    def to_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "repaired": self.repaired,
            "failed": [{"path": p, "error": e} for p, e in self.failed],
        }


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files under the given paths, sorted; directories are walked for supported suffixes."""
    return find_files(paths)[0]


Problem = tuple[str, str]  # (path, message saying what to do)


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files under the given paths (folders walked for supported suffixes, hidden names skipped, links
    followed) and what could not be walked: unreadable folders, link loops, broken links."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            found: list[Path] = []
            _walk(p, found, problems, ancestors=frozenset(), seen=set())
            files += sorted(found)
        else:
            files.append(p)
    return files, problems


def _walk(folder: Path, files: list[Path], problems: list[Problem], ancestors: frozenset, seen: set) -> None:
    real = folder.resolve()
    if real in ancestors:
        problems.append((str(folder), f"{folder}: symbolic link loop (leads back to {real}); skipped. Remove the "
                         "link, or ingest the folder it points to directly"))
        return
    if real in seen:  # reached a second time through a link: its files are already listed
        return
    seen.add(real)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.append((str(folder), f"{folder}: cannot read folder ({exc.strerror}); its files were not "
                         "ingested. Fix its permissions and ingest it again"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            if entry.is_dir():
                _walk(path, files, problems, ancestors | {real}, seen)
            elif entry.is_file():
                if path.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(path)
            elif entry.is_symlink() and path.suffix.lower() in SUPPORTED_SUFFIXES | {""}:
                problems.append((str(path), f"{path}: broken symbolic link (to {os.readlink(path)}, which does "
                                 "not exist); skipped. Fix or remove the link"))
        except OSError as exc:  # stat of a link's target failed
            loop = exc.errno == errno.ELOOP
            why, todo = ("symbolic link loop", "Remove the link") if loop else (exc.strerror, "Check its permissions")
            problems.append((str(path), f"{path}: {why}; skipped. {todo}"))


class FactBuilder(Protocol):
    """Reads a document's figure facts (service.facts.store.Builder): catalog rows, keys FACT_COLUMNS. The
    reading lives in service/, which imports vectorstore, never the other way: ingest is handed one."""

    version: str

    def __call__(self, doc_id: str, original: str, clean: CleanText, articles: list[Article]) -> FactSet: ...


class Ingestor:
    def __init__(
        self,
        catalog: Catalog,
        store: ChunkStore,
        chunk_tokens: int = 160,
        overlap: int = 1,
        on_document: Callable[[str], None] | None = None,
        max_bytes: int = MAX_FILE_BYTES,
        facts: FactBuilder | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.chunk_tokens = chunk_tokens
        self.overlap = overlap
        self.on_document = on_document  # e.g. make the bulletin's summary
        self.max_bytes = max_bytes
        self.facts = facts  # None: documents are written without facts (built on first read)

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        report = IngestReport()
        report.repaired = self.reconcile(report.failed)
        files, problems = find_files(paths)
        for _, msg in problems:
            log.warning("%s", msg)
        report.failed += problems
        done: dict[str, Path] = {}  # doc_id -> the file of this batch that provided it
        for path in tqdm(files, desc="ingest", unit="file", disable=not progress or not files):
            doc_id = doc_id_for(path)
            if doc_id in done:
                # x.txt beside x.md, or the same name in two folders: without this the second silently
                # replaced the first, and every later ingest of the batch flip-flopped between them.
                msg = (f"{path}: same document id {doc_id!r} as {done[doc_id]} (the id is the file name without "
                       "its suffix); rename one of them")
                log.warning("%s", msg)
                report.failed.append((str(path), msg))
                continue
            try:
                status = self.ingest_file(path)
            except ReadError as exc:
                log.warning("%s", exc)
                report.failed.append((str(path), str(exc)))
                continue
            except Exception as exc:  # one bad file must not stop the batch
                log.exception("failed to ingest %s", path)
                report.failed.append((str(path), f"{path}: {type(exc).__name__}: {exc}. The other files are "
                                      "ingested; see the traceback above, fix the cause and ingest it again"))
                continue
            done[doc_id] = path
            getattr(report, status).append(doc_id)
        return report

    def ingest_file(self, path: Path) -> str:
        """Ingest one file; returns 'added', 'updated' or 'unchanged'."""
        return self.ingest_decoded(read_file(path, self.max_bytes), str(path))

    def ingest_upload(self, name: str, data: bytes) -> tuple[str, str]:
        """Ingest an uploaded file's bytes (its name gives the doc id and format); returns (doc_id, status).
        No reconcile: in a live server a 'pending' row may be another process's ingest in progress."""
        doc = decoded(Path(name), data, self.max_bytes)
        return doc.doc_id, self.ingest_decoded(doc, f"upload:{name}")

    def ingest_decoded(self, doc: DecodedFile, path: str) -> str:
        row = self.catalog.document(doc.doc_id)
        if row is not None and row["status"] == "complete" and row["sha256"] == doc.sha256:
            self._refresh_facts(doc.doc_id, doc.sha256, doc.text)
            self._after(doc.doc_id)  # makes a missing summary, no-op otherwise
            return "unchanged"
        self._write(doc.doc_id, path, doc.sha256, doc.encoding, doc.text)
        return "added" if row is None else "updated"

    def _write(self, doc_id: str, path: str, sha256: str, encoding: str, original: str) -> None:
        processed = process(doc_id, original, self.chunk_tokens, self.overlap)
        if not processed.chunks:
            raise ReadError(f"{path}: no text left after cleaning; nothing to ingest")
        facts = self.facts(doc_id, original, processed.clean, processed.articles) if self.facts else None
        self.catalog.mark_pending(doc_id, path, sha256, encoding, original)
        self.store.delete_document(doc_id)
        self.store.add(processed.chunks)
        self.catalog.write_document(
            doc_id=doc_id, path=path, sha256=sha256, encoding=encoding, title=processed.title,
            published=processed.published, original=original, clean_text=processed.clean.text,
            clean_offsets=processed.clean.offsets, places=processed.places, articles=processed.articles,
            chunks=processed.chunks, facts=facts,
        )
        self._after(doc_id)

    def _refresh_facts(self, doc_id: str, sha256: str, original: str) -> None:
        """An unchanged document whose facts are missing or from another builder version: build them from
        the stored text (the file is not processed again)."""
        if self.facts is None:
            return
        stored = self.catalog.fact_set(doc_id)
        if stored is not None and stored["version"] == self.facts.version and stored["sha256"] == sha256:
            return
        row = self.catalog.document(doc_id)
        clean = CleanText(row["clean_text"], json.loads(row["clean_offsets"]))
        self.catalog.write_facts(doc_id, sha256, self.facts(doc_id, original, clean, self.catalog.articles(doc_id)))

    def _after(self, doc_id: str) -> None:
        # A failing hook (e.g. the summary) must not undo or fail an ingest that is already complete.
        if self.on_document is None:
            return
        try:
            self.on_document(doc_id)
        except Exception:
            log.exception("post-ingest step failed for %s; the document is indexed, retry with `bulletins summarize`",
                          doc_id)

    def reconcile(self, failed: list[Problem]) -> list[str]:
        """Finish what an interrupted ingest left: re-ingest pending documents, drop orphan vectors. A pending
        document over the size limit, or whose repair fails, is set aside and added to `failed` instead."""
        repaired = []
        for row in self.catalog.documents(status="pending"):
            doc_id, path = row["doc_id"], row["path"]
            log.info("repairing interrupted ingest of %s", doc_id)
            try:
                size = len(row["original"].encode("utf-8"))
                if size > self.max_bytes:
                    raise too_large(f"{path} (pending document {doc_id})", size, self.max_bytes)
                self._write(doc_id, path, row["sha256"], row["encoding"], row["original"])
            except Exception as exc:  # one stuck document must not block every later ingest
                log.warning("cannot repair the interrupted ingest of %s: %s", doc_id, exc)
                self.store.delete_document(doc_id)
                self.catalog.set_aside(doc_id)
                failed.append((path, (
                    f"{exc}. Interrupted ingest of {doc_id!r} could not be finished; it is set aside (not served, "
                    f"not retried): fix {path} and ingest it again, or run `bulletins remove {doc_id}`")))
                continue
            repaired.append(doc_id)
        known = {r["doc_id"] for r in self.catalog.documents(status=None)}
        for doc_id in self.store.doc_ids() - known:
            self.store.delete_document(doc_id)
        return repaired

    def remove(self, doc_id: str) -> bool:
        self.store.delete_document(doc_id)
        return self.catalog.remove(doc_id)
