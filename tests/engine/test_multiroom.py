"""Stays of several rooms: one booking, one reference, every room's nights claimed or none."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from engine.availability.offers import RoomsOffer
from engine.availability.requests import StayRequest
from engine.availability.rooms import RoomWish, search_room_set, share_party
from engine.bookings.approvals import accept, decline, needs_approval, request_approval
from engine.bookings.enums import Approval, BookingStatus, CancelledBy, Channel
from engine.bookings.models import Booking
from engine.bookings.rooms import live_rooms, room_lines
from engine.bookings.service import cancel, confirm, expire_holds, modify, place_hold
from engine.calendar.service import venue_feed
from engine.exceptions import HoldExpiredError, NotAvailableError, ValidationError
from engine.payments.changes import cancel_room
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import claim_pairs, counts, hold_room, minutes, room_numbers

XMAS = date(2026, 12, 24)
CHECK_OUT = date(2026, 12, 27)


def _offer(session: Session, demo: Demo, guests: int, wishes: list[RoomWish]) -> RoomsOffer:
    offer = search_room_set(
        session, demo.hotel, StayRequest(XMAS, CHECK_OUT, guests), wishes, now=NOW
    )
    assert offer is not None
    return offer


def _hold(session: Session, demo: Demo, offer: RoomsOffer) -> Booking:
    booking = place_hold(
        session, offer=offer, guest=demo.guest, channel=Channel.WHATSAPP, actor="guest", now=NOW
    )
    session.flush()
    return booking


def test_the_party_is_shared_evenly_within_what_each_room_sleeps() -> None:
    assert share_party(4, [4, 4]) == [2, 2]
    assert share_party(5, [4, 4]) == [3, 2]
    assert share_party(5, [2, 2, 1]) == [2, 2, 1]
    assert share_party(6, [2, 2, 1]) is None  # more guests than beds
    assert share_party(1, [4, 4]) is None  # a room would stay empty


def test_two_rooms_for_four_are_two_standard_rooms_priced_together(
    session: Session, demo: Demo
) -> None:
    offer = _offer(session, demo, 4, [RoomWish(), RoomWish()])
    assert [(room.room_type_name, room.guests) for room in offer.rooms] == [
        ("Standard", 2),
        ("Standard", 2),
    ]
    assert offer.total_amount == 2 * 3 * 350_000
    booking = _hold(session, demo, offer)
    assert booking.status == BookingStatus.HELD
    assert (booking.party_size, booking.amount, booking.room_type_id) == (
        4,
        offer.total_amount,
        None,
    )
    assert room_numbers(session, booking) == ["101", "102"]
    assert len(claim_pairs(session, booking)) == 2 * 3
    assert [(line.room_type, line.room, line.guests) for line in room_lines(session, booking)] == [
        ("Standard", "101", 2),
        ("Standard", "102", 2),
    ]


def test_mixed_types_take_the_type_named_and_the_cheapest_that_sleeps_the_rest(
    session: Session, demo: Demo
) -> None:
    suite = demo.room_type(session, "Suite")
    offer = _offer(session, demo, 5, [RoomWish(room_type_id=suite.id), RoomWish(sleeps=1)])
    assert [(room.room_type_name, room.guests) for room in offer.rooms] == [
        ("Suite", 4),
        ("Standard", 1),
    ]


def test_no_set_is_offered_when_one_room_of_it_is_taken(session: Session, demo: Demo) -> None:
    hold_room(session, demo, "Suite", XMAS, CHECK_OUT)
    suite = demo.room_type(session, "Suite")
    request = StayRequest(XMAS, CHECK_OUT, 5)
    wishes = [RoomWish(room_type_id=suite.id), RoomWish()]
    assert search_room_set(session, demo.hotel, request, wishes, now=NOW) is None


def test_a_hold_takes_every_room_or_none(session: Session, demo: Demo) -> None:
    suite = demo.room_type(session, "Suite")
    offer = _offer(session, demo, 5, [RoomWish(room_type_id=suite.id), RoomWish()])
    hold_room(session, demo, "Suite", date(2026, 12, 26), CHECK_OUT)  # the suite's last night
    before = counts(session)
    with pytest.raises(NotAvailableError):
        _hold(session, demo, offer)
    assert counts(session) == before


def test_a_room_cancelled_on_its_own_frees_its_nights_and_lowers_the_price(
    session: Session, demo: Demo
) -> None:
    booking = _hold(session, demo, _offer(session, demo, 4, [RoomWish(), RoomWish()]))
    second = live_rooms(booking)[1]
    change = cancel_room(
        session, booking=booking, room_id=second.id, by=CancelledBy.GUEST, actor="guest", now=NOW
    )
    assert change.refund_amount == 0  # nothing was paid
    assert (booking.party_size, booking.amount) == (2, 3 * 350_000)
    assert room_numbers(session, booking) == ["101"]
    assert {resource for resource, _ in claim_pairs(session, booking)} == {booking.resources[0]}
    assert booking.events[-1].reason == "room cancelled"
    with pytest.raises(ValidationError, match="last room"):
        cancel_room(
            session,
            booking=booking,
            room_id=live_rooms(booking)[0].id,
            by=CancelledBy.GUEST,
            actor="guest",
            now=NOW,
        )


def test_cancelling_the_booking_frees_every_room(session: Session, demo: Demo) -> None:
    booking = _hold(session, demo, _offer(session, demo, 4, [RoomWish(), RoomWish()]))
    cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=NOW)
    assert claim_pairs(session, booking) == set()


def test_a_late_payment_takes_every_room_back(session: Session, demo: Demo) -> None:
    booking = _hold(session, demo, _offer(session, demo, 4, [RoomWish(), RoomWish()]))
    later = NOW + minutes(60)
    assert expire_holds(session, now=later) == [booking]
    confirm(session, booking=booking, actor="razorpay", now=later, amount_paid=booking.amount)
    assert booking.status == BookingStatus.CONFIRMED
    assert room_numbers(session, booking) == ["101", "102"]
    assert len(claim_pairs(session, booking)) == 2 * 3


def test_a_booking_of_several_rooms_is_not_changed_by_chat(session: Session, demo: Demo) -> None:
    booking = _hold(session, demo, _offer(session, demo, 4, [RoomWish(), RoomWish()]))
    with pytest.raises(ValidationError, match="several rooms"):
        modify(session, booking=booking, actor="guest", now=NOW, check_out=date(2026, 12, 28))


def test_a_feed_for_one_room_type_shows_the_stays_with_a_room_of_it(
    session: Session, demo: Demo
) -> None:
    suite, standard = demo.room_type(session, "Suite"), demo.room_type(session, "Standard")
    offer = _offer(session, demo, 5, [RoomWish(room_type_id=suite.id), RoomWish()])
    booking = confirm(session, booking=_hold(session, demo, offer), actor="desk", now=NOW)
    for room_type in (suite, standard):
        feed = venue_feed(session, venue=demo.hotel, room_type_id=room_type.id, now=NOW)
        assert booking.reference in feed
    deluxe = demo.room_type(session, "Deluxe")
    assert booking.reference not in venue_feed(
        session, venue=demo.hotel, room_type_id=deluxe.id, now=NOW
    )


def test_groups_above_the_venues_chat_limits_need_approval(session: Session, demo: Demo) -> None:
    assert not needs_approval(demo.hotel, rooms=3, guests=8)
    assert needs_approval(demo.hotel, rooms=4, guests=8)
    assert needs_approval(demo.hotel, rooms=2, guests=9)
    demo.hotel.settings = {**demo.hotel.settings, "chat_max_rooms": 1}
    assert needs_approval(demo.hotel, rooms=2, guests=4)


def test_a_group_waits_for_staff_for_the_approval_window_and_only_once(
    session: Session, demo: Demo
) -> None:
    booking = _hold(session, demo, _offer(session, demo, 4, [RoomWish(), RoomWish()]))
    request_approval(session, booking=booking, actor="guest", now=NOW)
    assert booking.approval == Approval.PENDING
    assert booking.hold_expires_at == NOW + timedelta(hours=24)
    accept(session, booking=booking, actor="owner", now=NOW + timedelta(hours=2))
    assert (booking.approval, booking.status) == (Approval.ACCEPTED, BookingStatus.HELD)
    with pytest.raises(ValidationError, match="does not wait"):
        decline(session, booking=booking, actor="owner", now=NOW + timedelta(hours=3))


def test_a_request_whose_hold_ran_out_cannot_be_accepted(session: Session, demo: Demo) -> None:
    booking = _hold(session, demo, _offer(session, demo, 4, [RoomWish(), RoomWish()]))
    request_approval(session, booking=booking, actor="guest", now=NOW)
    with pytest.raises(HoldExpiredError):
        accept(session, booking=booking, actor="owner", now=NOW + timedelta(hours=25))


@pytest.mark.parametrize(
    ("guests", "wishes", "most"),
    [(9, [RoomWish(), RoomWish()], 8), (5, [RoomWish(sleeps=2), RoomWish(sleeps=2)], 4)],
)
def test_rooms_that_could_never_sleep_the_party_say_so_rather_than_not_free(
    session: Session, demo: Demo, guests: int, wishes: list[RoomWish], most: int
) -> None:
    request = StayRequest(XMAS, CHECK_OUT, guests)
    with pytest.raises(ValidationError, match=f"2 rooms like those sleep at most {most} guests"):
        search_room_set(session, demo.hotel, request, wishes, now=NOW)
