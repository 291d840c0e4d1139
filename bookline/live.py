"""Live booking events: every booking status change, whoever made it, reaches the dashboards.

Rather than asking each adapter (chat, payments, owner actions, sweeps) to remember to publish,
the session factory watches for new audit entries (``BookingEvent``) and publishes them on
Redis pub/sub *after* the transaction commits. Entries flushed inside a savepoint that was
rolled back are no longer persistent by then, and are dropped: only what committed is told.
"""

from __future__ import annotations

from typing import Any

from redis import Redis
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from bot.events import publish
from engine.bookings.models import BookingEvent

PENDING_KEY = "bookline.live.pending"


def _remember(session: Session, _context: UOWTransaction) -> None:
    """After a flush, keep the audit entries it inserted (``new`` still shows them here)."""
    pending: list[BookingEvent] = session.info.setdefault(PENDING_KEY, [])
    pending.extend(item for item in session.new if isinstance(item, BookingEvent))


def _payload(entry: BookingEvent) -> dict[str, Any]:
    booking = entry.booking
    return {
        "booking_id": booking.id,
        "reference": booking.reference,
        "venue_id": booking.venue_id,
        "status": entry.to_status,
        "from_status": entry.from_status,
        "actor": entry.actor,
    }


def watch(sessions: sessionmaker[Session], redis: Redis) -> None:
    """Publish ``booking.created`` / ``booking.changed`` for commits made through ``sessions``."""

    def committed(session: Session) -> None:
        if session.get_nested_transaction() is not None:
            return  # a savepoint was released; the outer transaction may still roll back
        for entry in session.info.pop(PENDING_KEY, []):
            if inspect(entry).persistent:
                kind = "booking.created" if entry.from_status is None else "booking.changed"
                publish(redis, kind, _payload(entry))

    def rolled_back(session: Session) -> None:
        if session.get_nested_transaction() is None:
            session.info.pop(PENDING_KEY, None)

    event.listen(sessions, "after_flush", _remember)
    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_rollback", rolled_back)
