"""Simulated delivery: move a message through its statuses in a background thread and post the
provider's signed callback for each step.

A thread (started after the response is sent) keeps the sender's request fast and lets callbacks
arrive after the send returns, as they do in production; it also means the fake never awaits the
product from its own event loop, so a product that sends inline while handling a callback
cannot deadlock against it.

Every callback goes out on a kept-alive connection of one ``urllib3.PoolManager`` shared by the
threads: a fresh client per callback (an SSL context, ~10 ms of CPU), or a pooled
``httpx.Client`` (~3.5 ms each: its pool polls every pooled connection whenever it hands one
out or takes one back), spent on the host under test CPU a real provider spends on its own
machines. urllib3 checks only the connection it hands out for a server-side close.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import urllib3
from fastapi import BackgroundTasks

from fakeproviders.state import CallbackRecord, FakeState, Provider, SentMessage

CALLBACK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Step:
    """One status a message reaches, with the error code when it is a failure."""

    status: str
    error_code: int | None = None


@dataclass(frozen=True)
class PreparedCallback:
    """A signed request ready to post: exact body bytes plus headers."""

    url: str
    content: bytes
    headers: dict[str, str]
    payload: dict[str, Any]  # the same data, parsed, for the record


#: Builds the callback for a message's new status, or None when there is nowhere to post it.
CallbackBuilder = Callable[[SentMessage], PreparedCallback | None]


def deliver_later(
    background: BackgroundTasks,
    state: FakeState,
    provider: Provider,
    message_id: str,
    steps: list[Step],
    build: CallbackBuilder,
) -> None:
    """Run the status steps of one message in a daemon thread started once the send is
    answered, counted in flight from now (as ``razorpay_api.post_later`` counts its events):
    a waiter for no delivery in flight, a test's teardown, cannot pass before the thread has
    started and then see its callbacks land in the next test, or after the last."""
    state.delivery_started()
    background.add_task(_start, state, provider, message_id, steps, build)


def _start(
    state: FakeState, provider: Provider, message_id: str, steps: list[Step], build: CallbackBuilder
) -> None:
    """The delivery's thread: the fake never awaits the product from its own event loop."""
    threading.Thread(
        target=_deliver,
        args=(state, provider, message_id, steps, build),
        name=f"fake-{provider}-delivery-{message_id[-8:]}",
        daemon=True,
    ).start()


def _deliver(
    state: FakeState, provider: Provider, message_id: str, steps: list[Step], build: CallbackBuilder
) -> None:
    """Apply each step after a pause, posting its callback when the knobs allow."""
    try:
        for step in steps:
            knobs = state.knobs()
            time.sleep(knobs.status_step_seconds)
            message = state.update_status(message_id, step.status, step.error_code)
            if message is None:  # the state was reset meanwhile
                return
            callback = build(message) if knobs.status_callbacks else None
            if callback is not None:
                post_callback(state, provider, callback)
    finally:
        state.delivery_finished()


#: Kept-alive connections per product host: about as many as deliveries post at once.
POOL_CONNECTIONS = 32


@functools.cache
def _pool() -> urllib3.PoolManager:
    """The process's callback connections (thread-safe). A callback is posted once, never
    retried by the transport: a provider's retry is a new delivery of its own."""
    return urllib3.PoolManager(
        maxsize=POOL_CONNECTIONS,
        timeout=urllib3.Timeout(total=CALLBACK_TIMEOUT_SECONDS),
        retries=False,
    )


def post_callback(
    state: FakeState, provider: Provider, callback: PreparedCallback
) -> CallbackRecord:
    """POST one callback and record (and return) the outcome; failures are never raised."""
    try:
        response = _pool().request(
            "POST", callback.url, body=callback.content, headers=callback.headers
        )
    except urllib3.exceptions.HTTPError as exc:
        record = CallbackRecord(provider, callback.url, callback.payload, None, repr(exc))
    else:
        record = CallbackRecord(provider, callback.url, callback.payload, response.status)
    state.record_callback(record)
    return record
