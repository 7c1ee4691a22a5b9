"""The catalog: a SQLite file beside Chroma holding each bulletin's original text, its cleaned text with
the offset map, articles, chunks and summaries.

Chroma holds vectors; the catalog is the source of truth for what is ingested. A document is written
'pending' before its chunks go to Chroma and 'complete' after, in one transaction, so a kill -9 mid-batch
leaves a state the next ingest repairs (see vectorstore.ingest); a pending document that cannot be
repaired is set aside as 'failed' (not served, not retried until its file is ingested again).

Each document's figure facts (service.facts) are kept in `figure_facts`, written in the same transaction
as its chunks and removed with it; `fact_sets` says which builder version made them from which sha256,
so facts of an older builder (or of a catalog made before the table existed) are known to be stale.

Every change to `documents` bumps `meta.generation` (triggers, so any writer counts, whatever its version):
a running server compares it per request to notice what another process ingested or removed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vectorstore.models import Article, Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    published TEXT,
    original TEXT NOT NULL,
    clean_text TEXT NOT NULL,
    clean_offsets TEXT NOT NULL,
    places TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    clean_start INTEGER NOT NULL,
    clean_end INTEGER NOT NULL,
    title TEXT NOT NULL,
    reporter TEXT NOT NULL,
    published TEXT,
    places TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    article INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    clean_start INTEGER NOT NULL,
    clean_end INTEGER NOT NULL,
    title TEXT NOT NULL,
    places TEXT NOT NULL,
    published TEXT,
    tokens INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS summaries (
    doc_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    mode TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS figure_facts (
    doc_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    article INTEGER NOT NULL,
    kind TEXT NOT NULL,
    figure TEXT NOT NULL,
    clean_start INTEGER NOT NULL,
    clean_end INTEGER NOT NULL,
    value TEXT,
    unit TEXT NOT NULL,
    magnitude TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    bound TEXT NOT NULL,
    normalized TEXT NOT NULL,
    metric TEXT NOT NULL,
    subject TEXT NOT NULL,
    counted TEXT NOT NULL,
    place TEXT NOT NULL,
    as_of TEXT,
    period TEXT,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    clause_start INTEGER NOT NULL,
    clause_end INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    part TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
CREATE TABLE IF NOT EXISTS fact_sets (
    doc_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    built_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('generation', 0);
CREATE TRIGGER IF NOT EXISTS documents_inserted AFTER INSERT ON documents
BEGIN UPDATE meta SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER IF NOT EXISTS documents_updated AFTER UPDATE ON documents
BEGIN UPDATE meta SET value = value + 1 WHERE key = 'generation'; END;
CREATE TRIGGER IF NOT EXISTS documents_deleted AFTER DELETE ON documents
BEGIN UPDATE meta SET value = value + 1 WHERE key = 'generation'; END;
"""

FACT_COLUMNS = (
    "doc_id", "seq", "article", "kind", "figure", "clean_start", "clean_end", "value", "unit", "magnitude",
    "qualifier", "bound", "normalized", "metric", "subject", "counted", "place", "as_of", "period",
    "sentence_start", "sentence_end", "clause_start", "clause_end", "start", "end", "quote", "part",
)
_INSERT_FACT = f"INSERT INTO figure_facts VALUES ({','.join('?' * len(FACT_COLUMNS))})"


