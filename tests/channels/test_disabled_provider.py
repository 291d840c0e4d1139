"""A provider in DISABLED_PROVIDERS: what would go through it fails for good, saying why."""

from __future__ import annotations

from collections.abc import Iterator

import fakeredis
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.messages import Reply
from bot.render import render_sms
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.messaging.service import enqueue_outbox
from engine.seed import seed_demo
from engine.tenants.models import Venue
from infra.runtime import Runtime, set_current
from infra.senders.base import PermanentSendError
from tests.settings import production_settings
from workers.outbound import send_outbound

GUEST = "+919800000072"


@pytest.fixture
def sms_off(database_url: str, sessions: sessionmaker[Session]) -> Iterator[Runtime]:
    """The process's runtime on a deployment that uses WhatsApp only."""
    settings = production_settings(
        database_url, "redis://unused", disabled_providers="twilio,razorpay"
    )
    runtime = Runtime(settings)
    runtime.__dict__["redis"] = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    previous = set_current(runtime)
    with sessions.begin() as session:
        seed_demo(session)
    yield runtime
    set_current(previous)
    runtime.close()


def _queue_sms(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "seaside-hotel"))
        assert venue is not None
        guest = get_or_create_guest(session, business_id=venue.business_id, phone=GUEST)
        row = enqueue_outbox(
            session,
            key=f"test:disabled:{GUEST}",
            venue_id=venue.id,
            guest_id=guest.id,
            channel=MessageChannel.SMS,
            to_address=GUEST,
            payload=render_sms(Reply("Your table is confirmed.")),
        )
        session.flush()
        return row.id


def test_an_sms_with_twilio_disabled_fails_for_good_naming_the_setting(
    sms_off: Runtime, sessions: sessionmaker[Session]
) -> None:
    outbox_id = _queue_sms(sessions)
    send_outbound(outbox_id)  # no exception: nothing to retry
    with sessions() as session:
        row = session.get(OutboxMessage, outbox_id)
        assert row is not None
        assert row.status == OutboxStatus.FAILED
        assert row.last_error is not None and "DISABLED_PROVIDERS" in row.last_error


def test_a_payment_call_with_razorpay_disabled_is_a_permanent_failure(sms_off: Runtime) -> None:
    with pytest.raises(PermanentSendError, match="razorpay is disabled"):
        sms_off.gateway  # noqa: B018 (building the client is the call that fails)
