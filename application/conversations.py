"""Whose conversation a piece of work touches: its lock, and its id in the logs.

Every transaction that may tell a guest something (a turn, payment news, a staff reply) runs
under the guest's conversation lock, taken before the transaction begins (``bot.conversation``):
a guest turn in flight would otherwise overwrite what the news moved on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis

from application.sessions import autocommit
from bot.choices import conversation_key
from bot.conversation import conversation_lock, holding
from engine.messaging.service import OutboxHead, outbox_head
from infra.log_context import bound, conversation_id
from infra.runtime import Runtime


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


def outbox_conversation(runtime: Runtime, outbox_id: int) -> str | None:
    """The conversation of the guest an outbox row concerns (action rows name the guest too),
    read before the lock is taken and the row's transaction begins."""
    with autocommit(runtime) as session:
        head = outbox_head(session, outbox_id=outbox_id)
    return head_conversation(head) if head is not None else None


def head_conversation(head: OutboxHead) -> str | None:
    """The conversation of the guest of a row read by ``outbox_head`` (None: no guest)."""
    if head.guest_id is None:
        return None
    return conversation_key(head.venue_id, head.channel, head.to_address)
