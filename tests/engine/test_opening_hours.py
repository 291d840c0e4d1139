"""Why a request cannot be had: a restaurant's hours on a date, the largest party and room,
and the typed errors the dialogue turns into reasons."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy.orm import Session

from engine.availability.hours import opening_day
from engine.availability.limits import largest_party, largest_room
from engine.availability.requests import StayRequest, TableRequest
from engine.availability.service import search_availability
from engine.exceptions import CheckOutBeforeCheckInError, PartyTooLargeError
from engine.inventory.models import Closure
from tests.conftest import NOW
from tests.engine.conftest import Demo

MONDAY, TUESDAY = date(2026, 12, 7), date(2026, 12, 8)


def test_a_monday_has_dinner_only_and_lunch_time_is_closed(session: Session, demo: Demo) -> None:
    monday = opening_day(session, venue=demo.restaurant, day=MONDAY)
    assert monday.windows == ((time(19), time(23)),)
    assert not monday.is_open_at(time(13)) and monday.is_open_at(time(19))
    assert not monday.is_open_at(time(23))  # closing time is closed


def test_a_closure_closes_the_whole_day(session: Session, demo: Demo) -> None:
    session.add(Closure(venue_id=demo.restaurant.id, day=TUESDAY, reason="private event"))
    session.flush()
    tuesday = opening_day(session, venue=demo.restaurant, day=TUESDAY)
    assert tuesday.closed_all_day and not tuesday.is_open_at(time(20))


def test_largest_party_is_the_biggest_pair_and_the_biggest_room(
    session: Session, demo: Demo
) -> None:
    assert largest_party(session, venue=demo.restaurant) == 8  # T7 + T8, combinable
    assert largest_party(session, venue=demo.hotel) == largest_room(session, venue=demo.hotel) == 4


@pytest.mark.parametrize("party", [9, 12, 25])
def test_a_party_no_table_seats_says_the_venues_largest(
    session: Session, demo: Demo, party: int
) -> None:
    request = TableRequest(TUESDAY, time(20), party)
    with pytest.raises(PartyTooLargeError) as refused:
        search_availability(session, venue=demo.restaurant, request=request, now=NOW)
    assert refused.value.largest == 8


def test_a_check_out_before_the_check_in_is_its_own_error(session: Session, demo: Demo) -> None:
    request = StayRequest(date(2026, 12, 26), date(2026, 12, 24), 2)
    with pytest.raises(CheckOutBeforeCheckInError):
        search_availability(session, venue=demo.hotel, request=request, now=NOW)
