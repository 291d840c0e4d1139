"""The server is stopping: a signal for responses that would otherwise never end (live feeds).

uvicorn waits for open responses to finish before it exits, and after its graceful-shutdown
timeout cancels what is left, logging a traceback for each. A live feed never finishes by
itself, so ``bookline serve`` (``StoppingServer``) says here when a stop begins, and the feeds
end at once, cleanly; the dashboard reconnects to whichever process serves it next.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from types import FrameType
from typing import TypeVar

import uvicorn

T = TypeVar("T")

_stopping = threading.Event()
_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()


class StoppingServer(uvicorn.Server):
    """uvicorn's server, announcing a stop (SIGINT, SIGTERM) before it waits for responses."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        begin()
        super().handle_exit(sig, frame)


def begin() -> None:
    """A stop has begun: wake everything waiting in ``stopped`` (safe from any thread)."""
    _stopping.set()
    for loop, event in list(_waiters):
        loop.call_soon_threadsafe(event.set)


async def stopped() -> None:
    """Return once a stop has begun."""
    event = asyncio.Event()
    waiter = (asyncio.get_running_loop(), event)
    _waiters.add(waiter)
    try:
        if not _stopping.is_set():  # checked after joining, so a stop in between is not missed
            await event.wait()
    finally:
        _waiters.discard(waiter)


async def until_stopping(items: AsyncIterator[T]) -> AsyncIterator[T]:
    """``items`` until they end or a stop begins, whichever comes first."""
    stop = asyncio.ensure_future(stopped())
    try:
        while True:
            item = asyncio.ensure_future(anext(items))
            await asyncio.wait({item, stop}, return_when=asyncio.FIRST_COMPLETED)
            if not item.done():
                item.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await item
                return
            try:
                value = item.result()
            except StopAsyncIteration:
                return
            yield value
    finally:
        stop.cancel()
