"""Taking and releasing claims: the only code that writes the claims table.

Claims are inserted in sorted (resource, unit) order so that concurrent transactions lock
unique-index entries in the same order and cannot deadlock each other.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.availability.units import Pair, lapsed_hold
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, Claim
from engine.bookings.transitions import apply_transition


def take_claims(
    session: Session, *, booking: Booking, pairs: Collection[Pair], now: datetime
) -> bool:
    """Claim every pair for ``booking`` or none; False when another live booking holds one.

    A collision with a lapsed hold releases that hold (lazy expiry) and tries once more, so
    correctness never waits for the expiry job.
    """
    if not pairs:
        return True
    rows = [
        {"booking_id": booking.id, "venue_id": booking.venue_id, "resource": r, "unit": u}
        for r, u in sorted(pairs)
    ]
    for attempt in range(2):
        try:
            with session.begin_nested():
                session.execute(insert(Claim), rows)
            session.expire(booking, ["claims"])
            return True
        except IntegrityError:
            if attempt or not release_lapsed(session, pairs=pairs, now=now):
                return False
    return False


def release_claims(
    session: Session, *, booking: Booking, pairs: Collection[Pair] | None = None
) -> None:
    """Give back the booking's claims (all of them, or just ``pairs``)."""
    query = delete(Claim).where(Claim.booking_id == booking.id)
    if pairs is not None:
        if not pairs:
            return
        query = query.where(tuple_(Claim.resource, Claim.unit).in_(list(pairs)))
    session.execute(query, execution_options={"synchronize_session": False})
    session.expire(booking, ["claims"])


def expire_booking(session: Session, *, booking: Booking, actor: str, now: datetime) -> None:
    """Turn a lapsed hold into EXPIRED and free its inventory."""
    apply_transition(
        booking, BookingStatus.EXPIRED, actor=actor, reason="hold time ran out", now=now
    )
    booking.hold_expires_at = booking.hold_expires_at or now
    release_claims(session, booking=booking)


def release_lapsed(session: Session, *, pairs: Collection[Pair], now: datetime) -> bool:
    """Expire lapsed holds that claim any of ``pairs``; True when something was released."""
    holders = select(Claim.booking_id).where(tuple_(Claim.resource, Claim.unit).in_(list(pairs)))
    lapsed = session.scalars(
        select(Booking)
        .where(Booking.id.in_(holders), lapsed_hold(now))
        .order_by(Booking.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for booking in lapsed:
        expire_booking(session, booking=booking, actor="system:lazy-expiry", now=now)
    session.flush()
    return bool(lapsed)
