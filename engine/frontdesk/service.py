"""Front-desk services: what owners and staff do with bookings and guests from the dashboard.

Finding bookings (filters, search), cancelling with a chosen refund under the staff limit,
moving a guest to another room or table, and walk-in / phone bookings, which take the same
hold-then-confirm path as a chat booking, so the claims guard them the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.accounts.enums import Role
from engine.availability.offers import Offer, RoomOffer, TableOffer
from engine.bookings.enums import CancelledBy, Channel
from engine.bookings.models import Booking
from engine.bookings.policies import paid_not_refunded, quote_cancellation
from engine.bookings.references import normalize_reference
from engine.bookings.service import Cancellation, cancel, confirm, modify, place_hold
from engine.db import utcnow
from engine.exceptions import NotFoundError, ValidationError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest, normalize_phone
from engine.inventory.models import Room, RoomType, Table
from engine.payments.service import refund_cancellation
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

DESK_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.DASHBOARD)
MAX_PAGE = 500
#: Bookings read per query by an export (one batch in memory at a time).
EXPORT_BATCH = 500


class RefundChoice(StrEnum):
    """How much an owner-side cancellation gives back."""

    POLICY = "policy"
    FULL = "full"
    NONE = "none"
    AMOUNT = "amount"


@dataclass(frozen=True)
class BookingFilter:
    """What the bookings list is narrowed to; dates are the venue's local arrival dates."""

    venue_id: int | None = None
    start: date | None = None
    end: date | None = None
    status: str | None = None
    channel: str | None = None
    guest_phone: str | None = None
    query: str | None = None
    #: Groups' requests by where staff's answer stands ("pending": still to accept or decline).
    approval: str | None = None


@dataclass(frozen=True)
class DeskRequest:
    """A booking taken at the desk: a stay (hotels) or a seating (restaurants)."""

    guest_phone: str
    guest_name: str | None
    channel: Channel
    party_size: int
    check_in: date | None = None
    check_out: date | None = None
    room_type_id: int | None = None
    starts_at: datetime | None = None
    amount_paid: int = 0
    notes: str = ""


# Finding bookings -----------------------------------------------------------------------------


def _arrival_between(
    venues: list[Venue], start: date | None, end: date | None
) -> ColumnElement[bool]:
    """Stays arriving, or seatings starting, on local dates ``start``..``end`` (inclusive)."""
    stays: list[ColumnElement[bool]] = [Booking.check_in.is_not(None)]
    if start:
        stays.append(Booking.check_in >= start)
    if end:
        stays.append(Booking.check_in <= end)
    return or_(and_(*stays), *(_seatings_between(v, start, end) for v in venues))


def _seatings_between(venue: Venue, start: date | None, end: date | None) -> ColumnElement[bool]:
    """Seatings at ``venue`` on its local dates ``start``..``end`` (bounds in its zone)."""
    conditions = [Booking.venue_id == venue.id, Booking.starts_at.is_not(None)]
    if start:
        conditions.append(Booking.starts_at >= _local_midnight(venue, start))
    if end:
        conditions.append(Booking.starts_at < _local_midnight(venue, end + timedelta(days=1)))
    return and_(*conditions)


def _local_midnight(venue: Venue, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=venue.tz).astimezone(UTC)


def _search(text: str) -> ColumnElement[bool]:
    """A reference ("bk7f3k2q") or a phone fragment ("98000")."""
    digits = "".join(ch for ch in text if ch.isdigit())
    by_phone = Guest.phone.contains(digits) if len(digits) >= 4 else false()
    return or_(Booking.reference == normalize_reference(text), by_phone)


def list_bookings(
    session: Session, *, business_id: int, filters: BookingFilter, limit: int = 100, offset: int = 0
) -> list[Booking]:
    """The business's bookings matching ``filters``, newest first (guest and venue loaded)."""
    query = _bookings_query(session, business_id, filters)
    return list(session.scalars(query.limit(min(limit, MAX_PAGE)).offset(offset)))


def booking_batches(
    session: Session, *, business_id: int, filters: BookingFilter, batch: int = EXPORT_BATCH
) -> Iterator[list[Booking]]:
    """Every booking matching ``filters``, newest first, ``batch`` at a time, without a cap.

    Pages by id (not offset), so a long export reads each row once however far it goes, and
    each batch is dropped from the session before the next is read: memory stays one batch.
    """
    query = _bookings_query(session, business_id, filters)
    before: int | None = None
    while True:
        page = query if before is None else query.where(Booking.id < before)
        rows = list(session.scalars(page.limit(batch)))
        if not rows:
            return
        yield rows
        before = rows[-1].id
        session.expunge_all()


