"""The booking lifecycle as a table, and the one function that enforces it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from engine.bookings.enums import BookingStatus as S
from engine.bookings.models import Booking, BookingEvent
from engine.db import as_stored
from engine.exceptions import InvalidTransitionError

#: ``Session.info`` key of audit entries a statement stored rather than a flush: the live feed
#: (``infra.live``), which watches flushes, publishes these too once the transaction commits.
STORED_ENTRIES = "engine.bookings.stored_entries"

#: ``Session.info`` key of (transaction, ids of the holds it placed): ``placed_here``.
PLACED_HERE = "engine.bookings.placed_here"

TRANSITIONS: dict[S, frozenset[S]] = {
    S.HELD: frozenset({S.PENDING_PAYMENT, S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    S.PENDING_PAYMENT: frozenset({S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    # A payment that lands after expiry may still confirm if the inventory can be re-claimed.
    S.EXPIRED: frozenset({S.CONFIRMED}),
    S.CONFIRMED: frozenset({S.COMPLETED, S.CANCELLED, S.NO_SHOW}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    # Staff take back a mistaken no-show (``engine.bookings.arrivals.undo_no_show``).
    S.NO_SHOW: frozenset({S.CONFIRMED}),
}


def check_transition(current: S, target: S) -> None:
    """Raise InvalidTransitionError unless ``current -> target`` is in the table."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransitionError(
            f"A booking that is {current.value.replace('_', ' ')} cannot become "
            f"{target.value.replace('_', ' ')}."
        )


def apply_transition(
    booking: Booking, target: S, *, actor: str, reason: str = "", now: datetime
) -> None:
    """Move ``booking`` to ``target`` if the table allows it, recording who and why."""
    check_transition(booking.status, target)
    entry = BookingEvent(
        at=now, from_status=booking.status.value, to_status=target.value, actor=actor, reason=reason
    )
    _append_entry(booking, entry)
    booking.status = target


def record_event(
    booking: Booking,
    *,
    actor: str,
    reason: str,
    now: datetime,
    details: dict[str, object] | None = None,
) -> None:
    """Add an audit entry that does not change the status (e.g. a modification)."""
    entry = BookingEvent(
        at=now,
        from_status=booking.status.value,
        to_status=booking.status.value,
        actor=actor,
        reason=reason,
        details=details or {},
    )
    _append_entry(booking, entry)


def _append_entry(booking: Booking, entry: BookingEvent) -> None:
    """Add ``entry`` to the booking's audit trail without reading the trail first.

    Appending to an unloaded ``booking.events`` loads every earlier entry (a SELECT per
    transition: a hold confirmed in the turn that placed it had just been refreshed under its
    lock). Setting the entry's ``booking`` queues it on the collection instead, merged in
    when the collection is next read; SQLAlchemy 2 does not cascade that into the session,
    so the entry is added to the booking's. A booking outside any session appends.
    """
    session = object_session(booking)
    if session is None:
        booking.events.append(entry)
        return
    entry.booking = booking
    session.add(entry)


def record_creation(booking: Booking, *, actor: str, now: datetime) -> None:
    """First audit entry: the booking came into being in its current status."""
    booking.events.append(_creation_entry(booking, actor=actor, now=now))


def add_creation_entry(session: Session, booking: Booking, *, actor: str, now: datetime) -> None:
    """``record_creation`` for a booking already stored with no events (a hold just placed).

    The entry is added to the session with both ends of ``Booking.events`` set as if loaded,
    rather than appended to the collection: the flush then inserts the one row without also
    visiting the booking and its relationships (about a third of its CPU). It is still a
    new object in ``session.new`` at flush time, which is what ``infra.live`` watches.
    """
    entry = _creation_entry(booking, actor=actor, now=now)
    entry.booking_id = booking.id
    session.add(entry)
    set_committed_value(entry, "booking", booking)
    set_committed_value(booking, "events", [entry])
    _placed_here(session).add(booking.id)


def placed_here(session: Session, booking: Booking) -> bool:
    """True when the session's current transaction placed the hold ``booking`` (its row is
    new, seen by no one else and locked by this transaction until it ends)."""
    return booking.id in _placed_here(session)


def _placed_here(session: Session) -> set[int]:
    """Ids of the holds placed in the session's current transaction (a new set per one)."""
    transaction = session.get_transaction()
    kept = session.info.get(PLACED_HERE)
    if kept is None or kept[0] is not transaction:
        kept = session.info[PLACED_HERE] = (transaction, set())
    ids: set[int] = kept[1]
    return ids


def attach_stored_creation_entry(
    session: Session, booking: Booking, *, event_id: int, actor: str
) -> None:
    """``add_creation_entry`` for an entry a statement already stored (a stay's hold on
    PostgreSQL): attached as if loaded, with nothing left to flush, and noted for the live
    feed (``note_stored_entries``)."""
    values = _creation_values(booking, actor=actor, now=booking.created_at)
    entry = as_stored(session, BookingEvent, {"id": event_id, "booking_id": booking.id, **values})
    set_committed_value(entry, "booking", booking)
    set_committed_value(booking, "events", [entry])
    note_stored_entries(session, [entry])
    _placed_here(session).add(booking.id)


def _creation_entry(booking: Booking, *, actor: str, now: datetime) -> BookingEvent:
    return BookingEvent(**_creation_values(booking, actor=actor, now=now))


def _creation_values(booking: Booking, *, actor: str, now: datetime) -> dict[str, object]:
    """The columns of a booking's first audit entry, but its own id and its booking's."""
    return {
        "at": now,
        "from_status": None,
        "to_status": booking.status.value,
        "actor": actor,
        "reason": "hold placed",
        "details": {},
    }


def note_stored_entries(session: Session, entries: list[BookingEvent]) -> None:
    """Note audit entries that SQL stored in this transaction (see ``STORED_ENTRIES``)."""
    session.info.setdefault(STORED_ENTRIES, []).extend(entries)
