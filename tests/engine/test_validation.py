"""Bad requests fail with a domain error a guest can read, before anything is written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer, TableOffer
from engine.availability.requests import StayRequest, TableRequest
from engine.availability.service import search_availability
from engine.bookings.enums import Channel
from engine.bookings.service import place_hold
from engine.exceptions import BooklineError, NotFoundError, ValidationError
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import counts, hold_room, room_offer, table_offer

D24, D26 = date(2026, 12, 24), date(2026, 12, 26)
FRIDAY = date(2026, 12, 11)

#: (check_in, check_out, guests, message) for stays that must be refused.
BAD_STAYS = {
    "negative-guests": (D24, D26, -1, "between 1 and 12"),
    "no-guests": (D24, D26, 0, "between 1 and 12"),
    "too-many-guests": (D24, D26, 13, "between 1 and 12"),
    "check-out-before-check-in": (D26, D24, 2, "Check-out must be after check-in"),
    "check-out-on-check-in": (D24, D24, 2, "Check-out must be after check-in"),
    "400-nights": (D24, date(2028, 1, 28), 2, "at most 30 nights"),
    "31-nights": (D24, date(2027, 1, 24), 2, "at most 30 nights"),
    "check-in-yesterday": (date(2026, 11, 30), D26, 2, "cannot be in the past"),
    "too-far-ahead": (date(2028, 12, 24), date(2028, 12, 26), 2, "too far ahead"),
}


@pytest.mark.parametrize(
    ("check_in", "check_out", "guests", "message"), BAD_STAYS.values(), ids=BAD_STAYS.keys()
)
def test_bad_stay_search_is_a_validation_error(
    session: Session, demo: Demo, check_in: date, check_out: date, guests: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        search_availability(
            session, venue=demo.hotel, request=StayRequest(check_in, check_out, guests), now=NOW
        )


@pytest.mark.parametrize(
    ("check_in", "check_out", "guests", "message"), BAD_STAYS.values(), ids=BAD_STAYS.keys()
)
def test_bad_stay_hold_is_a_validation_error_and_writes_nothing(
    session: Session, demo: Demo, check_in: date, check_out: date, guests: int, message: str
) -> None:
    hold_room(session, demo, "Suite", date(2027, 1, 5), date(2027, 1, 6))
    before = counts(session)
    offer = room_offer(session, demo, "Standard", check_in, check_out, guests=guests)
    with pytest.raises(ValidationError, match=message):
        hold(session, demo, offer)
    assert counts(session) == before


def hold(session: Session, demo: Demo, offer: RoomOffer | TableOffer) -> None:
    place_hold(session, offer=offer, guest=demo.guest, channel=Channel.SMS, actor="guest", now=NOW)


def test_unknown_room_type_is_a_validation_error_and_writes_nothing(
    session: Session, demo: Demo
) -> None:
    before = counts(session)
    with pytest.raises(ValidationError, match="room type does not exist"):
        search_availability(
            session, venue=demo.hotel, request=StayRequest(D24, D26, 2, 999_999), now=NOW
        )
    offer = replace(room_offer(session, demo, "Standard", D24, D26), room_type_id=999_999)
    with pytest.raises(ValidationError, match="room type does not exist"):
        hold(session, demo, offer)
    assert counts(session) == before


def test_room_type_of_another_venue_is_unknown_here(session: Session, demo: Demo) -> None:
    offer = replace(room_offer(session, demo, "Suite", D24, D26), venue_id=demo.restaurant.id)
    with pytest.raises(ValidationError, match="does not exist at this hotel"):
        hold(session, demo, offer)
    assert counts(session).bookings == 0


def test_room_type_too_small_for_the_party_names_its_capacity(session: Session, demo: Demo) -> None:
    offer = room_offer(session, demo, "Standard", D24, D26, guests=3)
    with pytest.raises(ValidationError, match="Standard room sleeps at most 2 guests"):
        hold(session, demo, offer)
    assert counts(session).bookings == 0


def test_hold_without_a_room_type_is_refused(session: Session, demo: Demo) -> None:
    offer = replace(room_offer(session, demo, "Suite", D24, D26), room_type_id=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Choose a room type"):
        hold(session, demo, offer)


def test_offer_for_an_unknown_venue_is_not_found(session: Session, demo: Demo) -> None:
    offer = replace(room_offer(session, demo, "Suite", D24, D26), venue_id=999_999)
    with pytest.raises(NotFoundError):
        hold(session, demo, offer)
    assert counts(session).bookings == 0


@pytest.mark.parametrize(
    ("venue_name", "request_"),
    [("hotel", TableRequest(FRIDAY, time(20, 0), 2)), ("restaurant", StayRequest(D24, D26, 2))],
)
def test_wrong_kind_of_request_for_the_venue_is_refused(
    session: Session, demo: Demo, venue_name: str, request_: StayRequest | TableRequest
) -> None:
    venue = demo.hotel if venue_name == "hotel" else demo.restaurant
    with pytest.raises(ValidationError, match="does not take that kind of booking"):
        search_availability(session, venue=venue, request=request_, now=NOW)


BAD_SEATINGS = {
    "negative-party": (FRIDAY, time(20, 0), -1, "between 1 and 20"),
    "no-party": (FRIDAY, time(20, 0), 0, "between 1 and 20"),
    "party-of-21": (FRIDAY, time(20, 0), 21, "at most 8 guests"),
    "party-too-big-for-any-table": (FRIDAY, time(20, 0), 9, "at most 8 guests"),
    "yesterday": (date(2026, 11, 30), time(20, 0), 2, "in the past"),
    "too-far-ahead": (date(2028, 12, 8), time(20, 0), 2, "too far ahead"),
}


@pytest.mark.parametrize(
    ("day", "at", "party", "message"), BAD_SEATINGS.values(), ids=BAD_SEATINGS.keys()
)
def test_bad_seating_search_is_a_validation_error(
    session: Session, demo: Demo, day: date, at: time, party: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        search_availability(
            session, venue=demo.restaurant, request=TableRequest(day, at, party), now=NOW
        )


@pytest.mark.parametrize(
    ("day", "at", "party", "message"), BAD_SEATINGS.values(), ids=BAD_SEATINGS.keys()
)
def test_bad_seating_hold_is_a_validation_error_and_writes_nothing(
    session: Session, demo: Demo, day: date, at: time, party: int, message: str
) -> None:
    before = counts(session)
    with pytest.raises(ValidationError, match=message):
        hold(session, demo, table_offer(demo.restaurant, day, at, party))
    assert counts(session) == before


def test_every_engine_error_carries_its_message(session: Session, demo: Demo) -> None:
    with pytest.raises(BooklineError) as caught:
        hold(session, demo, room_offer(session, demo, "Standard", D26, D24))
    assert caught.value.message == str(caught.value) == "Check-out must be after check-in."
