"""Idempotent, crash-safe ingestion of bulletin files into the catalog and Chroma.

- The same file twice changes nothing (sha256 of the decoded text is compared).
- A changed file replaces its old chunks.
- Per document: catalog 'pending' -> delete its old vectors -> upsert new ones (deterministic ids) ->
  catalog 'complete' in one transaction. A kill -9 anywhere leaves either the old complete state or a
  'pending' row; `reconcile()` (run at the start of every ingest) re-ingests pending documents from their
  stored text and deletes vectors of documents the catalog does not know, so no duplicates survive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from vectorstore.catalog import Catalog
from vectorstore.pipeline import process
from vectorstore.reading import SUPPORTED_SUFFIXES, ReadError, doc_id_for, read_file
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
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                          and not f.name.startswith("."))
        else:
            out.append(p)
    return out


class Ingestor:
    def __init__(
        self,
        catalog: Catalog,
        store: ChunkStore,
        chunk_tokens: int = 160,
        overlap: int = 1,
        on_document: Callable[[str], None] | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.chunk_tokens = chunk_tokens
        self.overlap = overlap
        self.on_document = on_document  # e.g. make the bulletin's summary

    def ingest(self, paths: Iterable[Path], progress: bool = True) -> IngestReport:
        report = IngestReport()
        report.repaired = self.reconcile()
        files = expand_paths(paths)
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
                report.failed.append((str(path), f"{path}: {type(exc).__name__}: {exc}"))
                continue
            done[doc_id] = path
            getattr(report, status).append(doc_id)
        return report

    def ingest_file(self, path: Path) -> str:
        """Ingest one file; returns 'added', 'updated' or 'unchanged'."""
        decoded = read_file(path)
        row = self.catalog.document(decoded.doc_id)
        if row is not None and row["status"] == "complete" and row["sha256"] == decoded.sha256:
            self._after(decoded.doc_id)  # makes a missing summary, no-op otherwise
            return "unchanged"
        self._write(decoded.doc_id, str(path), decoded.sha256, decoded.encoding, decoded.text)
        return "added" if row is None else "updated"

    def _write(self, doc_id: str, path: str, sha256: str, encoding: str, original: str) -> None:
        processed = process(doc_id, original, self.chunk_tokens, self.overlap)
        if not processed.chunks:
            raise ReadError(f"{path}: no text left after cleaning; nothing to ingest")
        self.catalog.mark_pending(doc_id, path, sha256, encoding, original)
        self.store.delete_document(doc_id)
        self.store.add(processed.chunks)
        self.catalog.write_document(
            doc_id=doc_id, path=path, sha256=sha256, encoding=encoding, title=processed.title,
            published=processed.published, original=original, clean_text=processed.clean.text,
            clean_offsets=processed.clean.offsets, places=processed.places, articles=processed.articles,
            chunks=processed.chunks,
        )
        self._after(doc_id)

    def _after(self, doc_id: str) -> None:
        # A failing hook (e.g. the summary) must not undo or fail an ingest that is already complete.
        if self.on_document is None:
            return
        try:
            self.on_document(doc_id)
        except Exception:
            log.exception("post-ingest step failed for %s; the document is indexed, retry with `bulletins summarize`",
                          doc_id)

    def reconcile(self) -> list[str]:
        """Finish what an interrupted ingest left: re-ingest pending documents, drop orphan vectors."""
        repaired = []
        for row in self.catalog.documents(status="pending"):
            log.info("repairing interrupted ingest of %s", row["doc_id"])
            self._write(row["doc_id"], row["path"], row["sha256"], row["encoding"], row["original"])
            repaired.append(row["doc_id"])
        known = {r["doc_id"] for r in self.catalog.documents(status=None)}
        for doc_id in self.store.doc_ids() - known:
            self.store.delete_document(doc_id)
        return repaired

    def remove(self, doc_id: str) -> bool:
        self.store.delete_document(doc_id)
        return self.catalog.remove(doc_id)
