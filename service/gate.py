"""A gate for the vector store: many searches use it at once; a refresh that replaces it (closing the old
client) waits until they are all out and holds new ones back meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Gate:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._users = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._users += 1
        try:
            yield
        finally:
            with self._cond:
                self._users -= 1
                if not self._users:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Never call from inside `shared()` on the same thread: it would wait for itself."""
        with self._cond:
            self._cond.wait_for(lambda: not self._users)
            yield
