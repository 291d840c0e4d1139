"""Demo data (``bookline seed --demo``): one business with two hotels and two restaurants (the
second restaurant is "the venue next door" recommendations offer, the second hotel the one a
full hotel suggests).

Idempotent: every row is looked up by its natural key first, so running it twice changes
nothing and running it over an edited demo leaves the edits alone. Past bookings for these
venues (``--history``) are ``engine.history``'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.enums import Role
from engine.accounts.models import User
from engine.accounts.service import hash_password
from engine.answers.demo import seed_demo_answers
from engine.db import Base
from engine.inventory.models import OpeningHours, Room, RoomType, Table
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue

M = TypeVar("M", bound=Base)

OWNER_EMAIL = "owner@demo.test"
OWNER_PASSWORD = "demo-owner-pass"  # noqa: S105 - published demo credentials

HOTEL_ROOMS = {
    "Standard": (2, 350_000, ["101", "102", "103", "104", "105"]),
    "Deluxe": (3, 550_000, ["201", "202", "203"]),
    "Suite": (4, 900_000, ["301"]),
}
#: The second hotel: a small inn a full Seaside Hotel names when it has the stay free.
INN_ROOMS = {
    "Garden": (2, 280_000, ["G1", "G2"]),
    "Courtyard": (3, 420_000, ["C1"]),
    "Family": (4, 600_000, ["F1"]),
}
RESTAURANT_TABLES = [
    *((f"T{n}", 2, None) for n in range(1, 5)),
    ("T5", 4, None),
    ("T6", 4, None),
    ("T7", 4, "A"),
    ("T8", 4, "A"),
    ("T9", 6, None),
    ("T10", 6, None),
]
LUNCH = (time(12, 0), time(15, 0))
DINNER = (time(19, 0), time(23, 0))
#: The second restaurant: a small seafood place open for dinner only.
KITCHEN_TABLES = [("K1", 2, None), ("K2", 2, None), ("K3", 4, None), ("K4", 4, None)]
KITCHEN_DINNER = (time(18, 30), time(22, 30))

Window = tuple[time, time]
#: Each venue's opening windows, Monday first: Spice Garden opens for dinner only on Mondays.
SPICE_GARDEN_WEEK: list[list[Window]] = [[DINNER], *[[LUNCH, DINNER]] * 6]
KITCHEN_WEEK: list[list[Window]] = [[KITCHEN_DINNER]] * 7

#: What all four demo venues share; the rest of each venue's columns follow.
DEMO_VENUE: dict[str, Any] = {"timezone": "Asia/Kolkata", "currency": "INR", "hold_minutes": 15}
SEASIDE_HOTEL: dict[str, Any] = {
    "name": "Seaside Hotel",
    "sms_number": "+15005550006",
    "whatsapp_phone_number_id": "100000000000001",
    "cancellation_tiers": [
        {"hours_before": 48, "refund_percent": 100},
        {"hours_before": 0, "refund_percent": 50},
    ],
    "check_in_time": time(14, 0),
    "check_out_time": time(11, 0),
    "settings": {
        "address": "Lighthouse Road, Kovalam, Kerala",
        "latitude": 8.3833,
        "longitude": 76.9788,
    },
}
PALM_COVE_INN: dict[str, Any] = {
    "name": "Palm Cove Inn",
    "sms_number": "+15005550009",
    "whatsapp_phone_number_id": "100000000000004",
    "cancellation_tiers": [{"hours_before": 48, "refund_percent": 100}],
    "check_in_time": time(13, 0),
    "check_out_time": time(11, 0),
    "settings": {"address": "Samudra Beach Road, Kovalam, Kerala"},
}
SPICE_GARDEN: dict[str, Any] = {
    "name": "Spice Garden",
    "sms_number": "+15005550007",
    "whatsapp_phone_number_id": "100000000000002",
    "cancellation_tiers": [{"hours_before": 24, "refund_percent": 100}],
    "slot_minutes": 15,
    "turn_minutes": 90,
    "large_party_size": 7,
    "large_party_turn_minutes": 120,
    "deposit_per_person": 20_000,
    "deposit_min_party": 5,
    "settings": {"address": "12 MG Road, Bengaluru"},
}
COAST_KITCHEN: dict[str, Any] = {
    "name": "Coast Kitchen",
    "sms_number": "+15005550008",
    "whatsapp_phone_number_id": "100000000000003",
    "cancellation_tiers": [{"hours_before": 24, "refund_percent": 100}],
    "slot_minutes": 30,
    "turn_minutes": 90,
    "deposit_per_person": 30_000,
    "deposit_min_party": 4,
    "settings": {"address": "Lighthouse Road, Kovalam, Kerala"},
}


def _ensure(session: Session, model: type[M], lookup: dict[str, Any], **values: Any) -> M:
    """Fetch the row matching ``lookup`` or create it with ``values``."""
    row = session.scalar(select(model).filter_by(**lookup))
    if row is None:
        row = model(**lookup, **values)
        session.add(row)
        session.flush()
    return row


def seed_demo(session: Session) -> Business:
    """Create (or leave as is) the demo business, its four venues and the owner login."""
    business = _ensure(session, Business, {"slug": "demo-hospitality"}, name="Demo Hospitality")
    hotel = _seed_hotel(session, business, "seaside-hotel", SEASIDE_HOTEL, HOTEL_ROOMS)
    restaurant = _seed_restaurant(
        session, business, "spice-garden", SPICE_GARDEN, RESTAURANT_TABLES, SPICE_GARDEN_WEEK
    )
    for venue in (hotel, restaurant):
        seed_demo_answers(session, venue)
    _seed_restaurant(
        session, business, "coast-kitchen", COAST_KITCHEN, KITCHEN_TABLES, KITCHEN_WEEK
    )
    _seed_hotel(session, business, "palm-cove", PALM_COVE_INN, INN_ROOMS)
    _seed_owner(session, business)
    return business


def _seed_owner(session: Session, business: Business) -> None:
    """The owner login; hashing is deliberately slow, so it only runs when the row is new."""
    if session.scalar(select(User.id).where(User.email == OWNER_EMAIL)) is not None:
        return
    _ensure(
        session,
        User,
        {"email": OWNER_EMAIL},
        business_id=business.id,
        role=Role.OWNER,
        password_hash=hash_password(OWNER_PASSWORD),
    )


def _seed_venue(
    session: Session, business: Business, slug: str, kind: VenueKind, columns: dict[str, Any]
) -> Venue:
    """The venue ``slug`` with what every demo venue shares and its own ``columns``."""
    return _ensure(
        session,
        Venue,
        {"slug": slug},
        business_id=business.id,
        kind=kind,
        **DEMO_VENUE,
        **columns,
    )


def _seed_hotel(
    session: Session,
    business: Business,
    slug: str,
    columns: dict[str, Any],
    rooms: dict[str, tuple[int, int, list[str]]],
) -> Venue:
    """A hotel with its room types (capacity, nightly rate, room numbers) and rooms."""
    hotel = _seed_venue(session, business, slug, VenueKind.HOTEL, columns)
    for name, (capacity, rate, numbers) in rooms.items():
        room_type = _ensure(
            session,
            RoomType,
            {"venue_id": hotel.id, "name": name},
            capacity=capacity,
            nightly_rate=rate,
        )
        for number in numbers:
            _ensure(session, Room, {"room_type_id": room_type.id, "number": number})
    return hotel


def _seed_restaurant(
    session: Session,
    business: Business,
    slug: str,
    columns: dict[str, Any],
    tables: Sequence[tuple[str, int, str | None]],
    week: Sequence[Sequence[Window]],
) -> Venue:
    """A restaurant with its tables (label, seats, combine group) and its opening windows."""
    restaurant = _seed_venue(session, business, slug, VenueKind.RESTAURANT, columns)
    _seed_tables(session, restaurant, tables)
    for weekday, windows in enumerate(week):
        _seed_hours(session, restaurant, weekday, windows)
    return restaurant


def _seed_tables(
    session: Session, venue: Venue, tables: Sequence[tuple[str, int, str | None]]
) -> None:
    for label, seats, group in tables:
        _ensure(
            session, Table, {"venue_id": venue.id, "label": label}, seats=seats, combine_group=group
        )


def _seed_hours(session: Session, venue: Venue, weekday: int, windows: Sequence[Window]) -> None:
    for opens, closes in windows:
        _ensure(
            session,
            OpeningHours,
            {"venue_id": venue.id, "weekday": weekday, "opens": opens},
            closes=closes,
        )
