"""Taking and releasing claims: the only code that writes the claims table for live bookings
(a seeded history, ``engine.history.write``, bulk-inserts the claims of its past bookings).

Claims are inserted in sorted (resource, unit) order so that concurrent transactions lock
unique-index entries in the same order and cannot deadlock each other. They are inserted with
ON CONFLICT (resource, unit) DO NOTHING RETURNING: ``UNIQUE(resource, unit)`` still decides
who wins, but losing shows as fewer rows returned rather than as an error, so the common
attempt needs no savepoint.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from engine.availability.units import Pair, lapsed_hold
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, Claim
from engine.bookings.transitions import apply_transition
from engine.db import insert_or_skip_returning_id


def take_claims(
    session: Session, *, booking: Booking, pairs: Collection[Pair], now: datetime
) -> bool:
    """Claim every pair for ``booking`` or none; False when another live booking holds one.

    A collision with a lapsed hold releases that hold (lazy expiry) and tries once more, so
    correctness never waits for the expiry job. The release stands only if the retry takes
    the claims: a failed attempt writes nothing.
    """
    if not pairs:
        return True
    rows = [
        {"booking_id": booking.id, "venue_id": booking.venue_id, "resource": r, "unit": u}
        for r, u in sorted(pairs)
    ]
    if _insert_all(session, rows) or _insert_after_lazy_expiry(session, rows, pairs, now):
        session.expire(booking, ["claims"])
        return True
    return False


def _insert(session: Session, rows: list[dict[str, object]]) -> int:
    """How many of ``rows`` went in: a unit someone already holds is skipped, not an error.

    The rows go as parameters, not ``values(rows)``: SQLAlchemy still sends one multi-row
    INSERT (in this order), but the statement is built and compiled once.
    """
    statement = insert_or_skip_returning_id(session, Claim, "resource", "unit")
    return len(session.execute(statement, rows).all())


def _insert_all(session: Session, rows: list[dict[str, object]]) -> bool:
    """Insert every row or none, without an IntegrityError that would abort a PG transaction.

    One row cannot go in partly. Several run in a savepoint whose rollback undoes a partial
    insert. A DELETE would undo it too, but on PostgreSQL the index entries of rows we
    inserted stay locked until we commit, deleted or not: every other claimer of those units
    would wait for our whole transaction, and where two transactions try candidates in
    different orders (a modify tries the current room first; seatings differ by party size)
    those waits can form a deadlock. Rolling back the savepoint frees the entries at once.
    """
    if len(rows) == 1:
        return _insert(session, rows) == 1
    with session.begin_nested() as savepoint:
        if _insert(session, rows) == len(rows):
            return True
        savepoint.rollback()
    return False


def _insert_after_lazy_expiry(
    session: Session, rows: list[dict[str, object]], pairs: Collection[Pair], now: datetime
) -> bool:
    """Release lapsed holds on ``pairs`` and insert again; undo the release if still blocked."""
    with session.begin_nested() as savepoint:
        if release_lapsed(session, pairs=pairs, now=now) and _insert_all(session, rows):
            return True
        savepoint.rollback()
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
