"""The hotel next door: a guest whose dates are full at one hotel hears that the business's
other hotel has them free (its cheapest room, the total, the number to write to), and books
there by writing to it; never a hotel of another business, never when the owner said no."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import in_days
from tests.hotels import fill_hotel, other_business_hotel

Make = Callable[..., ChatGuest]
ARRIVE, LEAVE = in_days(10), in_days(12)
ASK = f"room for 2 from {ARRIVE.day} {ARRIVE:%b} to {LEAVE.day} {LEAVE:%b}"
SISTER = "Our sister hotel Palm Cove Inn has a Garden room free for exactly these dates"


def _fill(sessions: sessionmaker[Session], slug: str) -> None:
    """Every room of the hotel ``slug`` taken for the two nights asked for."""
    with sessions.begin() as session:
        hotel = session.scalars(select(Venue).where(Venue.slug == slug)).one()
        fill_hotel(session, hotel, ARRIVE)


def _suggestions(sessions: sessionmaker[Session]) -> list[Recommendation]:
    with sessions() as session:
        query = select(Recommendation).where(Recommendation.kind == RecommendationKind.SISTER_VENUE)
        return list(session.scalars(query))


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_full_hotel_names_the_sister_hotel_free_for_those_dates(
    guest_factory: Make, sessions: sessionmaker[Session], channel: str
) -> None:
    _fill(sessions, "seaside-hotel")
    guest = guest_factory("hotel", channel)
    *note, reply = guest.say(ASK)
    assert reply.has("alternatives")  # today's nearest dates are still offered
    (sister,) = [text for text in [*(n.text for n in note), reply.text] if SISTER in text]
    money = "Rs 5,600" if channel == "sms" else "₹5,600"
    assert f"for 2 guests: {money} for 2 nights" in sister
    assert "message Palm Cove Inn at +15005550009" in sister
    # Above the list: in its own message where both would not reach an SMS whole.
    assert len(note) == (1 if channel == "sms" else 0)
    assert reply.text.index("nearest free options") > (-1 if note else reply.text.index(SISTER))
    assert guest.bookings() == []  # nothing is booked at the other hotel from here
    (suggestion,) = _suggestions(sessions)
    assert suggestion.outcome == Outcome.OFFERED
    assert suggestion.candidates[0]["label"].startswith("palm-cove Garden")


def test_booking_at_the_sister_hotel_takes_the_suggestion(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill(sessions, "seaside-hotel")
    guest = guest_factory("hotel", "whatsapp")
    guest.say(ASK)
    there = guest_factory("inn", "whatsapp", phone=guest.phone, seen=guest.seen)
    (rooms,) = there.say(ASK)
    assert rooms.has("choose_room") and rooms.options[0][0] == "offer:0"
    (held,) = there.tap(*rooms.options[0])  # the list named the whole stay: one tap holds
    assert held.has("held_payment") and "Garden room" in held.text
    (booking,) = guest.bookings()
    (suggestion,) = _suggestions(sessions)
    assert suggestion.outcome == Outcome.ACCEPTED
    assert (suggestion.booking_id, suggestion.revenue) == (booking.id, 2 * 280_000)


def test_no_suggestion_when_the_owner_turned_it_off(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill(sessions, "seaside-hotel")
    with sessions.begin() as session:
        hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
        hotel.settings = {**hotel.settings, "recommendations": {"sister_venue": False}}
    (reply,) = guest_factory("hotel", "sms").say(ASK)  # one message: the list alone
    assert reply.has("alternatives") and "sister hotel" not in reply.text
    assert _suggestions(sessions) == []


def test_another_businesss_hotel_is_never_suggested(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill(sessions, "seaside-hotel")
    _fill(sessions, "palm-cove")
    with sessions.begin() as session:
        other_business_hotel(session)
    (reply,) = guest_factory("hotel", "whatsapp").say(ASK)
    assert reply.has("alternatives")
    assert "Elsewhere" not in reply.text and "sister hotel" not in reply.text
    assert _suggestions(sessions) == []
