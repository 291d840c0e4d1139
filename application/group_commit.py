"""Group commit: concurrent webhook requests share one transaction and one Redis round trip.

A delivery must be committed, and its job enqueued, before the provider hears 200 (a crash
after the answer must not lose it); nothing says each delivery needs a transaction of its
own. Requests hand their work to one flusher thread per process and wait for their own
outcome. While the flusher commits a batch the next requests queue up, and its next batch
takes them all: at low load a batch is a single request (no timer, no added wait), under
load batches grow with it, and the statement, its WAL flush, the pool checkout, the Redis
round trip and the thread hand-offs are paid once per batch instead of once per request.

The flusher is a plain thread, not the request threadpool, so any event loop may submit
(tests run several); it exits after ``idle_seconds`` without work and starts again on demand.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from queue import Empty, SimpleQueue
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: One submitted item, the loop its caller waits on, and the future it waits for.
_Entry = tuple[T, asyncio.AbstractEventLoop, "asyncio.Future[R]"]


class GroupCommit(Generic[T, R]):
    """Runs ``flush`` on batches of submitted items in one thread; each caller gets its result.

    ``flush`` returns one outcome per item, in order: a result, or the exception that item's
    caller should see (so one bad item need not fail its batch). If ``flush`` itself raises,
    every caller in the batch gets that exception.
    """

    def __init__(
        self,
        flush: Callable[[list[T]], list[R | Exception]],
        *,
        max_batch: int = 256,
        idle_seconds: float = 10.0,
        name: str = "group-commit",
    ) -> None:
        self._flush, self._max_batch, self._idle = flush, max_batch, idle_seconds
        self._name = name
        self._queue: SimpleQueue[_Entry[T, R]] = SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    async def submit(self, item: T) -> R:
        """Queue ``item`` for the next batch and wait until that batch is done."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._queue.put((item, loop, future))
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        return await future

    def _run(self) -> None:
        try:
            while (batch := self._take()) is not None:
                _hand_back(batch, self._outcomes([item for item, _, _ in batch]))
        finally:
            with self._lock:  # should this thread die, the next submit() starts another
                if self._thread is threading.current_thread():
                    self._thread = None

    def _outcomes(self, items: list[T]) -> list[R | Exception]:
        try:
            return self._flush(items)
        except Exception as exc:
            return [exc] * len(items)

    def _take(self) -> list[_Entry[T, R]] | None:
        """The next batch (everything queued, up to ``max_batch``); None when idle too long."""
        while True:
            try:
                batch = [self._queue.get(timeout=self._idle)]
                break
            except Empty:
                with self._lock:  # submit() starts a new thread unless we find its item here
                    if self._queue.empty():
                        self._thread = None
                        return None
        while len(batch) < self._max_batch:
            try:
                batch.append(self._queue.get_nowait())
            except Empty:
                break
        return batch


def _hand_back(batch: list[_Entry[T, R]], outcomes: list[R | Exception]) -> None:
    """Give each caller its outcome: one wake-up of each waiting loop per batch, not per item."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[R], R | Exception]]] = {}
    for (_, loop, future), outcome in zip(batch, outcomes, strict=True):
        by_loop.setdefault(loop, []).append((future, outcome))
    for loop, settled in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, settled)
        except RuntimeError:  # that loop is closed: nobody is waiting any more
            pass


def _settle(settled: list[tuple[asyncio.Future[R], R | Exception]]) -> None:
    """Resolve futures on their own loop (a caller that went away is skipped)."""
    for future, outcome in settled:
        if future.done():  # the request was cancelled (client went away)
            continue
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
