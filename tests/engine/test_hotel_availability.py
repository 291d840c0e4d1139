"""Hotel availability: which room types a stay can have, at what price, in whose "today"."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.exceptions import NotAvailableError, ValidationError
from engine.inventory.models import RateOverride
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import claim_units, hold_room, minutes, room_by_number, room_numbers

XMAS = date(2026, 12, 24)
BOXING = date(2026, 12, 26)


def search(
    session: Session,
    demo: Demo,
    check_in: date,
    check_out: date,
    guests: int = 2,
    *,
    room_type: str | None = None,
    now: datetime = NOW,
) -> list[RoomOffer]:
    room_type_id = demo.room_type(session, room_type).id if room_type else None
    offers = search_availability(
        session,
        venue=demo.hotel,
        request=StayRequest(check_in, check_out, guests, room_type_id),
        now=now,
    )
    return [o for o in offers if isinstance(o, RoomOffer)]


def by_name(offers: list[RoomOffer]) -> dict[str, RoomOffer]:
    return {o.room_type_name: o for o in offers}


def test_offers_every_type_that_fits_cheapest_first_with_nightly_total(
    session: Session, demo: Demo
) -> None:
    offers = search(session, demo, XMAS, date(2026, 12, 27), 2)
    assert [(o.room_type_name, o.total_amount, o.nights) for o in offers] == [
        ("Standard", 3 * 350_000, 3),
        ("Deluxe", 3 * 550_000, 3),
        ("Suite", 3 * 900_000, 3),
    ]
    assert [o.rooms_left for o in offers] == [5, 3, 1]
    assert {o.currency for o in offers} == {"INR"}


@pytest.mark.parametrize(
    ("guests", "types"),
    [(1, ["Standard", "Deluxe", "Suite"]), (3, ["Deluxe", "Suite"]), (4, ["Suite"]), (5, [])],
)
def test_room_types_too_small_for_the_party_are_left_out(
    session: Session, demo: Demo, guests: int, types: list[str]
) -> None:
    offers = search(session, demo, XMAS, BOXING, guests)
    assert [o.room_type_name for o in offers] == types


def test_rate_override_replaces_the_base_rate_for_that_night_only(
    session: Session, demo: Demo
) -> None:
    standard = demo.room_type(session, "Standard")
    session.add(RateOverride(room_type_id=standard.id, night=XMAS, nightly_rate=500_000))
    session.flush()
    offers = by_name(search(session, demo, date(2026, 12, 23), BOXING))
    assert offers["Standard"].total_amount == 350_000 + 500_000 + 350_000
    assert offers["Deluxe"].total_amount == 3 * 550_000
    booking = hold_room(session, demo, "Standard", date(2026, 12, 23), BOXING)
    assert booking.amount == 1_200_000


def test_check_out_day_is_free_for_the_next_check_in(session: Session, demo: Demo) -> None:
    first = hold_room(session, demo, "Suite", XMAS, date(2026, 12, 27))
    offers = by_name(search(session, demo, date(2026, 12, 27), date(2026, 12, 29)))
    assert offers["Suite"].rooms_left == 1
    second = hold_room(session, demo, "Suite", date(2026, 12, 27), date(2026, 12, 29))
    assert room_numbers(session, first) == room_numbers(session, second) == ["301"]
    assert claim_units(session, first) == ["2026-12-24", "2026-12-25", "2026-12-26"]
    assert claim_units(session, second) == ["2026-12-27", "2026-12-28"]


def test_stay_sharing_one_night_with_a_held_room_is_not_offered(
    session: Session, demo: Demo
) -> None:
    hold_room(session, demo, "Suite", XMAS, date(2026, 12, 27))
    offers = by_name(search(session, demo, date(2026, 12, 26), date(2026, 12, 28)))
    assert "Suite" not in offers
    assert offers["Deluxe"].rooms_left == 3
    with pytest.raises(NotAvailableError, match="No Suite room is free"):
        hold_room(session, demo, "Suite", date(2026, 12, 26), date(2026, 12, 28))


def test_rooms_left_counts_down_and_a_sold_out_type_disappears(
    session: Session, demo: Demo
) -> None:
    for held in (1, 2):
        hold_room(session, demo, "Deluxe", XMAS, BOXING)
        assert by_name(search(session, demo, XMAS, BOXING))["Deluxe"].rooms_left == 3 - held
    hold_room(session, demo, "Deluxe", XMAS, BOXING)
    offers = by_name(search(session, demo, XMAS, BOXING))
    assert "Deluxe" not in offers
    assert offers["Standard"].rooms_left == 5


def test_search_for_one_named_type_returns_only_that_type(session: Session, demo: Demo) -> None:
    offers = search(session, demo, XMAS, BOXING, room_type="Deluxe")
    assert [o.room_type_name for o in offers] == ["Deluxe"]


def test_inactive_room_is_never_offered_or_held(session: Session, demo: Demo) -> None:
    room_by_number(session, "301").active = False
    session.flush()
    assert "Suite" not in by_name(search(session, demo, XMAS, BOXING))
    with pytest.raises(NotAvailableError):
        hold_room(session, demo, "Suite", XMAS, BOXING)


def test_lapsed_hold_no_longer_blocks_search(session: Session, demo: Demo) -> None:
    hold_room(session, demo, "Suite", XMAS, BOXING)
    assert "Suite" not in by_name(search(session, demo, XMAS, BOXING, now=NOW + minutes(14)))
    assert "Suite" in by_name(search(session, demo, XMAS, BOXING, now=NOW + minutes(15)))


# Time zones: "today" and check-in are the venue's local date. NOW is 06:30 UTC on 1 Dec 2026:
# 20:30 on 1 Dec in Kiritimati (UTC+14), but still 30 Nov in Honolulu (UTC-10) and Pago Pago
# (UTC-11). None of these zones observes DST.


@pytest.mark.parametrize(
    ("timezone", "earliest"),
    [
        ("Asia/Kolkata", date(2026, 12, 1)),
        ("Pacific/Kiritimati", date(2026, 12, 1)),
        ("Pacific/Honolulu", date(2026, 11, 30)),
        ("Pacific/Pago_Pago", date(2026, 11, 30)),
        ("UTC", date(2026, 12, 1)),
    ],
)
def test_earliest_check_in_is_today_in_the_venue_time_zone(
    session: Session, demo: Demo, timezone: str, earliest: date
) -> None:
    demo.hotel.timezone = timezone
    session.flush()
    day_before = date.fromordinal(earliest.toordinal() - 1)
    assert search(session, demo, earliest, date(2026, 12, 5))
    with pytest.raises(ValidationError, match="past"):
        search(session, demo, day_before, date(2026, 12, 5))


@pytest.mark.parametrize(
    ("check_in", "check_out", "nights"),
    [
        (date(2027, 3, 27), date(2027, 3, 29), ["2027-03-27", "2027-03-28"]),
        (date(2027, 10, 30), date(2027, 11, 1), ["2027-10-30", "2027-10-31"]),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_stay_across_a_dst_switch_is_counted_in_nights_not_hours(
    session: Session, demo: Demo, check_in: date, check_out: date, nights: list[str]
) -> None:
    demo.hotel.timezone = "Europe/London"
    session.flush()
    offer = by_name(search(session, demo, check_in, check_out))["Standard"]
    assert (offer.nights, offer.total_amount) == (2, 2 * 350_000)
    booking = hold_room(session, demo, "Standard", check_in, check_out)
    assert claim_units(session, booking) == nights
