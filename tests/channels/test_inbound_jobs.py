"""The inbound batch job carries each event's conversation, so it takes the lock without
reading the event first; a job queued with bare event ids (as before) is handled the same. A
job goes on with the turn jobs queued behind it, so rq's bookkeeping is paid once a run."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis import Redis
from redis.client import Pipeline
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from rq.results import Result
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
from infra.jobs import (
    FAILURE_TTL,
    INBOUND_RETRY,
    QueuedEvent,
    enqueue_inbound,
    enqueue_inbound_batch,
    take_queued_turns,
    turn_events,
)
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


def test_a_taken_job_that_fails_is_retried_as_rq_retries_it(
    sending: Runtime, sessions: sessionmaker[Session]
) -> None:
    sending.dialogue = FailingOn("boom")
    first, failing = (
        _store(sessions, "+919800000091", "hi"),
        _store(sessions, "+919800000092", "boom"),
    )
    enqueue_inbound_batch(sending, [failing])
    (taken_id,) = _queued(sending)
    inbound.handle_inbound_batch([first])  # as rq runs a job: the failing one is taken
    assert _statuses(sessions, [first, failing]) == [InboundStatus.PROCESSED, InboundStatus.PENDING]
    with sessions() as session:
        assert session.get_one(InboundEvent, failing[0]).attempts == 1  # it was tried, and failed
    assert _queued(sending) == []
    registry = sending.queue("inbound").scheduled_job_registry
    assert registry.get_job_ids() == [taken_id]  # the same job, its first retry used
    job = Job.fetch(taken_id, connection=sending.redis)
    assert job.args == ([failing],) and job.retries_left == INBOUND_RETRY.max - 1
    waits = registry.get_scheduled_time(taken_id) - datetime.now(UTC)
    assert timedelta(0) < waits <= timedelta(seconds=INBOUND_RETRY.intervals[0])


def test_a_taken_job_retried_leaves_another_job_of_the_same_events_alone(
    sending: Runtime, sessions: sessionmaker[Session]
) -> None:
    """The sweep's job for an event (``inbound-E``) may be taken and fail while the webhook's
    one-event batch job (``inbound-E-E-1``) waits for rq's retry: each keeps its own."""
    sending.dialogue = FailingOn("boom")
    first, failing = (
        _store(sessions, "+919800000095", "hi"),
        _store(sessions, "+919800000096", "boom"),
    )
    queue = sending.queue("inbound")
    enqueue_inbound_batch(sending, [failing])
    (webhook_id,) = _queued(sending)
    webhook_job = Job.fetch(webhook_id, connection=sending.redis)
    queue.remove(webhook_id)
    with sending.redis.pipeline() as pipe:
        webhook_job.retry(queue, pipe)  # as rq's worker does with a failed job
        pipe.execute()
    enqueue_inbound(sending, failing[0])
    (sweep_id,) = _queued(sending)
    inbound.handle_inbound_batch([first])
    assert sorted(queue.scheduled_job_registry.get_job_ids()) == sorted([webhook_id, sweep_id])
    webhook_job = Job.fetch(webhook_id, connection=sending.redis)
    assert webhook_job.args == ([failing],) and webhook_job.retries_left == INBOUND_RETRY.max - 1
    assert Job.fetch(sweep_id, connection=sending.redis).args == (failing[0],)


def test_a_taken_job_out_of_retries_ends_in_rqs_failed_registry(
    sending: Runtime, sessions: sessionmaker[Session]
) -> None:
    sending.dialogue = FailingOn("boom")
    failing = _store(sessions, "+919800000097", "boom")
    queue = sending.queue("inbound")
    enqueue_inbound_batch(sending, [failing])
    (job_id,) = _queued(sending)
    for attempt in range(1, INBOUND_RETRY.max + 2):
        first = _store(sessions, f"+91980000010{attempt}", "hi")
        inbound.handle_inbound_batch([first])  # the failing job is taken, and fails
        if attempt <= INBOUND_RETRY.max:  # its retry comes due: the scheduler queues it
            queue.scheduled_job_registry.remove(job_id)
            queue.enqueue_job(Job.fetch(job_id, connection=sending.redis))
    assert _statuses(sessions, [failing]) == [InboundStatus.FAILED]  # given up, guest told
    assert _queued(sending) == [] and queue.scheduled_job_registry.get_job_ids() == []
    assert queue.failed_job_registry.get_job_ids() == [job_id]
    job = Job.fetch(job_id, connection=sending.redis)
    assert job.get_status() == JobStatus.FAILED and job.args == ([failing],)
    result = job.latest_result()
    assert result is not None and result.type == Result.Type.FAILED
    assert result.exc_string is not None and "PoisonMessageError" in result.exc_string
    assert 0 < sending.redis.ttl(job.key) <= FAILURE_TTL


class Killed(BaseException):
    """The worker process dies here (nothing catches it)."""


@contextmanager
def _dying_at(call: int) -> Iterator[None]:
    """Every Redis round trip of this client class counted; the one numbered ``call`` kills
    the worker before it reaches Redis."""
    calls = itertools.count()
    command, pipeline = Redis.execute_command, Pipeline.execute

    def trip() -> None:
        if next(calls) == call:
            raise Killed

    def dying_command(self: Redis, *args: Any, **options: Any) -> Any:
        if not isinstance(self, Pipeline):  # a pipeline's commands go in its execute
            trip()
        return command(self, *args, **options)

    def dying_pipeline(self: Pipeline, *args: Any, **options: Any) -> Any:
        trip()
        return pipeline(self, *args, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Redis, "execute_command", dying_command)
        patch.setattr(Pipeline, "execute", dying_pipeline)
        yield


def test_a_worker_killed_while_taking_leaves_the_job_queued_or_gone_never_a_stray_hash(
    echoing: Runtime, sessions: sessionmaker[Session]
) -> None:
    event = _store(sessions, "+919800000099", "hi")
    for call in itertools.count():
        echoing.redis.flushdb()
        enqueue_inbound_batch(echoing, [event])
        (job_id,) = _queued(echoing)
        try:
            with _dying_at(call):
                taken = take_queued_turns(echoing)
        except Killed:
            queued, kept = _queued(echoing) == [job_id], echoing.redis.exists(f"rq:job:{job_id}")
            assert queued == bool(kept), (
                f"killed at round trip {call}: queued {queued}, hash {kept}"
            )
            continue
        assert taken is not None and not echoing.redis.exists(f"rq:job:{job_id}")
        break


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
    taken = take_queued_turns(echoing)
    assert taken is not None and turn_events(taken) == [event] and _queued(echoing) == []


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
