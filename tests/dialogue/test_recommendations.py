"""Recommendations in the conversation: the guest's usual, and alternatives ranked by the
business's model, each recorded with what it brought."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.service import confirm, place_hold
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.features import FEATURE_NAMES
from engine.recommendations.models import RankingModel, Recommendation
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import in_days, local_start, lunch_day
from tests.offers import stay_offer

Make = Callable[..., ChatGuest]


def _regular(guest_factory: Make, channel: str = "whatsapp") -> ChatGuest:
    """A guest who has come twice for 2 at 20:00 (booked through the chat)."""
    guest = guest_factory("restaurant", channel, name="Asha")
    for days in (2, 3):
        day = in_days(days)
        (offer,) = guest.say(f"table for 2 on {day.day} {day:%b} at 8pm")
        if offer.has("confirm_offer_name"):
            guest.say("Asha")
        elif channel == "sms":
            guest.say("yes")
        else:
            guest.tap("yes")
    assert [b.status for b in guest.bookings()] == [BookingStatus.CONFIRMED] * 2
    return guest


def _recommendations(sessions: sessionmaker[Session]) -> list[Recommendation]:
    with sessions() as session:
        return list(session.scalars(select(Recommendation).order_by(Recommendation.id)))


def test_a_returning_guest_gets_their_usual_filled_in_and_books_it_with_a_yes(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    guest = _regular(guest_factory)
    (usual,) = guest.say("table tomorrow please")
    assert "For 2 at 20:00 as usual, Asha?" in usual.text
    assert f"{in_days(1):%-d %b}" in usual.text  # the date is on screen too
    assert [o[0] for o in usual.options] == ["yes", "no"]
    assert len(guest.bookings()) == 2  # a proposal books nothing
    (done,) = guest.tap("yes")
    assert done.has("confirmed")
    booking = guest.bookings()[-1]
    assert booking.party_size == 2 and f"{local_start(booking):%H:%M}" == "20:00"
    assert local_start(booking).date() == in_days(1)
    (recommendation,) = _recommendations(sessions)
    assert recommendation.kind == RecommendationKind.USUAL
    assert recommendation.outcome == Outcome.ACCEPTED
    assert recommendation.booking_id == booking.id
    assert recommendation.contributions["visits"] == 2


def test_a_declined_usual_asks_for_the_guests_own_details(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    guest = _regular(guest_factory)
    when, _ = lunch_day(4)  # lunch that day, and none of the regular's visits (2 and 3 ahead)
    (usual,) = guest.say(f"book again for {when.removeprefix('on ')}")
    assert "as usual, Asha?" in usual.text
    (ask,) = guest.tap("no")
    assert ask.has("usual_declined") and ask.has("ask_time_party")
    (offer,) = guest.say("4 people at 1pm")
    assert offer.has("confirm_offer") and "as usual" not in offer.text
    assert "for 4" in offer.text and "13:00" in offer.text
    guest.tap("yes")
    booking = guest.bookings()[-1]
    assert booking.party_size == 4 and f"{local_start(booking):%H:%M}" == "13:00"
    (recommendation,) = _recommendations(sessions)
    assert recommendation.outcome == Outcome.OFFERED  # never taken


def test_a_usual_half_overridden_keeps_only_what_the_guest_did_not_say(
    guest_factory: Make,
) -> None:
    guest = _regular(guest_factory, "sms")
    (usual,) = guest.say("table for 3 tomorrow")
    assert "For 3 at 20:00 as usual" in usual.text


def test_a_new_guest_is_asked_as_before(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Nora")
    (ask,) = guest.say("table tomorrow please")
    assert ask.has("ask_time_party")


def test_the_owner_can_turn_the_usual_off(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    guest = _regular(guest_factory)
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "spice-garden"))
        assert venue is not None
        venue.settings = {**venue.settings, "recommendations": {"usual": False}}
    (ask,) = guest.say("table tomorrow please")
    assert ask.has("ask_time_party")


def _fill_eight_pm_for_six(guest_factory: Make) -> None:
    """Three seatings fit six at 20:00 (T9, T10, T7+T8): three guests take them."""
    for n in range(3):
        guest = guest_factory("restaurant", "sms")
        guest.say("table for 6 tomorrow 8pm")
        guest.say(f"Guest {'ABC'[n]}")


def test_alternatives_are_at_most_three_and_a_taken_one_is_recorded_with_its_revenue(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill_eight_pm_for_six(guest_factory)
    late = guest_factory("restaurant", "whatsapp", name="Zara")
    (alternatives,) = late.say("table for 6 tomorrow 8pm")
    assert alternatives.has("alternatives")
    offers = [o for o in alternatives.options if o[0].startswith("offer:")]
    assert len(offers) == 3 and alternatives.options[-1][0] == "waitlist:join"
    late.tap(*offers[1])
    late.tap("yes")
    booking = late.bookings()[0]
    (recommendation,) = [
        r for r in _recommendations(sessions) if r.kind == RecommendationKind.ALTERNATIVES
    ]
    assert recommendation.method == "rule" and len(recommendation.candidates) == 3
    assert recommendation.outcome == Outcome.ACCEPTED and recommendation.chosen == 1
    assert recommendation.revenue == booking.amount == 6 * 20_000


def test_alternatives_follow_the_business_model_and_say_why(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill_eight_pm_for_six(guest_factory)
    with sessions.begin() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == "spice-garden"))
        assert venue is not None
        weights = [0.0] * len(FEATURE_NAMES)
        weights[FEATURE_NAMES.index("later")] = 3.0  # this business's guests take later times
        session.add(
            RankingModel(
                business_id=venue.business_id,
                venue_kind="restaurant",
                mean=[0.0] * len(FEATURE_NAMES),
                scale=[1.0] * len(FEATURE_NAMES),
                weights=weights,
                intercept=0.0,
                cases=100,
                accepted=60,
            )
        )
    late = guest_factory("restaurant", "whatsapp", name="Zara")
    (alternatives,) = late.say("table for 6 tomorrow 8pm")
    times = [title for option_id, title in alternatives.options if option_id.startswith("offer:")]
    assert times and all(t > "20:00" for t in times[:2])
    (recommendation,) = _recommendations(sessions)
    assert recommendation.method == "model"
    assert max(recommendation.contributions, key=recommendation.contributions.__getitem__) == (
        "later"
    )


def test_a_returning_hotel_guest_gets_their_usual_room_nights_and_guests(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    with sessions.begin() as session:
        hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
        deluxe = session.scalars(
            select(RoomType).where(RoomType.venue_id == hotel.id, RoomType.name == "Deluxe")
        ).one()
        regular = get_or_create_guest(
            session, business_id=hotel.business_id, phone=guest.phone, name="Asha"
        )
        for days in (20, 40):
            stay = place_hold(
                session,
                offer=stay_offer(hotel, deluxe, in_days(days), 2, guests=3),
                guest=regular,
                channel=Channel.WHATSAPP,
                actor="test",
            )
            confirm(session, booking=stay, actor="test", amount_paid=stay.amount)
    day = in_days(10)
    (usual,) = guest.say(f"a room from {day.day} {day:%b} please")
    assert "As usual, Asha?" in usual.text
    assert "Deluxe room for 3 guests" in usual.text and "(2 nights)" in usual.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    booking = guest.bookings()[-1]
    assert (booking.check_in, booking.party_size) == (day, 3)
    assert booking.check_out is not None and (booking.check_out - day).days == 2