@dataclass(frozen=True)
class FactSet:
    """A document's figure facts as catalog rows (keys: FACT_COLUMNS) and the builder version that made them."""

    version: str
    rows: list[Mapping[str, Any]]


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self._conn.row_factory = sqlite3.Row
        self._tx_lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        # One connection serves all of a server's threads: an upload's transaction and a summary written
        # by a request meanwhile must not interleave ("cannot start a transaction within a transaction").
        with self._tx_lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def generation(self) -> int:
        """Moves whenever any process adds, changes or removes a document (one indexed read)."""
        return self._conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]

    # --- documents -------------------------------------------------------------------------------
    def document(self, doc_id: str) -> sqlite3.Row | None:
        return self._conn.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()

    def documents(self, status: str | None = "complete") -> list[sqlite3.Row]:
        if status is None:
            return list(self._conn.execute("SELECT * FROM documents ORDER BY doc_id"))
        return list(self._conn.execute("SELECT * FROM documents WHERE status=? ORDER BY doc_id", (status,)))

    def document_count(self, status: str = "complete") -> int:
        return self._conn.execute("SELECT COUNT(*) FROM documents WHERE status=?", (status,)).fetchone()[0]

    def mark_pending(self, doc_id: str, path: str, sha256: str, encoding: str, original: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO documents(doc_id, path, sha256, encoding, original, clean_text, clean_offsets, status,"
                " ingested_at) VALUES (?,?,?,?,?,'','[]','pending',?) ON CONFLICT(doc_id) DO UPDATE SET"
                " status='pending', path=excluded.path",
                (doc_id, path, sha256, encoding, original, time.time()),
            )

    def set_aside(self, doc_id: str) -> None:
        """A pending document that cannot be repaired: 'failed' is neither served nor retried."""
        with self.transaction() as c:
            c.execute("UPDATE documents SET status='failed' WHERE doc_id=? AND status='pending'", (doc_id,))

    def write_document(
        self,
        *,
        doc_id: str,
        path: str,
        sha256: str,
        encoding: str,
        title: str,
        published: str | None,
        original: str,
        clean_text: str,
        clean_offsets: list[int],
        places: list[str],
        articles: list[Article],
        chunks: list[Chunk],
        facts: FactSet | None = None,
    ) -> None:
        """The document, complete. Without `facts` it has none stored (built later, see service.facts.store)."""
        with self.transaction() as c:
            c.execute("DELETE FROM articles WHERE doc_id=?", (doc_id,))
            c.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self._put_facts(c, doc_id, sha256, facts)
            c.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc_id, path, sha256, encoding, title, published, original, clean_text,
                    json.dumps(clean_offsets, separators=(",", ":")), json.dumps(places, ensure_ascii=False),
                    "complete", time.time(),
                ),
            )
            c.executemany(
                "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (a.doc_id, a.index, a.start, a.end, a.clean_start, a.clean_end, a.title, a.reporter,
                     a.published, json.dumps(a.places, ensure_ascii=False), a.text)
                    for a in articles
                ],
            )
            c.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (k.chunk_id, k.doc_id, k.article, k.text, k.start, k.end, k.clean_start, k.clean_end, k.title,
                     json.dumps(k.places, ensure_ascii=False), k.published, k.tokens)
                    for k in chunks
                ],
            )

    def remove(self, doc_id: str) -> bool:
        with self.transaction() as c:
            n = c.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,)).rowcount
            c.execute("DELETE FROM articles WHERE doc_id=?", (doc_id,))
            c.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            c.execute("DELETE FROM summaries WHERE doc_id=?", (doc_id,))
            self._put_facts(c, doc_id, "", None)
        return n > 0

    # --- figure facts ----------------------------------------------------------------------------
    @staticmethod
    def _put_facts(c: sqlite3.Connection, doc_id: str, sha256: str, facts: FactSet | None) -> None:
        c.execute("DELETE FROM figure_facts WHERE doc_id=?", (doc_id,))
        c.execute("DELETE FROM fact_sets WHERE doc_id=?", (doc_id,))
        if facts is None:
            return
        c.execute("INSERT INTO fact_sets VALUES (?,?,?,?)", (doc_id, sha256, facts.version, time.time()))
        c.executemany(_INSERT_FACT, [tuple(r[k] for k in FACT_COLUMNS) for r in facts.rows])

    def fact_set(self, doc_id: str) -> sqlite3.Row | None:
        """(sha256, version, built_at) of the document's stored facts; None when none were stored."""
        return self._conn.execute("SELECT * FROM fact_sets WHERE doc_id=?", (doc_id,)).fetchone()

    def facts(self, doc_id: str) -> list[sqlite3.Row]:
        return list(self._conn.execute("SELECT * FROM figure_facts WHERE doc_id=? ORDER BY seq", (doc_id,)))

    def write_facts(self, doc_id: str, sha256: str, facts: FactSet) -> bool:
        """Store facts built after ingest (a document ingested before the table existed, or by an older
        builder). Only while the document is still the one they were built from: False otherwise."""
        with self.transaction() as c:
            row = c.execute("SELECT sha256, status FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
            if row is None or row[0] != sha256 or row[1] != "complete":
                return False
            self._put_facts(c, doc_id, sha256, facts)
        return True

    # --- articles and chunks ---------------------------------------------------------------------
    def articles(self, doc_id: str) -> list[Article]:
        rows = self._conn.execute("SELECT * FROM articles WHERE doc_id=? ORDER BY idx", (doc_id,))
        return [
            Article(
                doc_id=r["doc_id"], index=r["idx"], start=r["start"], end=r["end"], text=r["text"], title=r["title"],
                reporter=r["reporter"], published=r["published"], places=json.loads(r["places"]),
                clean_start=r["clean_start"], clean_end=r["clean_end"],
            )
            for r in rows
        ]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        if doc_id is None:
            rows = self._conn.execute(
                "SELECT c.* FROM chunks c JOIN documents d ON d.doc_id=c.doc_id WHERE d.status='complete'"
                " ORDER BY c.doc_id, c.clean_start"
            )
        else:
            rows = self._conn.execute("SELECT * FROM chunks WHERE doc_id=? ORDER BY clean_start", (doc_id,))
        return [
            Chunk(
                chunk_id=r["chunk_id"], doc_id=r["doc_id"], article=r["article"], text=r["text"], start=r["start"],
                end=r["end"], clean_start=r["clean_start"], clean_end=r["clean_end"], title=r["title"],
                places=json.loads(r["places"]), published=r["published"], tokens=r["tokens"],
            )
            for r in rows
        ]

    def counts(self) -> dict[str, tuple[int, int]]:
        rows = self._conn.execute(
            "SELECT d.doc_id, (SELECT COUNT(*) FROM articles a WHERE a.doc_id=d.doc_id),"
            " (SELECT COUNT(*) FROM chunks c WHERE c.doc_id=d.doc_id) FROM documents d"
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    # --- summaries -------------------------------------------------------------------------------
    def summary(self, doc_id: str) -> dict | None:
        r = self._conn.execute("SELECT * FROM summaries WHERE doc_id=?", (doc_id,)).fetchone()
        return None if r is None else {"sha256": r["sha256"], "mode": r["mode"], **json.loads(r["payload"])}

    def write_summary(self, doc_id: str, sha256: str, mode: str, payload: dict) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO summaries VALUES (?,?,?,?,?)",
                (doc_id, sha256, mode, json.dumps(payload, ensure_ascii=False), time.time()),
            )
