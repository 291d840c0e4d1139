"""A crash between the ack and the worker loses nothing and doubles nothing.

The webhook commits the message to the database before it answers 200, then queues a job. If
the worker that took the job dies (or Redis restarts empty) the job is gone, but the stored
event stays pending: the sweep queues it again, the guest is answered once, and neither a
second sweep nor a replayed job answers twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from application.ingest import Ingestor, ProviderMessage
from application.sweeps import sweep
from engine.db import utcnow
from engine.messaging.enums import InboundStatus, MessageChannel
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.seed import seed_demo
from infra.runtime import Runtime, current, set_current
from tests.stack import HOTEL_SMS

GUEST = "+919800000042"


@pytest.fixture
def worker_runtime(queued_runtime: Runtime) -> Iterator[Runtime]:
    """``queued_runtime`` as the runtime the job functions see, as in a worker process."""
    previous = current()
    set_current(queued_runtime)
    yield queued_runtime
    set_current(previous)


def _delivery(sid: str) -> list[ProviderMessage]:
    """One webhook delivery carrying one SMS."""
    return [
        ProviderMessage(
            provider="twilio",
            provider_id=sid,
            channel=MessageChannel.SMS,
            to_address=HOTEL_SMS,
            from_address=GUEST,
            kind="text",
            text="double room 24-27 Dec for 2",
        )
    ]


def _replies(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.to_address == GUEST)
            )
            or 0
        )


def _age_events(sessions: sessionmaker[Session]) -> None:
    """Let the sweep's grace period pass for every stored event."""
    with sessions.begin() as session:
        session.execute(update(InboundEvent).values(received_at=utcnow() - timedelta(minutes=5)))


def test_a_job_lost_after_the_ack_is_queued_again_by_the_sweep_and_answered_once(
    worker_runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    inbound = Queue("inbound", connection=worker_runtime.redis)
    assert Ingestor(worker_runtime).flush([_delivery("SM-crash-1")]) == [1]  # the 200
    assert inbound.count == 1
    worker_runtime.redis.delete(inbound.key)  # the job died with its worker
    _age_events(sessions)

    assert sweep(worker_runtime)["inbound"] == 1
    SimpleWorker([inbound], connection=worker_runtime.redis).work(burst=True)
    with sessions() as session:
        event = session.scalars(select(InboundEvent)).one()
        assert event.status == InboundStatus.PROCESSED
    answered = _replies(sessions)
    assert answered >= 1

    _age_events(sessions)
    assert sweep(worker_runtime)["inbound"] == 0  # handled: nothing left to queue
    inbound.enqueue("workers.inbound.handle_inbound", event.id)  # a replayed job
    SimpleWorker([inbound], connection=worker_runtime.redis).work(burst=True)
    assert _replies(sessions) == answered
