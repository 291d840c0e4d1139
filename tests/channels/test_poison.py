"""A message that keeps failing: the guest is told once, the conversation moves on, and the
job ends in rq's failed registry with the error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis
from rq import Queue, Retry, SimpleWorker
from rq.registry import FailedJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from application.inbound_turn import MAX_ATTEMPTS
from bot.catalog import t
from bot.messages import InboundMessage, Reply
from engine.guests.models import Guest
from engine.messaging.enums import InboundStatus, MessageChannel
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.messaging.service import record_inbound
from engine.seed import seed_demo
from engine.tenants.models import Venue
from infra.runtime import Runtime, current, set_current
from tests.settings import sandbox_settings


class ExplodingDialogue:
    """Fails on the word "boom", answers everything else."""

    def respond(
        self, session: Session, message: InboundMessage, *, venue: Venue, guest: Guest, redis: Redis
    ) -> list[Reply]:
        if "boom" in message.text:
            raise RuntimeError("dialogue exploded")
        return [Reply(f"echo {message.text}")]


@pytest.fixture
def queued_runtime(database_url: str) -> Iterator[Runtime]:
    """A runtime whose jobs go to a Redis queue (real worker semantics, incl. retries)."""
    previous = current()
    settings = sandbox_settings(database_url, "redis://unused")
    runtime = Runtime(settings, dialogue=ExplodingDialogue())
    import fakeredis

    runtime.__dict__["redis"] = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    set_current(runtime)
    yield runtime
    set_current(previous)
    runtime.close()


def _store(sessions: sessionmaker[Session], text: str, n: int) -> int:
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "seaside-hotel"))
        assert venue is not None
        event_id = record_inbound(
            session,
            provider="twilio",
            provider_id=f"SM{n:032d}",
            venue_id=venue.id,
            channel=MessageChannel.SMS,
            guest_phone="+919800000099",
            text=text,
        )
        assert event_id is not None
        return event_id


def test_poisoned_message_is_failed_once_the_guest_told_once_and_the_next_one_handled(
    queued_runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    poisoned, fine = _store(sessions, "boom", 1), _store(sessions, "hello", 2)
    queue = Queue("inbound", connection=queued_runtime.redis)
    job = queue.enqueue(
        "workers.inbound.handle_inbound", poisoned, retry=Retry(max=MAX_ATTEMPTS - 1)
    )
    SimpleWorker([queue], connection=queued_runtime.redis).work(burst=True)
    assert job.id in FailedJobRegistry(queue=queue).get_job_ids()
    with sessions() as session:
        event = session.get(InboundEvent, poisoned)
        assert event is not None
        assert event.status == InboundStatus.FAILED and event.attempts == MAX_ATTEMPTS
        assert "dialogue exploded" in (event.last_error or "")
        handled = session.get(InboundEvent, fine)
        assert handled is not None and handled.status == InboundStatus.PROCESSED
        replies = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        bodies = [row.payload["body"] for row in replies]
    assert bodies.count(t("error_generic", "en")) == 1
    assert "echo hello" in bodies
