"""Bookings the browser tests start from, made directly through the engine (no chat)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer
from engine.bookings.enums import Channel
from engine.bookings.models import Booking
from engine.bookings.service import confirm, place_hold
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.tenants.models import Venue

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
    offer = RoomOffer(
        hotel.id,
        room_type.id,
        room_type.name,
        room_type.capacity,
        check_in,
        check_in + timedelta(days=NIGHTS),
        2,
        NIGHTS,
        0,
        hotel.currency,
        1,
    )
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
