"""The venue next door: a confirmed stay is offered a table at the business's restaurant on the
arrival evening, in the confirmation message, once; one tap (WhatsApp) or "1" (SMS) books it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.bookings.references import new_reference
from engine.db import utcnow
from engine.guests.models import Guest
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from engine.risk.service import MAX_HOLDS_PER_HOUR
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import in_days, local_start
from tests.payments.checkout import Checkout, paid_event

Make = Callable[..., ChatGuest]


def _stay_paid(guest: ChatGuest, checkout: Checkout, days: int) -> Reply:
    """Book a Standard room for 2 from ``days`` ahead, pay its link; the confirmation."""
    day = in_days(days)
    guest.say(f"standard room for 2 from {day.day} {day:%b} for 2 nights")
    if guest.channel == "whatsapp":
        guest.tap("yes")
    else:
        guest.say("Asha Rao")
    checkout.post(paid_event(checkout.links(guest.phone)[-1]))  # the newest link
    (confirmed,) = guest.receive(at_least=1)
    assert confirmed.has("payment_confirmed")
    return confirmed


def _cross_sells(sessions: sessionmaker[Session]) -> list[Recommendation]:
    with sessions() as session:
        query = select(Recommendation).where(Recommendation.kind == RecommendationKind.CROSS_SELL)
        return list(session.scalars(query))


def test_a_confirmed_stay_gets_one_tap_dinner_next_door_on_whatsapp_once(
    guest_factory: Make, checkout: Checkout, sessions: sessionmaker[Session]
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    confirmed = _stay_paid(guest, checkout, 5)
    assert confirmed.has("cross_sell_offer") and "Spice Garden" in confirmed.text
    assert "a table for 2 on" in confirmed.text and "20:00" in confirmed.text
    assert [o[0] for o in confirmed.options] == ["yes", "no"]
    assert len(guest.bookings()) == 1  # an offer books nothing
    (booked,) = guest.tap("yes")
    assert booked.has("cross_sell_booked")
    stay, table = guest.bookings()
    assert table.reference in booked.text and table.status == BookingStatus.CONFIRMED
    assert table.party_size == 2 and local_start(table).date() == stay.check_in
    assert f"{local_start(table):%H:%M}" == "20:00"
    with sessions() as session:
        assert session.get(Venue, table.venue_id).slug == "spice-garden"  # type: ignore[union-attr]
    (offer,) = _cross_sells(sessions)
    assert offer.outcome == Outcome.ACCEPTED and offer.booking_id == table.id
    assert offer.method == "rule"  # a fresh business: too little history to learn from
    second = _stay_paid(guest, checkout, 9)
    assert not second.has("cross_sell_offer") and second.options == []  # never twice
    assert len(_cross_sells(sessions)) == 1


def test_on_sms_the_number_books_the_table(
    guest_factory: Make, checkout: Checkout, sessions: sessionmaker[Session]
) -> None:
    guest = guest_factory("hotel", "sms")
    confirmed = _stay_paid(guest, checkout, 6)
    assert confirmed.has("cross_sell_offer") and "1)" in confirmed.text
    (booked,) = guest.say("1")
    assert booked.has("cross_sell_booked")
    assert [b.status for b in guest.bookings()] == [BookingStatus.CONFIRMED] * 2


def test_no_thanks_books_nothing_and_other_requests_are_served_as_usual(
    guest_factory: Make, checkout: Checkout, sessions: sessionmaker[Session]
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Ravi")
    _stay_paid(guest, checkout, 7)
    (declined,) = guest.tap("no")
    assert declined.has("cross_sell_declined")
    assert len(guest.bookings()) == 1
    other = guest_factory("hotel", "whatsapp", name="Meera")
    _stay_paid(other, checkout, 8)
    (mine,) = other.say("my bookings")
    assert other.bookings()[0].reference in mine.text


def test_the_owner_can_turn_the_venue_next_door_off(
    guest_factory: Make, checkout: Checkout, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
        hotel.settings = {**hotel.settings, "recommendations": {"cross_sell": False}}
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    confirmed = _stay_paid(guest, checkout, 5)
    assert not confirmed.has("cross_sell_offer")
    assert _cross_sells(sessions) == []


def test_a_guest_who_opted_out_is_never_offered_it(
    guest_factory: Make, checkout: Checkout, sessions: sessionmaker[Session]
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    day = in_days(5)
    guest.say(f"standard room for 2 from {day.day} {day:%b} for 2 nights")
    guest.tap("yes")
    with sessions.begin() as session:
        session.scalars(
            select(Guest).where(Guest.phone == guest.phone)
        ).one().opted_out_whatsapp = True
    checkout.post(paid_event(checkout.link(guest.phone)))
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED
    assert _cross_sells(sessions) == []


def _started_just_now(sessions: sessionmaker[Session], phone: str, count: int) -> None:
    """``count`` more bookings the guest started a moment ago (cancelled: they hold nothing)."""
    now = utcnow()
    with sessions.begin() as session:
        guest = session.scalars(select(Guest).where(Guest.phone == phone)).one()
        stay = session.scalars(select(Booking).where(Booking.guest_id == guest.id)).one()
        for _ in range(count):
            session.add(
                Booking(
                    reference=new_reference(),
                    venue_id=stay.venue_id,
                    guest_id=guest.id,
                    status=BookingStatus.CANCELLED,
                    channel=Channel.WHATSAPP,
                    party_size=2,
                    currency=stay.currency,
                    created_at=now,
                    updated_at=now,
                )
            )


def test_a_guest_at_the_hold_rate_cannot_book_the_table_next_door(
    guest_factory: Make, checkout: Checkout, sessions: sessionmaker[Session]
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    confirmed = _stay_paid(guest, checkout, 5)
    assert confirmed.has("cross_sell_offer")
    _started_just_now(sessions, guest.phone, MAX_HOLDS_PER_HOUR - 1)  # the stay is the first
    (refused,) = guest.tap("yes")
    assert refused.has("rate_limited"), refused.text
    assert len(guest.bookings()) == MAX_HOLDS_PER_HOUR  # no table held
    (offer,) = _cross_sells(sessions)
    assert offer.booking_id is None
