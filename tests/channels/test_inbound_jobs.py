"""The inbound batch job carries each event's conversation, so it takes the lock without
reading the event first; a job queued with bare event ids (as before) is handled the same. A
job goes on with the turn jobs queued behind it, so rq's bookkeeping is paid once a run."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job
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
from infra.jobs import INBOUND_RETRY, QueuedEvent, enqueue_inbound_batch, take_queued_turns
from infra.runtime import Runtime, set_current
from infra.senders.base import SendTask
from tests.settings import sandbox_settings
from workers import inbound
from workers.worker import BooklineWorker


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


class FailingOn(EchoDialogue):
    """Echoes, except that ``text`` raises (a message that cannot be answered yet)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def respond(
        self, session: Session, message: InboundMessage, *, venue: Venue, guest: Guest, redis: Redis
    ) -> list[Reply]:
        if message.text == self.text:
            raise RuntimeError("the dialogue failed")
        return super().respond(session, message, venue=venue, guest=guest, redis=redis)


class AcceptingSender:
    """A provider that accepts every message at once."""

    def send(self, task: SendTask) -> str:
        return f"SM{task.outbox_id}"

    def find_sent(self, task: SendTask) -> str | None:
        return None


@pytest.fixture
def sending(echoing: Runtime) -> Runtime:
    """The echoing runtime whose replies reach their provider."""
    echoing.__dict__["senders"] = dict.fromkeys(("sms", "whatsapp"), AcceptingSender())
    return echoing


def _queued(runtime: Runtime, name: str = "inbound") -> list[str]:
    return Queue(name, connection=runtime.redis).job_ids


def test_a_job_answers_the_jobs_queued_behind_it_as_one_rq_job(
    sending: Runtime, sessions: sessionmaker[Session]
) -> None:
    events = [_store(sessions, f"+91980000008{n}", f"hi {n}") for n in range(3)]
    for event in events:
        enqueue_inbound_batch(sending, [event])
    _work(sending)
    assert Queue("inbound", connection=sending.redis).finished_job_registry.count == 1
    assert _statuses(sessions, events) == [InboundStatus.PROCESSED] * 3
    assert _replies(sessions) == [(f"+91980000008{n}", f"echo hi {n}") for n in range(3)]
    assert _queued(sending) == [] and sending.redis.keys("rq:job:inbound-*") == [
        f"rq:job:inbound-{events[0][0]}-{events[0][0]}-1".encode()
    ]  # the taken jobs are deleted; the one rq ran keeps its result for a while


def test_a_taken_job_that_fails_is_queued_again_with_its_retries(
    sending: Runtime, sessions: sessionmaker[Session]
) -> None:
    sending.dialogue = FailingOn("boom")
    first, failing = (
        _store(sessions, "+919800000091", "hi"),
        _store(sessions, "+919800000092", "boom"),
    )
    enqueue_inbound_batch(sending, [failing])
    inbound.handle_inbound_batch([first])  # as rq runs a job: the failing one is taken
    assert _statuses(sessions, [first, failing]) == [InboundStatus.PROCESSED, InboundStatus.PENDING]
    with sessions() as session:
        assert session.get_one(InboundEvent, failing[0]).attempts == 1  # it was tried, and failed
    assert _queued(sending) == []
    (job_id,) = sending.queue("inbound").scheduled_job_registry.get_job_ids()
    job = Job.fetch(job_id, connection=sending.redis)
    assert job.args == ([failing],) and job.retries_left == INBOUND_RETRY.max


def test_a_waiting_payment_followup_or_another_job_ends_the_taking(
    echoing: Runtime, sessions: sessionmaker[Session]
) -> None:
    event = _store(sessions, "+919800000093", "hi")
    enqueue_inbound_batch(echoing, [event])
    queued = _queued(echoing)
    echoing.queue("followup").enqueue("workers.outbound.send_outbound", 1)
    assert take_queued_turns(echoing) is None and _queued(echoing) == queued
    echoing.queue("followup").empty()
    echoing.queue("inbound").enqueue("workers.payments.handle_payment_event", 1, at_front=True)
    payment = _queued(echoing)
    assert take_queued_turns(echoing) is None and _queued(echoing) == payment
    echoing.queue("inbound").remove(payment[0])
    assert take_queued_turns(echoing) == [event] and _queued(echoing) == []


def test_jobs_run_inline_take_nothing(database_url: str) -> None:
    runtime = Runtime(sandbox_settings(database_url, None))
    try:
        assert runtime.inline_jobs and take_queued_turns(runtime) is None
    finally:
        runtime.close()


def test_the_worker_logs_a_job_by_its_id_without_the_guests_number(
    sending: Runtime, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    event = _store(sessions, "+919800000094", "hi")
    enqueue_inbound_batch(sending, [event])
    with caplog.at_level(logging.INFO, logger="rq.worker"):
        BooklineWorker(["inbound"], connection=sending.redis).work(burst=True)
    rq_lines = [r.getMessage() for r in caplog.records if r.name == "rq.worker"]
    assert any(f"inbound-{event[0]}-{event[0]}-1" in line for line in rq_lines)
    assert not any("+919800000094" in line or "kept for" in line for line in rq_lines)
    assert _statuses(sessions, [event]) == [InboundStatus.PROCESSED]
