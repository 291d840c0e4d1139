"""Families book several rooms in one booking: "2 rooms for 4 people" is two rooms, not one
suite; every room is shown with its guests and price before the yes, held all together under
one reference, paid by one link and cancelled as one booking (or one room at a time).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select

from engine.bookings.enums import Approval, BookingStatus
from engine.bookings.models import Booking, BookingRoom, Claim
from engine.inventory.models import RoomType
from engine.payments.models import Refund
from engine.seed import OWNER_EMAIL, OWNER_PASSWORD
from tests.dialogue.harness import ChatGuest, Reply
from tests.dialogue.helpers import next_date
from tests.payments.checkout import Checkout, find

Make = Callable[..., ChatGuest]
STANDARD_STAY = 3 * 350_000  # a Standard room, 24-27 Dec


def _yes(guest: ChatGuest, proposal: Reply) -> list[Reply]:
    """Say yes to what is on screen (a tap on WhatsApp, the name the bot asks for on SMS)."""
    if proposal.has("confirm_offer_name"):
        return guest.say(guest.name)
    return guest.tap("yes") if guest.channel == "whatsapp" else guest.say("yes")


def _rooms(guest: ChatGuest, booking: Booking) -> list[tuple[str, int, int]]:
    """(room type, guests, price) of each room of the booking, in order."""
    with guest.sessions() as session:
        rows = session.execute(
            select(RoomType.name, BookingRoom.guests, BookingRoom.amount)
            .join(RoomType, RoomType.id == BookingRoom.room_type_id)
            .where(BookingRoom.booking_id == booking.id)
            .order_by(BookingRoom.id)
        )
        return [(name, guests, amount) for name, guests, amount in rows]


def _claims(guest: ChatGuest, booking: Booking) -> int:
    with guest.sessions() as session:
        return len(session.scalars(select(Claim.id).where(Claim.booking_id == booking.id)).all())


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_two_rooms_for_four_are_booked_paid_and_cancelled_as_one_booking(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("hotel", channel)
    checkout = Checkout(guest.stack, guest.sessions)
    (proposal,) = guest.say("2 rooms for 4 people 24-27 Dec")
    assert proposal.has("confirm_offer") or proposal.has("confirm_offer_name"), proposal.text
    assert proposal.text.count("Standard room for 2") == 2, proposal.text
    assert "Suite" not in proposal.text
    assert "Thu 24 Dec" in proposal.text and "Sun 27 Dec" in proposal.text
    assert "21,000" in proposal.text  # both rooms' three nights together

    (held,) = _yes(guest, proposal)
    assert held.has("held_payment"), held.text
    (booking,) = guest.bookings()
    assert (booking.status, booking.party_size, booking.amount) == (
        BookingStatus.PENDING_PAYMENT,
        4,
        2 * STANDARD_STAY,
    )
    assert _rooms(guest, booking) == [("Standard", 2, STANDARD_STAY)] * 2
    assert _claims(guest, booking) == 2 * 3
    assert booking.check_in == next_date(12, 24) and booking.check_out == next_date(12, 27)

    link = checkout.link(guest.phone)
    assert link["amount"] == 2 * STANDARD_STAY and link["reference_id"] == booking.reference
    checkout.pay(link["id"])
    (confirmed,) = guest.receive()
    assert booking.reference in confirmed.text
    assert checkout.booking(booking.reference).status == BookingStatus.CONFIRMED

    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel_refund"), quote.text
    assert "2 rooms" in quote.text
    replies = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    find(replies, "cancelled_refund")
    checkout.settle()
    (cancelled,) = guest.bookings()
    assert cancelled.status == BookingStatus.CANCELLED and _claims(guest, cancelled) == 0
    with guest.sessions() as session:
        refunds = session.scalars(select(Refund).where(Refund.booking_id == booking.id)).all()
        assert sum(refund.amount for refund in refunds) == 2 * STANDARD_STAY


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_one_room_is_cancelled_on_its_own_with_its_share_refunded_then_the_rest(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("hotel", channel)
    checkout = Checkout(guest.stack, guest.sessions)
    (proposal,) = guest.say("2 rooms for 4 people 24-27 Dec")
    _yes(guest, proposal)
    checkout.pay(checkout.link(guest.phone)["id"])
    guest.receive()
    (booking,) = guest.bookings()

    (quote,) = guest.say("cancel one room")
    assert quote.has("confirm_cancel_room_refund"), quote.text
    assert "Standard room, 3 nights, Thu 24 Dec to Sun 27 Dec, 2 guests" in quote.text
    assert "10,500 back (100%" in quote.text
    replies = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    find(replies, "room_cancelled_refund")
    checkout.settle()
    guest.receive()  # the refund's news
    (kept,) = guest.bookings()
    assert (kept.status, kept.party_size, kept.amount) == (
        BookingStatus.CONFIRMED,
        2,
        STANDARD_STAY,
    )
    assert _claims(guest, kept) == 3

    (rest,) = guest.say("cancel my booking")
    assert rest.has("confirm_cancel_refund") and "Standard room" in rest.text, rest.text
    replies = guest.tap("yes") if channel == "whatsapp" else guest.say("yes")
    find(replies, "cancelled_refund")
    checkout.settle()
    with guest.sessions() as session:
        refunds = session.scalars(select(Refund).where(Refund.booking_id == booking.id)).all()
        assert sorted(refund.amount for refund in refunds) == [STANDARD_STAY, STANDARD_STAY]


@pytest.mark.parametrize(
    ("words", "rooms"),
    [
        ("2 doubles and a single 24-27 Dec", [("Standard", 2), ("Standard", 2), ("Standard", 1)]),
        ("a suite and a deluxe room 24-27 Dec for 6", [("Suite", 3), ("Deluxe", 3)]),
    ],
)
def test_mixed_rooms_are_each_shown_with_their_guests_before_the_yes(
    guest_factory: Make, words: str, rooms: list[tuple[str, int]]
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    (proposal,) = guest.say(words)
    assert proposal.has("confirm_offer"), proposal.text
    for name, guests in rooms:
        assert f"{name} room for {guests}" in proposal.text, proposal.text
    (held,) = guest.tap("yes")
    assert held.has("held_payment"), held.text
    (booking,) = guest.bookings()
    assert [(name, guests) for name, guests, _ in _rooms(guest, booking)] == rooms
    assert booking.party_size == sum(guests for _, guests in rooms)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_change_of_several_rooms_goes_to_a_person_and_changes_nothing(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("hotel", channel)
    (proposal,) = guest.say("2 rooms for 4 people 24-27 Dec")
    _yes(guest, proposal)
    (before,) = guest.bookings()
    (answer,) = guest.say("change my booking to 25-28 Dec")
    assert answer.has("rooms_change_by_staff") and before.reference in answer.text, answer.text
    if channel == "whatsapp":
        assert answer.options == [("menu:agent", "Talk to a person")]
    else:
        assert "Talk to a person" in answer.text
    (after,) = guest.bookings()
    assert (after.check_in, after.check_out) == (before.check_in, before.check_out)


def test_a_double_and_a_twin_without_a_head_count_is_shown_for_four(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms", name="")
    (proposal,) = guest.say("a double and a twin 24-27 Dec")
    assert proposal.has("confirm_offer_name"), proposal.text
    assert "2 rooms for 4 guests" in proposal.text
    assert guest.bookings() == []


def test_rooms_not_free_together_are_said_so_and_nothing_is_held(guest_factory: Make) -> None:
    guest = guest_factory("hotel", "sms")
    (proposal,) = guest.say("2 suites 24-27 Dec for 4")
    assert proposal.has("rooms_unavailable"), proposal.text
    assert guest.bookings() == []


def _owner(guest: ChatGuest, action: str, reference: str) -> None:
    """The demo owner accepts or declines a request through the owner API."""
    url = guest.stack.url
    form = {"username": OWNER_EMAIL, "password": OWNER_PASSWORD}
    token = httpx.post(f"{url}/api/v1/auth/token", data=form, timeout=30).json()["access_token"]
    answer = httpx.post(
        f"{url}/api/v1/bookings/{reference}/{action}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def _group_request(guest: ChatGuest) -> Booking:
    """Four rooms for eight, above the demo hotel's three by chat: confirmed, then put to staff."""
    (proposal,) = guest.say("4 rooms for 8 people 24-27 Dec")
    assert proposal.text.count("Standard room for 2") == 4, proposal.text
    (sent,) = _yes(guest, proposal)
    assert sent.has("group_request_sent"), sent.text
    (booking,) = guest.bookings()
    assert booking.reference in sent.text
    assert (booking.status, booking.approval) == (BookingStatus.HELD, Approval.PENDING)
    assert _claims(guest, booking) == 4 * 3
    return booking


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_group_above_the_chat_limit_is_accepted_by_the_owner_then_paid(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("hotel", channel)
    checkout = Checkout(guest.stack, guest.sessions)
    booking = _group_request(guest)
    assert checkout.links(guest.phone) == []  # nothing to pay before the owner's yes

    _owner(guest, "accept", booking.reference)
    replies = guest.receive(at_least=2)
    assert find(replies, "request_accepted_pay").text.count(booking.reference) == 1
    assert booking.reference in find(replies, "held_payment").text
    link = checkout.link(guest.phone)
    assert link["amount"] == 4 * STANDARD_STAY
    checkout.pay(link["id"])
    guest.receive()
    assert checkout.booking(booking.reference).status == BookingStatus.CONFIRMED


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_declined_group_frees_its_rooms_and_the_guest_is_told(
    guest_factory: Make, channel: str
) -> None:
    guest = guest_factory("hotel", channel)
    booking = _group_request(guest)
    _owner(guest, "decline", booking.reference)
    (told,) = guest.receive(at_least=1)
    assert told.has("request_declined") and booking.reference in told.text
    (declined,) = guest.bookings()
    assert (declined.status, declined.approval) == (BookingStatus.CANCELLED, Approval.DECLINED)
    assert _claims(guest, declined) == 0


@pytest.mark.parametrize(
    ("words", "language"),
    [
        ("do kamre chahiye 4 log 24-27 Dec", "hi-Latn"),
        ("dos habitaciones para 4 del 24 al 27 de diciembre", "es"),
    ],
)
def test_two_rooms_are_asked_for_in_hindi_and_spanish(
    guest_factory: Make, words: str, language: str
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    (proposal,) = guest.say(words)
    assert proposal.has("confirm_offer", language), proposal.text
    assert proposal.text.count("Standard") == 2, proposal.text
