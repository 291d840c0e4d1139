"""The inbound batch job carries each event's conversation, so it takes the lock without
reading the event first; a job queued with bare event ids (as before) is handled the same."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from application.inbound_turn import handle_inbound_batch
from bot.messages import InboundMessage, Reply
from engine.guests.models import Guest
from engine.messaging.enums import InboundStatus, MessageChannel
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.messaging.service import record_inbound
from engine.seed import seed_demo
from engine.tenants.models import Venue
from infra.jobs import QueuedEvent, enqueue_inbound_batch
from infra.runtime import Runtime, set_current


class EchoDialogue:
    """Answers every message with its text."""

    def respond(
        self, session: Session, message: InboundMessage, *, venue: Venue, guest: Guest, redis: Redis
    ) -> list[Reply]:
        return [Reply(f"echo {message.text}")]


@pytest.fixture
def echoing(queued_runtime: Runtime, sessions: sessionmaker[Session]) -> Iterator[Runtime]:
    """The queued runtime answering with ``EchoDialogue``, as the process's runtime."""
    with sessions.begin() as session:
        seed_demo(session)
    queued_runtime.dialogue = EchoDialogue()
    previous = set_current(queued_runtime)
    yield queued_runtime
    set_current(previous)


def _store(sessions: sessionmaker[Session], phone: str, text: str) -> QueuedEvent:
    """A stored guest SMS to the demo hotel, as the ingest queues it."""
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "seaside-hotel"))
        assert venue is not None
        event_id = record_inbound(
            session,
            provider="twilio",
            provider_id=f"SM{phone[1:]}{len(text):04d}",
            venue_id=venue.id,
            channel=MessageChannel.SMS,
            guest_phone=phone,
            text=text,
        )
        assert event_id is not None
        return (event_id, venue.id, MessageChannel.SMS.value, phone)


def _work(runtime: Runtime) -> None:
    SimpleWorker([Queue("inbound", connection=runtime.redis)], connection=runtime.redis).work(
        burst=True
    )


def _replies(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(row.to_address, row.payload["body"]) for row in rows]


def _statuses(sessions: sessionmaker[Session], events: list[QueuedEvent]) -> list[InboundStatus]:
    with sessions() as session:
        return [session.get_one(InboundEvent, event[0]).status for event in events]


def test_a_batch_carrying_conversations_answers_each_event(
    echoing: Runtime, sessions: sessionmaker[Session]
) -> None:
    events = [_store(sessions, "+919800000071", "hi"), _store(sessions, "+919800000072", "hello")]
    enqueue_inbound_batch(echoing, events)
    _work(echoing)
    assert _statuses(sessions, events) == [InboundStatus.PROCESSED] * 2
    assert _replies(sessions) == [("+919800000071", "echo hi"), ("+919800000072", "echo hello")]


def test_a_job_of_bare_event_ids_is_answered_the_same(
    echoing: Runtime, sessions: sessionmaker[Session]
) -> None:
    event = _store(sessions, "+919800000073", "hey")
    Queue("inbound", connection=echoing.redis).enqueue(
        "workers.inbound.handle_inbound_batch", [event[0]]
    )
    _work(echoing)
    assert _statuses(sessions, [event]) == [InboundStatus.PROCESSED]
    assert _replies(sessions) == [("+919800000073", "echo hey")]


def test_an_event_handled_already_is_not_answered_again(
    echoing: Runtime, sessions: sessionmaker[Session]
) -> None:
    event = _store(sessions, "+919800000074", "once")
    handle_inbound_batch(echoing, [event])
    handle_inbound_batch(echoing, [event])  # a retried job, or a second job for the thread
    assert _replies(sessions) == [("+919800000074", "echo once")]
