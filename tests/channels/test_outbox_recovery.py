"""The outbox ⚑: a sender killed after the provider accepted a message, before the row was
marked, never causes a duplicate; a retried job sends nothing twice; the WhatsApp 24-hour
window switches to a template.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.messages import Reply
from bot.render import render_sms
from engine.db import utcnow
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import InboundStatus, MessageChannel, OutboxStatus
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.messaging.service import enqueue_outbox
from engine.tenants.models import Venue
from tests.settings import sandbox_env
from tests.stack import Stack, wait_for
from workers.outbound import send_outbound


def _queue_sms(sessions: sessionmaker[Session], guest: str, text: str) -> int:
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "seaside-hotel"))
        assert venue is not None
        person = get_or_create_guest(session, business_id=venue.business_id, phone=guest)
        row = enqueue_outbox(
            session,
            key=f"test:{guest}:{text}",
            venue_id=venue.id,
            guest_id=person.id,
            channel=MessageChannel.SMS,
            to_address=guest,
            payload=render_sms(Reply(text)),
        )
        session.flush()
        return row.id


def _status(sessions: sessionmaker[Session], outbox_id: int) -> OutboxMessage:
    with sessions() as session:
        row = session.get(OutboxMessage, outbox_id)
        assert row is not None
        return row


def test_sender_killed_after_provider_accepted_does_not_send_twice(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812349001"
    outbox_id = _queue_sms(sessions, guest, "Your table is confirmed.")
    live.fake.update_knobs(hang_after_accept_seconds=30)
    env = sandbox_env(DATABASE_URL=live.runtime.settings.database_url, PUBLIC_BASE_URL=live.url)
    env.pop("REDIS_URL", None)
    sender = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from workers.outbound import send_outbound; send_outbound({outbox_id})",
        ],
        env=env,
    )
    try:
        live.wait_sent(guest, 1)
        assert _status(sessions, outbox_id).status == OutboxStatus.SENDING
    finally:
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait()
    live.fake.update_knobs(hang_after_accept_seconds=0)
    # Time passes: the interrupted attempt is older than the in-flight grace period.
    with sessions.begin() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(sending_started_at=utcnow() - timedelta(minutes=10))
        )
    send_outbound(outbox_id)
    row = _status(sessions, outbox_id)
    assert row.status in (OutboxStatus.SENT, OutboxStatus.DELIVERED)
    assert row.provider_message_id == live.sent_to(guest)[0].id
    live.settle()
    assert len(live.sent_to(guest)) == 1


def test_interrupted_send_the_provider_never_got_is_sent_once_on_recovery(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812349002"
    outbox_id = _queue_sms(sessions, guest, "Reminder: see you tomorrow.")
    with sessions.begin() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(
                status=OutboxStatus.SENDING, sending_started_at=utcnow() - timedelta(minutes=10)
            )
        )
    send_outbound(outbox_id)
    send_outbound(outbox_id)
    assert len(live.wait_sent(guest, 1)) == 1
    live.settle()
    assert len(live.sent_to(guest)) == 1


def test_rerunning_a_send_job_sends_nothing_new(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812349003"
    outbox_id = _queue_sms(sessions, guest, "Hello again.")
    for _ in range(3):
        send_outbound(outbox_id)
    live.settle()
    assert len(live.sent_to(guest)) == 1


def test_provider_outage_leaves_the_row_pending_for_a_retry_then_it_is_sent(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812349004"
    outbox_id = _queue_sms(sessions, guest, "Try me later.")
    live.fake.update_knobs(fail_next=1, fail_provider="twilio")
    try:
        send_outbound(outbox_id)
    except Exception as exc:  # the job raises so rq retries it with backoff
        assert "twilio" in str(exc)
    else:
        raise AssertionError("a 500 from the provider must fail the job for a retry")
    assert _status(sessions, outbox_id).status == OutboxStatus.PENDING
    send_outbound(outbox_id)
    assert len(live.wait_sent(guest, 1)) == 1


def test_whatsapp_outside_the_24_hour_window_goes_as_a_template(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812349005"
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "seaside-hotel"))
        assert venue is not None
        session.add(
            InboundEvent(
                provider="whatsapp",
                provider_id="wamid.OLD",
                venue_id=venue.id,
                channel=MessageChannel.WHATSAPP,
                guest_phone=guest,
                text="hi",
                status=InboundStatus.PROCESSED,
                received_at=utcnow() - timedelta(hours=30),
            )
        )
        person = get_or_create_guest(session, business_id=venue.business_id, phone=guest)
        row = enqueue_outbox(
            session,
            key="test:window",
            venue_id=venue.id,
            guest_id=person.id,
            channel=MessageChannel.WHATSAPP,
            to_address=guest,
            payload={"type": "text", "text": {"body": "Your stay is tomorrow"}},
        )
        session.flush()
        outbox_id = row.id
    send_outbound(outbox_id)
    (sent,) = live.wait_sent(guest, 1)
    assert sent.payload["type"] == "template"
    parameters = sent.payload["template"]["components"][0]["parameters"]
    assert parameters[0]["text"] == "Your stay is tomorrow"
    wait_for(lambda: _status(sessions, outbox_id).status != OutboxStatus.SENDING)


def test_a_reply_the_inbound_job_fails_to_send_goes_to_the_send_job_and_out_once(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812349006"
    live.fake.update_knobs(fail_next=1, fail_provider="twilio")
    assert live.sms("hi", guest=guest).status_code == 200
    (sent,) = live.wait_sent(guest, 1)
    live.settle()
    assert len(live.sent_to(guest)) == 1
    with sessions() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == guest))
        assert row is not None
        assert row.provider_message_id == sent.id
        assert row.attempts == 2  # the inline try, then the send job's
