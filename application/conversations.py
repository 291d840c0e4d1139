"""Whose conversation a piece of work touches: its lock, and its id in the logs.

Every transaction that may tell a guest something (a turn, payment news, a staff reply) runs
under the guest's conversation lock, taken before the transaction begins (``bot.conversation``):
a guest turn in flight would otherwise overwrite what the news moved on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis

from bot.conversation import conversation_lock, holding
from infra.log_context import bound, conversation_id


@contextmanager
def conversation_id_bound(key: str) -> Iterator[None]:
    """Log the block under the id of the conversation ``key`` (``infra.log_context``)."""
    with bound(conversation_id=conversation_id(key)):
        yield


@contextmanager
def conversation_locked(redis: Redis, key: str | None) -> Iterator[None]:
    """Hold the lock of the conversation ``key`` and log under its id (nothing when None)."""
    if key is None:
        yield
        return
    with conversation_id_bound(key), holding(conversation_lock(redis, key)):
        yield
