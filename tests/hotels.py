"""Hotels set up for the tests of the hotel next door (the engine's and the chat's): a hotel of
another business to be never suggested, and a hotel with no room left for a stay."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bookings.enums import Channel
from engine.bookings.service import confirm, place_hold
from engine.guests.service import get_or_create_guest
from engine.inventory.models import Room, RoomType
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue
from tests.offers import stay_offer

#: The guest who takes every room; no test chats or books as this number.
FILLER_PHONE = "+919899999999"


def other_business_hotel(session: Session) -> Venue:
    """A hotel of another business, free on every date and cheaper than any demo room: were
    the business boundary missed, it would be the one suggested."""
    other = Business(name="Elsewhere", slug="elsewhere")
    session.add(other)
    session.flush()
    hotel = Venue(
        business_id=other.id,
        kind=VenueKind.HOTEL,
        name="Elsewhere Lodge",
        slug="elsewhere-lodge",
        timezone="Asia/Kolkata",
        currency="INR",
        sms_number="+15005550099",
    )
    session.add(hotel)
    session.flush()
    cheap = RoomType(venue_id=hotel.id, name="Cheap", capacity=2, nightly_rate=100_000)
    session.add(cheap)
    session.flush()
    session.add(Room(room_type_id=cheap.id, number="1"))
    session.flush()
    return hotel


def fill_hotel(
    session: Session, hotel: Venue, check_in: date, *, now: datetime | None = None
) -> None:
    """Every room of ``hotel`` booked and paid for the two nights from ``check_in``."""
    guest = get_or_create_guest(session, business_id=hotel.business_id, phone=FILLER_PHONE)
    types = list(session.scalars(select(RoomType).where(RoomType.venue_id == hotel.id)))
    for room_type in types:
        rooms = list(session.scalars(select(Room).where(Room.room_type_id == room_type.id)))
        for _ in rooms:
            offer = stay_offer(hotel, room_type, check_in, 2, guests=min(2, room_type.capacity))
            booking = place_hold(
                session, offer=offer, guest=guest, channel=Channel.SMS, actor="test", now=now
            )
            confirm(session, booking=booking, actor="test", amount_paid=booking.amount, now=now)