def _bookings_query(session: Session, business_id: int, filters: BookingFilter) -> Select[Booking]:
    """The filtered bookings of a business, newest first, guest and venue loaded with them."""
    venues = list(session.scalars(select(Venue).where(Venue.business_id == business_id)))
    query = (
        select(Booking)
        .join(Guest, Booking.guest_id == Guest.id)
        .where(Booking.venue_id.in_([v.id for v in venues]))
        .options(joinedload(Booking.guest), joinedload(Booking.venue), selectinload(Booking.rooms))
    )
    for condition in _conditions(venues, filters):
        query = query.where(condition)
    return query.order_by(Booking.id.desc())


def _conditions(venues: list[Venue], filters: BookingFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.venue_id is not None:
        conditions.append(Booking.venue_id == filters.venue_id)
    if filters.start or filters.end:
        conditions.append(_arrival_between(venues, filters.start, filters.end))
    if filters.status:
        conditions.append(Booking.status == filters.status)
    if filters.channel:
        conditions.append(Booking.channel == filters.channel)
    if filters.guest_phone:
        conditions.append(Guest.phone == normalize_phone(filters.guest_phone))
    if filters.query:
        conditions.append(_search(filters.query))
    if filters.approval:
        conditions.append(Booking.approval == filters.approval)
    return conditions


# Actions --------------------------------------------------------------------------------------


def refund_for(booking: Booking, *, choice: RefundChoice, amount: int | None, now: datetime) -> int:
    """The refund a choice means for this booking, in minor units."""
    if choice == RefundChoice.AMOUNT:
        if amount is None:
            raise ValidationError("Give the refund amount, or choose policy, full or none.")
        return amount
    if choice == RefundChoice.POLICY:
        return quote_cancellation(booking, by=CancelledBy.GUEST, now=now).refund_amount
    return paid_not_refunded(booking) if choice == RefundChoice.FULL else 0


def staff_refund_cap(booking: Booking, *, now: datetime) -> int:
    """The most staff may refund: the policy amount, or the venue's goodwill limit if higher."""
    policy = quote_cancellation(booking, by=CancelledBy.GUEST, now=now).refund_amount
    return max(policy, booking.venue.staff_refund_limit)


def desk_cancel(
    session: Session,
    *,
    booking: Booking,
    actor: str,
    role: Role,
    choice: RefundChoice,
    amount: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Cancellation:
    """Cancel on the guest's behalf with the chosen refund (issued through the outbox); staff
    stay within their limit."""
    now = now or utcnow()
    refund = refund_for(booking, choice=choice, amount=amount, now=now)
    if role == Role.STAFF and refund > (cap := staff_refund_cap(booking, now=now)):
        raise ValidationError(f"Staff can refund at most {cap} here; ask an owner for more.")
    result = cancel(
        session,
        booking=booking,
        by=CancelledBy.OWNER,
        actor=actor,
        reason=reason,
        now=now,
        refund_amount=refund,
    )
    refund_cancellation(session, cancellation=result, now=now)  # queued in the outbox, once
    return result


def desk_booking(
    session: Session, *, venue: Venue, request: DeskRequest, actor: str, now: datetime | None = None
) -> Booking:
    """A phone or walk-in booking: hold through the engine, then confirm at once."""
    now = now or utcnow()
    if request.channel not in DESK_CHANNELS:
        raise ValidationError("Desk bookings come by phone, walk-in or the dashboard.")
    guest = get_or_create_guest(
        session, business_id=venue.business_id, phone=request.guest_phone, name=request.guest_name
    )
    offer = _offer(session, venue, request)
    booking = place_hold(
        session,
        offer=offer,
        guest=guest,
        channel=request.channel,
        actor=actor,
        now=now,
        notes=request.notes,
    )
    if not 0 <= request.amount_paid <= booking.amount:
        raise ValidationError(f"The amount paid must be between 0 and the {booking.amount} due.")
    return confirm(session, booking=booking, actor=actor, now=now, amount_paid=request.amount_paid)


def _offer(session: Session, venue: Venue, request: DeskRequest) -> Offer:
    """The offer ``place_hold`` re-checks; prices and stock are recomputed there."""
    if venue.kind == VenueKind.HOTEL:
        if request.check_in is None or request.check_out is None or request.room_type_id is None:
            raise ValidationError("A hotel booking needs check-in, check-out and a room type.")
        room_type = session.get(RoomType, request.room_type_id)
        if room_type is None or room_type.venue_id != venue.id:
            raise ValidationError("That room type does not exist at this hotel.")
        return RoomOffer(
            venue_id=venue.id,
            room_type_id=room_type.id,
            room_type_name=room_type.name,
            capacity=room_type.capacity,
            check_in=request.check_in,
            check_out=request.check_out,
            guests=request.party_size,
            nights=(request.check_out - request.check_in).days,
            total_amount=0,
            currency=venue.currency,
            rooms_left=0,
        )
    if request.starts_at is None:
        raise ValidationError("A restaurant booking needs a start time.")
    return TableOffer(
        venue_id=venue.id,
        starts_at=request.starts_at,
        local_start=request.starts_at.astimezone(venue.tz),
        party_size=request.party_size,
        deposit_amount=0,
        currency=venue.currency,
        exact=True,
    )


# Guests ---------------------------------------------------------------------------------------


def list_guests(
    session: Session, *, business_id: int, query: str | None, limit: int = 100
) -> list[Guest]:
    """The business's guests, by name or phone fragment, most recent first."""
    select_guests = select(Guest).where(Guest.business_id == business_id)
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        by_phone = Guest.phone.contains(digits) if digits else false()
        select_guests = select_guests.where(or_(Guest.name.ilike(f"%{query.strip()}%"), by_phone))
    return list(
        session.scalars(select_guests.order_by(Guest.id.desc()).limit(min(limit, MAX_PAGE)))
    )


def get_guest(session: Session, *, business_id: int, guest_id: int) -> Guest:
    """One guest of the business; NotFoundError for anyone else's."""
    guest = session.get(Guest, guest_id)
    if guest is None or guest.business_id != business_id:
        raise NotFoundError("That guest does not exist.")
    return guest


def guest_history(session: Session, *, guest: Guest) -> list[Booking]:
    """Every booking of a guest, newest first."""
    query = select(Booking).where(Booking.guest_id == guest.id).order_by(Booking.id.desc())
    return list(session.scalars(query.options(joinedload(Booking.venue))))


@dataclass(frozen=True)
class Move:
    """A change staff make to a booking; None means "keep"; room/tables pick exact places."""

    check_in: date | None = None
    check_out: date | None = None
    room_type_id: int | None = None
    room_id: int | None = None
    starts_at: datetime | None = None
    party_size: int | None = None
    table_ids: list[int] | None = None


def desk_move(
    session: Session, *, booking: Booking, move: Move, actor: str, now: datetime | None = None
) -> Booking:
    """Move a guest to other dates, another time, or a chosen room or tables (engine modify)."""
    room_type_id, resources = move.room_type_id, None
    if move.room_id is not None:
        room = session.get(Room, move.room_id)
        if room is None or room.room_type.venue_id != booking.venue_id:
            raise ValidationError("That room is not at this booking's hotel.")
        room_type_id, resources = room_type_id or room.room_type_id, [room.resource]
    if move.table_ids is not None:
        tables = [session.get(Table, table_id) for table_id in move.table_ids]
        if not tables or any(t is None or t.venue_id != booking.venue_id for t in tables):
            raise ValidationError("Those tables are not all at this booking's restaurant.")
        resources = [t.resource for t in tables if t is not None]
    return modify(
        session,
        booking=booking,
        actor=actor,
        now=now,
        check_in=move.check_in,
        check_out=move.check_out,
        room_type_id=room_type_id,
        starts_at=move.starts_at,
        party_size=move.party_size,
        resources=resources,
    )


def find_guest(session: Session, *, business_id: int, phone: str) -> Guest:
    """The business's guest with this phone number; NotFoundError when they never wrote."""
    guest = session.scalar(
        select(Guest).where(Guest.business_id == business_id, Guest.phone == normalize_phone(phone))
    )
    if guest is None:
        raise NotFoundError("No guest with that phone number.")
    return guest
