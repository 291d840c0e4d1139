"""Status callbacks are single UPDATEs: they must still never regress a row's status."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.messages import Reply
from bot.render import render_sms
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.messaging.service import apply_delivery_status, enqueue_outbox, record_sent
from engine.seed import seed_demo
from engine.tenants.models import Venue


def _sent_row(sessions: sessionmaker[Session], provider_id: str | None = "SM1") -> int:
    with sessions.begin() as session:
        seed_demo(session)
        venue = session.scalar(select(Venue).where(Venue.slug == "spice-garden"))
        assert venue is not None
        row = enqueue_outbox(
            session,
            key="test:status",
            venue_id=venue.id,
            channel=MessageChannel.SMS,
            to_address="+919800000009",
            payload=render_sms(Reply("hi")),
        )
        session.flush()
        if provider_id is not None:
            record_sent(session, outbox_id=row.id, provider_message_id=provider_id)
        return row.id


def _apply(sessions: sessionmaker[Session], status: OutboxStatus, **match: str) -> bool:
    with sessions.begin() as session:
        return apply_delivery_status(
            session,
            provider_message_id=match.get("sid"),
            status=status,
            error=match.get("error"),
            outbox_key=match.get("key"),
        )


def _row(sessions: sessionmaker[Session], outbox_id: int) -> OutboxMessage:
    with sessions() as session:
        row = session.get(OutboxMessage, outbox_id)
        assert row is not None
        return row


def test_a_late_sent_callback_does_not_undo_delivered(sessions: sessionmaker[Session]) -> None:
    outbox_id = _sent_row(sessions)
    assert _apply(sessions, OutboxStatus.DELIVERED, sid="SM1")
    assert _apply(sessions, OutboxStatus.SENT, sid="SM1")
    row = _row(sessions, outbox_id)
    assert row.status == OutboxStatus.DELIVERED and row.status_updated_at is not None


def test_failed_is_recorded_with_its_error(sessions: sessionmaker[Session]) -> None:
    outbox_id = _sent_row(sessions)
    assert _apply(sessions, OutboxStatus.FAILED, sid="SM1", error="twilio error 30003")
    row = _row(sessions, outbox_id)
    assert (row.status, row.last_error) == (OutboxStatus.FAILED, "twilio error 30003")


def test_a_callback_by_outbox_key_fills_in_the_provider_id_once(
    sessions: sessionmaker[Session],
) -> None:
    outbox_id = _sent_row(sessions, provider_id=None)
    assert _apply(sessions, OutboxStatus.SENT, sid="wamid.1", key="test:status")
    assert _apply(sessions, OutboxStatus.READ, sid="wamid.2", key="test:status")
    row = _row(sessions, outbox_id)
    assert (row.status, row.provider_message_id) == (OutboxStatus.READ, "wamid.1")
    assert row.sent_at is not None


def test_a_callback_for_an_unknown_message_matches_nothing(
    sessions: sessionmaker[Session],
) -> None:
    _sent_row(sessions)
    assert not _apply(sessions, OutboxStatus.DELIVERED, sid="SM-unknown")
