"""The hotel next door: a full hotel finds the business's other hotel free for the same stay,
never a hotel of another business, and a booking there counts as the suggestion taken."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.requests import StayRequest
from engine.bookings.enums import Channel
from engine.bookings.service import place_hold
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from engine.recommendations.service import record
from engine.recommendations.sister import candidate, note_sister_booked, sister_stay
from engine.seed import seed_demo
from engine.tenants.models import Venue
from tests.conftest import NOW
from tests.hotels import fill_hotel, other_business_hotel
from tests.offers import stay_offer

CHECK_IN = (NOW + timedelta(days=10)).date()
STAY = StayRequest(CHECK_IN, CHECK_IN + timedelta(days=2), 2)


def _venue(session: Session, slug: str) -> Venue:
    return session.scalars(select(Venue).where(Venue.slug == slug)).one()


def test_a_full_hotel_finds_the_sister_hotels_cheapest_room_for_the_same_stay(
    session: Session,
) -> None:
    seed_demo(session)
    seaside, inn = _venue(session, "seaside-hotel"), _venue(session, "palm-cove")
    other_business_hotel(session)  # cheaper, but of another business
    found = sister_stay(session, venue=seaside, request=STAY, now=NOW)
    assert found is not None and found.venue.id == inn.id
    offer = found.offer
    assert (offer.room_type_name, offer.check_in, offer.nights) == ("Garden", CHECK_IN, 2)
    assert offer.total_amount == 2 * 280_000
    back = sister_stay(session, venue=inn, request=STAY, now=NOW)
    assert back is not None and back.venue.id == seaside.id  # and the other way round


def test_no_sister_when_it_is_full_too_nor_for_a_party_no_room_there_sleeps(
    session: Session,
) -> None:
    seed_demo(session)
    seaside, inn = _venue(session, "seaside-hotel"), _venue(session, "palm-cove")
    other_business_hotel(session)
    big = StayRequest(STAY.check_in, STAY.check_out, 5)
    assert sister_stay(session, venue=seaside, request=big, now=NOW) is None
    fill_hotel(session, inn, CHECK_IN, now=NOW)
    assert sister_stay(session, venue=seaside, request=STAY, now=NOW) is None


def test_a_stay_booked_at_the_sister_hotel_takes_the_suggestion(session: Session) -> None:
    seed_demo(session)
    seaside, inn = _venue(session, "seaside-hotel"), _venue(session, "palm-cove")
    found = sister_stay(session, venue=seaside, request=STAY, now=NOW)
    assert found is not None
    guest = get_or_create_guest(session, business_id=seaside.business_id, phone="+919800000002")
    made = record(
        session,
        venue=seaside,
        guest_id=guest.id,
        kind=RecommendationKind.SISTER_VENUE,
        method="rule",
        candidates=[candidate(found, "Garden")],
        why={},
        now=NOW,
    )
    garden = session.scalars(select(RoomType).where(RoomType.name == "Garden")).one()
    standard = session.scalars(select(RoomType).where(RoomType.name == "Standard")).one()
    elsewhere = place_hold(
        session,
        offer=stay_offer(seaside, standard, CHECK_IN, 2),
        guest=guest,
        channel=Channel.SMS,
        actor="test",
        now=NOW,
    )
    note_sister_booked(session, booking=elsewhere, now=NOW)  # not at the hotel it named
    recommendation = session.get(Recommendation, made)
    assert recommendation is not None and recommendation.outcome == Outcome.OFFERED
    late = NOW + timedelta(days=4)
    there = place_hold(
        session,
        offer=stay_offer(inn, garden, CHECK_IN, 2),
        guest=guest,
        channel=Channel.SMS,
        actor="test",
        now=late,
    )
    note_sister_booked(session, booking=there, now=late)  # too long after
    assert recommendation.outcome == Outcome.OFFERED
    note_sister_booked(session, booking=there, now=NOW + timedelta(hours=1))
    assert recommendation.outcome == Outcome.ACCEPTED
    assert (recommendation.booking_id, recommendation.revenue) == (there.id, there.amount)
    assert there.amount > 0
