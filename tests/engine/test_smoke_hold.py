"""A first end-to-end pass through search and hold on the demo hotel."""

from datetime import date

from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.service import place_hold
from tests.conftest import NOW
from tests.engine.conftest import Demo


def test_search_then_hold_takes_one_room_for_each_night(session: Session, demo: Demo) -> None:
    found = search_availability(
        session,
        venue=demo.hotel,
        request=StayRequest(date(2026, 12, 24), date(2026, 12, 27), 2),
        now=NOW,
    )
    offers = [o for o in found if isinstance(o, RoomOffer)]
    assert [o.room_type_name for o in offers] == ["Standard", "Deluxe", "Suite"]
    assert offers[0].total_amount == 3 * 350_000
    booking = place_hold(
        session, offer=offers[0], guest=demo.guest, channel=Channel.SMS, actor="guest", now=NOW
    )
    session.commit()
    assert booking.status == BookingStatus.HELD
    assert sorted(c.unit for c in booking.claims) == ["2026-12-24", "2026-12-25", "2026-12-26"]
    again = search_availability(
        session,
        venue=demo.hotel,
        request=StayRequest(date(2026, 12, 24), date(2026, 12, 27), 2),
        now=NOW,
    )
    assert isinstance(again[0], RoomOffer) and again[0].rooms_left == 4
