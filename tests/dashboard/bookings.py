"""Bookings the browser tests start from, made directly through the engine (no chat)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.requests import StayRequest
from engine.availability.rooms import RoomWish, search_room_set
from engine.bookings.approvals import request_approval
from engine.bookings.enums import Channel
from engine.bookings.models import Booking
from engine.bookings.service import confirm, place_hold
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.tenants.models import Venue
from tests.offers import stay_offer

GUEST_PHONE = "+919811111111"
NIGHTS = 2


def demo_hotel(session: Session) -> Venue:
    return session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()


def held_stay(
    session: Session, check_in: date, *, phone: str = GUEST_PHONE, now: datetime | None = None
) -> Booking:
    """A two-night Deluxe stay (₹5,500 a night) held at the demo hotel at ``now``, by default
    five days before check-in."""
    hotel = demo_hotel(session)
    room_type = session.scalars(
        select(RoomType).where(RoomType.venue_id == hotel.id, RoomType.name == "Deluxe")
    ).one()
    guest = get_or_create_guest(session, business_id=hotel.business_id, phone=phone, name="Meera")
    offer = stay_offer(hotel, room_type, check_in, NIGHTS)
    now = now or datetime.combine(check_in - timedelta(days=5), clock(9), tzinfo=UTC)
    return place_hold(
        session, offer=offer, guest=guest, channel=Channel.WHATSAPP, actor="guest", now=now
    )


def confirmed_stay(session: Session, check_in: date, *, phone: str = GUEST_PHONE) -> Booking:
    """A paid two-night Deluxe stay at the demo hotel (₹11,000)."""
    hold = held_stay(session, check_in, phone=phone)
    return confirm(
        session, booking=hold, actor="razorpay", now=hold.created_at, amount_paid=hold.amount
    )


def held_rooms(
    session: Session, check_in: date, rooms: int, *, now: datetime, phone: str = GUEST_PHONE
) -> Booking:
    """``rooms`` Standard rooms for two guests each at the demo hotel for two nights, held."""
    hotel = demo_hotel(session)
    stay = StayRequest(check_in, check_in + timedelta(days=NIGHTS), 2 * rooms)
    offer = search_room_set(session, hotel, stay, [RoomWish()] * rooms, now=now)
    assert offer is not None
    guest = get_or_create_guest(session, business_id=hotel.business_id, phone=phone, name="Meera")
    return place_hold(session, offer=offer, guest=guest, channel=Channel.SMS, actor="g", now=now)


def confirmed_rooms(session: Session, check_in: date, *, phone: str = GUEST_PHONE) -> Booking:
    """Two Standard rooms for four at the demo hotel for two nights, confirmed at the desk."""
    now = datetime.combine(check_in - timedelta(days=5), clock(9), tzinfo=UTC)
    hold = held_rooms(session, check_in, 2, now=now, phone=phone)
    return confirm(session, booking=hold, actor="desk", now=now)


def group_request(session: Session, check_in: date) -> Booking:
    """Four rooms held by chat just now, waiting for the owner to accept or decline."""
    now = datetime.now(UTC)
    hold = held_rooms(session, check_in, 4, now=now)
    request_approval(session, booking=hold, actor="guest", now=now)
    return hold
