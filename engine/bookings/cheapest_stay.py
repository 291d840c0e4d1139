"""Hold a guest's cheapest free stay in one call: the guest by phone, the search and the hold.

What a chat turn does when a guest takes whatever room is cheapest: find or create the guest,
search the hotel, hold the first offer (the next one when a racer took it first). On
PostgreSQL that is one statement (``bookline_hold_cheapest_stay``, migration 0010), which
reads the venue itself, so no cached venue settings can be stale; being atomic on its own it
also runs in an autocommit session, with no BEGIN or COMMIT round trip. SQLite takes the
Python path through ``get_or_create_guest``, ``search_availability`` and ``place_hold``,
whose statements need a transaction around them.
Either way the claims' ``UNIQUE(resource, unit)`` is what decides a race.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from engine.availability.requests import StayRequest, validate_stay, validate_stay_shape
from engine.availability.service import search_availability
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, BookingEvent
from engine.bookings.service import place_hold
from engine.bookings.stay_hold import (
    CheapestStay,
    CheapestStayOutcome,
    hold_cheapest_stay_statement,
    holds_in_one_statement,
)
from engine.bookings.transitions import note_stored_entries
from engine.db import utcnow
from engine.exceptions import NotAvailableError, NotFoundError, ValidationError
from engine.guests.service import get_or_create_guest, normalize_phone
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue


def hold_cheapest_stay(
    session: Session,
    *,
    venue_id: int,
    phone: str,
    request: StayRequest,
    channel: Channel,
    actor: str,
    now: datetime | None = None,
    notes: str = "",
) -> Booking | None:
    """Hold the cheapest room free for the whole stay for the guest with ``phone``.

    None when every room type that sleeps the party is full on some night (the guest is
    still found or created, as on first contact). The request must not name a room type.
    An autocommit session is fine on PostgreSQL (one statement); elsewhere it is refused.
    """
    if request.room_type_id is not None:
        raise ValueError("hold_cheapest_stay chooses the room type itself")
    now = now or utcnow()
    e164 = normalize_phone(phone)
    validate_stay_shape(request)
    if not holds_in_one_statement(session):
        _require_transaction(session)
        return _in_python(session, venue_id, e164, request, channel, actor, now, notes)
    held = hold_cheapest_stay_statement(
        session,
        venue_id=venue_id,
        phone=e164,
        request=request,
        channel=channel,
        actor=actor,
        notes=notes,
        now=now,
    )
    if held.outcome == CheapestStayOutcome.INVALID:
        _check_stay(_venue(session, venue_id), request, now)  # raises what the Python path does
        raise ValidationError("That stay cannot be booked.")
    _note_expired(session, held.expired_event_ids or [])
    if held.outcome == CheapestStayOutcome.SOLD_OUT:
        return None
    return _attach_held(session, held, venue_id, request, channel, actor, notes, now)


def _require_transaction(session: Session) -> None:
    """The Python path is several statements that must stand or fall together."""
    if session.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        raise ValueError(
            "only PostgreSQL holds the cheapest stay in one statement: use a transaction"
        )


def _venue(session: Session, venue_id: int) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise NotFoundError("That venue does not exist.")
    return venue


def _check_stay(venue: Venue, request: StayRequest, now: datetime) -> None:
    """The checks the statement makes, raising the messages ``search_availability`` gives."""
    if venue.kind != VenueKind.HOTEL:
        raise ValidationError(f"{venue.name} does not take that kind of booking.")
    validate_stay(venue, request, now=now)


def _in_python(
    session: Session,
    venue_id: int,
    phone: str,
    request: StayRequest,
    channel: Channel,
    actor: str,
    now: datetime,
    notes: str,
) -> Booking | None:
    venue = _venue(session, venue_id)
    _check_stay(venue, request, now)
    guest = get_or_create_guest(session, business_id=venue.business_id, phone=phone)
    for offer in search_availability(session, venue=venue, request=request, now=now):
        try:
            return place_hold(
                session,
                offer=offer,
                guest=guest,
                channel=channel,
                actor=actor,
                now=now,
                notes=notes,
            )
        except NotAvailableError:
            continue  # a racer took this type's last room since the search: try the next
    return None


def _attach_held(
    session: Session,
    held: CheapestStay,
    venue_id: int,
    request: StayRequest,
    channel: Channel,
    actor: str,
    notes: str,
    now: datetime,
) -> Booking:
    """The booking and audit entry the statement stored, in the session as if loaded.

    Every column is given, so nothing is read back; the entry is noted for the live feed,
    which otherwise learns of new entries from a flush (``infra.live``).
    """
    assert held.expires is not None
    booking = Booking(
        id=held.booking_id,
        reference=held.reference,
        venue_id=venue_id,
        guest_id=held.guest_id,
        status=BookingStatus.HELD,
        channel=channel,
        party_size=request.guests,
        room_type_id=held.room_type_id,
        check_in=request.check_in,
        check_out=request.check_out,
        starts_at=None,
        ends_at=None,
        resources=[held.resource],
        amount=held.amount,
        amount_paid=0,
        currency=held.currency,
        hold_expires_at=held.expires,
        notes=notes,
        arrived_at=None,
        not_arrived_at=None,
        guest_confirmed_at=None,
        created_at=now,
        updated_at=now,
    )
    entry = BookingEvent(
        id=held.event_id,
        booking_id=held.booking_id,
        at=now,
        from_status=None,
        to_status=BookingStatus.HELD.value,
        actor=actor,
        reason="hold placed",
        details={},
    )
    for row in (booking, entry):
        make_transient_to_detached(row)
        session.add(row)
    set_committed_value(booking, "events", [entry])
    set_committed_value(entry, "booking", booking)
    note_stored_entries(session, [entry])
    return booking


def _note_expired(session: Session, event_ids: list[int]) -> None:
    """Tell the live feed about lapsed holds the statement expired (rare: a read for them)."""
    if not event_ids:
        return
    query = (
        select(BookingEvent)
        .where(BookingEvent.id.in_(event_ids))
        .options(joinedload(BookingEvent.booking))
        .execution_options(populate_existing=True)  # a copy this session held is out of date
    )
    note_stored_entries(session, list(session.scalars(query)))
