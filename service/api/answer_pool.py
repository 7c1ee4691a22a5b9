"""The service's own bounded pool of answering threads.

Answering is sync work (retrieval, the extractive answerer, an LLM call of up to `llm_deadline_s`). Run on
Starlette's shared threadpool (40 threads) it starved every other sync route when the LLM hung: /healthz
waited for a thread behind 45 hanging chats. Here at most `answer_workers` answers run at once; a request
that finds no free worker within `answer_queue_s` gets 503 with Retry-After instead of a long wait.
"""

from __future__ import annotations

import asyncio
import functools
import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from fastapi import HTTPException


class AnswerPool:
    def __init__(self, workers: int, queue_s: float) -> None:
        self.workers, self.queue_s = max(1, workers), queue_s
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="answer")
        self._lock = threading.Lock()
        self.running = 0

    async def start(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Start `fn(*args, **kwargs)` on a worker and return its future once it runs; HTTP 503 when no
        worker frees up within `queue_s` (the job is then dropped, never run late)."""
        loop = asyncio.get_running_loop()
        started = loop.create_future()

        def job() -> Any:
            with self._lock:
                self.running += 1
            loop.call_soon_threadsafe(lambda: started.done() or started.set_result(None))
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self.running -= 1

        fut = self._executor.submit(job)
        try:
            await asyncio.wait_for(asyncio.shield(started), self.queue_s)
        except TimeoutError:
            if fut.cancel():  # still queued: never started, so nothing half-done is left behind
                raise self.busy() from None
        except asyncio.CancelledError:  # the client went away while queued: drop the job
            fut.cancel()
            raise
        return fut

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`fn(*args, **kwargs)` on a worker (see `start`); its result or its exception."""
        fut = await self.start(functools.partial(fn, *args, **kwargs))
        return await asyncio.wrap_future(fut)

    def busy(self) -> HTTPException:
        retry = max(1, math.ceil(self.queue_s))
        return HTTPException(
            503,
            detail=f"the service is busy: all {self.workers} answering workers stayed occupied for "
            f"{self.queue_s:g} s; try again in {retry} s",
            headers={"Retry-After": str(retry)},
        )

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
