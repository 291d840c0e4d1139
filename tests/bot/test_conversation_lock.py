"""Writers of a conversation outside the guest's turn wait for a turn in flight, never undo it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import fakeredis
import pytest
from redis.client import Pipeline
from redis.lock import Lock

from bot.conversation import (
    BookingRequest,
    Conversation,
    ConversationBusyError,
    ConversationStore,
    State,
    conversation_lock,
    holding,
)

KEY = "bookline:conv:1:sms:+919800000001"


@pytest.fixture
def redis() -> fakeredis.FakeRedis:
    return fakeredis.FakeRedis(server=fakeredis.FakeServer())


def test_update_waits_for_the_turn_in_flight_and_both_changes_survive(
    redis: fakeredis.FakeRedis,
) -> None:
    store = ConversationStore(redis)
    until = datetime(2026, 12, 1, 12, tzinfo=UTC)

    def take_over(conversation: Conversation, _pipeline: Pipeline) -> None:
        conversation.hand_off(until)

    with holding(conversation_lock(redis, KEY)):  # a guest turn: load, work, save
        conversation = store.load(KEY)
        writer = threading.Thread(target=store.update, args=(KEY, take_over))
        writer.start()
        time.sleep(0.3)
        assert writer.is_alive(), "the update did not wait for the turn"
        conversation.state = State.COLLECTING
        conversation.request = BookingRequest(party=4)
        store.save(KEY, conversation)
    writer.join(timeout=10)
    stored = store.load(KEY)
    assert stored.state == State.HANDOFF and stored.handoff_until == until.isoformat()
    # The booking being built survives the takeover.
    assert stored.request == BookingRequest(party=4)


def test_update_adds_its_related_writes_with_the_state(redis: fakeredis.FakeRedis) -> None:
    def offer(conversation: Conversation, pipeline: Pipeline) -> None:
        conversation.state = State.WAITLIST_OFFERED
        pipeline.set(f"{KEY}:options", "[]")

    ConversationStore(redis).update(KEY, offer)
    assert ConversationStore(redis).load(KEY).state == State.WAITLIST_OFFERED
    assert redis.get(f"{KEY}:options") == b"[]"
    assert not redis.exists(f"{KEY}:lock")


def test_the_lock_is_reentrant_in_its_thread_and_exclusive_across_threads(
    redis: fakeredis.FakeRedis,
) -> None:
    outcome: list[str] = []

    def other_worker() -> None:
        impatient = Lock(redis, f"{KEY}:lock", timeout=5, blocking_timeout=0.2)
        try:
            with holding(impatient):
                outcome.append("entered")
        except ConversationBusyError:
            outcome.append("busy")

    with holding(conversation_lock(redis, KEY)):
        with holding(conversation_lock(redis, KEY)):  # a job run inline by the holder
            pass
        assert redis.exists(f"{KEY}:lock"), "the inner exit released the outer hold"
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join(timeout=10)
    assert outcome == ["busy"]
    assert not redis.exists(f"{KEY}:lock")
    worker = threading.Thread(target=other_worker)
    worker.start()
    worker.join(timeout=10)
    assert outcome == ["busy", "entered"]


def test_a_turn_that_died_holding_the_lock_does_not_block_for_ever(
    redis: fakeredis.FakeRedis,
) -> None:
    Lock(redis, f"{KEY}:lock", timeout=0.3).acquire()  # its worker was killed mid-turn
    started = time.monotonic()
    ConversationStore(redis).update(KEY, lambda c, _p: c.reset())
    assert time.monotonic() - started < timedelta(seconds=5).total_seconds()
